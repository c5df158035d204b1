"""The plan tree: ordering, copying nodes down to sub-units, and the status roll-up.

The three roll-up rules, stated here once (pages and documents quote them):

* ``WORST``: any child in *avvikelse* makes the parent *avvikelse*; else any *risk*
  makes it *risk*; all children *klar* make it *klar*; all *ej påbörjad* make it
  *ej påbörjad*; any other mix is *enligt plan*.
* ``SHARE_DONE``: the share of children *klar* is compared with the share of the
  node's period that has passed on the follow-up date. At least that share:
  *enligt plan*; at least half of it: *risk*; less: *avvikelse*. All done is
  *klar*, none started is *ej påbörjad*.
* ``WEIGHTED``: each child's status gives points (``WEIGHTED_POINTS``), weighted
  by the child's weight; a mean of at least 1.5 is *enligt plan*, at least 0.75
  *risk*, less *avvikelse* (all *klar* / all *ej påbörjad* as above).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from hallbar.followup.model import Node, RollupRule, Status

WEIGHTED_POINTS: dict[Status, float] = {
    Status.DEVIATION: 0.0,
    Status.RISK: 1.0,
    Status.NOT_STARTED: 2.0,
    Status.ON_TRACK: 2.0,
    Status.DONE: 3.0,
}
WEIGHTED_ON_TRACK = 1.5
WEIGHTED_RISK = 0.75


class PlanTreeError(ValueError):
    """The nodes do not form a tree (unknown parent or a cycle); the message is Swedish."""


@dataclass(frozen=True)
class Rolled:
    """A node's status after roll-up, with what the rule found."""

    node_id: int
    status: Status
    own: bool  # True: a leaf (its own status); False: rolled up from children
    share_done: float | None  # share of leaf descendants done (None for a leaf)
    score: float | None  # weighted score (WEIGHTED only)


def children_of(nodes: Iterable[Node]) -> dict[int | None, list[Node]]:
    """Parent id -> children in their order (position, then id)."""
    out: dict[int | None, list[Node]] = {}
    for n in nodes:
        out.setdefault(n.parent_id, []).append(n)
    for kids in out.values():
        kids.sort(key=lambda n: (n.position, n.id))
    return out


def ordered(nodes: Sequence[Node]) -> list[tuple[Node, int]]:
    """Depth-first (node, depth) from the roots, siblings in order.

    Raises ``PlanTreeError`` for a parent that does not exist or a cycle.
    """
    ids = {n.id for n in nodes}
    for n in nodes:
        if n.parent_id is not None and n.parent_id not in ids:
            raise PlanTreeError(f"”{n.title}” pekar på en överordnad nod som inte finns.")
    kids = children_of(nodes)
    out: list[tuple[Node, int]] = []
    seen: set[int] = set()

    def walk(node: Node, depth: int) -> None:
        seen.add(node.id)
        out.append((node, depth))
        for child in kids.get(node.id, []):
            walk(child, depth + 1)

    for root in kids.get(None, []):
        walk(root, 0)
    if len(seen) != len(ids):
        raise PlanTreeError("Planens noder bildar en slinga. Välj en annan överordnad nod.")
    return out


def descendants(nodes: Sequence[Node], node_id: int) -> list[int]:
    """Ids below ``node_id`` (not itself), depth-first."""
    kids = children_of(nodes)
    out: list[int] = []
    stack = [c.id for c in reversed(kids.get(node_id, []))]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(c.id for c in reversed(kids.get(current, [])))
    return out


def would_cycle(nodes: Sequence[Node], node_id: int, new_parent: int | None) -> bool:
    """Whether moving ``node_id`` under ``new_parent`` would put it below itself."""
    return new_parent is not None and (
        new_parent == node_id or new_parent in descendants(nodes, node_id)
    )


def copy_down(node: Node, units: Sequence[tuple[str, str]]) -> list[Node]:
    """One copy of ``node`` per sub-unit (unit id, name), as children of ``node``.

    Copies start *ej påbörjad* and remember their origin; ids are 0 until stored.
    An activity "carried out by each department" becomes one line per department,
    each followed up by its own manager, and rolls up into the original.
    """
    return [
        replace(
            node,
            id=0,
            parent_id=node.id,
            title=f"{node.title} – {name}",
            owner_unit=unit_id,
            status=Status.NOT_STARTED,
            rollup=RollupRule.WORST,
            weight=1.0,
            position=i,
            copied_from=node.id,
        )
        for i, (unit_id, name) in enumerate(units)
    ]


def time_share(start: date | None, end: date | None, on: date) -> float:
    """Share of [start, end] passed on ``on`` (0–1); 1 without dates (nothing to wait for)."""
    if start is None or end is None or end <= start:
        return 1.0
    passed = (on - start).days / (end - start).days
    return min(1.0, max(0.0, passed))


def _combine(
    node: Node, statuses: list[tuple[Status, float]], share_done: float, on: date
) -> tuple[Status, float | None]:
    only = {s for s, _ in statuses}
    if only == {Status.DONE}:
        return Status.DONE, None
    if only == {Status.NOT_STARTED}:
        return Status.NOT_STARTED, None
    if node.rollup is RollupRule.SHARE_DONE:
        expected = time_share(node.start, node.end, on)
        if share_done >= expected:
            return Status.ON_TRACK, None
        return (Status.RISK if share_done >= expected / 2 else Status.DEVIATION), None
    if node.rollup is RollupRule.WEIGHTED:
        total = sum(w for _, w in statuses)
        if total <= 0:
            return Status.NOT_STARTED, None
        score = sum(WEIGHTED_POINTS[s] * w for s, w in statuses) / total
        if score >= WEIGHTED_ON_TRACK:
            return Status.ON_TRACK, score
        return (Status.RISK if score >= WEIGHTED_RISK else Status.DEVIATION), score
    if Status.DEVIATION in only:
        return Status.DEVIATION, None
    if Status.RISK in only:
        return Status.RISK, None
    return Status.ON_TRACK, None


def roll_up(
    nodes: Sequence[Node], on: date, statuses: Mapping[int, Status] | None = None
) -> dict[int, Rolled]:
    """Every node's status on ``on``: leaves keep their own (or ``statuses[id]``, e.g. the
    latest follow-up), parents follow their rule over their children's rolled status.

    ``share_done`` of a parent counts its children (each child once, done or not), so
    a sub-goal with three activities of which one is done is 1/3 done.
    """
    kids = children_of(nodes)
    given = statuses or {}
    out: dict[int, Rolled] = {}
    for node, _depth in reversed(ordered(nodes)):  # children before parents
        children = kids.get(node.id, [])
        if not children:
            out[node.id] = Rolled(node.id, given.get(node.id, node.status), True, None, None)
            continue
        rolled = [(out[c.id].status, c.weight) for c in children]
        done = sum(1 for s, _ in rolled if s is Status.DONE) / len(rolled)
        status, score = _combine(node, rolled, done, on)
        out[node.id] = Rolled(node.id, status, False, done, score)
    return out
