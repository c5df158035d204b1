"""A small hand-made organisation for the projection web tests.

Testkommun (9999), staff on 2025-12-31 (age = 2025 − birth year), all monthly-paid,
employed since 2015 with no one leaving, so the history gives a turnover of zero:

    TOP Kommunledning        (no own staff)
    ├── A Omsorg
    │   └── A1 Hemtjänst     10 × 5321 Undersköterska, 100 %, 30 000 kr
    │                           ages: 66, 66, 65, 50, 45, 40, 35, 32, 30, 28
    └── B Skola              6 × 2341 Grundskollärare (ages 66, 50, 45, 40, 35, 30),
                             5 × 2343 Förskollärare (ages 55, 45, 40, 35, 30),
                             3 × 4119 Administratör (small: pooled and hidden)

The administrators sit in Skola, not as Kommunledning's own staff: three own staff of
the top would be a small group the key figures protect by hiding Omsorg's or Skola's
head count, and the projection shows no unit whose head count the key figures hide.

With the target pension age 67 the undersköterskor aged 66 retire in 2026
(2 persons) and the one aged 65 in 2027 (1 person).
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
]
# unit -> (ssyk, title, pay, [(gender, age)])
STAFF: dict[str, list[tuple[str, str, float, list[tuple[str, int]]]]] = {
    "A1": [
        (
            "5321",
            "Undersköterska",
            30000.0,
            [
                ("K", 66),
                ("M", 66),
                ("K", 65),
                ("K", 50),
                ("K", 45),
                ("M", 40),
                ("K", 35),
                ("K", 32),
                ("K", 30),
                ("M", 28),
            ],
        )
    ],
    "B": [
        (
            "2341",
            "Grundskollärare",
            40000.0,
            [("K", 66), ("K", 50), ("M", 45), ("K", 40), ("K", 35), ("M", 30)],
        ),
        ("2343", "Förskollärare", 36000.0, [("K", 55), ("K", 45), ("K", 40), ("K", 35), ("K", 30)]),
        ("4119", "Administratör", 32000.0, [("K", 50), ("M", 45), ("K", 40)]),
    ],
}


def build(org_id: str = "9999", name: str = "Testkommun") -> HRData:
    persons, employments = [], []
    n = 0
    for unit_id, groups in STAFF.items():
        for ssyk, title, pay, staff in groups:
            for gender, age in staff:
                n += 1
                pid = f"{org_id}-p{n:03d}"
                persons.append(person(pid, date(2025 - age, 3, 1), gender))
                employments.append(
                    employment(f"E{n:03d}", pid, unit_id, title=title, monthly_pay=pay, ssyk=ssyk)
                )
    return hrdata(AS_OF, org_id, name, units=UNITS, persons=persons, employments=employments)
