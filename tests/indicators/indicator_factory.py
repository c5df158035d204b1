"""Tiny hand-written HR datasets for the key-figure tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from hallbar.core import schema
from hallbar.core.dataset import HRData

ORG = "1280"


def frame(table: schema.Table, rows: list[dict[str, Any]]) -> pl.DataFrame:
    if not rows:
        return table.empty()
    filled = [
        {c.name: r.get(c.name, ORG if c.name == "org_id" else None) for c in table.columns}
        for r in rows
    ]
    return pl.DataFrame(filled, schema=table.polars_schema)


def person(pid: str, birth_year: int, gender: str = "K") -> dict[str, Any]:
    return {"person_id": pid, "birth_date": date(birth_year, 6, 15), "gender": gender}


def employment(
    eid: str,
    pid: str,
    *,
    unit: str = "U1",
    form: str = "tillsvidare",
    rate: float = 100.0,
    start: date = date(2015, 1, 1),
    end: date | None = None,
    pay: float | None = 30000.0,
    ssyk: str | None = "5321",
    aid: str | None = None,
    manager: bool = False,
    end_reason: str | None = None,
) -> dict[str, Any]:
    return {
        "employment_id": eid,
        "person_id": pid,
        "unit_id": unit,
        "employment_form": form,
        "rate": rate,
        "start_date": start,
        "end_date": end,
        "monthly_pay": pay,
        "ssyk": ssyk,
        "aid_code": aid,
        "is_manager": manager,
        "end_reason": end_reason,
    }


def sick(
    pid: str,
    start: date,
    end: date,
    *,
    extent: float = 100.0,
    hours: float | None = None,
    eid: str | None = None,
    cause: str = "sjuk",
) -> dict[str, Any]:
    return {
        "person_id": pid,
        "employment_id": eid,
        "cause": cause,
        "from_date": start,
        "to_date": end,
        "extent": extent,
        "hours": hours,
    }


def months(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)]


def year_schedule(eid: str, year: int, hours: float = 160.0, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"employment_id": eid, "month": m, "scheduled_hours": hours, **extra} for m in months(year)
    ]


def unit(uid: str, parent: str | None = None, manager: str | None = None) -> dict[str, Any]:
    return {
        "unit_id": uid,
        "parent_id": parent,
        "name": f"Enhet {uid}",
        "manager_person_id": manager,
    }


def data(
    *,
    as_of: date = date(2025, 12, 31),
    persons: list[dict[str, Any]] | None = None,
    employments: list[dict[str, Any]] | None = None,
    absences: list[dict[str, Any]] | None = None,
    working_time: list[dict[str, Any]] | None = None,
    units: list[dict[str, Any]] | None = None,
    pay_components: list[dict[str, Any]] | None = None,
    agency_staff: list[dict[str, Any]] | None = None,
    kind: str = "kommun",
) -> HRData:
    return HRData(
        as_of=as_of,
        organisations=frame(
            schema.ORGANISATIONS, [{"org_id": ORG, "name": "Testkommun", "kind": kind}]
        ),
        units=frame(schema.UNITS, units or [unit("U1")]),
        persons=frame(schema.PERSONS, persons or []),
        employments=frame(schema.EMPLOYMENTS, employments or []),
        absences=frame(schema.ABSENCES, absences or []),
        working_time=frame(schema.WORKING_TIME, working_time or []),
        pay_components=frame(schema.PAY_COMPONENTS, pay_components or []),
        agency_staff=frame(schema.AGENCY_STAFF, agency_staff or []),
    )


def population(
    n: int,
    *,
    prefix: str = "p",
    birth_year: int = 1980,
    gender: str = "K",
    year: int = 2025,
    hours: float = 160.0,
    unit_id: str = "U1",
    **emp: Any,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """``n`` persons, each with one employment scheduled ``hours`` every month of ``year``."""
    persons, emps, wt = [], [], []
    for i in range(n):
        pid = f"{prefix}{i}"
        persons.append(person(pid, birth_year, gender))
        emps.append(employment(f"e_{pid}", pid, unit=unit_id, **emp))
        wt.extend(year_schedule(f"e_{pid}", year, hours))
    return persons, emps, wt


def combine(
    *parts: tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"persons": [], "employments": [], "working_time": []}
    for p, e, w in parts:
        out["persons"] += p
        out["employments"] += e
        out["working_time"] += w
    return out
