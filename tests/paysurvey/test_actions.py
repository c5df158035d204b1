from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm

from hallbar.paysurvey.actions import (
    Adjustment,
    TimetableStep,
    follow_up,
    remediation_scenarios,
)
from hallbar.paysurvey.notices import InvalidAction


def test_cost_per_year_includes_overhead() -> None:
    adj = Adjustment("lika_arbete:Kock", 1500.0, (TimetableStep(date(2026, 4, 1), 1500.0),))
    # 1 500 × 12 × 1.4015 = 25 227
    assert adj.cost_per_year(0.4015) == pytest.approx(25227.0)


def test_timetable_validation() -> None:
    survey = date(2026, 3, 1)
    ok = Adjustment(
        "x",
        3000.0,
        (TimetableStep(date(2026, 4, 1), 1000.0), TimetableStep(date(2029, 3, 1), 2000.0)),
    )
    assert ok.validate(survey) is ok
    late = Adjustment("x", 1000.0, (TimetableStep(date(2029, 3, 2), 1000.0),))
    with pytest.raises(InvalidAction, match="inom tre år, senast 2029-03-01"):
        late.validate(survey)
    wrong_sum = Adjustment("x", 1000.0, (TimetableStep(date(2026, 4, 1), 900.0),))
    with pytest.raises(InvalidAction, match="summerar till 900 kr"):
        wrong_sum.validate(survey)
    with pytest.raises(InvalidAction, match="positivt belopp"):
        Adjustment("x", 0.0, (TimetableStep(date(2026, 4, 1), 0.0),)).validate(survey)
    with pytest.raises(InvalidAction, match="tidsplan"):
        Adjustment("x", 100.0, ()).validate(survey)


def _group(n: int = 40, seed: int = 9) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    woman = np.arange(n) % 2 == 0
    age = rng.uniform(25, 60, n)
    pay = 25000 + 150 * age - 1200 * woman + rng.normal(0, 800, n)
    return pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "gender": np.where(woman, "K", "M"),
            "age": age,
            "pay": pay,
        }
    )


def _gamma(df: pl.DataFrame) -> float:
    x = sm.add_constant(
        np.column_stack([df["age"].to_numpy(), (df["gender"] == "K").to_numpy().astype(float)])
    )
    return float(sm.OLS(df["pay"].to_numpy(), x).fit().params[-1])


def _apply(df: pl.DataFrame, raises: pl.DataFrame) -> pl.DataFrame:
    return df.join(raises.select("person_id", "raise_kr"), on="person_id", how="left").with_columns(
        (pl.col("pay") + pl.col("raise_kr").fill_null(0.0)).alias("pay")
    )


def test_scenarios_close_the_gender_coefficient() -> None:
    df = _group()
    gamma = _gamma(df)
    assert gamma < 0
    a, b, c = remediation_scenarios(df, ["age"], overhead=0.4)
    # (c): every woman gets −γ; re-estimated γ (statsmodels) is 0.
    n_women = int((df["gender"] == "K").sum())
    assert c.total_per_month == pytest.approx(-gamma * n_women)
    assert c.cost_per_year == pytest.approx(-gamma * n_women * 12 * 1.4)
    assert _gamma(_apply(df, c.raises)) == pytest.approx(0.0, abs=1e-6)
    # (b): re-estimated γ is 0 and only women are raised.
    assert _gamma(_apply(df, b.raises)) == pytest.approx(0.0, abs=1e-4)
    assert set(b.raises["gender"]) == {"K"}
    assert b.gender_coefficient_after == pytest.approx(0.0, abs=1e-4)
    # (a): everyone below the fitted pay (pay ~ age, statsmodels) is raised to it.
    fitted = sm.OLS(df["pay"].to_numpy(), sm.add_constant(df["age"].to_numpy())).fit().fittedvalues
    shortfall = np.maximum(fitted - df["pay"].to_numpy(), 0)
    assert a.total_per_month == pytest.approx(shortfall.sum())
    assert a.n_raised == int((shortfall > 0).sum())


def test_scenario_a_hand_computed_without_covariates() -> None:
    # No covariates: expected pay = group mean 30 000; raises 2 000 + 1 000 = 3 000 per month.
    df = pl.DataFrame(
        {
            "person_id": ["a", "b", "c", "d"],
            "gender": ["K", "K", "M", "M"],
            "pay": [28000.0, 29000, 31000, 32000],
        }
    )
    a, b, c = remediation_scenarios(df, [], overhead=0.5)
    assert a.total_per_month == pytest.approx(3000.0)
    assert a.cost_per_year == pytest.approx(3000 * 12 * 1.5)
    # γ = mean women − mean men = 28 500 − 31 500 = −3 000; (c) gives both women 3 000.
    assert c.total_per_month == pytest.approx(6000.0)
    # (b): expected pay for a man = men's mean 31 500, so r_a = −3 500, r_b = −2 500; each
    # woman's weight c_i = 1/2, γ(t) = −3 000 + ½(max(0, t + 3 500) + max(0, t + 2 500)) = 0
    # at t = 0: a gets 3 500 and b 2 500 (both end at 31 500), 6 000 in total.
    assert b.total_per_month == pytest.approx(6000.0)
    assert dict(zip(b.raises["person_id"], b.raises["raise_kr"], strict=True)) == pytest.approx(
        {"a": 3500.0, "b": 2500.0}
    )


def test_follow_up_of_last_years_adjustments() -> None:
    now = pl.DataFrame(
        {
            "job": ["Kock", "Kock", "Lärare", "Lärare", "Städare"],
            "gender": ["K", "M", "K", "M", "K"],
            "pay": [30000.0, 30000, 31000, 32000, 25000],
        }
    )
    step = (TimetableStep(date(2025, 4, 1), 500.0),)
    adjs = [
        Adjustment("a", 500.0, step, job="Kock", gap_before_kr=800.0),
        Adjustment("b", 500.0, step, job="Lärare", gap_before_kr=1500.0),
        Adjustment("c", 500.0, step, job="Lärare", gap_before_kr=900.0),
        Adjustment("d", 500.0, step, job="Städare", gap_before_kr=900.0),
    ]
    out = follow_up(adjs, now)
    assert out["gap_now_kr"].to_list() == [0.0, 1000.0, 1000.0, None]
    assert out["status"].to_list() == ["stängd", "minskad", "kvarstår", "kan inte bedömas"]
