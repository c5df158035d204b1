"""The follow-up repository on SQLite and PostgreSQL (see the ``store`` fixture)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hallbar.followup.indicators import MANUAL, Direction, IndicatorSpec
from hallbar.followup.model import Node, NodeKind, Plan, RollupRule, Status
from hallbar.followup.periods import Entry, default_periods
from hallbar.store import Store, followup

AT = datetime(2025, 5, 10, 9, 30, tzinfo=UTC)


def _plan(store: Store, name: str = "Personalnämnden 2025") -> Plan:
    return followup.create_plan(
        store, Plan(0, "1280", name, "Personalnämnden", 2025, "", "anna"), AT
    )


def test_plan_nodes_and_duplicate_names(store: Store) -> None:
    plan = _plan(store)
    assert [p.name for p in followup.list_plans(store, "1280")] == ["Personalnämnden 2025"]
    with pytest.raises(followup.DuplicateName, match="finns redan en plan"):
        _plan(store)
    goal = followup.add_node(store, plan.id, Node(0, None, NodeKind.GOAL, "Attraktiv"))
    sub = followup.add_node(
        store,
        plan.id,
        Node(
            0,
            goal.id,
            NodeKind.SUB_GOAL,
            "Attraktiv arbetsplats",
            owner_unit="U1",
            start=date(2025, 1, 1),
            end=date(2026, 12, 31),
            rollup=RollupRule.WEIGHTED,
            weight=2.5,
            links=("https://example.se/a.pdf", "https://example.se/b.pdf"),
        ),
    )
    loaded = {n.id: n for n in followup.nodes(store, plan.id)}
    assert loaded[sub.id] == sub
    assert loaded[sub.id].links == ("https://example.se/a.pdf", "https://example.se/b.pdf")
    changed = followup.update_node(
        store, plan.id, Node(sub.id, goal.id, NodeKind.SUB_GOAL, "Ny titel")
    )
    assert changed is not None and changed.title == "Ny titel"
    assert followup.update_node(store, plan.id + 1, changed) is None
    assert followup.node_plan(store, sub.id) == plan.id
    followup.delete_node(store, plan.id, [goal.id, sub.id])
    assert followup.nodes(store, plan.id) == []


def test_entries_are_history_with_manual_values(store: Store) -> None:
    plan = _plan(store)
    node = followup.add_node(store, plan.id, Node(0, None, NodeKind.ACTIVITY, "Hyrstopp"))
    period = followup.add_period(store, plan.id, default_periods(2025)[0])
    with pytest.raises(followup.DuplicateName, match="redan en period"):
        followup.add_period(store, plan.id, default_periods(2025)[0])
    manual = followup.add_indicator(
        store,
        IndicatorSpec(0, node.id, "Antal hyrsjuksköterskor", MANUAL, direction=Direction.DOWN),
    )
    first = followup.add_entry(
        store,
        Entry(0, node.id, period.id, Status.RISK, "Avtal löper ut", "bo", AT, {manual.id: 12.0}),
    )
    second = followup.add_entry(
        store,
        Entry(
            0,
            node.id,
            period.id,
            Status.ON_TRACK,
            "Nytt avtal",
            "bo",
            AT.replace(hour=11),
            {manual.id: 9.0},
            3_200_000_000,  # > 2^31 kr: the column is a big integer
        ),
    )
    got = followup.entries(store, plan.id)
    assert [e.id for e in got] == [first.id, second.id]
    assert got[1].manual_values == {manual.id: 9.0}
    assert got[1].outcome_kr == 3_200_000_000
    assert got[0].status is Status.RISK
    assert [i.name for i in followup.indicators(store, plan.id)] == ["Antal hyrsjuksköterskor"]
    followup.delete_indicator(store, manual.id)
    assert followup.indicators(store, plan.id) == []
    assert followup.entries(store, plan.id)[1].manual_values == {}


def test_budget_and_save_tree_in_one_go(store: Store) -> None:
    tree = [
        Node(1, None, NodeKind.GOAL, "Attraktiv arbetsgivare"),
        Node(2, 1, NodeKind.SUB_GOAL, "Stöd medarbetarutveckling"),
        Node(3, 2, NodeKind.ASSIGNMENT, "Ledarskapsakademi"),
    ]
    plan = followup.save_tree(
        store,
        Plan(0, "1280", "Importerad", "", 2025, "", "anna"),
        tree,
        AT,
        allocations={2: (2025, 168_000_000)},
        calendar=default_periods(2025),
    )
    stored = followup.nodes(store, plan.id)
    by_title = {n.title: n for n in stored}
    assert by_title["Ledarskapsakademi"].parent_id == by_title["Stöd medarbetarutveckling"].id
    [row] = followup.budgets(store, plan.id)
    assert (row.node_id, row.year, row.allocation_kr) == (
        by_title["Stöd medarbetarutveckling"].id,
        2025,
        168_000_000,
    )
    again = followup.set_budget(store, row.node_id, 2025, 170_000_000, 165_000_000)
    assert (again.allocation_kr, again.forecast_kr) == (170_000_000, 165_000_000)
    assert len(followup.budgets(store, plan.id)) == 1
    assert [p.name for p in followup.periods(store, plan.id)] == [
        "Tertial 1 2025",
        "Tertial 2 2025",
        "Helår 2025",
    ]
    # a failing tree (parent refers to a node not listed before it) stores nothing
    with pytest.raises(KeyError):
        followup.save_tree(
            store,
            Plan(0, "1280", "Trasig", "", 2025, "", "anna"),
            [Node(1, 9, NodeKind.GOAL, "x")],
            AT,
        )
    assert [p.name for p in followup.list_plans(store, "1280")] == ["Importerad"]
    followup.delete_plan(store, plan.id)
    assert followup.list_plans(store, "1280") == []
    assert followup.nodes(store, plan.id) == []
