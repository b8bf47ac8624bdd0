"""Redacted public copies: black out areas and ID numbers on page images, then build a
searchable PDF whose text layer comes from OCR of the blacked-out pixels.

The copy never inherits a text layer from the original: its text is what Tesseract reads
on the redacted image, so what is black in the picture cannot be in the text. Every page
is checked by that same OCR; a number still readable after a few passes fails loudly
(:class:`RedactionIncomplete`) rather than leaving a copy that leaks it.

A leaf of ``tasks``: Tesseract runs through :mod:`tasks.ocr_reading` (same options as
ingest), PDF overlays through :mod:`tasks.pdf`; fpdf2 only wraps the redacted images as
pages.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw

from tasks.errors import Rejected, TaskError
from tasks.ocr import OcrOptions
from tasks.ocr_reading import PageOcr, _recognise
from tasks.pdf import overlay_text_layers
from tasks.pictures import page_image
from tasks.poppler import single_image_pages

ID_LENGTH = 16  # NIK and Nomor KK
MAX_PASSES = 3
MAX_RUN_WORDS = 6  # "3201 2345 6789 0001" is four words; separators may add more
_OCR_DIGITS = str.maketrans("OoDIil|SsBZ", "00011115582")  # Tesseract's usual confusions
_SEPARATORS = re.compile(r"[.\-]")
_TRAILING_ID = re.compile(r"[0-9OoDIil|SsBZ]+$")
REDACTABLE_KINDS = frozenset({"pdf", "png", "jpeg", "tiff"})


class RedactionIncomplete(TaskError):
    """A number to be removed is still readable on the redacted page."""


@dataclass(frozen=True)
class Area:
    """A box on one page as fractions (0-1) of its width and height."""

    page: int
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class RedactionRequest:
    personal_numbers: bool = False  # every 16-digit NIK / KK number found
    numbers: tuple[str, ...] = ()  # these numbers (digits), wherever they are
    areas: tuple[Area, ...] = ()


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    line: tuple[int, int, int]  # block, paragraph, line


@dataclass(frozen=True)
class RedactedPage:
    page: int
    boxes: int
    passes: int
    confidence: float
    text: str


@dataclass(frozen=True)
class RedactionResult:
    pdf: Path
    pages: tuple[RedactedPage, ...]

    @property
    def text(self) -> str:
        return "\f".join(p.text for p in self.pages)

    @property
    def boxes(self) -> int:
        return sum(p.boxes for p in self.pages)


def read_words(tsv: Path) -> list[Word]:
    """Word boxes from Tesseract's TSV (level 5 rows), in reading order."""
    words = []
    with tsv.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = (row.get("text") or "").strip()
            if row.get("level") != "5" or not text:
                continue
            left, top = int(row["left"]), int(row["top"])
            box = Box(left, top, left + int(row["width"]), top + int(row["height"]))
            line = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            words.append(Word(text, box, line))
    return words


def _id_chars(text: str, first: bool) -> str | None:
    """The ID-number characters of one word; the first word of a run may carry a label
    glued to the number (``NIK:3201...``), so only its trailing run counts."""
    core = _SEPARATORS.sub("", text.strip(":;,()[]"))
    if core and _TRAILING_ID.fullmatch(core):
        return core
    if first and (m := _TRAILING_ID.search(core)) and len(m[0]) >= 4:
        return m[0]
    return None


def _matches(digits: str, targets: Sequence[str], personal: bool) -> bool:
    if personal and len(digits) == ID_LENGTH and sum(c.isdigit() for c in digits) >= 12:
        return True
    for target in targets:
        if target in digits:
            return True
        if (
            len(target) == len(digits)
            and sum(a != b for a, b in zip(target, digits, strict=True)) <= 2
        ):
            return True  # up to two misread digits still point at the same number
    return False


def number_boxes(words: Sequence[Word], targets: Sequence[str], personal: bool) -> list[Box]:
    """Boxes around every run of words on one line that reads as a number to remove."""
    longest = max([ID_LENGTH, *(len(t) for t in targets)])
    boxes = []
    for i, first in enumerate(words):
        acc = ""
        for j in range(i, min(i + MAX_RUN_WORDS, len(words))):
            part = _id_chars(words[j].text, first=j == i)
            if part is None or words[j].line != first.line:
                break
            acc += part.translate(_OCR_DIGITS)
            if len(acc) > longest + 2:
                break
            if _matches(acc, targets, personal):
                boxes.append(_union(w.box for w in words[i : j + 1]))
                break
    return boxes


def _union(boxes: Iterable[Box]) -> Box:
    items = list(boxes)
    return Box(
        min(b.left for b in items),
        min(b.top for b in items),
        max(b.right for b in items),
        max(b.bottom for b in items),
    )


def area_boxes(areas: Sequence[Area], page: int, size: tuple[int, int]) -> list[Box]:
    width, height = size
    return [
        Box(
            round(a.left * width),
            round(a.top * height),
            round((a.left + a.width) * width),
            round((a.top + a.height) * height),
        )
        for a in areas
        if a.page == page
    ]


def black_out(
    image: Path, words: Sequence[Box], areas: Sequence[Box], out: Path, dpi: int
) -> tuple[int, int]:
    """Solid black boxes: word boxes padded so no stroke of a glyph peeks out, areas
    exactly as the PPID drew them. Returns the image size."""
    with Image.open(image) as src:
        img = src.convert("RGB" if src.mode in ("RGB", "RGBA", "P", "CMYK") else "L")
    draw = ImageDraw.Draw(img)
    for box in words:
        pad = max(4, (box.bottom - box.top) // 4)
        draw.rectangle((box.left - pad, box.top - pad, box.right + pad, box.bottom + pad), fill=0)
    for box in areas:
        draw.rectangle((box.left, box.top, box.right, box.bottom), fill=0)
    # Lossless (a JPEG's ringing could leave faint traces) and fast (compress level 1).
    img.save(out, format="PNG", dpi=(dpi, dpi), compress_level=1)
    return img.size


def _ocr(
    image: Path, dpi: int, options: OcrOptions, workdir: Path, page: int
) -> tuple[PageOcr, list[Word]]:
    """OCR as ingest does it (retry with orientation detection on low confidence), plus
    the word boxes of the pass that won."""
    workdir.mkdir(parents=True)
    result = _recognise(image, dpi, options, workdir, page)
    tsv = workdir / ("psm-osd.tsv" if result.rotated else "psm-main.tsv")
    return result, read_words(tsv)


def redact_page(
    image: Path, dpi: int, page: int, request: RedactionRequest, options: OcrOptions, workdir: Path
) -> tuple[Path, PageOcr, RedactedPage]:
    """Black out, re-read, repeat while the OCR still finds something to remove."""
    _, words = _ocr(image, dpi, options, workdir / "source", page)
    with Image.open(image) as img:
        areas = area_boxes(request.areas, page, img.size)
    boxes = number_boxes(words, request.numbers, request.personal_numbers)
    out = workdir / f"redacted-{page:04d}.png"
    for attempt in range(1, MAX_PASSES + 1):
        black_out(image, boxes, areas, out, dpi)
        result, words = _ocr(out, dpi, options, workdir / f"pass-{attempt}", page)
        left = number_boxes(words, request.numbers, request.personal_numbers)
        if not left:
            count = len(boxes) + len(areas)
            return out, result, RedactedPage(page, count, attempt, result.confidence, result.text)
        boxes += left
    raise RedactionIncomplete(
        f"page {page}: a number to be removed is still readable after {MAX_PASSES} passes; "
        "mark its area by hand in the redaction spec"
    )


def images_pdf(pages: Sequence[tuple[Path, int]], out: Path) -> None:
    """One PDF page per image, sized from the image's pixels and resolution."""
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    for image, dpi in pages:
        with Image.open(image) as img:
            width, height = (v * 72 / dpi for v in img.size)
        pdf.add_page(format=(width, height))
        pdf.image(str(image), x=0, y=0, w=width, h=height)
    pdf.output(str(out))


def redact_document(
    source: Path,
    kind: str,
    pages: int,
    request: RedactionRequest,
    options: OcrOptions,
    out: Path,
) -> RedactionResult:
    """Write the redacted, searchable copy of ``source`` to ``out``."""
    if kind not in REDACTABLE_KINDS:
        raise Rejected("unsupported_type", f"only PDF and images can be redacted, not {kind}")
    embedded = single_image_pages(source) if kind == "pdf" else {}
    done: list[tuple[Path, int]] = []
    layers: list[Path | None] = []
    infos: list[RedactedPage] = []
    with tempfile.TemporaryDirectory(prefix="arsip-redact-") as tmp:
        for page in range(1, pages + 1):
            workdir = Path(tmp) / f"page-{page:04d}"
            workdir.mkdir()
            image, dpi = page_image(
                source, kind, page, options.dpi, workdir, embedded.get(page), options.max_pixels
            )
            redacted, result, info = redact_page(image, dpi, page, request, options, workdir)
            done.append((redacted, dpi))
            layers.append(result.layer)
            infos.append(info)
        base = Path(tmp) / "images.pdf"
        images_pdf(done, base)
        overlay_text_layers(base, layers, out)
    return RedactionResult(out, tuple(infos))
