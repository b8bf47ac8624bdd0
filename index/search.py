"""Searching the index, with the role's access filter inside every query.

The access filter is passed as Whoosh's ``filter=``, so hits, the total and the facet
counts are all computed over the visible documents only; snippets are made for visible
hits only, and suggestions come from visible documents only (see ``suggest``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from whoosh import query as wq  # type: ignore[import-untyped]
from whoosh import sorting

from index import schema, store
from index.access import ACCESS_LEVELS, visible_access
from index.errors import QueryError
from index.query import parse
from index.snippets import HighlightTerms, highlight_terms, make_snippet
from index.suggest import VisibleDocs, apply_corrections, corrections

TextLoader = Callable[[str], str | None]
FACET_FIELDS = ("doc_type", "year", "unit", "access")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchFilters:
    doc_type: str | None = None
    year: int | None = None
    unit: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    access: str | None = None


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str | None
    doc_type: str | None
    unit: str | None
    year: int | None
    date: date | None
    number: str | None
    source_name: str | None
    access: str | None
    score: float
    snippet: str  # HTML-escaped, matches in <mark>; "" when no text was loaded

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass(frozen=True)
class FacetCounts:
    doc_type: dict[str, int] = field(default_factory=dict)
    year: dict[int, int] = field(default_factory=dict)
    unit: dict[str, int] = field(default_factory=dict)
    access: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    total: int
    page: int
    page_size: int
    facets: FacetCounts
    suggestion: str | None

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "page_count": self.page_count,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": {
                name: {str(key): count for key, count in getattr(self.facets, name).items()}
                for name in FACET_FIELDS
            },
            "suggestion": self.suggestion,
        }


def _access_query(visible: frozenset[str]) -> Any:
    return wq.Or([wq.Term("access", level) for level in sorted(visible)])


def _filter_query(visible: frozenset[str], filters: SearchFilters) -> Any:
    parts = [_access_query(visible)]
    for name in ("doc_type", "unit", "access"):
        value = getattr(filters, name)
        if value:
            parts.append(wq.Term(name, value))
    if filters.year is not None:
        parts.append(wq.NumericRange("year", filters.year, filters.year))
    if filters.date_from or filters.date_to:
        start = datetime.combine(filters.date_from, time.min) if filters.date_from else None
        end = datetime.combine(filters.date_to, time.max) if filters.date_to else None
        parts.append(wq.DateRange("date", start, end))
    return wq.And(parts)


def _facets(results: Any) -> FacetCounts:
    counts: dict[str, dict[Any, int]] = {}
    for name in FACET_FIELDS:
        raw = results.groups(name)
        # Documents without the value land under an empty key: not a facet anyone can pick.
        missing = (None, "", b"", schema.YEAR_MISSING)
        clean = {key: int(n) for key, n in raw.items() if key not in missing}
        counts[name] = dict(sorted(clean.items(), key=lambda item: (-item[1], str(item[0]))))
    return FacetCounts(**counts)


def _hit(hit: Any, snippet: str) -> SearchHit:
    stored = hit.fields()
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
        # A sorted listing has sort keys, not scores.
        score=float(hit.score) if isinstance(hit.score, int | float) else 0.0,
        snippet=snippet,
    )


def _check_paging(page: int, page_size: int) -> None:
    if page < 1:
        raise QueryError(f"page must be 1 or more, not {page}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise QueryError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, not {page_size}")


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
            run = _Run(searcher, visible, filters or SearchFilters(), page, page_size)
            return run.execute(query, parsed, text_loader)
    finally:
        ix.close()


class _Run:
    """One search against an open searcher; split out to keep each step short."""

    def __init__(
        self,
        searcher: Any,
        visible: frozenset[str],
        filters: SearchFilters,
        page: int,
        page_size: int,
    ) -> None:
        self.searcher = searcher
        self.visible = visible
        self.filter = _filter_query(visible, filters)
        self.page = page
        self.page_size = page_size

    def _results(self, whoosh_query: Any | None) -> Any:
        options: dict[str, Any] = {
            "limit": self.page * self.page_size,
            "filter": self.filter,
            "groupedby": list(FACET_FIELDS),
            "maptype": sorting.Count,
        }
        if whoosh_query is None:
            # No words: a listing, newest first; id breaks ties so pages are stable.
            newest = sorting.MultiFacet(
                [sorting.FieldFacet("listing_key", reverse=True), sorting.FieldFacet("id")]
            )
            return self.searcher.search(wq.Every(), sortedby=newest, **options)
        return self.searcher.search(whoosh_query, **options)

    def execute(self, text: str, parsed: Any, loader: TextLoader | None) -> SearchResults:
        whoosh_query = parsed.query if parsed is not None else None
        results = self._results(whoosh_query)
        total = len(results)
        start = (self.page - 1) * self.page_size
        page_hits = list(results[start : start + self.page_size])
        # Expanding prefix and fuzzy terms walks the lexicon again: only when text is shown.
        show_text = loader is not None and bool(page_hits)
        terms = highlight_terms(whoosh_query, self.searcher.reader()) if show_text else None
        hits = tuple(_hit(hit, self._snippet(hit, terms, loader)) for hit in page_hits)
        suggestion = None
        if parsed is not None and total == 0:
            suggestion = self._suggest(text, parsed.words)
        return SearchResults(
            text, hits, total, self.page, self.page_size, _facets(results), suggestion
        )

    def _snippet(self, hit: Any, terms: HighlightTerms | None, loader: TextLoader | None) -> str:
        stored = hit.fields()
        # The filter already hid this hit if it were restricted; checked again because a
        # snippet of a restricted document is the one leak that would be hard to notice.
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
        visible = VisibleDocs(
            self.searcher,
            _access_query(self.visible),
            sees_everything=self.visible >= frozenset(ACCESS_LEVELS),
        )
        fixes = corrections(self.searcher.reader(), visible, words)
        return apply_corrections(text, fixes) if fixes else None
