"""``hallbar import --bekrafta`` and ``hallbar aktivera``: an import that shrinks the
organisation is stored only when confirmed, and an earlier import can be made active again.

The tiny export (``tests/conftest.py``) has 4 persons and 4 employments; the shrunk
one keeps employments A1 and A2, so by hand both fall by 50 %, over the 20 % limit.
"""

from __future__ import annotations

from pathlib import Path

import lifecycle_exports
import pytest
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.store import Store

runner = CliRunner(env={"COLUMNS": "200"})


def _args(command: str, *extra: str, data_dir: Path, url: str) -> list[str]:
    return [command, *extra, "--datakatalog", str(data_dir), "--databas", url]


def _import(folder: Path, *flags: str, data_dir: Path, url: str) -> list[str]:
    return _args(
        "import", str(folder), "--org", "1280", "--namn", "Malmö stad", *flags,
        data_dir=data_dir, url=url,
    )  # fmt: skip


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_shrinking_import_needs_bekrafta_and_aktivera_goes_back(
    export_folder: Path, tmp_path: Path, database_url: str
) -> None:
    data_dir, url = tmp_path / "data", database_url
    first = runner.invoke(build_app(), _import(export_folder, data_dir=data_dir, url=url))
    assert first.exit_code == 0, first.output
    small = lifecycle_exports.shrunk(export_folder, tmp_path / "liten")

    stopped = runner.invoke(build_app(), _import(small, data_dir=data_dir, url=url))
    assert stopped.exit_code == 1
    assert "Importen sparades inte" in stopped.output
    assert "Personer: 4 blir 2 (\u221250,0 %)" in stopped.output
    assert "--bekrafta" in stopped.output
    assert "Traceback" not in stopped.output
    snapshots = data_dir / "snapshots"  # where the CLI keeps them for a server database
    store = Store(url, snapshot_dir=None if url.startswith("sqlite") else snapshots)
    assert [r.id for r in store.list_imports()] == [1]

    confirmed = runner.invoke(build_app(), _import(small, "--bekrafta", data_dir=data_dir, url=url))
    assert confirmed.exit_code == 0, confirmed.output
    assert store.active_import_id("1280") == 2

    back = runner.invoke(
        build_app(), _args("aktivera", "1", "--org", "1280", data_dir=data_dir, url=url)
    )
    assert back.exit_code == 0, back.output
    assert "Import 1 är nu aktiv för 1280 (i stället för import 2)." in back.output
    assert store.active_import_id("1280") == 1
    assert store.load("1280").persons.height == 4
    store.dispose()

    listed = runner.invoke(build_app(), _args("imports", data_dir=data_dir, url=url))
    assert listed.exit_code == 0, listed.output
    rows = [line for line in listed.output.splitlines() if "Malmö stad" in line]
    assert ["aktiv" in row for row in rows] == [True, False]


def test_aktivera_an_import_that_does_not_exist_is_one_line(
    export_folder: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    url = f"sqlite:///{data_dir / 'hallbar.db'}"
    runner.invoke(build_app(), _import(export_folder, data_dir=data_dir, url=url))
    result = runner.invoke(
        build_app(), _args("aktivera", "7", "--org", "1280", data_dir=data_dir, url=url)
    )
    assert result.exit_code == 1
    assert "Importen 7 finns inte för organisationen 1280." in result.output
    assert "Traceback" not in result.output
