"""Whoosh search index: schema, Indonesian analyzer, single writer, access-filtered search.

A leaf package: it imports only the standard library, Whoosh and Sastrawi, and it is the
only place in the project that does.
"""

from index.access import ACCESS_LEVELS, ROLE_ACCESS, visible_access
from index.analysis import analyze, normalize_number, stem_word
from index.errors import (
    IndexBusy,
    IndexMissing,
    IndexOutdated,
    QueryError,
    SearchIndexError,
    UnknownRole,
)
from index.schema import SCHEMA_VERSION
from index.search import FacetCounts, SearchFilters, SearchHit, SearchResults, TextLoader, search
from index.writer import (
    IndexDoc,
    IndexHandle,
    add_documents,
    contains,
    delete_documents,
    indexed_ids,
    leftover_dirs,
    open_or_create,
    rebuild,
)

__all__ = [
    "ACCESS_LEVELS",
    "ROLE_ACCESS",
    "SCHEMA_VERSION",
    "FacetCounts",
    "IndexBusy",
    "IndexDoc",
    "IndexHandle",
    "IndexMissing",
    "IndexOutdated",
    "QueryError",
    "SearchFilters",
    "SearchHit",
    "SearchIndexError",
    "SearchResults",
    "TextLoader",
    "UnknownRole",
    "add_documents",
    "analyze",
    "contains",
    "delete_documents",
    "indexed_ids",
    "leftover_dirs",
    "normalize_number",
    "open_or_create",
    "rebuild",
    "search",
    "stem_word",
    "visible_access",
]
