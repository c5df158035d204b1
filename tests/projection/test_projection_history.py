"""Starting stock and leaving rates from HRData, checked against counts done by hand."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from hallbar.core import schema
from hallbar.core.dataset import HRData
from hallbar.projection import history_rates_from_hrdata
from hallbar.services.projection.inputs import stock_at

_EMP = [
    # person, employment, occupation, form, rate, start, end, reason
    ("p1", "e1", "X", "tillsvidare", 100.0, date(2015, 1, 1), None, None),
    ("p2", "e2", "X", "tillsvidare", 80.0, date(2010, 1, 1), date(2023, 6, 30), "pension"),
    ("p3", "e3", "X", "visstid", 100.0, date(2020, 1, 1), date(2023, 3, 31), "egen begäran"),
    ("p4", "e4", "X", "tillsvidare", 75.0, date(2023, 5, 1), None, None),
    (
        "p5",
        "e5",
        "X",
        "tillsvidare",
        100.0,
        date(2012, 1, 1),
        date(2023, 8, 31),
        "intern förflyttning",
    ),
    ("p5", "e6", "Y", "tillsvidare", 100.0, date(2023, 9, 1), None, None),
    ("p6", "e7", "X", "timavlönad", 0.0 + 1, date(2022, 1, 1), None, None),
]
_BIRTH = {"p1": 1990, "p2": 1960, "p3": 1995, "p4": 1985, "p5": 1980, "p6": 2000}


def _data() -> HRData:
    emp = pl.DataFrame(
        [
            {
                "org_id": "9999",
                "employment_id": e,
                "person_id": p,
                "unit_id": "U1",
                "ssyk": occ,
                "employment_form": form,
                "rate": rate,
                "monthly_pay": 30_000.0,
                "start_date": start,
                "end_date": end,
                "is_manager": False,
                "end_reason": reason,
            }
            for p, e, occ, form, rate, start, end, reason in _EMP
        ],
        schema_overrides={"end_date": pl.Date, "end_reason": pl.String},
    )
    persons = pl.DataFrame(
        {
            "org_id": ["9999"] * len(_BIRTH),
            "person_id": list(_BIRTH),
            "birth_date": [date(y, 6, 1) for y in _BIRTH.values()],
            "gender": ["K", "M", "K", "K", "M", "K"],
        }
    )
    return HRData(as_of=date(2024, 1, 31), employments=emp, persons=persons).conformed()


def test_stock_counts_monthly_paid_persons_at_the_date() -> None:
    st = stock_at(_data(), date(2023, 6, 1), "ssyk").sort("age")
    # Active 2023-06-01, monthly-paid: p3 ended in March, p6 is hourly-paid.
    # p1 33, p4 38, p5 43, p2 63 (age = 2023 − birth year).
    assert st["age"].to_list() == [33, 38, 43, 63]
    assert st["occupation"].to_list() == ["X", "X", "X", "X"]
    assert schema.EMPLOYMENTS.name == "employments"


def test_turnover_exposure_retirement_and_recruits_by_hand() -> None:
    rates = history_rates_from_hrdata(
        _data(), [2023], min_exposure=0.0, min_retirement_exposure=1.0
    )
    basis = {
        (o, b): (e, n)
        for o, b, e, n in rates.basis.select(
            "occupation", "band_from", "exposure", "leavers"
        ).iter_rows()
    }  # type: ignore[union-attr]
    # 1 Jan 2023 (weight ½): X: p1 33, p2 63, p3 28, p5 43. 31 Dec (½): X: p1 33, p4 38; Y: p5 43.
    assert basis[("X", 30)] == (1.5, 0.0)  # p1 twice, p4 once
    assert basis[("X", 0)] == (0.5, 1.0)  # p3 left on own request
    assert basis[("X", 40)] == (0.5, 0.0)  # p5 moved internally: not a leaver
    assert basis[("X", 60)] == (0.5, 0.0)  # p2 retired: not turnover
    assert basis[("Y", 40)] == (0.5, 0.0)
    # Overall: 1 leaver / 3.5 person-years.
    assert rates.overall_turnover == pytest.approx(1 / 3.5)
    # Retirement at 63: 1 of 1 employed on 1 January.
    assert rates.retirement.filter(pl.col("age") == 63)["rate"].to_list() == [1.0]
    # Recruits 2023: only p4 (first employment in 2023), a woman of 38.
    assert rates.recruit_profile.rows() == [("K", 38, 1.0)]


def test_thin_occupations_fall_back_with_a_notice() -> None:
    rates = history_rates_from_hrdata(_data(), [2023], min_exposure=1.0)
    # Only X band 30 (1.5 person-years) has its own rate (0 / 1.5 = 0).
    own = rates.turnover.filter(pl.col("occupation").is_not_null())
    assert own.rows() == [("X", 30, 0.0)]
    assert any("X" in n for n in rates.notices) and any("Y" in n for n in rates.notices)
