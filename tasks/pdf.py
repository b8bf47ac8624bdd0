"""PDF handling: pikepdf (qpdf) for structure, geometry and overlays, poppler's
command-line tools for text layers, embedded scan images and rendering, img2pdf to wrap
images.

The only module that imports pikepdf or img2pdf or runs poppler (``pdftotext``,
``pdfimages``, ``pdfinfo``, ``pdftoppm``), every run under :mod:`tasks.limits`. qpdf
streams page content on save, so overlaying a 100-page scan costs a few MB of memory.
"""

from __future__ import annotations

import io
import math
import shutil
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import img2pdf
import pikepdf
from PIL import Image

from tasks.errors import Rejected, ToolMissing
from tasks.geometry import IDENTITY, Matrix, is_upright, multiply, unit_to_page
from tasks.limits import DEFAULT_LIMITS, ChildLimits, check_pixels, run_limited, stderr_text

_EOF_WINDOW = 2048
_SIZE_TOLERANCE = 0.02  # an embedded scan within 2 % of the page size covers the page
Placement = Literal["image", "page"]


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
    with pikepdf.open(path) as pdf:
        return {n: img for n, img in single.items() if _drawn_upright(pdf.pages[n - 1], img)}


def _drawn_upright(page: pikepdf.Page, img: PageImage) -> bool:
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


def extract_page_image(path: Path, page: int, workdir: Path) -> Path:
    """The page's scan image as stored (JPEG stays JPEG; others become PNM, fast to write)."""
    prefix = workdir / f"embedded-{page:04d}"
    _poppler("pdfimages", ["-j", "-f", str(page), "-l", str(page), str(path), str(prefix)])
    found = sorted(workdir.glob(f"{prefix.name}-*"))
    if len(found) != 1:
        raise Rejected("corrupt", f"page {page}: expected one embedded image, got {len(found)}")
    return found[0]


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
