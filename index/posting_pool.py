"""The posting pool of the rebuild writer (``index.building.BuildWriter``).

A rebuild writes tens of millions of postings, and Whoosh's posting pool handles each of
them several times in Python: it sorts all postings of a run as (field, term, document,
...) tuples, spills each run to a file one pickled posting at a time, reads them back one
at a time and merges the runs posting by posting. ``GroupedPool`` keeps the postings
grouped by term instead: documents arrive in increasing order, so each term's list is
already sorted; only the distinct terms of a run are sorted, runs are pickled a few
thousand terms at a time and merged term by term. Same postings, same order.
"""

from __future__ import annotations

import heapq
import pickle
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import itemgetter
from typing import Any

from whoosh.writing import PostingPool  # type: ignore[import-untyped]

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
