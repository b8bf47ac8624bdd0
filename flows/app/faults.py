"""Faults of the machine, not of the document: they stop the run and quarantine nothing.

A full disk, a read-only or unwritable data root, an I/O error: the file that was being
processed is fine, and quarantining it would tell a person to fix a document that has
nothing wrong with it (the audit quarantined 7 of 7 good documents on a read-only root
and exited 0). The run fails loudly instead, with its own exit code; the inbox file stays
where it is and the next run after the fix takes it.
"""

from __future__ import annotations

import errno

# OSError numbers that describe the storage or the machine, never the input's content.
STORAGE_ERRNOS = frozenset(
    {
        errno.ENOSPC,  # disk full
        errno.EDQUOT,  # quota exceeded
        errno.EROFS,  # read-only file system
        errno.EACCES,  # permission denied on the data root
        errno.EPERM,
        errno.EIO,  # the disk itself failed
        errno.EMFILE,  # out of file descriptors
        errno.ENFILE,
        errno.ENOMEM,
    }
)


class StorageFailure(Exception):
    """The data root (or the OCR cache, or a temp directory) cannot be written or read."""

    exit_code = 7


def is_storage_fault(exc: BaseException) -> bool:
    """True for an OSError (anywhere in the cause chain) with a machine-fault errno."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in STORAGE_ERRNOS:
            return True
        current = current.__cause__ or current.__context__
    return False


def storage_failure(exc: BaseException, doing: str) -> StorageFailure:
    what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
    return StorageFailure(
        f"{doing}: {what}{where}. The machine, not the document: nothing was quarantined "
        "and the file stays in the inbox; fix the storage and run again"
    )
