"""``Store.load`` reads each table of a snapshot when it is first used; ``Store.scan`` is lazy."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import polars as pl
from polars.testing import assert_frame_equal

from hallbar.core.dataset import HRData
from hallbar.store import Store
from hallbar.store.store import SnapshotData

MakeData = Callable[..., HRData]


def _save(store: Store, data: HRData) -> int:
    return store.save_import(data, created_by="anna", profile="generic", files={}, row_counts={})


def test_tables_are_read_when_first_used_and_equal_the_saved_ones(
    store: Store, make_hrdata: MakeData
) -> None:
    saved = make_hrdata().conformed()
    _save(store, saved)
    loaded = store.load("1280")
    assert isinstance(loaded, SnapshotData)
    assert "working_time" not in vars(loaded)  # not read yet
    assert_frame_equal(loaded.employments, saved.employments)
    assert "employments" in vars(loaded) and "working_time" not in vars(loaded)
    assert loaded.employments is loaded.employments  # read once, then kept
    for name, frame in saved.frames().items():
        if name != "organisations":
            assert_frame_equal(getattr(loaded, name), frame)
    # Derived data (a unit subtree) holds every table; a copy is an ordinary HRData.
    narrowed = loaded.with_frames(units=loaded.units.head(1))
    assert type(narrowed) is SnapshotData and narrowed.units.height == 1
    copy = pickle.loads(pickle.dumps(loaded))
    assert type(copy) is HRData
    assert_frame_equal(copy.working_time, saved.working_time)


def test_scan_reads_only_what_a_query_asks_for(store: Store, make_hrdata: MakeData) -> None:
    saved = make_hrdata().conformed()
    _save(store, saved)
    lazy = store.scan("1280", "employments")
    assert isinstance(lazy, pl.LazyFrame)
    plan = lazy.select("unit_id").filter(pl.col("unit_id").is_not_null()).explain()
    assert "PROJECT" in plan and "1/" in plan  # one column of the file is read
    got = lazy.select("employment_id", "unit_id").collect()
    assert_frame_equal(got, saved.employments.select("employment_id", "unit_id"))
