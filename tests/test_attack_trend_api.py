"""The analyst's attack on the trends through the real JSON API: it must recover nothing.

The organisation of ``test_attack_api`` (three levels, teams of about eight, skewed
gender, age and employment form), but people come and go during 2025: a quarter start
during the year, a quarter leave. The analyst asks ``/api/figures/{org}/trend`` for the
monthly head count of every unit × every filter combination of gender, age band and
employment form (each value or all), and each shown trend again broken down by each
free dimension. Every shown count of a month is a cell of that month's cube; the
attacker differences, month by month, along every line to a fixpoint (a filter value
against all, parent minus children with own staff unknown, siblings) — the same
attack as ``test_attack_api``. Months can also be differenced against each other, but
that gives flows (who came, who left), not a month's cells: the cells of one month
are only tied to each other.

The truth of each month is counted here with plain polars from the generated persons
(employed on the month's first day), independently of the models. Recovered: a hidden
month's cell, or a unit's own staff of 1–4 persons that month, whose value the attack
determines. It must be 0. Negative control: each month's small cells hidden on their
own (the per-table rule the trend had) lose cells to the same attack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl
import pytest
from handmade import employment, hrdata, person
from test_attack_api import (
    BIRTH,
    DIMS,
    FIELD,
    MIN_N,
    ORG,
    QUERY,
    USERS,
    Cell,
    Combo,
    Truth,
    combos,
    generated,
    recovered,
)
from webtesting import WebEnv, make_env

AS_OF = date(2025, 12, 31)
MONTHS = [date(2025, m, 1) for m in range(1, 13)]
COUNT = "Antal personer"
COLUMNS = {"Kön": "gender", "Åldersgrupp": "age_band", "Anställningsform": "employment_form"}
LABELS = {"Kvinnor": "K", "Män": "M", "Totalt": None}


def moving(seed: int = 7) -> tuple[pl.DataFrame, dict[str, str | None]]:
    """``test_attack_api.generated`` with a start and an end date per person: a quarter
    start on the first of a month in February–November 2025, a quarter end on the last
    day of a month in January–October 2025, the rest are employed all year."""
    persons, parent = generated(seed)
    rng = np.random.default_rng(seed + 1000)
    n = persons.height
    kind = rng.choice(3, n, p=[0.25, 0.25, 0.5])
    month = rng.integers(2, 12, n)
    starts = [
        date(2025, int(m), 1) if k == 0 else date(2015, 1, 1)
        for k, m in zip(kind, month, strict=True)
    ]
    ends = [
        date(2025, int(m), 1) - timedelta(days=1) if k == 1 else None
        for k, m in zip(kind, month, strict=True)
    ]
    return persons.with_columns(
        pl.Series("start", starts, dtype=pl.Date), pl.Series("end", ends, dtype=pl.Date)
    ), parent


def to_hrdata(persons: pl.DataFrame, parent: dict[str, str | None]) -> Any:
    people, jobs = [], []
    for row in persons.iter_rows(named=True):
        pid = row["person_id"]
        people.append(person(pid, date(BIRTH[row["age_band"]], 6, 1), row["gender"]))
        job = employment(
            f"E{pid}",
            pid,
            row["unit_id"],
            title="Handläggare",
            monthly_pay=35000.0,
            start_date=row["start"],
            end_date=row["end"],
        )
        jobs.append(job | {"employment_form": row["employment_form"]})
    units = [(u, p, f"Enhet {u}") for u, p in parent.items()]
    return hrdata(AS_OF, ORG, "Genererad kommun", units=units, persons=people, employments=jobs)


def month_truth(persons: pl.DataFrame, parent: dict[str, str | None], day: date) -> Truth:
    """The persons employed on ``day``, counted by ``test_attack_api.Truth``."""
    active = persons.filter(
        (pl.col("start") <= day) & (pl.col("end").is_null() | (pl.col("end") >= day))
    )
    return Truth(active.drop("start", "end"), parent)


@dataclass
class Trends:
    counts: dict[date, dict[Cell, int | None]]  # per month: the trend's count, None hidden
    rows: dict[date, dict[Cell, set[int | None]]]  # what breakdown rows showed per cell
    fte: dict[date, dict[Cell, float | None]]  # the FTE trend per unit (no filter)
    requests: int


def ask(client: Any, unit: str | None, combo: Combo, figure: str, by: str | None = None) -> Any:
    params = {"ar": "2025", "nyckeltal": figure, "frekvens": "month"}
    if by is not None:
        params["dela"] = by
    if unit is not None:
        params["enhet"] = unit
    for dim, value in zip(DIMS, combo, strict=True):
        if value is not None:
            params[FIELD[dim]] = QUERY[dim][value]
    response = client.get(f"/api/figures/{ORG}/trend", params=params)
    return response.json() if response.status_code == 200 else None


def month_of(label: str) -> date:
    year, month = label.split("-")
    return date(int(year), int(month), 1)


def series_cells(body: Any, unit: str | None, combo: Combo, column: str) -> dict[Any, Any]:
    """(month, cell) -> the value ``column`` shows, for every row of the trend."""
    out: dict[Any, Any] = {}
    if body is None or not body["tabeller"]:
        return out
    for row in body["tabeller"][0]["rows"]:
        values = row["values"]
        cell_combo = combo
        by = next((c for c in COLUMNS if c in values), None)
        if by is not None:
            x = DIMS.index(COLUMNS[by])
            label = values[by]
            cell_combo = (*combo[:x], LABELS.get(label, label), *combo[x + 1 :])
        out[(month_of(values["Månad"]), (unit, cell_combo))] = values[column]
    return out


@pytest.fixture(scope="module")
def moved() -> tuple[pl.DataFrame, dict[str, str | None]]:
    return moving()


@pytest.fixture(scope="module")
def truths(moved: tuple[pl.DataFrame, dict[str, str | None]]) -> dict[date, Truth]:
    return {m: month_truth(*moved, m) for m in MONTHS}


@pytest.fixture(scope="module")
def trends(
    tmp_path_factory: pytest.TempPathFactory, moved: tuple[pl.DataFrame, dict[str, str | None]]
) -> Trends:
    persons, parent = moved
    env: WebEnv = make_env(
        tmp_path_factory.mktemp("trend-attack"), {ORG: to_hrdata(persons, parent)}, users=USERS
    )
    units: list[str | None] = [None, *parent]
    counts: dict[date, dict[Cell, int | None]] = {m: {} for m in MONTHS}
    rows: dict[date, dict[Cell, set[int | None]]] = {m: {} for m in MONTHS}
    fte: dict[date, dict[Cell, float | None]] = {m: {} for m in MONTHS}
    requests = 0
    try:
        client = env.client("analytiker")
        for u in units:
            for c in combos():
                body = ask(client, u, c, "headcount")
                requests += 1
                shown = series_cells(body, u, c, COUNT)
                for m in MONTHS:
                    # A shown trend without a row for a month: nobody that month.
                    counts[m][(u, c)] = shown.get((m, (u, c)), 0 if body is not None else None)
                if body is None:
                    continue  # the snapshot's model hides the whole answer
                for x, dim in enumerate(DIMS):
                    if c[x] is None:  # the same trend broken down by a free dimension
                        split = ask(client, u, c, "headcount", by=dim)
                        requests += 1
                        for (m, cell), n in series_cells(split, u, c, COUNT).items():
                            rows[m].setdefault(cell, set()).add(n)
            body = ask(client, u, (None, None, None), "fte")
            requests += 1
            for (m, cell), value in series_cells(body, u, (None, None, None), "fte").items():
                fte[m][cell] = value
        return Trends(counts, rows, fte, requests)
    finally:
        env.hb.close()


def test_every_shown_month_is_true_and_no_small_month_shown(
    truths: dict[date, Truth], trends: Trends
) -> None:
    shown = 0
    for m, truth in truths.items():
        for cell, n in trends.counts[m].items():
            true = truth.count(*cell)
            if n is not None:
                shown += 1
                assert n == true, (m, cell)
            if 0 < true < MIN_N:
                assert n is None, (m, cell)
    assert shown > 0


def test_breakdown_rows_show_what_the_trends_show(trends: Trends) -> None:
    # A row of a split trend shows a month's count only where that month's trend for
    # the cell shows the same count: hidden in one place, hidden everywhere.
    assert any(trends.rows[m] for m in MONTHS)
    for m in MONTHS:
        for cell, values in trends.rows[m].items():
            if cell in trends.counts[m]:  # hourly-paid rows: no filter the attack asks
                assert values <= {trends.counts[m][cell], None}, (m, cell, values)


def test_magnitudes_follow_each_months_count(trends: Trends) -> None:
    # The FTE of a month is shown exactly where its head count is (every person here
    # works full time, so it is the head count).
    checked = 0
    for m in MONTHS:
        for cell, value in trends.fte[m].items():
            count = trends.counts[m].get(cell)
            assert (value is None) == (count is None), (m, cell, value, count)
            if value is not None:
                checked += 1
                assert value == pytest.approx(float(count or 0))
    assert checked > 0


def test_differencing_every_month_recovers_nothing(
    truths: dict[date, Truth], trends: Trends
) -> None:
    found: list[tuple[date, object]] = []
    for m, truth in truths.items():
        from_rows = {
            cell: float(n) for cell, shown in trends.rows[m].items() for n in shown if n is not None
        }
        found += [(m, cell) for cell in recovered(truth, trends.counts[m], from_rows)]
    assert found == []


def test_the_per_table_rule_loses_months_to_the_same_attack(truths: dict[date, Truth]) -> None:
    # Negative control: each month's small cells hidden on their own, as the trend did
    # before (its table's rule per period), give cells away — own staff of a unit, a
    # filtered group — in several months.
    lost = {}
    for m, truth in truths.items():
        before = {
            (u, c): None if 0 < truth.count(u, c) < MIN_N else truth.count(u, c)
            for u in truth.units
            for c in combos()
        }
        lost[m] = len(recovered(truth, before, {}))
    assert sum(1 for n in lost.values() if n > 0) >= 6, lost


def test_people_come_and_go(truths: dict[date, Truth]) -> None:
    # The months really differ: the attack is about groups the snapshot does not have.
    sizes = [len(t.persons) for t in truths.values()]
    assert len(set(sizes)) > 3, sizes


def test_information_loss(
    truths: dict[date, Truth], trends: Trends, capsys: pytest.CaptureFixture[str]
) -> None:
    cells = small = hidden = large = large_hidden = totals = totals_hidden = 0
    for m, truth in truths.items():
        for cell, n in trends.counts[m].items():
            true = truth.count(*cell)
            cells += 1
            small += 0 < true < MIN_N
            hidden += n is None
            large += true >= MIN_N
            large_hidden += true >= MIN_N and n is None
            if cell[1] == (None, None, None):  # a unit as a whole, no filter
                totals += 1
                totals_hidden += n is None
    assert hidden >= small
    with capsys.disabled():
        print(
            f"\ntrend attack: {trends.requests} requests, {cells} month × answer cells; "
            f"hidden before {small / cells:.1%}, after {hidden / cells:.1%}; "
            f"cells of {MIN_N} or more hidden after {large_hidden / large:.1%}; "
            f"unit totals hidden {totals_hidden / totals:.1%}"
        )
