"""Canonical ``HRData`` straight from numpy, for the key-figure benchmark at national scale.

Not realistic in detail (hallbar.exampleorg is), but it has the shape that costs
time: one or two employments per person, monthly working time and pay, several
sick spells per person and year (some long, some adjacent), partial leave, a unit
tree with managers, occupations with a gender skew, and agency staff.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from hallbar.core.dataset import HRData

EPOCH = date(1970, 1, 1)
SSYK = [
    f"{c:04d}"
    for c in (
        5321,
        5322,
        2221,
        2223,
        2341,
        2342,
        3412,
        5311,
        5312,
        7111,
        7126,
        8332,
        9111,
        9412,
        4112,
        2611,
        1331,
        1341,
        2635,
        3231,
    )
]


def _days(d: date) -> int:
    return (d - EPOCH).days


def _ids(prefix: str, idx: np.ndarray) -> pl.Series:
    return pl.select(pl.lit(prefix) + pl.Series(idx).cast(pl.String)).to_series()


def _date(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def generate(
    n: int, years: int = 1, as_of: date = date(2025, 12, 31), seed: int = 1, org_id: str = "9998"
) -> HRData:
    rng = np.random.default_rng(seed)
    w0 = _days(date(as_of.year - years + 1, 1, 1))
    end = _days(as_of)
    people = int(n * 1.08)

    # --- units: top, departments, operations, units -------------------------
    n_units = max(12, n // 22)
    n_dept = 12
    n_ops = max(1, n_units // 12)
    level = np.empty(n_units, dtype=np.int64)
    level[0] = 0
    level[1 : 1 + n_dept] = 1
    level[1 + n_dept : 1 + n_dept + n_ops] = 2
    level[1 + n_dept + n_ops :] = 3
    parent = np.full(n_units, -1)
    parent[1 : 1 + n_dept] = 0
    parent[1 + n_dept : 1 + n_dept + n_ops] = rng.integers(1, 1 + n_dept, n_ops)
    rest = n_units - (1 + n_dept + n_ops)
    parent[1 + n_dept + n_ops :] = rng.integers(1 + n_dept, 1 + n_dept + n_ops, rest)
    leaf_units = np.arange(1 + n_dept + n_ops, n_units) if rest else np.arange(n_units)

    # --- persons ------------------------------------------------------------
    occ = rng.integers(0, len(SSYK), people)
    share_women = rng.uniform(0.05, 0.95, len(SSYK))
    woman = rng.random(people) < share_women[occ]
    birth_year = rng.integers(as_of.year - 66, as_of.year - 18, people)
    birth = np.array([_days(date(int(y), 1, 1)) for y in range(1900, as_of.year + 1)])[
        birth_year - 1900
    ]
    birth = birth + rng.integers(0, 365, people)
    person_id = _ids("P", np.arange(people))

    # --- employments (first + 6 % second concurrent) ------------------------
    form = rng.choice(3, people, p=[0.78, 0.14, 0.08])
    rate = rng.choice([100.0, 90.0, 80.0, 75.0, 50.0], people, p=[0.55, 0.1, 0.1, 0.15, 0.1])
    rate = np.where(form == 2, 0.0, rate)
    start = rng.integers(_days(date(1990, 1, 1)), end - 30, people)
    start = np.where(form == 1, rng.integers(w0 - 400, end - 30, people), start)
    leaver = rng.random(people) < 0.08
    stop = np.where(leaver, rng.integers(w0, end, people), -1)
    stop = np.where(form == 1, np.maximum(start + rng.integers(30, 700, people), w0), stop)
    stop = np.where((stop >= 0) & (stop < start), start + 10, stop)
    unit = rng.choice(leaf_units, people)
    pay = 24000 + occ * 900 + rng.normal(0, 2500, people)

    second = rng.random(people) < 0.06
    s_idx = np.flatnonzero(second)
    holder = np.concatenate([np.arange(people), s_idx])
    e_form = np.concatenate([form, np.where(form[s_idx] == 2, 2, 1)])
    e_rate = np.concatenate(
        [rate, np.where(form[s_idx] == 2, 0.0, rng.choice([20.0, 25.0, 40.0], s_idx.size))]
    )
    e_start = np.concatenate([start, np.maximum(start[s_idx], w0 - 100)])
    e_stop = np.concatenate([stop, stop[s_idx]])
    e_unit = np.concatenate([unit, rng.choice(leaf_units, s_idx.size)])
    e_pay = np.concatenate([pay, pay[s_idx]])
    n_emp = holder.size
    emp_id = _ids("E", np.arange(n_emp))

    # managers: one current permanent person per unit (not the top unit's staff)
    current = np.flatnonzero((stop < 0) & (form == 0))
    managers = (
        rng.choice(current, n_units, replace=False)
        if current.size >= n_units
        else current[:n_units]
    )
    is_manager = np.zeros(n_emp, dtype=bool)
    is_manager[managers] = True
    e_unit[managers] = np.arange(managers.size) % n_units

    units = pl.DataFrame(
        {
            "org_id": org_id,
            "unit_id": _ids("U", np.arange(n_units)),
            "parent_id": pl.select(
                pl.when(pl.Series(parent >= 0)).then(
                    pl.lit("U") + pl.Series(parent).cast(pl.String)
                )
            ).to_series(),
            "name": _ids("Enhet ", np.arange(n_units)),
            "manager_person_id": person_id.gather(
                pl.Series(managers[np.arange(n_units) % managers.size])
            ),
        }
    )
    persons = pl.DataFrame(
        {
            "org_id": org_id,
            "person_id": person_id,
            "birth_date": _date(birth),
            "gender": np.where(woman, "K", "M"),
        }
    )
    forms = np.array(["tillsvidare", "visstid", "timavlönad"])
    employments = pl.DataFrame(
        {
            "org_id": org_id,
            "employment_id": emp_id,
            "person_id": person_id.gather(pl.Series(holder)),
            "unit_id": pl.select(pl.lit("U") + pl.Series(e_unit).cast(pl.String)).to_series(),
            "aid_code": None,
            "ssyk": np.array(SSYK)[occ[holder]],
            "title": None,
            "employment_form": forms[e_form],
            "rate": e_rate,
            "monthly_pay": np.where(e_form == 2, np.nan, np.round(e_pay)),
            "start_date": _date(e_start),
            "end_date": pl.select(
                pl.when(pl.Series(e_stop >= 0)).then(_date(np.maximum(e_stop, 0)))
            ).to_series(),
            "is_manager": is_manager,
            "end_reason": None,
        }
    ).with_columns(pl.col("monthly_pay").fill_nan(None))

    # --- working time and pay: monthly-paid employments, months overlapped ---
    month_days = np.array(
        [
            _days(date(y, m, 1))
            for y in range(as_of.year - years + 1, as_of.year + 1)
            for m in range(1, 13)
        ]
    )
    monthly = np.flatnonzero(e_form < 2)
    stop_eff = np.where(e_stop[monthly] < 0, end, e_stop[monthly])
    first_m = np.searchsorted(month_days, np.maximum(e_start[monthly], w0), side="right") - 1
    last_m = np.searchsorted(month_days, np.minimum(stop_eff, end), side="right") - 1
    count = np.maximum(last_m - first_m + 1, 0)
    count = np.where(stop_eff < w0, 0, count)
    rows_emp = np.repeat(monthly, count)
    offsets = np.arange(rows_emp.size) - np.repeat(np.cumsum(count) - count, count)
    rows_month = np.repeat(first_m, count) + offsets
    r = e_rate[rows_emp]
    k = rows_emp.size
    night = np.isin(occ[holder[rows_emp]], [0, 1, 2, 7, 8])
    working_time = pl.DataFrame(
        {
            "org_id": org_id,
            "employment_id": emp_id.gather(pl.Series(rows_emp)),
            "month": _date(month_days[rows_month]),
            "scheduled_hours": 165.0 * r / 100.0,
            "overtime_hours": rng.poisson(1.5, k).astype(np.float64),
            "additional_hours": np.where(r < 100, rng.poisson(3.0, k), 0).astype(np.float64),
            "unsocial_hours": np.where(night, rng.poisson(25.0, k), rng.poisson(2.0, k)).astype(
                np.float64
            ),
            "split_shifts": np.where(night, rng.poisson(0.8, k), 0).astype(np.int64),
        }
    )
    supp = rng.random(k) < 0.4
    pay_components = pl.DataFrame(
        {
            "org_id": org_id,
            "employment_id": emp_id.gather(pl.Series(np.concatenate([rows_emp, rows_emp[supp]]))),
            "month": _date(month_days[np.concatenate([rows_month, rows_month[supp]])]),
            "kind": np.concatenate([np.full(k, "fast"), np.full(int(supp.sum()), "tillägg")]),
            "code": None,
            "amount": np.concatenate(
                [
                    np.round(e_pay[rows_emp] * r / 100.0),
                    rng.integers(300, 4000, int(supp.sum())).astype(np.float64),
                ]
            ),
        }
    )

    # --- absences: sick spells (some adjacent, some long), partial leave -----
    span = end - w0 + 1
    n_spells = rng.poisson(2.5 * span / 365.0, people)
    s_holder = np.repeat(np.arange(people), n_spells)
    m = s_holder.size
    length = np.where(
        rng.random(m) < 0.85,
        rng.integers(1, 8, m),
        np.where(rng.random(m) < 0.66, rng.integers(8, 60, m), rng.integers(60, 366, m)),
    )
    s_from = rng.integers(w0 - 60, end, m)
    s_to = s_from + length - 1
    # 10 % of spells continue the day after (adjacent rows of one continuous spell)
    cont = rng.random(m) < 0.10
    c_from = s_to[cont] + 1
    c_to = c_from + rng.integers(1, 40, int(cont.sum()))
    a_holder = np.concatenate([s_holder, s_holder[cont]])
    a_from = np.concatenate([s_from, c_from])
    a_to = np.concatenate([s_to, c_to])
    extent = rng.choice([100.0, 50.0, 25.0], a_holder.size, p=[0.9, 0.05, 0.05])
    with_emp = rng.random(a_holder.size) < 0.9
    leave_people = np.flatnonzero(rng.random(people) < 0.05)
    l_from = rng.integers(w0, end - 30, leave_people.size)
    l_to = l_from + rng.integers(30, 300, leave_people.size)
    absences = pl.DataFrame(
        {
            "org_id": org_id,
            "person_id": person_id.gather(pl.Series(np.concatenate([a_holder, leave_people]))),
            "employment_id": pl.select(
                pl.when(
                    pl.Series(np.concatenate([with_emp, np.zeros(leave_people.size, bool)]))
                ).then(emp_id.gather(pl.Series(np.concatenate([a_holder, leave_people]))))
            ).to_series(),
            "cause": np.concatenate(
                [
                    np.full(a_holder.size, "sjuk"),
                    rng.choice(["föräldraledig", "tjänstledig"], leave_people.size),
                ]
            ),
            "from_date": _date(np.concatenate([a_from, l_from])),
            "to_date": _date(np.concatenate([a_to, l_to])),
            "extent": np.concatenate(
                [extent, rng.choice([20.0, 25.0, 50.0, 100.0], leave_people.size)]
            ),
            "hours": pl.Series([None] * (a_holder.size + leave_people.size), dtype=pl.Float64),
        }
    )

    # --- agency staff -------------------------------------------------------
    n_ag = max(1, n_units * len(month_days) // 10)
    agency_staff = pl.DataFrame(
        {
            "org_id": org_id,
            "unit_id": pl.select(
                pl.lit("U") + pl.Series(rng.choice(leaf_units, n_ag)).cast(pl.String)
            ).to_series(),
            "occupation": np.array(SSYK)[rng.integers(0, 5, n_ag)],
            "month": _date(month_days[rng.integers(0, len(month_days), n_ag)]),
            "hours": rng.uniform(5, 200, n_ag).round(1),
            "cost": rng.uniform(5000, 200000, n_ag).round(0),
        }
    )
    organisations = pl.DataFrame(
        {"org_id": [org_id], "name": ["Syntetisk organisation"], "kind": ["kommun"]}
    )
    return HRData(
        as_of=as_of,
        organisations=organisations,
        units=units,
        persons=persons,
        employments=employments,
        absences=absences,
        working_time=working_time,
        pay_components=pay_components,
        agency_staff=agency_staff,
    ).conformed()
