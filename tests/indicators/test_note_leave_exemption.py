"""Issue 11 items 1, 5 and 6: region Kolada ids of the note, full leave outside the
ordinary hours, and the exemption of employers with ten or fewer employees."""

from datetime import date

import pytest
from indicator_factory import (
    combine,
    data,
    employment,
    person,
    population,
    sick,
    unit,
    year_schedule,
)

from hallbar.core.codes import LEAVE_CAUSES_OUTSIDE_ORDINARY_HOURS, AbsenceCause
from hallbar.core.population import ORDINARY_HOURS
from hallbar.indicators import Params, registry, series, sick_leave_note

P = Params(year=2025)


def _parental_then_sick(**kw):
    # Eleven persons with 160 ordinary hours every month of 2025 (12 × 160 = 1 920 h each).
    # p0 is on full-time parental leave January–June and sick all of September.
    absences = [
        sick("p0", date(2025, 1, 1), date(2025, 6, 30), cause="föräldraledig", eid="e_p0"),
        sick("p0", date(2025, 9, 1), date(2025, 9, 30), eid="e_p0"),
    ]
    return data(absences=absences, **combine(population(11)), **kw)


def test_full_parental_leave_leaves_the_ordinary_hours_issue_case():
    note = sick_leave_note(_parental_then_sick(), P)
    total = note.row("total")
    # Sick hours: September in full, 160 h × 30/30 days × 100 % = 160 h.
    assert total.numerator == pytest.approx(160.0)
    # Ordinary hours: 11 × 1 920 = 21 120, minus p0's six months of leave 6 × 160 = 960
    # -> 20 160 h.
    assert total.denominator == pytest.approx(20160.0)
    # 160 / 20 160 = 0.7937 % -> 0,794 % (the issue's value; 160 / 21 120 = 0,758 % was wrong).
    assert round(total.value, 3) == 0.794
    # p0 is still one of the eleven persons with ordinary working time.
    assert total.n == 11


def test_leave_already_left_out_of_the_export_is_not_deducted_twice():
    # The export's ordinary hours already exclude the leave: p0 has 0 h January–June.
    persons, emps, wt = population(11)
    wt = [
        {**row, "scheduled_hours": 0.0}
        if row["employment_id"] == "e_p0" and row["month"].month <= 6
        else row
        for row in wt
    ]
    absences = [
        sick("p0", date(2025, 1, 1), date(2025, 6, 30), cause="föräldraledig", eid="e_p0"),
        sick("p0", date(2025, 9, 1), date(2025, 9, 30), eid="e_p0"),
    ]
    d = data(absences=absences, persons=persons, employments=emps, working_time=wt)
    note = sick_leave_note(d, P.with_(ordinary_hours_exclude_leave=True))
    # 21 120 − 960 = 20 160 h, as in the export; 160 / 20 160 -> 0,794 %.
    assert note.row("total").denominator == pytest.approx(20160.0)
    assert round(note.row("total").value, 3) == 0.794
    # Without the setting Hållbar would deduct 6 × 0 h: the same 20 160 (never below zero).
    assert sick_leave_note(d, P).row("total").denominator == pytest.approx(20160.0)


def test_leave_does_not_deduct_when_the_export_says_it_is_already_out():
    # Same data as the issue case, but the profile says the export already left leave out:
    # the exported 21 120 h are used as they are -> 160 / 21 120 = 0,758 %.
    note = sick_leave_note(_parental_then_sick(), P.with_(ordinary_hours_exclude_leave=True))
    assert note.row("total").denominator == pytest.approx(21120.0)
    assert round(note.row("total").value, 3) == 0.758


def test_partial_leave_vacation_and_vab_stay_ordinary_hours():
    # Partial (50 %) parental leave, vacation and vab are not full leave of absence:
    # the denominator stays 11 × 1 920 = 21 120 h.
    absences = [
        sick("p0", date(2025, 1, 1), date(2025, 6, 30), cause="föräldraledig", extent=50.0),
        sick("p1", date(2025, 7, 1), date(2025, 7, 31), cause="semester"),
        sick("p2", date(2025, 3, 3), date(2025, 3, 4), cause="vab"),
    ]
    note = sick_leave_note(data(absences=absences, **combine(population(11))), P)
    assert note.row("total").denominator == pytest.approx(21120.0)


def test_leave_of_absence_and_leave_without_pay_are_leave():
    assert {c.value for c in LEAVE_CAUSES_OUTSIDE_ORDINARY_HOURS} == {
        "föräldraledig",
        "tjänstledig",
        "ledig utan lön",
    }
    # Leave without pay for March (31 days) on p1 and a leave of absence for April on p2:
    # 21 120 − 160 − 160 = 20 800 h.
    absences = [
        sick("p1", date(2025, 3, 1), date(2025, 3, 31), cause=AbsenceCause.UNPAID_LEAVE.value),
        sick("p2", date(2025, 4, 1), date(2025, 4, 30), cause=AbsenceCause.LEAVE.value),
    ]
    note = sick_leave_note(data(absences=absences, **combine(population(11))), P)
    assert note.row("total").denominator == pytest.approx(20800.0)


def test_registered_figure_and_series_use_the_same_ordinary_hours():
    d = _parental_then_sick()
    res = registry.compute("sick_leave_total", d, P).frame.row(0, named=True)
    assert res["denominator"] == pytest.approx(20160.0)
    yearly = series("sick_leave_total", d, freq="year", params=P, years=[2025])
    assert yearly["value"][0] == pytest.approx(100 * 160 / 20160)
    monthly = series("sick_leave_total", d, freq="month", params=P, years=[2025])
    # September: 160 sick h / (11 × 160) = 9.09 %; p0 is counted in January with 0 h net.
    sept = monthly.filter(monthly["period"] == date(2025, 9, 1)).row(0, named=True)
    assert sept["value"] == pytest.approx(100 * 160 / 1760)
    jan = monthly.filter(monthly["period"] == date(2025, 1, 1)).row(0, named=True)
    assert jan["n"] == 11


def test_region_note_uses_the_region_age_ids_not_in_age_order():
    # domain-rules §1: regions ≤29 N60027, 30–49 N60029, ≥50 N60028.
    young = population(11, prefix="y", birth_year=2000)  # 25 in 2025
    middle = population(11, prefix="m", birth_year=1985)  # 40
    old = population(11, prefix="o", birth_year=1965)  # 60
    note = sick_leave_note(data(kind="region", **combine(young, middle, old)), P)
    ids = {r.key: r.kolada_id for r in note.rows}
    assert ids["age_29"] == "N60027"
    assert ids["age_30_49"] == "N60029"
    assert ids["age_50"] == "N60028"
    assert ids["total"] == "N60030"
    assert ids["long_term_share"] == "N60031"
    assert ids["women"] == "N60030 (K)"
    kommun = sick_leave_note(data(**combine(young, middle, old)), P)
    assert [r.kolada_id for r in kommun.rows][4:] == ["N00092", "N00093", "N00094"]


def test_registry_kolada_ids_for_regions():
    ids = registry.kolada_figures()
    assert ids["sick_leave_age_30_49"] == ("N00093", "N60029")
    assert ids["sick_leave_age_50"] == ("N00094", "N60028")
    assert ids["median_pay_gap_women_men"] == ("N00951", "N60953")
    # The ratio has no Kolada id; the gender figures are cuts of N00090, not ids.
    assert "pay_ratio_women_men" not in ids
    assert "sick_leave_women" not in ids
    assert "N60029" in registry.get("sick_leave_age_30_49").description.source


def _small_employer(n_prev: int, n_now: int):
    persons, emps, wt = [], [], []
    for i in range(max(n_prev, n_now)):
        pid = f"s{i}"
        persons.append(person(pid, 1980))
        emps.append(employment(f"e_{pid}", pid, start=date(2020, 1, 1)))
        if i < n_prev:
            wt += year_schedule(f"e_{pid}", 2024)
        if i < n_now:
            wt += year_schedule(f"e_{pid}", 2025)
    return data(persons=persons, employments=emps, working_time=wt)


def test_employer_with_ten_or_fewer_on_average_over_two_years_is_exempt():
    # 9 persons with ordinary hours in 2024, 11 in 2025: (9 + 11) / 2 = 10 -> exempt.
    d = _small_employer(9, 11)
    assert ORDINARY_HOURS.count(d, 2024).n == 9
    assert ORDINARY_HOURS.count(d, 2025).n == 11
    note = sick_leave_note(d, P)
    assert note.exempt
    assert note.exemption is not None
    assert note.exemption.average == pytest.approx(10.0)
    assert "tio eller färre" in note.exemption.text_sv
    assert "i genomsnitt haft 10 anställda" in note.exemption.text_sv
    # No figure is shown, even the total with eleven persons this year.
    assert all(r.value is None and r.suppressed for r in note.rows)
    table = note.to_table()
    assert table.frame.height == 0
    assert table.notes_sv == (note.exemption.text_sv,)


def test_employer_with_more_than_ten_on_average_reports_the_note():
    # (10 + 11) / 2 = 10.5 > 10 -> reports.
    note = sick_leave_note(_small_employer(10, 11), P)
    assert not note.exempt
    assert note.row("total").value == pytest.approx(0.0)
    assert note.to_table().frame.height == 7


def test_a_year_without_data_is_left_out_of_the_average():
    # Only 2025 in the data, 11 persons: average 11 -> not exempt (2024 is not counted as 0).
    note = sick_leave_note(_small_employer(0, 11), P)
    assert not note.exempt


def test_a_small_unit_subtree_is_not_an_exempt_employer():
    # 9 persons in unit U2 below U1, 20 in U1: the organisation (29) reports; the subtree
    # U2 (9 persons) is suppressed as a small group, never called an exempt employer.
    from hallbar.indicators.units import restrict_to_subtree

    big = population(20, prefix="a")
    small = population(9, prefix="b", unit_id="U2")
    d = data(units=[unit("U1"), unit("U2", parent="U1")], **combine(big, small))
    assert not sick_leave_note(d, P).exempt
    part = sick_leave_note(restrict_to_subtree(d, "U2"), P)
    assert not part.exempt
    assert part.row("total").n == 9 and part.row("total").suppressed
