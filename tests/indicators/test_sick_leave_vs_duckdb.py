"""The sick-leave note agrees with an independent hand-written DuckDB SQL query
(benchmarks/indicators_sql.py) on a generated organisation."""

import polars as pl
import pytest
from indicators_sql import connect, seven_figures  # benchmarks/ is on pytest's pythonpath
from indicators_synth import generate

from hallbar.indicators import Params, sick_leave_note


def test_note_matches_duckdb_sql(tmp_path):
    data = generate(400, years=2, seed=7)
    # Give every third sick row its own hours so both branches of the hour rule are exercised.
    absences = (
        data.absences.with_row_index("_i")
        .with_columns(
            hours=pl.when((pl.col("_i") % 3 == 0) & (pl.col("cause") == "sjuk"))
            .then((pl.col("_i") % 17 + 1).cast(pl.Float64) * 4.0)
            .otherwise(pl.col("hours"))
        )
        .drop("_i")
    )
    data = data.with_frames(absences=absences)
    ref = seven_figures(connect(data, tmp_path), 2025)
    note = sick_leave_note(data, Params(year=2025, sick_leave_min_group=11))
    assert note.row("total").n > 300
    for row in note.rows:
        expected = ref.filter(pl.col("key") == row.key).row(0, named=True)
        assert row.n == expected["n"], row.key
        assert row.numerator == pytest.approx(expected["num"], rel=1e-9), row.key
        assert row.denominator == pytest.approx(expected["den"], rel=1e-9), row.key
