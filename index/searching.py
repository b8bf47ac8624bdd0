"""Searching the index, with the role's access filter inside every query.

Every figure a search returns comes from the documents the role may see: the query is
scored only over them (``index.evaluate``), with statistics of them alone
(``generation.Visible``), so hits, scores, the total and the facet counts are those of
an index holding nothing else; snippets are made for visible hits only, and suggestions
come from visible documents only (see ``suggest``).

Results are ordered by score, then newest first (``docs.listing_key``, which depends on
the document alone); an empty query lists documents newest first. Pages go up to
``MAX_RESULT_WINDOW`` results deep.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from index import generation, store
from index.access import ACCESS_LEVELS, visible_access
from index.errors import PageOutOfRange, QueryError
from index.evaluate import Evaluator, Unsupported
from index.generation import Generation
from index.query import parse
from index.records import (
    FACET_FIELDS,
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    FacetCounts,
    SearchFilters,
    SearchHit,
    SearchResults,
    TextLoader,
)
from index.scoring import whoosh_scores
from index.snippets import HighlightTerms, highlight_terms, make_snippet
from index.suggest import VisibleDocs, apply_corrections, corrections

__all__ = ["FacetCounts", "SearchFilters", "SearchHit", "SearchResults", "TextLoader", "search"]


def _check_paging(page: int, page_size: int) -> None:
    if page < 1:
        raise QueryError(f"page must be 1 or more, not {page}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise QueryError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, not {page_size}")
    if page * page_size > MAX_RESULT_WINDOW:
        last = MAX_RESULT_WINDOW // page_size
        raise PageOutOfRange(
            f"page {page} is beyond the last page searched ({last} at {page_size} a page, "
            f"the first {MAX_RESULT_WINDOW} results): add words or filters to narrow it"
        )


def search(
    path: str | os.PathLike[str],
    query: str,
    *,
    role: str,
    filters: SearchFilters | None = None,
    page: int = 1,
    page_size: int = 10,
    text_loader: TextLoader | None = None,
) -> SearchResults:
    """Search as ``role``; an empty query lists documents newest first within ``filters``."""
    visible = visible_access(role)
    _check_paging(page, page_size)
    parsed = parse(query)
    ix = store.open_existing(Path(path))
    try:
        with ix.searcher() as searcher:
            run = _Run(path, searcher, visible, filters or SearchFilters(), page, page_size)
            if parsed is None:
                return run.listing(query)
            return run.execute(query, parsed, text_loader)
    finally:
        ix.close()


class _Run:
    """One search against an open searcher; split out to keep each step short."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        searcher: Any,
        visible: frozenset[str],
        filters: SearchFilters,
        page: int,
        page_size: int,
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.generation: Generation = generation.of(path, self.reader)
        self.visible = visible
        self.filters = filters
        self.allowed = self.generation.allowed(self.reader, visible, filters)
        self.page = page
        self.page_size = page_size
        self.start = (page - 1) * page_size

    def _facets(self, docs: Iterable[int]) -> FacetCounts:
        kept = docs if isinstance(docs, frozenset | set | dict) else list(docs)
        counts = {f: self.generation.facet_counts(self.reader, f, kept) for f in FACET_FIELDS}
        return FacetCounts(**counts)

    def listing(self, text: str) -> SearchResults:
        """No words: newest first. Its facets depend on the role and filters only, so
        they are computed once per index generation."""
        key = ("listing-facets", self.visible, self.filters)
        facets = self.generation.memo(key, lambda: self._facets(self.allowed))
        allowed = self.allowed
        order = self.generation.listing_order(self.reader)
        docs = islice((d for d in order if d in allowed), self.start, self.start + self.page_size)
        hits = tuple(self._hit(docnum, 0.0, None, None) for docnum in docs)
        return SearchResults(text, hits, len(allowed), self.page, self.page_size, facets, None)

    def _scores(self, query: Any) -> dict[int, float]:
        view = self.generation.visible(self.reader, self.visible)
        try:
            return Evaluator(self.reader, view, self.allowed).scores(query)
        except Unsupported:
            return whoosh_scores(self.reader, query, view, self.allowed)

    def _top(self, scores: dict[int, float]) -> list[tuple[int, float]]:
        """This page's (document, score), best first; ties newest first."""
        window = self.start + self.page_size
        keys = self.generation.listing_keys(self.reader)
        if len(scores) > window:
            lowest = heapq.nlargest(window, scores.values())[-1]
            ranked = [(s, keys[d], d) for d, s in scores.items() if s >= lowest]
        else:
            ranked = [(s, keys[d], d) for d, s in scores.items()]
        ranked.sort(reverse=True)
        return [(d, s) for s, _key, d in ranked[self.start : window]]

    def execute(self, text: str, parsed: Any, loader: TextLoader | None) -> SearchResults:
        scores = self._scores(parsed.query)
        page = self._top(scores)
        terms = highlight_terms(parsed.query) if loader is not None and page else None
        hits = tuple(self._hit(d, s, terms, loader) for d, s in page)
        suggestion = None
        if not scores:
            suggestion = self._suggest(text, parsed.words)
        facets = self._facets(scores)
        return SearchResults(text, hits, len(scores), self.page, self.page_size, facets, suggestion)

    def _hit(
        self, docnum: int, score: float, terms: HighlightTerms | None, loader: TextLoader | None
    ) -> SearchHit:
        stored = self.generation.stored(self.searcher, docnum)
        when = stored.get("date")
        return SearchHit(
            id=str(stored["id"]),
            title=stored.get("title") or None,
            doc_type=stored.get("doc_type"),
            unit=stored.get("unit"),
            year=stored.get("year") or None,  # YEAR_MISSING is 0
            date=when.date() if isinstance(when, datetime) else None,
            number=stored.get("number"),
            source_name=stored.get("source_name"),
            access=stored.get("access"),
            score=score,
            snippet=self._snippet(stored, terms, loader),
        )

    def _snippet(
        self, stored: dict[str, Any], terms: HighlightTerms | None, loader: TextLoader | None
    ) -> str:
        # Only allowed documents are scored; checked again because a snippet of a
        # restricted document is the one leak that would be hard to notice.
        if loader is None or terms is None or stored.get("access") not in self.visible:
            return ""
        try:
            text = loader(str(stored["id"]))
        except (OSError, UnicodeError):
            return ""  # an unreadable text.txt is for `arsip verify`, not a failed search
        return make_snippet(text, terms) if text else ""

    def _suggest(self, text: str, words: tuple[str, ...]) -> str | None:
        # Only when nothing visible matched: then whether a suggestion appears depends on
        # visible documents alone, and common searches pay nothing for it.
        docs = self.generation.visible(self.reader, self.visible).docs
        visible = VisibleDocs(docs, sees_everything=self.visible >= frozenset(ACCESS_LEVELS))
        fixes = corrections(self.reader, visible, words)
        return apply_corrections(text, fixes) if fixes else None
