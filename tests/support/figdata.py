"""A small hand-made organisation for the key-figure tests (web and CLI, hence kept in
tests/support); every expected value in the tests is worked out by hand from the numbers below.

Testkommun (9999), data per 2025-12-31 (age = 2025 − birth year), everyone
permanent and monthly-paid since 2015, 100 scheduled hours in every month of
2023–2025 (1 200 hours a year):

    TOP Kommunledning
    ├── A Omsorg
    │   └── A1 Hemtjänst   11 women, SSYK 5321 Undersköterska, 30 000 kr
    │                      ages W01..W11: 29, 30, 40, 25, 26, 27, 35, 45, 50, 55, 60
    │                      W11 works 75 %, everyone else 100 %
    ├── B Skola            10 men, SSYK 2341 Grundskollärare, 40 000 kr
    │                      ages M01..M10: 49, 20, 21, 22, 23, 24, 28, 27, 33, 50
    └── C Tom enhet        no staff

Sick leave in 2025 (hours given on each row):

    W01  2025-03-01 – 2025-04-29   60 days  120 h   (long-term: exactly 60 days)
    W02  2025-06-01 – 2025-07-29   59 days   60 h   (not long-term: 59 days)
    W03  six one-day spells (Feb 3, Mar 3, Apr 7, May 5, Jun 9, Sep 1), 5 h each = 30 h
    M01  2025-09-01 – 2025-09-10   10 days   30 h

Age bands: ≤29 = W01, W04, W05, W06 + M02..M08 = 11 persons (shown);
30–49 = W02, W03, W07, W08 + M01, M09 = 6; ≥50 = W09, W10, W11 + M10 = 4 (both hidden).
Women 11 (shown: more than ten), men 10 (hidden: ten or fewer).

Variants: ``build(working_time=False)`` has no working-time file;
``build(ended=date)`` ends every employment on that date (no November staff).
"""

from __future__ import annotations

from datetime import date

from handmade import employment, hrdata, person

from hallbar.core.dataset import HRData

AS_OF = date(2025, 12, 31)
UNITS = [
    ("TOP", None, "Kommunledning"),
    ("A", "TOP", "Omsorg"),
    ("A1", "A", "Hemtjänst"),
    ("B", "TOP", "Skola"),
    ("C", "TOP", "Tom enhet"),
]
WOMEN_AGES = [29, 30, 40, 25, 26, 27, 35, 45, 50, 55, 60]
MEN_AGES = [49, 20, 21, 22, 23, 24, 28, 27, 33, 50]
SICK = [
    # person, from, to, hours
    ("W01", date(2025, 3, 1), date(2025, 4, 29), 120.0),
    ("W02", date(2025, 6, 1), date(2025, 7, 29), 60.0),
    *[
        ("W03", d, d, 5.0)
        for d in (
            date(2025, 2, 3),
            date(2025, 3, 3),
            date(2025, 4, 7),
            date(2025, 5, 5),
            date(2025, 6, 9),
            date(2025, 9, 1),
        )
    ],
    ("M01", date(2025, 9, 1), date(2025, 9, 10), 30.0),
]


def _staff() -> list[tuple[str, str, int, str, str, str, float, float]]:
    """(person, gender, age, unit, ssyk, title, pay, rate)."""
    out = []
    for i, age in enumerate(WOMEN_AGES, start=1):
        rate = 75.0 if i == 11 else 100.0
        out.append((f"W{i:02d}", "K", age, "A1", "5321", "Undersköterska", 30000.0, rate))
    for i, age in enumerate(MEN_AGES, start=1):
        out.append((f"M{i:02d}", "M", age, "B", "2341", "Grundskollärare", 40000.0, 100.0))
    return out


def build(
    org_id: str = "9999",
    name: str = "Testkommun",
    *,
    working_time: bool = True,
    ended: date | None = None,
) -> HRData:
    persons, employments, hours = [], [], []
    for pid, gender, age, unit, ssyk, title, pay, rate in _staff():
        persons.append(person(pid, date(2025 - age, 3, 1), gender))
        employments.append(
            employment(
                f"E{pid}",
                pid,
                unit,
                title=title,
                monthly_pay=pay,
                rate=rate,
                ssyk=ssyk,
                end_date=ended,
            )
        )
        for year in (2023, 2024, 2025):
            for month in range(1, 13):
                hours.append(
                    {
                        "employment_id": f"E{pid}",
                        "month": date(year, month, 1),
                        "scheduled_hours": 100.0,
                        "overtime_hours": 0.0,
                        "additional_hours": 0.0,
                        "unsocial_hours": 0.0,
                        "split_shifts": 0,
                    }
                )
    absences = [
        {
            "person_id": pid,
            "employment_id": f"E{pid}",
            "cause": "sjuk",
            "from_date": start,
            "to_date": end,
            "extent": 100.0,
            "hours": h,
        }
        for pid, start, end, h in SICK
    ]
    return hrdata(
        AS_OF,
        org_id,
        name,
        units=UNITS,
        persons=persons,
        employments=employments,
        absences=absences,
        working_time=hours if working_time else [],
    )
