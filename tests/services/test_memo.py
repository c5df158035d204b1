"""The per-root cache: one computation per key, however many ask at once."""

from __future__ import annotations

import threading

from hallbar.services.memo import HbCache


class Root:
    """Stands in for a services root (any object that can be weakly referenced)."""


def test_concurrent_first_requests_compute_once() -> None:
    cache: HbCache[int] = HbCache(4)
    root = Root()
    started = threading.Event()
    release = threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        started.set()
        release.wait(timeout=10)
        return 42

    results: list[int] = []
    first = threading.Thread(target=lambda: results.append(cache.get_or_compute(root, "k", slow)))
    first.start()
    started.wait(timeout=10)  # the first computation is under way
    second = threading.Thread(target=lambda: results.append(cache.get_or_compute(root, "k", slow)))
    second.start()
    release.set()
    first.join()
    second.join()
    assert results == [42, 42]
    assert len(calls) == 1


def test_roots_do_not_share_entries_and_old_entries_are_evicted() -> None:
    cache: HbCache[str] = HbCache(2)
    a, b = Root(), Root()
    cache.put(a, 1, "a1")
    assert cache.get(b, 1) is None
    cache.put(a, 2, "a2")
    cache.put(a, 3, "a3")  # size 2: key 1 is the least recently used and goes
    assert cache.get(a, 1) is None
    assert cache.get(a, 3) == "a3"
