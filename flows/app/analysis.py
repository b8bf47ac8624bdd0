"""A document's text extracted (OCR included) and judged: checkpoint 2 (is there text,
can it be trusted), checkpoint 3 (its type) and its description (metadata, personal
data), each recorded as an event.

Plain functions the ingest stages (:mod:`flows.app.stages`) call, on the
:class:`~flows.app.pipeline.RunContext` of the run; checkpoint 1 and the release are
:mod:`flows.app.pipeline`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from archive.records import EventRecord
from archive.vocabulary import (
    FLAG_ASSUMED_DPI,
    FLAG_LOW_OCR,
    FLAG_NO_TEXT,
    FLAG_PERSONAL,
    FLAG_REVIEW,
    FLAG_UNSURE_TYPE,
)
from flows.app.pipeline import Accepted, RunContext, event_for, ocr_cache_dir
from tasks.extract import Extraction, extract, pages_to_ocr, text_layer
from tasks.ocr import OcrOptions
from tasks.ocr_batch import BATCH_KINDS, PageJob, ocr_ahead, page_jobs
from tasks.text.classify import Classification, classify
from tasks.text.metadata import Metadata, PersonalData, extract_metadata, find_personal_data


@dataclass(frozen=True)
class Analysis:
    extraction: Extraction
    classification: Classification
    metadata: Metadata
    personal: PersonalData
    flags: tuple[str, ...]
    text_simhash: int | None = None


def extract_text(ctx: RunContext, doc: Accepted, layer: Sequence[str] | None) -> Extraction:
    """``layer``: the text layer :func:`ocr_ahead_of` read, if it did."""
    cache = ocr_cache_dir(ctx, doc.detected.sha256)
    options = _ocr_options(ctx)
    return extract(doc.detected, options, cache, ctx.executor, ctx.min_page_chars, layer)


def _ocr_options(ctx: RunContext) -> OcrOptions:
    return replace(ctx.ocr, max_pixels=ctx.limits.max_pixels)  # renders obey intake's limit


def ocr_ahead_of(ctx: RunContext, docs: list[Accepted]) -> dict[str, list[str]]:
    """The pages the documents' extraction will OCR, read before they go through the
    checkpoints, several pages a Tesseract run (:mod:`tasks.ocr_batch`); extraction finds
    them cached. Returns the text layers read to choose them, by content hash, for the
    extraction to use rather than read again."""
    layers: dict[str, list[str]] = {}
    jobs: list[PageJob] = []
    for doc in docs:
        layer = _layer_ahead(doc)
        if layer is not None:
            layers[doc.detected.sha256] = layer
            jobs += _jobs_ahead(ctx, doc, layer)
    ocr_ahead(jobs, _ocr_options(ctx), ctx.executor, ctx.ocr_workers)
    return layers


def _layer_ahead(doc: Accepted) -> list[str] | None:
    if doc.detected.kind not in BATCH_KINDS:
        return None
    try:
        return text_layer(doc.detected)
    except Exception:  # a damaged PDF: its own extraction meets it again, and says why
        return None


def _jobs_ahead(ctx: RunContext, doc: Accepted, layer: list[str]) -> list[PageJob]:
    detected = doc.detected
    pages = pages_to_ocr(layer, ctx.min_page_chars)
    try:
        return page_jobs(detected, pages, ocr_cache_dir(ctx, detected.sha256))
    except Exception:  # as above: the document's own reading says what is wrong
        return []


def check_extraction(ctx: RunContext, doc: Accepted, ex: Extraction) -> EventRecord:
    """Checkpoint 2: is there text, and can it be trusted?"""
    flags: list[str] = []
    if not ex.text.strip():
        flags = [FLAG_NO_TEXT, FLAG_REVIEW]
    elif ex.review_pages or (
        ex.ocr_confidence is not None and ex.ocr_confidence < ctx.min_ocr_confidence
    ):
        # One bad page in a long document is not averaged away: it is named.
        flags = [FLAG_LOW_OCR, FLAG_REVIEW]
    if ex.assumed_dpi_pages:
        flags.append(FLAG_ASSUMED_DPI)
    return event_for(
        ctx,
        doc.detected.sha256,
        "extraction",
        "flag" if flags else "ok",
        doc.detected.path.name,
        text_source=ex.text_source,
        chars=len(ex.text),
        ocr_confidence=ex.ocr_confidence,
        ocr_pages=len(ex.ocr_pages),
        rotated_pages=[p.page for p in ex.ocr_pages if p.rotated],
        review_pages=list(ex.review_pages),
        page_problems=ex.page_problems,
        assumed_dpi_pages=list(ex.assumed_dpi_pages),
        flags=flags,
    )


def check_classification(
    ctx: RunContext, doc: Accepted, text: str
) -> tuple[Classification, EventRecord]:
    """Checkpoint 3: document type, flagged when the rules are not sure."""
    result = classify(text)
    unsure = result.confidence < ctx.min_type_confidence
    ev = event_for(
        ctx,
        doc.detected.sha256,
        "classification",
        "flag" if unsure else "ok",
        doc.detected.path.name,
        doc_type=result.doc_type,
        confidence=result.confidence,
        matched=list(result.matched),
        flags=[FLAG_UNSURE_TYPE, FLAG_REVIEW] if unsure else [],
    )
    return result, ev


def describe(
    ctx: RunContext, doc: Accepted, text: str, doc_type: str
) -> tuple[Metadata, PersonalData, EventRecord]:
    meta = extract_metadata(text, doc_type)
    personal = find_personal_data(text)
    ev = event_for(
        ctx,
        doc.detected.sha256,
        "metadata",
        "flag" if personal.found else "ok",
        doc.detected.path.name,
        number=meta.number,
        date=meta.date.isoformat() if meta.date else None,
        unit=meta.unit,
        title=meta.title,
        nik_count=len(personal.nik),
        kk_count=len(personal.kk),
        flags=[FLAG_PERSONAL] if personal.found else [],
    )
    return meta, personal, ev


def flags_from(events: tuple[EventRecord, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for ev in events:
        for flag in ev.detail.get("flags", ()):
            seen.setdefault(flag, None)
    return tuple(seen)
