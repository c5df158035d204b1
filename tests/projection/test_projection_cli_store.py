"""``hallbar projection run --databas … --org …`` reads HRData from the store."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from test_projection_history import _data
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.store import Store


def test_cli_from_a_sqlite_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = Store(url)
    store.migrate()
    data = _data().with_frames(
        organisations=pl.DataFrame(
            {"org_id": ["9999"], "name": ["Exempelkommun"], "kind": ["kommun"]}
        ),
        units=pl.DataFrame({"org_id": ["9999"], "unit_id": ["U1"], "name": ["Enhet 1"]}),
    )
    store.save_import(data, created_by="test", profile="generisk", files={}, row_counts={})
    store.dispose()
    out = CliRunner().invoke(
        build_app(),
        [
            "projection",
            "run",
            "--databas",
            url,
            "--org",
            "9999",
            "--datum",
            "2024-01-01",
            "--horisont",
            "3",
            "--utan-osakerhet",
        ],
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    # Active monthly-paid on 2024-01-01: p1, p4 (X) and p5 (Y): 3 persons, flat demand, no one
    # near 67 (ages 34, 39, 44 in 2024 … 2027), so retirements are 0.
    total = next(r for r in doc["summa"] if r["occupation"] == "Alla yrken")
    assert total["retirements"] == 0
    assert total["demand_change"] == 0
    assert doc["startar"] == 2024
