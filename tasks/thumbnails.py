"""Small PNG previews of one page of an archived PDF or image (for the web app).

PDF pages are rendered by poppler's ``pdftoppm`` one page at a time at the target width,
so a 300-page scan costs no more than its first page; images are scaled with Pillow. The
page's size at that scale is checked first (the shared render check): a 1 kB PDF with a
30 x 14,400 pt page would otherwise ask for a 320 x 153,600 pixel picture.
The result is written to a temporary name and renamed, so a half-written file is never
served from the cache.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from tasks.errors import Rejected, TaskError, Transient
from tasks.limits import MB, ChildLimits, check_pixels
from tasks.poppler import render_page

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"})
# Room for pages up to 1:40 at 320 px wide; far below what a decompression bomb asks.
MAX_THUMBNAIL_PIXELS = 4_000_000
# A preview of at most 4 megapixels needs pdftoppm's libraries and a 12 MB picture, and
# about a second of CPU; far less than an OCR render may take (tasks.limits defaults).
THUMBNAIL_LIMITS = ChildLimits(memory_bytes=768 * MB, cpu_seconds=20)
THUMBNAIL_TIMEOUT_S = 60.0


class NoThumbnail(TaskError):
    """The page does not exist or the file is not something a preview can be made of."""


def can_preview(source: Path) -> bool:
    suffix = source.suffix.lower()
    return suffix == ".pdf" or suffix in IMAGE_SUFFIXES


def render_thumbnail(source: Path, page: int, dest: Path, width: int = 320) -> Path:
    """Write page ``page`` (1-based) of ``source`` as a PNG ``width`` pixels wide to ``dest``."""
    if page < 1:
        raise NoThumbnail(f"page {page} does not exist")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".thumb-", suffix=".png", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if source.suffix.lower() == ".pdf":
            _render_pdf_page(source, page, tmp, width)
        elif source.suffix.lower() in IMAGE_SUFFIXES:
            _render_image_frame(source, page, tmp, width)
        else:
            raise NoThumbnail(f"no preview for {source.suffix} files")
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _render_pdf_page(source: Path, page: int, out: Path, width: int) -> None:
    try:
        rendered = render_page(
            source,
            page,
            out.with_suffix(""),
            MAX_THUMBNAIL_PIXELS,
            width=width,
            limits=THUMBNAIL_LIMITS,
            timeout_s=THUMBNAIL_TIMEOUT_S,
        )
    except (Rejected, Transient) as exc:
        raise NoThumbnail(f"page {page} cannot be previewed: {exc.args[0]}") from exc
    rendered.replace(out)


def _render_image_frame(source: Path, page: int, out: Path, width: int) -> None:
    try:
        with Image.open(source) as img:
            if page > getattr(img, "n_frames", 1):
                raise NoThumbnail(f"page {page} does not exist")
            img.seek(page - 1)
            check_pixels(img.width, img.height, MAX_THUMBNAIL_PIXELS * 100, f"frame {page}")
            # A JPEG is decoded at 1/2 to 1/8 scale when that still covers the preview:
            # a 120-megapixel scan then costs the web process ~30 MB, not ~360 MB.
            img.draft("RGB", (width, 1))
            frame = img.convert("RGB") if img.mode not in ("L", "RGB") else img.copy()
    except (UnidentifiedImageError, OSError, Rejected) as exc:
        raise NoThumbnail(f"image cannot be read: {exc}") from exc
    frame.thumbnail((width, width * 4))
    frame.save(out, format="PNG", optimize=True)
