"""Who held each slot when: chains of employees, their persons, terms and pay history.

Chains are built *backwards* from as_of: the current holder of a slot started
a (random) tenure ago; before that, a predecessor left some days earlier, and
so on until the chain reaches back before the history window. Exponential
tenures make the leaving events of a slot a Poisson process, so the yearly
turnover of permanent staff is about 1 / mean tenure. All steps are vectorised
over slots; the loop runs once per generation of holders.

Days are integers counted from 1970-01-01 throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from hallbar.core.codes import EndReason
from hallbar.exampleorg.organisation import (
    FORM_FIXED_TERM,
    FORM_HOURLY,
    FORM_PERMANENT,
    Plan,
    occupation_array,
)

YEAR = 365.25
NO_END = np.int64(2**40)

# Mean tenure in years (exponential): permanent staff ≈ 1 / 0.08 per year turnover.
TENURE_PERMANENT = 12.0
TENURE_MANAGER = 7.0
TENURE_FIXED_TERM = 0.8
TENURE_HOURLY = 1.5
GROWTH_PER_YEAR = 0.01
# The beta age model pulls means toward the middle of 20–69.5; this restores the target mean.
AGE_OFFSET = 2.0  # new slots (the organisation grows ~1 % a year)

END_REASONS: tuple[str, ...] = tuple(r.value for r in EndReason)
_R = {r: i for i, r in enumerate(EndReason)}
# End-reason mix of leavers by employment form.
REASONS_PERMANENT = {
    _R[EndReason.RESIGNED]: 0.60,
    _R[EndReason.RETIRED]: 0.30,
    _R[EndReason.DISMISSED]: 0.03,
    _R[EndReason.DECEASED]: 0.01,
    _R[EndReason.OTHER]: 0.06,
}
REASONS_FIXED = {_R[EndReason.CONTRACT_ENDED]: 0.85, _R[EndReason.RESIGNED]: 0.15}
REASONS_HOURLY = {_R[EndReason.CONTRACT_ENDED]: 0.60, _R[EndReason.RESIGNED]: 0.40}
PARTIAL_RATES = np.array([50.0, 60.0, 75.0, 80.0, 85.0, 90.0])
PARTIAL_WEIGHTS = np.array([0.08, 0.07, 0.33, 0.25, 0.07, 0.20])
PAY_RAISE = 0.033  # yearly revision on 1 April, mean
MOVE_OR_RATE_CHANGE_PER_YEAR = 0.04


def day(d: date) -> int:
    return (d - date(1970, 1, 1)).days


@dataclass(frozen=True)
class Careers:
    # one entry per holder (= person = employment)
    slot: np.ndarray
    start: np.ndarray
    end: np.ndarray  # NO_END while ongoing
    reason: np.ndarray  # index into END_REASONS, -1 while ongoing
    birth: np.ndarray
    woman: np.ndarray
    occ: np.ndarray
    form: np.ndarray
    pay: np.ndarray  # full-time monthly pay at the as_of level
    # one entry per segment (employment row with unchanged terms)
    seg_holder: np.ndarray
    seg_start: np.ndarray
    seg_end: np.ndarray  # NO_END while ongoing
    seg_unit: np.ndarray
    seg_rate: np.ndarray
    seg_pay: np.ndarray


def _beta_age(rng: np.random.Generator, mean: np.ndarray, low: float, span: float) -> np.ndarray:
    mu = np.clip((mean - low) / span, 0.05, 0.95)
    conc = 4.3
    return low + span * rng.beta(mu * conc, (1 - mu) * conc)


def _choice(rng: np.random.Generator, mix: dict[int, float], n: int) -> np.ndarray:
    keys = np.array(list(mix))
    p = np.array(list(mix.values()))
    return rng.choice(keys, size=n, p=p / p.sum())


def _tenure_mean(form: np.ndarray, manager: np.ndarray) -> np.ndarray:
    mean = np.where(form == FORM_FIXED_TERM, TENURE_FIXED_TERM, TENURE_PERMANENT)
    mean = np.where(form == FORM_HOURLY, TENURE_HOURLY, mean)
    return np.where(manager, TENURE_MANAGER, mean)


def _leavers(
    rng: np.random.Generator, form: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """End reason and age at leaving for predecessors who left on ``end``."""
    n = form.size
    reason = np.where(
        form == FORM_PERMANENT,
        _choice(rng, REASONS_PERMANENT, n),
        np.where(
            form == FORM_FIXED_TERM, _choice(rng, REASONS_FIXED, n), _choice(rng, REASONS_HOURLY, n)
        ),
    )
    young = form != FORM_PERMANENT
    age = _beta_age(rng, np.where(young, 30.0, 39.0), 20.0, 45.0)
    retire_age = rng.choice([65, 66, 67, 68], size=n, p=[0.38, 0.30, 0.22, 0.10]) + rng.random(n)
    age = np.where(reason == _R[EndReason.RETIRED], retire_age, age)
    return reason, age


def build_careers(plan: Plan, as_of: date, window_start: date, rng: np.random.Generator) -> Careers:
    asof, w0 = day(as_of), day(window_start)
    n_slots = plan.slot_unit.size
    form_s, mgr_s, occ_s = plan.slot_form, plan.slot_manager, plan.slot_occ
    span_years = (asof - w0 + 1) / YEAR

    created = np.full(n_slots, -(2**40), dtype=np.int64)
    new_slot = (rng.random(n_slots) < GROWTH_PER_YEAR * span_years) & ~mgr_s
    created[new_slot] = rng.integers(w0, asof + 1, size=int(new_slot.sum()))

    # Current holders.
    age_mean = occupation_array("age").astype(float)[occ_s] + AGE_OFFSET
    age_mean = age_mean - np.where(form_s == FORM_FIXED_TERM, 9.0, 0.0)
    age_mean = age_mean - np.where(form_s == FORM_HOURLY, 14.0, 0.0)
    age0 = _beta_age(rng, age_mean, 20.0, 49.5)
    tenure_mean = _tenure_mean(form_s, mgr_s)
    tenure = rng.exponential(tenure_mean) * YEAR
    tenure = np.minimum(tenure, (age0 - 19.0) * YEAR)
    start0 = np.maximum(asof - tenure.astype(np.int64), created)
    start0 = np.minimum(start0, asof)
    parts_slot = [np.arange(n_slots)]
    parts_start = [start0]
    parts_end = [np.full(n_slots, NO_END)]
    parts_reason = [np.full(n_slots, -1)]
    parts_birth = [asof - (age0 * YEAR).astype(np.int64)]

    # Predecessors, one generation at a time.
    active = np.flatnonzero((start0 > w0) & (start0 > created))
    cur_start = start0[active]
    while active.size:
        form = form_s[active]
        gap = np.where(form == FORM_PERMANENT, rng.integers(0, 60, active.size), 0)
        end = cur_start - 1 - gap
        ok = (end >= w0) & (end >= created[active])
        active, end, form = active[ok], end[ok], form[ok]
        if not active.size:
            break
        reason, age_end = _leavers(rng, form, end)
        dur = rng.exponential(_tenure_mean(form, mgr_s[active])) * YEAR
        dur = np.clip(dur, 14.0, (age_end - 19.0) * YEAR)
        start = np.maximum(end - dur.astype(np.int64) + 1, created[active])
        parts_slot.append(active)
        parts_start.append(start)
        parts_end.append(end)
        parts_reason.append(reason)
        parts_birth.append(end - (age_end * YEAR).astype(np.int64))
        more = (start > w0) & (start > created[active])
        active, cur_start = active[more], start[more]

    slot = np.concatenate(parts_slot)
    start = np.concatenate(parts_start)
    end_ = np.concatenate(parts_end)
    reason_ = np.concatenate(parts_reason)
    birth = np.concatenate(parts_birth)
    # Stable order: by start day, then slot, so ids read chronologically.
    order = np.lexsort((slot, start))
    slot, start, end_, reason_, birth = (a[order] for a in (slot, start, end_, reason_, birth))
    occ = occ_s[slot]
    form = form_s[slot]
    woman = rng.random(slot.size) < occupation_array("women").astype(float)[occ]
    pay = _pay_at_as_of(rng, occ, woman, (asof - birth) / YEAR)
    return _segments(
        rng, plan, asof, as_of.year, w0, slot, start, end_, reason_, birth, woman, occ, form, pay
    )


def _pay_at_as_of(
    rng: np.random.Generator, occ: np.ndarray, woman: np.ndarray, age: np.ndarray
) -> np.ndarray:
    median = occupation_array("pay").astype(float)[occ]
    sd = occupation_array("pay_sd").astype(float)[occ]
    premium = occupation_array("men_premium").astype(float)[occ]
    women = occupation_array("women").astype(float)[occ]
    experience = 1.0 + 0.004 * np.clip(age - 45.0, -20.0, 15.0)
    gender = np.where(woman, 1.0, premium) / (women + (1 - women) * premium)
    pay = median * np.exp(sd * rng.standard_normal(occ.size)) * experience * gender
    return np.rint(pay / 10.0) * 10.0


def _segments(
    rng: np.random.Generator,
    plan: Plan,
    asof: int,
    asof_year: int,
    w0: int,
    slot: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    reason: np.ndarray,
    birth: np.ndarray,
    woman: np.ndarray,
    occ: np.ndarray,
    form: np.ndarray,
    pay: np.ndarray,
) -> Careers:
    """Split each holder's employment at pay revisions and at a change of rate or unit."""
    n = slot.size
    last = np.minimum(end, asof)
    manager = plan.slot_manager[slot]
    # Final rate (at leaving or at as_of).
    full = rng.random(n) < occupation_array("full_time").astype(float)[occ]
    partial = rng.choice(PARTIAL_RATES, size=n, p=PARTIAL_WEIGHTS / PARTIAL_WEIGHTS.sum())
    rate = np.where(full | manager, 100.0, partial)
    rate = np.where(form == FORM_HOURLY, 0.0, rate)
    unit = plan.slot_unit[slot]

    # Pay revisions (1 April) inside the window.
    first_year = int(np.datetime64(w0, "D").astype("datetime64[Y]").astype(int) + 1970)
    revisions = np.array(
        [day(date(y, 4, 1)) for y in range(first_year, asof_year + 1)], dtype=np.int64
    )
    revisions = revisions[(revisions > w0) & (revisions <= asof)]
    cuts = np.where(
        (revisions[None, :] > start[:, None]) & (revisions[None, :] <= last[:, None]),
        revisions[None, :],
        NO_END,
    )
    # One change of rate or unit for some permanent staff (heltidsresan, internal moves).
    lo = np.maximum(start, w0) + 30
    overlap_years = np.maximum(last - lo, 0) / YEAR
    changes = (
        (form == FORM_PERMANENT)
        & ~manager
        & (rng.random(n) < MOVE_OR_RATE_CHANGE_PER_YEAR * overlap_years)
        & (last > lo)
    )
    change_day = np.where(changes, lo + (rng.random(n) * (last - lo + 1)).astype(np.int64), NO_END)
    change_day = np.where(np.isin(change_day, revisions), change_day + 1, change_day)
    # A change moved off a revision that was the employment's last day would fall after
    # it and leave a row ending before it starts (seen once in 1,3 million): no change.
    changes = changes & (change_day <= last)
    change_day = np.where(changes, change_day, NO_END)
    cuts = np.sort(np.concatenate([cuts, change_day[:, None]], axis=1), axis=1)
    n_cuts = (cuts < NO_END).sum(axis=1)
    n_seg = n_cuts + 1

    holder = np.repeat(np.arange(n), n_seg)
    pos = np.arange(holder.size) - np.repeat(np.cumsum(n_seg) - n_seg, n_seg)
    cuts_pad = np.concatenate([start[:, None], cuts], axis=1)  # seg k starts at cuts_pad[k]
    seg_start = cuts_pad[holder, pos]
    is_last = pos == n_cuts[holder]
    next_start = cuts_pad[holder, np.minimum(pos + 1, cuts_pad.shape[1] - 1)]
    seg_end = np.where(is_last, end[holder], next_start - 1)

    before_change = changes[holder] & (seg_start < change_day[holder])
    is_move = rng.random(n) < 0.3
    earlier_rate = np.where(rate >= 100.0, rng.choice([75.0, 80.0, 90.0], size=n), 100.0)
    seg_rate = np.where(before_change & ~is_move[holder], earlier_rate[holder], rate[holder])
    earlier_unit = _other_unit_same_operation(rng, plan, unit)
    seg_unit = np.where(before_change & is_move[holder], earlier_unit[holder], unit[holder])

    growth = np.clip(PAY_RAISE + 0.008 * rng.standard_normal(n), 0.0, 0.08)
    n_after = (revisions[None, :] > seg_start[:, None]).sum(axis=1)
    seg_pay = np.rint(pay[holder] / (1 + growth[holder]) ** n_after / 10.0) * 10.0

    return Careers(
        slot=slot,
        start=start,
        end=end,
        reason=reason,
        birth=birth,
        woman=woman,
        occ=occ,
        form=form,
        pay=pay,
        seg_holder=holder,
        seg_start=seg_start,
        seg_end=seg_end,
        seg_unit=seg_unit,
        seg_rate=seg_rate,
        seg_pay=seg_pay,
    )


def _other_unit_same_operation(
    rng: np.random.Generator, plan: Plan, unit: np.ndarray
) -> np.ndarray:
    """A random unit of the same operation (the unit itself for hierarchy nodes)."""
    op_of_unit = plan.units["op_idx"].to_numpy()
    leaves = np.flatnonzero(op_of_unit >= 0)
    leaves = leaves[np.argsort(op_of_unit[leaves], kind="stable")]
    counts = np.bincount(op_of_unit[leaves], minlength=op_of_unit.max() + 1)
    offsets = np.cumsum(counts) - counts
    op = op_of_unit[unit]
    is_leaf = op >= 0
    opc = np.where(is_leaf, op, 0)
    pick = offsets[opc] + (rng.random(unit.size) * counts[opc]).astype(np.int64)
    return np.where(is_leaf, leaves[np.minimum(pick, leaves.size - 1)], unit)
