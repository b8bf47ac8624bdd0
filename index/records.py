"""The records the index takes and hands back: plain data, no Whoosh.

Kept apart from ``index.search`` so that ``import index`` (the CLI, the web app) costs
next to nothing until a search actually runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from index.access import ACCESS_LEVELS

FACET_FIELDS = ("doc_type", "year", "unit", "access")
MAX_PAGE_SIZE = 100
# The deepest result a search pages to (page * page_size): beyond, narrow the query.
MAX_RESULT_WINDOW = 1000
# Result orders: by score (an empty query: newest first), by date either way (undated
# documents last), by document number read as numbers ("2/..." before "10/...").
SORTS = ("relevance", "newest", "oldest", "number")


# Loads a document's archived text for snippets (None: no text), given its id and the
# folder the index stored for it (None in an index written before folders were stored).
TextLoader = Callable[[str, str | None], str | None]


@dataclass(frozen=True)
class IndexDoc:
    """What the index needs to know about one archived document.

    ``text`` is indexed but not stored (snippets load it again through ``text_loader``);
    ``codes`` are exact-match identifiers found by the metadata step (NIK, KK, NIP, form
    codes), joined by any 16/18-digit numbers found in the text; ``year`` defaults to the
    year of ``date``.
    """

    id: str
    number: str | None
    title: str | None
    text: str
    doc_type: str
    unit: str | None
    access: str  # belum_ditinjau | terbuka | dikecualikan
    date: date | None
    year: int | None
    source_name: str
    codes: tuple[str, ...] = ()
    location: str = ""  # where the paper original is kept, e.g. "Lemari 3 Boks 12"
    # The archive folder filed at intake (the catalog's ``archive_path``, never moved):
    # stored so that snippets are read without a catalog lookup.
    folder: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("IndexDoc.id must not be empty")
        if self.access not in ACCESS_LEVELS:
            raise ValueError(f"IndexDoc {self.id}: unknown access level {self.access!r}")


@dataclass(frozen=True)
class SearchFilters:
    """``unit`` matches units containing it (case-insensitive), or only the unit it names
    when it is one exactly (a facet link); the dates are inclusive."""

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
    # Relevance from the statistics of the documents the role may see (index.stats);
    # 0.0 in a listing (an empty query), which is ordered by date.
    score: float
    snippet: str  # HTML-escaped, matches in <mark>; "" when no text was loaded
    location: str | None = None  # where the paper original is kept

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
    # True: the query as typed matched nothing, these are its fuzzy matches (typos).
    fuzzy: bool = False
    sort: str = "relevance"

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
            "fuzzy": self.fuzzy,
            "sort": self.sort,
        }
