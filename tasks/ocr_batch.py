"""Pages OCRed ahead of their documents, their first readings shared by Tesseract runs.

Every Tesseract process loads its models first: 0.87 G instructions, ~4.5 % of a 300-dpi
A4 page (19.2 G), paid once a page when every page is a process of its own. A run of
many one-page scans (a scheduled ingest of the inbox), or a scanned PDF of many pages,
therefore reads the pictures of up to ``per_run`` pages in one process, ``workers``
processes at a time: the pages the document's extraction would OCR
(:func:`tasks.extract.pages_to_ocr`), each from the picture its own reading would take.
Each page is still looked at and repaired alone before, and checked, retried and given
its text layer alone after (:func:`tasks.ocr_reading.finish`): only the first reading is
shared, and it is the same bytes a run of its own gives. The results land in each file's
OCR cache, where the document's own extraction finds them.

Nothing here decides a document's fate: a page that fails here (a broken picture, a
Tesseract error, a run cut short) is simply not cached, and the document's own
extraction reads it again alone and reports what is wrong with it.
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.ocr import OcrOptions, cache_result, is_cached
from tasks.ocr_reading import Prepared, finish, prepare
from tasks.pictures import page_picture
from tasks.poppler import PageImage, single_image_pages
from tasks.tesseract import run_tesseract_batch

if TYPE_CHECKING:
    from tasks.detect import Detected

log = logging.getLogger(__name__)
PER_RUN = 8  # pages a shared run reads at most: their pictures wait on disk meanwhile
BATCH_KINDS = ("png", "jpeg", "tiff", "pdf")


@dataclass(frozen=True)
class PageJob:
    source: Path
    kind: str
    page: int
    cache_dir: Path
    embedded: PageImage | None = None  # a PDF page's scan image, read as it is


def page_jobs(detected: Detected, pages: Sequence[int], cache_dir: Path) -> list[PageJob]:
    """``pages`` of a file as jobs, each PDF page with the picture its own reading would
    take (:func:`tasks.ocr.ocr_document`): its scan image, or else a rendering."""
    if detected.kind not in BATCH_KINDS:
        return []
    embedded = single_image_pages(detected.path) if detected.kind == "pdf" and pages else {}
    kind, path = detected.kind, detected.path
    return [PageJob(path, kind, n, cache_dir, embedded.get(n)) for n in pages]


def ocr_ahead(
    jobs: Sequence[PageJob],
    options: OcrOptions,
    executor: Executor,
    workers: int,
    per_run: int = PER_RUN,
) -> None:
    """Fill the OCR caches of ``jobs``, a shared first reading per chunk of pages."""
    todo = [j for j in jobs if not is_cached(j.cache_dir, j.page)]
    if len(todo) < 2 or options.psm == 1:  # nothing to share (psm 1 needs its own layer)
        return
    size = max(1, min(per_run, math.ceil(len(todo) / max(1, workers))))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    for future in [executor.submit(_ocr_chunk, chunk, options) for chunk in chunks]:
        try:
            future.result()
        except Exception:  # a full disk, a lost worker: the documents meet it themselves
            log.debug("pages OCRed ahead lost", exc_info=True)


def _ocr_chunk(jobs: Sequence[PageJob], options: OcrOptions) -> None:
    with tempfile.TemporaryDirectory(prefix="arsip-ocr-batch-") as tmp:
        ready: list[tuple[PageJob, Prepared]] = []
        for i, job in enumerate(jobs):
            workdir = Path(tmp) / f"page-{i:03d}"
            workdir.mkdir()
            try:
                picture = page_picture(
                    job.source,
                    job.kind,
                    job.page,
                    options.dpi,
                    workdir,
                    job.embedded,
                    options.max_pixels,
                )
                ready.append((job, prepare(picture, workdir, job.page)))
            except Exception:  # the document's own extraction meets it again, and says why
                log.debug("page %s of %s left to its document", job.page, job.source.name)
        by_dpi: dict[int, list[tuple[PageJob, Prepared]]] = {}
        for item in ready:
            by_dpi.setdefault(item[1].picture.dpi, []).append(item)
        for dpi, group in by_dpi.items():
            _read_group(group, dpi, options)


def _read_group(group: Sequence[tuple[PageJob, Prepared]], dpi: int, options: OcrOptions) -> None:
    preps = [prep for _job, prep in group]
    what = f"tesseract on {len(preps)} pages"
    try:
        images, bases = [p.image for p in preps], [p.first_base for p in preps]
        if len(preps) < 2 or not run_tesseract_batch(images, dpi, options, bases, what):
            return
    except Exception:
        log.debug("%s failed: each page is read alone", what)
        return
    for job, prep in group:
        try:
            cache_result(job.cache_dir, finish(prep, options))
        except Exception:
            log.debug("page %s of %s left to its document", job.page, job.source.name)
