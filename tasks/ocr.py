"""OCR: pdf2image rasterizes one page at a time, pytesseract runs Tesseract on it.

The only module that imports pdf2image or pytesseract. Pages go through files, never
through in-memory PIL images: pytesseract would re-encode a PIL image as PNG first
(+0.2 s a page), and a file keeps memory flat however long the document is.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from pathlib import Path

import pytesseract
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError
from PIL import Image

from tasks.errors import Rejected, ToolMissing, Transient
from tasks.pdf import PageImage, extract_page_image, single_image_pages

# Tesseract's OpenMP threads fight each other when several pages run at once: one
# single-threaded process per core is ~5x faster (shared FACTS.md). pytesseract passes
# os.environ to the child, so this is the only way to reach it.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

CACHE_FORMAT = "1"


@dataclass(frozen=True)
class OcrOptions:
    languages: str = "ind+eng"
    dpi: int = 300
    psm: int = 3
    # Below this mean word confidence a page is retried with orientation detection
    # (psm 1): upside-down or sideways pages read as garbage at ~45 at psm 3, clean
    # scans at 90+. Always using psm 1 would cost ~25 % more on every upright page.
    rotation_retry_below: float = 70.0
    timeout_s: int = 300

    def fingerprint(self) -> str:
        """Identity of everything that changes OCR output, for the result cache."""
        raw = json.dumps([CACHE_FORMAT, asdict(self), tesseract_version()], sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class PageOcr:
    page: int
    text: str
    confidence: float
    words: int
    rotated: bool
    layer: Path  # text-only PDF page (invisible text) to lay over the scan


@functools.cache
def tesseract_version() -> str:
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as exc:
        raise ToolMissing("tesseract is not installed (apt-get install tesseract-ocr)") from exc


def installed_languages() -> list[str]:
    try:
        return sorted(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError as exc:
        raise ToolMissing("tesseract is not installed (apt-get install tesseract-ocr)") from exc


def check_languages(languages: str) -> None:
    missing = set(languages.split("+")) - set(installed_languages())
    if missing:
        names = ", ".join(f"tesseract-ocr-{m}" for m in sorted(missing))
        raise ToolMissing(f"Tesseract language data missing: install {names}")


def ocr_document(
    source: Path,
    kind: str,
    pages: Sequence[int],
    options: OcrOptions,
    cache_dir: Path,
    executor: Executor,
) -> list[PageOcr]:
    """OCR the given 1-based pages in parallel; pages already in ``cache_dir`` are reused."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    embedded = single_image_pages(source) if kind == "pdf" and pages else {}
    futures = [
        executor.submit(ocr_page, source, kind, page, options, cache_dir, embedded.get(page))
        for page in pages
    ]
    return [f.result() for f in futures]


def ocr_page(
    source: Path,
    kind: str,
    page: int,
    options: OcrOptions,
    cache_dir: Path,
    embedded: PageImage | None = None,
) -> PageOcr:
    cached = _load_cached(cache_dir, page)
    if cached is not None:
        return cached
    with tempfile.TemporaryDirectory(prefix="arsip-ocr-") as tmp:
        image, dpi = page_image(source, kind, page, options.dpi, Path(tmp), embedded)
        result = _recognise(image, dpi, options, Path(tmp), page)
        layer = cache_dir / f"page-{page:04d}.pdf"
        _atomic_copy(result.layer, layer)
        final = PageOcr(
            result.page, result.text, result.confidence, result.words, result.rotated, layer
        )
    _store_cached(cache_dir, final)
    return final


def page_image(
    source: Path, kind: str, page: int, dpi: int, workdir: Path, embedded: PageImage | None = None
) -> tuple[Path, int]:
    """A file Tesseract can read for one page, and its resolution.

    A scanned PDF page that is one full-page image gives that image as stored, which is
    ~10x cheaper than rendering it and exactly what the scanner saw.
    """
    if kind == "pdf":
        if embedded is not None:
            return extract_page_image(source, page, workdir), embedded.ppi
        return rasterize_pdf_page(source, page, dpi, workdir), dpi
    with Image.open(source) as img:
        native = _image_dpi(img, dpi)
        if getattr(img, "n_frames", 1) == 1 and kind in ("png", "jpeg"):
            return source, native
        img.seek(page - 1)
        frame = workdir / f"frame-{page:04d}.pnm"
        # PNM is uncompressed: writing it costs milliseconds, PNG would cost seconds.
        img.convert("L" if img.mode in ("1", "L", "I;16") else "RGB").save(frame)
        return frame, native


def rasterize_pdf_page(pdf: Path, page: int, dpi: int, workdir: Path) -> Path:
    try:
        paths = convert_from_path(
            pdf,
            dpi=dpi,
            first_page=page,
            last_page=page,
            grayscale=True,
            output_folder=workdir,
            paths_only=True,
            timeout=600,
        )
    except PDFInfoNotInstalledError as exc:
        raise ToolMissing("poppler-utils is not installed (pdftoppm, pdfinfo)") from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise Rejected("corrupt", f"page {page} cannot be rasterized: {exc}") from exc
    if not paths:
        raise Rejected("corrupt", f"page {page} produced no image")
    return Path(str(paths[0]))  # paths_only: str paths, typed as images


def _image_dpi(img: Image.Image, default: int) -> int:
    value = img.info.get("dpi")
    if value and 70 <= float(value[0]) <= 1200:
        return round(float(value[0]))
    return default


def _recognise(image: Path, dpi: int, options: OcrOptions, workdir: Path, page: int) -> PageOcr:
    first = _run_tesseract(image, dpi, options, options.psm, workdir / "psm-main", page)
    if first.confidence >= options.rotation_retry_below:
        return first
    retry = _run_tesseract(image, dpi, options, 1, workdir / "psm-osd", page)
    if retry.confidence > first.confidence:
        return PageOcr(retry.page, retry.text, retry.confidence, retry.words, True, retry.layer)
    return first


def _run_tesseract(
    image: Path, dpi: int, options: OcrOptions, psm: int, base: Path, page: int
) -> PageOcr:
    config = f"--psm {psm} --dpi {dpi} -c textonly_pdf=1 -c tessedit_create_tsv=1"
    try:
        pytesseract.pytesseract.run_tesseract(
            str(image),
            str(base),
            "txt pdf",
            options.languages,
            config,
            timeout=options.timeout_s,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise ToolMissing("tesseract is not installed (apt-get install tesseract-ocr)") from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise Transient(f"tesseract timed out on page {page}") from exc
    except pytesseract.TesseractError as exc:
        raise Rejected("ocr_failed", f"tesseract failed on page {page}: {exc}") from exc
    text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
    confidence, words = mean_word_confidence(base.with_suffix(".tsv"))
    return PageOcr(page, text, confidence, words, False, base.with_suffix(".pdf"))


def mean_word_confidence(tsv: Path) -> tuple[float, int]:
    """Mean confidence (0-100) over recognised words; 0 when there are none."""
    scores: list[float] = []
    with tsv.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row.get("level") == "5" and (row.get("text") or "").strip():
                conf = float(row.get("conf") or -1)
                if conf >= 0:
                    scores.append(conf)
    return (sum(scores) / len(scores) if scores else 0.0), len(scores)


def _cache_json(cache_dir: Path, page: int) -> Path:
    return cache_dir / f"page-{page:04d}.json"


def _load_cached(cache_dir: Path, page: int) -> PageOcr | None:
    meta, layer = _cache_json(cache_dir, page), cache_dir / f"page-{page:04d}.pdf"
    if not (meta.exists() and layer.exists()):
        return None
    data = json.loads(meta.read_text(encoding="utf-8"))
    return PageOcr(page, data["text"], data["confidence"], data["words"], data["rotated"], layer)


def _store_cached(cache_dir: Path, result: PageOcr) -> None:
    data = {k: v for k, v in asdict(result).items() if k != "layer"}
    tmp = _cache_json(cache_dir, result.page).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(_cache_json(cache_dir, result.page))


def _atomic_copy(src: Path, dst: Path) -> None:
    tmp = dst.with_suffix(dst.suffix + ".tmp")
    tmp.write_bytes(src.read_bytes())
    tmp.replace(dst)
