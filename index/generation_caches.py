"""The two caches a generation (``index.generation``) keeps: values computed once per key
under a lock (``Memo``), and decoded posting lists of common terms (``PostingCache``).
Both are shared by the searches running in a web server's threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from index import postings

T = TypeVar("T")
# Decoded posting lists kept per generation, counted in postings (about 50 bytes each):
# only long lists, the common words whose blocks cost most to decode (positions).
CACHE_POSTINGS = 1_000_000
CACHE_MIN_POSTINGS = 500


class Memo:
    """Values computed once per key, under a lock (searches run in threads)."""

    def __init__(self, limit: int | None = None) -> None:
        self._values: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.RLock()
        self._limit = limit

    def get(self, key: Any, make: Callable[[], T]) -> T:
        try:
            return self._values[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        with self._lock:
            if key not in self._values:
                self._values[key] = make()
                if self._limit is not None and len(self._values) > self._limit:
                    self._values.popitem(last=False)
            return self._values[key]  # type: ignore[no-any-return]


Read = tuple[list[int], list[float], "tuple[bytes, ...] | None"]


class PostingCache:
    """Decoded posting lists of common terms, least recently used dropped first."""

    def __init__(self, budget: int) -> None:
        self._entries: OrderedDict[tuple[str, bytes], Read] = OrderedDict()
        self._size = 0
        self._budget = budget
        self._lock = threading.Lock()

    def read(self, leaves: list[tuple[Any, int]], field: str, btext: bytes, values: bool) -> Read:
        key = (field, btext)
        found = self._entries.get(key)
        if found is not None and (found[2] is not None or not values):
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
            return found
        ids: list[int] = []
        weights: list[float] = []
        found_values: list[bytes] = []
        for block in postings.blocks(leaves, field, btext, values):
            ids.extend(block.ids)
            weights.extend(block.weights)
            if block.values is not None:
                found_values.extend(block.values)
        read = (ids, weights, tuple(found_values) if values else None)
        if len(ids) >= CACHE_MIN_POSTINGS:
            self._keep(key, read)
        return read

    def _keep(self, key: tuple[str, bytes], read: Read) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[0])
            self._entries[key] = read
            self._size += len(read[0])
            while self._size > self._budget and self._entries:
                _key, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped[0])
