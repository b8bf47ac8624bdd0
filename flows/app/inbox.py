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

    exit_code = 75


def ready_files(inbox: Path, settle_seconds: float) -> tuple[list[Path], list[Path]]:
    """Files to take now, and files still being written: changed in the last seconds, or
    held open for writing by any process (a scanner that stalls longer than the settle
    time must not lose the rest of its file: the audit lost 50 of 64 lines that way)."""
    if not inbox.exists():
        return [], []
    ready, settling = [], []
    now = time.time()
    writing = files_open_for_writing()
    for path in sorted(inbox.iterdir()):
        if not path.is_file() or path.is_symlink() or _is_partial(path.name):
            continue
        st = path.stat()
        if now - st.st_mtime < settle_seconds or (st.st_dev, st.st_ino) in writing:
            settling.append(path)
        else:
            ready.append(path)
    return ready, settling


def files_open_for_writing(proc: Path = Path("/proc")) -> set[tuple[int, int]]:
    """(device, inode) of every file some process has open for writing, from /proc.

    Only processes this user may inspect are seen: run ingest as the user (or root) that
    writes into the inbox. On a shared network folder the writer is on another machine
    and invisible here; the settle time is the only guard there.
    """
    found: set[tuple[int, int]] = set()
    for fdinfo in proc.glob("[0-9]*/fdinfo/*"):
        try:
            flags = int(fdinfo.read_text().split("flags:", 1)[1].split()[0], 8)
            if flags & (os.O_WRONLY | os.O_RDWR):
                st = (fdinfo.parent.parent / "fd" / fdinfo.name).stat()
                found.add((st.st_dev, st.st_ino))
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile, not ours to read, or not a file
    return found


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


def run_in_progress(lock_file: Path) -> bool:
    """Whether a process holds ``lock_file``'s lock now, read from the kernel's lock table
    (``/proc/locks``) without taking it: a probe that took the lock, however briefly, could
    make a scheduled run that starts at that moment skip the root. False where the table
    cannot be read or does not name the file (then nobody is known to hold it)."""
    try:
        found = lock_file.stat()
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    key = f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
    for line in table.splitlines():
        parts = line.split()  # "1: FLOCK ADVISORY WRITE <pid> <maj:min:inode> 0 EOF"
        if len(parts) > 5 and parts[1] == "FLOCK" and parts[5] == key:
            return True  # a waiter's line reads "1: -> FLOCK ...": parts[1] is "->"
    return False


def _acquire(fd: int, lock_file: Path, deadline: float) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError as exc:
            if time.monotonic() >= deadline:
                raise IngestBusy(f"another ingest run is using {lock_file.parent}") from exc
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
