"""``hallbar backup`` / ``hallbar restore``: database and snapshot files, every checksum checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.core.dataset import HRData
from hallbar.services.context import Hallbar, snapshot_dir
from hallbar.settings import Settings
from hallbar.store import Store

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
runner = CliRunner()
MakeData = Callable[..., HRData]


def _installation(data_dir: Path, database_url: str, data: HRData) -> None:
    hb = Hallbar(Settings(data_dir=data_dir, database_url=database_url))
    hb.store.save_import(data, created_by="anna", profile="generic", files={}, row_counts={})
    hb.close()


def _args(command: str, folder: Path, data_dir: Path, database_url: str) -> list[str]:
    return [command, str(folder), "--datakatalog", str(data_dir), "--databas", database_url]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_backup_and_restore_give_back_the_same_snapshot(
    database_url: str, tmp_path: Path, make_hrdata: MakeData
) -> None:
    data = make_hrdata()
    is_sqlite = database_url.startswith("sqlite")
    _installation(tmp_path / "data", database_url, data)
    made = runner.invoke(
        build_app(), _args("backup", tmp_path / "kopia", tmp_path / "data", database_url)
    )
    assert made.exit_code == 0, made.output
    assert "alla kontrollsummor stämmer" in made.output
    assert ("pg_dump" in made.output) is not is_sqlite
    manifest = json.loads((tmp_path / "kopia" / "manifest.json").read_text("utf-8"))
    [snapshot] = manifest["snapshots"]
    for entry in snapshot["files"].values():
        copy = tmp_path / "kopia" / "snapshots" / snapshot["path"] / entry["file"]
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == entry["sha256"]
    assert ("database" in manifest) is is_sqlite

    # Restore into a new data directory (SQLite: a new database there too).
    target_url = f"sqlite:///{tmp_path / 'ny' / 'hallbar.db'}" if is_sqlite else database_url
    back = runner.invoke(
        build_app(), _args("restore", tmp_path / "kopia", tmp_path / "ny", target_url)
    )
    assert back.exit_code == 0, back.output
    store = Store(target_url, snapshot_dir=tmp_path / "ny" / "snapshots")
    loaded = store.load("1280")
    store.dispose()
    for name, frame in data.conformed().frames().items():
        assert_frame_equal(getattr(loaded, name), frame)


def test_restore_refuses_a_changed_backup_and_copies_nothing(
    tmp_path: Path, make_hrdata: MakeData
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'hallbar.db'}"
    _installation(tmp_path / "data", url, make_hrdata())
    assert (
        runner.invoke(
            build_app(), _args("backup", tmp_path / "kopia", tmp_path / "data", url)
        ).exit_code
        == 0
    )
    damaged = next((tmp_path / "kopia" / "snapshots").rglob("employments.parquet"))
    damaged.write_bytes(damaged.read_bytes()[:-1])
    new_url = f"sqlite:///{tmp_path / 'ny' / 'hallbar.db'}"
    result = runner.invoke(
        build_app(), _args("restore", tmp_path / "kopia", tmp_path / "ny", new_url)
    )
    assert result.exit_code == 1
    assert "Återställningen avbröts" in result.output
    assert "employments.parquet har fel kontrollsumma" in result.output
    assert not (tmp_path / "ny" / "hallbar.db").exists()
    assert not (tmp_path / "ny" / "snapshots").exists()


def test_backup_refuses_a_changed_snapshot_file(tmp_path: Path, make_hrdata: MakeData) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'hallbar.db'}"
    _installation(tmp_path / "data", url, make_hrdata())
    (next((tmp_path / "data" / "snapshots").rglob("persons.parquet"))).unlink()
    result = runner.invoke(build_app(), _args("backup", tmp_path / "kopia", tmp_path / "data", url))
    assert result.exit_code == 1
    assert "Säkerhetskopieringen avbröts" in result.output
    assert "persons.parquet saknas" in result.output
    assert not (tmp_path / "kopia" / "manifest.json").exists()


def test_restore_does_not_overwrite_a_database_without_ersatt(
    tmp_path: Path, make_hrdata: MakeData
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'hallbar.db'}"
    _installation(tmp_path / "data", url, make_hrdata())
    assert (
        runner.invoke(
            build_app(), _args("backup", tmp_path / "kopia", tmp_path / "data", url)
        ).exit_code
        == 0
    )
    refused = runner.invoke(
        build_app(), _args("restore", tmp_path / "kopia", tmp_path / "data", url)
    )
    assert refused.exit_code == 1
    assert "--ersatt" in refused.output
    replaced = runner.invoke(
        build_app(), [*_args("restore", tmp_path / "kopia", tmp_path / "data", url), "--ersatt"]
    )
    assert replaced.exit_code == 0, replaced.output
    store = Store(url)
    assert store.load("1280").employments.height == 2  # the sample's two employments
    store.dispose()


def test_the_snapshot_folder_is_beside_sqlite_and_in_the_data_dir_for_a_server(
    tmp_path: Path,
) -> None:
    default = Settings(data_dir=tmp_path / "data")
    assert snapshot_dir(default) is None  # the store puts it beside its SQLite file
    assert (
        Store(default.resolved_database_url()).snapshot_dir
        == (tmp_path / "data" / "snapshots").resolve()
    )
    server = Settings(data_dir=tmp_path / "data", database_url="postgresql+psycopg://h@db/hallbar")
    assert snapshot_dir(server) == tmp_path / "data" / "snapshots"
    assert Store(server.resolved_database_url()).snapshot_dir is None  # no default on a server
