"""Scoring a query term by term over the documents a search may return.

Whoosh scores document by document through a tree of matchers, several method calls per
posting; a search also needs every match (for the total and the facet counts), so the
whole tree is walked for a common word. Here each term's postings are read a block at a
time (``index.postings``) and scored in one pass, and the query tree combines score
dictionaries: the same matches and, term for term, the same BM25F arithmetic as
Whoosh's matchers (``tests/index/test_evaluate`` checks the two against each other).

Statistics (document count, document frequency, average field length) are those of the
documents the role may see (``generation.Visible``), so a score says nothing about
documents the role cannot see. Only documents in ``allowed`` (visible and within the
filters) are ever scored.

A query part this module does not know raises ``Unsupported``; the caller then scores
with Whoosh's matchers and the same statistics (``index.scoring``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import Any

from whoosh import query as wq  # type: ignore[import-untyped]

from index import postings
from index.errors import QueryError
from index.generation import K1, Visible
from index.generation_caches import Read
from index.phrase import FastPhrase, decode_positions, phrase_meets, sloppy_end

Scores = dict[int, float]
# A prefix, wildcard or fuzzy term may stand for at most this many words found in the
# documents the role may see: beyond, the query is too vague to run in bounded time.
MAX_EXPANSIONS = 300
_K1_PLUS_1 = K1 + 1
# Whoosh's InverseMatcher scores every document a NOT lets through with 1.0.
_NOT_SCORE = 1.0
# Below one document in this many postings, bisecting for each is cheaper than a scan.
_BISECT_RATIO = 16


class Unsupported(Exception):
    """A query part the evaluator does not handle."""


class Evaluator:
    def __init__(self, reader: Any, visible: Visible, allowed: frozenset[int]) -> None:
        self.reader = reader
        self.leaves = postings.leaves(reader)
        self.schema = reader.schema
        self.visible = visible
        self.allowed = allowed
        # The visible words each prefix, wildcard or fuzzy term stood for: the snippets
        # mark these instead of matching the term against every word of each hit.
        self.expansions: dict[Any, frozenset[str]] = {}
        self._handlers: dict[type, Callable[[Any], Scores]] = {
            wq.Or: self._or,
            wq.And: self._and,
            wq.Not: self._not,
            wq.AndNot: self._and_not,
            wq.AndMaybe: self._and_maybe,
            wq.Require: self._require,
            wq.Term: self._term,
        }

    def scores(self, node: Any) -> Scores:
        """Document number -> score, for the allowed documents ``node`` matches."""
        if node is wq.NullQuery:
            return {}
        handler = self._handlers.get(type(node))
        if handler is not None:
            return handler(node)
        if isinstance(node, FastPhrase):
            return self._phrase(node)
        if isinstance(node, wq.MultiTerm) and hasattr(node, "_btexts"):
            return self._expansion(node)
        raise Unsupported(type(node).__name__)

    # Compound queries: Whoosh sums the scores of the parts that match; a compound of a
    # single part is that part, its own boost ignored (CompoundQuery.matcher).

    def _or(self, node: Any) -> Scores:
        if node.minmatch or node.scale:
            raise Unsupported("Or with minmatch or scale")
        parts = [self.scores(sub) for sub in node.subqueries]
        if len(parts) == 1:
            return parts[0]
        total: Scores = {}
        for part in parts:
            for docnum, score in part.items():
                total[docnum] = total.get(docnum, 0.0) + score
        return _boosted(total, node.boost)

    def _and(self, node: Any) -> Scores:
        parts = [self.scores(sub) for sub in node.subqueries]
        if len(parts) == 1:
            return parts[0]
        common = set(min(parts, key=len))  # type: ignore[arg-type]
        for part in parts:
            common.intersection_update(part)
        total = {docnum: 0.0 for docnum in common}
        for part in parts:
            for docnum in common:
                total[docnum] += part[docnum]
        return _boosted(total, node.boost)

    def _not(self, node: Any) -> Scores:
        excluded = self.scores(node.query)
        return {docnum: _NOT_SCORE for docnum in self.allowed if docnum not in excluded}

    def _and_not(self, node: Any) -> Scores:
        excluded = self.scores(node.b)
        return {d: s for d, s in self.scores(node.a).items() if d not in excluded}

    def _and_maybe(self, node: Any) -> Scores:
        maybe = self.scores(node.b)
        return {d: s + maybe[d] if d in maybe else s for d, s in self.scores(node.a).items()}

    def _require(self, node: Any) -> Scores:
        required = self.scores(node.b)
        return {d: s for d, s in self.scores(node.a).items() if d in required}

    # Terms

    def _btext(self, field: str, text: Any) -> bytes | None:
        if field not in self.schema:
            return None
        try:
            return self.schema[field].to_bytes(text)  # type: ignore[no-any-return]
        except ValueError:
            return None

    def _term(self, node: Any) -> Scores:
        btext = self._btext(node.fieldname, node.text)
        if btext is None:
            return {}
        return self.term_scores(node.fieldname, btext, node.boost, self.allowed)

    def _read(self, field: str, btext: bytes) -> tuple[list[int], list[float]]:
        ids, weights, _values = self.visible.generation.postings.read(
            self.leaves, field, btext, False
        )
        return ids, weights

    def term_scores(
        self, field: str, btext: bytes, boost: float, within: frozenset[int] | set[int]
    ) -> Scores:
        """BM25F (or the bare weight, for unscored fields) of a term's postings in ``within``."""
        ids, weights = self._read(field, btext)
        return self._scored(field, btext, ids, weights, within, boost)

    def _scored(
        self,
        field: str,
        btext: bytes,
        ids: list[int],
        weights: list[float],
        within: frozenset[int] | set[int],
        boost: float,
    ) -> Scores:
        if not ids:
            return {}
        postings: Iterable[tuple[int, float]]
        if len(within) * _BISECT_RATIO >= len(ids):
            postings = zip(ids, weights, strict=True)  # filtered by ``within`` below
        else:
            postings = _postings_at(ids, weights, within)
        if not self.schema[field].scorable:
            found = {d: w for d, w in postings if d in within}
        else:
            idf = self.visible.idf(self.reader, field, btext, ids)
            norm = self.visible.norms(self.reader, field)
            # Whoosh's bm25(), term by term: idf * ((tf * (K1 + 1)) / (tf + norm)).
            found = {
                d: idf * ((w * _K1_PLUS_1) / (w + norm[d])) for d, w in postings if d in within
            }
        return _boosted(found, boost)

    def _expansion(self, node: Any) -> Scores:
        field = node.field()
        words: dict[bytes, None] = {}
        generation = self.visible.generation
        for leaf, _offset in self.leaves:
            if isinstance(node, wq.FuzzyTerm):
                found_words: Any = generation.words_within(
                    leaf, field, node.text, node.maxdist, node.prefixlength
                )
            else:
                found_words = node._btexts(leaf)
            for word in found_words:  # bytes, or str from a fuzzy term
                if word:
                    words[word if isinstance(word, bytes) else word.encode("utf-8")] = None
        total: Scores = {}
        found: list[bytes] = []
        for btext in words:
            ids, weights = self._read(field, btext)
            if not self.visible.doc_frequency(self.reader, field, btext, ids):
                continue  # only in documents the role may not see: not a word for them
            found.append(btext)
            if len(found) > MAX_EXPANSIONS:
                raise QueryError(
                    f"'{node.text}' stands for more than {MAX_EXPANSIONS} words: "
                    "type more of the word",
                    code="too_many_expansions",
                    word=node.text,
                    limit=MAX_EXPANSIONS,
                )
            scored = self._scored(field, btext, ids, weights, self.allowed, 1.0)
            for docnum, score in scored.items():
                total[docnum] = total.get(docnum, 0.0) + score
        self.expansions[node] = frozenset(btext.decode("utf-8") for btext in found)
        return _boosted(total, node.boost)

    # Phrases

    def _phrase(self, node: FastPhrase) -> Scores:
        slots = []
        for name, text, offset in node.slots(self.schema):
            btext = self._btext(name, text)
            if btext is None or not any((name, btext) in leaf for leaf, _ in self.leaves):
                return {}
            slots.append((name, btext, offset))
        found = self._phrase_candidates(slots)
        if found is None:
            return {}
        reads, candidates = found
        if len(slots) == 1:
            matched = candidates  # a single term (one pair): its postings are the matches
        else:
            offsets = [offset for _name, _btext, offset in slots]
            matched = _positions_match(reads, offsets, sorted(candidates), node.slop)
        total: Scores = dict.fromkeys(matched, 0.0)
        for (name, btext, _offset), (ids, weights, _values) in zip(slots, reads, strict=True):
            for docnum, score in self._scored(name, btext, ids, weights, matched, 1.0).items():
                total[docnum] += score
        return _boosted(total, node.boost)

    def _phrase_candidates(
        self, slots: list[tuple[str, bytes, int]]
    ) -> tuple[list[Read], set[int]] | None:
        """Each slot's postings (with positions) and the allowed documents holding all of
        them, or None when none does. Rarest first, read one at a time: a phrase that
        meets nowhere stops before the long lists of its common words are decoded."""
        cache = self.visible.generation.postings
        order = sorted(range(len(slots)), key=lambda i: self.reader.doc_frequency(*slots[i][:2]))
        reads: dict[int, Read] = {}
        candidates = set(self.allowed)
        for i in order:
            name, btext, _offset = slots[i]
            reads[i] = cache.read(self.leaves, name, btext, True)
            candidates.intersection_update(reads[i][0])
            if not candidates:
                return None
        return [reads[i] for i in range(len(slots))], candidates


def _positions_match(
    reads: list[Read], offsets: list[int], candidates: list[int], slop: int
) -> set[int]:
    """The sorted ``candidates`` where the slots stand at their offsets (slop 1) or each
    word follows the previous within ``slop``. A candidate's posting is found by bisection
    in each slot's ids (ascending): a candidate set is often far smaller than a common
    word's postings."""
    columns = [_values_at(ids, values, candidates) for ids, _weights, values in reads]
    rows = zip(candidates, *columns, strict=True)
    if slop <= 1:
        return {row[0] for row in rows if phrase_meets(list(row[1:]), offsets)}
    return {
        row[0]
        for row in rows
        if sloppy_end([decode_positions(value) for value in row[1:]], slop) is not None
    }


def _values_at(ids: list[int], values: tuple[bytes, ...] | None, wanted: list[int]) -> list[bytes]:
    assert values is not None
    return [values[bisect_left(ids, docnum)] for docnum in wanted]


def _postings_at(
    ids: list[int], weights: list[float], within: frozenset[int] | set[int]
) -> list[tuple[int, float]]:
    """(document, weight) of the postings in ``within``, ascending, each found by
    bisection: for a few documents (a phrase's matches) among many postings."""
    found = []
    for docnum in sorted(within):
        i = bisect_left(ids, docnum)
        if i < len(ids) and ids[i] == docnum:
            found.append((docnum, weights[i]))
    return found


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {docnum: score * boost for docnum, score in scores.items()}
