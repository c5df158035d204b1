"""Field selections for the JSON twins whose shape differs from the service's record.

Every ``/api/`` answer goes through the one envelope (``hallbar.services.twin``,
``hallbar.web.rendering.twin``): a service's dataclass is serialised as it is.
The models here only pick or rename fields where the record holds more than the
answer may show (the principal, an import without the organisation's name) or
where a table is shown in the organisation page's older table shape.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from hallbar.core.access import ROLE_LABELS_SV, Principal
from hallbar.core.describe import Description, FigureTable
from hallbar.services.org import tree


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
    return DescriptionOut.model_validate(d, from_attributes=True)


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


class UnitOverviewOut(BaseModel):
    org_id: str
    org_name: str
    as_of: date
    unit_id: str
    unit_name: str
    breadcrumbs: list[tree.Crumb]
    headcount: int | None
    fte: float | None
    sub_units: FigureTableOut
    age_gender: FigureTableOut
    descriptions: list[DescriptionOut]
    may_list_staff: bool
    notes_sv: list[str]


def overview_out(o: tree.UnitOverview) -> UnitOverviewOut:
    return UnitOverviewOut(
        **{
            **vars(o),
            "sub_units": table_out(o.sub_units),
            "age_gender": table_out(o.age_gender),
            "descriptions": [description_out(d) for d in (tree.HEADCOUNT, tree.FTE)],
        }
    )


class ImportOut(BaseModel):
    """An import as ``uploads.import_history`` lists it, without the organisation's name."""

    id: int
    org_id: str
    as_of: date
    created_at: datetime
    created_by: str
    profile: str
    files: dict[str, str]
    row_counts: dict[str, int]
    status: str


class SharingOut(BaseModel):
    org_id: str
    agreed_at: datetime
    recorded_by: str
