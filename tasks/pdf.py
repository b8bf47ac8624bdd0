"""PDF structure through pikepdf (qpdf): whether a file is a whole, readable PDF within
limits, a page's geometry (media box, /Rotate, user unit, the matrix its one image is
drawn with), and OCR text layers laid over the pages.

The only module that imports pikepdf. qpdf streams page content on save, so overlaying
a 100-page scan costs a few MB of memory. poppler's tools (text layers, embedded scan
images, rendering) are :mod:`tasks.poppler`; images wrapped in a PDF,
:mod:`tasks.image_pdf`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pikepdf

from tasks.errors import Rejected
from tasks.geometry import IDENTITY, Matrix, is_upright, multiply, unit_to_page
from tasks.limits import check_pixels

_EOF_WINDOW = 2048
_SIZE_TOLERANCE = 0.02  # an embedded scan within 2 % of the page size covers the page
Placement = Literal["image", "page"]


@dataclass(frozen=True)
class PdfInfo:
    pages: int


@dataclass(frozen=True)
class PageBox:
    """A page's media box in points (user units applied) and its display rotation."""

    box: tuple[float, float, float, float]
    rotate: int
    user_unit: float

    def render_size(self, dpi: float) -> tuple[int, int]:
        x0, y0, x1, y1 = self.box
        w, h = (math.ceil(abs(v) * self.user_unit / 72 * dpi) for v in (x1 - x0, y1 - y0))
        return (h, w) if self.rotate % 180 else (w, h)


@dataclass(frozen=True)
class TextLayer:
    """An OCR text-only page and where it goes: ``to_image`` maps it onto the unit square
    of the picture Tesseract read, which is the page's one image as stored ("image") or
    the page as rendered, after /Rotate ("page")."""

    path: Path
    to_image: Matrix = IDENTITY
    placement: Placement = "page"


def read_pdf_info(path: Path, max_pages: int, max_pixels: int | None = None) -> PdfInfo:
    """Open the PDF far enough to know it is whole, readable, not too long, and that no
    image in it is a decompression bomb (sizes read from the image dictionaries)."""
    if not _has_eof_marker(path):
        raise Rejected("corrupt", "PDF is truncated (no %%EOF marker): the copy is incomplete")
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
            if max_pixels is not None and pages <= max_pages:
                _check_images(pdf, max_pixels)
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


def _check_images(pdf: pikepdf.Pdf, max_pixels: int) -> None:
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for xobj in _xobjects(page.obj.get("/Resources"), seen):
            if xobj.get("/Subtype") == pikepdf.Name.Image:
                width, height = xobj.get("/Width"), xobj.get("/Height")
                if not (isinstance(width, int) and isinstance(height, int)):
                    raise Rejected("corrupt", f"page {number}: an image has no valid size")
                check_pixels(width, height, max_pixels, f"an image on page {number}")


def _xobjects(resources: object, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Object]:
    """Every XObject reachable from ``resources``, forms followed, each object once."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    for _name, xobj in xobjects.items():
        if not isinstance(xobj, pikepdf.Stream) or xobj.objgen in seen:
            continue
        if xobj.objgen != (0, 0):
            seen.add(xobj.objgen)
        yield xobj
        if xobj.get("/Subtype") == pikepdf.Name.Form:
            yield from _xobjects(xobj.get("/Resources"), seen)


def _has_eof_marker(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - _EOF_WINDOW))
        return b"%%EOF" in fh.read()


def page_box(path: Path, page: int) -> PageBox:
    """Media box, rotation and user unit of one page (inherited values included)."""
    try:
        with pikepdf.open(path) as pdf:
            if not 1 <= page <= len(pdf.pages):
                raise Rejected("corrupt", f"page {page} does not exist")
            p = pdf.pages[page - 1]
            unit = p.obj.get("/UserUnit", 1)
            box = tuple(float(v) for v in p.mediabox)
            return PageBox((box[0], box[1], box[2], box[3]), int(p.rotation), float(unit))
    except (pikepdf.PdfError, ValueError, TypeError, IndexError) as exc:
        raise Rejected("corrupt", f"page {page} has no usable page box: {exc}") from exc


def pages_drawn_upright(path: Path, pages: Iterable[int]) -> set[int]:
    """Those of ``pages`` whose one image covers the page (within 2 %) drawn upright: its
    matrix neither rotates, mirrors nor skews it, and the page has no /Rotate."""
    with pikepdf.open(path) as pdf:
        return {n for n in pages if _drawn_upright(pdf.pages[n - 1])}


def _drawn_upright(page: pikepdf.Page) -> bool:
    matrix = image_matrix(page)
    if matrix is None or not is_upright(matrix) or int(page.rotation) % 360:
        return False
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    a, _, _, d, e, f = matrix
    return all(
        abs(got - want) <= max(abs(x1 - x0), abs(y1 - y0)) * _SIZE_TOLERANCE
        for got, want in ((e, x0), (f, y0), (e + a, x1), (f + d, y1))
    )


def image_matrix(page: pikepdf.Page) -> Matrix | None:
    """The matrix the page's one image is drawn with (image unit square -> user space),
    read from the page's own content stream; None unless exactly one image is drawn."""
    ctm: Matrix = IDENTITY
    stack: list[Matrix] = []
    found: list[Matrix] = []
    resources = page.obj.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    for instruction in pikepdf.parse_content_stream(page, "q Q cm Do"):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        op, operands = str(instruction.operator), instruction.operands
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm" and len(operands) == 6:
            a, b, c, d, e, f = (float(v) for v in operands)
            ctm = multiply((a, b, c, d, e, f), ctm)
        elif op == "Do" and operands and isinstance(xobjects, pikepdf.Dictionary):
            xobj = xobjects.get(str(operands[0]))
            if xobj is not None and xobj.get("/Subtype") == pikepdf.Name.Image:
                found.append(ctm)
    return found[0] if len(found) == 1 else None


def overlay_text_layers(base: Path, layers: Sequence[TextLayer | Path | None], out: Path) -> None:
    """Put each OCR text-only page over the matching base page.

    A :class:`TextLayer` is placed with the page's own geometry (the image's matrix, or
    the media box and /Rotate), so the invisible words sit on the words in the picture
    however the page turns it; a bare path is stretched over the media box. The base page
    keeps its original image: the result is as sharp and about as small as the scan.
    """
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(base))
        if len(pdf.pages) != len(layers):
            raise ValueError(f"{len(layers)} text layers for {len(pdf.pages)} pages")
        for page, layer in zip(pdf.pages, layers, strict=True):
            if layer is None:
                continue
            # Sources must stay open until save: qpdf copies foreign objects lazily.
            path = layer.path if isinstance(layer, TextLayer) else layer
            source = stack.enter_context(pikepdf.open(path))
            if isinstance(layer, TextLayer):
                _place(pdf, page, source.pages[0], layer)
            else:
                page.add_overlay(source.pages[0], pikepdf.Rectangle(*page.mediabox))
        pdf.save(out)


def _place(pdf: pikepdf.Pdf, page: pikepdf.Page, text: pikepdf.Page, layer: TextLayer) -> None:
    onto = image_matrix(page) if layer.placement == "image" else None
    if onto is None:
        box = tuple(float(v) for v in page.mediabox)
        onto = unit_to_page((box[0], box[1], box[2], box[3]), int(page.rotation))
    m = multiply(layer.to_image, onto)  # layer points -> picture unit square -> user space
    _drop_invisible_text(pdf, page)
    form = pdf.copy_foreign(text.as_form_xobject())
    name = page.add_resource(form, pikepdf.Name.XObject, prefix="OcrText")
    # Wrap the page's own content so its graphics state cannot leak into ours.
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(f"\nQ\nq {' '.join(f'{v:.6f}' for v in m)} cm {name} Do Q\n".encode())


def _drop_invisible_text(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Remove text drawn invisibly (render mode 3) from a page that gets our layer: an
    earlier OCR layer, not trusted or not enough, would answer searches with its junk.
    Visible text is kept whatever it says."""
    kept: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    block: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    mode, saved, in_text, visible, dropped = 0, [0], False, False, False
    for ins in pikepdf.parse_content_stream(page):
        op = str(ins.operator) if isinstance(ins, pikepdf.ContentStreamInstruction) else ""
        if op == "q":
            saved.append(mode)
        elif op == "Q" and len(saved) > 1:
            mode = saved.pop()
        elif op == "Tr" and isinstance(ins, pikepdf.ContentStreamInstruction):
            mode = int(ins.operands[0])
        in_text = in_text or op == "BT"
        if not in_text:
            kept.append(ins)
            continue
        block.append(ins)
        visible = visible or (op in ("Tj", "TJ", "'", '"') and mode != 3)
        if op == "ET":
            kept.extend(block if visible else ())
            dropped = dropped or not visible
            block, in_text, visible = [], False, False
    if dropped:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
