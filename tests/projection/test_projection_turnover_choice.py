"""A scenario's turnover is honoured or its non-use is said: values computed by hand."""

from __future__ import annotations

import polars as pl
import pytest

from hallbar.projection import Levers, Rates, Scenario, project
from hallbar.projection.errors import ProjectionInputError

RECRUITS_AT_30 = pl.DataFrame({"gender": ["K"], "age": [30], "share": [1.0]})


def _stock(n: int = 10, age: int = 40) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "occupation": ["X"] * n,
            "gender": ["K"] * n,
            "age": [age] * n,
            "rate": [100.0] * n,
            "monthly_pay": [30_000.0] * n,
        }
    )


def _history() -> Rates:
    # The organisation's own history: 20 % a year for X.
    return Rates.constant(0.20, by_occupation={"X": 0.20}, recruit_profile=RECRUITS_AT_30)


def _turnover(scenario: Scenario, history: Rates | None) -> list[float]:
    res = project(_stock(), history, scenario, base_year=2025)
    return res.yearly.sort("year")["turnover"].to_list()


def test_history_is_used_without_a_scenario_rate() -> None:
    # 10 persons aged 41 in 2026, nobody near 67: turnover = 10 × 0.20 = 2.
    assert _turnover(Scenario(horizon=1), _history()) == pytest.approx([2.0])


def test_an_explicit_turnover_rate_replaces_the_history() -> None:
    res = project(_stock(), _history(), Scenario(horizon=2, turnover_rate=0.05), base_year=2025)
    yearly = res.yearly.sort("year")
    # 2026: 10 × 0.05 = 0.5 leave, need 0.5 (flat demand).
    # 2027: 9.5 stayers + 0.5 recruits = 10 persons, 10 × 0.05 = 0.5 leave again.
    assert yearly["turnover"].to_list() == pytest.approx([0.5, 0.5])
    assert yearly["need"].to_list() == pytest.approx([0.5, 0.5])
    [notice] = [n for n in res.notices if "scenariots antagande" in n]
    assert "5,0 %" in notice and "20,0 %" in notice


def test_the_turnover_lever_applies_on_top_of_the_scenario_rate() -> None:
    scenario = Scenario(horizon=1, turnover_rate=0.05, levers=Levers(turnover_reduction=0.2))
    res = project(_stock(), _history(), scenario, base_year=2025)
    # 10 × 0.05 × (1 − 0.2) = 0.4; the lever step lowers need by 0.5 − 0.4 = 0.1.
    assert res.yearly["turnover"].to_list() == pytest.approx([0.4])
    step = res.waterfall.filter(pl.col("step") == "turnover_reduction")
    assert step["delta_need"].sum() == pytest.approx(-0.1)


def test_the_scenario_rate_is_used_without_history_too() -> None:
    assert _turnover(Scenario(horizon=1, turnover_rate=0.05), None) == pytest.approx([0.5])


def test_a_fallback_rate_beside_history_is_not_used_and_the_notice_says_so() -> None:
    scenario = Scenario(horizon=1, default_turnover=0.05)
    res = project(_stock(), _history(), scenario, base_year=2025)
    assert res.yearly["turnover"].to_list() == pytest.approx([2.0])  # the history's 20 %
    [notice] = [n for n in res.notices if "reservvärde" in n]
    assert "5,0 %" in notice and "20,0 %" in notice


def test_the_fallback_rate_is_used_without_history() -> None:
    assert _turnover(Scenario(horizon=1, default_turnover=0.05), None) == pytest.approx([0.5])


def test_a_turnover_rate_round_trips_and_is_checked() -> None:
    scenario = Scenario(turnover_rate=0.07)
    assert Scenario.from_json(scenario.to_json()).turnover_rate == 0.07
    with pytest.raises(ProjectionInputError, match="personalomsättning"):
        Scenario(turnover_rate=1.5).validate()
