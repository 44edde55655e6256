"""A byte-bounded, least-recently-used cache of numpy arrays, shared by the threads of a process.

A search reads each query term's postings and turns them into BM25F scores; both depend only on
the index generation (and the ranking weights), so an opened index keeps them for later queries.
On the whole regulations collection a cold read of a common word costs tens of milliseconds
(Whoosh's posting blocks are pickled and compressed per 128 postings), a cached one nothing.
What is kept is bounded in bytes (``settings.Limits.search_cache_mb``), not in entries: one
entry of "artikel" is two megabytes, one of a rare word a few bytes.  The standard library's
``functools.lru_cache`` bounds entries only, hence this small class.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Hashable

import numpy as np


def nbytes(value: Any) -> int:
    """Bytes held by an array, a tuple of arrays or an object saying its ``nbytes`` (others count as 64)."""
    if isinstance(value, tuple):
        return sum(nbytes(v) for v in value)
    size = getattr(value, "nbytes", None)
    return int(size) if size is not None else 64


class ArrayCache:
    """``get``/``put`` of arrays under hashable keys, dropping the least recently used entries when
    the arrays held pass ``max_bytes``.  Counts its hits, misses and evictions (``stats``)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self.stats = {"hits": 0, "misses": 0, "evicted": 0}

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def discard(self, key: Hashable) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0

    def get(self, key: Hashable) -> Any:
        """The cached value, or None."""
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                self.stats["misses"] += 1
                return None
            self._items.move_to_end(key)
            self.stats["hits"] += 1
            return hit[0]

    def put(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` (unless it alone is larger than the budget); returns it."""
        size = nbytes(value)
        if size > self.max_bytes:
            return value
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped
                self.stats["evicted"] += 1
        return value
