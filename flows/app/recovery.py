"""What a run does for the runs before it: clear what a killed run left, and give files
quarantined for an unexpected error another chance.

Both run at the start of an ingest run, under the data root's lock, so no other run can
be writing the staging directories or ``.part`` files removed here.

``processing_error`` means "our code failed on this file", not "this file is bad": the
cause may be gone by the next run (a bug fixed, a tool installed, a resource freed), so
such files go back to the inbox, up to :data:`MAX_ATTEMPTS` times, waiting
:data:`RETRY_AFTER_S` between tries. Every other reason is the document's own and waits
for a person.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.fixity import Problem
from archive.store import ArchiveLayout

RETRIABLE = frozenset({"processing_error"})
MAX_ATTEMPTS = 3
RETRY_AFTER_S = 15 * 60.0
REASON_SUFFIX = ".reason.json"
# A staging directory or .part file this old belongs to no live run.
STALE_AFTER_S = 3600.0


@dataclass(frozen=True)
class Requeued:
    name: str
    attempt: int  # the attempt this run makes (1 = first retry)


def retrying_dir(layout: ArchiveLayout) -> Path:
    return layout.quarantine / ".retrying"


def leftover_paths(layout: ArchiveLayout, older_than: float = 0.0) -> list[Path]:
    """Staging directories and partial quarantine copies that a killed run left."""
    now = time.time()
    found = [*_children(layout.staging), *layout.quarantine.glob("*.part")]
    return sorted(p for p in found if now - p.stat().st_mtime >= older_than)


def _children(directory: Path) -> list[Path]:
    return list(directory.iterdir()) if directory.is_dir() else []


def clean_leftovers(layout: ArchiveLayout) -> list[str]:
    """Remove them (called under the run lock: nothing live writes there)."""
    removed = []
    for path in leftover_paths(layout):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        removed.append(str(path.relative_to(layout.home)))
    return removed


def leftover_problems(layout: ArchiveLayout) -> list[Problem]:
    """For `arsip verify` and the doctor: leftovers older than any live run."""
    return [
        Problem(
            "leftover",
            None,
            str(p.relative_to(layout.home)),
            "left by a killed run; the next ingest run removes it",
        )
        for p in leftover_paths(layout, older_than=STALE_AFTER_S)
    ]


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def requeue_retriable(layout: ArchiveLayout, now: float | None = None) -> list[Requeued]:
    """Move ``processing_error`` files due for another try back into the inbox."""
    now = time.time() if now is None else now
    done = []
    for reason_file in sorted(layout.quarantine.glob(f"*{REASON_SUFFIX}")):
        reason = _read(reason_file)
        copy = reason_file.with_name(reason_file.name.removesuffix(REASON_SUFFIX))
        if reason is None or not copy.is_file() or not _due(reason, reason_file, now):
            continue
        target = layout.inbox / str(reason["file"])
        if target.exists() or target.name != Path(str(reason["file"])).name:
            continue  # a file of that name waits already; or a name we will not write
        retrying_dir(layout).mkdir(exist_ok=True)
        reason_file.replace(retrying_dir(layout) / reason_file.name)
        copy.replace(target)
        done.append(Requeued(target.name, int(reason.get("attempt", 0)) + 1))
    return done


def _due(reason: dict[str, Any], reason_file: Path, now: float) -> bool:
    attempts_left = int(reason.get("attempt", 0)) + 1 < MAX_ATTEMPTS
    waited = now - reason_file.stat().st_mtime >= RETRY_AFTER_S
    return reason.get("code") in RETRIABLE and attempts_left and waited


def attempt_of(layout: ArchiveLayout, path: Path, sha256: str) -> int:
    """Which try this is for the inbox file ``path`` (0 when it was never requeued)."""
    reason = _read(retrying_dir(layout) / f"{sha256[:12]}-{path.name}{REASON_SUFFIX}")
    if reason is None or reason.get("sha256") != sha256:
        return 0
    return int(reason.get("attempt", 0)) + 1


def settle_retries(layout: ArchiveLayout, still_in_inbox: set[str]) -> None:
    """After the run: forget the retries that ended (archived, or quarantined again)."""
    for reason_file in _children(retrying_dir(layout)):
        reason = _read(reason_file)
        if reason is None or str(reason.get("file")) not in still_in_inbox:
            reason_file.unlink(missing_ok=True)
