"""The ingest flow: inbox -> checkpoints -> archive (-> index), with a run summary.

The work is :mod:`flows.app.ingest` (plain functions); this module makes it a Prefect
run ops can read: one task run per stage, one log line per document (a warning per
quarantined file), counts in the run's name and final state, and artifacts with every
file's outcome and reason.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import State
from prefect.context import FlowRunContext
from prefect.states import Completed

from archive.layout import find_reason
from flows.app.ingest import run_once
from flows.app.pipeline import Result
from flows.app.stages import Hooks
from flows.settings import load_settings
from flows.steps import plain_parameters, prefect_stage, stamped

ProgressListener = Callable[[Result, int, int], None]
_listeners: list[ProgressListener] = []


def add_progress_listener(listener: ProgressListener) -> None:
    """For the CLI's progress bar: called once per finished file (result, done, total)."""
    _listeners.append(listener)


def clear_progress_listeners() -> None:
    _listeners.clear()


# The progress artifact is an API call per update: at most one every few seconds.
PROGRESS_EVERY_S = 5.0


class _Progress:
    def __init__(self) -> None:
        self.total, self.done = 0, 0
        self.sent_at = time.monotonic()
        # Sync call inside a flow: returns the id, never a coroutine here.
        self.artifact = cast(
            UUID,
            create_progress_artifact(0.0, key="ingest-progress", description="Ingest progress"),
        )

    def start(self, total: int) -> None:
        self.total = total

    def step(self, result: Result) -> None:
        self.done += 1
        now = time.monotonic()
        if self.done == self.total or now - self.sent_at >= PROGRESS_EVERY_S:
            update_progress_artifact(self.artifact, 100.0 * self.done / max(1, self.total))
            self.sent_at = now
        for listener in _listeners:
            listener(result, self.done, self.total)

    def finish(self) -> None:
        if self.done < self.total or self.total == 0:
            update_progress_artifact(self.artifact, 100.0)


def _run_id() -> str:
    ctx = FlowRunContext.get()
    return str(ctx.flow_run.id) if ctx and ctx.flow_run else uuid.uuid4().hex


@flow(name="ingest", flow_run_name=stamped("ingest"), log_prints=False)
def ingest_flow(inbox: str | None = None) -> State[dict[str, Any]]:
    """Take every settled file in the inbox to archived, duplicate or quarantined."""
    settings = load_settings()
    log = get_run_logger()
    progress = _Progress()
    hooks = Hooks(
        info=log.info,
        warning=log.warning,
        error=log.error,
        on_files=progress.start,
        on_result=progress.step,
    )
    summary = run_once(settings, _run_id(), Path(inbox) if inbox else None, hooks, prefect_stage)
    progress.finish()
    for r in summary["results"]:
        if r["outcome"] == "quarantined":
            log.warning("quarantined %s: %s", r["file"], r["reason"])
    publish_artifacts(summary, settings.layout.quarantine)
    return _final_state(summary)


plain_parameters(ingest_flow)


def counts_line(counts: dict[str, int]) -> str:
    parts = [f"{counts[k]} {k}" for k in ("archived", "duplicate", "quarantined") if counts[k]]
    return ", ".join(parts) or "nothing to do"


def _final_state(summary: dict[str, Any]) -> State[dict[str, Any]]:
    """Counts in the run's name and state: a run that quarantined files does not read as
    plain "Completed" in the run list."""
    counts = summary["counts"]
    line = counts_line(counts)
    _rename_run(line)
    name = "Completed with quarantine" if counts["quarantined"] else "Completed"
    return Completed(message=line, name=name, data=summary)


def _rename_run(counts: str) -> None:
    ctx = FlowRunContext.get()
    if ctx is None or ctx.flow_run is None:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(ctx.flow_run.id, name=f"{ctx.flow_run.name} · {counts}")


def publish_artifacts(summary: dict[str, Any], quarantine: Path) -> None:
    rows = [
        {
            "file": r["file"],
            "outcome": r["outcome"],
            "id": r["id"] or "",
            "doc_type": r["doc_type"] or "",
            "flags": ", ".join(r["flags"]),
            "reason": r["reason"] or "",
        }
        for r in summary["results"]
    ]
    create_table_artifact(rows, key="ingest-summary", description="Ingest run: every file")
    create_markdown_artifact(
        report_markdown(summary, quarantine), key="ingest-report", description="Ingest run report"
    )


def report_markdown(summary: dict[str, Any], quarantine: Path) -> str:
    c = summary["counts"]
    lines = [
        f"# Ingest: {len(summary['results'])} file(s)",
        "",
        f"Run `{summary['run']}`",
        "",
        f"- archived: **{c['archived']}** (flagged for review: {c['flagged']})",
        f"- duplicate: **{c['duplicate']}**",
        f"- quarantined: **{c['quarantined']}**",
    ]
    if summary["waiting"]:
        lines.append(f"- still being copied, left for the next run: {len(summary['waiting'])}")
    bad = [r for r in summary["results"] if r["outcome"] == "quarantined"]
    if bad:
        lines += ["", "## Quarantined", ""]
        for r in bad:
            # The path as text, not a link: browsers refuse file:// links from an http page.
            where = find_reason(quarantine, r["file"], summary["run"])
            kept = f"`{where}`" if where else "(reason file not found)"
            lines.append(
                f"- `{r['file']}` — {_one_line(r['reason'] or '')}  \n  reason file: {kept}"
            )
        lines += ["", "Fix or replace each file, then drop it into the inbox again."]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    # One list item: a newline in an error message would end it.
    return " ".join(text.split())[:500]
