"""Small PNG previews of one page of an archived PDF or image (for the web app).

PDF pages are rendered by poppler's ``pdftoppm`` one page at a time at the target width,
so a 300-page scan costs no more than its first page; images are scaled with Pillow.
The result is written to a temporary name and renamed, so a half-written file is never
served from the cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from tasks.errors import TaskError, ToolMissing

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"})
RENDER_TIMEOUT_SECONDS = 60


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
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise ToolMissing("pdftoppm (poppler-utils) is not installed")
    prefix = out.with_suffix("")
    cmd = [exe, "-q", "-f", str(page), "-l", str(page), "-singlefile", "-png"]
    cmd += ["-scale-to-x", str(width), "-scale-to-y", "-1", str(source), str(prefix)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=RENDER_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise NoThumbnail(f"pdftoppm took longer than {RENDER_TIMEOUT_SECONDS} s") from exc
    # pdftoppm exits 0 and writes nothing when the page is past the end.
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise NoThumbnail(f"page {page} could not be rendered: {done.stderr.decode()[-200:]}")


def _render_image_frame(source: Path, page: int, out: Path, width: int) -> None:
    try:
        with Image.open(source) as img:
            if page > getattr(img, "n_frames", 1):
                raise NoThumbnail(f"page {page} does not exist")
            img.seek(page - 1)
            frame = img.convert("RGB") if img.mode not in ("L", "RGB") else img.copy()
    except (UnidentifiedImageError, OSError) as exc:
        raise NoThumbnail(f"image cannot be read: {exc}") from exc
    frame.thumbnail((width, width * 4))
    frame.save(out, format="PNG", optimize=True)
