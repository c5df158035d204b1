"""The database, the pseudonym key, the snapshot folder and the reports are created
owner-only whatever the umask (issue 10: ``hallbar.db`` was created world-readable)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hallbar.cli.app import main


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o000)  # the worst case: nothing is masked
    try:
        yield
    finally:
        os.umask(old)


def test_an_import_creates_everything_owner_only(
    export_folder: Path, tmp_path: Path, permissive_umask: None
) -> None:
    data_dir = tmp_path / "ny" / "data"
    main(["import", str(export_folder), "--org", "1280", "--namn", "Malmö stad",
          "--datakatalog", str(data_dir)])  # fmt: skip
    created = [data_dir.parent, data_dir, *data_dir.rglob("*")]
    names = {p.name for p in created}
    assert {"hallbar.db", "pseudonymnyckel.key", "snapshots", "rapporter"} <= names
    for path in created:
        if path.is_dir():
            assert _mode(path) == 0o700, path
        else:
            # The database's -wal/-shm files copy its mode; Parquet files and reports
            # lie in owner-only folders (mode 0o666 & ~umask), unreachable for others.
            assert path.parent == data_dir or _mode(path.parent) == 0o700, path
    for name in ("hallbar.db", "pseudonymnyckel.key"):
        assert _mode(data_dir / name) == 0o600, name
    for path in data_dir.glob("hallbar.db-*"):
        assert _mode(path) == 0o600, path


def test_an_existing_data_folder_keeps_its_permissions(
    export_folder: Path, tmp_path: Path, permissive_umask: None
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    os.chmod(data_dir, 0o750)  # the administrator's choice (e.g. a backup group)
    main(["import", str(export_folder), "--org", "1280", "--namn", "Malmö stad",
          "--datakatalog", str(data_dir)])  # fmt: skip
    assert _mode(data_dir) == 0o750
    assert _mode(data_dir / "hallbar.db") == 0o600
    assert _mode(data_dir / "snapshots") == 0o700


def test_a_backup_and_a_restore_are_owner_only(
    export_folder: Path, tmp_path: Path, permissive_umask: None
) -> None:
    data_dir = tmp_path / "data"
    main(["import", str(export_folder), "--org", "1280", "--namn", "Malmö stad",
          "--datakatalog", str(data_dir)])  # fmt: skip
    copy = tmp_path / "kopia"
    main(["backup", str(copy), "--datakatalog", str(data_dir)])
    restored = tmp_path / "återställd"
    main(["restore", str(copy), "--datakatalog", str(restored)])
    for root in (copy, restored):
        assert {p.suffix for p in root.rglob("*")} >= {".db", ".parquet"}
        for path in [root, *root.rglob("*")]:
            if path.is_dir():
                assert _mode(path) == 0o700, path
            elif path.suffix in (".db", ".parquet"):
                assert _mode(path) == 0o600, path
