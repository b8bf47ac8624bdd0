"""Searching the index, with the caller's access filter inside every query.

Every figure a search returns comes from the documents the caller may see (the set of
access levels it passes): the query is
scored only over them (``index.evaluate``), with statistics of them alone
(``generation.Visible``), so hits, scores, the total and the facet counts are those of
an index holding nothing else; snippets are made for visible hits only, and suggestions
come from visible documents only (see ``suggest``).

Results are ordered by score, then newest first (``docs.listing_key``, which depends on
the document alone); an empty query lists documents newest first; ``sort`` asks for
date or number order instead. Pages go up to ``MAX_RESULT_WINDOW`` results deep (refused
before any work beyond), and a page past the last one is the last one.

A query whose words match nothing visible is retried once with those words made fuzzy
(``query.fuzzy_fallback``): the results say so (``fuzzy``), so the page can too.
"""

from __future__ import annotations

import heapq
import os
import re
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from index import generation, stems, store
from index.access import ACCESS_LEVELS, checked_visible
from index.errors import PageOutOfRange, QueryError
from index.evaluate import Evaluator, Unsupported
from index.generation import Generation
from index.query import ParsedQuery, fuzzy_fallback, parse
from index.records import (
    FACET_FIELDS,
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SORTS,
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


_DIGITS = re.compile(r"(\d+)")


def _check_paging(page: int, page_size: int, sort: str) -> None:
    if sort not in SORTS:
        raise QueryError(
            f"unknown sort {sort!r} (one of {', '.join(SORTS)})", code="unknown_sort", sort=sort
        )
    if page < 1:
        raise QueryError(f"page must be 1 or more, not {page}", code="bad_page", page=page)
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise QueryError(
            f"page_size must be between 1 and {MAX_PAGE_SIZE}, not {page_size}",
            code="bad_page_size",
            page_size=page_size,
            limit=MAX_PAGE_SIZE,
        )
    if page * page_size > MAX_RESULT_WINDOW:
        last = MAX_RESULT_WINDOW // page_size
        raise PageOutOfRange(
            f"page {page} is beyond the last page searched ({last} at {page_size} a page, "
            f"the first {MAX_RESULT_WINDOW} results): add words or filters to narrow it",
            code="page_out_of_range",
            page=page,
            last=last,
            window=MAX_RESULT_WINDOW,
        )


def search(
    path: str | os.PathLike[str],
    query: str,
    *,
    visible: frozenset[str],
    filters: SearchFilters | None = None,
    page: int = 1,
    page_size: int = 10,
    text_loader: TextLoader | None = None,
    sort: str = "relevance",
) -> SearchResults:
    """Search the documents whose access is in ``visible``; an empty query lists them
    newest first within ``filters`` (or in ``sort`` order, one of ``SORTS``)."""
    visible = checked_visible(visible)
    _check_paging(page, page_size, sort)
    parsed = parse(query)
    ix = store.open_existing(Path(path))
    try:
        with ix.searcher() as searcher:
            run = _Run(path, searcher, visible, filters or SearchFilters(), page, page_size)
            run.sort = sort
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
        self.path = Path(path)
        self.searcher = searcher
        self.reader = searcher.reader()
        self.generation: Generation = generation.of(path, self.reader)
        self.visible = visible
        self.filters = filters
        self.allowed = self.generation.allowed(self.reader, visible, filters)
        self.page = page
        self.page_size = page_size
        self.start = (page - 1) * page_size
        self.sort = "relevance"
        self.expansions: dict[Any, frozenset[str]] = {}  # what the snippets mark

    def _clamp(self, total: int) -> None:
        """A page past the last one (a stale link, a typed ``page=99``) is the last one."""
        last = max(1, -(-total // self.page_size))
        if self.page > last:
            self.page, self.start = last, (last - 1) * self.page_size

    def _order(self) -> list[int]:
        """Every document number in ``sort`` order (not relevance), once per generation."""
        reader = self.reader
        if self.sort in ("relevance", "newest"):
            return self.generation.listing_order(reader)
        if self.sort == "oldest":
            keys = self.generation.listing_keys(reader)

            def oldest() -> list[int]:  # the undated (key 0) last, as in the newest order
                return sorted(range(len(keys)), key=lambda d: (keys[d] >> 32 == 0, keys[d]))

            return self.generation.memo("order-oldest", oldest)

        def by_number() -> list[int]:
            numbers = self.generation.values(reader, "number")
            keys = self.generation.listing_keys(reader)
            return sorted(range(len(numbers)), key=lambda d: _number_key(numbers[d], keys[d]))

        return self.generation.memo("order-number", by_number)

    def _ordered_page(self, docs: frozenset[int] | dict[int, float]) -> list[int]:
        order = self._order()
        return list(
            islice((d for d in order if d in docs), self.start, self.start + self.page_size)
        )

    def _facets(self, docs: Iterable[int]) -> FacetCounts:
        kept = docs if isinstance(docs, frozenset | set | dict) else list(docs)
        counts = {f: self.generation.facet_counts(self.reader, f, kept) for f in FACET_FIELDS}
        return FacetCounts(**counts)

    def listing(self, text: str) -> SearchResults:
        """No words: newest first. Its facets depend on the role and filters only, so
        they are computed once per index generation."""
        key = ("listing-facets", self.visible, self.filters)
        facets = self.generation.memo(key, lambda: self._facets(self.allowed))
        self._clamp(len(self.allowed))
        hits = tuple(
            self._hit(docnum, 0.0, None, None) for docnum in self._ordered_page(self.allowed)
        )
        total = len(self.allowed)
        return SearchResults(
            text, hits, total, self.page, self.page_size, facets, None, sort=self.sort
        )

    def _scores(self, query: Any) -> dict[int, float]:
        view = self.generation.visible(self.reader, self.visible)
        evaluator = Evaluator(self.reader, view, self.allowed)
        try:
            scores = evaluator.scores(query)
        except Unsupported:
            return whoosh_scores(self.reader, query, view, self.allowed)
        self.expansions.update(evaluator.expansions)
        return scores

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

    def execute(self, text: str, parsed: ParsedQuery, loader: TextLoader | None) -> SearchResults:
        scores = self._scores(parsed.query)
        suggestion, fuzzy = None, False
        if not scores:
            fixes = self._corrections(parsed.words)
            suggestion = apply_corrections(text, fixes) if fixes else None
            # Only misspelt words (unknown to visible documents, with a visible look-alike)
            # are retried: a query of known words that meet nowhere, or not within the
            # filters, is not a typo, and its look-alikes would mislead.
            retried = self._fuzzy(text, frozenset(fixes)) if fixes else None
            if retried is not None:
                parsed, scores, fuzzy = retried[0], retried[1], True
        self._clamp(len(scores))
        if self.sort == "relevance":
            page = self._top(scores)
        else:
            page = [(d, scores[d]) for d in self._ordered_page(scores)]
        wanted = loader is not None and bool(page)
        terms = highlight_terms(parsed.query, self.expansions) if wanted else None
        if terms and terms.stemmed:
            stems.use_table(self.path)  # the hits' words, stemmed when the index was built
        hits = tuple(self._hit(d, s, terms, loader) for d, s in page)
        facets = self._facets(scores)
        total = len(scores)
        return SearchResults(
            text, hits, total, self.page, self.page_size, facets, suggestion, fuzzy, self.sort
        )

    def _fuzzy(
        self, text: str, words: frozenset[str]
    ) -> tuple[ParsedQuery, dict[int, float]] | None:
        """The fuzzy retry's query and scores, or None when it finds nothing either."""
        try:
            retry = fuzzy_fallback(text, words)
            scores = self._scores(retry.query) if retry is not None else {}
        except QueryError:  # too many look-alikes: the retry is a favour, not a new error
            return None
        return (retry, scores) if retry is not None and scores else None

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
            location=stored.get("location") or None,
        )

    def _snippet(
        self, stored: dict[str, Any], terms: HighlightTerms | None, loader: TextLoader | None
    ) -> str:
        # Only allowed documents are scored; checked again because a snippet of a
        # restricted document is the one leak that would be hard to notice.
        if loader is None or terms is None or stored.get("access") not in self.visible:
            return ""
        try:
            text = loader(str(stored["id"]), stored.get("folder") or None)
        except (OSError, UnicodeError):
            return ""  # an unreadable text.txt is for `arsip verify`, not a failed search
        return make_snippet(text, terms) if text else ""

    def _corrections(self, words: tuple[str, ...]) -> dict[str, str]:
        # Only when nothing visible matched: then whether a suggestion (and a fuzzy retry)
        # appears depends on visible documents alone, and common searches pay nothing.
        docs = self.generation.visible(self.reader, self.visible).docs
        visible = VisibleDocs(docs, sees_everything=self.visible >= frozenset(ACCESS_LEVELS))
        return corrections(self.reader, visible, words, self.generation.words_within)


def _number_key(number: str | None, listing_key: int) -> tuple[Any, ...]:
    """Numbers read as numbers (``2/PP`` before ``10/PP``); without one, last, newest first."""
    if not number:
        return (1, (), -listing_key)
    parts = _DIGITS.split(number.casefold())
    return (0, tuple((int(p), "") if i % 2 else (0, p) for i, p in enumerate(parts)), -listing_key)
