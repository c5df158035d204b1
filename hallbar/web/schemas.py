"""JSON shapes of the API twins (documented in the OpenAPI schema) and converters."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from hallbar.core.access import ROLE_LABELS_SV, Principal
from hallbar.core.describe import Description, FigureTable
from hallbar.services import orgtree


class MeOut(BaseModel):
    username: str
    role: str
    role_label: str
    org_ids: list[str]
    unit_ids: list[str]


def me_out(p: Principal) -> MeOut:
    return MeOut(
        username=p.username,
        role=p.role.value,
        role_label=ROLE_LABELS_SV[p.role],
        org_ids=sorted(p.org_ids),
        unit_ids=sorted(p.unit_ids),
    )


class OrgOut(BaseModel):
    org_id: str
    name: str
    kind: str
    as_of: date | None
    import_count: int


class DescriptionOut(BaseModel):
    id: str
    name_sv: str
    definition_sv: str
    population_sv: str
    unit: str
    source: str
    min_group_size: int


class FigureTableOut(BaseModel):
    id: str
    title_sv: str
    columns: list[str]
    rows: list[dict[str, Any]] = Field(description="Dolda värden (små grupper) är null.")
    descriptions: list[DescriptionOut]
    notes_sv: list[str]


def description_out(d: Description) -> DescriptionOut:
    return DescriptionOut(
        id=d.id,
        name_sv=d.name_sv,
        definition_sv=d.definition_sv,
        population_sv=d.population_sv,
        unit=d.unit,
        source=d.source,
        min_group_size=d.min_group_size,
    )


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def table_out(t: FigureTable) -> FigureTableOut:
    return FigureTableOut(
        id=t.id,
        title_sv=t.title_sv,
        columns=list(t.frame.columns),
        rows=[{k: _clean(v) for k, v in r.items()} for r in t.frame.iter_rows(named=True)],
        descriptions=[description_out(d) for d in t.descriptions],
        notes_sv=list(t.notes_sv),
    )


class TreeNodeOut(BaseModel):
    unit_id: str
    name: str
    has_children: bool
    headcount: int | None


class TreeLevelOut(BaseModel):
    org_id: str
    parent_id: str | None
    nodes: list[TreeNodeOut]
    min_group_size: int


def tree_out(level: orgtree.TreeLevel) -> TreeLevelOut:
    return TreeLevelOut(
        org_id=level.org_id,
        parent_id=level.parent_id,
        nodes=[TreeNodeOut(**vars(n)) for n in level.nodes],
        min_group_size=level.min_group_size,
    )


class CrumbOut(BaseModel):
    unit_id: str
    name: str


class UnitOverviewOut(BaseModel):
    org_id: str
    org_name: str
    as_of: date
    unit_id: str
    unit_name: str
    breadcrumbs: list[CrumbOut]
    headcount: int | None
    fte: float | None
    sub_units: FigureTableOut
    age_gender: FigureTableOut
    descriptions: list[DescriptionOut]
    may_list_staff: bool
    notes_sv: list[str]


def overview_out(o: orgtree.UnitOverview) -> UnitOverviewOut:
    return UnitOverviewOut(
        org_id=o.org_id,
        org_name=o.org_name,
        as_of=o.as_of,
        unit_id=o.unit_id,
        unit_name=o.unit_name,
        breadcrumbs=[CrumbOut(unit_id=c.unit_id, name=c.name) for c in o.breadcrumbs],
        headcount=o.headcount,
        fte=o.fte,
        sub_units=table_out(o.sub_units),
        age_gender=table_out(o.age_gender),
        descriptions=[description_out(d) for d in (orgtree.HEADCOUNT, orgtree.FTE)],
        may_list_staff=o.may_list_staff,
        notes_sv=list(o.notes_sv),
    )


class StaffRowOut(BaseModel):
    employment_id: str
    title: str | None
    employment_form: str
    rate: float
    start_date: date
    end_date: date | None
    gender: str
    age: int


class StaffListOut(BaseModel):
    org_id: str
    unit_id: str
    unit_name: str
    as_of: date
    rows: list[StaffRowOut]


def staff_out(s: orgtree.StaffList) -> StaffListOut:
    return StaffListOut(
        org_id=s.org_id,
        unit_id=s.unit_id,
        unit_name=s.unit_name,
        as_of=s.as_of,
        rows=[StaffRowOut(**vars(r)) for r in s.rows],
    )


class ImportOut(BaseModel):
    id: int
    org_id: str
    as_of: date
    created_at: datetime
    created_by: str
    profile: str
    files: dict[str, str]
    row_counts: dict[str, int]
    status: str


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    org_ids: list[str]
    unit_ids: list[str]
    created_at: datetime


class AuditOut(BaseModel):
    id: int
    at: datetime
    username: str
    action: str
    org_id: str | None
    target: str
    detail: str
    client: str


class SharingOut(BaseModel):
    org_id: str
    agreed_at: datetime
    recorded_by: str


class SettingOut(BaseModel):
    name: str
    env_var: str
    value: str
    description: str
