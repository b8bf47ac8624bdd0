"""The inbox: which files are ready to take, and one ingest run at a time per data root."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.layout import PART_SUFFIX, REASON_SUFFIX

# Names scanners and copy tools use while a file is still being written.
_PARTIAL_SUFFIXES = (PART_SUFFIX, ".tmp", ".crdownload", ".partial", REASON_SUFFIX)


class IngestBusy(Exception):
    """Another ingest run holds the lock for this data root."""


def ready_files(inbox: Path, settle_seconds: float) -> tuple[list[Path], list[Path]]:
    """Files to take now, and files still being written (changed in the last seconds)."""
    if not inbox.exists():
        return [], []
    ready, settling = [], []
    now = time.time()
    for path in sorted(inbox.iterdir()):
        if not path.is_file() or path.is_symlink() or _is_partial(path.name):
            continue
        if now - path.stat().st_mtime < settle_seconds:
            settling.append(path)
        else:
            ready.append(path)
    return ready, settling


def _is_partial(name: str) -> bool:
    return name.startswith((".", "~$")) or name.lower().endswith(_PARTIAL_SUFFIXES)


def data_root_lock(home: Path) -> Path:
    """The one lock file of a data root: ingest, reindex and the verify flow share it."""
    return home / ".ingest.lock"


@contextmanager
def run_lock(lock_file: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """An exclusive lock: overlapping runs never take the same file twice.

    Non-blocking by default (a scheduled ingest simply skips a busy root); maintenance
    flows pass ``wait_seconds`` to queue behind a running ingest instead of failing.
    The kernel drops a flock when its holder dies, so a killed run never leaves it stuck.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, lock_file, time.monotonic() + wait_seconds)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


def _acquire(fd: int, lock_file: Path, deadline: float) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError as exc:
            if time.monotonic() >= deadline:
                raise IngestBusy(f"another ingest run is using {lock_file.parent}") from exc
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
