"""Absence spells: sickness, parental leave, VAB and leave of absence (tjänstledighet).

Each cause is a renewal process per person: a spell, a gap, the next spell …
so spells of one person and cause never overlap. The processes start a year
before the history window (burn-in) so the first year already has long spells
running. Spells are clipped to the employment and to as_of. Vacation is not
generated.

Sick leave is calibrated to SKR's key figures for municipalities (about 7 % of
ordinary hours, women ~8 %, men ~5 %, rising with age, ~40 % of sick hours in
spells of 60 days or more); see docs/example-organisation.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hallbar.core.codes import AbsenceCause
from hallbar.exampleorg.careers import YEAR, Careers
from hallbar.exampleorg.organisation import FORM_HOURLY, occupation_array

HOURS_PER_MONTH = 165.0  # full-time ordinary hours per month (about 38.25 h a week)
HOURS_PER_DAY = HOURS_PER_MONTH * 12 / 365  # per calendar day at 100 %
BURN_IN_DAYS = 365

# Sickness: spells per year of the average woman, and the spell-type mix.
SICK_SPELLS_PER_YEAR = 3.0
SICK_MEN_FACTOR = 0.66
SICK_MEDIUM_SHARE = 0.06  # 15–59 days
SICK_LONG_BASE = 0.004  # 60+ days: share of spells at age 20 …
SICK_LONG_PER_YEAR_OF_AGE = 0.0016  # … rising with age
SICK_FRAILTY_SHAPE = 0.9  # gamma heterogeneity: some have many short spells

CAUSES: tuple[str, ...] = tuple(c.value for c in AbsenceCause)
_C = {c: i for i, c in enumerate(AbsenceCause)}

Draw = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Spells:
    holder: np.ndarray
    cause: np.ndarray  # index into CAUSES
    start: np.ndarray
    end: np.ndarray
    extent: np.ndarray


def _renewal(
    rng: np.random.Generator,
    lo: np.ndarray,
    hi: np.ndarray,
    gap_mean_days: np.ndarray,
    draw: Draw,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Alternate gaps and spells in [lo, hi] for each person; ``draw(idx)`` → (days, extent)."""
    idx_all = np.arange(lo.size)
    ok = np.isfinite(gap_mean_days) & (hi >= lo)
    idx = idx_all[ok]
    t = lo[idx] + (rng.exponential(gap_mean_days[idx]) * rng.random(idx.size)).astype(np.int64)
    out_i, out_s, out_e, out_x = [], [], [], []
    while idx.size:
        alive = t <= hi[idx]
        idx, t = idx[alive], t[alive]
        if not idx.size:
            break
        days, extent = draw(idx)
        end = np.minimum(t + days - 1, hi[idx])
        out_i.append(idx)
        out_s.append(t)
        out_e.append(end)
        out_x.append(extent)
        t = end + 1 + 1 + rng.exponential(gap_mean_days[idx]).astype(np.int64)
    if not out_i:
        e = np.empty(0, dtype=np.int64)
        return e, e, e, np.empty(0)
    return (
        np.concatenate(out_i),
        np.concatenate(out_s),
        np.concatenate(out_e),
        np.concatenate(out_x),
    )


def build_spells(careers: Careers, asof: int, w0: int, rng: np.random.Generator) -> Spells:
    c = careers
    monthly = np.flatnonzero(c.form != FORM_HOURLY)
    lo = np.maximum(c.start[monthly], w0 - BURN_IN_DAYS)
    hi = np.minimum(c.end[monthly], asof)
    mid = (np.maximum(lo, w0) + hi) // 2
    age = (mid - c.birth[monthly]) / YEAR
    woman = c.woman[monthly]
    n = monthly.size
    parts: list[tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray]] = []

    # --- sickness ---------------------------------------------------------------
    occ_sick = occupation_array("sick").astype(float)[c.occ[monthly]]
    frailty = rng.gamma(SICK_FRAILTY_SHAPE, 1 / SICK_FRAILTY_SHAPE, n)
    young_more_short = np.clip(1.1 - 0.004 * (age - 25), 0.9, 1.15)
    rate = (
        SICK_SPELLS_PER_YEAR
        * np.where(woman, 1.0, SICK_MEN_FACTOR)
        * occ_sick
        * young_more_short
        * frailty
    )
    p_long = (SICK_LONG_BASE + SICK_LONG_PER_YEAR_OF_AGE * np.maximum(age - 20, 0)) * np.where(
        woman, 1.0, 0.9
    )

    def sick(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u = rng.random(idx.size)
        long_ = u < p_long[idx]
        medium = ~long_ & (u < p_long[idx] + SICK_MEDIUM_SHARE)
        days = np.minimum(rng.geometric(0.27, idx.size), 14)
        days = np.where(medium, rng.integers(15, 60, idx.size), days)
        long_days = 60 + np.minimum(rng.exponential(115.0, idx.size), 640).astype(np.int64)
        days = np.where(long_, long_days, days)
        ext_medium = rng.choice([100.0, 50.0], idx.size, p=[0.85, 0.15])
        ext_long = rng.choice([100.0, 75.0, 50.0, 25.0], idx.size, p=[0.5, 0.1, 0.25, 0.15])
        extent = np.where(long_, ext_long, np.where(medium, ext_medium, 100.0))
        return days, extent

    i, s, e, x = _renewal(rng, lo, hi, YEAR / rate, sick)
    parts.append((i, _C[AbsenceCause.SICK], s, e, x))

    # --- parental leave (partly, e.g. 25 %, for years) ----------------------------
    core = (age >= 27) & (age <= 41)
    edge = ((age >= 24) & (age < 27)) | ((age > 41) & (age <= 46))
    p_parent = np.where(woman, 0.55, 0.42) * np.where(core, 1.0, np.where(edge, 0.5, 0.0))
    parent = rng.random(n) < p_parent
    gap = np.where(parent, np.where(woman, 420.0, 600.0), np.inf)

    def parental(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w = woman[idx]
        full = rng.random(idx.size) < np.where(w, 0.3, 0.45)
        full_days = np.where(w, rng.integers(120, 330, idx.size), rng.integers(20, 120, idx.size))
        part_days = rng.integers(60, 540, idx.size)
        part_ext = rng.choice([75.0, 50.0, 25.0], idx.size, p=[0.07, 0.28, 0.65])
        return np.where(full, full_days, part_days), np.where(full, 100.0, part_ext)

    i, s, e, x = _renewal(rng, lo, hi, gap, parental)
    parts.append((i, _C[AbsenceCause.PARENTAL], s, e, x))

    # --- VAB (care of a sick child) -----------------------------------------------
    vab_parent = parent | ((rng.random(n) < 0.45) & (age >= 25) & (age <= 50))
    vab_gap = np.where(vab_parent, YEAR / np.where(woman, 2.6, 2.0), np.inf)

    def vab(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        days = rng.choice([1, 2, 3], idx.size, p=[0.5, 0.3, 0.2])
        return days, rng.choice([100.0, 50.0], idx.size, p=[0.9, 0.1])

    i, s, e, x = _renewal(rng, lo, hi, vab_gap, vab)
    parts.append((i, _C[AbsenceCause.CHILD_CARE], s, e, x))

    # --- leave of absence (studies, another job), often partial --------------------
    leave_gap = np.full(n, YEAR / 0.05)

    def leave(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        days = rng.integers(30, 365, idx.size)
        return days, rng.choice([100.0, 50.0, 25.0], idx.size, p=[0.4, 0.3, 0.3])

    i, s, e, x = _renewal(rng, lo, hi, leave_gap, leave)
    parts.append((i, _C[AbsenceCause.LEAVE], s, e, x))

    holder = np.concatenate([monthly[p[0]] for p in parts])
    cause = np.concatenate([np.full(p[0].size, p[1]) for p in parts])
    start = np.concatenate([p[2] for p in parts])
    end = np.concatenate([p[3] for p in parts])
    extent = np.concatenate([p[4] for p in parts])
    keep = end >= w0  # spells of the burn-in year that ended before the window are dropped
    order = np.lexsort((start[keep], cause[keep], holder[keep]))
    return Spells(
        holder=holder[keep][order],
        cause=cause[keep][order],
        start=start[keep][order],
        end=end[keep][order],
        extent=extent[keep][order],
    )
