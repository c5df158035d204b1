"""The analyst's attack through the real key-figure JSON API: it must recover nothing.

A small generated organisation (three levels, teams of about eight, skewed gender,
age and employment form, so that many fine answers hold 1–4 persons) is imported
and the analyst asks ``/api/figures/{org}`` for every unit × every filter
combination of gender, age band and employment form (each value or all). The
attacker keeps every shown head count (the ``headcount`` card and the page's
declared population count) and every shown permanent share, knows the structure
(a unit's answer holds its subtree, "all" is the sum of the values), and every
count of the unit pages (``/api/org/{org}/unit/{unit}``: head count, sub-units with
women and men, the age × gender table), and then
differences along every line to a fixpoint: a filter value against all, parent
minus children (own staff unknown), siblings, share × count. The truth is counted
here with plain polars from the generated persons, independently of the model.

Recovered: a hidden answer, or a unit's own staff of 1–4 persons, whose value the
attack determines. It must be 0. ``test_information_loss`` reports the share of
answers hidden before (each small answer on its own) and after (docs/privacy.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import polars as pl
import pytest
from handmade import employment, hrdata, person
from webtesting import WebEnv, make_env

from hallbar.core.access import Role

ORG = "4321"
MIN_N = 5  # settings.min_group_size, the default
AS_OF = date(2025, 12, 31)  # snapshot; the key figures' year is 2025, ages = 2025 − birth year
GENDERS = ("K", "M")
AGES = ("≤29", "30–49", "≥50")
BIRTH = {"≤29": 2000, "30–49": 1985, "≥50": 1970}  # ages 25, 40, 55 in 2025
FORMS = ("tillsvidare", "visstid")
# The API's query values for each dimension value.
QUERY = {
    "gender": {"K": "K", "M": "M"},
    "age_band": {"≤29": "29", "30–49": "30-49", "≥50": "50"},
    "employment_form": {"tillsvidare": "tillsvidare", "visstid": "visstid"},
}
FIELD = {"gender": "kon", "age_band": "alder", "employment_form": "anstallning"}
VALUES = {"gender": GENDERS, "age_band": AGES, "employment_form": FORMS}
DIMS = list(VALUES)
USERS = {"analytiker": (Role.ANALYST, (ORG,), ())}
Combo = tuple[str | None, ...]
Cell = tuple[str | None, Combo]


def combos() -> Iterator[Combo]:
    yield from itertools.product(*[(*values, None) for values in VALUES.values()])


def generated(seed: int = 7) -> tuple[pl.DataFrame, dict[str, str | None]]:
    """Two departments, four sections, eight teams; persons mostly in teams."""
    rng = np.random.default_rng(seed)
    parent: dict[str, str | None] = {"F0": None, "F1": None}
    parent |= {f"S{i}": f"F{i % 2}" for i in range(4)}
    parent |= {f"E{i}": f"S{i % 4}" for i in range(8)}
    sizes = [int(rng.poisson(1.5 if u[0] != "E" else 8.0)) for u in parent]
    units = np.repeat(list(parent), sizes)
    n = len(units)
    persons = pl.DataFrame(
        {
            "person_id": [f"p{i:03d}" for i in range(n)],
            "unit_id": units,
            "gender": rng.choice(GENDERS, n, p=[0.75, 0.25]),
            "age_band": rng.choice(AGES, n, p=[0.2, 0.5, 0.3]),
            "employment_form": rng.choice(FORMS, n, p=[0.85, 0.15]),
        }
    )
    return persons, parent


def to_hrdata(persons: pl.DataFrame, parent: dict[str, str | None]) -> Any:
    people, jobs = [], []
    for row in persons.iter_rows(named=True):
        pid = row["person_id"]
        people.append(person(pid, date(BIRTH[row["age_band"]], 6, 1), row["gender"]))
        job = employment(f"E{pid}", pid, row["unit_id"], title="Handläggare", monthly_pay=35000.0)
        jobs.append(job | {"employment_form": row["employment_form"]})
    units = [(u, p, f"Enhet {u}") for u, p in parent.items()]
    return hrdata(AS_OF, ORG, "Genererad kommun", units=units, persons=people, employments=jobs)


@dataclass
class Truth:
    """Counts straight from the generated persons (no hallbar code)."""

    persons: pl.DataFrame
    parent: dict[str, str | None]

    def __post_init__(self) -> None:
        self.units: list[str | None] = [None, *self.parent]
        self.children: dict[str | None, list[str]] = {u: [] for u in self.units}
        for u, p in self.parent.items():
            self.children[p].append(u)
        self.subtree = {u: self._below(u) for u in self.units}

    def _below(self, unit: str | None) -> set[str]:
        out = set() if unit is None else {unit}
        for c in self.children[unit]:
            out |= self._below(c)
        return out

    def _select(self, units: set[str], combo: Combo) -> pl.DataFrame:
        frame = self.persons.filter(pl.col("unit_id").is_in(sorted(units)))
        for dim, value in zip(DIMS, combo, strict=True):
            if value is not None:
                frame = frame.filter(pl.col(dim) == value)
        return frame

    def count(self, unit: str | None, combo: Combo) -> int:
        return self._select(self.subtree[unit], combo).height

    def own(self, unit: str | None, combo: Combo) -> int:
        return 0 if unit is None else self._select({unit}, combo).height


@dataclass
class Answers:
    counts: dict[Cell, int | None]  # the head count shown, None when hidden
    shares: dict[Cell, float]  # permanent count derived from a shown share × shown count
    requests: int
    rows: dict[Cell, set[int | None]]  # what breakdown rows showed for each cell


def ask(client: Any, unit: str | None, combo: Combo, by: str | None = None) -> dict[str, Any]:
    params = {"ar": "2025"}
    if by is not None:
        params["dela"] = by
    if unit is not None:
        params["enhet"] = unit
    for dim, value in zip(DIMS, combo, strict=True):
        if value is not None:
            params[FIELD[dim]] = QUERY[dim][value]
    response = client.get(f"/api/figures/{ORG}", params=params)
    return {"status": response.status_code, "body": response.json()}


def shown_count(answer: dict[str, Any]) -> int | None:
    """Every number the answer gives for its own head count (card and declared count);
    they must agree, or their difference would be an answer of its own."""
    if answer["status"] != 200:
        text = str(answer["body"])
        # A released empty answer says so; anything else is a hidden answer.
        return 0 if "Ingen personal" in text else None
    data = answer["body"]["data"] if "data" in answer["body"] else answer["body"]
    card = next(c for c in data["nyckeltal"] if c["id"] == "headcount")
    declared = [
        p["n"] for p in answer["body"].get("populationer", []) if p["population"] == "monthly_paid"
    ]
    value = None if card["varde"] is None else int(card["varde"])
    assert all(n == value for n in declared if n is not None), (declared, value)
    return value


# Breakdown tables that count the answer's persons per value of one dimension: the
# chosen breakdown ("dela") of the head count and the built-in structure tables.
COUNT_TABLES = ("headcount", "gender_structure", "age_structure", "employment_forms")
COLUMNS = {"Kön": "gender", "Åldersgrupp": "age_band", "Anställningsform": "employment_form"}
LABELS = {"Kvinnor": "K", "Män": "M", "Totalt": None}


def table_cells(answer: dict[str, Any], unit: str | None, combo: Combo) -> dict[Cell, int | None]:
    """Every count a breakdown row of the answer shows, as the cell it counts."""
    out: dict[Cell, int | None] = {}
    if answer["status"] != 200:
        return out
    for table in answer["body"]["tabeller"]:
        if table["id"] not in COUNT_TABLES:
            continue
        for row in table["rows"]:
            values = row["values"]
            column = next((c for c in COLUMNS if c in values), None)
            if column is None or "Antal personer" not in values:
                continue
            label = values[column]
            value = LABELS.get(label, label)
            x = DIMS.index(COLUMNS[column])
            cell = (unit, (*combo[:x], value, *combo[x + 1 :]))
            n = values["Antal personer"]
            out[cell] = None if n is None else int(n)
    return out


UNIT_GENDER = {"kvinnor": "K", "män": "M", "totalt": None, "antal": None}
UNIT_AGES = {"Totalt": None, **{a: a for a in AGES}}


def unit_page_cells(client: Any, unit: str) -> dict[Cell, int | None]:
    """Every count the unit page's JSON twin shows (head count, the sub-unit rows and
    the age × gender table), as the cell of the key figures' cube it counts."""
    body = client.get(f"/api/org/{ORG}/unit/{unit}").json()
    data = body.get("data", body)
    out: dict[Cell, int | None] = {(unit, (None, None, None)): data["headcount"]}
    for row in data["sub_units"]["rows"]:
        values = row["values"]
        for column in ("antal", "kvinnor", "män"):
            out[(values["enhet_id"], (UNIT_GENDER[column], None, None))] = values[column]
    for row in data["age_gender"]["rows"]:
        values = row["values"]
        age = UNIT_AGES[values["åldersgrupp"]]
        for column in ("kvinnor", "män", "totalt"):
            out[(unit, (UNIT_GENDER[column], age, None))] = values[column]
    return out


def permanent_share(answer: dict[str, Any]) -> float | None:
    if answer["status"] != 200:
        return None
    data = answer["body"]["data"] if "data" in answer["body"] else answer["body"]
    card = next(c for c in data["nyckeltal"] if c["id"] == "permanent_share")
    return card["varde"]


def lines(truth: Truth) -> list[tuple[object, list[object]]]:
    out: list[tuple[object, list[object]]] = []
    for u in truth.units:
        for c in combos():
            for x, dim in enumerate(DIMS):
                if c[x] is None:
                    out.append(((u, c), [(u, (*c[:x], v, *c[x + 1 :])) for v in VALUES[dim]]))
            if truth.children[u]:
                out.append(((u, c), [(k, c) for k in truth.children[u]] + [("own", u, c)]))
    return out


def difference(truth: Truth, known: dict[object, float]) -> dict[object, float]:
    """Solve every relation with one unknown left, until nothing changes."""
    values = dict(known)
    relations = lines(truth)
    changed = True
    while changed:
        changed = False
        for whole, parts in relations:
            unknown = [c for c in (whole, *parts) if c not in values]
            if len(unknown) != 1:
                continue
            rest = sum(values[p] for p in parts if p in values)
            target = unknown[0]
            values[target] = values[whole] - rest if target != whole else rest
            changed = True
    return values


def recovered(truth: Truth, answers: dict[Cell, int | None], extra: dict[Cell, float]) -> set:
    known: dict[object, float] = {k: v for k, v in answers.items() if v is not None}
    values = difference(truth, known | extra)
    found: set[object] = set()
    for cell, shown in answers.items():
        if shown is None and cell in values:
            assert round(values[cell]) == truth.count(*cell)  # the attack is sound
            found.add(cell)
    for u in truth.units:
        for c in combos():
            key = ("own", u, c)
            if truth.children[u] and key in values and 0 < truth.own(u, c) < MIN_N:
                found.add(key)
    return found


@pytest.fixture(scope="module")
def truth() -> Truth:
    return Truth(*generated())


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory, truth: Truth) -> Answers:
    env: WebEnv = make_env(
        tmp_path_factory.mktemp("attack"),
        {ORG: to_hrdata(truth.persons, truth.parent)},
        users=USERS,
    )
    try:
        client = env.client("analytiker")
        counts: dict[Cell, int | None] = {}
        rows: dict[Cell, set[int | None]] = {}
        shares: dict[Cell, float] = {}
        requests = 0
        for u in truth.units:
            for c in combos():
                answer = ask(client, u, c)
                requests += 1
                counts[(u, c)] = shown_count(answer)
                for cell, n in table_cells(answer, u, c).items():
                    rows.setdefault(cell, set()).add(n)
                share = permanent_share(answer)
                total = counts[(u, c)]
                if share is not None and total and c[2] is None:
                    shares[(u, (*c[:2], "tillsvidare"))] = round(share / 100 * total, 6)
                if total is None:
                    continue  # a hidden answer has no breakdown either
                for x, dim in enumerate(DIMS):
                    if c[x] is None:  # the same answer broken down by a free dimension
                        answer = ask(client, u, c, by=dim)
                        requests += 1
                        for cell, n in table_cells(answer, u, c).items():
                            rows.setdefault(cell, set()).add(n)
        for u in truth.parent:  # the unit pages show cells of the same cube
            requests += 1
            for cell, n in unit_page_cells(client, u).items():
                rows.setdefault(cell, set()).add(n)
        return Answers(counts, shares, requests, rows)
    finally:
        env.hb.close()


def test_every_shown_count_is_true_and_every_small_answer_hidden(
    truth: Truth, answers: Answers
) -> None:
    for cell, shown in answers.counts.items():
        n = truth.count(*cell)
        if shown is not None:
            assert shown == n, cell
        if 0 < n < MIN_N:
            assert shown is None, cell


def test_breakdown_rows_show_what_the_answers_show(truth: Truth, answers: Answers) -> None:
    # A row shows a count only where the answer for that cell shows the same count, so
    # the tables add nothing to the answers (hidden in one place: hidden everywhere).
    # The rows include the unit pages' sub-unit and age × gender tables.
    assert answers.rows
    assert any(cell[1][1] is not None and cell[1][0] is not None for cell in answers.rows)
    for cell, shown in answers.rows.items():
        assert shown <= {answers.counts[cell], None}, (cell, shown, answers.counts[cell])
        assert {n for n in shown if n is not None} <= {truth.count(*cell)}


def test_differencing_through_the_api_recovers_nothing(truth: Truth, answers: Answers) -> None:
    assert len(answers.counts) == len(truth.units) * 3 * 4 * 3  # units × (2+1)(3+1)(2+1)
    from_rows = {
        cell: float(n) for cell, shown in answers.rows.items() for n in shown if n is not None
    }
    assert recovered(truth, answers.counts, answers.shares | from_rows) == set()


def test_the_per_response_rule_loses_cells_to_the_same_attack(truth: Truth) -> None:
    # Negative control: each small answer hidden on its own, as before the model.
    before: dict[Cell, int | None] = {}
    for u in truth.units:
        for c in combos():
            n = truth.count(u, c)
            before[(u, c)] = None if 0 < n < MIN_N else n
    assert len(recovered(truth, before, {})) > 0


def test_information_loss(
    truth: Truth, answers: Answers, capsys: pytest.CaptureFixture[str]
) -> None:
    cells = list(answers.counts)
    small = sum(1 for cell in cells if 0 < truth.count(*cell) < MIN_N)
    hidden = sum(1 for cell in cells if answers.counts[cell] is None)
    assert hidden >= small
    with capsys.disabled():
        print(
            f"\nattack: {len(truth.persons)} persons, {len(truth.units) - 1} units, "
            f"{len(cells)} answers, {answers.requests} requests; hidden before {small / len(cells):.1%}, "
            f"after {hidden / len(cells):.1%}"
        )
