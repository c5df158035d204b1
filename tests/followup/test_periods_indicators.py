"""Periods, entries, reminders and traffic lights, worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hallbar.followup.indicators import Direction, Light, light, light_label_sv, progress
from hallbar.followup.model import Node, NodeKind, Status, parse_status
from hallbar.followup.periods import (
    DUE,
    NOT_UPDATED,
    OVERDUE,
    Entry,
    Period,
    current_entries,
    default_periods,
    history,
    next_period,
    reminders,
)

T1 = Period(1, "Tertial 1 2025", date(2025, 1, 1), date(2025, 4, 30), date(2025, 5, 15), 0)
T2 = Period(2, "Tertial 2 2025", date(2025, 5, 1), date(2025, 8, 31), date(2025, 9, 15), 1)
YEAR = Period(3, "Helår 2025", date(2025, 1, 1), date(2025, 12, 31), date(2026, 2, 15), 2)


def at(day: int, month: int = 5) -> datetime:
    return datetime(2025, month, day, 12, 0, tzinfo=UTC)


def test_default_calendar() -> None:
    periods = default_periods(2025)
    assert [(p.name, p.start, p.end, p.due) for p in periods] == [
        ("Tertial 1 2025", T1.start, T1.end, T1.due),
        ("Tertial 2 2025", T2.start, T2.end, T2.due),
        ("Helår 2025", YEAR.start, YEAR.end, YEAR.due),
    ]
    assert next_period([T1, T2, YEAR], T1) == T2
    assert next_period([T1, T2, YEAR], T2) == YEAR
    assert next_period([T1, T2, YEAR], YEAR) is None


def test_entries_and_history() -> None:
    a = Entry(1, 10, 1, Status.RISK, "Försenad upphandling", "anna", at(10))
    b = Entry(2, 10, 1, Status.ON_TRACK, "Löst", "anna", at(12))
    c = Entry(3, 10, 2, Status.DONE, "Klar", "bo", at(10, 9))
    assert current_entries([a, b, c], 1) == {10: b}
    assert [e.id for e in history([a, b, c], 10)] == [3, 2, 1]


def test_reminders_per_owner() -> None:
    leaves = [
        Node(10, 1, NodeKind.ACTIVITY, "Hälsoplan", owner_role="HR-chef"),
        Node(11, 1, NodeKind.ACTIVITY, "Hyrstopp", responsible="Bemanningschef"),
        Node(12, 1, NodeKind.ACTIVITY, "Språkombud", owner_unit="E1"),
        # ends before tertial 2: only asked in tertial 1 and the year
        Node(13, 1, NodeKind.ACTIVITY, "Kort", owner_role="HR-chef", end=date(2025, 3, 31)),
    ]
    done = Entry(1, 11, 1, Status.DONE, "", "x", at(2))
    entered = Entry(2, 10, 1, Status.ON_TRACK, "", "x", at(3))
    # 20 May: tertial 1 is past due (15 May), tertial 2 and the year are running.
    out = reminders(leaves, [T1, T2, YEAR], [done, entered], date(2025, 5, 20), {"E1": "Hemtjänst"})
    got = {owner: [(r.node.id, r.period.id, r.state) for r in rs] for owner, rs in out.items()}
    assert got == {
        # 10 entered for T1; asked for T2 and the year (running). 13 overdue for T1,
        # over before T2, asked for the year.
        "HR-chef": [
            (13, 1, OVERDUE),
            (10, 2, NOT_UPDATED),
            (10, 3, NOT_UPDATED),
            (13, 3, NOT_UPDATED),
        ],
        # 11 was done in T1 (ends 30 April): not asked again in T2; the year ends
        # later than T1, so not asked there either.
        "Hemtjänst": [(12, 1, OVERDUE), (12, 2, NOT_UPDATED), (12, 3, NOT_UPDATED)],
    }
    # 10 May: tertial 1 has ended, its due date has not passed.
    out = reminders(leaves[2:3], [T1], [], date(2025, 5, 10))
    assert [r.state for r in out["E1"]] == [DUE]


def test_traffic_light() -> None:
    # Sick leave, lower is better: baseline 8,0 %, target 6,5 %.
    assert light(6.4, 6.5, Direction.DOWN, 8.0) is Light.GREEN
    assert light(7.2, 6.5, Direction.DOWN, 8.0) is Light.YELLOW  # better than 8,0
    assert light(8.0, 6.5, Direction.DOWN, 8.0) is Light.RED  # no better than baseline
    assert light(None, 6.5, Direction.DOWN, 8.0) is Light.GREY
    # Full-time share, higher is better, no baseline: |80 − 73| / 80 = 0,0875 <= 0,10 -> yellow
    assert light(73.0, 80.0, Direction.UP) is Light.YELLOW
    # |80 − 70| / 80 = 0,125 > 0,10 -> red
    assert light(70.0, 80.0, Direction.UP) is Light.RED
    # (7,2 − 8,0) / (6,5 − 8,0) = −0,8 / −1,5 = 0,533
    assert progress(7.2, 8.0, 6.5) is not None
    assert abs((progress(7.2, 8.0, 6.5) or 0) - 0.8 / 1.5) < 1e-12


def test_parse_status() -> None:
    assert parse_status("Enligt plan") is Status.ON_TRACK
    assert parse_status(" klar ") is Status.DONE


def test_light_words() -> None:
    assert light_label_sv(6.8, None, Light.GREY) == "Inget mål satt"
    assert light_label_sv(None, 6.5, Light.GREY) == "Inget värde"
    assert light_label_sv(6.4, 6.5, Light.GREEN) == "Uppnått"
