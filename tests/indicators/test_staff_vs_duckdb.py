"""The staff figures of the pack (headcount, FTE, structures, employment forms, permanent
and full-time shares, average rate, turnover; headcount and FTE per unit) agree with
independent hand-written DuckDB SQL (``STAFF_SQL`` in benchmarks/indicators_sql.py)."""

from datetime import date

import polars as pl
import pytest
from indicators_sql import STAFF_FIGURES, connect, staff_figures  # benchmarks/ on pythonpath
from indicators_synth import generate

from hallbar.indicators import Params, compute_pack, registry
from hallbar.indicators.cache import shared_cache

DIMENSIONS = ("unit_id", "gender", "age_band", "employment_form")


def _rows(frame: pl.DataFrame) -> dict[str, tuple[int, float]]:
    dims = [c for c in frame.columns if c in DIMENSIONS]
    return {
        ("" if not dims else str(row[dims[0]])): (row["n"], row["value"])
        for row in frame.iter_rows(named=True)
    }


def test_staff_figures_match_duckdb_sql(tmp_path):
    data = generate(600, years=2, seed=11)
    params = Params(year=2025)
    reference = staff_figures(connect(data, tmp_path), 2025, date(2025, 11, 1))
    pack = compute_pack(data, params)
    with shared_cache():
        units = {
            f"{f}_by_unit": registry.compute(f, data, params.with_(by=("unit_id",))).frame
            for f in ("headcount", "fte")
        }
    ours = {**{f: pack.results[f].frame for f in STAFF_FIGURES}, **units}
    assert ours["headcount"]["n"][0] > 400
    for figure, frame in ours.items():
        expected = {
            ("" if row["key"] is None else str(row["key"])): (row["n"], row["value"])
            for row in reference.filter(pl.col("figure") == figure).iter_rows(named=True)
        }
        got = _rows(frame)
        assert got.keys() == expected.keys(), figure
        for key, (n, value) in expected.items():
            assert got[key][0] == n, (figure, key)
            assert got[key][1] == pytest.approx(value, rel=1e-9), (figure, key)
