"""A small hand-made organisation for the web tests (counts chosen so some groups are small).

Tree of Testkommun (9999):

    TOP Kommunledning            1 person directly
    ├── A Förvaltning A          2 directly
    │   ├── A1 Hemtjänst Norr    12 (8 K, 4 M)
    │   └── A2 Hemtjänst Syd     3  (small group)
    └── B Förvaltning B          6 directly
        └── B1 Skola Väst        8

Headcount of A = 2 + 12 + 3 = 17, of TOP = 1 + 17 + 6 + 8 = 32.
"""

from __future__ import annotations

from datetime import date

from handmade import employment, hrdata, person

from hallbar.core.dataset import HRData

AS_OF = date(2025, 11, 1)
UNITS = [
    ("TOP", None, "Kommunledning"),
    ("A", "TOP", "Förvaltning A"),
    ("A1", "A", "Hemtjänst Norr"),
    ("A2", "A", "Hemtjänst Syd"),
    ("B", "TOP", "Förvaltning B"),
    ("B1", "B", "Skola Väst"),
]
# unit -> list of (gender, birth year, rate)
STAFF: dict[str, list[tuple[str, int, float]]] = {
    "TOP": [("K", 1970, 100.0)],
    "A": [("K", 1980, 100.0), ("M", 1975, 100.0)],
    "A1": [("K", 1990 + i, 75.0) for i in range(8)] + [("M", 1960 + i, 100.0) for i in range(4)],
    "A2": [("K", 1985, 100.0), ("K", 1986, 50.0), ("M", 1999, 100.0)],
    "B": [("K", 1970 + i, 100.0) for i in range(3)] + [("M", 1971 + i, 100.0) for i in range(3)],
    "B1": [("K", 1965 + i, 100.0) for i in range(5)] + [("M", 1992 + i, 80.0) for i in range(3)],
}


def build(
    org_id: str = "9999", name: str = "Testkommun", unit_names: dict[str, str] | None = None
) -> HRData:
    names = unit_names or {}
    persons, employments = [], []
    n = 0
    for unit_id, staff in STAFF.items():
        for gender, year, rate in staff:
            n += 1
            pid = f"{org_id}-p{n:03d}"
            persons.append(person(pid, date(year, 6, 15), gender))
            employments.append(
                employment(
                    f"E{n:03d}",
                    pid,
                    unit_id,
                    title="Undersköterska" if unit_id.startswith("A") else "Lärare",
                    rate=rate,
                    monthly_pay=32000.0,
                )
            )
    return hrdata(
        AS_OF,
        org_id,
        name,
        units=[(u, parent, names.get(u, label)) for u, parent, label in UNITS],
        persons=persons,
        employments=employments,
    )
