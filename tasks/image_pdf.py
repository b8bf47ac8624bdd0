"""Scan images wrapped in a PDF with img2pdf, without re-encoding where possible.

The only module that imports img2pdf: a scan that arrives as an image file gets a PDF
around it here, over whose pages :mod:`tasks.pdf` lays the OCR text layer.
"""

from __future__ import annotations

import io
from pathlib import Path

import img2pdf
from PIL import Image

from tasks.errors import Rejected


def images_to_pdf(image: Path, out: Path, dpi: int | None = None) -> None:
    """Wrap scan images (all TIFF frames) in a PDF, without re-encoding where possible.

    ``dpi`` sets the page size for images that carry no resolution of their own (img2pdf
    would take 96 dpi and make an A4 scan a 26 x 34 inch page).
    """
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi)) if dpi else img2pdf.default_layout_fun
    # An EXIF orientation is honoured for JPEG (phone photos carry it in the header);
    # reading it from a PNG makes img2pdf decode the whole image (~35 ms a page), and the
    # OCR reads a PNG's pixels as stored.
    with image.open("rb") as fh:
        is_png = fh.read(8) == b"\x89PNG\r\n\x1a\n"
    rotation = img2pdf.Rotation.none if is_png else img2pdf.Rotation.ifvalid
    try:
        data = img2pdf.convert(str(image), rotation=rotation, layout_fun=layout)
    except img2pdf.AlphaChannelError:
        # A PDF image cannot carry PNG transparency: flatten onto white first.
        data = img2pdf.convert(_flatten_alpha(image), layout_fun=layout)
    except Exception as exc:  # img2pdf raises plain exceptions for odd modes
        raise Rejected("corrupt", f"image cannot be wrapped in PDF: {exc}") from exc
    out.write_bytes(data)


def _flatten_alpha(image: Path) -> bytes:
    with Image.open(image) as img:
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", img.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    buf = io.BytesIO()
    flat.save(buf, format="PNG", dpi=img.info.get("dpi", (72, 72)))
    return buf.getvalue()
