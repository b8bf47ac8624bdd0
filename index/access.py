"""Which access levels each role may see.

Kept as data so the rule reads in one place; every search surface (hits, totals, facets,
snippets, suggestions) goes through ``visible_access``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from index.errors import UnknownRole

ACCESS_LEVELS: tuple[str, ...] = ("belum_ditinjau", "terbuka", "dikecualikan")

_ALL = frozenset(ACCESS_LEVELS)

ROLE_ACCESS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "petugas": frozenset({"terbuka"}),
        "ppid": _ALL,
        "atasan": _ALL,
        "tim_pertimbangan": _ALL,
        "pembina": _ALL,
        "admin": _ALL,
    }
)


def visible_access(role: str) -> frozenset[str]:
    """Access levels ``role`` may see; an unknown role is an error, never "see all"."""
    try:
        return ROLE_ACCESS[role]
    except KeyError:
        known = ", ".join(sorted(ROLE_ACCESS))
        raise UnknownRole(f"unknown role {role!r} (known roles: {known})") from None
