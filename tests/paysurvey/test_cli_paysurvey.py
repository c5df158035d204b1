from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.paysurvey.oaxaca import oaxaca_blinder


def _frame() -> pl.DataFrame:
    rng = np.random.default_rng(1)
    n = 80
    kon = np.where(np.arange(n) % 2 == 0, "K", "M")
    alder = rng.uniform(25, 60, n)
    tjanstear = rng.uniform(0, 20, n)
    lon = 25000 + 120 * alder + 90 * tjanstear + 1500 * (kon == "M") + rng.normal(0, 700, n)
    return pl.DataFrame({"lon": lon, "kon": kon, "alder": alder, "tjanstear": tjanstear})


ARGS = ["--utfall", "lon", "--grupp", "kon", "--kovariat", "alder", "--kovariat", "tjanstear"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_oaxaca_command_prints_json(tmp_path: Path, suffix: str) -> None:
    df = _frame()
    path = tmp_path / f"data{suffix}"
    if suffix == ".csv":
        df.write_csv(path)
    else:
        df.write_excel(path)
    result = CliRunner().invoke(
        build_app(), ["paysurvey", "oaxaca", str(path), *ARGS, "--referens", "reimers"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    expected = oaxaca_blinder(df, "lon", "kon", ["alder", "tjanstear"], reference="reimers")
    assert out["reference"] == "reimers"
    assert out["group_a"] == "M"
    assert out["unexplained"] == pytest.approx(expected.unexplained, rel=1e-9)
    assert out["three_fold"]["endowments"] == pytest.approx(
        expected.three_fold.endowments, rel=1e-9
    )


def test_oaxaca_command_errors_are_swedish(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    _frame().write_csv(path)
    result = CliRunner().invoke(
        build_app(), ["paysurvey", "oaxaca", str(path), *ARGS, "--referens", "fel"]
    )
    assert result.exit_code != 0
    assert "Okänd referens 'fel'" in str(result.exception)
