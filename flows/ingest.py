"""The ingest flow: inbox -> checkpoints -> archive (-> index), with a run summary."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
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
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner

from archive.catalog import Catalog
from flows.inbox import ready_files, run_lock
from flows.pipeline import Accepted, Committed, Result, RunContext
from flows.settings import Settings, load_settings
from flows.steps import index_step, intake_step, process_document, release_step
from tasks.ocr import check_languages

ProgressListener = Callable[[Result, int, int], None]
_listeners: list[ProgressListener] = []


def add_progress_listener(listener: ProgressListener) -> None:
    """For the CLI's progress bar: called once per finished file (result, done, total)."""
    _listeners.append(listener)


def clear_progress_listeners() -> None:
    _listeners.clear()


class _Progress:
    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        # Sync call inside a flow: returns the id, never a coroutine here.
        self.artifact = cast(UUID, create_progress_artifact(0.0, description="Ingest progress"))

    def step(self, result: Result) -> None:
        self.done += 1
        update_progress_artifact(self.artifact, 100.0 * self.done / max(1, self.total))
        for listener in _listeners:
            listener(result, self.done, self.total)


def _run_id() -> str:
    ctx = FlowRunContext.get()
    return str(ctx.flow_run.id) if ctx and ctx.flow_run else uuid.uuid4().hex


def _context(settings: Settings, catalog: Catalog, executor: ThreadPoolExecutor) -> RunContext:
    return RunContext(
        run_id=_run_id(),
        layout=settings.layout,
        catalog=catalog,
        limits=settings.limits,
        ocr=settings.ocr,
        executor=executor,
        min_page_chars=settings.min_page_text_chars,
        min_ocr_confidence=settings.min_ocr_confidence,
        min_type_confidence=settings.min_type_confidence,
        release_mode=settings.release_mode,
    )


# Documents in flight at once; their OCR pages share one pool of ``ocr_workers``.
# (Prefect's TaskRunner generic is invariant, hence the ignore.)
@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=4), log_prints=False)  # type: ignore[arg-type]
def ingest_flow(inbox: str | None = None) -> dict[str, Any]:
    """Take every settled file in the inbox to archived, duplicate or quarantined."""
    settings = load_settings()
    layout = settings.layout
    layout.ensure()
    check_languages(settings.ocr_languages)
    source = Path(inbox) if inbox else layout.inbox
    with run_lock(layout.home / ".ingest.lock"):
        files, settling = ready_files(source, settings.settle_seconds)
        catalog = Catalog(settings.catalog_url)
        try:
            with ThreadPoolExecutor(settings.ocr_workers, "arsip-ocr") as executor:
                ctx = _context(settings, catalog, executor)
                results = _ingest_files(ctx, files)
        finally:
            catalog.close()
    summary = summarise(ctx.run_id, results, settling)
    publish_artifacts(summary)
    return summary


def _ingest_files(ctx: RunContext, files: Sequence[Path]) -> list[Result]:
    get_run_logger().info("%d file(s) ready in the inbox", len(files))
    progress = _Progress(len(files))
    results: list[Result] = []
    intakes = [f.result() for f in [intake_step.submit(ctx, path) for path in files]]
    leaders, followers = _split_same_bytes([o for o in intakes if isinstance(o, Accepted)])
    first = [o for o in intakes if not isinstance(o, Accepted)] + list(leaders)
    rounds: list[Callable[[], list[Accepted | Committed | Result]]] = [
        lambda: first,
        # Same bytes as a leader: intake again now that the leader is in the catalog.
        lambda: [intake_step(ctx, doc.detected.path) for doc in followers],
    ]
    for round_items in rounds:
        done = _process(ctx, round_items())
        committed = [o for o in done if isinstance(o, Committed)]
        finished = [o for o in done if isinstance(o, Result)] + _finish(ctx, committed)
        for result in finished:
            progress.step(result)
        results.extend(finished)
    return sorted(results, key=lambda r: r.file)


def _process(
    ctx: RunContext, batch: Sequence[Accepted | Committed | Result]
) -> list[Committed | Result]:
    futures = [process_document.submit(ctx, o) for o in batch if isinstance(o, Accepted)]
    return [o for o in batch if not isinstance(o, Accepted)] + [f.result() for f in futures]


def _finish(ctx: RunContext, committed: Sequence[Committed]) -> list[Result]:
    """Index the batch in one commit, then release each inbox file."""
    if not committed:
        return []
    records = [c.record for c in committed]
    index_step(ctx, records, len(records))
    for c in committed:
        release_step(ctx, c.path, c.record, c.path.name)
    return [c.result() for c in committed]


def _split_same_bytes(docs: Sequence[Accepted]) -> tuple[list[Accepted], list[Accepted]]:
    """Identical files dropped together: archive the first, the others become duplicates."""
    leaders: dict[str, Accepted] = {}
    followers: list[Accepted] = []
    for doc in docs:
        if doc.detected.sha256 in leaders:
            followers.append(doc)
        else:
            leaders[doc.detected.sha256] = doc
    return list(leaders.values()), followers


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


def publish_artifacts(summary: dict[str, Any]) -> None:
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
    c = summary["counts"]
    lines = [
        f"# Ingest run {summary['run']}",
        "",
        f"- archived: **{c['archived']}** (flagged for review: {c['flagged']})",
        f"- duplicate: **{c['duplicate']}**",
        f"- quarantined: **{c['quarantined']}**",
    ]
    bad = [r for r in summary["results"] if r["outcome"] == "quarantined"]
    if bad:
        lines += ["", "## Quarantined", ""]
        lines += [f"- `{r['file']}`: {r['reason']}" for r in bad]
    create_markdown_artifact("\n".join(lines), key="ingest-report", description="Ingest run report")
