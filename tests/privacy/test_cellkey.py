"""Cell key perturbation: the table's values worked out by hand from its rule."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import polars as pl
import pytest

from hallbar.privacy.cellkey import PTable, cell_key, perturbed_counts, record_keys

TABLE = PTable()  # small 4, max_noise 2, variance 1


def test_zero_stays_zero():
    assert TABLE.distribution(0) == ([0], [Fraction(1)])
    assert TABLE.perturb(0, 0.999) == 0


def test_small_counts_become_zero_or_five():
    # n = 2: 0 or 5 with P(5) = 2/5, so the mean is 5 × 2/5 = 2.
    assert TABLE.distribution(2) == ([0, 5], [Fraction(3, 5), Fraction(2, 5)])
    # Cumulative 0.6, 1.0: a cell key below 0.6 gives 0, above gives 5.
    assert TABLE.perturb(2, 0.1) == 0
    assert TABLE.perturb(2, 0.7) == 5


def test_large_counts_move_by_at_most_two():
    # n = 20, variance 1: P(±2) = 1/16, P(±1) = 1/4, P(0) = 1 - 5/8 = 3/8;
    # variance 2 × 4/16 + 2 × 1/4 = 1. Cumulative: 0.0625, 0.3125, 0.6875, 0.9375, 1.
    values, probabilities = TABLE.distribution(20)
    assert values == [18, 19, 20, 21, 22]
    sixteenth, quarter = Fraction(1, 16), Fraction(1, 4)
    assert probabilities == [sixteenth, quarter, Fraction(3, 8), quarter, sixteenth]
    assert [TABLE.perturb(20, k) for k in (0.05, 0.2, 0.5, 0.9, 0.95)] == [18, 19, 20, 21, 22]


def test_near_the_threshold_the_noise_narrows():
    # n = 5: d = min(2, 5 - 4 - 1) = 0, published as is; n = 6: d = 1, P(±1) = 1/2.
    assert TABLE.distribution(5) == ([5], [Fraction(1)])
    assert TABLE.distribution(6) == ([5, 6, 7], [Fraction(1, 2), Fraction(0), Fraction(1, 2)])


@pytest.mark.parametrize("n", range(60))
def test_unbiased_and_never_small(n: int):
    values, probabilities = TABLE.distribution(n)
    assert sum(probabilities) == 1
    assert sum(v * p for v, p in zip(values, probabilities, strict=True)) == n
    assert not any(1 <= v <= 4 for v, p in zip(values, probabilities, strict=True) if p > 0)


def test_the_same_persons_give_the_same_answer():
    keys = record_keys([f"p{i}" for i in range(30)], b"secret")
    assert np.all((keys >= 0) & (keys < 1))
    assert np.array_equal(keys, record_keys([f"p{i}" for i in range(30)], b"secret"))
    assert not np.array_equal(keys, record_keys([f"p{i}" for i in range(30)], b"other"))
    persons = pl.DataFrame(
        {"unit": ["A"] * 20 + ["B"] * 10, "gender": ["K", "M"] * 15, "record_key": keys}
    )
    by_unit = perturbed_counts(persons, ["unit"])
    # Asked again, in another order, the answer is the same: the cell key depends
    # only on who is counted.
    again = perturbed_counts(persons.reverse(), ["unit"]).sort("unit")
    assert by_unit.sort("unit")["n"].to_list() == again["n"].to_list()
    expected = TABLE.perturb(20, cell_key(keys[:20]))
    assert by_unit.filter(pl.col("unit") == "A")["n"][0] == expected
    with pytest.raises(ValueError):
        record_keys(["p1"], b"")
