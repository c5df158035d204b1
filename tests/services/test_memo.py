"""The per-root cache: one computation per key, however many ask at once."""

from __future__ import annotations

import threading

from hallbar.services.memo import ByIdentity, HbCache, stable_text


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


class DiskRoot:
    """A services root with a data directory, as ``Hallbar`` has through its settings."""

    def __init__(self, data_dir: object) -> None:
        self.settings = type("S", (), {"data_dir": data_dir})()


def test_persisted_values_survive_a_new_root_and_are_keyed_by_snapshot(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache: HbCache[dict[str, int]] = HbCache(4, persist="test")
    calls: list[str] = []

    def compute(tag: str) -> dict[str, int]:
        calls.append(tag)
        return {"n": len(calls)}

    first = DiskRoot(tmp_path)
    assert cache.get_or_compute(first, ("k", 1), lambda: compute("a"), snapshot="org/aaa") == {
        "n": 1
    }
    # A restart: a new root (empty memory) in the same data directory reads the file.
    restarted = DiskRoot(tmp_path)
    assert cache.get_or_compute(restarted, ("k", 1), lambda: compute("b"), snapshot="org/aaa") == {
        "n": 1
    }
    assert calls == ["a"]
    # Another snapshot (a new import) never finds the old value on disk.
    assert cache.get_or_compute(
        DiskRoot(tmp_path), ("k", 1), lambda: compute("c"), snapshot="org/bbb"
    ) == {"n": 2}
    # Without a snapshot nothing is written: an import kept as rows has no content id.
    cache.get_or_compute(DiskRoot(tmp_path), ("k", 2), lambda: compute("d"))
    cache.get_or_compute(DiskRoot(tmp_path), ("k", 2), lambda: compute("e"))
    assert calls == ["a", "c", "d", "e"]
    assert len(list((tmp_path / "cache" / "test").rglob("*.pickle"))) == 2


def test_a_damaged_cache_file_is_computed_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache: HbCache[int] = HbCache(4, persist="test")
    cache.get_or_compute(DiskRoot(tmp_path), "k", lambda: 1, snapshot="s")
    (file,) = (tmp_path / "cache" / "test").rglob("*.pickle")
    file.write_bytes(b"not a pickle")
    assert cache.get_or_compute(DiskRoot(tmp_path), "k", lambda: 2, snapshot="s") == 2
    assert cache.get_or_compute(DiskRoot(tmp_path), "k", lambda: 3, snapshot="s") == 2


def test_stable_text_does_not_depend_on_set_order() -> None:
    assert stable_text(frozenset({"b", "a", "c"})) == stable_text(frozenset({"c", "a", "b"}))
    assert stable_text(("x", frozenset({"a"}), 1)) == "('x',{'a'},1)"


def test_by_identity_forgets_a_dead_owner() -> None:
    memo: ByIdentity[int] = ByIdentity()
    owner = Root()
    assert memo.get_or_compute(owner, "k", lambda: 1) == 1
    assert memo.get_or_compute(owner, "k", lambda: 2) == 1
    other = Root()
    assert memo.get_or_compute(other, "k", lambda: 3) == 3
