"""``hallbar projection run``: each lever's effect per occupation, and ``--datakatalog``."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from test_projection_history import _data
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.services.context import Hallbar
from hallbar.settings import Settings

runner = CliRunner()


def _staff_file(path: Path) -> Path:
    # 10 staff in X and 10 in Y, all aged 40, full time: nobody reaches 67 in one year.
    lines = ["yrke;kon;alder;sysselsattningsgrad;manadslon"]
    lines += ["X;K;40;100;30000"] * 10 + ["Y;M;40;100;40000"] * 10
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _scenario_file(path: Path) -> Path:
    scenario = {
        "horizon": 1,
        "default_turnover": 0.1,
        "payroll_overhead": 0.0,
        "levers": {
            "turnover_reduction": 0.5,
            "task_shifts": [{"from_occupation": "X", "to_occupation": "Y", "fte": 2.0}],
        },
    }
    path.write_text(json.dumps(scenario), encoding="utf-8")
    return path


def test_each_lever_effect_per_occupation(tmp_path: Path) -> None:
    out = runner.invoke(
        build_app(),
        [
            "projection",
            "run",
            "--personal",
            str(_staff_file(tmp_path / "personal.csv")),
            "--startar",
            "2025",
            "--scenario",
            str(_scenario_file(tmp_path / "scenario.json")),
            "--utan-osakerhet",
        ],
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)["atgarder_per_yrke"]
    got = {(r["step"], r["occupation"]): r for r in rows}
    assert [k for k in got] == [
        ("base", "X"),
        ("base", "Y"),
        ("turnover_reduction", "X"),
        ("turnover_reduction", "Y"),
        ("task_shifting", "X"),
        ("task_shifting", "Y"),
    ]
    # No levers: 10 × 10 % leave in each occupation, need 1 each.
    assert got["base", "X"]["delta_need"] == pytest.approx(1.0)
    assert got["base", "Y"]["delta_need"] == pytest.approx(1.0)
    # Half the turnover: 10 × 10 % × 0.5 = 0.5 leave, need 0.5: −0.5 in each.
    assert got["turnover_reduction", "X"]["delta_need"] == pytest.approx(-0.5)
    assert got["turnover_reduction", "Y"]["delta_need"] == pytest.approx(-0.5)
    assert got["turnover_reduction", "X"]["delta_demand_change"] == pytest.approx(0.0)
    # 2 FTE move from X to Y (everyone full time: 2 persons). X: demand 8, 9.5 stay, need 0
    # (a surplus is not recruited away): −0.5. Y: demand 12 − 9.5 = 2.5: +2.0.
    assert got["task_shifting", "X"]["delta_demand_change"] == pytest.approx(-2.0)
    assert got["task_shifting", "Y"]["delta_demand_change"] == pytest.approx(2.0)
    assert got["task_shifting", "X"]["delta_need"] == pytest.approx(-0.5)
    assert got["task_shifting", "Y"]["delta_need"] == pytest.approx(2.0)
    # Cost of the staff increase: ±2 FTE × 12 × the occupation's pay (PO 0 %).
    assert got["task_shifting", "X"]["delta_cost"] == pytest.approx(-2 * 12 * 30_000)
    assert got["task_shifting", "Y"]["delta_cost"] == pytest.approx(2 * 12 * 40_000)
    # The steps summed over occupations are the totals in ``atgarder``.
    steps = {r["step"]: r for r in json.loads(out.output)["atgarder"]}
    assert steps["task_shifting"]["delta_need"] == pytest.approx(1.5)


def test_run_reads_the_store_in_datakatalog(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    hb = Hallbar(Settings(data_dir=data_dir))
    data = _data().with_frames(
        organisations=pl.DataFrame(
            {"org_id": ["9999"], "name": ["Exempelkommun"], "kind": ["kommun"]}
        ),
        units=pl.DataFrame({"org_id": ["9999"], "unit_id": ["U1"], "name": ["Enhet 1"]}),
    )
    hb.store.save_import(data, created_by="test", profile="generisk", files={}, row_counts={})
    hb.close()
    out = runner.invoke(
        build_app(),
        [
            "projection",
            "run",
            "--datakatalog",
            str(data_dir),
            "--org",
            "9999",
            "--datum",
            "2024-01-01",
            "--horisont",
            "2",
            "--utan-osakerhet",
        ],
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    # Monthly-paid on 2024-01-01: p1 and p4 (X), p5 (Y) – three persons counted once.
    [count] = doc["populationer"]
    assert count["n"] == 3
    assert doc["startar"] == 2024
