"""A generated organisation with many small cells, for the attack tests.

Three levels under the organisation (departments, sections, teams), persons
attached mostly to teams and a few to departments and sections (their own
staff), with gender, age band and employment form drawn with skewed
probabilities so that most fine cells hold 0 to 4 persons. Deterministic for
a seed.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from hallbar.privacy.queryspace import FilterDimension

GENDERS = ("K", "M")
AGES = ("≤29", "30–49", "≥50")
FORMS = ("tillsvidare", "visstid", "timavlönad")
DIMENSIONS = (
    FilterDimension("gender", GENDERS),
    FilterDimension("age_band", AGES),
    FilterDimension("employment_form", FORMS),
)


def organisation(
    n_units: int, *, seed: int = 1, mean_team: float = 20.0
) -> tuple[pl.DataFrame, dict[str, str | None]]:
    """(persons: person_id, unit_id, gender, age_band, employment_form; unit -> parent)."""
    rng = np.random.default_rng(seed)
    parent: dict[str, str | None] = {}
    n_dept = max(2, n_units // 125)
    n_sect = max(3, n_units // 12)
    depts = [f"F{i}" for i in range(n_dept)]
    sects = [f"S{i}" for i in range(n_sect)]
    teams = [f"E{i}" for i in range(n_units - n_dept - n_sect)]
    parent |= {d: None for d in depts}
    parent |= {s: depts[int(rng.integers(n_dept))] for s in sects}
    parent |= {t: sects[int(rng.integers(n_sect))] for t in teams}
    has_children = set(parent.values())
    sizes = [int(rng.poisson(2.0 if u in has_children else mean_team)) for u in parent]
    unit_col = np.repeat(list(parent), sizes)
    n = len(unit_col)
    persons = pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "unit_id": unit_col,
            "gender": rng.choice(GENDERS, n, p=[0.75, 0.25]),
            "age_band": rng.choice(AGES, n, p=[0.2, 0.5, 0.3]),
            "employment_form": rng.choice(FORMS, n, p=[0.8, 0.1, 0.1]),
        }
    )
    return persons, parent
