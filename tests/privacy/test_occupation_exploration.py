"""Occupation breakdowns through the JSON API: the cell key method, attacked.

An occupation is no dimension of the key figures' cube, so the rows of a breakdown by
occupation are exploration (services.disclosure, docs/privacy.md): the head count of a
row is perturbed with noise that depends only on the persons in it, sums per
occupation are not shown. The analyst asks ``/api/figures/{org}?dela=ssyk`` for every
unit × gender filter and attacks the rows: subtracting the women's row from the
unfiltered one, and the children's rows from the parent's. The truth is counted with
plain polars from the generated persons.
"""

from __future__ import annotations

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

ORG = "4322"
MIN_N = 5
AS_OF = date(2025, 12, 31)
OCCUPATIONS = {"5321": "Undersköterska", "2341": "Grundskollärare", "3221": "Sjuksköterska"}
USERS = {"analytiker": (Role.ANALYST, (ORG,), ())}
PARENT: dict[str, str | None] = {"F": None, "A": "F", "B": "F", "A1": "A", "A2": "A"}
GENDER_QUERY = {"K": "K", "M": "M", None: None}
SUM_HEADERS = ("Täljare (timmar)", "Nämnare (timmar)", "Antal personer")


def generated(seed: int = 5) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    units = np.repeat(["A1", "A2", "B", "A"], [14, 11, 16, 3])
    n = len(units)
    return pl.DataFrame(
        {
            "person_id": [f"q{i:03d}" for i in range(n)],
            "unit_id": units,
            "gender": rng.choice(["K", "M"], n, p=[0.7, 0.3]),
            "ssyk": rng.choice(list(OCCUPATIONS), n, p=[0.6, 0.25, 0.15]),
        }
    )


def to_hrdata(persons: pl.DataFrame) -> Any:
    people, jobs = [], []
    for row in persons.iter_rows(named=True):
        pid = row["person_id"]
        people.append(person(pid, date(1980, 6, 1), row["gender"]))
        jobs.append(
            employment(
                f"E{pid}",
                pid,
                row["unit_id"],
                title=OCCUPATIONS[row["ssyk"]],
                ssyk=row["ssyk"],
                monthly_pay=32000.0,
            )
        )
    units = [(u, p, f"Enhet {u}") for u, p in PARENT.items()]
    return hrdata(AS_OF, ORG, "Yrkeskommun", units=units, persons=people, employments=jobs)


def subtree(unit: str) -> set[str]:
    out = {unit}
    for child, parent in PARENT.items():
        if parent == unit:
            out |= subtree(child)
    return out


Cell = tuple[str, str | None, str]  # unit, gender (None: all), occupation


@dataclass
class Rows:
    counts: dict[Cell, int | None]  # the headcount table's published count per row
    tables: list[dict[str, Any]]  # every occupation table of every answer
    trend: dict[str, Any]  # the head count's yearly series by occupation
    versus: dict[str, Any]  # the women-/men-dominated comparison


@pytest.fixture(scope="module")
def persons() -> pl.DataFrame:
    return generated()


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory, persons: pl.DataFrame) -> Iterator[Rows]:
    env: WebEnv = make_env(tmp_path_factory.mktemp("occ"), {ORG: to_hrdata(persons)}, users=USERS)
    try:
        client = env.client("analytiker")
        counts: dict[Cell, int | None] = {}
        tables: list[dict[str, Any]] = []
        for unit in PARENT:
            for gender in GENDER_QUERY:
                params = {"ar": "2025", "dela": "ssyk", "enhet": unit}
                if gender is not None:
                    params["kon"] = gender
                body = client.get(f"/api/figures/{ORG}", params=params).json()
                for table in body.get("tabeller", []):
                    tables.append(table)
                    if table["id"] != "headcount":
                        continue
                    for row in table["rows"]:
                        label = row["values"]["Yrke (SSYK)"]
                        if label == "Totalt":
                            continue
                        code = label.split(" ")[0]
                        counts[(unit, gender, code)] = row["values"]["Antal personer"]
        trend = client.get(
            f"/api/figures/{ORG}/trend",
            params={"nyckeltal": "headcount", "frekvens": "year", "dela": "ssyk"},
        ).json()
        versus = client.get(f"/api/figures/{ORG}/kvinnor-man", params={"ar": "2025"}).json()
        yield Rows(counts, tables, trend, versus)
    finally:
        env.hb.close()


def truth(persons: pl.DataFrame, cell: Cell) -> pl.DataFrame:
    unit, gender, code = cell
    frame = persons.filter(pl.col("unit_id").is_in(sorted(subtree(unit))), pl.col("ssyk") == code)
    return frame if gender is None else frame.filter(pl.col("gender") == gender)


def test_no_published_count_is_a_small_group(rows: Rows) -> None:
    assert rows.counts
    assert all(n is not None and (n == 0 or n >= MIN_N) for n in rows.counts.values())


def test_the_same_persons_always_get_the_same_count(persons: pl.DataFrame, rows: Rows) -> None:
    # The noise depends on the persons only: two rows of the same persons (a unit with
    # only women in an occupation, with and without the women's filter; a parent and
    # its only staffed child) publish the same number, so asking again, or asking the
    # same group another way, averages nothing away.
    by_persons: dict[frozenset[str], set[int | None]] = {}
    for cell, n in rows.counts.items():
        ids = frozenset(truth(persons, cell)["person_id"].to_list())
        by_persons.setdefault(ids, set()).add(n)
    assert all(len(published) == 1 for published in by_persons.values())
    assert any(len(ids) > 0 for ids in by_persons)


def test_counts_are_noisy_and_unbiased_in_range(persons: pl.DataFrame, rows: Rows) -> None:
    changed = 0
    for cell, n in rows.counts.items():
        true = truth(persons, cell).height
        assert n is not None
        if true >= MIN_N:
            assert abs(n - true) <= 2, cell  # PTable: at most ±2 from 7 up, ±1 at 6
        changed += n != true
    assert changed > 0  # the noise is really there


def test_no_sum_per_occupation_is_shown(rows: Rows) -> None:
    # Sums (sick hours, working hours, person counts of other figures) would give a
    # small group's sum by subtraction; in occupation rows they are hidden.
    checked = 0
    for table in rows.tables:
        for row in table["rows"]:
            label = row["values"].get("Yrke (SSYK)")
            if label in (None, "Totalt") or table["id"] == "headcount":
                continue
            checked += 1
            for header in SUM_HEADERS:
                if header in row["values"]:
                    assert row["values"][header] is None, (table["id"], row)
    assert checked > 0


def test_differencing_does_not_give_the_small_groups(persons: pl.DataFrame, rows: Rows) -> None:
    # Men of an occupation = all − women; a unit's own staff = the unit − its children.
    # With exact counts both are the truth; here they are off for the small groups the
    # attacker is after, and the attacker cannot tell which ones are right.
    small, right = 0, 0
    for (unit, gender, code), n in rows.counts.items():
        if gender is not None or n is None:
            continue
        women = rows.counts.get((unit, "K", code))
        if women is None:
            continue
        true_men = truth(persons, (unit, "M", code)).height
        if 0 < true_men < MIN_N:
            small += 1
            right += (n - women) == true_men
    assert small > 0
    # Exact counts would give all of them; the perturbation leaves most wrong.
    assert right < small


def test_the_series_by_occupation_shows_no_head_count(rows: Rows) -> None:
    # A series has no perturbed count per period: its occupation rows' counts are hidden.
    table_rows = [r for t in rows.trend["tabeller"] for r in t["rows"]]
    occupation_rows = [
        r for r in table_rows if r["values"].get("Yrke (SSYK)") not in (None, "Totalt")
    ]
    assert occupation_rows
    for row in occupation_rows:
        assert row["values"]["headcount"] is None and row["marks"]["headcount"] == "..", row


def test_the_dominated_groups_give_no_size_and_share(persons: pl.DataFrame, rows: Rows) -> None:
    # "25 persons, 96 % women" gives the one man; the comparison names each group's
    # perturbed size and the rule's least share instead.
    notes = [n for t in rows.versus["tabeller"] for n in t["notes"]]
    groups = [n for n in notes if n.startswith(("Kvinnodominerat:", "Mansdominerat:"))]
    assert groups
    sizes = dict(zip(*persons["ssyk"].value_counts(sort=True).to_dict().values(), strict=True))
    for note in groups:
        assert "minst 60 %" in note and "omkring" in note, note
        size = int(note.split("omkring ")[1].split(" ")[0])
        code = next(c for c, name in OCCUPATIONS.items() if name in note)
        assert size == 0 or size >= MIN_N
        assert abs(size - sizes[code]) <= 2
