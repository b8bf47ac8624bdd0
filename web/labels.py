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
    "reviewed": "Ditandai sudah ditinjau",
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


# Search (web/search.py): sort orders by their URL value, and what each query error
# (index.QueryError.code, plus the form checks of the search page) says. Placeholders are
# the error's params; a code missing here reads QUERY_ERROR_FALLBACK, never English.
SEARCH_SORTS: Mapping[str, str] = {
    "relevansi": "Relevansi",
    "terbaru": "Terbaru",
    "terlama": "Terlama",
    "nomor": "Nomor dokumen",
}

_NOT_UNDERSTOOD = "Kueri tidak dapat dipahami: "
QUERY_ERRORS: Mapping[str, str] = {
    "unclosed_quote": _NOT_UNDERSTOOD
    + 'tanda kutip " belum ditutup. Tambahkan " penutup atau hapus yang pembuka.',
    "unopened_paren": _NOT_UNDERSTOOD + "ada ')' tanpa '(' pasangannya.",
    "unclosed_paren": _NOT_UNDERSTOOD + "'(' belum ditutup. Tambahkan ')' penutup.",
    "empty_parens": _NOT_UNDERSTOOD + "tanda kurung '()' kosong. Isi dengan kata atau hapus.",
    "operator_needs_word_before": _NOT_UNDERSTOOD
    + "{operator} memerlukan kata sebelumnya, mis. 'pemilu {operator} pilkada'.",
    "operator_needs_word_after": _NOT_UNDERSTOOD
    + "{operator} memerlukan kata sesudahnya, mis. 'pemilu {operator} pilkada'.",
    "empty_phrase": _NOT_UNDERSTOOD + 'frasa "" kosong. Tulis kata di antara tanda kutip.',
    "field_needs_word": _NOT_UNDERSTOOD
    + "'{field}:' harus langsung diikuti kata, mis. '{field}:pemilu'.",
    "fuzzy_distance": _NOT_UNDERSTOOD + "'{word}': angka sesudah ~ harus 1 atau 2.",
    "fuzzy_one_word": _NOT_UNDERSTOOD
    + "'{word}~': tulis tepat satu kata sebelum ~, mis. 'pemilihan~1'.",
    "wildcard_prefix": _NOT_UNDERSTOOD
    + "'{word}': tulis sedikitnya {letters} huruf sebelum *, mis. 'pemil*'.",
    "too_long": _NOT_UNDERSTOOD
    + "kueri terlalu panjang ({length} karakter, paling banyak {limit}).",
    "no_words": _NOT_UNDERSTOOD + "tidak ada kata yang dapat dicari. Ketik sedikitnya satu kata.",
    "unparsable": _NOT_UNDERSTOOD + "periksa tanda kutip, kurung dan operator (AND, OR, NOT).",
    "unsupported": _NOT_UNDERSTOOD + "bentuk kueri ini tidak didukung.",
    "too_many_expansions": "'{word}' cocok dengan lebih dari {limit} kata. Ketik lebih banyak "
    "huruf dari kata itu.",
    "unknown_sort": "Urutan '{sort}' tidak dikenal. Pilih relevansi, terbaru, terlama atau nomor.",
    "bad_page": "Nomor halaman harus 1 atau lebih.",
    "bad_page_size": "Jumlah hasil per halaman harus antara 1 dan {limit}.",
    "page_out_of_range": "Halaman {page} di luar jangkauan: pencarian hanya menampilkan "
    "{window} hasil pertama (sampai halaman {last}). Tambah kata atau saringan untuk "
    "mempersempit hasil.",
    "bad_year": "Tahun harus empat angka (mis. 2022), bukan '{year}'.",
    "bad_date": "Tanggal '{which}' harus berformat TTTT-BB-HH (mis. 2024-03-14), bukan '{value}'.",
    "date_order": "Tanggal 'dari' ({start}) sesudah tanggal 'sampai' ({end}). Tukar keduanya.",
}
QUERY_ERROR_FALLBACK = _NOT_UNDERSTOOD + "periksa tanda kutip, kurung dan operator (AND, OR, NOT)."


def query_error(code: str, params: Mapping[str, str]) -> str:
    """The Indonesian message of a query error (``index.QueryError.code`` and params)."""
    template = QUERY_ERRORS.get(code)
    if template is None:
        return QUERY_ERROR_FALLBACK
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return QUERY_ERROR_FALLBACK
