"""A small hand-made organisation for the pay-survey web tests (pay chosen for hand arithmetic).

Testkommun (9999), as of 2025-11-01:

    TOP Kommunledning
    ├── A Omsorg     Undersköterska: women 30 000, 31 000, 32 000, 33 000, 34 000
    │                                men   33 000, 34 000, 35 000, 36 000, 37 000
    └── B Skola      Lärare: women 40 000, 42 000; men 41 000 × 6  (2 women: small group)
                     Ingenjör: men 45 000 × 5 (one gender only)

Undersköterska: mean women 32 000, mean men 35 000, difference 3 000 kr,
women's pay 32 000 / 35 000 = 91,43 % of men's.
"""

from __future__ import annotations

from datetime import date

from handmade import employment, hrdata, person

from hallbar.core.dataset import HRData

AS_OF = date(2025, 11, 1)
UNITS = [("TOP", None, "Kommunledning"), ("A", "TOP", "Omsorg"), ("B", "TOP", "Skola")]
# (unit, title, gender, birth year, monthly pay)
STAFF: list[tuple[str, str, str, int, float]] = (
    [("A", "Undersköterska", "K", 1970 + 5 * i, 30000.0 + 1000 * i) for i in range(5)]
    + [("A", "Undersköterska", "M", 1968 + 5 * i, 33000.0 + 1000 * i) for i in range(5)]
    + [("B", "Lärare", "K", 1975, 40000.0), ("B", "Lärare", "K", 1980, 42000.0)]
    + [("B", "Lärare", "M", 1970 + 3 * i, 41000.0) for i in range(6)]
    + [("B", "Ingenjör", "M", 1972 + 2 * i, 45000.0) for i in range(5)]
)


def build(org_id: str = "9999", name: str = "Testkommun") -> HRData:
    persons, employments = [], []
    for n, (unit, title, gender, year, pay) in enumerate(STAFF, start=1):
        pid = f"{org_id}-p{n:03d}"
        persons.append(person(pid, date(year, 6, 15), gender))
        employments.append(
            employment(
                f"E{n:03d}",
                pid,
                unit,
                title=title,
                monthly_pay=pay,
                start_date=date(2010 + n % 10, 1, 1),
            )
        )
    return hrdata(AS_OF, org_id, name, units=UNITS, persons=persons, employments=employments)
