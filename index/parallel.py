"""A rebuild spread over worker processes, each writing one segment of the new index.

The caller's process reads the documents (``rebuild`` takes any iterable) and hands them
out in batches; a worker analyzes its documents itself (``docs.index_fields``: the
tokenizing and stemming, most of the cost besides writing) and writes them with a
``BuildWriter`` into a segment of its own. Nothing is merged: the caller writes the new
index's table of contents with every worker's segment, or nothing at all.

Failure rules, so that a rebuild either completes or fails cleanly (the caller then
deletes only the unfinished new directory; the live index is never touched here):

- a worker that dies or fails is noticed within ``POLL_SECONDS`` wherever the caller
  waits (handing out a batch, waiting for segments), and fails the build;
- a worker whose caller died stops on its own: it watches the caller through
  ``multiprocessing.parent_process()``, which under every start method is the process
  that started it (``os.getppid()`` is not: under ``forkserver`` it is the fork server);
- a worker that is merely idle (the caller is slow to read documents) keeps waiting;
- each worker has its own scratch directory (``BuildWriter``), so a worker that stops
  early deletes nothing of the others'.

Workers start from a fork server by default, not forked from the caller: a caller with
threads (Prefect's engine, a web server) would fork its locks mid-use. As with any
``forkserver`` or ``spawn`` process, the caller's main module is imported again in the
worker: a script that rebuilds must do so under ``if __name__ == "__main__":`` (the
``arsip`` command and pytest do).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import traceback
from collections.abc import Iterable
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from whoosh.index import TOC, clean_files  # type: ignore[import-untyped]

from index import schema, stems
from index.building import BuildWriter
from index.docs import IndexDoc, index_fields
from index.errors import SearchIndexError

# Documents per batch handed to a worker.
BATCH = 100
# How often a waiting caller or an idle worker checks that the other side is alive.
POLL_SECONDS = 1.0
START_METHOD = "forkserver"
_DONE = None


def _worker(path: str, limitmb: int, jobs: Any, results: Any) -> None:
    """A worker process: index the batches from ``jobs`` until told to finish."""
    parent = multiprocessing.parent_process()
    ix = schema.open_dir(Path(path))
    writer = BuildWriter(ix, limitmb=limitmb, compound=False, _lk=False)
    common = schema.common_words(writer.schema)
    count = 0
    try:
        while True:
            try:
                batch = jobs.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if parent is not None and not parent.is_alive():
                    writer.cancel()  # nobody is left to commit this segment
                    return
                continue
            if batch is _DONE:
                break
            for doc in batch:
                writer.add_document(**index_fields(doc, common))
            count += len(batch)
        # The worker's stems go back with its segment: the caller keeps them beside the index.
        results.put(("segment", count, (writer.finish_segment(), stems.table())))
    except BaseException:
        results.put(("error", 0, traceback.format_exc(limit=5)))
        raise
    finally:
        ix.close()


class ParallelBuild:
    """Index documents into the empty index at ``path`` with ``procs`` worker processes."""

    def __init__(
        self, path: Path, procs: int, limitmb: int, start_method: str = START_METHOD
    ) -> None:
        self.path = path
        context: BaseContext = multiprocessing.get_context(start_method)
        self._jobs = context.Queue(procs * 2)
        self._results = context.Queue()
        # The workers share the memory budget: each spills its runs at limitmb / procs.
        share = max(limitmb // procs, 1)
        self._workers = [
            context.Process(  # type: ignore[attr-defined]
                target=_worker,
                args=(str(path), share, self._jobs, self._results),
                name=f"arsip-index-worker-{n}",
                daemon=True,  # never outlive an interpreter that exits normally
            )
            for n in range(procs)
        ]
        self._batch: list[IndexDoc] = []
        self._sent = 0
        self.stems: dict[str, str] = {}  # what the workers stemmed, once committed

    def __enter__(self) -> ParallelBuild:
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self._commit()
        else:
            self.cancel()

    def add(self, doc: IndexDoc) -> None:
        self._batch.append(doc)
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._put(self._batch)
            self._sent += len(self._batch)
            self._batch = []

    def _check_workers(self) -> None:
        """Raise if a worker failed, or if every worker ended (none is left to work)."""
        failed = [w for w in self._workers if w.exitcode not in (None, 0)]
        if failed:
            codes = ", ".join(str(w.exitcode) for w in failed)
            raise SearchIndexError(f"index worker process ended early (exit code {codes})")
        if all(w.exitcode is not None for w in self._workers):
            raise SearchIndexError("index worker processes ended before their work")

    def _put(self, item: list[IndexDoc] | None) -> None:
        while True:
            try:
                self._jobs.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                self._check_workers()

    def _result(self) -> tuple[str, int, Any]:
        while True:
            try:
                return self._results.get(timeout=POLL_SECONDS)  # type: ignore[no-any-return]
            except queue.Empty:
                with contextlib.suppress(SearchIndexError):
                    self._check_workers()
                    continue
                # Every worker ended: a result sent just before the end may still be in
                # the pipe, unless a worker failed.
                if any(w.exitcode not in (None, 0) for w in self._workers):
                    self._check_workers()
                try:
                    return self._results.get(timeout=POLL_SECONDS)  # type: ignore[no-any-return]
                except queue.Empty:
                    message = "an index worker process ended without its segment"
                    raise SearchIndexError(message) from None

    def _commit(self) -> None:
        try:
            self._flush()
            for _worker_process in self._workers:
                self._put(_DONE)
            segments, count = self._segments()
            for worker in self._workers:
                worker.join()
            self._check_exit_codes()
        except BaseException:
            self.cancel()
            raise
        if count != self._sent:
            raise SearchIndexError(f"index workers wrote {count} of {self._sent} documents")
        self._write_toc(segments)
        self._close_queues()

    def _segments(self) -> tuple[list[Any], int]:
        segments, count = [], 0
        for _worker_process in self._workers:
            kind, written, payload = self._result()
            if kind == "error":
                raise SearchIndexError(f"an index worker process failed:\n{payload}")
            count += written
            segment, worker_stems = payload
            self.stems.update(worker_stems)
            # A worker that got no batch (another took them all) wrote an empty segment.
            if segment.doc_count_all():
                segments.append(segment)
        return segments, count

    def _check_exit_codes(self) -> None:
        if any(w.exitcode != 0 for w in self._workers):
            codes = ", ".join(str(w.exitcode) for w in self._workers)
            raise SearchIndexError(f"index worker processes exited with codes {codes}")

    def _write_toc(self, segments: list[Any]) -> None:
        ix = schema.open_dir(self.path)
        try:
            generation = ix.latest_generation() + 1
            TOC(ix.schema, segments, generation).write(ix.storage, ix.indexname)
            clean_files(ix.storage, ix.indexname, generation, segments)
        finally:
            ix.close()
        with contextlib.suppress(OSError):  # Whoosh's shared scratch directory, unused
            (self.path / f"{schema.INDEX_NAME}.tmp").rmdir()

    def cancel(self) -> None:
        for worker in self._workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self._workers:
            if worker.pid is not None:
                worker.join()
        self._close_queues()

    def _close_queues(self) -> None:
        # Batches nobody will read must not keep this process from exiting.
        for channel in (self._jobs, self._results):
            channel.cancel_join_thread()
            channel.close()


def build(path: Path, docs: Iterable[IndexDoc], procs: int, limitmb: int) -> dict[str, str]:
    """Index ``docs`` into the empty index at ``path`` with ``procs`` workers; returns
    the stems the workers computed (word -> stem)."""
    with ParallelBuild(path, procs, limitmb) as parallel:
        for doc in docs:
            parallel.add(doc)
    return parallel.stems
