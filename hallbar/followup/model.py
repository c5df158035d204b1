"""The plan's vocabulary: node kinds, statuses and roll-up rules, with their Swedish labels.

Stored values are the Swedish words themselves (as in the audit log), so a row in
the database or an exported sheet reads the same as the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class NodeKind(StrEnum):
    GOAL = "mål"
    SUB_GOAL = "delmål"
    STRATEGY = "strategi"
    FOCUS_AREA = "fokusområde"
    ACTIVITY = "aktivitet"
    ASSIGNMENT = "uppdrag"


NODE_KIND_LABELS_SV: dict[NodeKind, str] = {
    NodeKind.GOAL: "Mål",
    NodeKind.SUB_GOAL: "Delmål",
    NodeKind.STRATEGY: "Strategi",
    NodeKind.FOCUS_AREA: "Fokusområde",
    NodeKind.ACTIVITY: "Aktivitet",
    NodeKind.ASSIGNMENT: "Uppdrag",
}


class Status(StrEnum):
    NOT_STARTED = "ej påbörjad"
    ON_TRACK = "enligt plan"
    RISK = "risk"
    DEVIATION = "avvikelse"
    DONE = "klar"


STATUS_LABELS_SV: dict[Status, str] = {
    Status.NOT_STARTED: "Ej påbörjad",
    Status.ON_TRACK: "Enligt plan",
    Status.RISK: "Risk",
    Status.DEVIATION: "Avvikelse",
    Status.DONE: "Klar",
}


class RollupRule(StrEnum):
    """How a node's status follows from its children's (chosen per node)."""

    WORST = "sämsta"  # the most serious child decides
    SHARE_DONE = "andel klara"  # share of children done, against the share of time passed
    WEIGHTED = "viktat"  # children's statuses as points, weighted


ROLLUP_LABELS_SV: dict[RollupRule, str] = {
    RollupRule.WORST: "Sämsta status avgör",
    RollupRule.SHARE_DONE: "Andel klara jämfört med förfluten tid",
    RollupRule.WEIGHTED: "Viktat medel av delarnas status",
}


def parse_status(text: str) -> Status:
    """A status from its stored value or its label (any case); ``ValueError`` otherwise."""
    wanted = text.strip().lower()
    for s in Status:
        if wanted in (s.value, STATUS_LABELS_SV[s].lower()):
            return s
    raise ValueError(text)


@dataclass(frozen=True)
class Node:
    """One goal, sub-goal, strategy, focus area, activity or assignment."""

    id: int
    parent_id: int | None
    kind: NodeKind
    title: str
    description: str = ""
    owner_unit: str | None = None  # unit id that carries it out (None: the whole organisation)
    owner_role: str = ""  # e.g. "HR-chef", "Personalnämnden"
    responsible: str = ""  # a responsible person's title
    start: date | None = None
    end: date | None = None
    status: Status = Status.NOT_STARTED  # own status (leaves); parents roll up
    rollup: RollupRule = RollupRule.WORST
    weight: float = 1.0  # weight in the parent's weighted roll-up
    links: tuple[str, ...] = field(default_factory=tuple)
    position: int = 0  # order among siblings
    copied_from: int | None = None  # the node this was copied down from


@dataclass(frozen=True)
class Plan:
    """A plan: one committee's (or the whole organisation's) goals for a span of years."""

    id: int
    org_id: str
    name: str
    committee: str = ""  # the committee (nämnd) that decides and follows it up
    year: int | None = None  # the budget year the plan starts with
    description: str = ""
    created_by: str = ""
