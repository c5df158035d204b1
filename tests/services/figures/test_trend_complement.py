"""A filtered trend cannot be subtracted from the unfiltered one to give a small group.

Hand-made: unit U has 12 women all of 2025 and 5 men on the snapshot date, 3 of whom
started on 2025-07-01. On the snapshot date the women (12) and the men (5) are both
large enough, so the disclosure model releases the filter "women"; but January–June
the unit holds 12 women and 2 men, and "everyone" minus "women" would give those 2
men for each of those months. Each month's own disclosure model hides the 2 men and,
to protect them, the women (the unit's total is one subtraction from the
organisation's, which is never hidden); from July the men are 5 and nothing is hidden.
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
from hallbar.services.figures.filters import PopulationFilter
from hallbar.services.figures.request import FigureRequest

ORG = "4444"
USERS: Users = {"analytiker": (Role.ANALYST, (ORG,), ())}
ANALYST = principal("analytiker", USERS)
COUNT = "Antal personer"


def organisation() -> HRData:
    women = [f"k{i}" for i in range(12)]
    men = [f"m{i}" for i in range(5)]
    persons = [person(p, date(1980, 1, 1), "K") for p in women] + [
        person(p, date(1980, 1, 1), "M") for p in men
    ]
    jobs = [
        employment(f"e-{p}", p, "U", title="Undersköterska", monthly_pay=30000.0)
        for p in women + men[:2]
    ] + [
        employment(
            f"e-{p}",
            p,
            "U",
            title="Undersköterska",
            monthly_pay=30000.0,
            start_date=date(2025, 7, 1),
        )
        for p in men[2:]
    ]
    return hrdata(
        date(2025, 12, 31),
        ORG,
        "Trendkommun",
        units=[("U", None, "Enheten")],
        persons=persons,
        employments=jobs,
    )


def test_a_filtered_months_small_complement_is_hidden(tmp_path: Path) -> None:
    env = webtesting.make_env(tmp_path, {ORG: organisation()}, users=USERS)
    everyone = views.trend_view(env.hb, ANALYST, ORG, FigureRequest(2025), "headcount", "month")
    women = views.trend_view(
        env.hb,
        ANALYST,
        ORG,
        FigureRequest(2025, population=PopulationFilter(gender="K")),
        "headcount",
        "month",
    )
    assert everyone.table is not None and women.table is not None
    all_rows = everyone.table.frame.to_dicts()
    women_rows = {r["Månad"]: r for r in women.table.frame.to_dicts()}
    assert len(all_rows) == 12
    for row in all_rows:
        shown_women = women_rows[row["Månad"]][COUNT]
        if shown_women is not None and row[COUNT] is not None:
            # What an attacker gets by subtraction: never a group of 1–4.
            assert not 1 <= row[COUNT] - shown_women <= 4, row["Månad"]
    # January–June: 14 persons of whom 12 women, so the women's months are hidden;
    # July–December: 17 persons, 12 women, 5 men: shown (hand count).
    assert [r[COUNT] for r in all_rows] == [14] * 6 + [17] * 6
    assert [women_rows[r["Månad"]][COUNT] for r in all_rows] == [None] * 6 + [12] * 6
