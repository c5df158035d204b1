"""Sick leave per unit, short-term sick leave, frisknärvaro and the individual lists."""

from datetime import date

import pytest
from indicator_factory import combine, data, population, sick, unit

from hallbar.indicators import Params, compute

P = Params(year=2025)
YEAR_HOURS = 12 * 160.0
UNITS = [unit("U1"), unit("U2", "U1")]


def two_units(absences, as_of=date(2025, 12, 31)):
    parts = combine(
        population(11, prefix="a", unit_id="U1"), population(11, prefix="b", unit_id="U2")
    )
    return data(absences=absences, units=UNITS, as_of=as_of, **parts)


def d(m, day, y=2025):
    return date(y, m, day)


def test_sick_leave_per_unit_flags_units_above_ten_percent():
    # U1: 2 112 h of 11 × 1 920 = 21 120 h -> exactly 10 %: not flagged (the rule is "more than").
    # U2: 2 200 h / 21 120 h = 10.417 % -> flagged.
    absences = [
        sick("a0", d(1, 1), d(12, 31), hours=2112.0, eid="e_a0"),
        sick("b0", d(1, 1), d(12, 31), hours=2200.0, eid="e_b0"),
    ]
    frame = compute("sick_leave_unit", two_units(absences), P).frame
    u1 = frame.filter(frame["unit_id"] == "U1").row(0, named=True)
    u2 = frame.filter(frame["unit_id"] == "U2").row(0, named=True)
    assert u1["value"] == pytest.approx(10.0) and u1["flag"] is False
    assert u2["value"] == pytest.approx(100 * 2200 / 21120) and u2["flag"] is True


def test_short_term_sick_leave_counts_days_1_to_14_of_each_spell():
    # a0: 20-day spell, 200 h given -> 10 h a day, days 1–14 = 140 h. a1: 10-day spell, 50 h -> all 50 h.
    absences = [
        sick("a0", d(3, 1), d(3, 20), hours=200.0, eid="e_a0"),
        sick("a1", d(5, 1), d(5, 10), hours=50.0, eid="e_a1"),
    ]
    row = compute("sick_leave_short_term", two_units(absences), P).frame.row(0, named=True)
    assert row["numerator"] == pytest.approx(190.0)
    assert row["value"] == pytest.approx(100 * 190 / (22 * YEAR_HOURS))


def test_frisknarvaro_counts_calendar_days_with_any_sick_leave():
    # a0: 5 days -> healthy. a1: 6 days at 25 % -> partial days count: not healthy.
    # a2: two spells of 3 days = 6 days -> not healthy. So 22 − 2 = 20 are healthy.
    absences = [
        sick("a0", d(2, 3), d(2, 7)),
        sick("a1", d(2, 3), d(2, 8), extent=25.0),
        sick("a2", d(2, 3), d(2, 5)),
        sick("a2", d(9, 1), d(9, 3)),
    ]
    row = compute("frisknarvaro", two_units(absences), P).frame.row(0, named=True)
    assert (row["n"], row["healthy"]) == (22, 20)
    assert row["value"] == pytest.approx(100 * 20 / 22)


def test_repeated_short_absence_lists_six_spells_in_twelve_months():
    # Window: spells starting 2025-01-01 … 2025-12-31 (as_of 2025-12-31, 12 months).
    # a0: six one-day spells in 2025 -> listed. a1: first of six on 2024-12-31 -> five in window.
    # a2: six consecutive days -> one continuous spell.
    absences = [sick("a0", d(m, 1), d(m, 1)) for m in range(1, 7)]
    absences += [sick("a1", d(12, 31, 2024), d(12, 31, 2024))] + [
        sick("a1", d(m, 10), d(m, 10)) for m in range(1, 6)
    ]
    absences += [sick("a2", d(3, k), d(3, k)) for k in range(1, 7)]
    frame = compute("repeated_short_absence", two_units(absences), P).frame
    assert frame["person_id"].to_list() == ["a0"]
    assert frame["spells"].to_list() == [6]
    assert frame["unit_id"].to_list() == ["U1"]


def test_rehab_rule_lists_spells_past_day_30_expected_to_last_60_days():
    # as_of 2025-12-31.
    # a0: 2025-12-01 … 2026-01-31, ongoing, 31 days so far -> listed.
    # a1: 2025-03-01 … 2025-04-29 = 60 days -> listed.  a2: … 04-28 = 59 days, ended -> not listed.
    # a3: ongoing since 2025-12-10 (22 days so far) -> not yet.  a4: a 60-day spell in 2023 -> outside 12 months.
    absences = [
        sick("a0", d(12, 1), d(1, 31, 2026)),
        sick("a1", d(3, 1), d(4, 29)),
        sick("a2", d(3, 1), d(4, 28)),
        sick("a3", d(12, 10), d(2, 28, 2026)),
        sick("a4", d(3, 1, 2023), d(4, 29, 2023)),
    ]
    frame = compute("rehab_day30", two_units(absences), P).frame
    assert sorted(frame["person_id"].to_list()) == ["a0", "a1"]
    a0 = frame.filter(frame["person_id"] == "a0").row(0, named=True)
    assert a0["ongoing"] is True and a0["day30"] == d(12, 30)
