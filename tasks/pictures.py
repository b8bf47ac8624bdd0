"""The picture of one page that Tesseract reads, and how it relates to the page.

A scanned PDF page that is one upright full-page image gives that image as stored
(~10x cheaper than rendering it, and exactly what the scanner saw); other PDF pages are
rendered at the OCR resolution after the shared size check; image files are read as
they are, TIFF frames written out as uncompressed TIFF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from tasks.limits import DEFAULT_MAX_PIXELS, check_pixels
from tasks.pdf import Placement
from tasks.poppler import PageImage, extract_page_image, render_page


@dataclass(frozen=True)
class Picture:
    """What Tesseract reads for one page, and how it relates to the page."""

    path: Path
    dpi: int
    dpi_assumed: bool  # the image carried no usable resolution
    placement: Placement


def page_picture(
    source: Path,
    kind: str,
    page: int,
    dpi: int,
    workdir: Path,
    embedded: PageImage | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> Picture:
    """A file Tesseract can read for one page, its pixels checked before decoding."""
    if kind == "pdf":
        if embedded is not None:
            check_pixels(embedded.width, embedded.height, max_pixels, f"page {page}")
            path = extract_page_image(source, page, workdir)
            return Picture(path, embedded.ppi, False, "image")
        path = render_page(source, page, workdir / f"page-{page:04d}", max_pixels, dpi=dpi)
        return Picture(path, dpi, False, "page")
    with Image.open(source) as img:
        img.seek(page - 1)
        check_pixels(img.width, img.height, max_pixels, f"image frame {page}")
        own, assumed = image_dpi(img, dpi)
        if getattr(img, "n_frames", 1) == 1 and kind in ("png", "jpeg"):
            return Picture(source, own, assumed, "image")
        frame = workdir / f"frame-{page:04d}.tif"
        # Uncompressed TIFF costs milliseconds to write (PNG would cost seconds) and to
        # read in Tesseract (PNM ~260 ms: Leptonica reads it byte by byte).
        img.convert("L" if img.mode in ("1", "L", "I;16") else "RGB").save(frame, format="TIFF")
        return Picture(frame, own, assumed, "image")


def page_image(
    source: Path,
    kind: str,
    page: int,
    dpi: int,
    workdir: Path,
    embedded: PageImage | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> tuple[Path, int]:
    """The picture of one page and its resolution (for redaction, which draws on it)."""
    picture = page_picture(source, kind, page, dpi, workdir, embedded, max_pixels)
    return picture.path, picture.dpi


def rasterize_pdf_page(
    pdf: Path, page: int, dpi: int, workdir: Path, max_pixels: int = DEFAULT_MAX_PIXELS
) -> Path:
    return render_page(pdf, page, workdir / f"page-{page:04d}", max_pixels, dpi=dpi)


def image_dpi(img: Image.Image, default: int) -> tuple[int, bool]:
    """The image's own resolution, or ``default`` (and True) when it has none usable."""
    value = img.info.get("dpi")
    try:
        if value and 70 <= float(value[0]) <= 1200:
            return round(float(value[0])), False
    except (TypeError, ValueError):
        pass
    return default, True
