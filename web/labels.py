"""What the staff read on screen (Bahasa Indonesia) for the codes the archive stores.

Roles, access levels, flags and month names come from ``archive.vocabulary``; what is
here is presentation only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from archive.vocabulary import ACCESS_NAMES, FLAG_NAMES, ROLE_NAMES
from archive.vocabulary import tanggal as tanggal  # re-exported: templates call labels.tanggal

DOC_TYPES: Mapping[str, str] = {
    "peraturan": "Peraturan",
    "keputusan": "Keputusan",
    "surat_edaran": "Surat Edaran",
    "surat": "Surat Dinas / Undangan",
    "nota_dinas": "Nota Dinas",
    "memorandum": "Memorandum",
    "surat_tugas": "Surat Tugas",
    "berita_acara": "Berita Acara",
    "notulen": "Notulen",
    "laporan": "Laporan",
    "sop": "SOP",
    "formulir": "Formulir",
    "daftar_informasi": "Daftar Informasi",
    "lainnya": "Lainnya",
}

ACCESS: Mapping[str, str] = ACCESS_NAMES
FLAGS: Mapping[str, str] = FLAG_NAMES
ROLES: Mapping[str, str] = ROLE_NAMES

TEXT_SOURCES: Mapping[str, str] = {
    "text_layer": "Lapisan teks PDF",
    "ocr": "OCR (pindaian)",
    "docx": "Dokumen Word",
    "plain": "Teks biasa",
}

EVENT_KINDS: Mapping[str, str] = {
    "intake": "Diterima",
    "extraction": "Ekstraksi teks",
    "classification": "Klasifikasi jenis",
    "metadata": "Metadata",
    "personal_data": "Pemeriksaan data pribadi",
    "archive_write": "Disimpan ke arsip",
    "index": "Diindeks",
    "release": "Dilepas dari kotak masuk",
    "duplicate": "Duplikat diterima",
    "correction": "Koreksi oleh petugas",
    "hardcopy_location": "Lokasi fisik diubah",
}

OUTCOMES: Mapping[str, str] = {
    "ok": "berhasil",
    "flag": "ditandai",
    "fail": "gagal",
    "info": "info",
}

AUDIT_ACTIONS: Mapping[str, str] = {
    "view": "Melihat dokumen",
    "download_original": "Mengunduh berkas asli",
    "download_searchable": "Mengunduh PDF",
    "thumbnail": "Melihat gambar halaman",
    "search_hit": "Hasil pencarian",
    "denied": "Ditolak (tanpa hak akses)",
    "correction": "Mengoreksi metadata",
    "login": "Masuk",
    "login_failed": "Gagal masuk",
    "logout": "Keluar",
    "search": "Pencarian (menampilkan dokumen terbatas)",
    "download_public_copy": "Mengunduh salinan publik",
    "lihat_data_pemohon": "Melihat data pemohon",
    "not_found": "Mencoba dokumen yang tidak ada",
}

UPLOAD_STATUS: Mapping[str, str] = {
    "menunggu": "Menunggu diproses",
    "diproses": "Sedang diproses",
    "diarsipkan": "Diarsipkan",
    "duplikat": "Duplikat (sudah ada di arsip)",
    "dikarantina": "Dikarantina",
    "ditolak": "Ditolak",
}


def label(table: Mapping[str, str], code: object) -> str:
    if code is None or code == "":
        return "—"
    return table.get(str(code), str(code).replace("_", " "))


def waktu(value: datetime | str | None, zone: ZoneInfo) -> str:
    """Local time of the office, e.g. ``5 Januari 2022 09.30 WIB``."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = value.astimezone(zone)
    suffix = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
        str(zone), local.strftime("%Z")
    )
    return f"{tanggal(local.date())} {local:%H.%M} {suffix}"


DETAIL_KEYS: Mapping[str, str] = {
    "mime": "MIME",
    "file_kind": "jenis berkas",
    "pages": "halaman",
    "size": "ukuran",
    "extension_matches": "ekstensi cocok",
    "text_source": "sumber teks",
    "chars": "karakter",
    "ocr_confidence": "keyakinan OCR",
    "ocr_pages": "halaman OCR",
    "rotated_pages": "halaman diputar",
    "doc_type": "jenis",
    "confidence": "keyakinan",
    "matched": "isyarat",
    "flags": "tanda",
    "number": "nomor",
    "date": "tanggal",
    "unit": "unit",
    "title": "judul",
    "nik_count": "jumlah NIK",
    "kk_count": "jumlah KK",
    "path": "lokasi",
    "files": "berkas",
    "by": "oleh",
    "role": "peran",
    "before": "sebelum",
    "after": "sesudah",
    "confirmed": "dikonfirmasi",
    "of": "duplikat dari",
    "code": "kode",
    "detail": "rincian",
    "error": "galat",
    "action": "tindakan",
}
_MAX_DETAIL_CHARS = 160


def _detail_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if key == "size" and isinstance(value, int):
        return f"{value / 1024:.0f} KB"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if key == "files" and isinstance(value, dict):
        return ", ".join(sorted(value))  # names only: the hashes are in the manifest
    if isinstance(value, dict):
        return "; ".join(
            f"{DETAIL_KEYS.get(k, k)}: {_detail_value(k, v)}" for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(label(FLAGS, v) if key == "flags" else str(v) for v in value)
    return str(value)


def event_details(detail: Mapping[str, object]) -> list[tuple[str, str]]:
    """An event's detail as short (label, text) pairs for the history table."""
    pairs = []
    for key, value in detail.items():
        if value in (None, "", [], {}, ()):
            continue
        text = _detail_value(key, value)
        if len(text) > _MAX_DETAIL_CHARS:
            text = text[: _MAX_DETAIL_CHARS - 1] + "…"
        pairs.append((DETAIL_KEYS.get(key, key.replace("_", " ")), text))
    return pairs


# Why the ingest run set a file aside (the ``code`` of its ``.reason.json``), in words a
# petugas can act on: (what happened, what to do). tests/web/test_upload_reasons.py finds
# every code in tasks/ and flows/app and fails when one has no entry here.
QUARANTINE_REASONS: Mapping[str, tuple[str, str]] = {
    "corrupt": (
        "Berkas rusak atau tidak lengkap sehingga tidak dapat dibaca.",
        "Buka berkas di komputer Anda; bila gagal, pindai atau salin ulang lalu unggah lagi.",
    ),
    "empty": ("Berkas kosong (0 byte).", "Periksa berkas aslinya, lalu unggah ulang."),
    "too_large": (
        "Berkas melebihi batas ukuran arsip.",
        "Pindai ulang dengan resolusi lebih rendah (300 dpi cukup) atau pecah per dokumen.",
    ),
    "too_many_pages": (
        "Jumlah halaman melebihi batas arsip.",
        "Pecah berkas menjadi beberapa dokumen, lalu unggah masing-masing.",
    ),
    "image_too_large": (
        "Gambar atau halaman terlalu besar untuk diproses dengan aman.",
        "Pindai ulang dengan ukuran kertas dan resolusi biasa (A4, 300 dpi).",
    ),
    "zip_bomb": (
        "Berkas Word ini memuat isi yang jauh lebih besar dari ukurannya (mencurigakan).",
        "Jangan buka berkas ini; minta salinan baru dari pengirim, lalu unggah lagi.",
    ),
    "encrypted": (
        "PDF dilindungi kata sandi.",
        "Minta salinan tanpa kata sandi dari pengirim, lalu unggah lagi.",
    ),
    "unsupported_type": (
        "Jenis berkas tidak diterima (hanya PDF, PNG, JPEG, TIFF, DOCX, TXT).",
        "Simpan ulang sebagai PDF atau pindai ulang, lalu unggah lagi.",
    ),
    "ocr_failed": (
        "Teks pindaian tidak dapat dibaca oleh OCR.",
        "Pindai ulang dengan hasil lebih jelas (lurus, tidak buram); bila terulang, hubungi admin.",
    ),
    "timeout": (
        "Pemrosesan berkas terlalu lama dan dihentikan.",
        "Pecah berkas menjadi bagian lebih kecil atau pindai ulang; bila terulang, hubungi admin.",
    ),
    "processing_error": (
        "Terjadi galat pada sistem saat memproses berkas (bukan kesalahan berkas Anda).",
        "Tidak perlu mengunggah ulang: sistem mencoba lagi otomatis; "
        "bila tetap gagal, hubungi admin.",
    ),
    "unknown": (
        "Alasan karantina tidak terbaca.",
        "Hubungi admin arsip agar berkas di karantina diperiksa.",
    ),
}


def quarantine_reason(code: str | None) -> tuple[str, str]:
    """(what happened, what to do) for a reason code; an unknown code is the admin's."""
    return QUARANTINE_REASONS.get(code or "unknown", QUARANTINE_REASONS["unknown"])
