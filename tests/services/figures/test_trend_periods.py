"""A unit's trend minus its sub-unit's trend cannot give the unit's own staff of a month.

Hand-made: unit P (the only top unit) has a sub-unit C with 10 women all of 2025, and
6 women of its own, 4 of whom started on 2025-07-01. On the snapshot date (1 November)
P holds 16 and its own staff is 6, so the snapshot's model shows P and C; but in
January–June P holds 12, C 10, so P minus C would give P's own staff of 2 each month.
That month's model protects the own staff with a move between P's own staff and C,
which changes C's count and not P's (P is the organisation's whole staff, never
hidden): C's months January–June are hidden, P's are all shown (hand count).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import webtesting
from handmade import employment, hrdata, person
from webtesting import Users, principal

from hallbar.core.access import Role
from hallbar.core.dataset import HRData
from hallbar.services.figures import views
from hallbar.services.figures.request import FigureRequest

ORG = "4445"
USERS: Users = {"analytiker": (Role.ANALYST, (ORG,), ())}
ANALYST = principal("analytiker", USERS)
COUNT = "Antal personer"


def organisation() -> HRData:
    in_c = [f"c{i}" for i in range(10)]
    own = [f"p{i}" for i in range(6)]
    persons = [person(p, date(1980, 1, 1), "K") for p in in_c + own]
    jobs = (
        [employment(f"e-{p}", p, "C", title="Handläggare", monthly_pay=30000.0) for p in in_c]
        + [employment(f"e-{p}", p, "P", title="Chef", monthly_pay=40000.0) for p in own[:2]]
        + [
            employment(
                f"e-{p}",
                p,
                "P",
                title="Handläggare",
                monthly_pay=30000.0,
                start_date=date(2025, 7, 1),
            )
            for p in own[2:]
        ]
    )
    return hrdata(
        date(2025, 12, 31),
        ORG,
        "Periodkommun",
        units=[("P", None, "Förvaltningen"), ("C", "P", "Enheten")],
        persons=persons,
        employments=jobs,
    )


def counts(env: webtesting.WebEnv, unit: str, figure: str = "headcount") -> list[object]:
    view = views.trend_view(
        env.hb, ANALYST, ORG, FigureRequest(2025, unit_id=unit), figure, "month"
    )
    assert view.table is not None
    return [r[COUNT] for r in view.table.frame.to_dicts()]


def test_a_units_own_staff_of_a_month_is_not_the_difference_of_two_trends(
    tmp_path: Path,
) -> None:
    env = webtesting.make_env(tmp_path, {ORG: organisation()}, users=USERS)
    parent = counts(env, "P")
    child = counts(env, "C")
    assert parent == [12] * 6 + [16] * 6
    assert child == [None] * 6 + [10] * 6
    for p, c in zip(parent, child, strict=True):
        if isinstance(p, int) and isinstance(c, int):
            assert not 1 <= p - c <= 4
    # Magnitudes follow the month's count: C's FTE is hidden in the same months.
    view = views.trend_view(env.hb, ANALYST, ORG, FigureRequest(2025, unit_id="C"), "fte", "month")
    assert view.table is not None
    assert [r["fte"] for r in view.table.frame.to_dicts()] == [None] * 6 + [10.0] * 6
