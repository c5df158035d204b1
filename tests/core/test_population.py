"""The named populations count by hand-made rules (docs: hallbar/core/population.py)."""

from __future__ import annotations

from datetime import date

import pytest
from handmade import employment, hrdata, person

from hallbar.core.population import (
    EMPLOYED,
    MONTHLY_PAID,
    ORDINARY_HOURS,
    PERMANENT,
    POPULATIONS,
)

NOV1 = date(2025, 11, 1)


def _org():
    # p1: two permanent employments on 1 Nov (counted once).
    # p2: fixed-term on 1 Nov.  p3: hourly-paid only.  p4: permanent, ended 2025-10-31.
    # p5: permanent, starts 2025-11-02 (not yet employed on 1 Nov).
    emps = [
        employment("e1", "p1", "U", title="A", monthly_pay=30000),
        employment("e2", "p1", "U", title="A", monthly_pay=10000, rate=25.0),
        employment("e3", "p2", "U", title="B", monthly_pay=28000) | {"employment_form": "visstid"},
        employment("e4", "p3", "U", title="C", monthly_pay=0) | {"employment_form": "timavlönad"},
        employment("e5", "p4", "U", title="D", monthly_pay=30000, end_date=date(2025, 10, 31)),
        employment("e6", "p5", "U", title="E", monthly_pay=30000, start_date=date(2025, 11, 2)),
    ]
    people = [person(p, date(1980, 1, 1), "K") for p in ("p1", "p2", "p3", "p4", "p5")]
    # Ordinary hours in 2025: e1 (p1), e5 (p4, before it ended); e4 hourly has 0 scheduled
    # hours; e3 has hours only in 2024. So 2025 counts p1 and p4: 2 persons.
    wt = [
        {"employment_id": "e1", "month": date(2025, 3, 1), "scheduled_hours": 160.0},
        {"employment_id": "e1", "month": date(2025, 4, 1), "scheduled_hours": 160.0},
        {"employment_id": "e5", "month": date(2025, 5, 1), "scheduled_hours": 80.0},
        {"employment_id": "e4", "month": date(2025, 5, 1), "scheduled_hours": 0.0},
        {"employment_id": "e3", "month": date(2024, 12, 1), "scheduled_hours": 160.0},
    ]
    return hrdata(
        date(2025, 12, 31),
        "9999",
        "Test",
        units=[("U", None, "Enheten")],
        persons=people,
        employments=emps,
        working_time=wt,
    )


def test_date_populations_count_each_person_once():
    data = _org()
    # On 1 Nov: p1 (twice, once), p2 (visstid), p3 (hourly) are active; p4 ended, p5 not begun.
    assert EMPLOYED.count(data, NOV1).n == 3
    assert MONTHLY_PAID.count(data, NOV1).n == 2  # p1, p2
    assert PERMANENT.count(data, NOV1).n == 1  # p1
    assert EMPLOYED.count(data, date(2025, 11, 2)).n == 4  # p1, p2, p3 and now p5; p4 out


def test_year_population_counts_ordinary_hours():
    data = _org()
    assert ORDINARY_HOURS.count(data, 2025).n == 2  # p1 and p4
    assert ORDINARY_HOURS.count(data, 2024).n == 1  # p2
    with pytest.raises(ValueError):
        ORDINARY_HOURS.employments(data, NOV1)


def test_count_says_whom_and_when():
    count = MONTHLY_PAID.count(_org(), NOV1)
    assert count.caption_sv() == "2 månadsavlönade anställda 2025-11-01"
    assert count.as_json() == {
        "population": "monthly_paid",
        "population_sv": "månadsavlönade anställda",
        "reference": "2025-11-01",
        "n": 2,
    }
    assert (
        ORDINARY_HOURS.count(_org(), 2025).caption_sv("2") == "2 med ordinarie arbetstid under 2025"
    )
    assert set(POPULATIONS) == {p.id for p in (EMPLOYED, MONTHLY_PAID, PERMANENT, ORDINARY_HOURS)}
