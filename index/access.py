"""The access levels a document's ``access`` field may hold, and the check that a caller's
set of visible levels is one of them.

Which role sees which levels is the archive's policy (``archive.vocabulary``); the index
takes the set and applies it inside every query, so hits, totals, facets, snippets and
suggestions only ever see what the caller may see.
"""

from __future__ import annotations

from index.errors import UnknownAccess

ACCESS_LEVELS: tuple[str, ...] = ("belum_ditinjau", "terbuka", "dikecualikan")


def checked_visible(visible: frozenset[str]) -> frozenset[str]:
    """``visible`` itself; an unknown level is an error (a typo must not silently hide
    everything, nor pass as a level the index does not hold)."""
    unknown = set(visible) - set(ACCESS_LEVELS)
    if unknown:
        known = ", ".join(ACCESS_LEVELS)
        raise UnknownAccess(f"unknown access level(s) {sorted(unknown)} (known: {known})")
    return frozenset(visible)
