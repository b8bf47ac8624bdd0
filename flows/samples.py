"""Sample documents for the demo, the tests and the benchmarks, generated on the spot.

Realistic KPU naskah dinas (keputusan, surat, berita acara, notulen, SOP, formulir)
rendered as scans (noisy, slightly skewed 300 dpi images), text PDFs, DOCX and TXT,
plus the hostile files an inbox really receives. Nothing is downloaded.
"""

from __future__ import annotations

import io
import random
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx
import img2pdf
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
A4_300DPI = (2480, 3508)
LINES_PER_PAGE = 44


@dataclass(frozen=True)
class SampleDoc:
    doc_type: str
    number: str | None
    date: date | None
    unit: str | None
    title: str | None
    lines: tuple[str, ...]
    nik: tuple[str, ...] = field(default=())

    def pages(self, lines_per_page: int = LINES_PER_PAGE) -> list[list[str]]:
        return [
            list(self.lines[i : i + lines_per_page])
            for i in range(0, len(self.lines), lines_per_page)
        ]


LETTERHEAD = (
    "KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH",
    "Jalan Raya Karang Tinggi Nomor 12, Bengkulu Tengah 38382",
    "",
)


def keputusan() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "KEPUTUSAN KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH",
        "NOMOR 590/PL.02.4/1906/KPU-Kab/XI/2020",
        "TENTANG",
        "PENETAPAN DAFTAR PEMILIH TETAP PEMILIHAN BUPATI DAN WAKIL BUPATI",
        "",
        "KETUA KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH,",
        "Menimbang : a. bahwa berdasarkan ketentuan Pasal 58 Undang-Undang Nomor 10",
        "            Tahun 2016, perlu menetapkan daftar pemilih tetap;",
        "Mengingat : 1. Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum;",
        "            2. Peraturan Komisi Pemilihan Umum Nomor 19 Tahun 2019;",
        "MEMUTUSKAN:",
        "Menetapkan : KEPUTUSAN TENTANG PENETAPAN DAFTAR PEMILIH TETAP.",
        "KESATU : Menetapkan jumlah pemilih tetap sebanyak 78.412 orang.",
        "KEDUA : Keputusan ini mulai berlaku pada tanggal ditetapkan.",
        "",
        "Ditetapkan di Karang Tinggi",
        "pada tanggal 14 November 2020",
        "KETUA KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH,",
    )
    return SampleDoc(
        "keputusan",
        "590/PL.02.4/1906/KPU-Kab/XI/2020",
        date(2020, 11, 14),
        "KPU Kabupaten Bengkulu Tengah",
        "PENETAPAN DAFTAR PEMILIH TETAP PEMILIHAN BUPATI DAN WAKIL BUPATI",
        lines,
    )


def surat() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "Nomor    : 123/PP.01-SD/06/KPU-Kab/2022          Karang Tinggi, 5 Januari 2022",
        "Sifat    : Biasa",
        "Lampiran : 1 (satu) berkas",
        "Hal      : Undangan Rapat Koordinasi Pemutakhiran Data Pemilih",
        "",
        "Yth. Ketua Panitia Pemilihan Kecamatan",
        "di Tempat",
        "",
        "Dengan hormat,",
        "Dalam rangka persiapan pemutakhiran data pemilih berkelanjutan, kami",
        "mengundang Saudara untuk hadir pada rapat koordinasi yang akan dilaksanakan",
        "pada hari Senin, 10 Januari 2022 pukul 09.00 WIB di Aula Kantor KPU.",
        "Demikian disampaikan, atas perhatian dan kehadirannya diucapkan terima kasih.",
        "",
        "Ketua,",
        "Ir. Wahyu Santoso",
    )
    return SampleDoc(
        "surat",
        "123/PP.01-SD/06/KPU-Kab/2022",
        date(2022, 1, 5),
        "KPU Kabupaten Bengkulu Tengah",
        "Undangan Rapat Koordinasi Pemutakhiran Data Pemilih",
        lines,
    )


def berita_acara() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "BERITA ACARA",
        "NOMOR 45/PL.02.6-BA/1709/2023",
        "TENTANG",
        "REKAPITULASI DAFTAR PEMILIH SEMENTARA",
        "",
        "Pada hari ini Senin tanggal empat belas bulan Agustus tahun dua ribu dua",
        "puluh tiga, bertempat di Kantor KPU Kabupaten Bengkulu Tengah, telah",
        "dilaksanakan rapat pleno terbuka rekapitulasi daftar pemilih sementara.",
        "Rapat dihadiri oleh para pihak yang bertanda tangan di bawah ini.",
        "Berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana",
        "mestinya.",
        "",
        "PIHAK PERTAMA                      PIHAK KEDUA",
    )
    return SampleDoc(
        "berita_acara",
        "45/PL.02.6-BA/1709/2023",
        date(2023, 8, 14),
        "KPU Kabupaten Bengkulu Tengah",
        "REKAPITULASI DAFTAR PEMILIH SEMENTARA",
        lines,
    )


def notulen() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "NOTULEN RAPAT",
        "Hari/Tanggal     : Kamis, 7 September 2023",
        "Waktu            : 09.00 - 12.00 WIB",
        "Tempat           : Ruang Rapat KPU Kabupaten Bengkulu Tengah",
        "Pimpinan Rapat   : Ketua KPU Kabupaten Bengkulu Tengah",
        "Agenda           : Evaluasi Tahapan Pencalonan Anggota DPRD",
        "Notulis          : Siti Rahmawati",
        "",
        "1. Ketua membuka rapat dan menyampaikan agenda.",
        "2. Divisi Teknis melaporkan hasil verifikasi dokumen bakal calon.",
        "3. Rapat menyepakati jadwal klarifikasi kepada partai politik.",
    )
    return SampleDoc(
        "notulen",
        None,
        date(2023, 9, 7),
        "KPU Kabupaten Bengkulu Tengah",
        "Evaluasi Tahapan Pencalonan Anggota DPRD",
        lines,
    )


def formulir_with_nik(nik: str = "1709054507890003", kk: str = "1709051203110007") -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "FORMULIR PERMOHONAN INFORMASI PUBLIK",
        "No. Pendaftaran : 017/PPID/VIII/2023",
        "",
        "Nama            : Rina Marlina",
        f"NIK             : {nik}",
        f"Nomor KK        : {kk}",
        "Alamat          : Desa Pagar Jati, Kecamatan Pagar Jati",
        "Pekerjaan       : Guru",
        "Rincian informasi yang dibutuhkan : Salinan keputusan penetapan DPT",
        "Tujuan penggunaan informasi : Penelitian",
        "",
        "Karang Tinggi, 21 Agustus 2023",
    )
    return SampleDoc(
        "formulir",
        "017/PPID/VIII/2023",
        date(2023, 8, 21),
        "KPU Kabupaten Bengkulu Tengah",
        None,
        lines,
        nik=(nik, kk),
    )


def sop() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "STANDAR OPERASIONAL PROSEDUR",
        "Nomor SOP          : 02 TAHUN 2022",
        "Tanggal Pembuatan  : 3 Maret 2022",
        "Tanggal Pengesahan : 10 Maret 2022",
        "Disahkan oleh      : Sekretaris KPU Kabupaten Bengkulu Tengah",
        "Nama SOP           : Pendokumentasian Informasi yang Dikecualikan",
        "Dasar Hukum        : Undang-Undang Nomor 14 Tahun 2008",
        "Kualifikasi Pelaksana : Memahami tugas pengelolaan informasi",
        "Peralatan/Perlengkapan : Komputer, pemindai",
        "Mutu Baku : kelengkapan, waktu 1 jam, output dokumen terarsip",
    )
    return SampleDoc(
        "sop",
        "02 TAHUN 2022",
        date(2022, 3, 10),
        "KPU Kabupaten Bengkulu Tengah",
        "Pendokumentasian Informasi yang Dikecualikan",
        lines,
    )


def all_samples() -> list[SampleDoc]:
    return [keputusan(), surat(), berita_acara(), notulen(), formulir_with_nik(), sop()]


BODY = (
    "Penyelenggaraan pemilihan umum dilaksanakan secara langsung, umum, bebas,",
    "rahasia, jujur dan adil oleh Komisi Pemilihan Umum beserta jajarannya di",
    "daerah. Informasi publik yang dikecualikan dikelola oleh Pejabat Pengelola",
    "Informasi dan Dokumentasi sesuai dengan ketentuan peraturan perundangan.",
)


def long_document(pages: int, seed: int = 7) -> SampleDoc:
    """A multi-page laporan for benchmarks: a real heading, then varied body text."""
    rng = random.Random(seed)
    head = (
        *LETTERHEAD,
        "LAPORAN KINERJA PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI",
        "TAHUN 2023",
        "",
        "KATA PENGANTAR",
    )
    body: list[str] = []
    while len(head) + len(body) < pages * LINES_PER_PAGE:
        line = rng.choice(BODY).split()
        rng.shuffle(line)
        body.append(" ".join(line)[:76])
    return SampleDoc(
        "laporan",
        None,
        None,
        "KPU Kabupaten Bengkulu Tengah",
        None,
        (*head, *body)[: pages * LINES_PER_PAGE],
    )


# ---------------------------------------------------------------- rendering


def _font(size: int) -> ImageFont.FreeTypeFont:
    for directory in FONT_DIRS:
        path = directory / "DejaVuSerif.ttf"
        if path.exists():
            return ImageFont.truetype(str(path), size)
    raise FileNotFoundError("DejaVu fonts missing: apt-get install fonts-dejavu-core")


def render_page(
    lines: Sequence[str], *, seed: int = 0, skew: float = 0.4, rotate: int = 0, noise: bool = True
) -> Image.Image:
    """One A4 page at 300 dpi as a scanner would return it: grey, specks, a slight skew."""
    img = Image.new("L", A4_300DPI, 250)
    draw = ImageDraw.Draw(img)
    font = _font(42)
    for row, text in enumerate(lines):
        draw.text((210, 230 + row * 70), text, font=font, fill=20)
    if noise:
        rng = random.Random(seed)
        for _ in range(2500):
            x, y = rng.randrange(A4_300DPI[0]), rng.randrange(A4_300DPI[1])
            draw.point((x, y), fill=rng.choice((0, 90, 160)))
        img = img.filter(ImageFilter.GaussianBlur(0.5))
    if skew:
        img = img.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=250)
    if rotate:
        img = img.rotate(rotate, expand=True)
    return img


def _jpeg(img: Image.Image, quality: int = 80) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, dpi=(300, 300))
    return buf.getvalue()


def write_scanned_pdf(doc: SampleDoc, out: Path, seed: int = 0, rotate: int = 0) -> Path:
    """JPEG pages wrapped as-is, as office scanners produce; one page in memory at a time."""
    pages = (_jpeg(render_page(p, seed=seed + i, rotate=rotate)) for i, p in enumerate(doc.pages()))
    out.write_bytes(img2pdf.convert(list(pages)))
    return out


def write_image(doc: SampleDoc, out: Path, seed: int = 0, rotate: int = 0) -> Path:
    """PNG, JPEG or (all pages as frames) TIFF, chosen by the suffix of ``out``."""
    frames = [render_page(p, seed=seed + i, rotate=rotate) for i, p in enumerate(doc.pages())]
    suffix = out.suffix.lower()
    if suffix in (".tif", ".tiff"):
        frames[0].save(
            out, save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(300, 300)
        )
    elif suffix in (".jpg", ".jpeg"):
        out.write_bytes(_jpeg(frames[0]))
    else:
        frames[0].save(out, dpi=(300, 300))
    return out


def write_text_pdf(doc: SampleDoc, out: Path) -> Path:
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=10)
    for page in doc.pages():
        pdf.add_page()
        for text in page:
            pdf.cell(
                0,
                5.5,
                text.encode("latin-1", "replace").decode("latin-1"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    pdf.output(str(out))
    return out


def write_docx(doc: SampleDoc, out: Path) -> Path:
    document = docx.Document()
    for text in doc.lines:
        document.add_paragraph(text)
    document.save(str(out))
    return out


def write_txt(doc: SampleDoc, out: Path, encoding: str = "utf-8") -> Path:
    out.write_bytes("\n".join(doc.lines).encode(encoding))
    return out


# ---------------------------------------------------------------- bad inputs


def write_encrypted_pdf(doc: SampleDoc, out: Path, password: str = "rahasia") -> Path:
    plain = write_text_pdf(doc, out.with_suffix(".plain.tmp"))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    with out.open("wb") as fh:
        writer.write(fh)
    plain.unlink()
    return out


def write_truncated_pdf(doc: SampleDoc, out: Path) -> Path:
    whole = write_text_pdf(doc, out.with_suffix(".whole.tmp"))
    data = whole.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    whole.unlink()
    return out


def write_png_bomb(out: Path, side: int = 60_000) -> Path:
    """A tiny PNG that claims side x side pixels: decoding it would need gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + b"\x00" * (side // 8)
    idat = zlib.compress(row * 64, 9)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    out.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return out


def write_zip(out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("dokumen.txt", "isi arsip")
    return out


def write_random(out: Path, size: int = 4096, seed: int = 3) -> Path:
    out.write_bytes(random.Random(seed).randbytes(size))
    return out


def write_executable_as_pdf(out: Path) -> Path:
    shutil.copyfile(shutil.which("true") or "/bin/true", out)
    return out


# ---------------------------------------------------------------- inboxes


def demo_inbox(inbox: Path) -> dict[str, SampleDoc | None]:
    """The README demo: one of each accepted kind and one bad file. Returns name -> sample."""
    inbox.mkdir(parents=True, exist_ok=True)
    long_kep = keputusan()
    two_pages = SampleDoc(
        long_kep.doc_type,
        long_kep.number,
        long_kep.date,
        long_kep.unit,
        long_kep.title,
        long_kep.lines + ("",) * 30 + BODY,
    )
    made: dict[str, SampleDoc | None] = {
        "keputusan-dpt-scan.pdf": two_pages,
        "surat-undangan.png": surat(),
        "berita-acara-rekap.jpg": berita_acara(),
        "formulir-permohonan.tiff": formulir_with_nik(),
        "sop-dik.pdf": sop(),
        "notulen-rapat.docx": notulen(),
        "catatan-notulen.txt": notulen(),
        "rusak.pdf": None,
    }
    write_scanned_pdf(two_pages, inbox / "keputusan-dpt-scan.pdf")
    write_image(surat(), inbox / "surat-undangan.png", seed=11)
    write_image(berita_acara(), inbox / "berita-acara-rekap.jpg", seed=12)
    write_image(formulir_with_nik(), inbox / "formulir-permohonan.tiff", seed=13)
    write_text_pdf(sop(), inbox / "sop-dik.pdf")
    write_docx(notulen(), inbox / "notulen-rapat.docx")
    write_txt(notulen(), inbox / "catatan-notulen.txt", encoding="cp1252")
    write_truncated_pdf(sop(), inbox / "rusak.pdf")
    return made


def hostile_files(inbox: Path) -> dict[str, str]:
    """Every kind of bad input, mapped to the quarantine reason code it must get."""
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "kosong.pdf").write_bytes(b"")
    write_truncated_pdf(keputusan(), inbox / "terpotong.pdf")
    write_encrypted_pdf(surat(), inbox / "terkunci.pdf")
    write_random(inbox / "acak.bin")
    write_executable_as_pdf(inbox / "program.pdf")
    write_png_bomb(inbox / "bom.png")
    write_zip(inbox / "arsip.zip")
    return {
        "kosong.pdf": "empty",
        "terpotong.pdf": "corrupt",
        "terkunci.pdf": "encrypted",
        "acak.bin": "unsupported_type",
        "program.pdf": "unsupported_type",
        "bom.png": "image_too_large",
        "arsip.zip": "unsupported_type",
    }


def copy_tree(files: Iterable[Path], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, dest / f.name)
