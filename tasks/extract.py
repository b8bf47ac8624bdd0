"""Text extraction: text layer, DOCX, plain text; OCR only for pages that have no text.

Decides per page whether OCR is needed, so a born-digital PDF with one scanned annex
page costs one page of OCR, not the whole document.
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
from tasks.ocr import OcrOptions, PageOcr, ocr_document
from tasks.pdf import images_to_pdf, overlay_text_layers, page_texts

TextSource = Literal["text_layer", "ocr", "docx", "plain"]
PAGE_BREAK = "\f"


@dataclass(frozen=True)
class PageText:
    page: int
    text: str
    ocr: PageOcr | None = None  # set when the text came from OCR


@dataclass(frozen=True)
class Extraction:
    pages: tuple[PageText, ...]
    text_source: TextSource

    @property
    def text(self) -> str:
        return PAGE_BREAK.join(p.text for p in self.pages)

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
) -> Extraction:
    if detected.kind == "txt":
        return Extraction((PageText(1, read_plain(detected.path)),), "plain")
    if detected.kind == "docx":
        return Extraction((PageText(1, read_docx(detected.path)),), "docx")
    layer = _text_layer(detected) if detected.kind == "pdf" else [""] * detected.pages
    missing = [i + 1 for i, t in enumerate(layer) if len(t.strip()) < min_page_chars]
    ocred = ocr_document(detected.path, detected.kind, missing, options, cache_dir, executor)
    by_page = {o.page: o for o in ocred}
    pages = tuple(
        PageText(n, by_page[n].text, by_page[n]) if n in by_page else PageText(n, text)
        for n, text in enumerate(layer, start=1)
    )
    return Extraction(pages, "ocr" if ocred else "text_layer")


def _text_layer(detected: Detected) -> list[str]:
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
    layers: Sequence[Path | None] = [p.ocr.layer if p.ocr else None for p in extraction.pages]
    if detected.kind == "pdf":
        overlay_text_layers(detected.path, layers, out)
        return True
    base = out.with_name(out.name + ".base.pdf")
    try:
        images_to_pdf(detected.path, base)
        overlay_text_layers(base, layers, out)
    finally:
        base.unlink(missing_ok=True)
    return True
