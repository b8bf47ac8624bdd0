"""Writing the index: one synchronous writer per call, atomic rebuilds.

Whoosh allows one writer at a time and raises ``LockError`` on a second one; callers are
serialized upstream (a Prefect concurrency limit), so here a busy lock is waited for with
backoff and reported as ``IndexBusy`` when it stays busy. ``with ix.writer() as w`` commits
on success and cancels on error, so a failed batch leaves the index as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh.filedb.filestore import FileStorage  # type: ignore[import-untyped]
from whoosh.index import LockError  # type: ignore[import-untyped]

from index import schema
from index.access import ACCESS_LEVELS
from index.analysis import find_codes, normalize_number
from index.errors import IndexBusy, IndexMissing

T = TypeVar("T")

DEFAULT_LOCK_TIMEOUT = 30.0
_WRITER_MB = 256


@dataclass(frozen=True)
class IndexDoc:
    """What the index needs to know about one archived document."""

    id: str
    number: str | None
    title: str | None
    text: str
    doc_type: str
    unit: str | None
    access: str
    date: date | None
    year: int | None
    source_name: str
    codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("IndexDoc.id must not be empty")
        if self.access not in ACCESS_LEVELS:
            raise ValueError(f"IndexDoc {self.id}: unknown access level {self.access!r}")


@dataclass(frozen=True)
class IndexHandle:
    path: Path
    schema_version: int
    doc_count: int


def _fields(doc: IndexDoc) -> dict[str, Any]:
    title = doc.title or ""
    codes = {"".join(code.split()).lower() for code in doc.codes if code.strip()}
    codes |= find_codes(doc.text) | find_codes(title)
    values: dict[str, Any] = {
        "id": doc.id,
        "title": title,
        "title_exact": title,
        "content": doc.text,
        "content_exact": doc.text,
        "codes": " ".join(sorted(codes)),
        "doc_type": doc.doc_type,
        "access": doc.access,
        "source_name": doc.source_name,
    }
    if doc.number:
        values["number"] = doc.number
        values["number_norm"] = normalize_number(doc.number)
    if doc.unit:
        values["unit"] = doc.unit
    year = doc.year if doc.year is not None else (doc.date.year if doc.date else None)
    if year is not None:
        values["year"] = year
    if doc.date is not None:
        values["date"] = datetime(doc.date.year, doc.date.month, doc.date.day)
    return values


def _wait_for(attempt: Callable[[], T | None], timeout: float, path: Path) -> T:
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


def _open_writer(path: Path, timeout: float) -> tuple[Any, Any]:
    """(index, writer) once the lock is free; reopened per try so a swap in between is seen."""

    def attempt() -> tuple[Any, Any] | None:
        try:
            ix = schema.open_existing(path)
        except IndexMissing:
            return None  # a rebuild is between its two renames
        try:
            return ix, ix.writer(limitmb=_WRITER_MB)
        except LockError:
            ix.close()
            return None

    schema.open_existing(path).close()  # a missing or outdated index fails now, not late
    return _wait_for(attempt, timeout, path)


def open_or_create(path: str | os.PathLike[str]) -> IndexHandle:
    """Open the index at ``path``, creating an empty one if there is none yet."""
    where = Path(path)
    schema.recover_swap(where)
    ix = schema.open_existing(where) if schema.has_index(where) else schema.create(where)
    try:
        return IndexHandle(where, schema.SCHEMA_VERSION, int(ix.doc_count()))
    finally:
        ix.close()


def add_documents(
    path: str | os.PathLike[str],
    docs: Iterable[IndexDoc],
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> int:
    """Add or replace (by id) ``docs`` in one commit; returns how many were written."""
    where = Path(path)
    open_or_create(where)
    ix, writer = _open_writer(where, lock_timeout)
    try:
        count = 0
        with writer:
            for doc in docs:
                writer.update_document(**_fields(doc))
                count += 1
        return count
    finally:
        ix.close()


def delete_documents(
    path: str | os.PathLike[str],
    ids: Iterable[str],
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> int:
    """Remove documents by id in one commit; returns how many were found and removed."""
    ix, writer = _open_writer(Path(path), lock_timeout)
    try:
        with writer:
            return sum(int(writer.delete_by_term("id", doc_id)) for doc_id in ids)
    finally:
        ix.close()


def indexed_ids(path: str | os.PathLike[str]) -> set[str]:
    """Ids of every live document in the index (empty when there is no index yet)."""
    try:
        ix = schema.open_existing(Path(path))
    except IndexMissing:
        return set()
    try:
        with ix.searcher() as searcher:
            return {str(stored["id"]) for stored in searcher.all_stored_fields()}
    finally:
        ix.close()


def contains(path: str | os.PathLike[str], doc_id: str) -> bool:
    """The "index holds the id" checkpoint: is ``doc_id`` findable after the commit?"""
    try:
        ix = schema.open_existing(Path(path))
    except IndexMissing:
        return False
    try:
        with ix.searcher() as searcher:
            return searcher.document_number(id=doc_id) is not None
    finally:
        ix.close()


@contextmanager
def _locked_for_rebuild(path: Path, timeout: float) -> Iterator[None]:
    """Hold the current index's write lock so no batch lands in an index being replaced."""
    if not schema.has_index(path):
        yield
        return
    # The raw lock, not ix.writer(): an outdated index must still be replaceable.
    lock = FileStorage(str(path)).lock(schema.WRITELOCK)
    _wait_for(lambda: True if lock.acquire(blocking=False) else None, timeout, path)
    try:
        yield
    finally:
        lock.release()


def rebuild(
    path: str | os.PathLike[str],
    docs: Iterable[IndexDoc],
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> int:
    """Build a fresh index beside ``path`` and swap it in; the old one serves until then."""
    where = Path(path)
    where.parent.mkdir(parents=True, exist_ok=True)
    schema.recover_swap(where)
    old: Path | None = None
    with _locked_for_rebuild(where, lock_timeout):
        fresh = Path(tempfile.mkdtemp(prefix=f"{where.name}.new-", dir=where.parent))
        try:
            count = _fill(fresh, docs)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        old = _swap(where, fresh)
    if old is not None and schema.has_index(old):
        shutil.rmtree(old)
    return count


def _fill(fresh: Path, docs: Iterable[IndexDoc]) -> int:
    ix = schema.create(fresh)
    try:
        count = 0
        with ix.writer(limitmb=_WRITER_MB) as writer:
            for doc in docs:
                writer.add_document(**_fields(doc))
                count += 1
        return count
    finally:
        ix.close()


def _swap(path: Path, fresh: Path) -> Path | None:
    """Rename the old index aside, the new one into place; return where the old went."""
    old: Path | None = None
    if path.exists():
        stamp = time.strftime("%Y%m%dT%H%M%S")
        old = path.with_name(f"{path.name}.old-{stamp}-{os.getpid()}")
        path.rename(old)
    fresh.rename(path)
    schema.fsync_dir(path.parent)
    return old


def leftover_dirs(path: str | os.PathLike[str]) -> list[Path]:
    """``.new-*`` / ``.old-*`` siblings left by interrupted rebuilds, for ``arsip verify``."""
    where = Path(path)
    if not where.parent.is_dir():
        return []
    prefixes = (f"{where.name}.new-", f"{where.name}.old-")
    return sorted(p for p in where.parent.iterdir() if p.name.startswith(prefixes))
