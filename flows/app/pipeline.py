"""One document through the checkpoints, as plain functions (the stages of
:mod:`flows.app.stages` call them; Prefect wraps the stages, not these).

Each function is one checkpoint or step of DESIGN.md's data flow. They take a
:class:`RunContext` (built once per run from the settings) and records, never globals.
Here: the records a document passes on, checkpoint 1 (intake), quarantine and release;
the text's extraction, checkpoints 2 and 3 and the description are
:mod:`flows.app.analysis`.
"""

from __future__ import annotations

import shutil
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from archive.catalog import Catalog
from archive.records import DocumentRecord, EventRecord, Receipt
from archive.store import ArchiveLayout, quarantine_file
from tasks.detect import Detected, Limits, detect, sha256_file
from tasks.errors import Rejected
from tasks.ocr import OcrOptions, ocr_fingerprint

Outcome = Literal["archived", "duplicate", "quarantined"]


@dataclass(frozen=True)
class RunContext:
    run_id: str
    layout: ArchiveLayout
    catalog: Catalog
    limits: Limits
    ocr: OcrOptions
    executor: Executor
    min_page_chars: int
    min_ocr_confidence: float
    min_type_confidence: float
    release_mode: Literal["delete", "move"]
    ocr_workers: int = 1  # pages OCRed at once (the executor's size)


@dataclass(frozen=True)
class Result:
    file: str
    outcome: Outcome
    id: str | None = None
    reason: str | None = None
    doc_type: str | None = None
    flags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "outcome": self.outcome,
            "id": self.id,
            "reason": self.reason,
            "doc_type": self.doc_type,
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class Accepted:
    """A file that passed intake and is new to the catalog."""

    detected: Detected
    received_at: datetime
    events: tuple[EventRecord, ...] = field(default=())

    @property
    def doc_id(self) -> str:
        return self.detected.sha256[:16]


@dataclass(frozen=True)
class Committed:
    """Archived and in the catalog; still to be indexed and released from the inbox."""

    record: DocumentRecord
    path: Path

    def result(self) -> Result:
        r = self.record
        return Result(self.path.name, "archived", r.id, None, r.doc_type, r.flags)


def event_for(
    ctx: RunContext, sha: str, kind: str, outcome: Any, name: str, **detail: Any
) -> EventRecord:
    return EventRecord(
        sha256=sha,
        kind=kind,
        outcome=outcome,
        detail=detail,
        run_id=ctx.run_id,
        at=datetime.now(UTC),
        source_name=name,
        document_id=sha[:16],
    )


# ------------------------------------------------------------------ checkpoint 1: intake


def intake(ctx: RunContext, path: Path) -> Accepted | Committed | Result:
    """Type, limits, duplicate: either the file goes on, or it ends here with its outcome."""
    received_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    try:
        detected = detect(path, ctx.limits)
    except Rejected as exc:
        return quarantine(ctx, path, exc.code, exc.detail)
    existing = ctx.catalog.find_by_sha(detected.sha256)
    if existing is not None:
        return _known_bytes(ctx, path, detected, existing, received_at)
    ev = event_for(
        ctx,
        detected.sha256,
        "intake",
        "ok",
        path.name,
        mime=detected.mime,
        file_kind=detected.kind,
        pages=detected.pages,
        size=detected.size,
        extension_matches=detected.extension_matches,
    )
    return Accepted(detected, received_at, (ev,))


def _known_bytes(
    ctx: RunContext, path: Path, detected: Detected, existing: DocumentRecord, received_at: datetime
) -> Committed | Result:
    if existing.source_name == path.name and existing.released_at is None:
        # Committed by an interrupted run: finish indexing and release, not a duplicate.
        return Committed(existing, path)
    ctx.catalog.add_receipt(Receipt(existing.id, path.name, received_at, "duplicate"))
    ctx.catalog.record_event(
        event_for(ctx, detected.sha256, "duplicate", "info", path.name, of=existing.id),
        once_key=f"duplicate:{existing.id}:{path.name}:{received_at.isoformat()}",
    )
    _release_file(ctx, path, existing.id)
    reason = f"same bytes as {existing.id} ({existing.source_name})"
    return Result(path.name, "duplicate", existing.id, reason, existing.doc_type)


def quarantine(ctx: RunContext, path: Path, code: str, detail: str, attempt: int = 0) -> Result:
    """The event first, then the move: with the catalog unreachable the file stays in the
    inbox (a quarantined file without its event was an audit finding); a kill between the
    two leaves the file for the next run, whose event the once-key makes the same one."""
    sha = sha256_file(path)
    reason = {
        "file": path.name,
        "sha256": sha,
        "code": code,
        "detail": detail,
        "run_id": ctx.run_id,
        "at": datetime.now(UTC).isoformat(),
        "attempt": attempt,
        "action": "fix or replace the file, then drop it into the inbox again",
    }
    ctx.catalog.record_event(
        EventRecord(
            sha256=sha,
            kind="quarantine",
            outcome="fail",
            detail={"code": code, "detail": detail, "attempt": attempt},
            run_id=ctx.run_id,
            at=datetime.now(UTC),
            source_name=path.name,
        ),
        once_key=f"quarantine:{sha}:{path.name}" + (f":{attempt}" if attempt else ""),
    )
    quarantine_file(ctx.layout, path, sha, reason)
    return Result(path.name, "quarantined", None, f"{code}: {detail}")


# ------------------------------------------------------------------ the run's OCR cache


def ocr_cache_dir(ctx: RunContext, sha256: str) -> Path:
    return ctx.layout.cache / "ocr" / f"{sha256}-{ocr_fingerprint(ctx.ocr)}"


# ------------------------------------------------------------------ release


def release(ctx: RunContext, path: Path, record: DocumentRecord) -> None:
    """Last step: only now does the file leave the inbox.

    Its OCR cache goes too: the archive holds the text now, and the same bytes arriving
    again are a duplicate that is never OCRed.
    """
    _release_file(ctx, path, record.id)
    ctx.catalog.mark_released(record.id, datetime.now(UTC))
    shutil.rmtree(ocr_cache_dir(ctx, record.sha256), ignore_errors=True)


def _release_file(ctx: RunContext, path: Path, doc_id: str) -> None:
    if ctx.release_mode == "move":
        ctx.layout.processed.mkdir(parents=True, exist_ok=True)
        shutil.move(path, ctx.layout.processed / f"{doc_id}-{path.name}")
    else:
        path.unlink(missing_ok=True)
