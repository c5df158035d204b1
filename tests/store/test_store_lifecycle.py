"""The active import, going back to an earlier one, and imports racing (SQLite and PostgreSQL).

The races run two threads (or two processes) at a barrier, each with its own
connection, so the databases' own locking decides who wins; the outcome the
tests assert (exactly one import stored, the other told in Swedish) holds for
every interleaving, which is why no timing is asserted.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import lifecycle_exports
import pytest
import sqlalchemy as sa

from hallbar.core.dataset import HRData
from hallbar.store import Store, StoreError
from hallbar.store.snapshots import STAGING
from hallbar.store.store import ImportConflict

MakeData = Callable[..., HRData]


def _save(store: Store, data: HRData, **kw: object) -> int:
    return store.save_import(
        data,
        created_by="anna",
        profile="generic",
        files={},
        row_counts={},
        **kw,  # type: ignore[arg-type]
    )


def _published_folders(store: Store) -> list[Path]:
    assert store.snapshot_dir is not None
    return sorted(
        p
        for p in store.snapshot_dir.glob("*/*")
        if p.is_dir() and p.parent.name not in (STAGING, ".locks")
    )


def _fewer(data: HRData) -> HRData:
    """The same organisation with one employment less: content of its own (the export
    date is metadata, not part of a snapshot's files)."""
    return data.with_frames(employments=data.employments.head(1))


def _race(*jobs: Callable[[], int]) -> list[int | BaseException]:
    """Run the jobs at the same moment in threads; each one's id or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[int | BaseException] = [RuntimeError("did not run")] * len(jobs)

    def run(i: int, job: Callable[[], int]) -> None:
        barrier.wait()
        try:
            results[i] = job()
        except BaseException as err:  # handed to the test to assert
            results[i] = err

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_new_import_becomes_active_and_an_earlier_one_can_be_made_active_again(
    store: Store, make_hrdata: MakeData
) -> None:
    older = make_hrdata(as_of=date(2024, 12, 31))
    first = _save(store, older)
    newer = make_hrdata(as_of=date(2025, 12, 31))
    second = _save(store, newer.with_frames(employments=newer.employments.head(1)))
    assert [(r.id, r.active) for r in store.list_imports("1280")] == [
        (first, False),
        (second, True),
    ]
    assert store.activate("1280", first) == second
    assert store.active_import_id("1280") == first
    assert store.find_import("1280").id == first
    # The sample has two employments; the newer import kept one.
    assert store.load("1280").employments.height == 2
    assert store.load("1280", second).employments.height == 1
    [org] = store.organisations()
    assert (org.active_import_id, org.active_as_of) == (first, date(2024, 12, 31))


def test_activating_another_organisations_import_is_not_found(
    store: Store, make_hrdata: MakeData
) -> None:
    malmo = _save(store, make_hrdata("1280", "Malmö stad"))
    _save(store, make_hrdata("1281", "Lunds kommun"))
    with pytest.raises(Exception, match=f"Importen {malmo} finns inte för organisationen 1281"):
        store.activate("1281", malmo)


def test_deleting_the_active_import_makes_the_newest_remaining_one_active(
    store: Store, make_hrdata: MakeData
) -> None:
    first = _save(store, make_hrdata(as_of=date(2023, 12, 31)))
    second = _save(store, make_hrdata(as_of=date(2024, 12, 31)))
    third = _save(store, make_hrdata(as_of=date(2025, 12, 31)))
    store.activate("1280", second)
    store.delete_import(second)
    assert store.active_import_id("1280") == third
    store.delete_import(first)  # not active: the active one stays
    assert store.active_import_id("1280") == third


def test_an_import_compared_with_an_import_no_longer_active_is_refused(
    store: Store, make_hrdata: MakeData
) -> None:
    first = _save(store, make_hrdata(as_of=date(2024, 12, 31)))
    second = _save(store, make_hrdata(as_of=date(2025, 6, 30)))
    with pytest.raises(ImportConflict, match="En annan import av organisationen 1280"):
        _save(store, _fewer(make_hrdata(as_of=date(2025, 12, 31))), expected_active=first)
    assert [r.id for r in store.list_imports()] == [first, second]
    # Nothing half-written: no files staged or published for the refused import.
    assert store.snapshot_dir is not None
    staging = store.snapshot_dir / STAGING
    assert not staging.exists() or not list(staging.iterdir())
    assert len(_published_folders(store)) == 1  # the two saved imports share their content


def test_two_first_imports_of_a_new_organisation_one_wins(
    store: Store, make_hrdata: MakeData
) -> None:
    # Different content, so the two do not share a snapshot lock and only the database
    # decides.
    a = make_hrdata()
    b = _fewer(make_hrdata())
    results = _race(
        lambda: _save(store, a, expected_active=None),
        lambda: _save(store, b, expected_active=None),
    )
    stored = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(stored) == 1, results
    assert len(refused) == 1 and isinstance(refused[0], ImportConflict), results
    assert "sparades medan den här lästes in" in refused[0].message
    [record] = store.list_imports("1280")
    assert record.id == stored[0] and record.active
    assert len(_published_folders(store)) == 1


def test_two_identical_first_imports_one_wins_and_its_files_stay(
    store: Store, make_hrdata: MakeData
) -> None:
    data = make_hrdata()
    results = _race(
        lambda: _save(store, data, expected_active=None),
        lambda: _save(store, data, expected_active=None),
    )
    stored = [r for r in results if isinstance(r, int)]
    assert len(stored) == 1, results
    assert any(isinstance(r, ImportConflict) for r in results), results
    # The loser must not take the shared content-addressed folder with it.
    assert store.load("1280").employments.height == 2


def test_identical_imports_racing_share_one_folder_and_survive_a_delete(
    store: Store, make_hrdata: MakeData
) -> None:
    data = make_hrdata()
    ids = _race(*[lambda: _save(store, data) for _ in range(4)])
    assert all(isinstance(i, int) for i in ids), ids
    assert len(_published_folders(store)) == 1
    for import_id in ids[:-1]:
        assert isinstance(import_id, int)
        store.delete_import(import_id)
    last = ids[-1]
    assert isinstance(last, int)
    assert store.load("1280", last).employments.height == 2
    assert len(_published_folders(store)) == 1


def test_an_identical_import_whose_commit_fails_leaves_the_shared_files(
    store: Store, make_hrdata: MakeData
) -> None:
    data = make_hrdata()
    first = _save(store, data)

    def fail_commit(_conn: object) -> None:
        raise RuntimeError("the disk is full")

    sa.event.listen(store.engine, "commit", fail_commit)
    try:
        with pytest.raises((RuntimeError, StoreError)):
            _save(store, data)
    finally:
        sa.event.remove(store.engine, "commit", fail_commit)
    assert [r.id for r in store.list_imports()] == [first]
    assert store.load("1280").employments.height == 2


def test_a_new_snapshot_whose_commit_fails_is_removed(store: Store, make_hrdata: MakeData) -> None:
    first = _save(store, make_hrdata())

    def fail_commit(_conn: object) -> None:
        raise RuntimeError("the disk is full")

    sa.event.listen(store.engine, "commit", fail_commit)
    try:
        with pytest.raises((RuntimeError, StoreError)):
            _save(store, _fewer(make_hrdata()))
    finally:
        sa.event.remove(store.engine, "commit", fail_commit)
    assert [r.id for r in store.list_imports()] == [first]
    assert len(_published_folders(store)) == 1


def test_two_processes_importing_a_new_organisation_one_wins(
    store: Store, make_hrdata: MakeData
) -> None:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    url = store.url.render_as_string(hide_password=False)
    folder = str(store.snapshot_dir) if store.snapshot_dir is not None else None
    variants = (make_hrdata(), _fewer(make_hrdata()))  # separate files: only the database decides
    processes = [
        context.Process(
            target=lifecycle_exports.save_first_import_in_process,
            args=(url, folder, data, barrier, results),
        )
        for data in variants
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert outcomes[1] == "sparad"
    assert outcomes[0].startswith("En annan import av organisationen 1280 sparades")
    [record] = store.list_imports("1280")
    assert record.active and record.created_by == "process"
