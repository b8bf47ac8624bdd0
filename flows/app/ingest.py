"""One ingest run as a plain use case: the lock, the run's context, the stages, the summary.

The Prefect flow (:mod:`flows.ingest`), the benchmark's no-Prefect probe and the tests
call :func:`run_once`; what differs is only the hooks (logging, progress) and whether
each stage becomes a task run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive.catalog import Catalog
from archive.store import ArchiveLayout
from flows.app.faults import is_storage_fault, storage_failure
from flows.app.inbox import data_root_lock, ready_files, run_lock
from flows.app.pipeline import Result, RunContext
from flows.app.recovery import clean_leftovers, requeue_retriable, settle_retries
from flows.app.stages import Hooks, Stage, ingest_files, run_stage
from flows.app.upload_notes import apply_upload_notes
from flows.settings import Settings
from tasks.tesseract import check_languages


def run_once(
    settings: Settings,
    run_id: str,
    inbox: Path | None = None,
    hooks: Hooks | None = None,
    stage: Stage = run_stage,
) -> dict[str, Any]:
    """Take every settled file in the inbox to archived, duplicate or quarantined."""
    hooks = hooks or Hooks()
    layout = settings.layout
    try:
        layout.ensure()
        check_languages(settings.ocr_languages)
        source = inbox or layout.inbox
        with run_lock(data_root_lock(layout.home)):
            start_of_run(layout, hooks)
            files, settling = ready_files(source, settings.settle_seconds)
            hooks.on_files(len(files))
            results = _ingest(settings, run_id, files, hooks, stage)
            end_of_run(layout, source)
    except OSError as exc:
        if is_storage_fault(exc):
            raise storage_failure(exc, "the ingest run") from exc
        raise
    return summarise(run_id, results, settling)


def _ingest(
    settings: Settings, run_id: str, files: Sequence[Path], hooks: Hooks, stage: Stage
) -> list[Result]:
    catalog = Catalog(settings.catalog_url)
    try:
        with ocr_executor(settings) as executor:
            ctx = run_context(settings, catalog, executor, run_id)
            results = ingest_files(ctx, files, hooks, stage)
            apply_upload_notes(settings.layout, catalog, results, hooks.warning)
            return results
    finally:
        catalog.close()


def start_of_run(layout: ArchiveLayout, hooks: Hooks) -> None:
    """Under the run lock: clear what killed runs left, send retriable files back."""
    for path in clean_leftovers(layout):
        hooks.warning(f"removed {path}: left by a killed run")
    for again in requeue_retriable(layout):
        hooks.info(
            f"{again.name}: back in the inbox after a processing error (retry {again.attempt})"
        )


def end_of_run(layout: ArchiveLayout, inbox: Path) -> None:
    names = {p.name for p in inbox.iterdir()} if inbox.is_dir() else set()
    settle_retries(layout, names)


def summarise(run_id: str, results: Sequence[Result], settling: Sequence[Path]) -> dict[str, Any]:
    counts = {
        k: sum(r.outcome == k for r in results) for k in ("archived", "duplicate", "quarantined")
    }
    counts["flagged"] = sum(bool(r.flags) for r in results if r.outcome == "archived")
    return {
        "run": run_id,
        "counts": counts,
        "results": [r.to_json() for r in results],
        "waiting": [p.name for p in settling],
    }


# ------------------------------------------------------------------ the run's context


def run_context(
    settings: Settings, catalog: Catalog, executor: Executor, run_id: str
) -> RunContext:
    return RunContext(
        run_id=run_id,
        layout=settings.layout,
        catalog=catalog,
        limits=settings.limits,
        ocr=settings.ocr,
        executor=executor,
        min_page_chars=settings.min_page_text_chars,
        min_ocr_confidence=settings.min_ocr_confidence,
        min_type_confidence=settings.min_type_confidence,
        release_mode=settings.release_mode,
        ocr_workers=settings.ocr_workers,
    )


@contextmanager
def ocr_executor(settings: Settings) -> Iterator[Executor]:
    """Where OCR pages run: ``ocr_workers`` local threads (each drives one tesseract
    process), or the workers of the Dask cluster at ``ARSIP_DASK_ADDRESS``.

    Pages, not Prefect tasks, go to Dask: a task per page would cost the server ~15 ms
    and a Dask task-runner hop ~150 ms each, and the run context (catalog connection)
    cannot travel. Dask workers must see the same paths (shared storage) and have
    tesseract with the same languages installed.
    """
    if not settings.dask_address:
        with ThreadPoolExecutor(settings.ocr_workers, "arsip-ocr") as pool:
            yield pool
        return
    from distributed import Client  # imported only when used: ~1 s at import

    # distributed ships no complete type hints, hence the ignores.
    client = Client(settings.dask_address, set_as_default=False, timeout=30)  # type: ignore[no-untyped-call]
    try:
        # pure=False: every submission runs (a page's result lands in the OCR cache).
        with client.get_executor(pure=False) as pool:  # type: ignore[no-untyped-call]
            yield pool
    finally:
        client.close()  # type: ignore[no-untyped-call]
