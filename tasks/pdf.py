"""PDF handling: pikepdf (qpdf) for structure and overlays, poppler's command-line tools
for text layers and embedded scan images, img2pdf to wrap images.

The only module that imports pikepdf or img2pdf or calls ``pdftotext``/``pdfimages``/
``pdfinfo``. qpdf streams page content on save, so overlaying a 100-page scan costs a few
MB of memory where pypdf held the whole file (~2.5x its size) in Python objects.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

from tasks.errors import Rejected, ToolMissing

_EOF_WINDOW = 2048
_SIZE_TOLERANCE = 0.02  # an embedded scan within 2 % of the page size covers the page


@dataclass(frozen=True)
class PdfInfo:
    pages: int


@dataclass(frozen=True)
class PageImage:
    """The one image that makes up a scanned page, as ``pdfimages -list`` describes it."""

    page: int
    width: int
    height: int
    ppi: int
    encoding: str


def read_pdf_info(path: Path, max_pages: int) -> PdfInfo:
    """Open the PDF far enough to know it is whole, readable and not too long."""
    if not _has_eof_marker(path):
        raise Rejected("corrupt", "PDF is truncated (no %%EOF marker): the copy is incomplete")
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise Rejected(
            "encrypted", "PDF is password-protected; ask the sender for an unlocked copy"
        ) from exc
    except (pikepdf.PdfError, ValueError, OSError) as exc:
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


def _poppler(tool: str, args: Sequence[str], timeout_s: float = 120.0) -> str:
    exe = shutil.which(tool)
    if exe is None:
        raise ToolMissing(f"{tool} (poppler-utils) is not installed")
    proc = subprocess.run([exe, *args], capture_output=True, timeout=timeout_s, check=False)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()[:300]
        raise Rejected("corrupt", f"{tool} failed: {detail}")
    return proc.stdout.decode("utf-8", "replace")


def page_texts(path: Path) -> list[str]:
    """Text layer of every page (``pdftotext -layout``: exact and ~1 ms a page)."""
    pages = _poppler("pdftotext", ["-layout", "-enc", "UTF-8", str(path), "-"]).split("\f")
    # pdftotext ends every page with a form feed, so the last split item is empty.
    return pages[:-1] if pages and pages[-1] == "" else pages


def single_image_pages(path: Path) -> dict[int, PageImage]:
    """Pages that are nothing but one upright, full-page scan image.

    Their image can be handed to Tesseract as it is (``extract_page_image``): no
    re-rendering, and exactly the pixels the scanner produced.
    """
    images: dict[int, list[PageImage]] = {}
    for line in _poppler("pdfimages", ["-list", str(path)]).splitlines()[2:]:
        cols = line.split()
        if len(cols) >= 14 and cols[2] == "image" and cols[12] == cols[13]:
            img = PageImage(int(cols[0]), int(cols[3]), int(cols[4]), int(cols[12]), cols[8])
            images.setdefault(img.page, []).append(img)
        elif len(cols) >= 3 and cols[0].isdigit():
            images.setdefault(int(cols[0]), []).append(PageImage(0, 0, 0, 0, "other"))
    sizes = _page_sizes(path)
    return {
        page: found[0]
        for page, found in images.items()
        if len(found) == 1 and found[0].ppi > 0 and _covers(found[0], sizes.get(page))
    }


def _page_sizes(path: Path) -> dict[int, tuple[float, float]]:
    """Upright page sizes in points; rotated pages are left out (rasterize those)."""
    out = _poppler("pdfinfo", ["-f", "1", "-l", "1000000", str(path)])
    sizes = {
        int(m[1]): (float(m[2]), float(m[3]))
        for m in re.finditer(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", out, re.M)
    }
    for m in re.finditer(r"^Page\s+(\d+) rot:\s+(\d+)", out, re.M):
        if int(m[2]) % 360:
            sizes.pop(int(m[1]), None)
    return sizes


def _covers(img: PageImage, size: tuple[float, float] | None) -> bool:
    if size is None:
        return False
    width_pt, height_pt = img.width / img.ppi * 72, img.height / img.ppi * 72
    return (
        abs(width_pt - size[0]) <= size[0] * _SIZE_TOLERANCE
        and abs(height_pt - size[1]) <= size[1] * _SIZE_TOLERANCE
    )


def extract_page_image(path: Path, page: int, workdir: Path) -> Path:
    """The page's scan image as stored (JPEG stays JPEG; others become PNM, fast to write)."""
    prefix = workdir / f"embedded-{page:04d}"
    _poppler("pdfimages", ["-j", "-f", str(page), "-l", str(page), str(path), str(prefix)])
    found = sorted(workdir.glob(f"{prefix.name}-*"))
    if len(found) != 1:
        raise Rejected("corrupt", f"page {page}: expected one embedded image, got {len(found)}")
    return found[0]


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
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", img.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    buf = io.BytesIO()
    flat.save(buf, format="PNG")
    return buf.getvalue()


def overlay_text_layers(base: Path, layers: Sequence[Path | None], out: Path) -> None:
    """Put each OCR text-only page over the matching base page, scaled to fit.

    The base page keeps its original image, so the searchable PDF is as sharp and
    about as small as the scan it came from (OCRmyPDF's "sandwich" idea).
    """
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(base))
        if len(pdf.pages) != len(layers):
            raise ValueError(f"{len(layers)} text layers for {len(pdf.pages)} pages")
        for page, layer in zip(pdf.pages, layers, strict=True):
            if layer is not None:
                # Sources must stay open until save: qpdf copies foreign objects lazily.
                text = stack.enter_context(pikepdf.open(layer))
                page.add_overlay(text.pages[0], pikepdf.Rectangle(*page.mediabox))
        pdf.save(out)
