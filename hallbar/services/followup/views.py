"""What the plan page shows: the report for the chosen period plus the forms' choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource, may
from hallbar.followup.indicators import Direction
from hallbar.followup.model import (
    NODE_KIND_LABELS_SV,
    ROLLUP_LABELS_SV,
    STATUS_LABELS_SV,
    Node,
    Plan,
)
from hallbar.followup.periods import STATE_LABELS_SV, Period, history, reminders
from hallbar.reports.followup_document import FollowupReport
from hallbar.services.followup import indicators
from hallbar.services.followup.plans import (
    PlanData,
    leaves,
    list_plans,
    may_update,
    open_plan,
    tree_rows,
    unit_choices,
)
from hallbar.services.followup.reports import view_from
from hallbar.services.twin import ScopedCount

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    data: PlanData
    period: Period | None
    report: FollowupReport
    nodes: tuple[tuple[Node, int], ...]
    updatable: frozenset[int]  # nodes the user may follow up
    manual: dict[int, tuple[tuple[int, str], ...]]  # node id -> (indicator id, name)
    may_edit: bool
    reminders: tuple[
        tuple[str, tuple[tuple[str, str, str], ...]], ...
    ]  # owner -> (node, period, state)
    figures: tuple[tuple[str, str, str], ...]
    units: tuple[tuple[str, str], ...]
    kinds: tuple[tuple[str, str], ...]
    statuses: tuple[tuple[str, str], ...]
    rollups: tuple[tuple[str, str], ...]
    directions: tuple[str, ...]
    history: dict[int, tuple[HistoryLine, ...]]  # node id -> every follow-up, newest first
    counts: tuple[ScopedCount, ...]  # whom the live key figures count (twin: ``populationer``)


@dataclass(frozen=True)
class HistoryLine:
    period: str
    status_sv: str
    comment: str
    by: str
    at: str  # "2025-05-12 14:03" (UTC)


@dataclass(frozen=True)
class PlansIndex:
    org_id: str
    plans: tuple[Plan, ...]
    may_edit: bool


def plans_index(hb: Hallbar, principal: Principal, org_id: str) -> PlansIndex:
    plans = list_plans(hb, principal, org_id)
    return PlansIndex(org_id, tuple(plans), may(principal, Resource.FOLLOWUP_EDIT))


def _no_period() -> Period:
    today = date.today()
    return Period(0, "Ingen period", today, today, today)


def plan_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    period_id: int | None = None,
    today: date | None = None,
) -> PlanView:
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_PLANS)
    day = today or date.today()
    period: Period | None
    if period_id is not None:
        period = data.period(period_id)
    else:  # the latest period that has started, else the first
        started = [p for p in data.periods if p.start <= day]
        period = started[-1] if started else (data.periods[0] if data.periods else None)
    shown = view_from(hb, principal, data, period or _no_period())
    updatable = frozenset(n.id for n in data.nodes if may_update(principal, data, n))
    manual: dict[int, list[tuple[int, str]]] = {}
    for ind in data.indicators:
        if ind.manual:
            manual.setdefault(ind.node_id, []).append((ind.id, ind.name))
    due = reminders(leaves(data), list(data.periods), data.entries, day, data.unit_names)
    return PlanView(
        data.plan,
        data,
        period,
        shown.report,
        tuple(tree_rows(data)),
        updatable,
        {k: tuple(v) for k, v in manual.items()},
        may(principal, Resource.FOLLOWUP_EDIT),
        tuple(
            (owner, tuple((r.node.title, r.period.name, STATE_LABELS_SV[r.state]) for r in rs))
            for owner, rs in due.items()
        ),
        tuple(indicators.linkable_figures()),
        unit_choices(data),
        tuple((k.value, v) for k, v in NODE_KIND_LABELS_SV.items()),
        tuple((k.value, v) for k, v in STATUS_LABELS_SV.items()),
        tuple((k.value, v) for k, v in ROLLUP_LABELS_SV.items()),
        tuple(d.value for d in Direction),
        _history(data),
        shown.counts,
    )


def _history(data: PlanData) -> dict[int, tuple[HistoryLine, ...]]:
    names = {p.id: p.name for p in data.periods}
    out: dict[int, tuple[HistoryLine, ...]] = {}
    for node in data.nodes:
        lines = history(data.entries, node.id)
        if lines:
            out[node.id] = tuple(
                HistoryLine(
                    names.get(e.period_id, ""),
                    STATUS_LABELS_SV[e.status],
                    e.comment,
                    e.by,
                    e.at.strftime("%Y-%m-%d %H:%M"),
                )
                for e in lines
            )
    return out
