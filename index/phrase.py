"""Positional phrase queries that check positions with set arithmetic, and word pairs.

Whoosh's ``Phrase`` runs through ``SpanNear2``: for every document holding all the words
it builds a ``Span`` object per position and walks them pairwise in Python, so a phrase
of common words (a hundred positions each, in most documents) took hundreds of
milliseconds. ``FastPhrase`` has the same candidates (the intersection of the words'
postings), the same scores (the sum of the words' term scores) and the same matches, but
checks each candidate with one decode of each word's positions and a few set operations.

Semantics are ``SpanNear2(ordered=True, mindist=1)``'s: each word must follow the previous
one by 1 to ``slop`` positions (``slop=1``: adjacent). Tokens sharing a position (a code
and its parts) never follow each other.

A phrase of common words still matches most documents and has long position lists, so
``BodyPhrase`` (the body's phrase) also uses ``content_pairs``: two common words in a row
are indexed as one pair term at the first word's position. Every adjacent pair of common
words in the phrase becomes a pair term; only the words not covered by a pair stay word
terms. The same positional check then runs on far rarer terms: ``"komisi pemilihan umum"``
is ``komisi pemilihan`` at some position p and ``pemilihan umum`` at p + 1, and a phrase of
two common words is just its pair term's postings. Common words are a list kept in the
index's own schema (``schema.common_words``), so the query uses the list the documents
were indexed with.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh import matching  # type: ignore[import-untyped]
from whoosh import query as wq
from whoosh.query.spans import Span, SpanWrappingMatcher  # type: ignore[import-untyped]
from whoosh.system import _INT_SIZE  # type: ignore[import-untyped]
from whoosh.util import make_binary_tree  # type: ignore[import-untyped]

from index.analysis import PAIR_SEP

_STOP = b"."  # Whoosh strips the pickle's final STOP opcode from stored position lists
PAIRS_FIELD = "content_pairs"


def decode_positions(value: bytes) -> list[int]:
    """Positions of a ``formats.Positions`` posting value (same as its decoder)."""
    return list(accumulate(_deltas(value)))


def _deltas(value: bytes) -> list[int]:
    data = value[_INT_SIZE:]
    if not data.endswith(_STOP):
        data += _STOP
    return loads(data)  # type: ignore[no-any-return]  # noqa: S301 - Whoosh's own encoding


class FastPhrase(wq.Phrase):  # type: ignore[misc]
    """``whoosh.query.Phrase`` with a faster matcher; same results, same scores."""

    pairs_field: str | None = None

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise wq.QueryError(f"Phrase search: {fieldname!r} field has no positions")
        slots = self.slots(searcher.schema)
        reader = searcher.reader()
        leaves = []
        for name, text, _offset in slots:
            try:
                btext = searcher.schema[name].to_bytes(text)
            except ValueError:
                return matching.NullMatcher()
            if (name, btext) not in reader:
                return matching.NullMatcher()  # a missing term: nothing can match
            leaves.append(wq.Term(name, btext).matcher(searcher, context))
        found: Any
        if len(leaves) == 1:
            found = leaves[0]  # a single term (one pair): its postings are the matches
        else:
            both = make_binary_tree(matching.IntersectionMatcher, leaves)
            found = _PhraseMatcher(both, leaves, [offset for *_, offset in slots], self.slop)
        if self.boost != 1.0:
            return matching.WrappingMatcher(found, boost=self.boost)
        return found

    def slots(self, schema: Any) -> list[tuple[str, str, int]]:
        """(field, term, offset from the phrase start) of each term the phrase looks up:
        its words, or pair terms where two common words follow each other."""
        slots = [(self.fieldname, word, offset) for offset, word in enumerate(self.words)]
        pairs_field = self.pairs_field
        if self.slop == 1 and pairs_field is not None and pairs_field in schema:
            slots = _with_pairs(slots, schema, pairs_field)
        return slots


class BodyPhrase(FastPhrase):
    """A phrase in ``content_exact``, helped by the pair terms of ``content_pairs``."""

    pairs_field = PAIRS_FIELD


def _with_pairs(
    slots: list[tuple[str, str, int]], schema: Any, pairs_field: str
) -> list[tuple[str, str, int]]:
    """Word slots, with each adjacent pair of common words replaced by its pair term."""
    common = schema[pairs_field].common
    words = [word for _name, word, _offset in slots]
    pairs = [
        (pairs_field, words[i] + PAIR_SEP + words[i + 1], i)
        for i in range(len(words) - 1)
        if words[i] in common and words[i + 1] in common
    ]
    covered = {i for *_, i in pairs} | {i + 1 for *_, i in pairs}
    return pairs + [slot for slot in slots if slot[2] not in covered]


class _PhraseMatcher(SpanWrappingMatcher):  # type: ignore[misc]
    """Keeps the intersection's documents where every term stands at its offset."""

    def __init__(self, child: Any, leaves: list[Any], offsets: list[int], slop: int) -> None:
        # Set before the base class looks for the first match.
        self._leaves = leaves
        self._offsets = offsets
        self._slop = max(slop, 1)
        super().__init__(child)

    def copy(self) -> _PhraseMatcher:
        # Whoosh's posting matchers cannot be copied either (nor, so, its own phrase's).
        raise NotImplementedError("a phrase matcher cannot be copied")

    def replace(self, minquality: float = 0) -> Any:
        # Not the child's replacement: the positions are read from these leaves.
        if not self.is_active():
            return matching.NullMatcher()
        return self

    def supports_block_quality(self) -> bool:
        # Skipping by block quality would move the child past the position check.
        return False

    def _get_spans(self) -> list[Any]:
        if self._slop == 1:
            start = self._start()
            return [Span(start)] if start is not None else []
        return self._sloppy()

    def _start(self) -> int | None:
        """A phrase start: a position p with every term at p + its offset, or None."""
        lists = [
            (decode_positions(leaf.value()), offset)
            for leaf, offset in zip(self._leaves, self._offsets, strict=True)
        ]
        return phrase_start(lists)

    def _sloppy(self) -> list[Any]:
        # Words only (pairs are for slop 1), in phrase order: each within slop of the last.
        end = sloppy_end([decode_positions(leaf.value()) for leaf in self._leaves], self._slop)
        return [] if end is None else [Span(end)]


def phrase_start(lists: list[tuple[list[int], int]]) -> int | None:
    """The first p with each (positions, offset) holding p + offset, or None."""
    lists = sorted(lists, key=lambda item: len(item[0]))
    # Start from the shortest list; look the others up, by set or by bisection.
    positions, offset = lists[0]
    starts = {pos - offset for pos in positions}
    for positions, offset in lists[1:]:
        if len(positions) <= 4 * len(starts):
            starts.intersection_update([pos - offset for pos in positions])
        else:
            starts = {s for s in starts if _has(positions, s + offset)}
        if not starts:
            return None
    return min(starts)


def phrase_meets(values: list[bytes], offsets: list[int]) -> bool:
    """Whether some p has each posting value's positions holding p + its offset:
    ``phrase_start`` on raw values, for the evaluator's many candidates. The fewest
    positions are decoded first (a value's length grows with them) and a candidate stops
    at the first list that leaves nothing; the starts, shifted into each list's frame, are
    intersected with its positions as they are decoded, all in C."""
    order = sorted(range(len(values)), key=lambda i: len(values[i]))
    first = offsets[order[0]]
    starts = {pos - first for pos in accumulate(_deltas(values[order[0]]))}
    for i in order[1:]:
        offset = offsets[i]
        found = {start + offset for start in starts}.intersection(accumulate(_deltas(values[i])))
        if not found:
            return False
        starts = {pos - offset for pos in found}
    return True


def sloppy_end(lists: list[list[int]], slop: int) -> int | None:
    """The first position of the last word where each word follows the one before by 1
    to ``slop`` positions, or None."""
    ends = set(lists[0])
    for positions in lists[1:]:
        ends = _within(sorted(ends), positions, slop)
        if not ends:
            return None
    return min(ends)


def _has(positions: list[int], pos: int) -> bool:
    i = bisect_left(positions, pos)
    return i < len(positions) and positions[i] == pos


def _within(ends: list[int], positions: list[int], slop: int) -> set[int]:
    """The positions that follow one of the sorted ``ends`` by 1 to ``slop``."""
    found = set()
    for position in positions:
        i = bisect_left(ends, position - slop)
        if i < len(ends) and ends[i] < position:
            found.add(position)
    return found
