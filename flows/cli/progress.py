"""`arsip ingest` runs the flow in this process: a progress bar, and no heartbeat thread."""

from __future__ import annotations

from typing import Any, cast

from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from archive.catalog import Catalog
from flows.app.pipeline import Result
from flows.ingest import add_progress_listener, clear_progress_listeners, ingest_flow
from flows.settings import Settings


def prepare_run(settings: Settings) -> None:
    """What a run would do first, done ahead while a temporary server starts (on the
    other core): after the server answers, the run only does its own work.

    Opening the catalog migrates a new data root's catalog (Alembic, ~1 s); Prefect
    loads its engines on the first run; the index writer and Whoosh load with the first
    document indexed.
    """
    import prefect.flow_engine
    import prefect.task_engine  # noqa: F401

    import index.writer  # noqa: F401

    Catalog(settings.catalog_url).close()


def run_ingest(settings: Settings, inbox: str | None, show_progress: bool) -> dict[str, Any]:
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        transient=True,
        disable=not show_progress,
    )
    bar = progress.add_task("", total=None)

    def on_result(result: Result, done: int, total: int) -> None:
        progress.update(
            bar, completed=done, total=total, description=f"{result.outcome}: {result.file}"
        )

    add_progress_listener(on_result)
    # The heartbeat thread's join costs ~1 s at the end of every one-shot run.
    try:
        with progress, temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            # A flow that ends in a State returns that state's data to its caller.
            return cast(dict[str, Any], ingest_flow(inbox=inbox))
    finally:
        clear_progress_listeners()
        # Logs and events go to the server from background threads: send them now, while
        # a temporary server still runs (at exit they would find it stopped).
        APILogWorker.drain_all(timeout=10)
        EventsWorker.drain_all(timeout=10)
