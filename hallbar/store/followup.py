"""Repository for goal and activity follow-up: every SQL statement of the feature.

Functions take the ``Store`` and return the pure ``hallbar.followup`` dataclasses, so
the service layer never sees a table row. Each function is one transaction;
``save_tree`` stores a whole imported plan in one, so a failure stores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallbar.core.errors import InputError
from hallbar.followup.indicators import Direction, IndicatorSpec
from hallbar.followup.model import Node, NodeKind, Plan, RollupRule, Status
from hallbar.followup.periods import Entry, Period
from hallbar.store.store import Store
from hallbar.store.tables_followup import (
    FollowupBudget,
    FollowupEntry,
    FollowupIndicator,
    FollowupNode,
    FollowupPeriod,
    FollowupPlan,
    FollowupValue,
)


class DuplicateName(InputError):
    """A plan or period with the same name exists already: the user chooses another name."""


@dataclass(frozen=True)
class BudgetRow:
    node_id: int
    year: int
    allocation_kr: int | None
    forecast_kr: int | None


# --- plans ------------------------------------------------------------------------


def _plan(row: FollowupPlan) -> Plan:
    return Plan(
        row.id, row.org_id, row.name, row.committee, row.year, row.description, row.created_by
    )


def _plan_row(plan: Plan, at: datetime) -> FollowupPlan:
    return FollowupPlan(
        org_id=plan.org_id,
        name=plan.name,
        committee=plan.committee,
        year=plan.year,
        description=plan.description,
        created_by=plan.created_by,
        created_at=at,
    )


def create_plan(store: Store, plan: Plan, at: datetime) -> Plan:
    """Store a new plan (``plan.id`` is ignored). ``DuplicateName`` if the name is taken."""
    try:
        with Session(store.engine) as s, s.begin():
            row = _plan_row(plan, at)
            s.add(row)
            s.flush()
            return _plan(row)
    except IntegrityError as err:
        raise DuplicateName(
            f"Det finns redan en plan som heter ”{plan.name}”. Välj ett annat namn."
        ) from err


def list_plans(store: Store, org_id: str) -> list[Plan]:
    with Session(store.engine) as s:
        rows = s.scalars(
            select(FollowupPlan).where(FollowupPlan.org_id == org_id).order_by(FollowupPlan.name)
        )
        return [_plan(r) for r in rows]


def get_plan(store: Store, plan_id: int) -> Plan | None:
    with Session(store.engine) as s:
        row = s.get(FollowupPlan, plan_id)
        return None if row is None else _plan(row)


def delete_plan(store: Store, plan_id: int) -> None:
    with Session(store.engine) as s, s.begin():
        # Children first: SQLite's cascade needs foreign keys on, PostgreSQL's does not mind.
        node_ids = select(FollowupNode.id).where(FollowupNode.plan_id == plan_id)
        s.execute(delete(FollowupBudget).where(FollowupBudget.node_id.in_(node_ids)))
        s.execute(delete(FollowupIndicator).where(FollowupIndicator.node_id.in_(node_ids)))
        s.execute(delete(FollowupEntry).where(FollowupEntry.node_id.in_(node_ids)))
        s.execute(
            update(FollowupNode).where(FollowupNode.plan_id == plan_id).values(parent_id=None)
        )
        s.execute(delete(FollowupNode).where(FollowupNode.plan_id == plan_id))
        s.execute(delete(FollowupPeriod).where(FollowupPeriod.plan_id == plan_id))
        s.execute(delete(FollowupPlan).where(FollowupPlan.id == plan_id))


# --- nodes ------------------------------------------------------------------------


def _node(row: FollowupNode) -> Node:
    return Node(
        id=row.id,
        parent_id=row.parent_id,
        kind=NodeKind(row.kind),
        title=row.title,
        description=row.description,
        owner_unit=row.owner_unit,
        owner_role=row.owner_role,
        responsible=row.responsible,
        start=row.start_date,
        end=row.end_date,
        status=Status(row.status),
        rollup=RollupRule(row.rollup),
        weight=row.weight,
        links=tuple(line for line in row.links.splitlines() if line.strip()),
        position=row.position,
        copied_from=row.copied_from,
    )


def _fill(row: FollowupNode, node: Node) -> None:
    row.parent_id = node.parent_id
    row.kind = node.kind.value
    row.title = node.title
    row.description = node.description
    row.owner_unit = node.owner_unit
    row.owner_role = node.owner_role
    row.responsible = node.responsible
    row.start_date = node.start
    row.end_date = node.end
    row.status = node.status.value
    row.rollup = node.rollup.value
    row.weight = node.weight
    row.links = "\n".join(node.links)
    row.position = node.position
    row.copied_from = node.copied_from


def add_node(store: Store, plan_id: int, node: Node) -> Node:
    with Session(store.engine) as s, s.begin():
        row = FollowupNode(plan_id=plan_id)
        _fill(row, node)
        s.add(row)
        s.flush()
        return _node(row)


def add_nodes(store: Store, plan_id: int, nodes: Sequence[Node]) -> list[Node]:
    """Several nodes in one transaction (e.g. copies down to sub-units)."""
    with Session(store.engine) as s, s.begin():
        rows = []
        for node in nodes:
            row = FollowupNode(plan_id=plan_id)
            _fill(row, node)
            s.add(row)
            rows.append(row)
        s.flush()
        return [_node(r) for r in rows]


def update_node(store: Store, plan_id: int, node: Node) -> Node | None:
    """Replace a node's fields; None if it is not in the plan."""
    with Session(store.engine) as s, s.begin():
        row = s.get(FollowupNode, node.id)
        if row is None or row.plan_id != plan_id:
            return None
        _fill(row, node)
        s.flush()
        return _node(row)


def delete_node(store: Store, plan_id: int, node_ids: Sequence[int]) -> None:
    """Delete nodes (the caller passes a node and all its descendants)."""
    if not node_ids:
        return
    ids = list(node_ids)
    with Session(store.engine) as s, s.begin():
        s.execute(delete(FollowupBudget).where(FollowupBudget.node_id.in_(ids)))
        s.execute(delete(FollowupIndicator).where(FollowupIndicator.node_id.in_(ids)))
        s.execute(delete(FollowupEntry).where(FollowupEntry.node_id.in_(ids)))
        s.execute(
            update(FollowupNode)
            .where(FollowupNode.id.in_(ids), FollowupNode.plan_id == plan_id)
            .values(parent_id=None)
        )
        s.execute(
            delete(FollowupNode).where(FollowupNode.id.in_(ids), FollowupNode.plan_id == plan_id)
        )


def nodes(store: Store, plan_id: int) -> list[Node]:
    with Session(store.engine) as s:
        rows = s.scalars(
            select(FollowupNode)
            .where(FollowupNode.plan_id == plan_id)
            .order_by(FollowupNode.position, FollowupNode.id)
        )
        return [_node(r) for r in rows]


def node_plan(store: Store, node_id: int) -> int | None:
    """The plan a node belongs to."""
    with Session(store.engine) as s:
        row = s.get(FollowupNode, node_id)
        return None if row is None else row.plan_id


# --- periods ----------------------------------------------------------------------


def _period(row: FollowupPeriod) -> Period:
    return Period(row.id, row.name, row.start_date, row.end_date, row.due_date, row.position)


def add_period(store: Store, plan_id: int, period: Period) -> Period:
    try:
        with Session(store.engine) as s, s.begin():
            row = FollowupPeriod(
                plan_id=plan_id,
                name=period.name,
                start_date=period.start,
                end_date=period.end,
                due_date=period.due,
                position=period.position,
            )
            s.add(row)
            s.flush()
            return _period(row)
    except IntegrityError as err:
        raise DuplicateName(
            f"Planen har redan en period som heter ”{period.name}”. Välj ett annat namn."
        ) from err


def periods(store: Store, plan_id: int) -> list[Period]:
    with Session(store.engine) as s:
        rows = s.scalars(
            select(FollowupPeriod)
            .where(FollowupPeriod.plan_id == plan_id)
            .order_by(FollowupPeriod.end_date, FollowupPeriod.due_date, FollowupPeriod.position)
        )
        return [_period(r) for r in rows]


# --- entries (append-only) ----------------------------------------------------------


def add_entry(store: Store, entry: Entry) -> Entry:
    """Append a follow-up entry with its manual indicator values."""
    with Session(store.engine) as s, s.begin():
        row = FollowupEntry(
            node_id=entry.node_id,
            period_id=entry.period_id,
            status=entry.status.value,
            comment=entry.comment,
            outcome_kr=entry.outcome_kr,
            created_by=entry.by,
            created_at=entry.at,
        )
        s.add(row)
        s.flush()
        for indicator_id, value in entry.manual_values.items():
            s.add(FollowupValue(entry_id=row.id, indicator_id=indicator_id, value=value))
        return Entry(
            row.id,
            entry.node_id,
            entry.period_id,
            entry.status,
            entry.comment,
            entry.by,
            entry.at,
            dict(entry.manual_values),
            entry.outcome_kr,
        )


def add_entries(store: Store, new: Sequence[Entry], budgets: Sequence[BudgetRow] = ()) -> int:
    """Several entries (without manual values) and budget forecasts in one transaction."""
    with Session(store.engine) as s, s.begin():
        for entry in new:
            s.add(
                FollowupEntry(
                    node_id=entry.node_id,
                    period_id=entry.period_id,
                    status=entry.status.value,
                    comment=entry.comment,
                    outcome_kr=entry.outcome_kr,
                    created_by=entry.by,
                    created_at=entry.at,
                )
            )
        for b in budgets:
            row = s.scalars(
                select(FollowupBudget).where(
                    FollowupBudget.node_id == b.node_id, FollowupBudget.year == b.year
                )
            ).first()
            if row is None:
                row = FollowupBudget(node_id=b.node_id, year=b.year, allocation_kr=None)
                s.add(row)
            row.forecast_kr = b.forecast_kr
    return len(new)


def entries(store: Store, plan_id: int) -> list[Entry]:
    """Every entry of the plan, oldest first, with its manual values."""
    with Session(store.engine) as s:
        rows = s.execute(
            select(FollowupEntry)
            .join(FollowupNode, FollowupNode.id == FollowupEntry.node_id)
            .where(FollowupNode.plan_id == plan_id)
            .order_by(FollowupEntry.created_at, FollowupEntry.id)
        ).scalars()
        found = list(rows)
        values: dict[int, dict[int, float]] = {}
        if found:
            for v in s.scalars(
                select(FollowupValue).where(FollowupValue.entry_id.in_([r.id for r in found]))
            ):
                values.setdefault(v.entry_id, {})[v.indicator_id] = v.value
        return [
            Entry(
                r.id,
                r.node_id,
                r.period_id,
                Status(r.status),
                r.comment,
                r.created_by,
                r.created_at,
                values.get(r.id, {}),
                r.outcome_kr,
            )
            for r in found
        ]


# --- indicators -------------------------------------------------------------------


def _indicator(row: FollowupIndicator) -> IndicatorSpec:
    return IndicatorSpec(
        id=row.id,
        node_id=row.node_id,
        name=row.name,
        figure_id=row.figure_id,
        unit_id=row.unit_id,
        filters=row.filters,
        unit_label=row.unit_label,
        direction=Direction(row.direction),
        baseline_year=row.baseline_year,
        baseline=row.baseline,
        target=row.target,
        target_year=row.target_year,
        kolada_kpi=row.kolada_kpi,
    )


def add_indicator(store: Store, spec: IndicatorSpec) -> IndicatorSpec:
    with Session(store.engine) as s, s.begin():
        row = FollowupIndicator(
            node_id=spec.node_id,
            name=spec.name,
            figure_id=spec.figure_id,
            unit_id=spec.unit_id,
            filters=spec.filters,
            unit_label=spec.unit_label,
            direction=spec.direction.value,
            baseline_year=spec.baseline_year,
            baseline=spec.baseline,
            target=spec.target,
            target_year=spec.target_year,
            kolada_kpi=spec.kolada_kpi,
        )
        s.add(row)
        s.flush()
        return _indicator(row)


def delete_indicator(store: Store, indicator_id: int) -> None:
    with Session(store.engine) as s, s.begin():
        s.execute(delete(FollowupValue).where(FollowupValue.indicator_id == indicator_id))
        s.execute(delete(FollowupIndicator).where(FollowupIndicator.id == indicator_id))


def indicators(store: Store, plan_id: int) -> list[IndicatorSpec]:
    with Session(store.engine) as s:
        rows = s.scalars(
            select(FollowupIndicator)
            .join(FollowupNode, FollowupNode.id == FollowupIndicator.node_id)
            .where(FollowupNode.plan_id == plan_id)
            .order_by(FollowupIndicator.id)
        )
        return [_indicator(r) for r in rows]


# --- budget -----------------------------------------------------------------------


def set_budget(
    store: Store, node_id: int, year: int, allocation_kr: int | None, forecast_kr: int | None
) -> BudgetRow:
    """Set (or replace) a node's allocation and forecast for a year."""
    with Session(store.engine) as s, s.begin():
        row = s.scalars(
            select(FollowupBudget).where(
                FollowupBudget.node_id == node_id, FollowupBudget.year == year
            )
        ).first()
        if row is None:
            row = FollowupBudget(node_id=node_id, year=year)
            s.add(row)
        row.allocation_kr = allocation_kr
        row.forecast_kr = forecast_kr
        s.flush()
        return BudgetRow(node_id, year, row.allocation_kr, row.forecast_kr)


def budgets(store: Store, plan_id: int) -> list[BudgetRow]:
    with Session(store.engine) as s:
        rows = s.scalars(
            select(FollowupBudget)
            .join(FollowupNode, FollowupNode.id == FollowupBudget.node_id)
            .where(FollowupNode.plan_id == plan_id)
            .order_by(FollowupBudget.node_id, FollowupBudget.year)
        )
        return [BudgetRow(r.node_id, r.year, r.allocation_kr, r.forecast_kr) for r in rows]


# --- a whole plan at once ------------------------------------------------------------


def save_tree(
    store: Store,
    plan: Plan,
    tree: Sequence[Node],
    at: datetime,
    *,
    allocations: Mapping[int, tuple[int, int]] | None = None,
    calendar: Sequence[Period] = (),
) -> Plan:
    """A new plan with its nodes, budget and periods in one transaction.

    ``tree`` uses provisional ids (any distinct ints; ``parent_id`` refers to them)
    and lists parents before children. ``allocations`` maps a provisional id to
    (year, kronor). Nothing is stored if anything fails.
    """
    try:
        with Session(store.engine) as s, s.begin():
            prow = _plan_row(plan, at)
            s.add(prow)
            s.flush()
            real: dict[int, int] = {}
            for node in tree:
                row = FollowupNode(plan_id=prow.id)
                _fill(row, node)
                row.parent_id = None if node.parent_id is None else real[node.parent_id]
                s.add(row)
                s.flush()
                real[node.id] = row.id
            for temp_id, (year, amount) in (allocations or {}).items():
                s.add(FollowupBudget(node_id=real[temp_id], year=year, allocation_kr=amount))
            for p in calendar:
                s.add(
                    FollowupPeriod(
                        plan_id=prow.id,
                        name=p.name,
                        start_date=p.start,
                        end_date=p.end,
                        due_date=p.due,
                        position=p.position,
                    )
                )
            s.flush()
            return _plan(prow)
    except IntegrityError as err:
        raise DuplicateName(
            f"Det finns redan en plan som heter ”{plan.name}”. Välj ett annat namn."
        ) from err
