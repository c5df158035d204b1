"""Staff structure figures on one hand-written November snapshot (2025-11-01)."""

from datetime import date

import pytest
from indicator_factory import data, employment, person, sick, unit

from hallbar.core.errors import InsufficientData
from hallbar.indicators import Params, compute

P = Params(year=2025)  # snapshot 2025-11-01


def leave(pid, cause, extent, eid=None):
    return sick(pid, date(2025, 10, 1), date(2025, 12, 31), extent=extent, eid=eid, cause=cause)


def snapshot_data():
    persons = [
        person("A", 1996, "K"),
        person("B", 1995, "K"),
        person("C", 1976, "K"),
        person("D", 1975, "K"),
        person("E", 1990, "M"),
        person("F", 2000, "M"),
        person("G", 1980, "M"),
        person("H", 1960, "M"),
        person("I", 1985, "M"),
    ]
    emps = [
        employment("a1", "A", rate=100.0),
        employment("b1", "B", rate=60.0),
        employment("b2", "B", rate=40.0, unit="U2"),
        employment("c1", "C", rate=80.0),
        employment("c2", "C", rate=20.0, form="visstid"),
        employment("d1", "D", rate=75.0, unit="U2"),
        employment("e1", "E", rate=100.0, form="visstid"),
        employment("f1", "F", rate=0.0, form="timavlönad"),
        employment("g1", "G", rate=100.0, end=date(2025, 10, 31)),
        employment("h1", "H", rate=100.0),
        employment("i1", "I", rate=100.0),
    ]
    absences = [
        leave("A", "föräldraledig", 25.0, eid="a1"),  # A works 75 %
        leave("H", "tjänstledig", 100.0),  # person-level leave: H works 0 %
        leave("H", "semester", 100.0),  # vacation does not reduce the worked rate
        leave("I", "sjuk", 50.0),  # nor does sick leave
    ]
    return data(
        persons=persons, employments=emps, absences=absences, units=[unit("U1"), unit("U2", "U1")]
    )


def value(fid, params=P, **filters):
    frame = compute(fid, snapshot_data(), params).frame
    for col, val in filters.items():
        frame = frame.filter(frame[col] == val)
    assert frame.height == 1
    return frame.row(0, named=True)


def test_headcount_counts_monthly_paid_persons():
    # A, B, C, D, E, H, I (F is hourly-paid, G left on 2025-10-31)
    assert value("headcount")["n"] == 7


def test_fte_sums_rates_capped_per_person():
    # A 1 + B (0.6+0.4) + C (0.8+0.2) + D 0.75 + E 1 + H 1 + I 1 = 6.75
    assert value("fte")["value"] == pytest.approx(6.75)


def test_gender_and_age_structure():
    women = value("gender_structure", gender="K")
    assert women["n"] == 4 and women["value"] == pytest.approx(100 * 4 / 7)
    # age = 2025 − birth year: A 29; B 30, C 49, E 35, I 40; D 50, H 65
    assert value("age_structure", age_band="≤29")["n"] == 1
    assert value("age_structure", age_band="30–49")["n"] == 4
    assert value("age_structure", age_band="≥50")["n"] == 2


def test_employment_forms_and_permanent_share():
    assert value("employment_forms", employment_form="tillsvidare")["n"] == 6  # A B C D H I
    assert value("employment_forms", employment_form="visstid")["n"] == 1  # E
    hourly = value("employment_forms", employment_form="timavlönad")
    assert hourly["n"] == 1 and hourly["value"] == pytest.approx(100 / 8)
    share = value("permanent_share")
    assert share["permanent"] == 6 and share["value"] == pytest.approx(100 * 6 / 7)


def test_fulltime_employed_sums_concurrent_permanent_rates():
    # Population: A B C D H I (permanent). Full time: A 100, B 60+40, H 100, I 100 -> 4 of 6.
    # C has 80 permanent + 20 fixed-term: contract 80 -> not full time. D 75.
    row = value("fulltime_employed")
    assert (row["n"], row["full_time"]) == (6, 4)
    assert row["value"] == pytest.approx(100 * 4 / 6)


def test_fulltime_working_deducts_partial_leave_but_not_sick_leave_or_vacation():
    # A 100 × (1 − 0.25) = 75; H 100 × (1 − 1.0) = 0; B 100; I 100 (sick leave does not count) -> 2 of 6.
    row = value("fulltime_working")
    assert (row["n"], row["full_time"]) == (6, 2)
    assert row["value"] == pytest.approx(100 * 2 / 6)


def test_average_rate():
    # (100 + 100 + 80 + 75 + 100 + 100) / 6 = 92.5
    assert value("average_rate")["value"] == pytest.approx(92.5)


def test_cut_by_gender_and_unit_subtree():
    by_gender = P.with_(by=("gender",))
    assert value("fulltime_employed", by_gender, gender="K")["value"] == pytest.approx(
        50.0
    )  # A, B of A B C D
    assert value("fulltime_employed", by_gender, gender="M")["value"] == pytest.approx(
        100.0
    )  # H, I
    # Subtree U2: employments b2 (B, 40 %) and d1 (D, 75 %).
    sub = P.with_(unit_id="U2")
    assert value("fte", sub)["value"] == pytest.approx(0.4 + 0.75)


def test_no_november_employments_raise():
    # Every employment in the data starts 2015-01-01, so 2014-11-01 has none.
    with pytest.raises(InsufficientData, match="2014-11-01"):
        compute("fulltime_employed", snapshot_data(), Params(year=2014))
    with pytest.raises(InsufficientData, match="2014-11-01"):
        compute("headcount", snapshot_data(), Params(year=2014))


def test_unit_without_staff_raises():
    d = snapshot_data()
    d = d.with_frames(units=d.units.vstack(data(units=[unit("U9", "U1")]).units))
    with pytest.raises(InsufficientData, match="U9"):
        compute("headcount", d, P.with_(unit_id="U9"))
