"""Whoosh writers tuned for building a whole index at once (``rebuild``).

A rebuild writes tens of millions of postings, and Whoosh's posting pool handles each of
them several times in Python: it sorts all postings of a run as (field, term, document,
...) tuples, spills each run to a file one pickled posting at a time, reads them back one
at a time and merges the runs posting by posting. ``GroupedPool`` keeps the postings
grouped by term instead: documents arrive in increasing order, so each term's list is
already sorted; only the distinct terms of a run are sorted, runs are pickled a few
thousand terms at a time and merged term by term. Same postings, same order.

When the segment is written, Whoosh looks up the document's field length for every
posting, through a seek and read in the lengths column, and adds each posting to the
block being written through a method that type-checks it; ``BuildWriter`` reads each
field's lengths once into a list and fills a term's blocks a block at a time. The files
written are byte for byte those of Whoosh's ``SegmentWriter`` (tests/index/test_building).

``ParallelWriter`` spreads the documents over worker processes, each writing its own
segment (Whoosh's ``MpWriter`` with ``multisegment=True``, so nothing is merged at the
end). It differs from ``MpWriter`` where that one can hang or lose documents: a worker
that dies is noticed (instead of the parent blocking on a full queue, or committing
without that worker's segment), a cancelled build terminates its workers (``MpWriter``
leaves them waiting for jobs forever), and a worker whose parent was killed exits on its
own. A build smaller than one batch runs in the parent alone, without starting workers.
"""

from __future__ import annotations

import heapq
import multiprocessing
import os
import pickle
import queue
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import itemgetter
from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter  # type: ignore[import-untyped]
from whoosh.multiproc import MpWriter, SubWriterTask  # type: ignore[import-untyped]
from whoosh.util import random_name  # type: ignore[import-untyped]
from whoosh.writing import PostingPool, SegmentWriter  # type: ignore[import-untyped]

from index.errors import SearchIndexError

# Terms per pickled chunk of a spilled run.
CHUNK = 2_000
# Estimated memory of one posting and of one term's entry, besides their bytes (the
# estimate only decides when a run is spilled, as Whoosh's own estimate does).
_POSTING_BYTES = 140
_TERM_BYTES = 150
# Documents per job file handed to a worker.
BATCH = 100
# How often a blocked parent or an idle worker checks that the other side is alive.
_POLL_SECONDS = 1.0

Key = tuple[str, bytes]  # (field name, term bytes)
Posting = tuple[int, float, "bytes | None"]  # (document number, weight, value bytes)
_by_key = itemgetter(0)


class GroupedPool(PostingPool):  # type: ignore[misc]
    """A ``PostingPool`` holding each term's postings together, in document order.

    Only for writers that add documents in increasing document number (a new segment
    filled by ``add_document``), which is what keeps each term's list sorted.
    """

    runs: list[str]

    def __init__(self, tempstore: Any, segment: Any, limitmb: int = 128, **kw: Any) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kw)
        self.groups: dict[Key, list[Posting]] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, text, docnum, weight, value = item
        key = (fieldname, text)
        postings = self.groups.get(key)
        if postings is None:
            self.groups[key] = postings = []
            self.fieldnames.add(fieldname)
            self.currentsize += _TERM_BYTES + len(text)
        postings.append((docnum, weight, value))
        self.currentsize += _POSTING_BYTES + (len(value) if value else 0)
        if self.currentsize > self.limit:
            self.save()

    def save(self) -> None:
        if self.groups:
            path, f = self._new_run()
            self._write_run(f, sorted(self.groups.items(), key=_by_key))
            self._add_run(path)
        self.groups = {}
        self.currentsize = 0

    def _write_run(self, f: Any, groups: Iterable[tuple[Key, list[Posting]]]) -> None:
        try:
            iterator = iter(groups)
            while chunk := list(islice(iterator, CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

    def _read_run(self, path: str) -> Iterator[tuple[Key, list[Posting]]]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)  # noqa: S301 - a run this pool wrote itself
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)

    def items(self, maxfiles: int = 128) -> Iterator[tuple[str, bytes, int, float, Any]]:
        return _flatten(self.terms())

    def terms(self) -> Iterable[tuple[Key, list[Posting]]]:
        """Every term with its postings, in term order (and each list in document order)."""
        if not self.runs:
            groups = sorted(self.groups.items(), key=_by_key)
            self.groups = {}
            return groups
        self.save()
        runs: list[str] = self.runs
        self.runs = []
        # heapq.merge is stable: a term's postings from earlier runs (lower document
        # numbers) come first.
        return _joined(heapq.merge(*(self._read_run(path) for path in runs), key=_by_key))

    def reduce_to(self, target: int, k: int) -> None:
        raise NotImplementedError("GroupedPool runs are merged only by items()")


def _joined(
    groups: Iterable[tuple[Key, list[Posting]]],
) -> Iterator[tuple[Key, list[Posting]]]:
    """One entry a term: a term found in several runs comes once from each."""
    key: Key | None = None
    postings: list[Posting] = []
    for next_key, more in groups:
        if next_key == key:
            postings.extend(more)
            continue
        if key is not None:
            yield key, postings
        key, postings = next_key, more
    if key is not None:
        yield key, postings


def _flatten(
    groups: Iterable[tuple[Key, list[Posting]]],
) -> Iterator[tuple[str, bytes, int, float, Any]]:
    for (fieldname, text), postings in groups:
        for docnum, weight, value in postings:
            yield fieldname, text, docnum, weight, value


class _Lengths:
    """A per-document reader's field lengths, read once per field into memory."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._count = int(reader.doc_count_all())
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self.field(fieldname)[docnum]

    def field(self, fieldname: str) -> list[int]:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = [read(n, fieldname, 0) for n in range(self._count)]
            self._fields[fieldname] = lengths
        return lengths


class BuildWriter(SegmentWriter):  # type: ignore[misc]
    """``SegmentWriter`` with ``GroupedPool`` and in-memory field lengths."""

    def __init__(self, ix: Any, limitmb: int = 128, **options: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **options)
        # Whoosh accepts a poolclass argument but ignores it.
        self.pool = GroupedPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def _flush_segment(self) -> None:
        # SegmentWriter._flush_segment, with the lengths read through _Lengths and, for
        # Whoosh's own codec, the postings written a block at a time.
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader) if reader is not None else None
        try:
            writer = self.fieldwriter
            if lengths is not None and type(writer) is W3FieldWriter:
                _write_terms(writer, self.schema, lengths, self.pool.terms())
            else:
                writer.add_postings(self.schema, lengths, self.pool.iter_postings())
            writer.close()
        finally:
            if reader is not None:
                reader.close()


def _write_terms(
    writer: Any, schema: Any, lengths: _Lengths, terms: Iterable[tuple[Key, list[Posting]]]
) -> None:
    """``FieldWriter.add_postings`` for grouped postings: the same calls and the same
    bytes, but each block's postings are added to the ``W3PostingsWriter`` buffer together
    instead of through ``add_posting`` one by one (which checks and appends each)."""
    current = None
    field_lengths: list[int] = []
    for (fieldname, text), postings in terms:
        if fieldname != current:
            if current is not None:
                writer.finish_field()
            writer.start_field(fieldname, schema[fieldname])
            current = fieldname
            field_lengths = lengths.field(fieldname)
        writer.start_term(text)
        block = writer._postwriter
        limit = block._blocklimit
        for start in range(0, len(postings), limit):
            if start:
                block._write_block()  # add_posting writes a full block before adding more
            docnums, weights, values = zip(*postings[start : start + limit], strict=True)
            block._ids.extend(docnums)
            block._weights.extend(weights)
            block._maxweight = max(block._maxweight, *weights)
            block._values.extend([value for value in values if value])
            found = [n for n in map(field_lengths.__getitem__, docnums) if n]
            if found:
                shortest, longest = min(found), max(found)
                if block._minlength is None or shortest < block._minlength:
                    block._minlength = shortest
                block._maxlength = max(block._maxlength, longest)
        writer.finish_term()


class _Worker(SubWriterTask):  # type: ignore[misc]
    """Writes the documents of the job files it is given into one segment of its own."""

    def __init__(self, parent: ParallelWriter) -> None:
        super().__init__(
            parent.storage,
            parent.indexname,
            parent.jobqueue,
            parent.resultqueue,
            parent.subargs,
            True,
        )
        self.parent_pid = os.getpid()
        self.daemon = True  # never outlive an interpreter that exits normally

    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        # Started from a clean fork server, not forked from the caller: a caller with
        # threads (Prefect's engine, a web server) forks its locks mid-use, and the
        # worker then dies at start (seen: exit code 1 after a Prefect run in-process).
        context = multiprocessing.get_context("forkserver")
        return context.Process._Popen(process_obj)

    def run(self) -> None:  # in the worker process
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = BuildWriter(ix, _lk=False, **self.kwargs)
        while True:
            try:
                job = self.jobqueue.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if os.getppid() != self.parent_pid:  # the parent died: nobody will commit
                    writer.cancel()
                    return
                continue
            if job is None:
                break
            self._process_file(*job)
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment))


class ParallelWriter(MpWriter, BuildWriter):  # type: ignore[misc]
    """``MpWriter(multisegment=True)`` with ``BuildWriter``'s pool, made failure-safe."""

    docbuffer: list[tuple[int, dict[str, Any]]]
    tasks: list[_Worker]

    def __init__(
        self, ix: Any, procs: int, limitmb: int = 128, batchsize: int | None = None, **options: Any
    ) -> None:
        batch = batchsize or BATCH
        # The workers share the memory budget: each spills its runs at limitmb / procs.
        share = max(limitmb // procs, 1)
        MpWriter.__init__(
            self,
            ix,
            procs=procs,
            batchsize=batch,
            multisegment=True,
            limitmb=share,
            **options,
        )
        self.pool = GroupedPool(self._tempstorage, self.newsegment, limitmb=share)
        # Queues must come from the same (fork server) context as the workers.
        context = multiprocessing.get_context("forkserver")
        self.jobqueue = context.Queue(self.procs * 4)
        self.resultqueue = context.Queue()

    def _new_task(self) -> _Worker:
        task = _Worker(self)
        self.tasks.append(task)
        task.start()
        return task

    def _check_workers(self) -> None:
        """Raise if a worker failed, or if all of them ended (nobody left to do the work)."""
        failed = [task for task in self.tasks if task.exitcode not in (None, 0)]
        if failed:
            codes = ", ".join(str(task.exitcode) for task in failed)
            raise SearchIndexError(f"index worker process ended early (exit code {codes})")
        if self.tasks and all(task.exitcode is not None for task in self.tasks):
            raise SearchIndexError("index worker processes ended before their work")

    def _put(self, job: Any) -> None:
        while True:
            try:
                self.jobqueue.put(job, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                self._check_workers()

    def _enqueue(self) -> None:
        # MpWriter._enqueue, with a faster pickle protocol and a put that notices dead
        # workers instead of blocking forever.
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, pickle.HIGHEST_PROTOCOL)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def commit(self, mergetype: Any = None, optimize: Any = None, merge: Any = None) -> None:
        if not self.tasks:
            # Less than one batch: not worth a process; index it here.
            for _code, fields in self.docbuffer:
                SegmentWriter.add_document(self, **fields)
            self.docbuffer = []
            SegmentWriter.commit(self, mergetype=mergetype, optimize=optimize, merge=merge)
            return
        self._commit(mergetype, optimize, merge)

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        # MpWriter._commit for multisegment, collecting every worker's segment or failing.
        try:
            if self.docbuffer:
                self._enqueue()
            for _task in self.tasks:
                self._put(None)
            segments = list(self._merge_segments(mergetype, optimize, merge))
            results = [self._result() for _task in self.tasks]
            for task in self.tasks:
                task.join()
            if any(task.exitcode != 0 for task in self.tasks):
                self._check_workers()
        except BaseException:
            self.cancel()
            raise
        # A worker that got no job (another took them all) wrote an empty segment.
        segments += [seg for _run, _fields, seg in results if seg.doc_count_all()]
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()

    def _result(self) -> Any:
        while True:
            try:
                return self.resultqueue.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                try:
                    self._check_workers()
                except SearchIndexError:
                    # All ended: a result sent just before the end may still be in the pipe.
                    if any(task.exitcode not in (None, 0) for task in self.tasks):
                        raise
                    try:
                        return self.resultqueue.get(timeout=_POLL_SECONDS)
                    except queue.Empty:
                        message = "an index worker process ended without its segment"
                        raise SearchIndexError(message) from None

    def cancel(self) -> None:
        if self.is_closed:
            return
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join()
        # Jobs nobody will read must not keep this process from exiting.
        self.jobqueue.cancel_join_thread()
        SegmentWriter.cancel(self)
