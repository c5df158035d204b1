"""The pack's people, pay, manager and agency figures (``FIGURES`` of
benchmarks/indicators_sql_people.py) agree with independent hand-written DuckDB SQL,
group by group; and both give the values worked out by hand on small datasets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import indicator_factory
import polars as pl
import pytest
from indicator_factory import employment, person, sick, unit, year_schedule
from indicators_sql_people import (
    FIGURES,
    connect,
    dominance_figures,
    dominance_rows,
    pack_rows,
    people_figures,
)
from indicators_synth import generate
from sqlcheck import assert_groups_agree

from hallbar.core.dataset import HRData
from hallbar.indicators import Params, compute_pack, registry
from hallbar.indicators.cache import shared_cache
from hallbar.indicators.dominance import compare_dominated_groups

YEAR = 2025
ON = date(YEAR, 11, 1)

Rows = dict[tuple[str, str, str], tuple[int | None, float | None]]


def _by_key(rows: list[dict[str, object]]) -> Rows:
    out: Rows = {}
    for r in rows:
        key = (str(r["figure"]), str(r["org_id"]), str(r["key"]))
        assert key not in out, key
        n, value = r["n"], r["value"]
        out[key] = (
            None if n is None else int(str(n)),
            None if value is None else float(str(value)),
        )
    return out


def _both(data: HRData, tmp_path: Path, figures: tuple[str, ...] = FIGURES) -> tuple[Rows, Rows]:
    """(the product's rows, the SQL's rows) for ``figures`` on ``data``."""
    with shared_cache():
        results = {f: registry.compute(f, data, Params(year=YEAR)) for f in figures}
    sql = people_figures(connect(data, tmp_path), YEAR, ON)
    sql = sql.filter(pl.col("figure").is_in(figures))
    return _by_key(pack_rows(results)), _by_key(sql.to_dicts())


def _assert_value(rows: Rows, figure: str, key: str, n: int | None, value: float | None) -> None:
    got = rows[(figure, "1280", key)]
    assert got[0] == n, (figure, key)
    if value is None:
        assert got[1] is None, (figure, key)
    else:
        assert got[1] == pytest.approx(value, rel=1e-12), (figure, key)


# --- generated data: every group of every figure --------------------------------------
def _with_moves(data: HRData, org_id: str) -> HRData:
    """A second organisation ``org_id``: a copy of ``data`` where some permanent
    employments active on 30 June end then and continue in another unit (from the
    same day, the next day, or two days later, which is not a move)."""
    emps = data.employments
    candidates = (
        emps.filter(
            (pl.col("employment_form") == "tillsvidare")
            & (pl.col("start_date") < date(YEAR, 6, 1))
            & (pl.col("end_date").is_null() | (pl.col("end_date") > date(YEAR, 7, 31)))
        )
        .with_row_index("_i")
        .filter(pl.col("_i") % 9 < 3)
    )
    gap = pl.col("_i") % 9  # 0: starts the day the old one ends, 1: the day after, 2: two days
    units = data.units["unit_id"].sort()
    moved = candidates.with_columns(
        employment_id=pl.col("employment_id") + "_m",
        unit_id=pl.lit(units[len(units) - 1]),
        start_date=pl.lit(date(YEAR, 6, 30)) + pl.duration(days=gap),
    ).drop("_i")
    ended = candidates.select("employment_id").with_columns(_end=pl.lit(date(YEAR, 6, 30)))
    emps = (
        emps.join(ended, on="employment_id", how="left")
        .with_columns(end_date=pl.coalesce("_end", "end_date"))
        .drop("_end")
    )
    copy = data.with_frames(employments=pl.concat([emps, moved.select(emps.columns)]))
    frames = {
        name: frame.with_columns(org_id=pl.lit(org_id))
        for name, frame in copy.frames().items()
        if "org_id" in frame.columns
    }
    return data.with_frames(
        **{name: pl.concat([data.frames()[name], frame]) for name, frame in frames.items()}
    )


def _dominance(data: HRData, tmp_path: Path) -> tuple[Rows, Rows]:
    """(the product's comparison, the SQL's) as rows."""
    with shared_cache():
        comparisons = compare_dominated_groups(data, Params(year=YEAR))
    con = connect(data, tmp_path)
    people_figures(con, YEAR, ON)
    sql = dominance_figures(con, YEAR, ON)
    return _by_key(dominance_rows(comparisons)), _by_key(sql.to_dicts())


def test_people_figures_match_duckdb_sql(tmp_path):
    data = _with_moves(generate(600, years=2, seed=11), "9997")
    ours, reference = _both(data, tmp_path)
    assert_groups_agree(ours, reference)
    assert {k[0] for k in reference} == set(FIGURES)
    assert {k[1] for k in reference} == {"9998", "9997"}
    moves = {k[1]: v[1] for k, v in reference.items() if k[0] == "internal_moves"}
    assert moves["9998"] == 0.0  # the generated data has no moves, its copy has
    assert moves["9997"] is not None and moves["9997"] > 0.0


def test_dominance_matches_duckdb_sql(tmp_path):
    data = _with_moves(generate(600, years=2, seed=11), "9997")
    ours, reference = _dominance(data, tmp_path)
    assert_groups_agree(ours, reference)
    for org in ("9998", "9997"):  # both groups found, every condition compared
        sides = [k[2].split("|")[0] for k in reference if k[1] == org]
        assert sorted(set(sides)) == ["men", "men_group", "women", "women_group"]
        assert len(sides) == 2 * (1 + 8)


def test_pack_rows_take_the_pack_results(tmp_path):
    data = generate(600, years=2, seed=5)
    pack = compute_pack(data, Params(year=YEAR))
    assert not set(FIGURES) & set(pack.missing)
    con = connect(data, tmp_path)
    reference = _by_key(people_figures(con, YEAR, ON).to_dicts())
    assert_groups_agree(_by_key(pack_rows(pack.results)), reference)
    dominance = _by_key(dominance_figures(con, YEAR, ON).to_dicts())
    assert_groups_agree(_by_key(dominance_rows(pack.dominance)), dominance)


# --- hand-built cases, one per family ---------------------------------------------------
def test_mobility_by_hand(tmp_path):
    d = date
    data = indicator_factory.data(
        persons=[person(p, 1980) for p in ("p1", "p2", "p3", "p4", "p5", "p7")],
        units=[unit("U1"), unit("U2")],
        employments=[
            employment("e1", "p1", start=d(2015, 1, 1)),  # permanent for years
            employment("e2", "p2", start=d(2025, 3, 1)),  # new hire
            # fixed-term made permanent in the same unit: new, not a move
            employment("e3a", "p3", form="visstid", start=d(2024, 1, 1), end=d(2025, 2, 28)),
            employment("e3b", "p3", start=d(2025, 3, 1)),
            # permanent, moved U1 → U2 the day after: a move, not a new hire
            employment("e4a", "p4", start=d(2020, 1, 1), end=d(2025, 5, 31)),
            employment("e4b", "p4", unit="U2", start=d(2025, 6, 1)),
            # fixed-term, new period in U2 three days later: not a move
            employment("e5a", "p5", form="visstid", start=d(2024, 6, 1), end=d(2025, 3, 31)),
            employment("e5b", "p5", form="visstid", unit="U2", start=d(2025, 4, 3)),
            # hourly-paid staff changing unit: not monthly-paid, no move
            employment("e7a", "p7", form="timavlönad", start=d(2024, 1, 1), end=d(2025, 4, 30)),
            employment("e7b", "p7", form="timavlönad", unit="U2", start=d(2025, 5, 1)),
        ],
    )
    for rows in _both(data, tmp_path, ("new_permanent_hires", "internal_moves")):
        # permanent on 1 Nov: p1–p4; not permanent on 1 Nov 2024: p2, p3
        _assert_value(rows, "new_permanent_hires", "", 4, 100.0 * 2 / 4)
        # monthly-paid on 1 Nov: p1–p5; moved: p4
        _assert_value(rows, "internal_moves", "", 5, 100.0 * 1 / 5)


def test_expected_retirements_by_hand(tmp_path):
    births = {"a": 1958, "b": 1959, "c": 1960, "d": 1963, "e": 1964, "f": 1990}
    data = indicator_factory.data(
        persons=[person(p, y) for p, y in births.items()],
        employments=[employment(f"e{p}", p) for p in births],
    )
    # 67 in 2026: 1959, and 1958 already past it; 2027: 1960; 2030: 1963; 1964 after 2030
    expected = {"2026": 2.0, "2027": 1.0, "2028": 0.0, "2029": 0.0, "2030": 1.0}
    for rows in _both(data, tmp_path, ("expected_retirements",)):
        for year, count in expected.items():
            _assert_value(rows, "expected_retirements", year, 6, count)


def test_pay_by_hand(tmp_path):
    staff = [  # person, gender, ssyk, monthly pay of the main employment
        ("w1", "K", "5321", 30000.0),
        ("w2", "K", "5321", 32000.0),
        ("w3", "K", "5321", 35000.0),
        ("w4", "K", "5321", 41000.0),
        ("m1", "M", "5321", 31000.0),
        ("m2", "M", "5321", 36000.0),
        ("m3", "M", "5321", 38000.0),
        ("m4", "M", "2221", 40000.0),
        ("m5", "M", "2221", 50000.0),
    ]
    emps = [employment(f"e{p}", p, ssyk=s, pay=pay) for p, _, s, pay in staff]
    emps += [
        # w1's fixed-term top-up pays more, but the permanent employment is the main one
        employment("ew1b", "w1", form="visstid", rate=100.0, ssyk="5321", pay=99000.0),
        # no pay, and hourly-paid: outside the pay figures
        employment("ex", "x1", ssyk="5321", pay=None),
        employment("ey", "y1", form="timavlönad", rate=0.0, ssyk="5321", pay=60000.0),
    ]
    persons = [person(p, 1980, g) for p, g, _, _ in staff]
    persons += [person("x1", 1980, "K"), person("y1", 1980, "M")]
    data = indicator_factory.data(persons=persons, employments=emps)
    women = (32000.0 + 35000.0) / 2  # 30 000, 32 000, 35 000, 41 000
    men = 38000.0  # 31 000, 36 000, 38 000, 40 000, 50 000
    pay = ("median_pay_gap_women_men", "pay_ratio_women_men", "pay_percentiles")
    for rows in _both(data, tmp_path, pay):
        _assert_value(rows, "median_pay_gap_women_men", "", 4, women - men)  # −4 500
        _assert_value(rows, "pay_ratio_women_men", "", 4, 100.0 * women / men)
        # 5321, seven pays 30 000 … 41 000: h = 6q
        _assert_value(rows, "pay_percentiles", "5321|p10", 7, 30000.0 + 0.6 * 1000.0)
        _assert_value(rows, "pay_percentiles", "5321|p50", 7, 35000.0)
        _assert_value(rows, "pay_percentiles", "5321|p90", 7, 38000.0 + 0.4 * 3000.0)
        _assert_value(rows, "pay_percentiles", "5321|p90_p10", 7, 39200.0 / 30600.0)
        # 2221, two pays: h = q
        _assert_value(rows, "pay_percentiles", "2221|p10", 2, 41000.0)
        _assert_value(rows, "pay_percentiles", "2221|p50", 2, 45000.0)
        _assert_value(rows, "pay_percentiles", "2221|p90", 2, 49000.0)


def test_span_of_control_by_hand(tmp_path):
    units = [
        unit("TOP", manager="m0"),
        unit("A", "TOP", manager="mA"),
        unit("A1", "A"),  # no manager: A's manager
        unit("B", "TOP"),  # no manager: the top's
        unit("C", "TOP", manager="mC"),
    ]
    staff = [("m0", "TOP"), ("mA", "A")]  # managers in their own units: not in a span
    staff += [(f"a{i}", "A") for i in range(3)] + [(f"a1{i}", "A1") for i in range(2)]
    staff += [(f"b{i}", "B") for i in range(4)] + [(f"c{i}", "C") for i in range(31)]
    data = indicator_factory.data(
        persons=[person(p, 1980) for p, _ in staff],
        units=units,
        employments=[employment(f"e{p}", p, unit=u) for p, u in staff],
    )
    # spans: mA 3 + 2 = 5, m0 4 (unit B), mC 31
    expected = {
        "mean": (5 + 4 + 31) / 3,
        "median": 5.0,
        "share_over_30": 100.0 / 3,
        "share_1–15": 200.0 / 3,
        "share_16–30": 0.0,
        "share_31–45": 100.0 / 3,
        "share_46–60": 0.0,
        "share_>60": 0.0,
    }
    for rows in _both(data, tmp_path, ("span_of_control",)):
        for key, value in expected.items():
            _assert_value(rows, "span_of_control", key, 3, value)


def _agency(occupation: str, hours: float, cost: float) -> dict[str, object]:
    month = date(YEAR, 3, 1)
    return {"unit_id": "U1", "occupation": occupation, "month": month, "hours": hours, "cost": cost}


def test_agency_staff_by_hand(tmp_path):
    data = indicator_factory.data(
        persons=[person("p1", 1980), person("p2", 1990), person("p3", 1985)],
        employments=[
            # half time, 30 000 at full time, from 17 March (15 of March's 31 days)
            employment("e1", "p1", rate=50.0, pay=30000.0, start=date(YEAR, 3, 17)),
            employment("e2", "p2", form="timavlönad", rate=0.0, pay=None),
            # starts after the snapshot date: its first period's occupation (2221) holds
            # the pay of both periods (10 November: 21 of 30 days)
            employment(
                "e3",
                "p3",
                ssyk="2221",
                pay=40000.0,
                start=date(YEAR, 11, 10),
                end=date(YEAR, 11, 30),
            ),
            employment("e3", "p3", ssyk="5321", pay=40000.0, start=date(YEAR, 12, 1)),
        ],
        pay_components=[
            {"employment_id": "e1", "month": date(YEAR, 3, 1), "kind": "tillägg", "amount": 1000.0},
            # April's fixed pay is in the file: it replaces the contracted 15 000
            {"employment_id": "e1", "month": date(YEAR, 4, 1), "kind": "fast", "amount": 20000.0},
            {"employment_id": "e2", "month": date(YEAR, 5, 1), "kind": "fast", "amount": 5000.0},
        ],
        agency_staff=[_agency("5321", 100.0, 5000.0), _agency("2221", 10.0, 2000.0)],
    )
    overhead = 1.4015
    march = (30000.0 * 0.5 * 15 / 31 + 1000.0) * overhead
    for rows in _both(data, tmp_path, ("agency_staff",)):
        _assert_value(rows, "agency_staff", "2025-03-01|5321|agency_hours", None, 100.0)
        _assert_value(rows, "agency_staff", "2025-03-01|5321|agency_cost", None, 5000.0)
        _assert_value(rows, "agency_staff", "2025-03-01|5321|personnel_cost", None, march)
        _assert_value(rows, "agency_staff", "2025-03-01|5321|value", None, 100.0 * 5000 / march)
        _assert_value(rows, "agency_staff", "2025-04-01|5321|personnel_cost", None, 28030.0)
        _assert_value(rows, "agency_staff", "2025-04-01|5321|value", None, 0.0)
        may = (15000.0 + 5000.0) * overhead  # e1's contracted pay and e2's hours
        _assert_value(rows, "agency_staff", "2025-05-01|5321|personnel_cost", None, may)
        _assert_value(rows, "agency_staff", "2025-12-01|5321|personnel_cost", None, 15000 * 1.4015)
        _assert_value(rows, "agency_staff", "2025-11-01|2221|personnel_cost", None, 28000 * 1.4015)
        _assert_value(rows, "agency_staff", "2025-12-01|2221|personnel_cost", None, 40000 * 1.4015)
        # agency staff in an occupation without own pay: no personnel cost, no share
        _assert_value(rows, "agency_staff", "2025-03-01|2221|agency_cost", None, 2000.0)
        _assert_value(rows, "agency_staff", "2025-03-01|2221|personnel_cost", None, None)
        _assert_value(rows, "agency_staff", "2025-03-01|2221|value", None, None)
        assert ("agency_staff", "1280", "2025-02-01|5321|value") not in rows  # before the start


def test_dominance_by_hand(tmp_path):
    # 5321: ten women and a man, nine permanent (three of them part time) and two
    # fixed-term, pay 25 000 … 35 000; one woman sick all March. 7111: eleven men,
    # permanent full time, pay 32 000, two hours' overtime a month each.
    women = [(f"w{i}", "K") for i in range(10)] + [("x0", "M")]
    men = [(f"m{i}", "M") for i in range(11)]
    emps, hours = [], []
    for i, (p, _) in enumerate(women):
        form = "visstid" if i >= 9 else "tillsvidare"
        rate = 75.0 if i < 3 else 100.0
        emps.append(employment(f"e{p}", p, unit="W", form=form, rate=rate, pay=25000.0 + 1000 * i))
        hours += year_schedule(f"e{p}", YEAR)
    for p, _ in men:
        emps.append(employment(f"e{p}", p, unit="M", ssyk="7111", pay=32000.0))
        hours += year_schedule(f"e{p}", YEAR, overtime_hours=2.0)
    data = indicator_factory.data(
        persons=[person(p, 1980, g) for p, g in women + men],
        units=[unit("TOP"), unit("W", "TOP", manager="bossW"), unit("M", "TOP", manager="bossM")],
        employments=emps,
        working_time=hours,
        absences=[sick("w5", date(YEAR, 3, 1), date(YEAR, 3, 31))],
    )
    for rows in _dominance(data, tmp_path):
        _assert_value(rows, "dominance", "women_group|5321", 11, 10 / 11)
        _assert_value(rows, "dominance", "men_group|7111", 11, 0.0)
        # March's 160 hours of the women's 11 × 12 × 160 ordinary hours
        _assert_value(rows, "dominance", "women|sick_leave", None, 100.0 / 132)
        _assert_value(rows, "dominance", "men|sick_leave", None, 0.0)
        _assert_value(rows, "dominance", "women|part_time", None, 100.0 - 100.0 * 6 / 9)
        _assert_value(rows, "dominance", "men|part_time", None, 0.0)
        _assert_value(rows, "dominance", "women|temporary", None, 100.0 - 100.0 * 9 / 11)
        _assert_value(rows, "dominance", "men|temporary", None, 0.0)
        _assert_value(rows, "dominance", "women|span", None, 11.0)
        _assert_value(rows, "dominance", "men|span", None, 11.0)
        _assert_value(rows, "dominance", "women|overtime", None, 0.0)
        _assert_value(rows, "dominance", "men|overtime", None, 24.0)  # 11 × 24 h / 11 FTE
        _assert_value(rows, "dominance", "women|median_pay", None, 30000.0)
        _assert_value(rows, "dominance", "men|median_pay", None, 32000.0)
        # no split shifts or unsocial hours in the working-time file: no figure
        _assert_value(rows, "dominance", "women|split_shifts", None, None)
        _assert_value(rows, "dominance", "men|unsocial_hours", None, None)
