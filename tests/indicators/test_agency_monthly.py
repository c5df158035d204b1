"""Agency staff per occupation and month, and for the organisation per month (hyrstopp)."""

from datetime import date

import polars as pl
import pytest
from indicator_factory import data, employment, person

from hallbar.core.errors import InsufficientData
from hallbar.indicators import Params
from hallbar.indicators.agency import agency_staff_monthly, report_months

JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)
P = Params(year=2025, payroll_overhead=0.5)


def hire_data(as_of: date = date(2025, 3, 31)):
    persons = [person("A", 1980), person("B", 1975, "M")]
    # Each employment's months with pay are exactly the months it lasts, so the pay file's
    # fixed pay is all the fixed pay (a month without a 'fast' row would get the contract).
    emps = [
        employment("a", "A", ssyk="5321", pay=30000.0, end=date(2025, 2, 28)),
        employment("b", "B", ssyk="2221", pay=40000.0, start=FEB, end=date(2025, 3, 31)),
    ]
    pay = [
        {"employment_id": "a", "month": JAN, "kind": "fast", "amount": 30000.0},
        {"employment_id": "a", "month": FEB, "kind": "fast", "amount": 30000.0},
        {"employment_id": "a", "month": FEB, "kind": "tillägg", "amount": 2000.0},
        {"employment_id": "b", "month": FEB, "kind": "fast", "amount": 40000.0},
        {"employment_id": "b", "month": MAR, "kind": "fast", "amount": 40000.0},
    ]
    agency = [
        {"unit_id": "U1", "occupation": "5321", "month": JAN, "hours": 100.0, "cost": 50000.0},
        {"unit_id": "U1", "occupation": "5321", "month": FEB, "hours": 40.0, "cost": 20000.0},
        {"unit_id": "U2", "occupation": "5321", "month": FEB, "hours": 10.0, "cost": 6000.0},
        {"unit_id": "U1", "occupation": "2221", "month": MAR, "hours": 20.0, "cost": 30000.0},
    ]
    return data(
        as_of=as_of, persons=persons, employments=emps, pay_components=pay, agency_staff=agency
    )


def _row(frame: pl.DataFrame, **keys: object) -> dict[str, object]:
    hit = frame.filter(*(pl.col(k) == v for k, v in keys.items()))
    assert hit.height == 1, keys
    return hit.row(0, named=True)


def test_every_occupation_in_every_month_with_hand_computed_shares():
    result = agency_staff_monthly(hire_data(), P)
    assert result.months == (JAN, FEB, MAR)  # the data ends 2025-03-31
    occ = result.by_occupation
    assert occ.height == 2 * 3  # two occupations × three months
    # 5321 January: 100 h, 50 000 kr; own 30 000 × 1,5 = 45 000; 50 000 / 45 000 = 111,11 %
    jan = _row(occ, occupation="5321", month=JAN)
    assert (jan["agency_hours"], jan["agency_cost"]) == (100.0, 50000.0)
    assert jan["personnel_cost"] == pytest.approx(45000.0)
    assert jan["value"] == pytest.approx(100 * 50000 / 45000)
    # 5321 February: two units, 40 + 10 = 50 h, 20 000 + 6 000 = 26 000 kr;
    # own (30 000 + 2 000) × 1,5 = 48 000; 26 000 / 48 000 = 54,17 %
    feb = _row(occ, occupation="5321", month=FEB)
    assert (feb["agency_hours"], feb["agency_cost"]) == (50.0, 26000.0)
    assert feb["value"] == pytest.approx(100 * 26000 / 48000)
    # 5321 March: no agency staff (a zero, not a gap) and no own pay: no share
    mar = _row(occ, occupation="5321", month=MAR)
    assert (mar["agency_hours"], mar["agency_cost"], mar["personnel_cost"]) == (0.0, 0.0, None)
    assert mar["value"] is None
    # 2221 February: own 40 000 × 1,5 = 60 000, no agency: share 0 %
    assert _row(occ, occupation="2221", month=FEB)["value"] == pytest.approx(0.0)
    # 2221 March: 30 000 / 60 000 = 50 %
    assert _row(occ, occupation="2221", month=MAR)["value"] == pytest.approx(50.0)
    assert _row(occ, occupation="2221", month=JAN)["personnel_cost"] is None


def test_organisation_month_is_a_ratio_of_sums():
    total = agency_staff_monthly(hire_data(), P).total
    assert total["month"].to_list() == [JAN, FEB, MAR]
    # January: 50 000 / 45 000 (only 5321 has own pay) = 111,11 %
    assert _row(total, month=JAN)["value"] == pytest.approx(100 * 50000 / 45000)
    # February: cost 26 000 + 0; own 48 000 + 60 000 = 108 000 -> 24,07 %
    feb = _row(total, month=FEB)
    assert (feb["agency_hours"], feb["agency_cost"]) == (50.0, 26000.0)
    assert feb["personnel_cost"] == pytest.approx(108000.0)
    assert feb["value"] == pytest.approx(100 * 26000 / 108000)
    # March: 30 000 / 60 000 = 50 % (not the mean of 5321's empty and 2221's 50 %)
    assert _row(total, month=MAR)["value"] == pytest.approx(50.0)


def test_a_whole_year_when_the_data_reaches_december():
    result = agency_staff_monthly(hire_data(as_of=date(2025, 12, 31)), P)
    assert len(result.months) == 12 and result.months[-1] == date(2025, 12, 1)
    dec = _row(result.total, month=date(2025, 12, 1))
    assert (dec["agency_cost"], dec["personnel_cost"], dec["value"]) == (0.0, None, None)
    assert report_months(hire_data(), Params(year=2024))[-1] == date(2024, 12, 1)


def test_no_agency_rows_for_the_year():
    with pytest.raises(InsufficientData, match="inhyrd personal"):
        agency_staff_monthly(hire_data(), P.with_(year=2024))


def test_own_personnel_cost_includes_monthly_salaries_without_pay_components():
    # Issue 11 item 7: the pay file has no 'fast' rows for monthly-paid staff (as the
    # example organisation's), so the contracted salary is the fixed pay.
    persons = [person("A", 1980), person("B", 1975), person("C", 1990, "M"), person("H", 1995)]
    emps = [
        employment("a", "A", ssyk="2635", pay=36000.0, rate=100.0),
        employment("b", "B", ssyk="2635", pay=36000.0, rate=50.0),
        # Starts 17 January: 15 of January's 31 days.
        employment("c", "C", ssyk="2635", pay=31000.0, rate=100.0, start=date(2025, 1, 17)),
        employment("h", "H", ssyk="2635", pay=None, rate=0.0, form="timavlönad"),
    ]
    pay = [
        {"employment_id": "a", "month": JAN, "kind": "tillägg", "amount": 1500.0},
        {"employment_id": "b", "month": JAN, "kind": "rörlig", "amount": 500.0},
        # The hourly-paid worker's hours are paid as a 'fast' pay component.
        {"employment_id": "h", "month": JAN, "kind": "fast", "amount": 4000.0},
    ]
    agency = [{"unit_id": "U1", "occupation": "2635", "month": JAN, "hours": 60.0, "cost": 57000.0}]
    d = data(
        as_of=date(2025, 1, 31),
        persons=persons,
        employments=emps,
        pay_components=pay,
        agency_staff=agency,
    )
    jan = _row(agency_staff_monthly(d, P).by_occupation, occupation="2635", month=JAN)
    # Fixed pay: a 36 000 × 100 % = 36 000; b 36 000 × 50 % = 18 000;
    # c 31 000 × 15/31 = 15 000; h 4 000 (pay file). Supplements 1 500, variable 500.
    # Pay paid 36 000 + 18 000 + 15 000 + 4 000 + 1 500 + 500 = 75 000;
    # with overhead 50 %: 112 500. Agency 57 000 / 112 500 = 50,67 %.
    assert jan["personnel_cost"] == pytest.approx(112500.0)
    assert jan["value"] == pytest.approx(100 * 57000 / 112500)
