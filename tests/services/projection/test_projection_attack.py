"""The analyst's attack on the projection's start-year tables: it must recover nothing.

The projection shows, for every unit a user may choose, the staff per occupation
and the age × gender pyramid at the start. The attacker asks the projection for
every unit (and the organisation), keeps every shown occupation count and every
shown pyramid cell, adds every answer of the key figures (every unit × gender ×
age band × employment form, as their API gives them), and knows the structure: a
unit holds its subtree (the unit = its children + its own staff), a unit's total
is the sum of its occupations and of each filter's values, and the projection's
total is the key figures' head count of the unit. Then differencing along every
line to a fixpoint (a value against all, parent minus children, sibling sums), and
a rank test: any linear combination of everything shown.

The truth is counted with plain polars from the generated persons. Negative
control: the tables as they were protected before (per table: occupations below
the minimum pooled, ``suppress`` over the occupations and their total, the pyramid
suppressed on its own with its margins) lose small groups to the same attack.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import polars as pl
import pytest

from hallbar.privacy.model import DisclosureModel
from hallbar.privacy.queryspace import FilterDimension
from hallbar.privacy.suppression import Dimension, SuppressionRule, suppress
from hallbar.services.disclosure import build_unit_breakdown, linked_breakdown_counts

MIN_N = 5
GENDERS = ("K", "M")
AGES = ("≤29", "30–49", "≥50")
FORMS = ("tillsvidare", "visstid")
OCCUPATIONS = ("5321", "2341", "2343", "4119", "3412", "5311")
KEY_VALUES = {"gender": GENDERS, "age_band": AGES, "employment_form": FORMS}
KEY_DIMS = list(KEY_VALUES)
DIMENSIONS = tuple(FilterDimension(d, v) for d, v in KEY_VALUES.items())
# The key figures' cells with the occupation as a fourth coordinate ("occupation": None
# is all occupations, the key figures' own answer).
ALL_DIMS = (*KEY_DIMS, "occupation")
ALL_VALUES = {**KEY_VALUES, "occupation": OCCUPATIONS}
Combo = tuple[str | None, ...]
Cell = tuple[str | None, Combo]
OTHER = "Övriga"
TOTAL = "Totalt"


def generated(n_units: int, seed: int) -> tuple[pl.DataFrame, dict[str, str | None]]:
    """Departments, sections and teams (teams of about 8), 75 % women, skewed ages and
    occupations: most unit × occupation cells hold 0 to 4 persons."""
    rng = np.random.default_rng(seed)
    depts = [f"F{i}" for i in range(2)]
    sects = [f"S{i}" for i in range(max(3, n_units // 6))]
    teams = [f"E{i}" for i in range(n_units - len(depts) - len(sects))]
    parent: dict[str, str | None] = dict.fromkeys(depts)
    parent |= {s: depts[int(rng.integers(len(depts)))] for s in sects}
    parent |= {t: sects[int(rng.integers(len(sects)))] for t in teams}
    has_children = set(parent.values())
    sizes = [int(rng.poisson(2.0 if u in has_children else 8.0)) for u in parent]
    units = np.repeat(list(parent), sizes)
    n = len(units)
    persons = pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "unit_id": units,
            "gender": rng.choice(GENDERS, n, p=[0.75, 0.25]),
            "age_band": rng.choice(AGES, n, p=[0.2, 0.5, 0.3]),
            "employment_form": rng.choice(FORMS, n, p=[0.85, 0.15]),
            "occupation": rng.choice(OCCUPATIONS, n, p=[0.4, 0.25, 0.15, 0.1, 0.06, 0.04]),
        }
    )
    return persons, parent


class Org:
    """The truth, counted directly from the persons frame."""

    def __init__(self, persons: pl.DataFrame, parent: dict[str, str | None]) -> None:
        self.persons = persons
        self.parent = parent
        self.units: list[str | None] = [None, *parent]
        self.children: dict[str | None, list[str]] = {u: [] for u in self.units}
        for u, p in parent.items():
            self.children[p].append(u)
        self.subtree = {u: self._below(u) for u in self.units}
        self._counts: dict[tuple[frozenset[str], Combo], int] = {}

    def _below(self, unit: str | None) -> frozenset[str]:
        out = set() if unit is None else {unit}
        for c in self.children[unit]:
            out |= self._below(c)
        return frozenset(out)

    def _select(self, units: frozenset[str], combo: Combo) -> int:
        key = (units, combo)
        if key not in self._counts:
            frame = self.persons.filter(pl.col("unit_id").is_in(sorted(units)))
            for dim, value in zip(ALL_DIMS, combo, strict=True):
                if value is not None:
                    frame = frame.filter(pl.col(dim) == value)
            self._counts[key] = frame.height
        return self._counts[key]

    def count(self, unit: str | None, combo: Combo) -> int:
        return self._select(self.subtree[unit], combo)

    def own(self, unit: str | None, combo: Combo) -> int:
        return 0 if unit is None else self._select(frozenset({unit}), combo)


def all_combos() -> Iterator[Combo]:
    """The key figures' combos (occupation all) and the occupation rows (all else all)."""
    for key in itertools.product(*[(*v, None) for v in KEY_VALUES.values()]):
        yield (*key, None)
    for occ in OCCUPATIONS:
        yield (None, None, None, occ)


def lines(org: Org) -> list[tuple[object, list[object]]]:
    """Every additive relation among the cells the attacker may see."""
    combos = list(all_combos())
    known = set(combos)
    out: list[tuple[object, list[object]]] = []
    for u in org.units:
        for c in combos:
            for x, dim in enumerate(ALL_DIMS):
                if c[x] is None:
                    parts = [(*c[:x], v, *c[x + 1 :]) for v in ALL_VALUES[dim]]
                    if all(p in known for p in parts):
                        out.append(((u, c), [(u, p) for p in parts]))
            if org.children[u]:
                out.append(((u, c), [(k, c) for k in org.children[u]] + [("own", u, c)]))
    return out


def difference_attack(org: Org, known: dict[Cell, int | None]) -> dict[object, float]:
    """Solve every relation that has one unknown left, until nothing changes."""
    values: dict[object, float] = {k: v for k, v in known.items() if v is not None}
    relations = lines(org)
    changed = True
    while changed:
        changed = False
        for whole, parts in relations:
            unknown = [c for c in [whole, *parts] if c not in values]
            if len(unknown) != 1:
                continue
            rest = sum(values[p] for p in parts if p in values)
            target = unknown[0]
            values[target] = values[whole] - rest if target != whole else rest
            changed = True
    return values


def recovered(org: Org, answers: dict[Cell, int | None]) -> set[object]:
    """Hidden cells and small own-staff groups the attack pins down."""
    values = difference_attack(org, answers)
    found: set[object] = set()
    for u in org.units:
        for c in all_combos():
            truth = org.count(u, c)
            if answers.get((u, c)) is None and (u, c) in values:
                assert values[(u, c)] == truth  # the attack is sound
                if 0 < truth < MIN_N or (u, c) in answers:
                    found.add((u, c))
            own = ("own", u, c)
            if org.children[u] and own in values and 0 < org.own(u, c) < MIN_N:
                assert values[own] == org.own(u, c)
                found.add(own)
    return found


def key_answers(org: Org, key_model: DisclosureModel) -> dict[Cell, int | None]:
    """Every answer of the key figures' API: every unit × gender × age band × form."""
    out: dict[Cell, int | None] = {}
    for u in org.units:
        for key in itertools.product(*[(*v, None) for v in KEY_VALUES.values()]):
            out[(u, (*key, None))] = key_model.count(u, dict(zip(KEY_DIMS, key, strict=True)))
    return out


def projection_answers(
    org: Org, key_model: DisclosureModel, occupations: DisclosureModel
) -> dict[Cell, int | None]:
    """What the projection shows for every unit: its staff (the key figures' head count),
    the occupation rows and the pyramid's start cells, as the services decide them."""
    out: dict[Cell, int | None] = {}
    for u in org.units:
        out[(u, (None, None, None, None))] = key_model.count(u)
        for occ, n in linked_breakdown_counts(occupations, key_model, u, "occupation").items():
            out[(u, (None, None, None, occ))] = n
        for g, a in itertools.product(GENDERS, AGES):
            out[(u, (g, a, None, None))] = key_model.count(u, {"gender": g, "age_band": a})
    return out


def per_table_answers(org: Org) -> dict[Cell, int | None]:
    """The projection's tables as they were protected before: each on its own."""
    out: dict[Cell, int | None] = {}
    rule = SuppressionRule(MIN_N)
    for u in org.units:
        counts = {occ: org.count(u, (None, None, None, occ)) for occ in OCCUPATIONS}
        rows = {occ: n for occ, n in counts.items() if n >= MIN_N}
        pooled = sum(n for n in counts.values() if 0 < n < MIN_N)
        labels = [*rows, *([OTHER] if pooled else []), TOTAL]
        values = [*rows.values(), *([pooled] if pooled else []), sum(counts.values())]
        table = suppress(
            pl.DataFrame({"occ": labels, "n": values}),
            count_col="n",
            value_cols=[],
            rule=rule,
            dimensions=[Dimension("occ", total=TOTAL)],
        ).frame
        shown = dict(zip(table["occ"].to_list(), table["n"].to_list(), strict=True))
        out[(u, (None, None, None, None))] = shown[TOTAL]
        for occ in OCCUPATIONS:
            out[(u, (None, None, None, occ))] = shown.get(occ, 0 if counts[occ] == 0 else None)
        cells = [(g, a) for g in (*GENDERS, "T") for a in (*AGES, "Alla")]
        pyramid = suppress(
            pl.DataFrame(
                {
                    "gender": [g for g, _ in cells],
                    "band": [a for _, a in cells],
                    "n": [
                        org.count(
                            u, (None if g == "T" else g, None if a == "Alla" else a, None, None)
                        )
                        for g, a in cells
                    ],
                }
            ),
            count_col="n",
            value_cols=[],
            rule=rule,
            dimensions=[Dimension("band", total="Alla"), Dimension("gender", total="T")],
        ).frame
        for g, a, n in pyramid.select("gender", "band", "n").iter_rows():
            if g != "T" and a != "Alla":
                out[(u, (g, a, None, None))] = n
    return out


@pytest.fixture(scope="module", params=[(18, 3), (24, 7), (30, 11)])
def org(request: pytest.FixtureRequest) -> Org:
    n_units, seed = request.param
    return Org(*generated(n_units, seed))


def models(org: Org) -> tuple[DisclosureModel, DisclosureModel]:
    key_model = DisclosureModel.build(org.persons, org.parent, DIMENSIONS, MIN_N)
    occupations = build_unit_breakdown(org.persons, org.parent, "occupation", MIN_N)
    return key_model, occupations


def test_every_shown_count_is_the_truth_and_no_small_one_is_shown(org: Org) -> None:
    key_model, occupations = models(org)
    shown = projection_answers(org, key_model, occupations)
    small = [c for c, n in shown.items() if n is not None and 0 < n < MIN_N]
    assert small == []
    assert all(n == org.count(*cell) for cell, n in shown.items() if n is not None)
    # the organisation has small occupation groups in its units, so there is a target
    targets = [
        (u, occ)
        for u in org.units
        for occ in OCCUPATIONS
        if 0 < org.count(u, (None, None, None, occ)) < MIN_N
    ]
    assert len(targets) > 10


def test_differencing_the_projection_and_the_key_figures_recovers_nothing(org: Org) -> None:
    key_model, occupations = models(org)
    answers = key_answers(org, key_model) | projection_answers(org, key_model, occupations)
    assert recovered(org, answers) == set()


def test_the_tables_protected_one_by_one_lose_small_groups(org: Org) -> None:
    key_model, _ = models(org)
    # Against the key figures, and even on their own (unit minus its sub-units).
    answers = key_answers(org, key_model) | per_table_answers(org)
    assert len(recovered(org, answers)) > 0
    alone = per_table_answers(org)
    assert len(recovered(org, alone)) > 0


# --- the rank test: any linear combination of everything shown ----------------------


def linearly_recovered(org: Org, answers: dict[Cell, int | None]) -> list[Cell]:
    """Hidden cells whose indicator over the atoms (persons per own unit × gender × age
    band × form × occupation) lies in the span of the shown cells' indicators: exactly
    computable by some linear combination of the shown answers, however long."""
    owners = list(org.parent)
    keys = list(itertools.product(owners, GENDERS, AGES, FORMS, OCCUPATIONS))
    index = {k: i for i, k in enumerate(keys)}

    def indicator(unit: str | None, combo: Combo) -> np.ndarray:
        row = np.zeros(len(keys))
        for owner in org.subtree[unit]:
            for g, a, f, o in itertools.product(GENDERS, AGES, FORMS, OCCUPATIONS):
                if all(v is None or v == w for v, w in zip(combo, (g, a, f, o), strict=True)):
                    row[index[(owner, g, a, f, o)]] = 1.0
        return row

    shown = np.array([indicator(*cell) for cell, n in answers.items() if n is not None])
    _, sv, vt = np.linalg.svd(shown, full_matrices=False)
    basis = vt[sv > 1e-9 * sv[0]]
    found = []
    for cell, n in answers.items():
        if n is None and org.count(*cell) > 0:
            target = indicator(*cell)
            if np.linalg.norm(target - basis.T @ (basis @ target)) < 1e-6:
                found.append(cell)
    return found


def test_no_linear_combination_of_everything_shown_gives_a_hidden_cell() -> None:
    org = Org(*generated(18, 3))
    key_model, occupations = models(org)
    answers = key_answers(org, key_model) | projection_answers(org, key_model, occupations)
    assert linearly_recovered(org, answers) == []
    naive = key_answers(org, key_model) | per_table_answers(org)
    assert len(linearly_recovered(org, naive)) > 0
