"""Text extraction: text layer, DOCX, plain text; OCR only for pages whose text layer is
missing or does not read.

Decides per page whether OCR is needed, so a born-digital PDF with one scanned annex
page costs one page of OCR, not the whole document. A text layer is trusted only when it
reads as words (:mod:`tasks.quality`): a scan carrying a gibberish OCR layer is OCRed
again, and the better of the two readings is kept.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import docx
from charset_normalizer import from_path

from tasks.detect import Detected
from tasks.errors import Rejected
from tasks.image_pdf import images_to_pdf
from tasks.ocr import OcrOptions, ocr_document
from tasks.ocr_reading import PageOcr
from tasks.pdf import TextLayer, overlay_text_layers
from tasks.poppler import page_texts
from tasks.quality import PageQuality, assess_text

TextSource = Literal["text_layer", "ocr", "mixed", "docx", "plain"]
PAGE_BREAK = "\f"


@dataclass(frozen=True)
class PageText:
    page: int
    text: str
    ocr: PageOcr | None = None  # set when the text came from OCR
    layer_quality: PageQuality | None = None  # set when a PDF text layer was judged

    @property
    def quality(self) -> PageQuality | None:
        return self.ocr.quality if self.ocr is not None else self.layer_quality

    @property
    def reads_badly(self) -> bool:
        return self.quality is not None and self.quality.reads_badly


@dataclass(frozen=True)
class Extraction:
    pages: tuple[PageText, ...]
    text_source: TextSource

    @property
    def text(self) -> str:
        return PAGE_BREAK.join(p.text for p in self.pages)

    @property
    def review_pages(self) -> tuple[int, ...]:
        """Pages whose text does not read: a person should look at them."""
        return tuple(p.page for p in self.pages if p.reads_badly)

    @property
    def page_problems(self) -> dict[str, list[str]]:
        """What is wrong with each page that reads badly (JSON-ready: "3": ["not_words"])."""
        return {
            str(p.page): list(p.quality.problems) for p in self.pages if p.quality and p.reads_badly
        }

    @property
    def assumed_dpi_pages(self) -> tuple[int, ...]:
        return tuple(p.page for p in self.ocr_pages if p.dpi_assumed)

    @property
    def ocr_pages(self) -> tuple[PageOcr, ...]:
        return tuple(p.ocr for p in self.pages if p.ocr is not None)

    @property
    def ocr_confidence(self) -> float | None:
        """Word-weighted mean confidence over OCRed pages (None when nothing was OCRed)."""
        pages = self.ocr_pages
        if not pages:
            return None
        words = sum(p.words for p in pages)
        if words == 0:
            return 0.0
        return round(sum(p.confidence * p.words for p in pages) / words, 2)


def extract(
    detected: Detected,
    options: OcrOptions,
    cache_dir: Path,
    executor: Executor,
    min_page_chars: int,
    layer: Sequence[str] | None = None,
) -> Extraction:
    """The document's text, page by page; ``layer`` is its :func:`text_layer` when the run
    has read it already (to choose the pages it OCRs ahead)."""
    if detected.kind == "txt":
        return Extraction((PageText(1, read_plain(detected.path)),), "plain")
    if detected.kind == "docx":
        return Extraction((PageText(1, read_docx(detected.path)),), "docx")
    if layer is None:
        layer = text_layer(detected)
    judged = _judged(layer, min_page_chars)
    missing = _unreadable(judged)
    ocred = ocr_document(detected.path, detected.kind, missing, options, cache_dir, executor)
    by_page = {o.page: o for o in ocred}
    pages = tuple(
        _choose(n, text, judged[n - 1], by_page.get(n)) for n, text in enumerate(layer, start=1)
    )
    return Extraction(pages, _source(pages))


def pages_to_ocr(layer: Sequence[str], min_page_chars: int) -> list[int]:
    """The pages :func:`extract` OCRs, given the file's :func:`text_layer`: every page of a
    picture, and a PDF's pages whose layer is missing or reads badly (so a run can read
    them ahead, in shared runs)."""
    return _unreadable(_judged(layer, min_page_chars))


def text_layer(detected: Detected) -> list[str]:
    """A PDF's text layer, a string per page; a picture's pages have none."""
    return _pdf_text(detected) if detected.kind == "pdf" else [""] * detected.pages


def _judged(layer: Sequence[str], min_page_chars: int) -> list[PageQuality | None]:
    return [assess_text(t) if len(t.strip()) >= min_page_chars else None for t in layer]


def _unreadable(judged: Sequence[PageQuality | None]) -> list[int]:
    return [n for n, q in enumerate(judged, start=1) if q is None or q.reads_badly]


def _choose(page: int, layer: str, judged: PageQuality | None, ocr: PageOcr | None) -> PageText:
    """OCR where there was no usable layer; a doubtful layer only if OCR reads worse."""
    if ocr is None:
        return PageText(page, layer, None, judged)
    if judged is not None and not ocr.quality.better_than(judged):
        return PageText(page, layer, None, judged)
    return PageText(page, ocr.text, ocr, judged)


def _source(pages: Sequence[PageText]) -> TextSource:
    kinds = {"ocr" if p.ocr else "text_layer" for p in pages if p.text.strip()}
    if len(kinds) > 1:
        return "mixed"
    if kinds == {"text_layer"} or not any(p.ocr for p in pages):
        return "text_layer"
    return "ocr"


def _pdf_text(detected: Detected) -> list[str]:
    texts = page_texts(detected.path)
    # pdftotext can disagree with the page tree on damaged files; trust the page count.
    return (texts + [""] * detected.pages)[: detected.pages]


def read_plain(path: Path) -> str:
    best = from_path(path).best()
    if best is None:
        raise Rejected("corrupt", "text file encoding cannot be determined")
    return str(best).replace("\r\n", "\n")


def read_docx(path: Path) -> str:
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Rejected("corrupt", f"DOCX cannot be read: {exc}") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def build_searchable_pdf(detected: Detected, extraction: Extraction, out: Path) -> bool:
    """Write scan + invisible OCR text as one PDF; False when there was nothing to OCR."""
    if not extraction.ocr_pages:
        return False
    layers: Sequence[TextLayer | None] = [
        p.ocr.text_layer if p.ocr else None for p in extraction.pages
    ]
    if detected.kind == "pdf":
        overlay_text_layers(detected.path, layers, out)
        return True
    base = out.with_name(out.name + ".base.pdf")
    # Pages as large as the resolution Tesseract was told: the image's own, else the default.
    assumed = [p.dpi for p in extraction.ocr_pages if p.dpi_assumed]
    try:
        images_to_pdf(detected.path, base, dpi=assumed[0] if assumed else None)
        overlay_text_layers(base, layers, out)
    finally:
        base.unlink(missing_ok=True)
    return True
