"""Plans and their tree: who may see and change what, and every change audit-logged.

Rules: every data role and the committee's read-only role see the organisation's
plans; HR (``FOLLOWUP_EDIT``) creates and changes them; a manager enters
follow-ups for nodes owned by a unit in the manager's subtree (a node without an
owner unit inherits its parent's). A plan is opened through the one scope opener
(``services.scope.open_scope``): role, organisation, the unit index and the units
the principal may see come from there, never from an own data load.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource, Role
from hallbar.core.errors import InputError, NotFound
from hallbar.followup.budget import BudgetLine, roll_up_budget
from hallbar.followup.indicators import IndicatorSpec
from hallbar.followup.model import Node, NodeKind, Plan, RollupRule, Status
from hallbar.followup.periods import Entry, Period, default_periods
from hallbar.followup.tree import (
    PlanTreeError,
    Rolled,
    copy_down,
    descendants,
    ordered,
    roll_up,
    would_cycle,
)
from hallbar.services import access
from hallbar.services.audit import Action, now, record
from hallbar.services.scope import Scope, open_scope
from hallbar.store import followup

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

PLAN_NOT_FOUND = "Planen finns inte eller så saknar du behörighet. Välj en plan i listan."
NODE_NOT_FOUND = "Raden finns inte i planen. Ladda om sidan och välj en rad i trädet."
NOT_YOUR_NODE = (
    "Du kan bara följa upp rader som dina enheter äger. Be HR ändra ägaren om den är fel."
)


class FollowupInputError(InputError):
    """Bad input to a plan, node, indicator, budget or follow-up; the message says what to do."""


@dataclass(frozen=True)
class PlanData:
    """Everything stored about one plan, loaded at once, with the organisation's scope."""

    plan: Plan
    nodes: tuple[Node, ...]
    periods: tuple[Period, ...]
    entries: tuple[Entry, ...]
    indicators: tuple[IndicatorSpec, ...]
    budgets: tuple[followup.BudgetRow, ...]
    scope: Scope  # ``services.scope.open_scope``: the units and what the principal may see

    @property
    def unit_names(self) -> dict[str, str]:
        return self.scope.index.names

    @property
    def org_name(self) -> str:
        return self.scope.org_name

    def node(self, node_id: int) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise NotFound(NODE_NOT_FOUND)

    def period(self, period_id: int) -> Period:
        for p in self.periods:
            if p.id == period_id:
                return p
        raise NotFound("Perioden finns inte i planen. Välj en period i listan.")

    def owner_unit(self, node: Node) -> str | None:
        """The node's unit, or its nearest ancestor's."""
        by_id = {n.id: n for n in self.nodes}
        current: Node | None = node
        while current is not None:
            if current.owner_unit:
                return current.owner_unit
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        return None

    def years(self) -> tuple[int, ...]:
        return tuple(sorted({b.year for b in self.budgets}))


def open_org(hb: Hallbar, principal: Principal, org_id: str, resource: Resource) -> Scope:
    """The organisation through the one scope opener, every visible unit (no unit chosen).

    A plan's rows are owned by units anywhere in the tree, so the follow-up needs the
    whole unit index and the set the principal may see, not one subtree.
    """
    return open_scope(hb, principal, org_id, resource, one_subtree=False)


def open_plan(
    hb: Hallbar, principal: Principal, org_id: str, plan_id: int, resource: Resource
) -> PlanData:
    """Open the scope (role, organisation, units), then load the plan (``NotFound`` if it is
    not the organisation's)."""
    scope = open_org(hb, principal, org_id, resource)
    plan = followup.get_plan(hb.store, plan_id)
    if plan is None or plan.org_id != org_id:
        raise NotFound(PLAN_NOT_FOUND)
    return PlanData(
        plan,
        tuple(followup.nodes(hb.store, plan_id)),
        tuple(followup.periods(hb.store, plan_id)),
        tuple(followup.entries(hb.store, plan_id)),
        tuple(followup.indicators(hb.store, plan_id)),
        tuple(followup.budgets(hb.store, plan_id)),
        scope,
    )


def may_update(principal: Principal, data: PlanData, node: Node) -> bool:
    """HR may follow up any node; a manager the nodes owned inside the own subtree."""
    if principal.local_operator or principal.role is Role.HR:
        return True
    if principal.role is not Role.MANAGER:
        return False
    unit = data.owner_unit(node)
    return unit is not None and unit in data.scope.visible


def list_plans(hb: Hallbar, principal: Principal, org_id: str) -> list[Plan]:
    access.require_org(principal, org_id, Resource.FOLLOWUP_PLANS)
    return followup.list_plans(hb.store, org_id)


def _audit(hb: Hallbar, principal: Principal, org_id: str, target: str, detail: str) -> None:
    record(
        hb, principal.username, Action.FOLLOWUP_CHANGED, org_id=org_id, target=target, detail=detail
    )


def _clean(text: str, limit: int, what: str, *, required: bool = False) -> str:
    text = text.strip()
    if required and not text:
        raise FollowupInputError(f"Fyll i {what}.")
    if len(text) > limit:
        raise FollowupInputError(f"{what[0].upper()}{what[1:]} får vara högst {limit} tecken.")
    return text


def create_plan(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    name: str,
    *,
    committee: str = "",
    year: int | None = None,
    description: str = "",
    with_calendar: bool = True,
) -> Plan:
    """A new empty plan; with ``with_calendar`` the year's tertial calendar is added."""
    access.require_org(principal, org_id, Resource.FOLLOWUP_EDIT)
    name = _clean(name, 200, "planens namn", required=True)
    plan = followup.create_plan(
        hb.store,
        Plan(
            0,
            org_id,
            name,
            _clean(committee, 200, "nämnden"),
            year,
            _clean(description, 4000, "beskrivningen"),
            principal.username,
        ),
        now(),
    )
    if with_calendar and year is not None:
        for p in default_periods(year):
            followup.add_period(hb.store, plan.id, p)
    _audit(hb, principal, org_id, f"plan {plan.id}", f"skapad: {name}")
    return plan


def delete_plan(hb: Hallbar, principal: Principal, org_id: str, plan_id: int) -> None:
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    followup.delete_plan(hb.store, plan_id)
    _audit(hb, principal, org_id, f"plan {plan_id}", f"borttagen: {data.plan.name}")


@dataclass(frozen=True)
class NodeInput:
    """A node as entered in a form (strings parsed by ``parse_node_input`` in the web layer)."""

    title: str
    kind: NodeKind = NodeKind.ACTIVITY
    parent_id: int | None = None
    description: str = ""
    owner_unit: str | None = None
    owner_role: str = ""
    responsible: str = ""
    start: date | None = None
    end: date | None = None
    rollup: RollupRule = RollupRule.WORST
    weight: float = 1.0
    links: tuple[str, ...] = ()


def _check_node(data: PlanData, node_input: NodeInput) -> None:
    if node_input.parent_id is not None:
        data.node(node_input.parent_id)
    if node_input.start and node_input.end and node_input.end < node_input.start:
        raise FollowupInputError("Slutdatum ligger före startdatum. Rätta datumen.")
    if node_input.owner_unit and node_input.owner_unit not in data.unit_names:
        raise FollowupInputError(
            f"Enheten {node_input.owner_unit} finns inte i organisationen. Välj en enhet i listan."
        )
    if not 0 <= node_input.weight <= 1000:
        raise FollowupInputError("Vikten ska vara ett tal mellan 0 och 1000.")
    for link in node_input.links:
        if not link.startswith(("https://", "http://")):
            raise FollowupInputError(f"Länken {link} ska börja med https://.")


def add_node(
    hb: Hallbar, principal: Principal, org_id: str, plan_id: int, node_input: NodeInput
) -> Node:
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    _check_node(data, node_input)
    siblings = [n for n in data.nodes if n.parent_id == node_input.parent_id]
    node = Node(
        0,
        node_input.parent_id,
        node_input.kind,
        _clean(node_input.title, 300, "rubriken", required=True),
        _clean(node_input.description, 8000, "beskrivningen"),
        node_input.owner_unit or None,
        _clean(node_input.owner_role, 200, "ägarrollen"),
        _clean(node_input.responsible, 200, "ansvarig"),
        node_input.start,
        node_input.end,
        Status.NOT_STARTED,
        node_input.rollup,
        node_input.weight,
        node_input.links,
        position=max((n.position for n in siblings), default=-1) + 1,
    )
    stored = followup.add_node(hb.store, plan_id, node)
    _audit(hb, principal, org_id, f"plan {plan_id} rad {stored.id}", f"ny rad: {stored.title}")
    return stored


def update_node(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    node_id: int,
    node_input: NodeInput,
) -> Node:
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    old = data.node(node_id)
    _check_node(data, node_input)
    if would_cycle(list(data.nodes), node_id, node_input.parent_id):
        raise FollowupInputError("En rad kan inte ligga under sig själv. Välj en annan överordnad.")
    new = replace(
        old,
        parent_id=node_input.parent_id,
        kind=node_input.kind,
        title=_clean(node_input.title, 300, "rubriken", required=True),
        description=_clean(node_input.description, 8000, "beskrivningen"),
        owner_unit=node_input.owner_unit or None,
        owner_role=_clean(node_input.owner_role, 200, "ägarrollen"),
        responsible=_clean(node_input.responsible, 200, "ansvarig"),
        start=node_input.start,
        end=node_input.end,
        rollup=node_input.rollup,
        weight=node_input.weight,
        links=node_input.links,
    )
    stored = followup.update_node(hb.store, plan_id, new)
    if stored is None:
        raise NotFound(NODE_NOT_FOUND)
    _audit(hb, principal, org_id, f"plan {plan_id} rad {node_id}", f"ändrad: {stored.title}")
    return stored


def delete_node(hb: Hallbar, principal: Principal, org_id: str, plan_id: int, node_id: int) -> int:
    """Delete a node and everything below it; returns how many rows went."""
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    node = data.node(node_id)
    ids = [node_id, *descendants(list(data.nodes), node_id)]
    followup.delete_node(hb.store, plan_id, ids)
    _audit(hb, principal, org_id, f"plan {plan_id} rad {node_id}", f"borttagen: {node.title}")
    return len(ids)


def copy_to_sub_units(
    hb: Hallbar, principal: Principal, org_id: str, plan_id: int, node_id: int
) -> list[Node]:
    """One copy of the node per direct sub-unit of its owner unit (each followed up there)."""
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    node = data.node(node_id)
    unit = data.owner_unit(node)
    index = data.scope.index
    if unit is None:
        raise FollowupInputError(
            "Ange först vilken enhet som äger raden; kopiorna hamnar på dess underenheter."
        )
    subs = [(u, index.names.get(u, u)) for u in index.children.get(unit, ())]
    if not subs:
        raise FollowupInputError(
            f"{index.names.get(unit, unit)} har inga underenheter att kopiera raden till."
        )
    copies = followup.add_nodes(hb.store, plan_id, copy_down(node, subs))
    _audit(
        hb,
        principal,
        org_id,
        f"plan {plan_id} rad {node_id}",
        f"kopierad till {len(copies)} underenheter",
    )
    return copies


def set_budget(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    node_id: int,
    year: int,
    allocation_kr: int | None,
    forecast_kr: int | None = None,
) -> followup.BudgetRow:
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    data.node(node_id)
    if not 1990 <= year <= 2100:
        raise FollowupInputError("Ange budgetåret med fyra siffror, t.ex. 2025.")
    for amount in (allocation_kr, forecast_kr):
        if amount is not None and amount < 0:
            raise FollowupInputError("Beloppet kan inte vara negativt.")
    row = followup.set_budget(hb.store, node_id, year, allocation_kr, forecast_kr)
    _audit(
        hb,
        principal,
        org_id,
        f"plan {plan_id} rad {node_id}",
        f"budget {year}: {allocation_kr} kr, prognos {forecast_kr} kr",
    )
    return row


def add_period(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    name: str,
    start: date,
    end: date,
    due: date,
) -> Period:
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    if end < start:
        raise FollowupInputError("Periodens slut ligger före dess början. Rätta datumen.")
    if due < end:
        raise FollowupInputError("Sista rapportdag ska ligga efter periodens slut.")
    period = followup.add_period(
        hb.store,
        plan_id,
        Period(
            0,
            _clean(name, 100, "periodens namn", required=True),
            start,
            end,
            due,
            len(data.periods),
        ),
    )
    _audit(hb, principal, org_id, f"plan {plan_id}", f"ny period: {period.name}")
    return period


# --- derived: status and budget -------------------------------------------------------


def statuses_in(data: PlanData, period: Period | None) -> dict[int, Status]:
    """Each followed-up node's status in ``period``: its newest entry up to that period.

    A node not followed up in the period keeps the status of its latest earlier
    follow-up (an activity done in tertial 1 is still done at year-end).
    """
    if period is None:
        return {}
    by_period = {p.id: p for p in data.periods}
    out: dict[int, tuple[tuple[date, datetime, int], Status]] = {}
    for e in data.entries:
        p = by_period.get(e.period_id)
        if p is None or (p.end, p.due) > (period.end, period.due):
            continue
        key = (p.end, e.at, e.id)
        old = out.get(e.node_id)
        if old is None or key > old[0]:
            out[e.node_id] = (key, e.status)
    return {k: v[1] for k, v in out.items()}


def rolled_statuses(data: PlanData, period: Period | None) -> dict[int, Rolled]:
    on = period.end if period is not None else date.today()
    try:
        return roll_up(list(data.nodes), on, statuses_in(data, period))
    except PlanTreeError as err:
        raise FollowupInputError(str(err)) from err


def budget_lines(data: PlanData, year: int, period: Period | None) -> dict[int, BudgetLine]:
    """Budget per node for ``year``: allocations, the outcome entered up to ``period``."""
    allocations = {b.node_id: b.allocation_kr for b in data.budgets if b.year == year}
    forecasts = {b.node_id: b.forecast_kr for b in data.budgets if b.year == year}
    outcomes: dict[int, int] = {}
    latest: dict[int, tuple[date, datetime, int]] = {}
    by_period = {p.id: p for p in data.periods}
    for e in data.entries:
        p = by_period.get(e.period_id)
        if e.outcome_kr is None or p is None or p.end.year != year:
            continue
        if period is not None and (p.end, p.due) > (period.end, period.due):
            continue
        key = (p.end, e.at, e.id)
        if e.node_id not in latest or key > latest[e.node_id]:
            latest[e.node_id] = key
            outcomes[e.node_id] = e.outcome_kr  # outcome to date: the newest replaces
    to_date = period.end if period is not None else date(year, 12, 31)
    return roll_up_budget(
        list(data.nodes),
        year,
        {k: v for k, v in allocations.items() if v is not None},
        outcomes,
        {k: v for k, v in forecasts.items() if v is not None},
        to_date,
    )


def tree_rows(data: PlanData) -> list[tuple[Node, int]]:
    try:
        return ordered(list(data.nodes))
    except PlanTreeError as err:
        raise FollowupInputError(str(err)) from err


def leaves(data: PlanData) -> list[Node]:
    parents = {n.parent_id for n in data.nodes}
    return [n for n in data.nodes if n.id not in parents]


def unit_choices(data: PlanData) -> tuple[tuple[str, str], ...]:
    """(id, name indented by depth) of the units the principal may see, as on every page."""
    return data.scope.unit_choices
