"""Processor time of one disclosure model per period of a trend (docs/privacy.md).

A trend's every period gets a model of its own over that period's persons; a monthly
trend of three years needs 36. This builds one model on the generated organisation of
the attack tests (``tests/privacy/generated_org.py``: teams of about twenty, three
levels) at each size given (number of units; about 18 persons per unit), then a
second period with 2 % of the persons replaced (people come and go), and prints the
processor time of each build and the peak memory.

    .venv/bin/python benchmarks/period_models_bench.py 2200 11000
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "privacy"))

from generated_org import DIMENSIONS, organisation

from hallbar.privacy.model import DisclosureModel


def next_period(persons: pl.DataFrame, share: float, seed: int) -> pl.DataFrame:
    """``persons`` with ``share`` of them gone and as many new ones in random units."""
    rng = np.random.default_rng(seed)
    n = persons.height
    gone = rng.random(n) < share
    stay = persons.filter(pl.Series(~gone))
    donors = persons.sample(int(gone.sum()), seed=seed)
    new = donors.with_columns(
        pl.Series("person_id", [f"n{i}" for i in range(donors.height)]),
        pl.Series("unit_id", rng.permutation(donors["unit_id"].to_numpy())),
    )
    return pl.concat([stay, new])


def main(sizes: list[int]) -> None:
    for n_units in sizes:
        persons, parent = organisation(n_units, seed=1)
        for label, frame in (("snapshot", persons), ("next month", next_period(persons, 0.02, 2))):
            start = time.process_time()
            model = DisclosureModel.build(frame, parent, DIMENSIONS, 5)
            cpu = time.process_time() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{n_units} units, {frame.height} persons, {label}: {cpu:.1f} s processor, "
                f"{model.hidden_share:.1%} of the cube hidden, peak {peak:.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2200, 11000])
