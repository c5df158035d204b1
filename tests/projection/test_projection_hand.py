"""Projection arithmetic against values computed by hand (arithmetic in comments)."""

from __future__ import annotations

import polars as pl
import pytest

from hallbar.projection import Levers, Rates, Scenario, TaskShift, project

RECRUITS_AT_30 = pl.DataFrame({"gender": ["K"], "age": [30], "share": [1.0]})


def _stock(
    ages: list[int], rates: list[float] | None = None, occ: str = "X", pay: float = 30_000.0
) -> pl.DataFrame:
    n = len(ages)
    return pl.DataFrame(
        {
            "occupation": [occ] * n,
            "gender": ["K"] * n,
            "age": ages,
            "rate": rates or [100.0] * n,
            "monthly_pay": [pay] * n,
        }
    )


def _col(result, name: str) -> list[float]:  # type: ignore[no-untyped-def]
    return result.yearly.sort("year")[name].to_list()


def test_flat_demand_target_age_and_turnover() -> None:
    stock = _stock([30, 40, 50, 65, 66], rates=[100.0, 100.0, 100.0, 100.0, 50.0])
    rates = Rates.constant(0.10, recruit_profile=RECRUITS_AT_30)
    res = project(stock, rates, Scenario(horizon=3, target_pension_age=67), base_year=2025)
    # 2026: ages 31,41,51,66,67 -> the 67-year-old retires (1). 4 remain, 10 % leave: 0.4.
    #       demand 5 - stock 3.6 -> need 1.4 (= 0 + 1 + 0.4). Recruits enter at 30.
    # 2027: 32:.9 42:.9 52:.9 67:.9 31:1.4 -> 0.9 retire; 4.1 remain, 0.41 leave;
    #       need = 5 - 3.69 = 1.31 (= 0 + 0.9 + 0.41).
    # 2028: 33:.81 43:.81 53:.81 32:1.26 31:1.31 -> nobody is 67; 5.0 remain, 0.5 leave; need 0.5.
    assert _col(res, "retirements") == pytest.approx([1.0, 0.9, 0.0])
    assert _col(res, "turnover") == pytest.approx([0.4, 0.41, 0.5])
    assert _col(res, "need") == pytest.approx([1.4, 1.31, 0.5])
    assert _col(res, "demand_change") == pytest.approx([0.0, 0.0, 0.0])
    assert _col(res, "surplus_adjustment") == pytest.approx([0.0, 0.0, 0.0])
    # FTE: mean rate (4 × 100 + 50) / 5 = 90 % -> need_fte = need × 0.9.
    assert _col(res, "need_fte") == pytest.approx([1.26, 1.179, 0.45])
    assert _col(res, "staff_end") == pytest.approx([5.0, 5.0, 5.0])
    # Age structure at the end of 2028, age 31: the 2027 recruits (1.31) after 10 % turnover
    # in 2028 = 1.179; age 30: the 2028 recruits, 0.5.
    end = res.age_structure.filter(pl.col("year") == 2028)
    assert end.filter(pl.col("age") == 31)["persons"].sum() == pytest.approx(1.179)
    assert end.filter(pl.col("age") == 30)["persons"].sum() == pytest.approx(0.5)
    tot = res.totals().filter(pl.col("occupation") == "X")
    assert tot["need"][0] == pytest.approx(1.4 + 1.31 + 0.5)


def test_growth_las_age_and_turnover_by_band_with_cost() -> None:
    stock = _stock([35, 68])
    rates = Rates(
        overall_turnover=0.5,  # must not be used: both bands are given
        turnover=pl.DataFrame({"occupation": ["X", "X"], "band_from": [0, 40], "rate": [0.2, 0.0]}),
        recruit_profile=pl.DataFrame({"gender": ["M"], "age": [25], "share": [1.0]}),
    )
    sc = Scenario(
        horizon=2,
        retirement_mode="las",
        las_age=69,
        demand_mode="growth",
        growth_rate=0.10,
        age_bands=(0, 40),
        payroll_overhead=0.4,
    )
    res = project(stock, rates, sc, base_year=2025)
    # 2026: ages 36 and 69 -> LAS: the 69-year-old leaves (1). 36-year-old: 20 % turnover = 0.2.
    #       demand 2 × 1.1 = 2.2; stock 0.8 -> need 1.4 = 0.2 (demand) + 1 + 0.2.
    # 2027: ages 37 (0.8) and 26 (1.4), both in band 0-39: turnover 0.2 × 2.2 = 0.44.
    #       demand 2.42; stock 1.76 -> need 0.66 = 0.22 + 0 + 0.44.
    assert _col(res, "demand_change") == pytest.approx([0.2, 0.22])
    assert _col(res, "retirements") == pytest.approx([1.0, 0.0])
    assert _col(res, "turnover") == pytest.approx([0.2, 0.44])
    assert _col(res, "need") == pytest.approx([1.4, 0.66])
    # Cost of the increase: 0.2 FTE × 12 × 30 000 × 1.4 = 100 800; 0.22 × 504 000 = 110 880.
    assert _col(res, "cost_increase") == pytest.approx([100_800.0, 110_880.0])


def test_observed_exit_rates_and_retirement_delay_lever() -> None:
    stock = _stock([64, 64])
    rates = Rates(
        overall_turnover=0.0,
        retirement=pl.DataFrame({"age": [65, 66], "rate": [0.5, 0.5]}),
        recruit_profile=RECRUITS_AT_30,
    )
    sc = Scenario(horizon=3, retirement_mode="observed", target_pension_age=67, las_age=69)
    res = project(stock, rates, sc, base_year=2025)
    # 2026: both 65, q=0.5 -> 1 retires. 2027: one 66, q=0.5 -> 0.5. 2028: 0.5 at 67,
    # no observed rate -> target rule q=1 -> 0.5.
    assert _col(res, "retirements") == pytest.approx([1.0, 0.5, 0.5])
    delayed = project(
        stock,
        rates,
        Scenario(**{**sc.__dict__, "levers": Levers(retirement_delay_years=1)}),
        base_year=2025,
    )
    # One year later: q'(a) = q(a-1). 2026 age 65 -> q(64) = rule 0. 2027 age 66 -> q(65) = 0.5
    # -> 1 retires. 2028 age 67 -> q(66) = 0.5 -> 0.5.
    assert _col(delayed, "retirements") == pytest.approx([0.0, 1.0, 0.5])
    steps = delayed.waterfall.group_by("step").agg(pl.col("delta_need").sum())
    d = dict(steps.iter_rows())
    # Base need 1 + 0.5 + 0.5 = 2.0; delayed 0 + 1 + 0.5 = 1.5 -> delta -0.5.
    assert d["base"] == pytest.approx(2.0)
    assert d["retirement_delay"] == pytest.approx(-0.5)


def _two_occupations() -> pl.DataFrame:
    # A: 10 part-timers at 50 %; B: 10 full-timers. All 40 years old.
    return pl.concat([_stock([40] * 10, [50.0] * 10, occ="A"), _stock([40] * 10, occ="B")])


def _lever_run(levers: Levers) -> dict[tuple[str, str], float]:
    sc = Scenario(horizon=2, demand_mode="growth", growth_rate=0.5, levers=levers)
    res = project(
        _two_occupations(), Rates.constant(0.0, recruit_profile=RECRUITS_AT_30), sc, base_year=2025
    )
    agg = res.waterfall.group_by("step", "occupation").agg(pl.col("delta_demand_change").sum())
    return {(s, o): v for s, o, v in agg.iter_rows()}


def test_levers_each_shown_as_its_own_step() -> None:
    # Baseline demand per occupation: 10 → 15 → 22.5, demand change 12.5 over the horizon.
    d = _lever_run(Levers(part_time_extra_hours=4.0, full_time_hours=40.0))
    # Part-timers +4 h of 40 = +10 pp each: 10 × 0.10 = 1 FTE; A's mean rate 0.5 -> 2 persons.
    assert d[("base", "A")] == pytest.approx(12.5)
    assert d[("part_time", "A")] == pytest.approx(-2.0)
    assert d[("part_time", "B")] == pytest.approx(0.0)
    d = _lever_run(Levers(part_time_target_rate=60.0))
    # Up to 60 %: 10 × 0.10 FTE = 1 FTE -> 2 persons in A.
    assert d[("part_time", "A")] == pytest.approx(-2.0)
    d = _lever_run(Levers(sick_leave_reduction_pp=2.0))
    # 2 pp of the 2027 demand 22.5 = 0.45 persons fewer by the end of the horizon.
    assert d[("sick_leave", "B")] == pytest.approx(-0.45)
    d = _lever_run(Levers(productivity_gain=0.005))
    # 22.5 × (1 − 0.995²) = 22.5 × 0.009975 = 0.2244375.
    assert d[("productivity", "B")] == pytest.approx(-0.2244375)
    d = _lever_run(Levers(task_shifts=(TaskShift("A", "B", 1.0),)))
    # 1 FTE out of A (rate 0.5 -> 2 persons), into B (rate 1.0 -> 1 person).
    assert d[("task_shifting", "A")] == pytest.approx(-2.0)
    assert d[("task_shifting", "B")] == pytest.approx(1.0)
    d = _lever_run(Levers(other_solutions_share=0.3))
    # 30 % of the increase 12.5 = 3.75.
    assert d[("other_solutions", "B")] == pytest.approx(-3.75)


def test_turnover_reduction_and_graduates_gap() -> None:
    stock = _stock([40] * 10)
    sc = Scenario(
        horizon=1,
        levers=Levers(turnover_reduction=0.5, graduates_per_year=(("X", 0.2),)),
    )
    res = project(stock, Rates.constant(0.1, recruit_profile=RECRUITS_AT_30), sc, base_year=2025)
    # Turnover 10 % halved: 10 × 0.05 = 0.5 leavers -> need 0.5; supply 0.2 -> gap 0.3.
    assert _col(res, "turnover") == pytest.approx([0.5])
    assert _col(res, "gap") == pytest.approx([0.3])
    d = dict(res.waterfall.group_by("step").agg(pl.col("delta_need").sum()).iter_rows())
    assert d["base"] == pytest.approx(1.0)
    assert d["turnover_reduction"] == pytest.approx(-0.5)


def test_scenario_json_round_trip() -> None:
    sc = Scenario(
        name="Test",
        served_ages=(("X", 80, None),),
        levers=Levers(task_shifts=(TaskShift("A", "B", 2.5),), graduates_per_year=(("A", 3.0),)),
    )
    assert Scenario.from_json(sc.to_json()) == sc


def test_by_unit_sums_to_the_occupation_and_scenarios_compare() -> None:
    stock = _stock([30, 40, 50, 66]).with_columns(pl.Series("unit_id", ["U1", "U1", "U2", "U2"]))
    rates = Rates.constant(0.1, recruit_profile=RECRUITS_AT_30)
    per_unit = project(
        stock, rates, Scenario(name="Per enhet", horizon=2, by_unit=True), base_year=2025
    )
    whole = project(stock, rates, Scenario(name="Hela yrket", horizon=2), base_year=2025)
    assert sorted(per_unit.yearly["unit_id"].unique().to_list()) == ["U1", "U2"]
    # 2026: U2's 66-year-old turns 67 and retires (1); 3 remain, 0.3 leave; need 1.3 in all.
    assert per_unit.yearly.filter(pl.col("year") == 2026)["need"].sum() == pytest.approx(1.3)
    assert per_unit.yearly["need"].sum() == pytest.approx(whole.yearly["need"].sum())
    from hallbar.projection import compare_scenarios

    cmp = compare_scenarios([whole, per_unit]).filter(pl.col("occupation") == "Alla yrken")
    assert cmp["scenario"].to_list() == ["Hela yrket", "Per enhet"]
    assert cmp["need"][0] == pytest.approx(cmp["need"][1])
