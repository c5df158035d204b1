"""Monthly tables: working time per employment, pay components and agency staff.

Ordinary hours are 165 h × rate / 100 for a full month, prorated by the days
employed. Hourly-paid staff (timavlönade) have no schedule: their ordinary
hours are 0 and the hours they worked are reported as additional hours
(mertid_timmar), paid as hourly pay ('fast', lönart TIMLÖN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hallbar.exampleorg.absence import HOURS_PER_MONTH
from hallbar.exampleorg.careers import Careers
from hallbar.exampleorg.catalogue import OCCUPATION_INDEX, OCCUPATIONS, OPERATIONS
from hallbar.exampleorg.organisation import FORM_HOURLY, Plan, occupation_array

OB_KRONOR_PER_HOUR = (38.0, 52.0)  # mix of evening, night and weekend rates
OVERTIME_DIVISOR = 94.0  # AB: overtime pay per hour = monthly pay / 94 (simple overtime)
HOLIDAY_PAY_SHARE = 0.12  # semesterersättning on hourly pay
AGENCY_PRICE = {"soc": (950.0, 1150.0), "ssk": (850.0, 1050.0)}  # SEK per hour


def month_index(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_first_day(m: np.ndarray) -> np.ndarray:
    return m.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


@dataclass(frozen=True)
class Monthly:
    # working time: one entry per holder and month
    holder: np.ndarray
    month: np.ndarray  # month index (months since 1970-01)
    scheduled: np.ndarray
    overtime: np.ndarray
    additional: np.ndarray
    unsocial: np.ndarray
    split_shifts: np.ndarray
    # pay components
    pay_holder: np.ndarray
    pay_month: np.ndarray
    pay_kind: np.ndarray  # index into PAY_ROWS
    pay_amount: np.ndarray
    # agency staff
    agency_unit: np.ndarray
    agency_occ: np.ndarray
    agency_month: np.ndarray
    agency_hours: np.ndarray
    agency_cost: np.ndarray


# (kind, pay code) of the pay component rows
PAY_ROWS: tuple[tuple[str, str], ...] = (
    ("tillägg", "OB"),
    ("tillägg", "JOUR"),
    ("rörlig", "ÖVERTID"),
    ("rörlig", "MERTID"),
    ("fast", "TIMLÖN"),
)


def build_monthly(
    careers: Careers, plan: Plan, asof: int, w0: int, rng: np.random.Generator
) -> Monthly:
    c = careers
    m0, m1 = int(month_index(np.array([w0]))[0]), int(month_index(np.array([asof]))[0])
    s = np.maximum(c.seg_start, w0)
    e = np.minimum(c.seg_end, asof)
    valid = e >= s
    seg = np.flatnonzero(valid)
    ms, me = month_index(s[seg]), month_index(e[seg])
    n_rows = me - ms + 1
    # Row-level indices, months and day counts as int32 (exact: they are small), half
    # the memory of int64 at national size; results are computed in float64 as before.
    row_seg = np.repeat(seg.astype(np.int32), n_rows)
    row_month = (
        np.repeat(ms, n_rows)
        + (np.arange(n_rows.sum()) - np.repeat(np.cumsum(n_rows) - n_rows, n_rows))
    ).astype(np.int32)
    first = month_first_day(row_month).astype(np.int32)
    next_first = month_first_day(row_month + 1).astype(np.int32)
    days_in_month = next_first - first
    overlap = np.minimum(e[row_seg], next_first - 1) - np.maximum(s[row_seg], first) + 1
    del first, next_first
    hours = HOURS_PER_MONTH * c.seg_rate[row_seg] / 100.0 * overlap / days_in_month

    # Sum the segments of one holder and month (rows are holder-major, month ascending).
    holder_r = c.seg_holder[row_seg]
    boundary = np.r_[True, (np.diff(holder_r) != 0) | (np.diff(row_month) != 0)]
    starts = np.flatnonzero(boundary)
    del boundary
    ends = np.r_[starts[1:], holder_r.size] - 1
    holder = holder_r[starts]
    month = row_month[starts].astype(np.int64)
    del holder_r, row_month
    scheduled = np.add.reduceat(hours, starts) if hours.size else hours
    active_share = (
        (np.add.reduceat(overlap, starts) / days_in_month[starts]) if hours.size else hours
    )
    # The row-level arrays go before the holder-month arrays are built: at national
    # size (50 million holder-months) each array is 400 MB.
    del hours, overlap, days_in_month, starts
    last_seg = row_seg[ends]
    del row_seg, ends
    pay = c.seg_pay[last_seg]
    rate = c.seg_rate[last_seg]
    unit = c.seg_unit[last_seg]
    del last_seg
    occ = c.occ[holder]
    hourly = c.form[holder] == FORM_HOURLY
    n = holder.size

    ob_share = occupation_array("ob").astype(float)[occ]
    p_overtime = occupation_array("overtime").astype(float)[occ]
    worked_hourly = np.where(rng.random(n) < 0.8, rng.gamma(2.0, 25.0, n) * active_share, 0.0)
    del active_share
    base = np.where(hourly, worked_hourly, scheduled)
    unsocial = np.round(base * ob_share * rng.uniform(0.75, 1.25, n), 1)
    del base, ob_share
    overtime = np.where(
        ~hourly & (rng.random(n) < p_overtime), np.round(rng.gamma(1.5, 4.0, n) * 2) / 2, 0.0
    )
    additional = np.where(
        ~hourly & (rate < 100.0) & (rng.random(n) < 0.35),
        np.round(rng.gamma(2.0, 5.0, n) * 2) / 2,
        0.0,
    )
    additional = np.where(hourly, np.round(worked_hourly, 1), additional)
    del worked_hourly, p_overtime

    op_of_unit = plan.units["op_idx"].to_numpy()
    split_ops = np.array([op.split_shifts for op in OPERATIONS] + [False])
    care = np.isin(occ, [OCCUPATION_INDEX["usk"], OCCUPATION_INDEX["vbi"]])
    prone = rng.random(c.slot.size) < 0.3  # holders whose schedule has split shifts
    splits = split_ops[op_of_unit[unit]] & care & prone[holder] & ~hourly
    split_shifts = np.where(splits, rng.poisson(3.5 * scheduled / HOURS_PER_MONTH), 0)

    # Pay components (fixed monthly pay is derivable from the employment rows).
    jour = np.isin(occ, [OCCUPATION_INDEX["ssk"], OCCUPATION_INDEX["boe"]]) & (rng.random(n) < 0.15)
    hourly_wage = pay / HOURS_PER_MONTH * (1 + HOLIDAY_PAY_SHARE)
    amounts = (
        unsocial * rng.uniform(*OB_KRONOR_PER_HOUR, n),
        np.where(jour, rng.uniform(600, 3000, n), 0.0),
        overtime * pay / OVERTIME_DIVISOR,
        np.where(hourly, 0.0, additional * pay / HOURS_PER_MONTH),
        np.where(hourly, additional * hourly_wage, 0.0),
    )
    del jour, hourly_wage, pay, unit, occ
    pay_holder, pay_month, pay_kind, pay_amount = [], [], [], []
    for k, amount in enumerate(amounts):
        nz = np.flatnonzero(amount > 0)
        pay_holder.append(holder[nz])
        pay_month.append(month[nz])
        pay_kind.append(np.full(nz.size, k))
        pay_amount.append(np.round(amount[nz], 2))
    del amounts

    agency = _agency(plan, m0, m1, rng)
    return Monthly(
        holder=holder,
        month=month,
        scheduled=np.round(scheduled, 2),
        overtime=overtime,
        additional=additional,
        unsocial=unsocial,
        split_shifts=split_shifts.astype(np.int64),
        pay_holder=np.concatenate(pay_holder),
        pay_month=np.concatenate(pay_month),
        pay_kind=np.concatenate(pay_kind),
        pay_amount=np.concatenate(pay_amount),
        **agency,
    )


def _agency(plan: Plan, m0: int, m1: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Hired hours and cost in the units of operations that use staffing agencies."""
    op_of_unit = plan.units["op_idx"].to_numpy()
    staff = np.bincount(plan.slot_unit[plan.slot_form != FORM_HOURLY], minlength=op_of_unit.size)
    agency_occ = np.array(
        [OCCUPATION_INDEX[op.agency] if op.agency else -1 for op in OPERATIONS] + [-1]
    )
    units = np.flatnonzero(agency_occ[op_of_unit] >= 0)
    months = np.arange(m0, m1 + 1)
    unit = np.repeat(units, months.size)
    month = np.tile(months, units.size)
    occ = agency_occ[op_of_unit[unit]]
    n = unit.size
    hired = rng.random(n) < 0.45
    hours = np.where(
        hired, np.round(staff[unit] * 0.06 * HOURS_PER_MONTH * rng.gamma(2.0, 0.5, n)), 0.0
    )
    lo = np.array([AGENCY_PRICE.get(o.key, (900.0, 1100.0))[0] for o in OCCUPATIONS])[occ]
    hi = np.array([AGENCY_PRICE.get(o.key, (900.0, 1100.0))[1] for o in OCCUPATIONS])[occ]
    cost = np.round(hours * rng.uniform(lo, hi))
    keep = hours > 0
    return {
        "agency_unit": unit[keep],
        "agency_occ": occ[keep],
        "agency_month": month[keep],
        "agency_hours": hours[keep],
        "agency_cost": cost[keep],
    }
