"""Excel in and out: import an activity plan (all or nothing), export the whole plan."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import ImportRejected, NotFound, Problem
from hallbar.followup.model import Plan
from hallbar.followup.periods import Entry, default_periods
from hallbar.ingest.followup_plan import read_outcomes, read_plan
from hallbar.reports.followup_excel import write_plan_workbook
from hallbar.services.audit import Action, now, record
from hallbar.services.followup.plans import FollowupInputError, open_org, open_plan, statuses_in
from hallbar.services.followup.reports import view_from
from hallbar.store import followup

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
    scope = open_org(hb, principal, org_id, Resource.FOLLOWUP_EDIT)
    rows = read_plan(filename, content, scope.index.names)
    plan_name = name.strip() or filename.rsplit(".", 1)[0]
    if len(plan_name) > 200:
        raise FollowupInputError("Planens namn får vara högst 200 tecken.")
    first = year or rows.first_year or date.today().year
    plan = followup.save_tree(
        hb.store,
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
    report = view_from(hb, principal, data, period).report
    record(
        hb,
        principal.username,
        Action.EXPORT,
        org_id=org_id,
        target=f"uppföljning plan {plan_id} (Excel)",
    )
    return f"plan-{plan_id}.xlsx", write_plan_workbook(report)


def import_outcomes(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    period_id: int,
    filename: str,
    content: bytes,
) -> int:
    """Budget outcome (and forecast) per row for a period from a file; all or nothing.

    Each row becomes a follow-up that keeps the row's current status, so the history
    says when the outcome was read in and by whom. Returns the number of rows.
    """
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    period = data.period(period_id)
    rows = read_outcomes(filename, content)
    by_title: dict[str, list[int]] = {}
    for n in data.nodes:
        by_title.setdefault(n.title.casefold(), []).append(n.id)
    problems = []
    for r in rows:
        found = by_title.get(r.title.casefold(), [])
        if not found:
            problems.append(
                Problem(
                    filename,
                    r.row,
                    "rubrik",
                    f"Raden '{r.title}' finns inte i planen. Skriv rubriken precis som i planen.",
                )
            )
        elif len(found) > 1:
            problems.append(
                Problem(
                    filename,
                    r.row,
                    "rubrik",
                    f"Flera rader i planen heter '{r.title}'. Ge raderna olika rubriker först.",
                )
            )
    if problems:
        raise ImportRejected(problems)
    statuses = statuses_in(data, period)
    at = now()
    year = period.end.year
    entries = []
    forecasts = []
    for r in rows:
        node_id = by_title[r.title.casefold()][0]
        status = statuses.get(node_id, data.node(node_id).status)
        entries.append(
            Entry(
                0,
                node_id,
                period.id,
                status,
                f"Utfall inläst från {filename}.",
                principal.username,
                at,
                {},
                r.outcome_kr,
            )
        )
        if r.forecast_kr is not None:
            forecasts.append(followup.BudgetRow(node_id, year, None, r.forecast_kr))
    count = followup.add_entries(hb.store, entries, forecasts)
    record(
        hb,
        principal.username,
        Action.FOLLOWUP_CHANGED,
        org_id=org_id,
        target=f"plan {plan_id}",
        detail=f"utfall för {period.name} inläst från {filename}: {count} rader",
    )
    return count
