"""Prefect task wrappers: names, retries and tags around the plain pipeline functions.

No logic lives here beyond turning errors into outcomes; see :mod:`flows.pipeline`.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from archive.errors import CatalogUnavailable, IntegrityFailure
from archive.records import DocumentRecord, EventRecord
from flows import filing, indexing, pipeline
from flows.pipeline import Accepted, Analysis, Committed, Result, RunContext
from index import SearchIndexError
from tasks.classify import Classification
from tasks.errors import Rejected, ToolMissing, Transient
from tasks.extract import Extraction
from tasks.metadata import Metadata, PersonalData

FATAL = (IntegrityFailure, CatalogUnavailable, ToolMissing)


def transient_only(_task: Any, _run: Any, state: Any) -> bool:
    """Retry only what may pass: timeouts, a locked catalog. Bad input never improves."""
    try:
        state.result()
    except (Transient, CatalogUnavailable):
        return True
    except Exception:
        return False
    return False


_common: dict[str, Any] = {
    "cache_policy": NO_CACHE,
    "retries": 2,
    "retry_delay_seconds": [2, 10],
    "retry_condition_fn": transient_only,
}


@task(name="intake", task_run_name="intake · {path.name}", tags=["intake"], **_common)
def intake_step(ctx: RunContext, path: Path) -> Accepted | Committed | Result:
    try:
        return pipeline.intake(ctx, path)
    except FATAL:
        raise
    except Exception as exc:
        # A file that breaks detection itself is still only one file: keep it, go on.
        get_run_logger().error("intake failed on %s:\n%s", path.name, traceback.format_exc())
        return pipeline.quarantine(ctx, path, "processing_error", f"{type(exc).__name__}: {exc}")


@task(name="extract-text", task_run_name="extract text · {name}", tags=["ocr"], **_common)
def extract_step(ctx: RunContext, doc: Accepted, name: str) -> Extraction:
    return pipeline.extract_text(ctx, doc)


@task(name="check-extraction", task_run_name="checkpoint: text quality · {name}", **_common)
def check_extraction_step(ctx: RunContext, doc: Accepted, ex: Extraction, name: str) -> EventRecord:
    return pipeline.check_extraction(ctx, doc, ex)


@task(name="classify", task_run_name="checkpoint: document type · {name}", **_common)
def classify_step(
    ctx: RunContext, doc: Accepted, text: str, name: str
) -> tuple[Classification, EventRecord]:
    return pipeline.check_classification(ctx, doc, text)


@task(name="metadata", task_run_name="metadata · {name}", **_common)
def metadata_step(
    ctx: RunContext, doc: Accepted, text: str, doc_type: str, name: str
) -> tuple[Metadata, PersonalData, EventRecord]:
    return pipeline.describe(ctx, doc, text, doc_type)


@task(name="file-to-archive", task_run_name="checkpoint: archive write · {name}", **_common)
def file_step(
    ctx: RunContext, doc: Accepted, analysis: Analysis, name: str
) -> tuple[DocumentRecord, EventRecord]:
    return filing.file_to_archive(ctx, doc, analysis)


@task(name="commit-catalog", task_run_name="checkpoint: catalog · {name}", **_common)
def catalog_step(
    ctx: RunContext, record: DocumentRecord, events: tuple[EventRecord, ...], name: str
) -> DocumentRecord:
    return filing.commit_catalog(ctx, record, events)


@task(name="release-inbox", task_run_name="release inbox · {name}", **_common)
def release_step(ctx: RunContext, path: Path, record: DocumentRecord, name: str) -> None:
    pipeline.release(ctx, path, record)


def _analyse(ctx: RunContext, doc: Accepted, name: str) -> tuple[Analysis, tuple[EventRecord, ...]]:
    extraction = extract_step(ctx, doc, name)
    ev_text = check_extraction_step(ctx, doc, extraction, name)
    classification, ev_type = classify_step(ctx, doc, extraction.text, name)
    meta, personal, ev_meta = metadata_step(
        ctx, doc, extraction.text, classification.doc_type, name
    )
    events = (*doc.events, ev_text, ev_type, ev_meta)
    analysis = Analysis(extraction, classification, meta, personal, pipeline.flags_from(events))
    return analysis, events


@task(
    name="ingest-document",
    task_run_name="document · {doc.detected.path.name}",
    cache_policy=NO_CACHE,
    tags=["document"],
)
def process_document(ctx: RunContext, doc: Accepted) -> Committed | Result:
    """Every step from text to catalog for one new document; bad input ends in quarantine."""
    path = doc.detected.path
    name = path.name
    try:
        analysis, events = _analyse(ctx, doc, name)
        record, ev_file = file_step(ctx, doc, analysis, name)
        stored = catalog_step(ctx, record, (*events, ev_file), name)
    except FATAL:
        raise
    except Rejected as exc:
        return pipeline.quarantine(ctx, path, exc.code, exc.detail)
    except Transient as exc:
        return pipeline.quarantine(ctx, path, "timeout", str(exc))
    except Exception as exc:
        get_run_logger().error("unexpected error on %s:\n%s", name, traceback.format_exc())
        return pipeline.quarantine(ctx, path, "processing_error", f"{type(exc).__name__}: {exc}")
    return Committed(stored, path)


@task(name="index-batch", task_run_name="index + checkpoint · {count} document(s)", **_common)
def index_step(ctx: RunContext, records: list[DocumentRecord], count: int) -> set[str]:
    """One index commit for the run's documents, then the findability checkpoint."""
    log = get_run_logger()
    try:
        indexing.index_batch(ctx.layout, records)
        events = indexing.index_checkpoint(ctx.layout, records, ctx.run_id)
    except SearchIndexError as exc:
        # The index is derived: the documents are safe; `arsip reindex` restores it.
        log.error("index not updated (%s); run `arsip reindex`", exc)
        events = indexing.failed_index_events(records, ctx.run_id, str(exc))
    for ev in events:
        ctx.catalog.record_event(ev, once_key=f"index:{ev.document_id}:{ev.outcome}")
    return {ev.document_id for ev in events if ev.outcome == "ok" and ev.document_id}
