"""Cell key perturbation for free exploration (not for exact figures).

The cell key method of the Australian Bureau of Statistics' TableBuilder
(Thompson, Broadfoot and Elazar 2013) and of the Eurostat 2021 census
hypercubes: every person carries a random *record key* in [0, 1); a cell's
*cell key* is the fractional part of the sum of its persons' record keys; a
perturbation table (``PTable``) turns (count, cell key) into a published
count. The same persons always give the same cell key and so the same noise,
however the question is phrased, and subtracting two answers returns the
difference of two noises rather than a small group. Used where suppression
over every combination would hide almost everything (ad hoc breakdowns,
occupation filters); exact figures go through ``hallbar.privacy.model``.

Record keys come from the (already pseudonymised) person ids under a
separate secret key, so nobody without the key can compute a cell key.

The table here is unbiased (the expected published count is the true count),
never publishes 1 … ``small`` persons, and keeps zeros at zero:

* n = 0: 0;
* 1 ≤ n ≤ small: 0 or small + 1, with P(small + 1) = n / (small + 1);
* n > small: n + v, v symmetric in −d … d with d = min(max_noise, n − small − 1):
  d = 1: P(±1) = variance / 2; d = 2: P(±1) = variance / 4, P(±2) = variance / 16
  (both give the variance ``variance``).

Published cells are no longer additive: a total is perturbed on its own.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import polars as pl

_SCALE = 2**64


@dataclass(frozen=True)
class PTable:
    """The perturbation rule (see the module docstring)."""

    small: int = 4  # counts 1 … small are never published
    max_noise: int = 2  # 1 or 2
    variance: Fraction = Fraction(1)  # at most 1

    def __post_init__(self) -> None:
        if self.max_noise not in (1, 2) or not 0 < self.variance <= 1 or self.small < 0:
            raise ValueError("PTable: max_noise 1 or 2, 0 < variance <= 1, small >= 0")

    def distribution(self, n: int) -> tuple[list[int], list[Fraction]]:
        """Published values for a true count ``n`` and their probabilities."""
        if n < 0:
            raise ValueError("a count cannot be negative")
        if n == 0:
            return [0], [Fraction(1)]
        if n <= self.small:
            up = Fraction(n, self.small + 1)
            return [0, self.small + 1], [1 - up, up]
        d = min(self.max_noise, n - self.small - 1)
        v = self.variance
        if d == 0:
            return [n], [Fraction(1)]
        if d == 1:
            return [n - 1, n, n + 1], [v / 2, 1 - v, v / 2]
        return (
            [n - 2, n - 1, n, n + 1, n + 2],
            [v / 16, v / 4, 1 - v * 5 / 8, v / 4, v / 16],
        )

    def perturb(self, n: int, cell_key: float) -> int:
        """The published count for true count ``n`` and a cell key in [0, 1)."""
        values, probabilities = self.distribution(n)
        cumulative = np.cumsum([float(p) for p in probabilities])
        index = int(np.searchsorted(cumulative, cell_key, side="right"))
        return values[min(index, len(values) - 1)]


def record_keys(person_ids: Sequence[str], key: bytes) -> np.ndarray:
    """A uniform record key in [0, 1) per person, from its id under a secret key."""
    if not key:
        raise ValueError("record_keys: an empty key would make the noise predictable")
    out = np.empty(len(person_ids))
    for i, pid in enumerate(person_ids):
        digest = hmac.new(key, pid.encode("utf-8"), hashlib.sha256).digest()
        out[i] = int.from_bytes(digest[:8], "big") / _SCALE
    return out


def cell_key(keys: np.ndarray) -> float:
    """The cell key of a group of persons: the fractional part of their keys' sum."""
    return float(np.sum(keys) % 1.0)


def perturbed_counts(
    persons: pl.DataFrame,
    by: Sequence[str],
    *,
    key_col: str = "record_key",
    table: PTable | None = None,
) -> pl.DataFrame:
    """Counts of ``persons`` (one row per person, with ``key_col``) per ``by`` group,
    perturbed: columns ``by`` and ``n`` (the published count)."""
    rule = table or PTable()
    grouped = persons.group_by(list(by), maintain_order=True).agg(
        pl.len().alias("_n"), pl.col(key_col).sum().alias("_keys")
    )
    published = [
        rule.perturb(int(n), float(keys % 1.0))
        for n, keys in zip(grouped["_n"].to_list(), grouped["_keys"].to_list(), strict=True)
    ]
    return grouped.select(list(by)).with_columns(pl.Series("n", published, dtype=pl.Int64))
