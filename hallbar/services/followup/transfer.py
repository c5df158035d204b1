"""Excel in and out: import an activity plan (all or nothing), export the whole plan."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import NotFound
from hallbar.followup.model import Plan
from hallbar.followup.periods import default_periods
from hallbar.ingest.followup_plan import read_plan
from hallbar.reports.followup_excel import write_plan_workbook
from hallbar.services import access
from hallbar.services.audit import Action, now, record
from hallbar.services.followup.plans import FollowupInputError, open_plan, org_units
from hallbar.services.followup.reports import report_from
from hallbar.store import followup as repo

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar


def import_plan(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    filename: str,
    content: bytes,
    *,
    name: str = "",
    committee: str = "",
    year: int | None = None,
) -> Plan:
    """A new plan from an activity plan file; ``ImportRejected`` (nothing saved) on any problem."""
    access.require_org(principal, org_id, Resource.FOLLOWUP_EDIT)
    index, _ = org_units(hb, org_id)
    rows = read_plan(filename, content, dict(index.names) if index else {})
    plan_name = name.strip() or filename.rsplit(".", 1)[0]
    if len(plan_name) > 200:
        raise FollowupInputError("Planens namn får vara högst 200 tecken.")
    first = year or rows.first_year or date.today().year
    plan = repo.save_tree(
        hb.store.engine,
        Plan(0, org_id, plan_name, committee.strip()[:200], first, "", principal.username),
        rows.nodes,
        now(),
        allocations={k: (first, v) for k, v in rows.budgets_kr.items()},
        calendar=default_periods(first),
    )
    record(
        hb,
        principal.username,
        Action.FOLLOWUP_CHANGED,
        org_id=org_id,
        target=f"plan {plan.id}",
        detail=f"importerad från {filename}: {len(rows.nodes)} rader",
    )
    return plan


def export_plan(
    hb: Hallbar, principal: Principal, org_id: str, plan_id: int, period_id: int | None = None
) -> tuple[str, bytes]:
    """(file name, workbook) of the whole plan with its statuses in the period."""
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_PLANS)
    if period_id is not None:
        period = data.period(period_id)
    elif data.periods:
        period = data.periods[-1]
    else:
        raise NotFound("Planen har inga uppföljningsperioder ännu. Lägg till en period först.")
    report = report_from(hb, principal, data, period)
    record(
        hb,
        principal.username,
        Action.EXPORT,
        org_id=org_id,
        target=f"uppföljning plan {plan_id} (Excel)",
    )
    return f"plan-{plan_id}.xlsx", write_plan_workbook(report)
