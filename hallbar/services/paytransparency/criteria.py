"""Article 6: pay-setting and progression criteria per job family, versioned.

HR writes a new version; old versions stay so one can show which criteria
applied when. Representatives see them as part of the method.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import NotFound
from hallbar.paytransparency import Criterion, parse_criteria
from hallbar.services import scope
from hallbar.services.access import require_org
from hallbar.services.paytransparency.common import (
    Actions,
    now,
    org_name,
    parse_date,
    record,
    required,
)
from hallbar.store import paytransparency

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar


@dataclass(frozen=True)
class CriteriaVersion:
    id: int
    job_family: str
    version: int
    valid_from: date
    criteria: tuple[Criterion, ...]
    created_by: str
    current: bool


def _version(row: paytransparency.CriteriaRow, current: bool) -> CriteriaVersion:
    items = tuple(Criterion(c["name"], c["description"]) for c in json.loads(row.criteria_json))
    return CriteriaVersion(
        row.id, row.job_family, row.version, row.valid_from, items, row.created_by, current
    )


def list_criteria(hb: Hallbar, principal: Principal, org_id: str) -> list[CriteriaVersion]:
    """Every version, per job family newest first (the first of each family is current)."""
    require_org(principal, org_id, Resource.PT_METHOD)
    out: list[CriteriaVersion] = []
    seen: set[str] = set()
    for row in paytransparency.list_criteria(hb.store.engine, org_id):
        out.append(_version(row, row.job_family not in seen))
        seen.add(row.job_family)
    record(hb, principal, Actions.VIEW, org_id, "lönekriterier", "kriterier visade")
    return out


def get_version(
    hb: Hallbar, principal: Principal, org_id: str, criteria_id: int
) -> tuple[str, CriteriaVersion]:
    """(organisation name, version) for the printable document."""
    data = scope.load(hb, principal, org_id, Resource.PT_METHOD)
    row = paytransparency.get_criteria(hb.store.engine, org_id, criteria_id)
    if row is None:
        raise NotFound("Kriterieversionen finns inte. Välj en version i listan.")
    record(hb, principal, Actions.VIEW, org_id, f"lönekriterier/{criteria_id}", "dokument")
    return org_name(data, org_id), _version(row, False)


def save_criteria(
    hb: Hallbar, principal: Principal, org_id: str, *, job_family: str, text: str, valid_from: str
) -> CriteriaVersion:
    require_org(principal, org_id, Resource.PT_WORKFLOWS)
    family = required(job_family, "yrkesfamilj", "Vård och omsorg")
    criteria = parse_criteria(text)
    row = paytransparency.add_criteria_version(
        hb.store.engine,
        org_id=org_id,
        job_family=family,
        criteria_json=json.dumps(
            [{"name": c.name, "description": c.description} for c in criteria], ensure_ascii=False
        ),
        valid_from=parse_date(valid_from, "Gäller från"),
        created_by=principal.username,
        at=now(),
    )
    record(hb, principal, Actions.CHANGE, org_id, f"lönekriterier/{row.id}", "ny version")
    return _version(row, True)
