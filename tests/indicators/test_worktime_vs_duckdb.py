"""The pack's hours-per-FTE, sick-leave-per-unit, short-term sick leave and frisknärvaro
figures agree with independent hand-written DuckDB SQL (``WORKTIME_SQL`` in
benchmarks/indicators_sql_worktime.py), on generated data and on small cases whose
values are computed by hand from the definitions (docs/key-figures.md)."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from indicator_factory import data, employment, months, person, sick, year_schedule
from indicators_sql import connect  # benchmarks/ is on pytest's pythonpath
from indicators_sql_worktime import FIGURES, pack_rows, worktime_figures
from indicators_synth import generate
from sqlcheck import assert_groups_agree

from hallbar.core.dataset import HRData
from hallbar.indicators import Params, registry
from hallbar.indicators.cache import shared_cache

YEAR = 2025
ON = date(YEAR, 11, 1)

Groups = dict[tuple[str, str], tuple[int, float | None]]


def _reference(d: HRData, folder: Path) -> Groups:
    frame = worktime_figures(connect(d, folder), YEAR, ON)
    return {
        (r["figure"], r["key"] or ""): (r["n"], r["value"]) for r in frame.iter_rows(named=True)
    }


def _product(d: HRData, figures: tuple[str, ...] = FIGURES) -> Groups:
    with shared_cache():
        results = {f: registry.compute(f, d, Params(year=YEAR)) for f in figures}
    groups: Groups = {}
    for r in pack_rows(results):
        n, value = r["n"], r["value"]
        assert isinstance(n, int) and (value is None or isinstance(value, float))
        groups[(str(r["figure"]), str(r["key"] or ""))] = (n, value)
    return groups


def _varied(d: HRData) -> HRData:
    """Generated data with the cases the generator leaves out: sick and leave rows with
    their own hours (some without an employment), employments that change unit and rate
    in June, and working-time rows without overtime recorded."""
    absences = (
        d.absences.with_row_index("_i")
        .with_columns(
            hours=pl.when(pl.col("_i") % 3 == 0)
            .then((pl.col("_i") % 17 + 1).cast(pl.Float64) * 4.0)
            .otherwise(pl.col("hours"))
        )
        .drop("_i")
    )
    june = date(YEAR, 6, 1)
    split = d.employments.with_row_index("_i").with_columns(
        _split=(pl.col("_i") % 4 == 0)
        & (pl.col("start_date") < june)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= june))
    )
    before = split.with_columns(
        end_date=pl.when("_split").then(pl.lit(date(YEAR, 5, 31))).otherwise(pl.col("end_date"))
    )
    after = split.filter("_split").with_columns(
        start_date=pl.lit(june),
        unit_id=pl.lit("U1"),
        rate=pl.col("rate") * 0.8,
    )
    employments = pl.concat([before, after]).drop("_i", "_split")
    working_time = (
        d.working_time.with_row_index("_i")
        .with_columns(
            overtime_hours=pl.when(pl.col("_i") % 5 == 0)
            .then(None)
            .otherwise(pl.col("overtime_hours"))
        )
        .drop("_i")
    )
    return d.with_frames(absences=absences, employments=employments, working_time=working_time)


def test_every_group_of_every_figure_matches_duckdb_sql(tmp_path):
    d = _varied(generate(600, years=2, seed=11))
    assert d.absences["employment_id"].null_count() > 0  # both ways of finding the schedule
    assert d.absences["hours"].null_count() < d.absences.height
    reference = _reference(d, tmp_path)
    assert {f for f, _ in reference} == set(FIGURES)
    assert sum(1 for f, _ in reference if f == "sick_leave_unit") > 10
    assert reference[("frisknarvaro", "")][0] > 400
    assert_groups_agree(_product(d), reference)


# --- hours per FTE by hand ------------------------------------------------------------
def _worktime_case() -> HRData:
    """A: full time all year, 10 h overtime, 20 OB hours and 2 split shifts a month.
    B: 50 % from 15 July, so the first day of August to December: 5 months; 4 h overtime
    and 5 h mertid in each of July to December. C: hourly-paid, 6 h overtime in one
    month: the hours count, C has no FTE."""
    a = [
        {
            "employment_id": "a",
            "month": m,
            "scheduled_hours": 160.0,
            "overtime_hours": 10.0,
            "additional_hours": 0.0,
            "unsocial_hours": 20.0,
            "split_shifts": 2,
        }
        for m in months(YEAR)
    ]
    b = [
        {
            "employment_id": "b",
            "month": m,
            "scheduled_hours": 80.0,
            "overtime_hours": 4.0,
            "additional_hours": 5.0,
            "unsocial_hours": 0.0,
            "split_shifts": 0,
        }
        for m in months(YEAR)[6:]
    ]
    c = [{"employment_id": "c", "month": date(YEAR, 3, 1), "overtime_hours": 6.0}]
    return data(
        persons=[person("A", 1980), person("B", 1990, "M"), person("C", 2000)],
        employments=[
            employment("a", "A"),
            employment("b", "B", rate=50.0, start=date(YEAR, 7, 15), form="visstid"),
            employment("c", "C", rate=None, form="timavlönad"),  # type: ignore[arg-type]
        ],
        working_time=a + b + c,
    )


def test_hours_per_fte_by_hand(tmp_path):
    d = _worktime_case()
    # Average FTE: A 1.0 × 12 months + B 0.5 × 5 months, over 12 = 14.5 / 12.
    fte = 14.5 / 12
    expected = {
        ("overtime_per_fte", ""): (2, (10 * 12 + 4 * 6 + 6) / fte),  # 124.14
        ("additional_hours_per_fte", ""): (2, 5 * 6 / fte),  # 24.83
        ("unsocial_hours_per_fte", ""): (2, 20 * 12 / fte),  # 198.62
        ("split_shifts_per_fte", ""): (2, 2 * 12 / fte),  # 19.86
    }
    reference = _reference(d, tmp_path)
    for key, (n, value) in expected.items():
        assert reference[key][0] == n, key
        assert reference[key][1] == pytest.approx(value, rel=1e-12), key
    per_fte = tuple(f for f, _ in expected)
    assert_groups_agree(
        _product(d, per_fte), {k: v for k, v in reference.items() if k[0] in per_fte}
    )


# --- sick leave per unit, short-term sick leave and frisknärvaro by hand -----------------
def _sick_case() -> HRData:
    """Seven persons, 160 scheduled hours every month of 2025 (1 920 h) except P6,
    hourly-paid without a schedule. Sick and leave rows (day counts in the test)."""
    units = {"P1": "U1", "P2": "U1", "P3": "U2", "P4": "U3", "P5": "U3", "P7": "U3"}
    persons = [person(p, 1980) for p in [*units, "P6"]]
    employments = [employment(f"e{p}", p, unit=u) for p, u in units.items()]
    employments.append(employment("eP6", "P6", unit="U3", form="timavlönad", rate=None))  # type: ignore[arg-type]
    working_time = [row for p in units for row in year_schedule(f"e{p}", YEAR)]
    absences = [
        # P1: all of March at 100 %; full parental leave all of June.
        sick("P1", date(YEAR, 3, 1), date(YEAR, 3, 31), eid="eP1"),
        sick("P1", date(YEAR, 6, 1), date(YEAR, 6, 30), eid="eP1", cause="föräldraledig"),
        # P2: 10-12 January at 100 %, continued 13-20 January at 50 %: one spell.
        sick("P2", date(YEAR, 1, 10), date(YEAR, 1, 12), eid="eP2"),
        sick("P2", date(YEAR, 1, 13), date(YEAR, 1, 20), extent=50.0, eid="eP2"),
        # P3: a spell from 25 December 2024 with its own 96 hours over 12 days (8 h a
        # day), continued 6-31 January without hours; no employment on the second row.
        sick("P3", date(YEAR - 1, 12, 25), date(YEAR, 1, 5), hours=96.0, eid="eP3"),
        sick("P3", date(YEAR, 1, 6), date(YEAR, 1, 31)),
        # P4: 25 % on 5-7 May, continued 8-9 May: one spell of 5 sick days.
        sick("P4", date(YEAR, 5, 5), date(YEAR, 5, 7), extent=25.0, eid="eP4"),
        sick("P4", date(YEAR, 5, 8), date(YEAR, 5, 9), extent=25.0, eid="eP4"),
        # P6: hourly-paid without a schedule: outside the population.
        sick("P6", date(YEAR, 2, 1), date(YEAR, 2, 28), eid="eP6"),
        # P7: from 27 December into the next year: 5 days in 2025.
        sick("P7", date(YEAR, 12, 27), date(YEAR + 1, 1, 3), eid="eP7"),
    ]
    return data(
        persons=persons, employments=employments, working_time=working_time, absences=absences
    )


def test_sick_figures_by_hand(tmp_path):
    d = _sick_case()
    # Sick hours (schedule × days / days of the month × extent), short = days 1-14:
    p1, p1_short = 160.0, 160 * 14 / 31  # 31-day spell: its first 14 days are short
    p2 = 160 * 3 / 31 + 160 * 8 / 31 * 0.5  # 11-day spell, all short
    p3 = 8 * 5 + 160 * 26 / 31  # 1-5 Jan from the row's own hours, then 6-31 Jan
    p3_short = 8 * 5 + 160 * 2 / 31  # spell days 8-12 and 13-14 (6-7 Jan)
    p4 = 160 * 3 / 31 * 0.25 + 160 * 2 / 31 * 0.25  # 5-7 and 8-9 May, all short
    p7 = 160 * 5 / 31
    # Ordinary hours: 1 920 a year; P1 minus June's 160 h of full leave.
    expected = {
        ("sick_leave_unit", "U1"): (2, 100 * (p1 + p2) / (1760 + 1920)),
        ("sick_leave_unit", "U2"): (1, 100 * p3 / 1920),
        ("sick_leave_unit", "U3"): (3, 100 * (p4 + p7) / (3 * 1920)),
        (
            "sick_leave_short_term",
            "",
        ): (6, 100 * (p1_short + p2 + p3_short + p4 + p7) / (1760 + 5 * 1920)),
        # Sick days: P1 31, P2 11, P3 31, P4 5, P5 0, P7 5 (27-31 December): 3 of 6.
        ("frisknarvaro", ""): (6, 50.0),
    }
    reference = _reference(d, tmp_path)
    assert reference.keys() == expected.keys()
    for key, (n, value) in expected.items():
        assert reference[key][0] == n, key
        assert reference[key][1] == pytest.approx(value, rel=1e-12), key
    sick_figures = ("sick_leave_unit", "sick_leave_short_term", "frisknarvaro")
    assert_groups_agree(_product(d, sick_figures), reference)


def test_unit_of_an_employment_not_started_on_the_snapshot_date(tmp_path):
    """An employment whose periods all start after the snapshot date belongs to its first
    period's unit (hallbar.indicators.views.employment_terms's docstring): here 15
    November in U4, from 1 December in U5. The product gives U5 (its last period): the
    difference is reported, not asserted here for the product."""
    d = data(
        persons=[person("P", 1980)],
        employments=[
            employment("e", "P", unit="U4", start=date(YEAR, 11, 15), end=date(YEAR, 11, 30)),
            employment("e", "P", unit="U5", start=date(YEAR, 12, 1)),
        ],
        working_time=year_schedule("e", YEAR)[10:],
        absences=[sick("P", date(YEAR, 12, 1), date(YEAR, 12, 31), eid="e")],
    )
    reference = _reference(d, tmp_path)
    # 160 sick hours in December of 320 scheduled (November and December).
    assert reference[("sick_leave_unit", "U4")] == (1, pytest.approx(50.0))
    assert ("sick_leave_unit", "U5") not in reference
