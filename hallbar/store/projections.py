"""Queries for the projection's saved rows: scenarios, plan activities, the population forecast.

``ScenarioExists`` is the one database error a caller can act on (two saves of
the same name at the same moment); every other failure is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallbar.store.store import Store
from hallbar.store.tables_projection import (
    ProjectionActivity,
    ProjectionPopulation,
    ProjectionScenario,
)


class ScenarioExists(Exception):
    """Another scenario of the organisation took the name first."""


@dataclass(frozen=True)
class ScenarioRecord:
    id: int
    org_id: str
    name: str
    description: str
    params_json: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    import_id: int | None  # the snapshot the scenario was saved from (None: the active one)


@dataclass(frozen=True)
class ActivityRecord:
    id: int
    occupation: str
    text: str
    responsible: str
    timeframe: str
    created_by: str


@dataclass(frozen=True)
class PopulationRecord:
    filename: str
    content: bytes
    summary: str
    uploaded_by: str
    uploaded_at: datetime


def _scenario(r: ProjectionScenario) -> ScenarioRecord:
    return ScenarioRecord(
        r.id,
        r.org_id,
        r.name,
        r.description,
        r.params_json,
        r.created_by,
        r.created_at,
        r.updated_at,
        r.import_id,
    )


# --- scenarios --------------------------------------------------------------------


def scenarios(store: Store, org_id: str) -> list[ScenarioRecord]:
    q = (
        select(ProjectionScenario)
        .where(ProjectionScenario.org_id == org_id)
        .order_by(ProjectionScenario.name)
    )
    with Session(store.engine) as s:
        return [_scenario(r) for r in s.scalars(q)]


def scenario(store: Store, org_id: str, scenario_id: int) -> ScenarioRecord | None:
    """The organisation's scenario, or None (also when the id belongs to another organisation)."""
    with Session(store.engine) as s:
        row = s.get(ProjectionScenario, scenario_id)
        return None if row is None or row.org_id != org_id else _scenario(row)


def save_scenario(
    store: Store,
    org_id: str,
    name: str,
    *,
    description: str,
    params_json: str,
    by: str,
    at: datetime,
    import_id: int | None = None,
) -> int:
    """Insert, or replace the one of the same name; its id. ``ScenarioExists`` on a race.

    ``import_id`` is the snapshot the scenario was made from; a replaced scenario
    moves to the snapshot it is saved from now.
    """
    try:
        with Session(store.engine) as s, s.begin():
            row = s.scalars(
                select(ProjectionScenario).where(
                    ProjectionScenario.org_id == org_id, ProjectionScenario.name == name
                )
            ).first()
            if row is None:
                row = ProjectionScenario(org_id=org_id, name=name, created_by=by, created_at=at)
                s.add(row)
            row.description = description
            row.params_json = params_json
            row.import_id = import_id
            row.updated_at = at
            s.flush()
            return row.id
    except IntegrityError as err:
        raise ScenarioExists(name) from err


def delete_scenario(store: Store, org_id: str, scenario_id: int) -> bool:
    """Delete the organisation's scenario; False when it has none with that id."""
    return _delete(store, ProjectionScenario, org_id, scenario_id)


# --- plan activities --------------------------------------------------------------


def activities(store: Store, org_id: str) -> list[ActivityRecord]:
    q = (
        select(ProjectionActivity)
        .where(ProjectionActivity.org_id == org_id)
        .order_by(ProjectionActivity.occupation, ProjectionActivity.id)
    )
    with Session(store.engine) as s:
        return [
            ActivityRecord(r.id, r.occupation, r.text, r.responsible, r.timeframe, r.created_by)
            for r in s.scalars(q)
        ]


def add_activity(
    store: Store,
    org_id: str,
    *,
    occupation: str,
    text: str,
    responsible: str,
    timeframe: str,
    by: str,
    at: datetime,
) -> ActivityRecord:
    with Session(store.engine) as s, s.begin():
        row = ProjectionActivity(
            org_id=org_id,
            occupation=occupation,
            text=text,
            responsible=responsible,
            timeframe=timeframe,
            created_by=by,
            created_at=at,
        )
        s.add(row)
        s.flush()
        return ActivityRecord(row.id, occupation, text, responsible, timeframe, by)


def delete_activity(store: Store, org_id: str, activity_id: int) -> bool:
    """Delete the organisation's activity; False when it has none with that id."""
    return _delete(store, ProjectionActivity, org_id, activity_id)


_Row = TypeVar("_Row", ProjectionScenario, ProjectionActivity)


def _delete(store: Store, table: type[_Row], org_id: str, row_id: int) -> bool:
    with Session(store.engine) as s, s.begin():
        row = s.get(table, row_id)
        if row is None or row.org_id != org_id:
            return False
        s.delete(row)
        return True


# --- the population forecast ------------------------------------------------------


def population(store: Store, org_id: str) -> PopulationRecord | None:
    with Session(store.engine) as s:
        row = s.get(ProjectionPopulation, org_id)
        if row is None:
            return None
        return PopulationRecord(
            row.filename, row.content, row.summary, row.uploaded_by, row.uploaded_at
        )


def save_population(
    store: Store, org_id: str, *, filename: str, content: bytes, summary: str, by: str, at: datetime
) -> None:
    """Store the forecast file, replacing any earlier one."""
    with Session(store.engine) as s, s.begin():
        row = s.get(ProjectionPopulation, org_id)
        if row is None:
            row = ProjectionPopulation(org_id=org_id)
            s.add(row)
        row.filename, row.content, row.summary = filename, content, summary
        row.uploaded_by, row.uploaded_at = by, at


def delete_population(store: Store, org_id: str) -> None:
    with Session(store.engine) as s, s.begin():
        row = s.get(ProjectionPopulation, org_id)
        if row is not None:
            s.delete(row)
