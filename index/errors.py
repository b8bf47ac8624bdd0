"""Errors raised by the search index.

Callers (CLI, web, flows) catch ``SearchIndexError`` and show its message; none of these
carry a Whoosh exception type outward, so nothing outside ``index`` needs to import Whoosh.
"""

from __future__ import annotations


class SearchIndexError(Exception):
    """Base of every error raised by ``index``."""

    exit_code = 1


class IndexMissing(SearchIndexError):
    """There is no index at the path yet (nothing ingested, or a reindex is needed)."""

    exit_code = 3


class IndexOutdated(SearchIndexError):
    """The index on disk was built with another schema version; it must be rebuilt."""


class IndexBusy(SearchIndexError):
    """Another writer held the index lock for longer than the caller was willing to wait."""

    exit_code = 75


class QueryError(SearchIndexError):
    """The query string cannot be understood; the message says what to fix.

    The message is English (CLI, logs); ``code`` names the kind of mistake and ``params``
    the parts of the query it quotes, so a caller can say the same in another language
    (the web app's Indonesian messages are keyed by ``code``).
    """

    exit_code = 2

    def __init__(self, message: str, *, code: str = "invalid", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}


class UnknownAccess(SearchIndexError, ValueError):
    """A visible set naming a level the index does not know: refused, never guessed."""


class PageOutOfRange(QueryError):
    """The page asked for lies beyond the results a search will page through
    (``index.search.MAX_RESULT_WINDOW``); narrowing the query or filters is the fix."""
