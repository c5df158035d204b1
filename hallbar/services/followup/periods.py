"""Following up: entering a node's status in a period, reminders, and the next period."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import AccessDenied
from hallbar.followup.indicators import MANUAL
from hallbar.followup.model import Status
from hallbar.followup.periods import Entry, Period, next_period
from hallbar.services.audit import Action, now, record
from hallbar.services.followup.plans import (
    NOT_YOUR_NODE,
    FollowupInputError,
    PlanData,
    may_update,
    open_plan,
)
from hallbar.store import followup

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

MAX_COMMENT = 8000


def follow_up(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    node_id: int,
    period_id: int,
    status: Status,
    comment: str = "",
    manual_values: dict[int, float] | None = None,
    outcome_kr: int | None = None,
) -> Entry:
    """Add a follow-up (status, comment, manual values, budget outcome) to a node's history."""
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_UPDATE)
    node = data.node(node_id)
    period = data.period(period_id)
    if not may_update(principal, data, node):
        raise AccessDenied(NOT_YOUR_NODE)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise FollowupInputError(f"Kommentaren får vara högst {MAX_COMMENT} tecken.")
    values = manual_values or {}
    manual_ids = {i.id for i in data.indicators if i.node_id == node_id and i.figure_id == MANUAL}
    for indicator_id in values:
        if indicator_id not in manual_ids:
            raise FollowupInputError(
                "Värden kan bara matas in för radens manuella indikatorer. Ladda om sidan."
            )
    if outcome_kr is not None and outcome_kr < 0:
        raise FollowupInputError("Utfallet kan inte vara negativt.")
    entry = followup.add_entry(
        hb.store,
        Entry(
            0, node_id, period_id, status, comment, principal.username, now(), values, outcome_kr
        ),
    )
    record(
        hb,
        principal.username,
        Action.FOLLOWUP_CHANGED,
        org_id=org_id,
        target=f"plan {plan_id} rad {node_id}",
        detail=f"uppföljning {period.name}: {status.value}",
    )
    return entry


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def ensure_next_period(
    hb: Hallbar, principal: Principal, org_id: str, plan_id: int, period_id: int
) -> Period:
    """The period after this one; if the calendar has none, the same period a year later.

    This is the "make next period's report from this one" step: the report for the
    returned period shows this period's comments as the previous follow-up.
    """
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_PLANS)
    current = data.period(period_id)
    found = next_period(list(data.periods), current)
    if found is not None:
        return found
    open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    first_same = _first_of_kind(data, current)
    base = first_same or current
    name = _next_name(base.name, base.end.year)
    new = Period(
        0,
        name,
        _shift_year(base.start, 1),
        _shift_year(base.end, 1),
        _shift_year(base.due, 1),
        len(data.periods),
    )
    stored = followup.add_period(hb.store, plan_id, new)
    record(
        hb,
        principal.username,
        Action.FOLLOWUP_CHANGED,
        org_id=org_id,
        target=f"plan {plan_id}",
        detail=f"ny period: {stored.name}",
    )
    return stored


def _first_of_kind(data: PlanData, current: Period) -> Period | None:
    """The calendar's first period of the current period's year (the year starts over)."""
    same_year = [p for p in data.periods if p.end.year == current.end.year]
    return min(same_year, key=lambda p: (p.end, p.due)) if same_year else None


def _next_name(name: str, year: int) -> str:
    text = str(year)
    return name.replace(text, str(year + 1)) if text in name else f"{name} {year + 1}"


def previous_period(data: PlanData, period: Period) -> Period | None:
    earlier = [p for p in data.periods if (p.end, p.due) < (period.end, period.due)]
    return max(earlier, key=lambda p: (p.end, p.due)) if earlier else None
