"""Monte Carlo: degenerate cases equal the deterministic result; seeded runs reproduce."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from hallbar.projection import Rates, Scenario, project
from hallbar.projection.engine import EngineInput, binomial_draw, run_engine

RECRUITS = pl.DataFrame({"gender": ["K"], "age": [30], "share": [1.0]})


def _stock() -> pl.DataFrame:
    ages = [30, 40, 50, 60, 64, 65, 66, 66]
    return pl.DataFrame(
        {
            "occupation": ["X"] * 4 + ["Y"] * 4,
            "gender": ["K", "M"] * 4,
            "age": ages,
            "rate": [100.0] * 8,
            "monthly_pay": [30_000.0] * 8,
        }
    )


def test_no_turnover_and_deterministic_retirements_give_one_value() -> None:
    sc = Scenario(horizon=4, demand_mode="growth", growth_rate=0.05, runs=200, seed=1)
    res = project(
        _stock(),
        Rates.constant(0.0, recruit_profile=RECRUITS),
        sc,
        base_year=2025,
        uncertainty=True,
    )
    assert res.uncertainty is not None
    band = res.uncertainty.filter(pl.col("occupation") != "Alla yrken").sort("year", "occupation")
    det = res.yearly.sort("year", "occupation")
    for col in ("need_p10", "need_p50", "need_p90"):
        assert band[col].to_list() == pytest.approx(det["need"].to_list())


def test_seeded_runs_reproduce_and_bands_are_ordered() -> None:
    sc = Scenario(horizon=5, runs=300, seed=7)
    rates = Rates.constant(0.15, recruit_profile=RECRUITS)
    a = project(_stock(), rates, sc, base_year=2025, uncertainty=True).uncertainty
    b = project(_stock(), rates, sc, base_year=2025, uncertainty=True).uncertainty
    assert a is not None and b is not None
    assert a.equals(b)
    assert (a["need_p10"] <= a["need_p50"]).all() and (a["need_p50"] <= a["need_p90"]).all()
    assert (a["need_p90"] - a["need_p10"]).max() > 0  # turnover is random


def test_binomial_mean_matches_expected_turnover() -> None:
    # 100 persons aged 40, turnover 10 %, flat demand, one year: need ~ Binomial(100, 0.1),
    # mean 10, sd 3; the mean of 4 000 runs lies within 10 ± 4 × 3 / sqrt(4000) = 10 ± 0.19.
    a = 66
    stock = np.zeros((1, 1, a))
    stock[0, 0, 25] = 100.0
    profile = np.zeros((1, 1, a))
    profile[0, 0, 15] = 1.0
    data = EngineInput(
        stock=stock,
        retire_rate=np.zeros(a),
        turnover_rate=np.full((1, a), 0.1),
        recruit_profile=profile,
        demand=np.array([[100.0, 100.0]]),
    )
    out = run_engine(data, runs=4000, draw=binomial_draw(np.random.default_rng(3)))
    assert abs(out.recruits[:, 0, 0].mean() - 10.0) < 0.19
    assert out.recruits[:, 0, 0].std() == pytest.approx(3.0, abs=0.2)
