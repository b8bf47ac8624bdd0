"""The stages of an ingest run: every file to archived, duplicate or quarantined.

No Prefect here. The Prefect flow (:mod:`flows.ingest`) wraps each *stage* (intake,
documents, index + release) in one task run, not every checkpoint of every document: a
task run costs the Prefect server ~15-45 ms of CPU, which for one-page scans was more
than the OCR it orchestrated (shared FACTS.md). Each checkpoint's result is still
recorded, as a catalog event and in the run's log and artifacts.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from archive.errors import CatalogUnavailable, IntegrityFailure
from archive.records import DocumentRecord, EventRecord
from flows.app import filing, indexing, pipeline
from flows.app.analysis import (
    Analysis,
    check_classification,
    check_extraction,
    describe,
    extract_text,
    flags_from,
    ocr_ahead_of,
)
from flows.app.faults import is_storage_fault, storage_failure
from flows.app.pipeline import Accepted, Committed, Result, RunContext
from flows.app.rescans import check_near_duplicate
from index import SearchIndexError
from tasks.errors import Rejected, ToolMissing, Transient
from tasks.ocr_batch import PER_RUN

# Never turned into a quarantine: the file is fine, the machine is not.
FATAL = (IntegrityFailure, CatalogUnavailable, ToolMissing)
# Waits before each retry of a step that failed on something that may pass.
RETRY_DELAYS = (2.0, 10.0)
# Documents in flight at once; their OCR pages share one pool of ``ocr_workers``.
DOCUMENTS_IN_FLIGHT = 4
# Image files OCRed ahead per OCR worker and wave: one Tesseract run reads them all.
PAGES_AHEAD = PER_RUN

T = TypeVar("T")
_T = TypeVar("_T")
Logger = Callable[[str], None]


class Stage(Protocol):
    """Runs one stage of a run; the Prefect flow passes one that makes it a task run."""

    def __call__(self, name: str, work: Callable[[], _T], /) -> _T: ...


def run_stage(_name: str, work: Callable[[], T], /) -> T:
    return work()


@dataclass(frozen=True)
class Hooks:
    """What the caller wants to hear about while a run goes on (all optional)."""

    info: Logger = lambda _msg: None
    warning: Logger = lambda _msg: None
    error: Logger = lambda _msg: None
    on_files: Callable[[int], None] = lambda _n: None  # how many files the run takes
    on_result: Callable[[Result], None] = lambda _r: None


def retry_transient(step: Callable[[], T], delays: Sequence[float] = RETRY_DELAYS) -> T:
    """Run ``step``; retry only what may pass (a timeout, a locked catalog)."""
    for delay in delays:
        try:
            return step()
        except (Transient, CatalogUnavailable):
            time.sleep(delay)
    return step()


# ------------------------------------------------------------------ the run


def ingest_files(
    ctx: RunContext, files: Sequence[Path], hooks: Hooks, stage: Stage = run_stage
) -> list[Result]:
    """Intake every file; identical files dropped together: the first is archived, the
    others are taken again once it is in the catalog, and become its duplicates."""
    intakes = stage(f"intake · {len(files)} file(s)", lambda: intake_all(ctx, files, hooks))
    leaders, followers = split_same_bytes([o for o in intakes if isinstance(o, Accepted)])
    first = [o for o in intakes if not isinstance(o, Accepted)]
    results = finish_round(ctx, [*first, *leaders], hooks, stage)
    if followers:
        again = stage(
            f"intake · {len(followers)} same-bytes file(s)",
            lambda: intake_all(ctx, [d.detected.path for d in followers], hooks),
        )
        results += finish_round(ctx, again, hooks, stage)
    return sorted(results, key=lambda r: r.file)


def finish_round(
    ctx: RunContext, items: Sequence[Accepted | Committed | Result], hooks: Hooks, stage: Stage
) -> list[Result]:
    new = [o for o in items if isinstance(o, Accepted)]
    done = [o for o in items if not isinstance(o, Accepted)]
    if new:
        done += stage(f"documents · {len(new)}", lambda: process_all(ctx, new, hooks))
    committed = [o for o in done if isinstance(o, Committed)]
    if committed:
        stage(
            f"index, checkpoint, release · {len(committed)} document(s)",
            lambda: index_and_release(ctx, committed, hooks),
        )
    results = [o for o in done if isinstance(o, Result)] + [c.result() for c in committed]
    for result in results:
        hooks.on_result(result)
    return results


# ------------------------------------------------------------------ stage: intake


def intake_all(
    ctx: RunContext, files: Sequence[Path], hooks: Hooks
) -> list[Accepted | Committed | Result]:
    """Type, limits and duplicates of every file; rejects end here with their outcome."""
    return [intake_one(ctx, path, hooks) for path in files]


def intake_one(ctx: RunContext, path: Path, hooks: Hooks) -> Accepted | Committed | Result:
    try:
        return retry_transient(lambda: pipeline.intake(ctx, path))
    except FATAL:
        raise
    except Exception as exc:
        if is_storage_fault(exc):
            raise storage_failure(exc, f"taking {path.name} in") from exc
        # A file that breaks detection itself is still only one file: keep it, go on.
        hooks.error(f"intake failed on {path.name}:\n{traceback.format_exc()}")
        return quarantine(ctx, path, "processing_error", f"{type(exc).__name__}: {exc}")


def quarantine(ctx: RunContext, path: Path, code: str, detail: str) -> Result:
    """Quarantine for a reason of the document's own; a fault while writing the
    quarantine copy is the machine's, and stops the run (the file stays in the inbox)."""
    try:
        return pipeline.quarantine(ctx, path, code, detail)
    except OSError as exc:
        if is_storage_fault(exc):
            raise storage_failure(exc, f"quarantining {path.name}") from exc
        raise


def split_same_bytes(docs: Sequence[Accepted]) -> tuple[list[Accepted], list[Accepted]]:
    leaders: dict[str, Accepted] = {}
    followers: list[Accepted] = []
    for doc in docs:
        if doc.detected.sha256 in leaders:
            followers.append(doc)
        else:
            leaders[doc.detected.sha256] = doc
    return list(leaders.values()), followers


# ------------------------------------------------------------------ stage 2: documents


def process_all(
    ctx: RunContext, docs: Sequence[Accepted], hooks: Hooks
) -> list[Committed | Result]:
    """Every new document from text to catalog, a few at a time (OCR shares the pool)."""
    if not docs:
        return []
    done: list[Committed | Result] = []
    # In waves, so that results (and the run's progress) come while the run goes on.
    wave = max(1, ctx.ocr_workers) * PAGES_AHEAD
    with ThreadPoolExecutor(min(DOCUMENTS_IN_FLIGHT, len(docs)), "arsip-doc") as pool:
        for start in range(0, len(docs), wave):
            docs_now = list(docs[start : start + wave])
            layers = ocr_ahead_of(ctx, docs_now)
            read = [layers.get(d.detected.sha256) for d in docs_now]
            done += pool.map(lambda d, layer: process_one(ctx, d, hooks, layer), docs_now, read)
    return done


def process_one(
    ctx: RunContext, doc: Accepted, hooks: Hooks, layer: Sequence[str] | None = None
) -> Committed | Result:
    """Every checkpoint of one document; bad input ends in quarantine, the run goes on.
    ``layer``: its text layer, when the run has read it already."""
    path = doc.detected.path
    try:
        analysis, events = retry_transient(lambda: analyse(ctx, doc, layer))
        record, ev_file = filing.file_to_archive(ctx, doc, analysis)
        stored = retry_transient(lambda: filing.commit_catalog(ctx, record, (*events, ev_file)))
    except FATAL:
        raise
    except Exception as exc:
        if is_storage_fault(exc):  # checked first: a Rejected may wrap a full disk
            raise storage_failure(exc, f"processing {path.name}") from exc
        return _rejected(ctx, path, exc, hooks)
    hooks.info(checkpoint_line(path.name, (*events, ev_file)))
    return Committed(stored, path)


def _rejected(ctx: RunContext, path: Path, exc: Exception, hooks: Hooks) -> Result:
    if isinstance(exc, Rejected):
        return quarantine(ctx, path, exc.code, exc.detail)
    if isinstance(exc, Transient):
        return quarantine(ctx, path, "timeout", str(exc))
    hooks.error(f"unexpected error on {path.name}:\n{''.join(traceback.format_exception(exc))}")
    return quarantine(ctx, path, "processing_error", f"{type(exc).__name__}: {exc}")


def analyse(
    ctx: RunContext, doc: Accepted, layer: Sequence[str] | None = None
) -> tuple[Analysis, tuple[EventRecord, ...]]:
    """Checkpoints text quality, document type, metadata and re-scan, as events."""
    extraction = extract_text(ctx, doc, layer)
    ev_text = check_extraction(ctx, doc, extraction)
    classification, ev_type = check_classification(ctx, doc, extraction.text)
    meta, personal, ev_meta = describe(ctx, doc, extraction.text, classification.doc_type)
    fingerprint, ev_dup = check_near_duplicate(ctx, doc, extraction.text)
    events = (*doc.events, ev_text, ev_type, ev_meta, ev_dup)
    flags = flags_from(events)
    return Analysis(extraction, classification, meta, personal, flags, fingerprint), events


def checkpoint_line(name: str, events: Sequence[EventRecord]) -> str:
    """One log line a person can read: every checkpoint of the document and its result."""
    parts = [f"{ev.kind}: {ev.outcome}" for ev in events]
    return f"{name}: " + ", ".join(parts)


# ------------------------------------------------------------------ stages: index, release


def index_all(ctx: RunContext, records: Sequence[DocumentRecord], hooks: Hooks) -> set[str]:
    """One index commit for the round's documents, then the findability checkpoint."""
    try:
        indexing.index_batch(ctx.layout, records)
        events = indexing.index_checkpoint(ctx.layout, records, ctx.run_id)
    except SearchIndexError as exc:
        # The index is derived: the documents are safe; `arsip reindex` restores it.
        hooks.error(f"index not updated ({exc}); run `arsip reindex`")
        events = indexing.failed_index_events(records, ctx.run_id, str(exc))
    for ev in events:
        ctx.catalog.record_event(ev, once_key=f"index:{ev.document_id}:{ev.outcome}")
    return {ev.document_id for ev in events if ev.outcome == "ok" and ev.document_id}


def index_and_release(ctx: RunContext, committed: Sequence[Committed], hooks: Hooks) -> None:
    """One index commit for the round, the findability checkpoint, then (only then) the
    files leave the inbox."""
    index_all(ctx, [c.record for c in committed], hooks)
    for done in committed:
        release_one(ctx, done)


def release_one(ctx: RunContext, done: Committed) -> None:
    retry_transient(lambda: pipeline.release(ctx, done.path, done.record))
