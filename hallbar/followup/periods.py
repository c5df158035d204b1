"""Follow-up periods (the organisation's own calendar) and the follow-up entries made in them.

A period is e.g. *Tertial 1 2025* (January–April, report due 15 May). Each entry is
one update of one node in one period: status, comment, manual indicator values,
who and when. Entries are never overwritten; the newest per node and period is
the current one and the rest are the node's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from hallbar.followup.model import Node, Status

# A common Swedish calendar: tertial reports in May and September, the year-end
# report in February. An organisation enters its own dates; this is the default offer.
TERTIAL_CALENDAR: tuple[tuple[str, tuple[int, int], tuple[int, int], tuple[int, int]], ...] = (
    ("Tertial 1", (1, 1), (4, 30), (5, 15)),
    ("Tertial 2", (5, 1), (8, 31), (9, 15)),
    ("Helår", (1, 1), (12, 31), (2, 15)),  # due in February of the next year
)


@dataclass(frozen=True)
class Period:
    id: int
    name: str  # "Tertial 1 2025"
    start: date
    end: date
    due: date  # when the follow-up should be entered
    position: int = 0

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def default_periods(year: int) -> list[Period]:
    """Tertial 1, tertial 2 and year-end of ``year`` (ids are 0 until stored)."""
    out = []
    for i, (name, start, end, due) in enumerate(TERTIAL_CALENDAR):
        due_year = year + 1 if end == (12, 31) else year
        out.append(
            Period(
                0,
                f"{name} {year}",
                date(year, *start),
                date(year, *end),
                date(due_year, *due),
                i,
            )
        )
    return out


def next_period(periods: Sequence[Period], current: Period) -> Period | None:
    """The period after ``current`` in the calendar (by end date, then due date)."""
    later = sorted(
        (p for p in periods if (p.end, p.due) > (current.end, current.due)),
        key=lambda p: (p.end, p.due, p.position),
    )
    return later[0] if later else None


@dataclass(frozen=True)
class Entry:
    """One follow-up of one node in one period."""

    id: int
    node_id: int
    period_id: int
    status: Status
    comment: str
    by: str
    at: datetime
    manual_values: dict[int, float] = field(default_factory=dict)  # indicator id -> value
    outcome_kr: int | None = None  # budget outcome to date in the period, kronor


def current_entries(entries: Iterable[Entry], period_id: int) -> dict[int, Entry]:
    """The newest entry per node in the period."""
    out: dict[int, Entry] = {}
    for e in entries:
        if e.period_id != period_id:
            continue
        old = out.get(e.node_id)
        if old is None or (e.at, e.id) > (old.at, old.id):
            out[e.node_id] = e
    return out


def history(entries: Iterable[Entry], node_id: int) -> list[Entry]:
    """Every entry of a node, newest first."""
    return sorted((e for e in entries if e.node_id == node_id), key=lambda e: (e.at, e.id))[::-1]


@dataclass(frozen=True)
class Reminder:
    """A node that should be (or should have been) followed up in a period."""

    node: Node
    period: Period
    state: str  # DUE, OVERDUE or NOT_UPDATED
    owner: str  # who is asked: the owner role, the responsible title or the unit


DUE = "att rapportera"  # the period has ended, the due date has not passed
OVERDUE = "försenad"  # the due date has passed and nothing is entered
NOT_UPDATED = "ej uppdaterad"  # the period is running and the node has no entry yet

STATE_LABELS_SV = {
    DUE: "Ska rapporteras",
    OVERDUE: "Försenad",
    NOT_UPDATED: "Inte uppdaterad ännu",
}


def owner_of(node: Node, unit_names: dict[str, str] | None = None) -> str:
    """Whom a reminder goes to: the owner role, else the responsible title, else the unit."""
    if node.owner_role:
        return node.owner_role
    if node.responsible:
        return node.responsible
    if node.owner_unit:
        return (unit_names or {}).get(node.owner_unit, node.owner_unit)
    return "Ingen ägare angiven"


def reminders(
    leaves: Sequence[Node],
    periods: Sequence[Period],
    entries: Iterable[Entry],
    today: date,
    unit_names: dict[str, str] | None = None,
) -> dict[str, list[Reminder]]:
    """Per owner: what is due, overdue or not yet updated on ``today``.

    Only nodes whose own period overlaps the follow-up period are asked, and a node
    that is *klar* in an earlier period is not asked again. Periods that have not
    started are ignored.
    """
    entries = list(entries)
    done_before: dict[int, date] = {}
    by_period = {p.id: p for p in periods}
    for e in entries:
        if e.status is Status.DONE and e.period_id in by_period:
            end = by_period[e.period_id].end
            done_before[e.node_id] = min(end, done_before.get(e.node_id, end))
    out: dict[str, list[Reminder]] = {}
    for period in sorted(periods, key=lambda p: (p.end, p.due, p.position)):
        if period.start > today:
            continue
        entered = current_entries(entries, period.id)
        for node in leaves:
            if node.id in entered:
                continue
            if node.start is not None and node.start > period.end:
                continue
            if node.end is not None and node.end < period.start:
                continue
            if node.id in done_before and done_before[node.id] < period.end:
                continue
            if today > period.due:
                state = OVERDUE
            elif today > period.end:
                state = DUE
            else:
                state = NOT_UPDATED
            owner = owner_of(node, unit_names)
            out.setdefault(owner, []).append(Reminder(node, period, state, owner))
    return dict(sorted(out.items()))
