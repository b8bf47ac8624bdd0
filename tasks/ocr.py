"""OCR of a document's pages, each page's reading kept in the document's OCR cache.

Pages go through files, never through in-memory PIL images: a file keeps memory flat
however long the document is. A page already in the cache is not read again; the cache
is keyed by everything that changes OCR output (:func:`ocr_fingerprint`). How one page
is read (looked at, repaired, read, checked, retried) is :mod:`tasks.ocr_reading`; the
Tesseract command and what is installed, :mod:`tasks.tesseract`.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import asdict, replace
from pathlib import Path

from tasks.ocr_reading import PageOcr, read_page
from tasks.options import OcrOptions as OcrOptions  # re-exported: defined without PIL
from tasks.pictures import page_picture
from tasks.poppler import PageImage, single_image_pages
from tasks.quality import PageQuality
from tasks.tesseract import tesseract_version

CACHE_FORMAT = "2"


def ocr_fingerprint(options: OcrOptions) -> str:
    """Identity of everything that changes OCR output, for the result cache."""
    limits = ("max_pixels", "memory_mb")
    settings = {k: v for k, v in asdict(options).items() if k not in limits}
    raw = json.dumps([CACHE_FORMAT, settings, tesseract_version()], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


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
        picture = page_picture(
            source, kind, page, options.dpi, Path(tmp), embedded, options.max_pixels
        )
        return cache_result(cache_dir, read_page(picture, options, Path(tmp), page))


def is_cached(cache_dir: Path, page: int) -> bool:
    return _load_cached(cache_dir, page) is not None


def cache_result(cache_dir: Path, result: PageOcr) -> PageOcr:
    """Keep a page's reading and its layer (out of the work directory) in the cache."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    layer = cache_dir / f"page-{result.page:04d}.pdf"
    _atomic_copy(result.layer, layer)
    final = replace(result, layer=layer)
    _store_cached(cache_dir, final)
    return final


def _cache_json(cache_dir: Path, page: int) -> Path:
    return cache_dir / f"page-{page:04d}.json"


def _load_cached(cache_dir: Path, page: int) -> PageOcr | None:
    meta, layer = _cache_json(cache_dir, page), cache_dir / f"page-{page:04d}.pdf"
    if not (meta.exists() and layer.exists()):
        return None
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["quality"] = PageQuality(**data["quality"])
    data["to_image"] = tuple(data["to_image"])
    data["repairs"] = tuple(data["repairs"])
    return PageOcr(**data, layer=layer)


def _store_cached(cache_dir: Path, result: PageOcr) -> None:
    data = {k: v for k, v in asdict(result).items() if k != "layer"}
    tmp = _cache_json(cache_dir, result.page).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(_cache_json(cache_dir, result.page))


def _atomic_copy(src: Path, dst: Path) -> None:
    tmp = dst.with_suffix(dst.suffix + ".tmp")
    tmp.write_bytes(src.read_bytes())
    tmp.replace(dst)
