"""Overtime and mertid per FTE, and agency staff against own personnel cost."""

from datetime import date

import pytest
from indicator_factory import data, employment, months, person

from hallbar.core.errors import InsufficientData
from hallbar.indicators import Params, compute

P = Params(year=2025)


def wt_data(**extra):
    persons = [person("A", 1980), person("B", 1990, "M")]
    emps = [
        employment("a", "A", rate=100.0, ssyk="5321"),
        employment("b", "B", rate=50.0, start=date(2025, 7, 1), ssyk="2221"),
    ]
    wt = [
        {
            "employment_id": "a",
            "month": m,
            "scheduled_hours": 160.0,
            "overtime_hours": 10.0,
            "additional_hours": 0.0,
        }
        for m in months(2025)
    ]
    wt += [
        {
            "employment_id": "b",
            "month": m,
            "scheduled_hours": 80.0,
            "overtime_hours": 4.0,
            "additional_hours": 5.0,
        }
        for m in months(2025)[6:]
    ]
    return data(persons=persons, employments=emps, working_time=wt, **extra)


def test_overtime_per_fte_uses_the_years_average_fte():
    # FTE on the 1st of each month: A 1.0 × 12, B 0.5 × 6 (Jul–Dec) -> (12 + 3) / 12 = 1.25.
    # Overtime: A 10 × 12 + B 4 × 6 = 144 h -> 144 / 1.25 = 115.2 h per FTE.
    r = compute("overtime_per_fte", wt_data(), P).frame.row(0, named=True)
    assert r["fte"] == pytest.approx(1.25)
    assert r["hours"] == pytest.approx(144.0)
    assert r["value"] == pytest.approx(115.2)


def test_mertid_per_fte():
    # B 5 h × 6 months = 30 h / 1.25 FTE = 24.
    assert compute("additional_hours_per_fte", wt_data(), P).frame["value"][0] == pytest.approx(
        24.0
    )


def test_missing_working_time_column_raises_in_swedish():
    with pytest.raises(InsufficientData, match="OB-timmar saknas"):
        compute("unsocial_hours_per_fte", wt_data(), P)
    with pytest.raises(InsufficientData, match="delade turer saknas"):
        compute("split_shifts_per_fte", wt_data(), P)


def test_agency_staff_share_of_own_personnel_cost():
    jan = date(2025, 1, 1)
    pay = [
        {"employment_id": "a", "month": jan, "kind": "fast", "amount": 30000.0},
        {"employment_id": "a", "month": jan, "kind": "tillägg", "amount": 2000.0},
        {"employment_id": "a", "month": jan, "kind": "rörlig", "amount": 1000.0},
    ]
    agency = [
        {"unit_id": "U1", "occupation": "5321", "month": jan, "hours": 100.0, "cost": 50000.0},
        {"unit_id": "U1", "occupation": "2221", "month": jan, "hours": 20.0, "cost": 30000.0},
    ]
    frame = compute(
        "agency_staff",
        wt_data(pay_components=pay, agency_staff=agency),
        P.with_(payroll_overhead=0.5),
    ).frame
    nurse = frame.filter(frame["occupation"] == "5321").row(0, named=True)
    # Own cost: (30 000 + 2 000 + 1 000) × 1.5 = 49 500; 50 000 / 49 500 = 101.01 %
    assert nurse["personnel_cost"] == pytest.approx(49500.0)
    assert nurse["value"] == pytest.approx(100 * 50000 / 49500)
    other = frame.filter(frame["occupation"] == "2221").row(0, named=True)
    assert other["agency_hours"] == pytest.approx(20.0)
    assert other["value"] is None  # no own personnel cost that month: no ratio, not infinity


def test_agency_staff_without_data_raises():
    with pytest.raises(InsufficientData, match="inhyrd personal"):
        compute("agency_staff", wt_data(), P)


def test_unsocial_hours_and_split_shifts_per_fte():
    # One full-time employment all year: 20 OB hours and 2 split shifts every month.
    # FTE 1.0 -> 240 OB hours and 24 split shifts per FTE.
    wt = [
        {
            "employment_id": "a",
            "month": m,
            "scheduled_hours": 160.0,
            "unsocial_hours": 20.0,
            "split_shifts": 2,
        }
        for m in months(2025)
    ]
    d = data(persons=[person("A", 1980)], employments=[employment("a", "A")], working_time=wt)
    assert compute("unsocial_hours_per_fte", d, P).frame["value"][0] == pytest.approx(240.0)
    assert compute("split_shifts_per_fte", d, P).frame["value"][0] == pytest.approx(24.0)
