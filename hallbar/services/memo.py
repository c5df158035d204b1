"""Small caches that belong to one services root (``Hallbar``).

Every service that caches a computation (a key-figure pack, a pay survey, a
projection) uses ``HbCache``: the entries live per root, so two roots in one
process (tests, a demo beside a real site) never see each other's data, and a
root that is closed and dropped takes its entries with it.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class HbCache(Generic[V]):
    """A small LRU cache per services root (``Hallbar``), so two roots in one process
    (tests, a demo next to a real site) never see each other's organisations."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._per_root: weakref.WeakKeyDictionary[object, OrderedDict[Hashable, V]] = (
            weakref.WeakKeyDictionary()
        )
        # One lock per key being computed, so concurrent first requests for the same
        # figures wait for one computation instead of each doing it again.
        self._computing: dict[tuple[int, Hashable], threading.Lock] = {}

    def get(self, hb: object, key: Hashable) -> V | None:
        with self._lock:
            entries = self._per_root.get(hb)
            if entries is None or key not in entries:
                return None
            entries.move_to_end(key)
            return entries[key]

    def put(self, hb: object, key: Hashable, value: V) -> None:
        with self._lock:
            entries = self._per_root.setdefault(hb, OrderedDict())
            entries[key] = value
            while len(entries) > self._size:
                entries.popitem(last=False)

    def get_or_compute(self, hb: object, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value, or ``compute()`` once however many requests ask at the same time."""
        hit = self.get(hb, key)
        if hit is not None:
            return hit
        flight = (id(hb), key)
        with self._lock:
            lock = self._computing.setdefault(flight, threading.Lock())
        with lock:
            hit = self.get(hb, key)
            if hit is None:
                hit = compute()
                self.put(hb, key, hit)
        with self._lock:
            self._computing.pop(flight, None)
        return hit
