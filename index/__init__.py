"""Whoosh search index: schema, Indonesian analyzer, single writer, access-filtered search.

A leaf package: it imports only the standard library, Whoosh and Sastrawi, and it is the
only place in the project that does. Importing it is cheap: the records and errors are
plain Python, and Whoosh and Sastrawi load on the first call that needs them (a search,
a write), so a command that only names the types starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from index.access import ACCESS_LEVELS
from index.errors import (
    IndexBusy,
    IndexMissing,
    IndexOutdated,
    PageOutOfRange,
    QueryError,
    SearchIndexError,
    UnknownAccess,
)
from index.records import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SORTS,
    FacetCounts,
    IndexDoc,
    SearchFilters,
    SearchHit,
    SearchResults,
    TextLoader,
)

if TYPE_CHECKING:
    from index.analysis import analyze, normalize_number
    from index.schema import SCHEMA_VERSION
    from index.searching import search
    from index.stems import stem_word
    from index.writer import (
        IndexHandle,
        add_documents,
        contains,
        delete_documents,
        indexed_ids,
        leftover_dirs,
        open_or_create,
        rebuild,
    )

# Name -> the module that defines it, imported on first use.
_LAZY = {
    "analyze": "index.analysis",
    "normalize_number": "index.analysis",
    "stem_word": "index.stems",
    "SCHEMA_VERSION": "index.schema",
    "search": "index.searching",
    **dict.fromkeys(
        (
            "IndexHandle",
            "add_documents",
            "contains",
            "delete_documents",
            "indexed_ids",
            "leftover_dirs",
            "open_or_create",
            "rebuild",
        ),
        "index.writer",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "ACCESS_LEVELS",
    "MAX_PAGE_SIZE",
    "MAX_RESULT_WINDOW",
    "SCHEMA_VERSION",
    "SORTS",
    "FacetCounts",
    "IndexBusy",
    "IndexDoc",
    "IndexHandle",
    "IndexMissing",
    "IndexOutdated",
    "PageOutOfRange",
    "QueryError",
    "SearchFilters",
    "SearchHit",
    "SearchIndexError",
    "SearchResults",
    "TextLoader",
    "UnknownAccess",
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
]
