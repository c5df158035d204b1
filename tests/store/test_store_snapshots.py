"""Snapshots as Parquet files, on SQLite and PostgreSQL metadata (see the ``store`` fixture)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

import hallbar.store.snapshots
from hallbar.core.dataset import HRData
from hallbar.store import Store, StoreError, tables_hr
from hallbar.store.snapshots import STAGING, SnapshotError

MakeData = Callable[..., HRData]


def _save(store: Store, data: HRData) -> int:
    return store.save_import(data, created_by="anna", profile="generic", files={}, row_counts={})


def _published(store: Store) -> list[Path]:
    assert store.snapshot_dir is not None
    if not store.snapshot_dir.exists():
        return []
    return sorted(
        p
        for p in store.snapshot_dir.rglob("*.parquet")
        if STAGING not in p.relative_to(store.snapshot_dir).parts
    )


def _staging_leftovers(store: Store) -> list[Path]:
    assert store.snapshot_dir is not None
    staging = store.snapshot_dir / STAGING
    return list(staging.iterdir()) if staging.exists() else []


def _row_table_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return sum(
            conn.execute(sa.select(sa.func.count()).select_from(tab)).scalar_one()
            for tab in tables_hr.SNAPSHOTS.values()
        )


def test_import_writes_one_zstd_parquet_file_per_table_and_no_rows(
    store: Store, make_hrdata: MakeData
) -> None:
    import_id = _save(store, make_hrdata())
    files = _published(store)
    assert {f.stem for f in files} == {tab.name for tab in tables_hr.SNAPSHOT_TABLES}
    assert store.snapshot_dir is not None
    [folder] = {f.parent for f in files}
    assert folder.parent.name == "1280"  # <snapshot folder>/<org>/<content hash>/
    assert _row_table_rows(store) == 0
    assert _staging_leftovers(store) == []
    with store.engine.connect() as conn:
        record = conn.execute(
            sa.select(tables_hr.imports).where(tables_hr.imports.c.id == import_id)
        ).one()
    assert record.snapshot == f"1280/{folder.name}"
    for name, entry in record.snapshot_files.items():
        path = folder / entry["file"]
        # Checksums and sizes computed independently with hashlib and the file system.
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["bytes"] == path.stat().st_size
        # DuckDB reads the Parquet footer independently of Polars, which wrote it.
        [(rows, codecs)] = duckdb.execute(
            f"SELECT (SELECT num_rows FROM parquet_file_metadata('{path}')), "
            f"list_distinct(list(compression)) FROM parquet_metadata('{path}')"
        ).fetchall()
        assert entry["rows"] == rows, name
        assert codecs in (["ZSTD"], []), name  # [] when the table has no row groups
    # The sample has 2 employments and 1 agency row (tests/conftest.py's sample_data).
    assert (
        record.snapshot_files["employments"]["rows"],
        record.snapshot_files["agency_staff"]["rows"],
    ) == (2, 1)


def test_identical_content_shares_one_folder_until_its_last_import_is_deleted(
    store: Store, make_hrdata: MakeData
) -> None:
    # The snapshot date lives in the database, not in the files: same frames, same folder.
    first = _save(store, make_hrdata(as_of=date(2024, 12, 31)))
    second = _save(store, make_hrdata(as_of=date(2025, 12, 31)))
    files = _published(store)
    assert len(files) == len(tables_hr.SNAPSHOT_TABLES)
    store.delete_import(second)
    assert _published(store) == files
    assert store.load("1280").as_of == date(2024, 12, 31)
    store.delete_import(first)
    assert _published(store) == []


def test_a_failing_commit_leaves_no_import_and_no_files(
    store: Store, make_hrdata: MakeData
) -> None:
    _save(store, make_hrdata())
    before = _published(store)

    def refuse(_conn: sa.Connection) -> None:
        raise RuntimeError("injected: the commit fails")

    # The failure comes at the last moment: after the files were published.
    sa.event.listen(store.engine, "commit", refuse)
    try:
        with pytest.raises(RuntimeError, match="injected"):
            _save(store, make_hrdata("1281", "Lund"))
    finally:
        sa.event.remove(store.engine, "commit", refuse)
    assert [r.org_id for r in store.list_imports()] == ["1280"]
    assert [o.org_id for o in store.organisations()] == ["1280"]
    assert _published(store) == before
    assert _staging_leftovers(store) == []


def test_a_failure_while_writing_files_leaves_nothing(
    store: Store, make_hrdata: MakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    original = pl.DataFrame.write_parquet

    def fail_on_the_third(self: pl.DataFrame, file: Path, **kwargs: object) -> None:
        written.append(str(file))
        if len(written) == 3:
            raise OSError("injected: disk full")
        original(self, file, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pl.DataFrame, "write_parquet", fail_on_the_third)
    with pytest.raises(OSError, match="injected"):
        _save(store, make_hrdata())
    assert store.list_imports() == []
    assert store.organisations() == []
    assert _published(store) == []
    assert _staging_leftovers(store) == []


def test_a_changed_file_is_refused_with_a_swedish_message(
    store: Store, make_hrdata: MakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        hallbar.store.snapshots, "_VERIFIED", set()
    )  # this test's own process memory
    _save(store, make_hrdata())
    target = next(f for f in _published(store) if f.stem == "employments")
    target.write_bytes(target.read_bytes() + b"x")
    with pytest.raises(SnapshotError, match="kontrollsumman stämmer inte"):
        store.load("1280")


def test_checksums_are_verified_once_per_process(
    store: Store, make_hrdata: MakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hallbar.store.snapshots, "_VERIFIED", set())
    hashed: list[Path] = []
    original = hallbar.store.snapshots.file_sha256

    def counting(path: Path) -> str:
        hashed.append(path)
        return original(path)

    _save(store, make_hrdata())
    monkeypatch.setattr(hallbar.store.snapshots, "file_sha256", counting)
    store.load("1280")
    store.load("1280")
    assert len(hashed) == len(tables_hr.SNAPSHOT_TABLES)  # once per file, not once per load


def _save_as_rows(store: Store, data: HRData) -> int:
    """An import as Hållbar saved it before snapshot files: rows in the hr_* tables."""
    data = data.conformed()
    org = data.organisations.row(0, named=True)
    with store.engine.begin() as conn:
        conn.execute(tables_hr.organisations.insert().values(**org))
        import_id = int(
            conn.execute(
                tables_hr.imports.insert().returning(tables_hr.imports.c.id),
                {
                    "org_id": org["org_id"],
                    "as_of": data.as_of,
                    "created_at": datetime(2025, 1, 1, tzinfo=UTC),
                    "created_by": "gammal",
                    "profile": "generic",
                    "files": {},
                    "row_counts": {},
                    "status": "klar",
                },
            ).scalar_one()
        )
        for table in tables_hr.SNAPSHOT_TABLES:
            frame = getattr(data, table.name).select(tables_hr.stored_columns(table))
            rows = [
                {"import_id": import_id, "row_no": i, **row}
                for i, row in enumerate(frame.iter_rows(named=True))
            ]
            if rows:
                conn.execute(tables_hr.SNAPSHOTS[table.name].insert(), rows)
    return import_id


def test_an_old_row_import_is_read_and_moved_to_files_at_migrate(
    store: Store, make_hrdata: MakeData
) -> None:
    data = make_hrdata()
    import_id = _save_as_rows(store, data)
    # 2 units + 2 persons + 2 employments + 2 absences + 2 working time + 2 pay + 1 agency = 13
    assert _row_table_rows(store) == 13
    without_files = Store(store.url.render_as_string(hide_password=False), snapshot_dir=None)
    without_files.snapshot_dir = None  # a server store without a folder: rows are still read
    for name, frame in data.conformed().frames().items():
        assert_frame_equal(getattr(without_files.load("1280"), name), frame)
    without_files.dispose()

    store.migrate()  # moves the rows: files written, counts verified, rows deleted
    assert _row_table_rows(store) == 0
    [record] = store.list_imports()
    assert record.id == import_id
    assert len(_published(store)) == len(tables_hr.SNAPSHOT_TABLES)
    for name, frame in data.conformed().frames().items():
        assert_frame_equal(getattr(store.load("1280"), name), frame)
    store.migrate()  # nothing left to move
    assert len(_published(store)) == len(tables_hr.SNAPSHOT_TABLES)


def test_a_count_mismatch_while_moving_changes_nothing(
    store: Store, make_hrdata: MakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save_as_rows(store, make_hrdata())
    original = Store._read_table

    def lose_a_row(self: Store, conn: sa.Connection, table: object, *args: object) -> pl.DataFrame:
        frame = original(self, conn, table, *args)  # type: ignore[arg-type]
        return frame.head(frame.height - 1) if frame.height else frame

    monkeypatch.setattr(Store, "_read_table", lose_a_row)
    with pytest.raises(StoreError, match="kunde inte flyttas"):
        store.move_rows_to_files()
    assert _row_table_rows(store) == 13  # as before (see the test above for the sum)
    assert _published(store) == []
    assert _staging_leftovers(store) == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(tables_hr.imports.c.snapshot)).scalar_one() is None


def test_a_server_store_without_a_folder_says_what_to_do(
    store: Store, make_hrdata: MakeData
) -> None:
    store.snapshot_dir = None
    with pytest.raises(StoreError, match="datakatalog"):
        _save(store, make_hrdata())


def test_migrate_clears_staging_folders_left_for_a_day_only(store: Store) -> None:
    assert store.snapshot_dir is not None
    old = store.snapshot_dir / STAGING / "kraschad"
    fresh = store.snapshot_dir / STAGING / "pagaende"
    for folder in (old, fresh):
        folder.mkdir(parents=True)
        (folder / "units.parquet").write_bytes(b"")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    store.migrate()
    assert not old.exists()
    assert fresh.is_dir()  # perhaps an import running in another process right now


def _save_spooled(store: Store, data: HRData, working_time: pl.DataFrame) -> int:
    """Save ``data`` with its working time given as a query over a Parquet file, as the
    streamed import does (its frame in ``data`` left empty)."""
    with store.spool_folder() as spool:
        part = spool / "part.parquet"
        working_time.write_parquet(part)
        return store.save_import(
            data.with_frames(working_time=data.working_time.clear()),
            created_by="anna",
            profile="generic",
            files={},
            row_counts={"working_time": working_time.height},
            spooled={"working_time": pl.scan_parquet(part)},
        )


def test_a_spooled_table_is_written_from_its_query_and_loads_back(
    store: Store, make_hrdata: MakeData
) -> None:
    data = make_hrdata()
    import_id = _save_spooled(store, data, data.working_time)
    loaded = store.load(data.organisations["org_id"][0], import_id)
    assert_frame_equal(loaded.working_time, data.conformed().working_time)
    assert _staging_leftovers(store) == []  # the scratch folder went with the block


@pytest.mark.parametrize("broken", ["other_org", "missing_month"])
def test_a_spooled_table_breaking_a_store_rule_saves_nothing(
    store: Store, make_hrdata: MakeData, broken: str
) -> None:
    data = make_hrdata()
    working_time = data.conformed().working_time
    if broken == "other_org":
        working_time = working_time.with_columns(pl.lit("0000").alias("org_id"))
    else:
        working_time = working_time.with_columns(pl.lit(None, pl.Date).alias("month"))
    with pytest.raises(StoreError):
        _save_spooled(store, data, working_time)
    assert store.list_imports() == []
    assert _published(store) == []
    assert _staging_leftovers(store) == []
