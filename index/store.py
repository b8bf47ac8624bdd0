"""The index directory on disk: opening, creating, and the rebuild swap, under locks.

Two locks, both ``flock`` (released by the kernel when a process dies, so a crash never
leaves a stale lock behind):

- Whoosh's write lock inside the index directory: one writer at a time.
- A swap lock beside it (``<index>.lock``), held by a rebuild from start to swap and by
  whoever creates an empty index: so nobody creates an empty index in the instant a
  rebuild has renamed the old one away, and nobody "recovers" a swap that is running.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from index import schema
from index.errors import IndexBusy, IndexMissing

T = TypeVar("T")

# Whoosh names its write lock "<indexname>_WRITELOCK"; the default index name is MAIN.
WRITELOCK = "MAIN_WRITELOCK"
# A rebuild's two renames take microseconds; a reader arriving between them waits this long.
SWAP_WAIT = 2.0


def wait_for(attempt: Callable[[], T | None], timeout: float, path: Path) -> T:
    """Call ``attempt`` until it returns a value, backing off; ``IndexBusy`` at the end."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        result = attempt()
        if result is not None:
            return result
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise IndexBusy(
                f"the search index at {path} is locked by another writer "
                f"(waited {timeout:g} s); try again when the running ingest or reindex ends"
            )
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 1.0)


def _try_flock(fd: int) -> bool | None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return None
    return True


@contextmanager
def _flocked(lock_file: Path, timeout: float, path: Path) -> Iterator[None]:
    fd = os.open(lock_file, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        wait_for(lambda: _try_flock(fd), timeout, path)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def swap_lock(path: Path, timeout: float) -> contextlib.AbstractContextManager[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return _flocked(path.with_name(f"{path.name}.lock"), timeout, path)


def writer_lock(path: Path, timeout: float) -> contextlib.AbstractContextManager[None]:
    """Whoosh's own write lock, taken raw: an outdated index must still be replaceable."""
    return _flocked(path / WRITELOCK, timeout, path)


def _swap_running(path: Path) -> bool:
    try:
        with swap_lock(path, 0):
            return False
    except IndexBusy:
        return True


def _old_indexes(path: Path) -> list[Path]:
    prefix = f"{path.name}.old-"
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(prefix))


def recover_swap(path: Path) -> None:
    """Put the previous index back if a rebuild died between its two renames.

    Renaming back loses nothing: the old index was complete, and the fresh one (if it got
    that far) stays beside it as a ``.new-*`` directory.
    """
    if path.exists():
        return
    olds = [p for p in _old_indexes(path) if schema.has_index(p)]
    if not olds:
        return
    with contextlib.suppress(IndexBusy), swap_lock(path, 0):
        if not path.exists():
            olds[-1].rename(path)


def _wait_for_swap(path: Path) -> None:
    deadline = time.monotonic() + SWAP_WAIT
    while not path.exists() and _old_indexes(path) and time.monotonic() < deadline:
        if not _swap_running(path):
            recover_swap(path)
            return
        time.sleep(0.01)


def open_existing(path: Path) -> Any:
    """Open an index for reading or writing; never creates, never deletes."""
    recover_swap(path)
    if not schema.has_index(path):
        _wait_for_swap(path)
    if not schema.has_index(path):
        raise IndexMissing(f"no search index at {path}; {schema.REINDEX_HINT}")
    schema.check_version(path)
    return schema.open_dir(path)


def open_or_create(path: Path, timeout: float) -> Any:
    """Open the index at ``path``, creating an empty one (under the swap lock) if needed."""
    with contextlib.suppress(IndexMissing):
        return open_existing(path)
    with swap_lock(path, timeout):
        if schema.has_index(path):
            return open_existing(path)
        return schema.create(path)


def swap_in(path: Path, fresh: Path) -> Path | None:
    """Rename the old index aside, the fresh one into place; return where the old went."""
    old: Path | None = None
    if path.exists():
        stamp = time.strftime("%Y%m%dT%H%M%S")
        old = path.with_name(f"{path.name}.old-{stamp}-{os.getpid()}")
        path.rename(old)
    fresh.rename(path)
    schema.fsync_dir(path.parent)
    return old


def leftover_dirs(path: Path) -> list[Path]:
    """``.new-*`` / ``.old-*`` siblings left by interrupted rebuilds, for ``arsip verify``."""
    if not path.parent.is_dir():
        return []
    prefixes = (f"{path.name}.new-", f"{path.name}.old-")
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(prefixes))
