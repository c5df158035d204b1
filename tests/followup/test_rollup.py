"""Status roll-up, ordering and copy-down: every expected value worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from hallbar.followup.model import Node, NodeKind, RollupRule, Status
from hallbar.followup.tree import (
    PlanTreeError,
    copy_down,
    descendants,
    ordered,
    roll_up,
    time_share,
    would_cycle,
)

ON = date(2025, 4, 30)


def node(i: int, parent: int | None, status: Status = Status.NOT_STARTED, **kw: object) -> Node:
    return Node(i, parent, NodeKind.ACTIVITY, f"n{i}", status=status, **kw)  # type: ignore[arg-type]


def test_worst_of() -> None:
    nodes = [
        node(1, None),
        node(2, 1, Status.ON_TRACK),
        node(3, 1, Status.RISK),
        node(4, 1, Status.DONE),
    ]
    rolled = roll_up(nodes, ON)
    # one child in risk, none in deviation -> risk
    assert rolled[1].status is Status.RISK
    assert rolled[1].own is False
    # one of three children done
    assert rolled[1].share_done == pytest.approx(1 / 3)
    assert rolled[2].own is True


def test_worst_of_deviation_beats_risk_and_mixes() -> None:
    dev = [node(1, None), node(2, 1, Status.RISK), node(3, 1, Status.DEVIATION)]
    assert roll_up(dev, ON)[1].status is Status.DEVIATION
    mix = [node(1, None), node(2, 1, Status.NOT_STARTED), node(3, 1, Status.DONE)]
    # neither all done nor all not started, nothing bad -> enligt plan
    assert roll_up(mix, ON)[1].status is Status.ON_TRACK
    done = [node(1, None), node(2, 1, Status.DONE), node(3, 1, Status.DONE)]
    assert roll_up(done, ON)[1].status is Status.DONE
    idle = [node(1, None), node(2, 1), node(3, 1)]
    assert roll_up(idle, ON)[1].status is Status.NOT_STARTED


def test_share_done_against_time_passed() -> None:
    # The parent runs 1 Jan – 31 Dec 2025 (364 days). On 30 April 119 days have passed:
    # 119/364 = 0.327. Two of four children done = 0.5 >= 0.327 -> enligt plan.
    parent = node(
        1, None, rollup=RollupRule.SHARE_DONE, start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    kids = [
        node(2, 1, Status.DONE),
        node(3, 1, Status.DONE),
        node(4, 1, Status.ON_TRACK),
        node(5, 1, Status.DEVIATION),
    ]
    assert time_share(date(2025, 1, 1), date(2025, 12, 31), ON) == pytest.approx(119 / 364)
    assert roll_up([parent, *kids], ON)[1].status is Status.ON_TRACK
    # On 31 October: 303/364 = 0.832 passed. Half of it is 0.416 <= 0.5 < 0.832 -> risk.
    assert roll_up([parent, *kids], date(2025, 10, 31))[1].status is Status.RISK
    # One of four done (0.25) on 31 October: 0.25 < 0.416 -> avvikelse.
    kids2 = [node(2, 1, Status.DONE), *(node(i, 1, Status.ON_TRACK) for i in (3, 4, 5))]
    assert roll_up([parent, *kids2], date(2025, 10, 31))[1].status is Status.DEVIATION


def test_weighted() -> None:
    # Weights 3 (enligt plan, 2 points) and 1 (avvikelse, 0 points):
    # (3*2 + 1*0) / 4 = 1.5 >= 1.5 -> enligt plan, where worst-of would say avvikelse.
    parent = node(1, None, rollup=RollupRule.WEIGHTED)
    kids = [node(2, 1, Status.ON_TRACK, weight=3.0), node(3, 1, Status.DEVIATION, weight=1.0)]
    rolled = roll_up([parent, *kids], ON)
    assert rolled[1].status is Status.ON_TRACK
    assert rolled[1].score == pytest.approx(1.5)
    assert roll_up([node(1, None), *kids], ON)[1].status is Status.DEVIATION
    # Weights 1 (risk, 1 point) and 1 (avvikelse, 0): (1 + 0) / 2 = 0.5 < 0.75 -> avvikelse
    kids = [node(2, 1, Status.RISK), node(3, 1, Status.DEVIATION)]
    assert roll_up([parent, *kids], ON)[1].status is Status.DEVIATION
    # Weights 1 (klar, 3) and 2 (risk, 1): (3 + 2) / 3 = 1.667 -> enligt plan
    kids = [node(2, 1, Status.DONE), node(3, 1, Status.RISK, weight=2.0)]
    assert roll_up([parent, *kids], ON)[1].score == pytest.approx(5 / 3)


def test_three_levels_and_given_statuses() -> None:
    # goal 1 (worst) -> sub-goals 2 (worst), 3 (weighted) -> activities 4, 5 under 2; 6, 7 under 3
    nodes = [
        node(1, None),
        node(2, 1),
        node(3, 1, rollup=RollupRule.WEIGHTED),
        node(4, 2),
        node(5, 2),
        node(6, 3, weight=4.0),
        node(7, 3),
    ]
    followed = {4: Status.DONE, 5: Status.ON_TRACK, 6: Status.ON_TRACK, 7: Status.DEVIATION}
    rolled = roll_up(nodes, ON, followed)
    assert rolled[2].status is Status.ON_TRACK  # done + on track
    # (4*2 + 1*0) / 5 = 1.6 -> enligt plan
    assert rolled[3].score == pytest.approx(1.6)
    assert rolled[3].status is Status.ON_TRACK
    assert rolled[1].status is Status.ON_TRACK
    assert [(n.id, d) for n, d in ordered(nodes)] == [
        (1, 0),
        (2, 1),
        (4, 2),
        (5, 2),
        (3, 1),
        (6, 2),
        (7, 2),
    ]
    assert descendants(nodes, 1) == [2, 4, 5, 3, 6, 7]
    assert would_cycle(nodes, 2, 4) and not would_cycle(nodes, 4, 3)


def test_bad_trees() -> None:
    with pytest.raises(PlanTreeError, match="som inte finns"):
        ordered([node(1, 9)])
    with pytest.raises(PlanTreeError, match="slinga"):
        ordered([node(1, None), node(2, 3), node(3, 2)])


def test_copy_down() -> None:
    original = node(5, 1, Status.ON_TRACK, owner_role="HR-chef")
    copies = copy_down(original, [("E1", "Hemtjänst"), ("E2", "Särskilt boende")])
    assert [c.title for c in copies] == ["n5 – Hemtjänst", "n5 – Särskilt boende"]
    assert all(c.parent_id == 5 and c.copied_from == 5 for c in copies)
    assert [c.owner_unit for c in copies] == ["E1", "E2"]
    assert all(c.status is Status.NOT_STARTED for c in copies)
    assert copies[0].owner_role == "HR-chef"
