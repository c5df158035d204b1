"""Login attempts are counted atomically: parallel attempts each get their own number."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from hallbar.store import Store, accounts

AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _parallel(n: int, work: object) -> list[int]:
    barrier = threading.Barrier(n)
    results: list[int] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        got = work()  # type: ignore[operator]
        with lock:
            results.append(got)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_thirty_parallel_attempts_get_thirty_different_numbers(store: Store) -> None:
    got = _parallel(
        30, lambda: accounts.count_attempt(store, "hr", "10.0.0.1", AT, AT - timedelta(minutes=5))
    )
    # A read-then-write count gives repeated numbers under concurrency; one atomic
    # statement numbers the attempts 1 … 30, each once.
    assert sorted(got) == list(range(1, 31))


def test_a_window_that_has_passed_starts_again(store: Store) -> None:
    window = timedelta(minutes=5)
    for _ in range(4):
        accounts.count_attempt(store, "hr", "10.0.0.1", AT, AT - window)
    assert accounts.count_attempt(store, "hr", "10.0.0.1", AT, AT - window) == 5
    later = AT + window + timedelta(seconds=1)
    assert accounts.count_attempt(store, "hr", "10.0.0.1", later, later - window) == 1
    # Other usernames and addresses have their own count.
    assert accounts.count_attempt(store, "hr", "10.0.0.2", AT, AT - window) == 1
    assert accounts.count_attempt(store, "chef", "10.0.0.1", AT, AT - window) == 1
