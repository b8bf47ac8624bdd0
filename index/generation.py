"""What every search of one index generation shares, computed once and kept in memory.

A generation is one commit of the index (its table of contents: segments and deleted
documents); anything derived from it (who may see which document, facet values, listing
order, field lengths, document frequencies among visible documents) stays true until the
next commit, which is a new generation with new entries. A few recent generations are
kept (a long-running web server after each ingest); a one-shot CLI search computes only
what its query needs. The two kinds of cache it keeps are in ``index.generation_caches``.

Scoring statistics are computed over the documents a role may see (``Visible``) so that
no score depends on a document the role cannot see: the score-oracle rule.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from math import log
from typing import Any, TypeVar

from whoosh.automata.fsa import find_all_matches  # type: ignore[import-untyped]

from index import fuzzy, postings, schema
from index.generation_caches import CACHE_POSTINGS, Memo, PostingCache
from index.records import SearchFilters

T = TypeVar("T")
KEEP_GENERATIONS = 2  # the current one, and the one searches in flight may still read
KEEP_FILTERS = 64  # filtered document sets kept per generation
KEEP_STORED = 5_000  # documents' stored fields (the hits shown) kept per generation
# Fuzzy searches on one field of a segment before its word list is kept in memory: a
# walk over the on-disk word list costs a few milliseconds, loading it a hundred or so.
FUZZY_WALKS_BEFORE_LOADING = 2
# Words found near a typed word, per segment and field, kept per generation: a misspelt
# search walks the same word list for "did you mean" and its fuzzy retry, on every page.
KEEP_WITHIN = 2_000
# Whoosh's BM25F defaults, which the scores keep.
B = 0.75
K1 = 1.2


class Visible:
    """Scoring statistics over the live documents a role may see."""

    def __init__(self, generation: Generation, docs: frozenset[int]) -> None:
        self.generation = generation
        self.docs = docs
        self.count = len(docs)
        self._norms = Memo()
        self._df: dict[tuple[str, bytes], int] = {}

    def doc_frequency(self, reader: Any, field: str, btext: bytes, ids: list[int] | None) -> int:
        """Visible documents holding the term; ``ids``: its postings, if already read."""
        key = (field, btext)
        found = self._df.get(key)
        if found is None:
            if ids is None:
                ids = postings.doc_ids(postings.leaves(reader), field, btext)
            found = self._df[key] = len(self.docs.intersection(ids))
        return found

    def idf(self, reader: Any, field: str, btext: bytes, ids: list[int] | None = None) -> float:
        # Whoosh's formula, with the visible document count and frequency.
        count = self.count or 1
        return log(count / (self.doc_frequency(reader, field, btext, ids) + 1)) + 1

    def avg_length(self, reader: Any, field: str) -> float:
        lengths = self.generation.lengths(reader, field)
        total = sum(map(lengths.__getitem__, self.docs))
        return (total / self.count if self.count else 0.0) or 1.0

    def norms(self, reader: Any, field: str) -> list[float]:
        """BM25's length part for every document number, ``K1 * (1 - B + B * fl / avgfl)``
        written as in Whoosh's ``bm25`` so that scores agree with it to the last bit."""

        def make() -> list[float]:
            avgfl = self.avg_length(reader, field)
            lengths = self.generation.lengths(reader, field)
            return [K1 * ((1 - B) + B * length / avgfl) for length in lengths]

        return self._norms.get(field, make)


class Generation:
    def __init__(self, doc_count: int, deleted: frozenset[int]) -> None:
        self.doc_count = doc_count
        self.deleted = deleted
        self._memo = Memo()
        self._filtered = Memo(KEEP_FILTERS)
        self.postings = PostingCache(CACHE_POSTINGS)
        self._walks: dict[tuple[str, str], int] = {}
        self._within: Memo = Memo(KEEP_WITHIN)
        self._stored = Memo(KEEP_STORED)
        self._stored_layouts: dict[str, tuple[Any, Any]] = {}

    def stored(self, searcher: Any, docnum: int) -> dict[str, Any]:
        """A document's stored fields (a hit), kept for the next page that shows it."""

        def read() -> dict[str, Any]:
            for leaf, _offset in postings.leaves(searcher.reader()):
                postings.install_stored_reader(leaf, self._stored_layouts)
            return searcher.stored_fields(docnum)  # type: ignore[no-any-return]

        return self._stored.get(docnum, read)

    def words_within(
        self, leaf: Any, field: str, text: str, maxdist: int, prefix: int
    ) -> list[str]:
        """Words of ``field`` in segment ``leaf`` within ``maxdist`` edits of ``text``
        (the first ``prefix`` letters equal), as Whoosh's ``terms_within`` finds them."""
        key = (leaf.segment().segment_id(), field)
        return self._within.get(
            (key, text, maxdist, prefix), lambda: self._walk(leaf, key, text, maxdist, prefix)
        )

    def _walk(
        self, leaf: Any, key: tuple[str, str], text: str, maxdist: int, prefix: int
    ) -> list[str]:
        field = key[1]
        walks = self._walks[key] = self._walks.get(key, 0) + 1
        if walks <= FUZZY_WALKS_BEFORE_LOADING:
            return list(leaf.terms_within(field, text, maxdist, prefix))

        def load() -> list[str]:  # UTF-8 byte order is code point order: still sorted
            return [btext.decode("utf-8") for btext in leaf.lexicon(field)]

        words = self._memo.get(("words", key), load)

        def at_or_after(start: str) -> str | None:
            i = bisect_left(words, start)
            return words[i] if i < len(words) else None

        return list(find_all_matches(fuzzy.automaton(text, maxdist, prefix), at_or_after))

    def memo(self, key: Any, make: Callable[[], T]) -> T:
        """``make()``, computed once for this generation (``key`` names it)."""
        return self._memo.get(("caller", key), make)

    def term_docs(self, reader: Any, field: str, value: str) -> frozenset[int]:
        """Live documents whose ``field`` (an ID field) is ``value``."""

        def make() -> frozenset[int]:
            ids = postings.doc_ids(postings.leaves(reader), field, value.encode("utf-8"))
            return frozenset(ids).difference(self.deleted)

        return self._memo.get(("term", field, value), make)

    def visible(self, reader: Any, levels: frozenset[str]) -> Visible:
        def make() -> Visible:
            docs: set[int] = set()
            for level in levels:
                docs |= self.term_docs(reader, "access", level)
            return Visible(self, frozenset(docs))

        return self._memo.get(("visible", levels), make)

    def lengths(self, reader: Any, field: str) -> list[int]:
        leaves = postings.leaves(reader)
        return self._memo.get(("lengths", field), lambda: postings.field_lengths(leaves, field))

    def listing_keys(self, reader: Any) -> list[int]:
        leaves = postings.leaves(reader)
        return self._memo.get("keys", lambda: postings.numeric_column(leaves, "listing_key"))

    def listing_order(self, reader: Any) -> list[int]:
        """Every document number, newest first (``docs.listing_key``)."""
        keys = self.listing_keys(reader)
        return self._memo.get("order", lambda: sorted(range(len(keys)), key=keys.__getitem__)[::-1])

    def values(self, reader: Any, field: str) -> list[Any]:
        """Each document's facet value of ``field`` (None where it has none)."""
        return self._memo.get(("values", field), lambda: self._read_values(reader, field))

    def _read_values(self, reader: Any, field: str) -> list[Any]:
        if field == "year":
            raw = postings.numeric_column(postings.leaves(reader), "year")
            decode = reader.schema["year"].from_column_value
            years = {value: decode(value) for value in set(raw)}
            return [years[value] for value in raw]
        found: list[Any] = [None] * self.doc_count
        leaves = postings.leaves(reader)
        for btext in reader.lexicon(field):
            value = btext.decode("utf-8")
            for docnum in postings.doc_ids(leaves, field, btext):
                found[docnum] = value
        return found

    def allowed(
        self, reader: Any, levels: frozenset[str], filters: SearchFilters
    ) -> frozenset[int]:
        """Live documents the role may see that pass ``filters``."""
        return self._filtered.get((levels, filters), lambda: self._apply(reader, levels, filters))

    def _apply(self, reader: Any, levels: frozenset[str], filters: SearchFilters) -> frozenset[int]:
        docs: frozenset[int] | set[int] = self.visible(reader, levels).docs
        for field in ("doc_type", "access"):
            value = getattr(filters, field)
            if value:
                docs = docs & self.term_docs(reader, field, value)
        if filters.unit:
            docs = docs & self.unit_docs(reader, filters.unit)
        if filters.year is not None:
            years = self.values(reader, "year")
            docs = {d for d in docs if years[d] == filters.year}
        if filters.date_from or filters.date_to:
            first = int(filters.date_from.strftime("%Y%m%d")) if filters.date_from else 1
            last = int(filters.date_to.strftime("%Y%m%d")) if filters.date_to else 99991231
            keys = self.listing_keys(reader)
            docs = {d for d in docs if first <= keys[d] >> 32 <= last}  # 0: undated
        return frozenset(docs)

    def unit_docs(self, reader: Any, text: str) -> frozenset[int]:
        """Live documents of the units containing ``text`` (case-insensitive); when ``text``
        names a unit exactly, that unit's only (a facet link must not widen)."""
        wanted = text.casefold()
        units = [b.decode("utf-8") for b in reader.lexicon("unit")]
        exact = [u for u in units if u.casefold() == wanted]
        matched = exact or [u for u in units if wanted in u.casefold()]
        docs: set[int] = set()
        for unit in matched:
            docs |= self.term_docs(reader, "unit", unit)
        return frozenset(docs)

    def facet_counts(self, reader: Any, field: str, docs: Iterable[int]) -> dict[Any, int]:
        counts = Counter(map(self.values(reader, field).__getitem__, docs))
        for missing in (None, "", schema.YEAR_MISSING):
            counts.pop(missing, None)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))))


_GENERATIONS: OrderedDict[tuple[Any, ...], Generation] = OrderedDict()
_LOCK = threading.Lock()


def _key(path: os.PathLike[str] | str, reader: Any) -> tuple[Any, ...]:
    segments = tuple(
        (leaf.segment().segment_id(), leaf.segment().deleted_count())
        for leaf, _offset in postings.leaves(reader)
    )
    return (os.path.realpath(path), segments)


def of(path: os.PathLike[str] | str, reader: Any) -> Generation:
    """The shared state of the generation ``reader`` reads (made on first use)."""
    key = _key(path, reader)
    with _LOCK:
        found = _GENERATIONS.get(key)
        if found is None:
            deleted = frozenset(postings.deleted(postings.leaves(reader)))
            found = _GENERATIONS[key] = Generation(reader.doc_count_all(), deleted)
            while len(_GENERATIONS) > KEEP_GENERATIONS:
                _GENERATIONS.popitem(last=False)
        else:
            _GENERATIONS.move_to_end(key)
        return found
