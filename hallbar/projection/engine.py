"""The cohort engine: arrays of persons by run × group × gender × single year of age.

One loop over years, vectorised over everything else, so the deterministic
projection (one run, expected values) and the Monte Carlo (many runs, binomial
draws) are the same code. Each year:

1. everyone ages by one (anyone past ``MAX_AGE`` leaves as a retirement);
2. retirements = stock × exit rate at the new age;
3. turnover = remaining stock × turnover rate of the group and age;
4. recruits = max(0, demand − remaining stock), placed by the recruit profile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hallbar.projection.stock import MAX_AGE, MIN_AGE

AGES = np.arange(MIN_AGE, MAX_AGE + 1)
N_AGES = AGES.size

Draw = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class EngineInput:
    """Arrays for one run of the engine; G groups, S genders (1 or 2), A ages."""

    stock: np.ndarray  # (G, S, A) persons at the start
    retire_rate: np.ndarray  # (A,) exit probability at the age attained in the year
    turnover_rate: np.ndarray  # (G, A)
    recruit_profile: np.ndarray  # (G, S, A), sums to 1 per group
    demand: np.ndarray  # (G, H + 1) persons; column 0 = the starting headcount


@dataclass(frozen=True)
class EngineOutput:
    retirements: np.ndarray  # (R, H, G)
    turnover: np.ndarray  # (R, H, G)
    recruits: np.ndarray  # (R, H, G)
    stock_by_year: np.ndarray | None  # (H + 1, G, S, A) for run 0, when asked for


def expected_draw(n: np.ndarray, p: np.ndarray) -> np.ndarray:
    return n * p


def binomial_draw(rng: np.random.Generator) -> Draw:
    """Leavers ~ Binomial(⌊n⌋, p) per cell; the fractional part of a cell (recruits
    are fractional when demand is) leaves in expectation, so the mean is n·p and a
    rate of 0 or 1 gives exactly the deterministic result."""

    def draw(n: np.ndarray, p: np.ndarray) -> np.ndarray:
        p_full = np.broadcast_to(p, n.shape)
        out = n * p_full
        # Only ages where some rate is strictly between 0 and 1 are random.
        cols = np.any((p > 0) & (p < 1), axis=tuple(range(p.ndim - 1)))
        if cols.all():
            whole = np.floor(n)
            drawn = rng.binomial(whole.astype(np.int64), p_full).astype(np.float64)
            drawn += (n - whole) * p_full
            return drawn
        if cols.any():
            sub_n, sub_p = n[..., cols], p_full[..., cols]
            whole = np.floor(sub_n)
            drawn = rng.binomial(whole.astype(np.int64), sub_p).astype(np.float64)
            out[..., cols] = drawn + (sub_n - whole) * sub_p
        return out

    return draw


def run_engine(
    data: EngineInput, runs: int = 1, draw: Draw = expected_draw, keep_stock: bool = False
) -> EngineOutput:
    g, s, a = data.stock.shape
    horizon = data.demand.shape[1] - 1
    stock = np.broadcast_to(data.stock, (runs, g, s, a)).copy()
    q = data.retire_rate.reshape(1, 1, 1, a)
    tau = data.turnover_rate.reshape(1, g, 1, a)
    profile = data.recruit_profile.reshape(1, g, s, a)
    retirements = np.zeros((runs, horizon, g))
    turnover = np.zeros((runs, horizon, g))
    recruits = np.zeros((runs, horizon, g))
    kept = np.zeros((horizon + 1, g, s, a)) if keep_stock else None
    buffer = np.empty((runs, g, s, a - 1))
    if kept is not None:
        kept[0] = stock[0]
    for t in range(horizon):
        overflow = stock[..., -1].sum(axis=2)  # (R, G): past the oldest projected age
        np.copyto(buffer, stock[..., :-1])  # age by one without a fresh allocation
        stock[..., 1:] = buffer
        stock[..., 0] = 0.0
        retired = draw(stock, q)
        stock -= retired
        left = draw(stock, tau)
        stock -= left
        gap = data.demand[:, t + 1].reshape(1, g) - stock.sum(axis=(2, 3))
        hired = np.maximum(gap, 0.0)
        stock += hired[:, :, None, None] * profile
        retirements[:, t] = retired.sum(axis=(2, 3)) + overflow
        turnover[:, t] = left.sum(axis=(2, 3))
        recruits[:, t] = hired
        if kept is not None:
            kept[t + 1] = stock[0]
    return EngineOutput(retirements, turnover, recruits, kept)
