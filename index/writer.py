"""Writing the index: one synchronous writer per call, atomic rebuilds.

Whoosh allows one writer at a time and raises ``LockError`` on a second one; callers are
serialized upstream (a Prefect concurrency limit), so here a busy lock is waited for with
backoff and reported as ``IndexBusy`` when it stays busy. ``with ix.writer() as w`` commits
on success and cancels on error, so a failed batch leaves the index as it was.

A batch (``add_documents``) uses Whoosh's plain writer. A rebuild uses the writer of
``index.building``, in worker processes (``index.parallel``, one segment each, see
``default_procs``) once it has enough documents, and picks the index's common words from
its first documents (see ``index.phrase``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from whoosh.index import LockError  # type: ignore[import-untyped]

from index import building, parallel, schema, stems, store
from index.analysis import content_terms, pick_common_words
from index.docs import IndexDoc, index_fields
from index.errors import IndexMissing, SearchIndexError

DEFAULT_LOCK_TIMEOUT = 30.0
_WRITER_MB = 256
# The memory a parallel rebuild's workers share for postings before they spill sorted runs
# to disk (and merge them at the end: a third of a worker's commit at 128 MB each).
_REBUILD_MB = 512
# Separate segment files, not one compound file: a reader opens a compound segment's parts
# as in-memory copies (BytesIO), so every search copied the postings (measured ~20 ms per
# search at 2,000 documents, growing with the index); separate files are read in place.
_WRITER_OPTIONS = {"limitmb": _WRITER_MB, "compound": False}
# Worker processes for a rebuild when the caller does not say: this environment variable,
# else the CPUs this process may run on. 1 builds in the calling process.
PROCS_ENV = "ARSIP_INDEX_PROCS"
# Documents a rebuild reads first to pick the common words (see analysis.pick_common_words).
COMMON_SAMPLE_DOCS = 200
# Fewer documents than this are indexed in the calling process: starting workers costs
# more than they would save.
PARALLEL_MIN_DOCS = 200

__all__ = ["IndexDoc", "IndexHandle"]  # IndexDoc moved to index.docs; still importable here


@dataclass(frozen=True)
class IndexHandle:
    path: Path
    schema_version: int
    doc_count: int


# The field values of one document (kept under this name for callers of the old module).
_fields = index_fields
# Fields added to the schema without a new version: an index created before them is
# still current, and its documents are written without them.
OPTIONAL_FIELDS = ("folder",)


def _known_fields(values: dict[str, Any], whoosh_schema: Any) -> dict[str, Any]:
    for name in OPTIONAL_FIELDS:
        if name in values and name not in whoosh_schema:
            del values[name]
    return values


def _open_writer(path: Path, timeout: float) -> tuple[Any, Any]:
    """(index, writer) once the lock is free; reopened per try so a swap in between is seen."""

    def attempt() -> tuple[Any, Any] | None:
        ix = store.open_existing(path)
        try:
            return ix, ix.writer(**_WRITER_OPTIONS)
        except LockError:
            ix.close()
            return None

    return store.wait_for(attempt, timeout, path)


def open_or_create(
    path: str | os.PathLike[str], *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> IndexHandle:
    """Open the index at ``path``, creating an empty one if there is none yet."""
    where = Path(path)
    ix = store.open_or_create(where, lock_timeout)
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
    """Add or replace (by id) ``docs`` in one commit; returns how many were written.

    The batch is held in memory: ``update_document`` only replaces committed documents,
    so an id repeated within one batch would otherwise be indexed twice (the last wins).
    """
    latest = {doc.id: doc for doc in docs}
    where = Path(path)
    open_or_create(where, lock_timeout=lock_timeout)
    if not latest:
        return 0
    ix, writer = _open_writer(where, lock_timeout)
    try:
        common = schema.common_words(writer.schema)
        with writer:
            for doc in latest.values():
                writer.update_document(**_known_fields(index_fields(doc, common), writer.schema))
        stems.save_table(where)  # the new words' stems, for the searches that highlight
        return len(latest)
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
        ix = store.open_existing(Path(path))
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
        ix = store.open_existing(Path(path))
    except IndexMissing:
        return False
    try:
        with ix.searcher() as searcher:
            return searcher.document_number(id=doc_id) is not None
    finally:
        ix.close()


def default_procs() -> int:
    """Worker processes for ``rebuild``: ``$ARSIP_INDEX_PROCS``, else the usable CPUs."""
    configured = os.environ.get(PROCS_ENV, "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ValueError(f"{PROCS_ENV} must be a whole number, not {configured!r}") from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def rebuild(
    path: str | os.PathLike[str],
    docs: Iterable[IndexDoc],
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    procs: int | None = None,
) -> int:
    """Build a fresh index beside ``path`` and swap it in; the old one serves until then.

    The old index's write lock is held throughout, so a batch cannot land in the index
    that is about to be replaced; it waits and then goes into the new one.

    ``procs`` worker processes analyze and index the documents, each into a segment of
    its own (``default_procs()`` when not given; 1, or fewer than ``PARALLEL_MIN_DOCS``
    documents, indexes in this process). The documents are read here, in order, so
    ``docs`` may be any iterable.
    """
    workers = default_procs() if procs is None else procs
    if workers < 1:
        raise ValueError(f"procs must be 1 or more, not {workers}")
    where = Path(path)
    store.recover_swap(where)
    with contextlib.ExitStack() as locks:
        locks.enter_context(store.swap_lock(where, lock_timeout))
        if schema.has_index(where):
            locks.enter_context(store.writer_lock(where, lock_timeout))
        fresh = Path(tempfile.mkdtemp(prefix=f"{where.name}.new-", dir=where.parent))
        try:
            fresh.chmod(0o755)  # mkdtemp makes it private; readers may be another user
            count = _fill(fresh, docs, workers)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        old = store.swap_in(where, fresh)
    if old is not None and schema.has_index(old):
        shutil.rmtree(old)
    elif old is not None and not any(old.iterdir()):
        old.rmdir()
    return count


def _fill(fresh: Path, docs: Iterable[IndexDoc], procs: int) -> int:
    stream = iter(docs)
    # The first documents decide which words are common enough to be paired.
    head = list(islice(stream, max(COMMON_SAMPLE_DOCS, PARALLEL_MIN_DOCS)))
    common = pick_common_words([content_terms(doc.text, stem=False).exact for doc in head])
    schema.create(fresh, common).close()
    seen: set[str] = set()

    def checked() -> Iterator[IndexDoc]:
        for doc in chain(head, stream):
            if doc.id in seen:
                # Streamed, so an earlier copy cannot be taken back: refuse loudly.
                raise ValueError(f"rebuild input repeats document id {doc.id!r}")
            seen.add(doc.id)
            yield doc

    if procs > 1 and len(head) >= PARALLEL_MIN_DOCS:
        stems.save_table(fresh, parallel.build(fresh, checked(), procs, _REBUILD_MB))
    else:
        _build_here(fresh, checked(), common)
        stems.save_table(fresh)
    with contextlib.suppress(OSError):
        (fresh / f"{schema.INDEX_NAME}.tmp").rmdir()  # Whoosh's scratch directory, empty
    # A worker's documents must all be there: check before the swap, not after.
    found = _doc_count(fresh)
    if found != len(seen):
        raise SearchIndexError(
            f"rebuild wrote {found} of {len(seen)} documents; the old index is kept"
        )
    return len(seen)


def _build_here(fresh: Path, docs: Iterable[IndexDoc], common: frozenset[str]) -> None:
    ix = schema.open_dir(fresh)
    try:
        with building.BuildWriter(ix, **_WRITER_OPTIONS) as writer:
            for doc in docs:
                writer.add_document(**index_fields(doc, common))
    finally:
        ix.close()


def _doc_count(path: Path) -> int:
    ix = schema.open_dir(path)
    try:
        return int(ix.doc_count())
    finally:
        ix.close()


def leftover_dirs(path: str | os.PathLike[str]) -> list[Path]:
    """``.new-*`` / ``.old-*`` siblings left by interrupted rebuilds, for ``arsip verify``."""
    return store.leftover_dirs(Path(path))
