"""The pack's working-time and health figures as hand-written DuckDB SQL.

The reference for the figures ``indicators_sql.py`` leaves out: the four hours-per-FTE
figures, sick leave per unit, short-term sick leave and frisknärvaro, each for the
pack's default parameters (``Params(year=...)``: no dimension, snapshot date 1 November,
short term = days 1–14, frisknärvaro = at most 5 sick days, ordinary hours with full
leave deducted). Written from the definitions (docs/key-figures.md, domain-rules.md §1
and §3, the registry's descriptions), not from hallbar.indicators:

- **Hours per FTE** (``overtime_per_fte``, ``additional_hours_per_fte``,
  ``unsocial_hours_per_fte``, ``split_shifts_per_fte``): the year's sum of the
  working-time column over every working-time row of the year (any employment), divided
  by the year's average FTE: for each monthly-paid (tillsvidare, visstid) employment
  period, rate / 100 on the first day of every month of the year it covers
  (``start_date <= first day`` and ``end_date`` empty or ``>= first day``), summed over
  the months and divided by 12, not capped per person. ``n`` = persons with an
  employment whose average FTE is above 0. No FTE: no value. A column with no value in
  any working-time row of the year gives no figure (the product says the data is
  missing).
- **Sick-leave base** (the three sick figures): the population is every employment with
  exported ordinary hours (``scheduled_hours`` summed over the year > 0; an employment
  must be in the employments file). Ordinary hours per employment and month = the
  exported hours minus the hours of full leave (föräldraledig, tjänstledig, ledig utan
  lön at extent 100 %), never below 0. A person's sick rows are merged into continuous
  spells: a row starting on or before the day after the latest end so far continues the
  spell. Absence hours (sick and full leave alike) per calendar month: the row's
  ``hours`` spread evenly over its calendar days, else the employment's exported hours
  that month × days covered / days of the month × extent / 100; a row without an
  employment is spread over the person's employments by their share of the person's
  exported hours that month (with ``hours``), or each employment gets its own hours ×
  days / days of the month × extent (without).
- **``sick_leave_unit``**: per unit, Σ sick hours / Σ ordinary hours × 100, ``n`` =
  distinct persons. An employment's unit is the one of its period active on the
  snapshot date, else of its latest period started before it, else of its *first*
  period (hallbar.indicators.views.employment_terms's docstring). The periods of one
  employment never overlap (the import rejects it), so the first two rules are one:
  the latest period started on or before the date.
- **``sick_leave_short_term``**: Σ sick hours on days 1–14 of each spell (a month
  piece's hours spread evenly over its days, so the piece's share is days in 1–14 /
  days of the piece) / Σ ordinary hours × 100; ``n`` = distinct persons.
- **``frisknarvaro``**: persons of the population with at most 5 sick days in the year
  (calendar days covered by any sick row, a partial day a whole day), in percent of the
  persons of the population; ``n`` = persons.

Where the definition and the code disagree (checked on a hand-built case in
tests/indicators/test_worktime_vs_duckdb.py): an employment none of whose periods has
started on the snapshot date gets its *latest* period's unit in the product
(``employment_terms`` sorts the periods and takes the last), not its first as its
docstring says; this SQL follows the docstring. In the 200 000-employee example region
this is one employment (started 2 November, moved on 19 December), so two units of
``sick_leave_unit`` differ by one person. The population text of the hours-per-FTE
figures says "Anställningar med arbetstidsuppgifter"; the formula and the definition
divide by every monthly-paid employment's FTE, with or without working-time rows, and so
do the product and this SQL.

``repeated_short_absence`` and ``rehab_day30`` are person lists (``individual=True``:
no ``n``, no aggregate), not compared here.

Written for speed as an analyst would: one pass over the employments gives person, FTE
and unit; working_time's key is (employment, month) (the import rejects duplicates), so
it is not summed first; the schedule is looked up only for absence rows without their
own hours, and the person's schedule only for rows without an employment. The sick base
is computed here on its own, not shared with ``indicators_sql.SQL`` (the note).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import duckdb
import polars as pl

from hallbar.indicators.registry import FigureResult

FIGURES: tuple[str, ...] = (
    "overtime_per_fte",
    "additional_hours_per_fte",
    "unsocial_hours_per_fte",
    "split_shifts_per_fte",
    "sick_leave_unit",
    "sick_leave_short_term",
    "frisknarvaro",
)

# The figure's own dimension at the default parameters (the key of its rows).
_KEY = {"sick_leave_unit": "unit_id"}

SHORT_TERM_DAYS = 14  # Params.short_term_days
FRISK_MAX_DAYS = 5  # Params.frisknarvaro_max_days

# {y0}/{y1}: the year's first and last day; {d}: the snapshot date; {y}: the year.
WORKTIME_SQL = """
WITH
-- One row per employment: its person, its average FTE over the year (months 0..11; a
-- period covers month m when it started on or before the month's first day and had not
-- ended before it) and its unit on the snapshot date.
emp AS (
  SELECT org_id, employment_id, any_value(person_id) AS person_id,
         bool_or(monthly) AS monthly,
         coalesce(sum(rate * greatest(least(hi, 11) - greatest(lo, 0) + 1, 0))
                    FILTER (WHERE monthly), 0) / 100.0 / 12 AS fte,
         CASE WHEN count(*) FILTER (WHERE start_date <= DATE '{d}') > 0
              THEN arg_max_null(unit_id, start_date) FILTER (WHERE start_date <= DATE '{d}')
              ELSE arg_min_null(unit_id, start_date) END AS unit_id
  FROM (
    SELECT org_id, employment_id, person_id, unit_id, rate, start_date,
           employment_form IN ('tillsvidare', 'visstid') AS monthly,
           12 * (year(start_date) - {y}) + month(start_date) - 1
             + CASE WHEN day(start_date) = 1 THEN 0 ELSE 1 END AS lo,
           CASE WHEN end_date IS NULL THEN 11
                ELSE 12 * (year(end_date) - {y}) + month(end_date) - 1 END AS hi
    FROM employments
  )
  GROUP BY org_id, employment_id
),
-- working_time has one row per employment and month (the import rejects duplicates).
wt_year AS (
  SELECT org_id, employment_id, month, coalesce(scheduled_hours, 0) AS sched,
         overtime_hours, additional_hours, unsocial_hours, split_shifts
  FROM working_time WHERE month BETWEEN DATE '{y0}' AND DATE '{y1}'
),
-- Hours per FTE ------------------------------------------------------------------
fte_org AS (
  SELECT org_id, sum(fte) AS fte, count(DISTINCT person_id) FILTER (WHERE fte > 0) AS n
  FROM emp WHERE monthly GROUP BY org_id
),
wt_org AS (
  SELECT org_id,
         sum(overtime_hours) AS overtime_hours, count(overtime_hours) AS overtime_rows,
         sum(additional_hours) AS additional_hours, count(additional_hours) AS additional_rows,
         sum(unsocial_hours) AS unsocial_hours, count(unsocial_hours) AS unsocial_rows,
         sum(split_shifts)::DOUBLE AS split_shifts, count(split_shifts) AS split_rows
  FROM wt_year GROUP BY org_id
),
per_fte AS (
  SELECT org_id, coalesce(f.n, 0) AS n, coalesce(f.fte, 0) AS fte,
         coalesce(w.overtime_hours, 0) AS overtime_hours,
         coalesce(w.additional_hours, 0) AS additional_hours,
         coalesce(w.unsocial_hours, 0) AS unsocial_hours,
         coalesce(w.split_shifts, 0) AS split_shifts,
         coalesce(sum(w.overtime_rows) OVER (), 0) > 0 AS has_overtime,
         coalesce(sum(w.additional_rows) OVER (), 0) > 0 AS has_additional,
         coalesce(sum(w.unsocial_rows) OVER (), 0) > 0 AS has_unsocial,
         coalesce(sum(w.split_rows) OVER (), 0) > 0 AS has_split
  FROM fte_org f FULL JOIN wt_org w USING (org_id)
),
-- Sick-leave base -------------------------------------------------------------------
sick AS (  -- prev_max: the latest end of the person's earlier rows
  SELECT org_id, person_id, employment_id, from_date, to_date, extent, hours,
         max(to_date) OVER (PARTITION BY org_id, person_id ORDER BY from_date, to_date
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max
  FROM absences WHERE cause = 'sjuk'
),
sick_spell AS (  -- rows are in start order, so the latest spell start so far is the row's
  SELECT *, max(CASE WHEN prev_max IS NULL OR from_date > prev_max + 1 THEN from_date END)
              OVER (PARTITION BY org_id, person_id ORDER BY from_date, to_date
                    ROWS UNBOUNDED PRECEDING) AS spell_from
  FROM sick
),
sick_days AS (  -- days of the year a row adds to the person's earlier rows
  SELECT org_id, person_id,
         sum(greatest(datediff('day', greatest(from_date, coalesce(prev_max + 1, from_date),
                                               DATE '{y0}'),
                               least(to_date, DATE '{y1}')) + 1, 0)) AS days
  FROM sick WHERE from_date <= DATE '{y1}' AND to_date >= DATE '{y0}'
  GROUP BY ALL
),
absence_rows AS (  -- sick rows and full leave, clipped to the year
  SELECT org_id, person_id, employment_id, extent, hours, spell_from, TRUE AS is_sick,
         datediff('day', from_date, to_date) + 1 AS row_days,
         greatest(from_date, DATE '{y0}') AS c_from, least(to_date, DATE '{y1}') AS c_to
  FROM sick_spell WHERE from_date <= DATE '{y1}' AND to_date >= DATE '{y0}'
  UNION ALL
  SELECT org_id, person_id, employment_id, extent, hours, NULL, FALSE,
         datediff('day', from_date, to_date) + 1,
         greatest(from_date, DATE '{y0}'), least(to_date, DATE '{y1}')
  FROM absences
  WHERE cause IN ('föräldraledig', 'tjänstledig', 'ledig utan lön') AND extent >= 100
    AND from_date <= DATE '{y1}' AND to_date >= DATE '{y0}'
),
pieces AS (  -- one piece per calendar month a row covers
  SELECT *,
         datediff('day', greatest(c_from, month), least(c_to, last_day(month))) + 1 AS days,
         day(last_day(month)) AS dim,
         CASE WHEN is_sick THEN greatest(datediff('day', greatest(c_from, month, spell_from),
                                                  least(c_to, last_day(month),
                                                        spell_from + ({short} - 1))) + 1, 0)
              ELSE 0 END AS short_days
  FROM (
    SELECT *, CAST(unnest(generate_series(date_trunc('month', c_from), date_trunc('month', c_to),
                                          INTERVAL 1 MONTH)) AS DATE) AS month
    FROM absence_rows
  )
),
sched_person AS (  -- only the persons who have absence rows without an employment
  SELECT w.org_id, w.employment_id, e.person_id, w.month, w.sched,
         sum(w.sched) OVER (PARTITION BY w.org_id, e.person_id, w.month) AS psched
  FROM wt_year w JOIN emp e USING (org_id, employment_id)
  SEMI JOIN (SELECT DISTINCT org_id, person_id FROM absence_rows WHERE employment_id IS NULL) q
    ON q.org_id = e.org_id AND q.person_id = e.person_id
),
piece_hours AS (  -- the schedule is looked up only for rows without their own hours
  SELECT org_id, employment_id, month, is_sick, days, short_days, hours * days / row_days AS h
  FROM pieces WHERE employment_id IS NOT NULL AND hours IS NOT NULL
  UNION ALL
  SELECT p.org_id, p.employment_id, p.month, p.is_sick, p.days, p.short_days,
         coalesce(w.sched, 0) * p.days / p.dim * p.extent / 100
  FROM pieces p LEFT JOIN wt_year w
    ON w.org_id = p.org_id AND w.employment_id = p.employment_id AND w.month = p.month
  WHERE p.employment_id IS NOT NULL AND p.hours IS NULL
  UNION ALL
  SELECT s.org_id, s.employment_id, p.month, p.is_sick, p.days, p.short_days,
         CASE WHEN p.hours IS NOT NULL
              THEN p.hours * p.days / p.row_days
                   * CASE WHEN s.psched > 0 THEN s.sched / s.psched ELSE 0 END
              ELSE s.sched * p.days / p.dim * p.extent / 100 END
  FROM pieces p JOIN sched_person s
    ON s.org_id = p.org_id AND s.person_id = p.person_id AND s.month = p.month
  WHERE p.employment_id IS NULL
),
leave_month AS (
  SELECT org_id, employment_id, month, sum(h) AS leave
  FROM piece_hours WHERE NOT is_sick GROUP BY ALL
),
sick_emp AS (
  SELECT org_id, employment_id, sum(h) AS sick, sum(h * short_days / days) AS short
  FROM piece_hours WHERE is_sick GROUP BY ALL
),
pop AS (  -- employments with exported ordinary hours; ordinary = exported - full leave
  SELECT w.org_id, w.employment_id, sum(greatest(w.sched - coalesce(l.leave, 0), 0)) AS ordinary
  FROM wt_year w LEFT JOIN leave_month l USING (org_id, employment_id, month)
  GROUP BY w.org_id, w.employment_id HAVING sum(w.sched) > 0
),
base AS (
  SELECT p.org_id, e.person_id, e.unit_id, p.ordinary,
         coalesce(s.sick, 0) AS sick, coalesce(s.short, 0) AS short,
         sum(p.ordinary) OVER () > 0 AS has_hours
  FROM pop p JOIN emp e USING (org_id, employment_id)
  LEFT JOIN sick_emp s USING (org_id, employment_id)
),
people AS (
  SELECT DISTINCT org_id, person_id FROM base WHERE has_hours
)
SELECT 'overtime_per_fte' AS figure, org_id, '' AS key, n,
       CASE WHEN fte > 0 THEN overtime_hours / fte END AS value
FROM per_fte WHERE has_overtime
UNION ALL
SELECT 'additional_hours_per_fte', org_id, '', n,
       CASE WHEN fte > 0 THEN additional_hours / fte END
FROM per_fte WHERE has_additional
UNION ALL
SELECT 'unsocial_hours_per_fte', org_id, '', n, CASE WHEN fte > 0 THEN unsocial_hours / fte END
FROM per_fte WHERE has_unsocial
UNION ALL
SELECT 'split_shifts_per_fte', org_id, '', n, CASE WHEN fte > 0 THEN split_shifts / fte END
FROM per_fte WHERE has_split
UNION ALL
SELECT 'sick_leave_unit', org_id, unit_id, count(DISTINCT person_id),
       CASE WHEN sum(ordinary) > 0 THEN 100.0 * sum(sick) / sum(ordinary) END
FROM base WHERE has_hours GROUP BY org_id, unit_id
UNION ALL
SELECT 'sick_leave_short_term', org_id, '', count(DISTINCT person_id),
       CASE WHEN sum(ordinary) > 0 THEN 100.0 * sum(short) / sum(ordinary) END
FROM base WHERE has_hours GROUP BY org_id
UNION ALL
SELECT 'frisknarvaro', org_id, '', count(*),
       100.0 * count(*) FILTER (WHERE coalesce(d.days, 0) <= {frisk}) / count(*)
FROM people LEFT JOIN sick_days d USING (org_id, person_id) GROUP BY org_id
"""


def worktime_figures(con: duckdb.DuckDBPyConnection, year: int, on: date) -> pl.DataFrame:
    """``WORKTIME_SQL`` for ``year`` with the snapshot date ``on``: columns figure,
    org_id, key ('' for a total, the unit for ``sick_leave_unit``), n, value."""
    sql = WORKTIME_SQL.format(
        y=int(year),
        y0=date(year, 1, 1).isoformat(),
        y1=date(year, 12, 31).isoformat(),
        d=on.isoformat(),
        short=SHORT_TERM_DAYS,
        frisk=FRISK_MAX_DAYS,
    )
    cur = con.execute(sql)
    names = [c[0] for c in cur.description]
    schema = {"figure": pl.String, "org_id": pl.String, "key": pl.String, "n": pl.Int64}
    schema |= {"value": pl.Float64}
    assert names == list(schema)
    return pl.DataFrame(cur.fetchall(), schema=schema, orient="row").sort(
        ["figure", "org_id", "key"], nulls_last=True
    )


def pack_rows(results: Mapping[str, FigureResult]) -> list[dict[str, object]]:
    """(figure, org_id, key, n, value) of the product's results for ``FIGURES`` (those
    present: a figure the data cannot support is not in the pack's results), the same
    rows ``worktime_figures`` gives."""
    rows: list[dict[str, object]] = []
    for figure in FIGURES:
        if figure not in results:
            continue
        dim = _KEY.get(figure)
        for row in results[figure].frame.iter_rows(named=True):
            rows.append(
                {
                    "figure": figure,
                    "org_id": row["org_id"],
                    "key": "" if dim is None else row[dim],
                    "n": row["n"],
                    "value": row["value"],
                }
            )
    return rows
