"""Store behaviour, run against SQLite and PostgreSQL (see the ``store`` fixture)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from hallbar.core import schema
from hallbar.core.dataset import HRData
from hallbar.core.errors import NotFound
from hallbar.store import Store, StoreError, tables_hr

MakeData = Callable[..., HRData]


def _save(store: Store, data: HRData, who: str = "anna") -> int:
    counts = {name: frame.height for name, frame in data.frames().items()}
    return store.save_import(
        data, created_by=who, profile="generic", files={"units": "enheter.csv"}, row_counts=counts
    )


def _table_counts(store: Store) -> dict[str, int]:
    tables = [tables_hr.organisations, tables_hr.imports, *tables_hr.SNAPSHOTS.values()]
    with store.engine.connect() as conn:
        return {
            tab.name: conn.execute(sa.select(sa.func.count()).select_from(tab)).scalar_one()
            for tab in tables
        }


def test_round_trip_keeps_every_table_value_and_type(store: Store, make_hrdata: MakeData) -> None:
    data = make_hrdata()
    import_id = _save(store, data)
    loaded = store.load("1280")
    assert loaded.as_of == date(2025, 12, 31)
    for name, frame in data.conformed().frames().items():
        assert_frame_equal(getattr(loaded, name), frame, check_exact=True)
    again = store.load("1280", import_id)
    assert again.employments.equals(loaded.employments)


def test_round_trip_distinguishes_empty_text_from_missing(
    store: Store, make_hrdata: MakeData
) -> None:
    _save(store, make_hrdata())
    titles = store.load("1280").employments["title"].to_list()
    # E1 has the title 'Förvaltningschef', E2 an empty string (not a missing value).
    assert titles == ["Förvaltningschef", ""]
    assert store.load("1280").employments["end_date"].to_list() == [None, date(2025, 8, 31)]


def test_import_record_describes_the_import(store: Store, make_hrdata: MakeData) -> None:
    import_id = _save(store, make_hrdata(), who="bertil")
    [record] = store.list_imports()
    assert record.id == import_id
    assert (record.org_id, record.org_name, record.as_of) == (
        "1280",
        "Malmö stad",
        date(2025, 12, 31),
    )
    assert record.created_by == "bertil"
    assert record.profile == "generic"
    assert record.files == {"units": "enheter.csv"}
    # The sample has 2 units, 2 persons, 2 employments, 2 absences, 2 working-time rows,
    # 2 pay components and 1 agency row (plus 1 organisation).
    assert record.row_counts["working_time"] == 2
    assert record.row_counts["agency_staff"] == 1
    assert record.status == "klar"


def test_latest_import_is_the_current_data(store: Store, make_hrdata: MakeData) -> None:
    first = _save(store, make_hrdata(as_of=date(2024, 12, 31)))
    newer = make_hrdata(as_of=date(2025, 12, 31))
    newer = newer.with_frames(employments=newer.employments.head(1))
    second = _save(store, newer)
    assert second > first
    assert store.active_import_id("1280") == second
    assert store.load("1280").as_of == date(2025, 12, 31)
    assert store.load("1280").employments.height == 1
    # The older snapshot is still there, whole.
    assert store.load("1280", first).employments.height == 2
    assert store.load("1280", first).as_of == date(2024, 12, 31)
    [org] = store.organisations()
    assert (org.import_count, org.active_import_id, org.active_as_of) == (
        2,
        second,
        date(2025, 12, 31),
    )


def test_two_organisations_in_one_store(store: Store, make_hrdata: MakeData) -> None:
    malmo = _save(store, make_hrdata("1280", "Malmö stad"))
    lund = _save(store, make_hrdata("1281", "Lunds kommun", as_of=date(2025, 11, 1)))
    assert [o.org_id for o in store.organisations()] == ["1280", "1281"]
    assert store.load("1281").organisations["name"].to_list() == ["Lunds kommun"]
    assert set(store.load("1281").persons["org_id"]) == {"1281"}
    assert set(store.load("1280").units["org_id"]) == {"1280"}
    assert [r.id for r in store.list_imports("1281")] == [lund]
    assert [r.id for r in store.list_imports("1280")] == [malmo]
    with pytest.raises(NotFound):
        store.load("1280", lund)  # an import of another organisation


def test_failed_save_leaves_the_store_exactly_as_before(
    store: Store, make_hrdata: MakeData
) -> None:
    _save(store, make_hrdata())
    before = _table_counts(store)
    bad = make_hrdata(as_of=date(2026, 1, 31))
    # agency_staff is saved last; a missing cost violates its NOT NULL constraint only
    # after every other table has been written within the transaction.
    bad = bad.with_frames(
        agency_staff=bad.agency_staff.with_columns(pl.lit(None, pl.Float64).alias("cost"))
    )
    with pytest.raises(StoreError):
        _save(store, bad)
    assert _table_counts(store) == before
    assert len(store.list_imports()) == 1
    assert store.load("1280").as_of == date(2025, 12, 31)


def test_failed_first_save_creates_no_organisation(store: Store, make_hrdata: MakeData) -> None:
    bad = make_hrdata()
    bad = bad.with_frames(
        agency_staff=bad.agency_staff.with_columns(pl.lit(None, pl.String).alias("unit_id"))
    )
    with pytest.raises(StoreError):
        _save(store, bad)
    assert all(n == 0 for n in _table_counts(store).values())
    assert store.organisations() == []


def test_delete_import_removes_it_and_keeps_the_other(store: Store, make_hrdata: MakeData) -> None:
    first = _save(store, make_hrdata(as_of=date(2024, 12, 31)))
    second = _save(store, make_hrdata("1281", "Lund"))
    store.delete_import(second)
    assert store.active_import_id("1280") == first
    assert store.active_import_id("1281") is None
    counts = _table_counts(store)
    assert counts["imports"] == 1
    assert store.load("1280").employments.height == 2  # the sample's two employments
    with pytest.raises(NotFound):
        store.delete_import(second)


def test_empty_tables_round_trip(store: Store) -> None:
    data = HRData(
        as_of=date(2025, 12, 31),
        organisations=pl.DataFrame(
            {"org_id": ["01"], "name": ["Region Stockholm"], "kind": ["region"]}
        ),
    )
    _save(store, data)
    loaded = store.load("01")
    for name, frame in loaded.frames().items():
        assert frame.schema == schema.TABLES_BY_NAME[name].polars_schema, name
    assert loaded.employments.height == 0


def test_import_must_hold_exactly_one_organisation(store: Store, make_hrdata: MakeData) -> None:
    data = make_hrdata()
    two = pl.concat([data.organisations, make_hrdata("1281", "Lund").organisations])
    with pytest.raises(StoreError, match="exakt en organisation"):
        _save(store, data.with_frames(organisations=two))


def test_load_without_imports_says_what_to_do(store: Store) -> None:
    with pytest.raises(NotFound, match="hallbar import"):
        store.load("9999")


def test_save_reports_progress_once_everything_is_written(
    store: Store, make_hrdata: MakeData
) -> None:
    data = make_hrdata()
    seen: list[tuple[int, int]] = []
    store.save_import(
        data,
        created_by="t",
        profile="generic",
        files={},
        row_counts={},
        progress=lambda stage, done, total: seen.append((done, total)),
    )
    for name, frame in data.conformed().frames().items():
        assert_frame_equal(getattr(store.load("1280"), name), frame)
    # 2 units + 2 persons + 2 employments + 2 absences + 2 working time + 2 pay + 1 agency = 13
    assert seen[-1] == (13, 13)
