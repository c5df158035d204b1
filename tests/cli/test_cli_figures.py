"""``hallbar figures sjukfranvaro`` and ``hallbar figures pack`` through Typer's test runner,
on the hand-made organisation of tests/support/figdata.py."""

from __future__ import annotations

import io
import json
from pathlib import Path

import figdata
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.store import Store

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    store = Store(f"sqlite:///{folder / 'hallbar.sqlite'}")
    store.migrate()
    store.save_import(
        figdata.build(), created_by="test", profile="generic", files={}, row_counts={}
    )
    store.save_import(
        figdata.build("7777", "Utan arbetstid", working_time=False),
        created_by="test",
        profile="generic",
        files={},
        row_counts={},
    )
    store.dispose()
    return folder


def _args(data_dir: Path, *args: str) -> list[str]:
    db = f"sqlite:///{data_dir / 'hallbar.sqlite'}"
    return [*args, "--datakatalog", str(data_dir), "--databas", db]


def test_note_as_table(data_dir: Path) -> None:
    result = runner.invoke(
        build_app(), _args(data_dir, "figures", "sjukfranvaro", "--org", "9999", "--ar", "2025")
    )
    assert result.exit_code == 0, result.output
    assert "Sjukfrånvaro 2025" in result.output
    women = next(line for line in result.output.splitlines() if "Sjukfrånvaro kvinnor" in line)
    assert "1,6 %" in women.replace("\u00a0", " ")  # 210 / 13 200 = 1,59 %
    men = next(line for line in result.output.splitlines() if "Sjukfrånvaro män" in line)
    assert ".." in men and "N00090 (M)" in men  # ten men: not shown


def test_note_as_json_and_excel(data_dir: Path, tmp_path: Path) -> None:
    excel = tmp_path / "ut" / "sjuk.xlsx"
    result = runner.invoke(
        build_app(),
        _args(
            data_dir,
            "figures",
            "sjukfranvaro",
            "--org",
            "9999",
            "--ar",
            "2025",
            "--json",
            "--excel",
            str(excel),
        ),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {r["nyckel"]: r for r in data["sjukfranvaro"][0]["rader"]}
    assert rows["total"]["procent"] == pytest.approx(240 / 25200 * 100, abs=1e-4)
    assert rows["long_term_share"]["procent"] == 50.0
    assert rows["men"]["procent"] is None and rows["men"]["dolt"]
    assert rows["age_29"]["antal"] == 11
    book = load_workbook(io.BytesIO(excel.read_bytes()))
    assert "Sjukfrånvaro 2025" in book.sheetnames


def test_note_without_working_time_is_one_swedish_line(data_dir: Path) -> None:
    result = runner.invoke(build_app(), _args(data_dir, "figures", "sjukfranvaro", "--org", "7777"))
    assert result.exit_code == 1
    assert "arbetstid" in result.output and "Traceback" not in result.output


def test_unknown_org(data_dir: Path) -> None:
    result = runner.invoke(build_app(), _args(data_dir, "figures", "sjukfranvaro", "--org", "1234"))
    assert result.exit_code == 1 and "Organisationen finns inte" in result.output


def test_pack_writes_every_format(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "utdata"
    result = runner.invoke(
        build_app(),
        _args(data_dir, "figures", "pack", "--org", "9999", "--ar", "2025", "--utdata", str(out)),
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {
        "nyckeltal-9999-2025.xlsx",
        "nyckeltal-9999-2025.json",
        "nyckeltal-9999-2025.zip",
        "nyckeltal-9999-2025.kolada.csv",
        "sjukfranvaro-9999-2025.html",
    } <= names
    kolada = (out / "sjukfranvaro-9999-2025.kolada.csv").read_text(encoding="utf-8")
    assert "N00090,9999,2025,M,,Missing" in kolada
