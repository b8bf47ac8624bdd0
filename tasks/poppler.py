"""poppler's command-line tools, every run under :mod:`tasks.limits`: ``pdftotext`` for
text layers, ``pdfimages`` for the scan image a page is made of, ``pdftoppm`` to render
a page after the shared size check.

The only module that runs poppler. What it needs of a page's structure (its size, how
its image is drawn) it asks :mod:`tasks.pdf`, which reads it with pikepdf.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tasks.errors import Rejected, ToolMissing
from tasks.limits import DEFAULT_LIMITS, ChildLimits, check_pixels, run_limited, stderr_text
from tasks.pdf import PageBox, page_box, pages_drawn_upright


@dataclass(frozen=True)
class PageImage:
    """The one image that makes up a scanned page, as ``pdfimages -list`` describes it."""

    page: int
    width: int
    height: int
    ppi: int
    encoding: str


def _poppler(
    tool: str,
    args: Sequence[str],
    timeout_s: float = 120.0,
    limits: ChildLimits = DEFAULT_LIMITS,
) -> str:
    exe = shutil.which(tool)
    if exe is None:
        raise ToolMissing(f"{tool} (poppler-utils) is not installed")
    proc = run_limited([exe, *args], timeout_s=timeout_s, what=tool, limits=limits)
    if proc.returncode != 0:
        raise Rejected("corrupt", f"{tool} failed: {stderr_text(proc)[:300]}")
    return proc.stdout.decode("utf-8", "replace")


def page_texts(path: Path) -> list[str]:
    """Text layer of every page (``pdftotext -layout``: exact and ~1 ms a page)."""
    pages = _poppler("pdftotext", ["-layout", "-enc", "UTF-8", str(path), "-"]).split("\f")
    # pdftotext ends every page with a form feed, so the last split item is empty.
    return pages[:-1] if pages and pages[-1] == "" else pages


def check_render(path: Path, page: int, dpi: float, max_pixels: int) -> PageBox:
    """The one check before any page is rendered (OCR, redaction, thumbnails): the page's
    size at ``dpi`` must stay within ``max_pixels`` (a 1 kB PDF can ask for gigapixels)."""
    box = page_box(path, page)
    width, height = box.render_size(dpi)
    check_pixels(width, height, max_pixels, f"page {page} rendered at {dpi:.0f} dpi")
    return box


def render_page(
    path: Path,
    page: int,
    out_prefix: Path,
    max_pixels: int,
    *,
    dpi: float | None = None,
    width: int | None = None,
    limits: ChildLimits = DEFAULT_LIMITS,
    timeout_s: float = 300,
) -> Path:
    """Render one page with ``pdftoppm``, after the shared size check: at ``dpi`` as grey
    PGM (OCR: no compression to pay for), or ``width`` pixels wide as PNG (previews).
    ``limits`` and ``timeout_s`` bound the child (previews ask for less than OCR)."""
    if width is not None:
        dpi = width * 72 / max(1, page_box(path, page).render_size(72)[0])
        args, fmt = ["-png", "-scale-to-x", str(width), "-scale-to-y", "-1"], "png"
    elif dpi is not None:
        args, fmt = ["-gray", "-r", f"{dpi:g}"], "pgm"
    else:
        raise ValueError("render_page needs dpi or width")
    check_render(path, page, dpi, max_pixels)
    args = ["-q", "-f", str(page), "-l", str(page), "-singlefile", *args]
    _poppler("pdftoppm", [*args, str(path), str(out_prefix)], timeout_s, limits)
    out = out_prefix.with_name(f"{out_prefix.name}.{fmt}")
    if not out.exists() or out.stat().st_size == 0:
        raise Rejected("corrupt", f"page {page} produced no image")
    return out


def single_image_pages(path: Path) -> dict[int, PageImage]:
    """Pages that are nothing but one full-page scan image, drawn upright.

    Their image can be handed to Tesseract as it is (``extract_page_image``): no
    re-rendering, and exactly the pixels the scanner produced. An image the page rotates,
    mirrors or skews (its matrix), or a page with /Rotate, is rendered instead, so that
    Tesseract reads what a person sees.
    """
    images: dict[int, list[PageImage]] = {}
    for line in _poppler("pdfimages", ["-list", str(path)]).splitlines()[2:]:
        cols = line.split()
        if len(cols) >= 14 and cols[2] == "image" and cols[12] == cols[13]:
            img = PageImage(int(cols[0]), int(cols[3]), int(cols[4]), int(cols[12]), cols[8])
            images.setdefault(img.page, []).append(img)
        elif len(cols) >= 3 and cols[0].isdigit():
            images.setdefault(int(cols[0]), []).append(PageImage(0, 0, 0, 0, "other"))
    single = {p: found[0] for p, found in images.items() if len(found) == 1 and found[0].ppi}
    if not single:
        return {}
    upright = pages_drawn_upright(path, single)
    return {n: img for n, img in single.items() if n in upright}


def extract_page_image(path: Path, page: int, workdir: Path) -> Path:
    """The page's scan image as stored (JPEG stays JPEG; others become PNM, fast to write)."""
    prefix = workdir / f"embedded-{page:04d}"
    _poppler("pdfimages", ["-j", "-f", str(page), "-l", str(page), str(path), str(prefix)])
    found = sorted(workdir.glob(f"{prefix.name}-*"))
    if len(found) != 1:
        raise Rejected("corrupt", f"page {page}: expected one embedded image, got {len(found)}")
    return found[0]
