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
written are byte for byte those of Whoosh's ``SegmentWriter`` with the same codec
(tests/index/test_building).

Worker processes, each writing a segment with a ``BuildWriter``, are in ``index.parallel``.
"""

from __future__ import annotations

import heapq
import pickle
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import itemgetter
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter  # type: ignore[import-untyped]
from whoosh.util import random_name  # type: ignore[import-untyped]
from whoosh.writing import PostingPool, SegmentWriter  # type: ignore[import-untyped]

# zlib level of the posting blocks: 1 compresses a block of positions about 5 % less
# than Whoosh's default 3, in three quarters of the time (readers read either). Stored
# uncompressed (0), the index of bench_index's 10,000 documents took 974 MB instead of
# 388, for no faster search or build (measured side by side, 2026-12-03).
COMPRESSION = 1
# Terms per pickled chunk of a spilled run.
CHUNK = 2_000
# Estimated memory of one posting and of one term's entry, besides their bytes (the
# estimate only decides when a run is spilled, as Whoosh's own estimate does). Three
# list slots; ints, weights and most values are shared objects. Measured: 61 bytes of
# resident memory per posting (800 documents of bench_index, 2.15 M postings), which
# this estimate matches; at 90 it said 118 and the pool spilled at half its budget.
_POSTING_BYTES = 33
_TERM_BYTES = 250

Key = tuple[str, bytes]  # (field name, term bytes)
# A term's postings as columns: document numbers, weights, value bytes. Columns pickle
# and fill blocks faster than a tuple per posting, and take half the memory.
Postings = tuple[list[int], list[float], list["bytes | None"]]
_by_key = itemgetter(0)


class GroupedPool(PostingPool):  # type: ignore[misc]
    """A ``PostingPool`` holding each term's postings together, in document order.

    Only for writers that add documents in increasing document number (a new segment
    filled by ``add_document``), which is what keeps each term's list sorted.
    """

    runs: list[str]
    currentsize: int

    def __init__(self, tempstore: Any, segment: Any, limitmb: int = 128, **kw: Any) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kw)
        # One dict per field: no (field, term) tuple to build and hash per posting.
        self.groups: dict[str, dict[bytes, Postings]] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, text, docnum, weight, value = item
        self.add_field(fieldname, docnum, ((text, 0, weight, value),), 1.0, False)

    def add_field(
        self,
        fieldname: str,
        docnum: int,
        items: Iterable[tuple[bytes, int, float, Any]],
        boost: float,
        scorable: bool,
    ) -> int:
        """Every posting of one field of one document (what ``add`` does for each of
        them, without a call and a tuple per posting); the field's length when scorable."""
        terms = self.groups.get(fieldname)
        if terms is None:
            terms = self.groups[fieldname] = {}
        size = before = self.currentsize
        length = 0
        for text, freq, weight, value in items:
            length += freq
            postings = terms.get(text)
            if postings is None:
                terms[text] = postings = ([], [], [])
                size += _TERM_BYTES + len(text)
            ids, weights, values = postings
            ids.append(docnum)
            # Unboosted, the field's own weight object is kept: a product is a new float
            # (24 bytes) for every posting, and memory decides how often the pool spills.
            weights.append(weight if boost == 1.0 else weight * boost)
            values.append(value)
            size += _POSTING_BYTES + (len(value) if value else 0)
        if size != before:
            self.fieldnames.add(fieldname)
        self.currentsize = size
        if size > self.limit:
            self.save()
        return length if scorable else 0

    def _sorted(self) -> list[tuple[Key, Postings]]:
        """The pool's terms in (field, term) order, and the pool emptied."""
        groups, self.groups, self.currentsize = self.groups, {}, 0
        return [
            ((fieldname, text), postings)
            for fieldname in sorted(groups)
            for text, postings in sorted(groups[fieldname].items(), key=_by_key)
        ]

    def save(self) -> None:
        if any(self.groups.values()):
            path, f = self._new_run()
            self._write_run(f, self._sorted())
            self._add_run(path)
        self.groups, self.currentsize = {}, 0

    def _write_run(self, f: Any, groups: Iterable[tuple[Key, Postings]]) -> None:
        try:
            iterator = iter(groups)
            while chunk := list(islice(iterator, CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

    def _read_run(self, path: str) -> Iterator[tuple[Key, Postings]]:
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

    def terms(self) -> Iterable[tuple[Key, Postings]]:
        """Every term with its postings, in term order (and each list in document order)."""
        if not self.runs:
            return self._sorted()
        self.save()
        runs: list[str] = self.runs
        self.runs = []
        # heapq.merge is stable: a term's postings from earlier runs (lower document
        # numbers) come first.
        return _joined(heapq.merge(*(self._read_run(path) for path in runs), key=_by_key))

    def reduce_to(self, target: int, k: int) -> None:
        raise NotImplementedError("GroupedPool runs are merged only by items()")


def _joined(
    groups: Iterable[tuple[Key, Postings]],
) -> Iterator[tuple[Key, Postings]]:
    """One entry a term: a term found in several runs comes once from each."""
    key: Key | None = None
    postings: Postings = ([], [], [])
    for next_key, more in groups:
        if next_key == key:
            for column, added in zip(postings, more, strict=True):
                column.extend(added)  # type: ignore[attr-defined]
            continue
        if key is not None:
            yield key, postings
        key, postings = next_key, more
    if key is not None:
        yield key, postings


def _flatten(
    groups: Iterable[tuple[Key, Postings]],
) -> Iterator[tuple[str, bytes, int, float, Any]]:
    for (fieldname, text), postings in groups:
        for docnum, weight, value in zip(*postings, strict=True):
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
        options.setdefault("codec", W3Codec(compression=COMPRESSION))
        super().__init__(ix, limitmb=limitmb, **options)
        # Whoosh names every writer's scratch directory "<index>.tmp" and deletes it when
        # the writer ends: writers building one index side by side (index.parallel) would
        # delete each other's runs. Each gets its own.
        self._tempstorage = self.storage.temp_storage(f"{self.indexname}.{random_name()}.tmp")
        # Whoosh accepts a poolclass argument but ignores it.
        self.pool = GroupedPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def add_document(self, **fields: Any) -> None:
        """``SegmentWriter.add_document`` for this index's fields (no spelling words, no
        term vectors), each field's postings handed to the pool in one call."""
        self._check_state()
        docnum, schema, writer = self.docnum, self.schema, self.perdocwriter
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        docboost = self._doc_boost(fields)
        writer.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                if field.separate_spelling() or field.vector:
                    raise NotImplementedError(f"BuildWriter: field {name} needs Whoosh's path")
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    length = self.pool.add_field(
                        name, docnum, field.index(value), boost, field.scorable
                    )
                stored = fields.get(f"_stored_{name}", value)
                writer.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    writer.add_column_value(name, field.column_type, field.to_column_value(stored))
        except Exception:
            writer.cancel_doc()
            raise
        writer.finish_doc()
        self._added = True
        self.docnum += 1

    def finish_segment(self) -> Any:
        """Write the segment and return it without committing (a worker's part of a build:
        the process that started the workers commits all of them at once)."""
        try:
            return self._finalize_segment()
        finally:
            self._tempstorage.destroy()
            self.is_closed = True

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
    writer: Any, schema: Any, lengths: _Lengths, terms: Iterable[tuple[Key, Postings]]
) -> None:
    """``FieldWriter.add_postings`` for grouped postings: the same calls and the same
    bytes, but each block's postings are added to the ``W3PostingsWriter`` buffer together
    instead of through ``add_posting`` one by one (which checks and appends each)."""
    current = None
    field_lengths: list[int] = []
    for (fieldname, text), (all_ids, all_weights, all_values) in terms:
        if fieldname != current:
            if current is not None:
                writer.finish_field()
            writer.start_field(fieldname, schema[fieldname])
            current = fieldname
            field_lengths = lengths.field(fieldname)
        writer.start_term(text)
        block = writer._postwriter
        limit = block._blocklimit
        for start in range(0, len(all_ids), limit):
            if start:
                block._write_block()  # add_posting writes a full block before adding more
            docnums = all_ids[start : start + limit]
            weights = all_weights[start : start + limit]
            block._ids.extend(docnums)
            block._weights.extend(weights)
            block._maxweight = max(block._maxweight, *weights)
            block._values.extend([value for value in all_values[start : start + limit] if value])
            found = [n for n in map(field_lengths.__getitem__, docnums) if n]
            if found:
                shortest, longest = min(found), max(found)
                if block._minlength is None or shortest < block._minlength:
                    block._minlength = shortest
                block._maxlength = max(block._maxlength, longest)
        writer.finish_term()
