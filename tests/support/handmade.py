"""Building blocks for the hand-made organisations of the test suites.

Each area keeps its own numbers (orgdata, paydata, projdata, figdata); these
helpers only turn plain rows into canonical frames, so that a data module holds
nothing but the data and the arithmetic behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from hallbar.core import schema
from hallbar.core.dataset import HRData

Row = Mapping[str, Any]
UnitRow = tuple[str, str | None, str]  # (unit_id, parent_id, name)


def frame(table: schema.Table, org_id: str, rows: Sequence[Row]) -> pl.DataFrame:
    """A canonical frame of ``rows``: every row belongs to ``org_id``, missing columns are null."""
    if not rows:
        return table.empty()
    filled = [{c.name: r.get(c.name) for c in table.columns} | {"org_id": org_id} for r in rows]
    return pl.DataFrame(filled, schema=table.polars_schema)


def unit(unit_id: str, parent_id: str | None, name: str) -> dict[str, Any]:
    return {"unit_id": unit_id, "parent_id": parent_id, "name": name}


def person(person_id: str, birth_date: date, gender: str) -> dict[str, Any]:
    return {"person_id": person_id, "birth_date": birth_date, "gender": gender}


def employment(
    employment_id: str,
    person_id: str,
    unit_id: str,
    *,
    title: str,
    monthly_pay: float,
    rate: float = 100.0,
    ssyk: str | None = None,
    start_date: date = date(2015, 1, 1),
    end_date: date | None = None,
) -> dict[str, Any]:
    """A permanent (tillsvidare) employment without manager responsibility."""
    return {
        "employment_id": employment_id,
        "person_id": person_id,
        "unit_id": unit_id,
        "ssyk": ssyk,
        "title": title,
        "employment_form": "tillsvidare",
        "rate": rate,
        "monthly_pay": monthly_pay,
        "start_date": start_date,
        "end_date": end_date,
        "is_manager": False,
    }


def hrdata(
    as_of: date,
    org_id: str,
    name: str,
    *,
    units: Iterable[UnitRow],
    persons: Sequence[Row],
    employments: Sequence[Row],
    **tables: Sequence[Row],
) -> HRData:
    """One municipality (kommun) with its unit tree, staff and any further tables by name."""
    frames = {
        "organisations": frame(schema.ORGANISATIONS, org_id, [{"name": name, "kind": "kommun"}]),
        "units": frame(schema.UNITS, org_id, [unit(*u) for u in units]),
        "persons": frame(schema.PERSONS, org_id, persons),
        "employments": frame(schema.EMPLOYMENTS, org_id, employments),
    }
    for table_name, rows in tables.items():
        frames[table_name] = frame(schema.TABLES_BY_NAME[table_name], org_id, rows)
    return HRData(as_of=as_of, **frames)
