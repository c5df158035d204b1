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

import polars as pl

from hallbar.core import schema
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
    units = pl.DataFrame(
        [
            {
                "org_id": org_id,
                "unit_id": u,
                "parent_id": p,
                "name": names.get(u, n),
                "manager_person_id": None,
            }
            for u, p, n in UNITS
        ],
        schema=schema.UNITS.polars_schema,
        orient="row",
    )
    persons, employments = [], []
    n = 0
    for unit_id, staff in STAFF.items():
        for gender, year, rate in staff:
            n += 1
            pid = f"{org_id}-p{n:03d}"
            persons.append(
                {
                    "org_id": org_id,
                    "person_id": pid,
                    "birth_date": date(year, 6, 15),
                    "gender": gender,
                }
            )
            employments.append(
                {
                    "org_id": org_id,
                    "employment_id": f"E{n:03d}",
                    "person_id": pid,
                    "unit_id": unit_id,
                    "aid_code": None,
                    "ssyk": None,
                    "title": "Undersköterska" if unit_id.startswith("A") else "Lärare",
                    "employment_form": "tillsvidare",
                    "rate": rate,
                    "monthly_pay": 32000.0,
                    "start_date": date(2015, 1, 1),
                    "end_date": None,
                    "is_manager": False,
                    "end_reason": None,
                }
            )
    return HRData(
        as_of=AS_OF,
        organisations=pl.DataFrame(
            [{"org_id": org_id, "name": name, "kind": "kommun"}],
            schema=schema.ORGANISATIONS.polars_schema,
            orient="row",
        ),
        units=units,
        persons=pl.DataFrame(persons, schema=schema.PERSONS.polars_schema, orient="row"),
        employments=pl.DataFrame(
            employments, schema=schema.EMPLOYMENTS.polars_schema, orient="row"
        ),
    )
