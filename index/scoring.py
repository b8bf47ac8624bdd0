"""Whoosh's own matchers scoring with the visible documents' statistics.

The fallback of ``index.evaluate`` for a query part it does not handle: the same BM25F
as Whoosh's ``BM25F``, but the document frequency, document count and average field
length are those of the documents the role may see (``generation.Visible``).
"""

from __future__ import annotations

from typing import Any

from whoosh import scoring  # type: ignore[import-untyped]
from whoosh.searching import Searcher  # type: ignore[import-untyped]

from index.generation import K1, B, Visible

Scores = dict[int, float]


class _Scorer(scoring.WeightLengthScorer):  # type: ignore[misc]
    def __init__(self, searcher: Any, fieldname: str, text: bytes, idf: float, avgfl: float):
        self.idf = idf
        self.avgfl = avgfl
        self.setup(searcher, fieldname, text)

    def _score(self, weight: float, length: int) -> float:
        return float(scoring.bm25(self.idf, weight, length, self.avgfl, B, K1))


class VisibleBM25F(scoring.BM25F):  # type: ignore[misc]
    def __init__(self, reader: Any, visible: Visible) -> None:
        super().__init__(B=B, K1=K1)
        self._reader = reader
        self._visible = visible

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        idf = self._visible.idf(self._reader, fieldname, text)
        avgfl = self._visible.avg_length(self._reader, fieldname)
        return _Scorer(searcher, fieldname, text, idf, avgfl)


def whoosh_scores(reader: Any, query: Any, visible: Visible, allowed: frozenset[int]) -> Scores:
    """Document number -> score of every allowed match, through Whoosh's matchers."""
    searcher = Searcher(reader, weighting=VisibleBM25F(reader, visible), closereader=False)
    found: Scores = {}
    for sub, offset in searcher.leaf_searchers():
        matcher = query.matcher(sub, searcher.context())
        while matcher.is_active():
            docnum = matcher.id() + offset
            if docnum in allowed:
                found[docnum] = float(matcher.score())
            matcher.next()
    return found
