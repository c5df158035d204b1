"""The statutory sick-leave note, case by case against SKR's definitions (hand arithmetic)."""

from datetime import date

import pytest
from indicator_factory import combine, data, employment, person, population, sick, year_schedule

from hallbar.core.errors import InsufficientData
from hallbar.indicators import Params, sick_leave_note

P = Params(year=2025)
YEAR_HOURS = 12 * 160.0  # 1 920 ordinary hours per person


def note_for(absences, *parts, **kw):
    return sick_leave_note(data(absences=absences, **combine(*parts), **kw), P)


def test_spell_of_exactly_60_days_is_long_term_and_59_is_not():
    # p0: 2025-03-01..2025-04-29 = 31 + 29 = 60 days, 120 h given -> long-term.
    # p1: 2025-03-01..2025-04-28 = 59 days, 80 h given -> not long-term.
    absences = [
        sick("p0", date(2025, 3, 1), date(2025, 4, 29), hours=120.0, eid="e_p0"),
        sick("p1", date(2025, 3, 1), date(2025, 4, 28), hours=80.0, eid="e_p1"),
    ]
    note = note_for(absences, population(11))
    long = note.row("long_term_share")
    assert long.numerator == pytest.approx(120.0)
    assert long.denominator == pytest.approx(200.0)
    assert long.value == pytest.approx(60.0)  # 120 / 200
    total = note.row("total")
    assert total.n == 11
    assert total.denominator == pytest.approx(11 * YEAR_HOURS)  # 21 120
    assert total.value == pytest.approx(100 * 200 / 21120)  # 0.947 %


def test_adjacent_spells_merge_into_one_continuous_spell_of_60_days():
    # p0: 03-01..03-30 (30 d) + 03-31..04-29 (30 d) -> one spell of 60 days: 100 h long-term.
    # p1: 03-01..03-30 + 03-31..04-28 -> 59 days: not long-term.
    # p2: 03-01..03-30 + 04-01..04-30 -> a gap of one day (03-31): two spells of 30 days.
    absences = [
        sick("p0", date(2025, 3, 1), date(2025, 3, 30), hours=50.0, eid="e_p0"),
        sick("p0", date(2025, 3, 31), date(2025, 4, 29), hours=50.0, eid="e_p0"),
        sick("p1", date(2025, 3, 1), date(2025, 3, 30), hours=50.0, eid="e_p1"),
        sick("p1", date(2025, 3, 31), date(2025, 4, 28), hours=50.0, eid="e_p1"),
        sick("p2", date(2025, 3, 1), date(2025, 3, 30), hours=50.0, eid="e_p2"),
        sick("p2", date(2025, 4, 1), date(2025, 4, 30), hours=50.0, eid="e_p2"),
    ]
    long = note_for(absences, population(11)).row("long_term_share")
    assert long.numerator == pytest.approx(100.0)
    assert long.denominator == pytest.approx(300.0)
    assert long.value == pytest.approx(100 * 100 / 300)


def test_spell_crossing_the_year_counts_its_whole_length_but_only_hours_inside_the_year():
    # 2024-12-01..2025-01-29: 31 + 29 = 60 days in all -> long-term.
    # Hours by the approximation, inside 2025 only: 160 h × 29/31 days of January × 100 % = 149.677 h.
    absences = [sick("p0", date(2024, 12, 1), date(2025, 1, 29))]
    note = note_for(absences, population(11))
    expected = 160.0 * 29 / 31
    assert note.row("total").numerator == pytest.approx(expected)
    assert note.row("long_term_share").numerator == pytest.approx(expected)
    assert note.row("long_term_share").value == pytest.approx(100.0)


def test_partial_extent_and_partial_schedule_use_the_documented_approximation():
    # p0: 50 % sick all of March, schedule 160 h -> 80 h.
    # q0: 25 % sick all of June, works 75 % (120 h a month) -> 120 × 30/30 × 0.25 = 30 h.
    absences = [
        sick("p0", date(2025, 3, 1), date(2025, 3, 31), extent=50.0),
        sick("q0", date(2025, 6, 1), date(2025, 6, 30), extent=25.0),
    ]
    note = note_for(absences, population(10), population(1, prefix="q", hours=120.0, rate=75.0))
    total = note.row("total")
    assert total.numerator == pytest.approx(110.0)
    assert total.denominator == pytest.approx(10 * YEAR_HOURS + 12 * 120.0)  # 20 640
    assert total.value == pytest.approx(100 * 110 / 20640)


def test_absence_without_employment_is_spread_over_the_persons_schedules():
    # x has two employments in March: 100 h and 60 h. Sick 100 % all of March, no employment id:
    # 100 × 31/31 + 60 × 31/31 = 160 h.
    emps = [employment("ex1", "x", rate=60.0), employment("ex2", "x", rate=40.0)]
    wt = year_schedule("ex1", 2025, 100.0) + year_schedule("ex2", 2025, 60.0)
    extra = ([person("x", 1980)], emps, wt)
    note = note_for([sick("x", date(2025, 3, 1), date(2025, 3, 31))], population(10), extra)
    assert note.row("total").n == 11
    assert note.row("total").numerator == pytest.approx(160.0)


def test_age_on_the_boundary_by_birth_year():
    # Age = 2025 − birth year: 1996 -> 29 (≤29), 1995 -> 30 (30–49), 1976 -> 49 (30–49), 1975 -> 50 (≥50).
    absences = [
        sick("a0", date(2025, 3, 1), date(2025, 3, 31), hours=10.0, eid="e_a0"),
        sick("b0", date(2025, 3, 1), date(2025, 3, 31), hours=20.0, eid="e_b0"),
        sick("c0", date(2025, 3, 1), date(2025, 3, 31), hours=30.0, eid="e_c0"),
        sick("d0", date(2025, 3, 1), date(2025, 3, 31), hours=40.0, eid="e_d0"),
    ]
    note = note_for(
        absences,
        population(11, prefix="a", birth_year=1996),
        population(6, prefix="b", birth_year=1995),
        population(6, prefix="c", birth_year=1976),
        population(11, prefix="d", birth_year=1975),
    )
    young, middle, old = note.row("age_29"), note.row("age_30_49"), note.row("age_50")
    assert (young.n, middle.n, old.n) == (11, 12, 11)
    assert young.value == pytest.approx(100 * 10 / (11 * YEAR_HOURS))
    assert middle.value == pytest.approx(100 * 50 / (12 * YEAR_HOURS))  # 20 + 30 h over 12 persons
    assert old.value == pytest.approx(100 * 40 / (11 * YEAR_HOURS))


def test_group_of_ten_is_suppressed_and_eleven_is_shown():
    absences = [
        sick("w0", date(2025, 3, 1), date(2025, 3, 31), hours=10.0, eid="e_w0"),
        sick("m0", date(2025, 3, 1), date(2025, 3, 31), hours=22.0, eid="e_m0"),
    ]
    note = note_for(
        absences,
        population(10, prefix="w", gender="K"),
        population(11, prefix="m", gender="M"),
    )
    women, men = note.row("women"), note.row("men")
    assert women.n == 10 and women.suppressed and women.value is None
    assert men.n == 11 and not men.suppressed
    assert men.value == pytest.approx(100 * 22 / (11 * YEAR_HOURS))
    table = note.to_table().frame
    assert table.filter(table["visas_ej"])["procent"].null_count() == table["visas_ej"].sum()


def test_hourly_paid_without_schedule_fall_outside():
    # h0 is hourly-paid with no working time: neither counted nor their 50 sick hours.
    hourly = ([person("h0", 1980)], [employment("e_h0", "h0", form="timavlönad", rate=0.0)], [])
    absences = [
        sick("h0", date(2025, 3, 1), date(2025, 3, 10), hours=50.0, eid="e_h0"),
        sick("p0", date(2025, 3, 1), date(2025, 3, 10), hours=16.0, eid="e_p0"),
    ]
    total = note_for(absences, population(11), hourly).row("total")
    assert total.n == 11
    assert total.numerator == pytest.approx(16.0)


def test_region_uses_region_kolada_ids():
    note = note_for([], population(11), kind="region")
    assert note.row("total").kolada_id == "N60030"
    assert note.row("total").value == pytest.approx(0.0)


def test_no_working_time_raises_insufficient_data_in_swedish():
    persons, emps, _ = population(11)
    with pytest.raises(InsufficientData, match="ingen ordinarie arbetstid"):
        sick_leave_note(data(persons=persons, employments=emps), P)
