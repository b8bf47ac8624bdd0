"""Writing sample documents as files: scans (noisy, slightly skewed 300 dpi images), text
PDFs, DOCX, TXT, and the hostile files an inbox really receives."""

from __future__ import annotations

import io
import random
import shutil
import struct
import zipfile
import zlib
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import docx
import img2pdf
import pikepdf
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from flows.demo.documents import SampleDoc

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
A4_300DPI = (2480, 3508)

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
    return write_protected_pdf(doc, out, user=password, owner=password + "-owner")


def write_protected_pdf(doc: SampleDoc, out: Path, *, user: str, owner: str) -> Path:
    """A user password locks reading; an owner password alone only restricts editing."""
    plain = write_text_pdf(doc, out.with_suffix(".plain.tmp"))
    with pikepdf.open(plain) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user=user, owner=owner))
    plain.unlink()
    return out


def merge_pdfs(parts: Sequence[Path], out: Path) -> Path:
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.new())
        for part in parts:
            pdf.pages.extend(stack.enter_context(pikepdf.open(part)).pages)
        pdf.save(out)
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
