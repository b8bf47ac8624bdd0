"""PDF handling: pypdf for structure, poppler's ``pdftotext`` for text layers, img2pdf.

The only module that imports pypdf or img2pdf or calls ``pdftotext``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import img2pdf
from PIL import Image
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError, PyPdfError

from tasks.errors import Rejected, ToolMissing

_EOF_WINDOW = 2048


@dataclass(frozen=True)
class PdfInfo:
    pages: int


def read_pdf_info(path: Path, max_pages: int) -> PdfInfo:
    """Open the PDF far enough to know it is whole, readable and not too long."""
    if not _has_eof_marker(path):
        raise Rejected("corrupt", "PDF is truncated (no %%EOF marker): the copy is incomplete")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Rejected(
                "encrypted", "PDF is password-protected; ask the sender for an unlocked copy"
            )
        pages = len(reader.pages)
    except Rejected:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise Rejected("corrupt", f"PDF cannot be read: {exc}") from exc
    if pages == 0:
        raise Rejected("corrupt", "PDF has no pages")
    if pages > max_pages:
        raise Rejected("too_many_pages", f"PDF has {pages} pages; the limit is {max_pages}")
    return PdfInfo(pages=pages)


def _has_eof_marker(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - _EOF_WINDOW))
        return b"%%EOF" in fh.read()


def page_texts(path: Path, timeout_s: float = 120.0) -> list[str]:
    """Text layer of every page (``pdftotext -layout``: exact and ~1 ms a page)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ToolMissing("pdftotext (poppler-utils) is not installed")
    proc = subprocess.run(
        [exe, "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        timeout=timeout_s,
        check=False,
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()[:300]
        raise Rejected("corrupt", f"pdftotext failed: {detail}")
    pages = proc.stdout.decode("utf-8", "replace").split("\f")
    # pdftotext ends every page with a form feed, so the last split item is empty.
    return pages[:-1] if pages and pages[-1] == "" else pages


def images_to_pdf(image: Path, out: Path) -> None:
    """Wrap scan images (all TIFF frames) in a PDF, without re-encoding where possible."""
    try:
        data = img2pdf.convert(str(image), rotation=img2pdf.Rotation.ifvalid)
    except img2pdf.AlphaChannelError:
        # A PDF image cannot carry PNG transparency: flatten onto white first.
        data = img2pdf.convert(_flatten_alpha(image))
    except Exception as exc:  # img2pdf raises plain exceptions for odd modes
        raise Rejected("corrupt", f"image cannot be wrapped in PDF: {exc}") from exc
    out.write_bytes(data)


def _flatten_alpha(image: Path) -> bytes:
    with Image.open(image) as img:
        flat = Image.new("RGB", img.size, "white")
        flat.paste(img.convert("RGBA"), mask=img.convert("RGBA").getchannel("A"))
    buf = io.BytesIO()
    flat.save(buf, format="PNG")
    return buf.getvalue()


def overlay_text_layers(base: Path, layers: Sequence[Path | None], out: Path) -> None:
    """Put each OCR text-only page over the matching base page, scaled to fit.

    The base page keeps its original image, so the searchable PDF is as sharp and
    about as small as the scan it came from (OCRmyPDF's "sandwich" idea).
    """
    writer = PdfWriter(clone_from=PdfReader(base, strict=False))
    for page, layer in zip(writer.pages, layers, strict=True):
        if layer is None:
            continue
        if page.rotation:
            page.transfer_rotation_to_content()
        text_page = PdfReader(layer).pages[0]
        sx = float(page.mediabox.width) / float(text_page.mediabox.width)
        sy = float(page.mediabox.height) / float(text_page.mediabox.height)
        place = (
            Transformation()
            .scale(sx, sy)
            .translate(float(page.mediabox.left), float(page.mediabox.bottom))
        )
        page.merge_transformed_page(text_page, place)
    with out.open("wb") as fh:
        writer.write(fh)
