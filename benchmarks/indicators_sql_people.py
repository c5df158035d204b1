"""The pack's people, pay, manager and agency figures as hand-written DuckDB SQL.

The reference for ``realpath_bench.py``'s pack comparison beside ``indicators_sql.py``
(``SQL``: the seven note figures, ``STAFF_SQL``: ten staff figures): the figures below,
written from their definitions (docs/key-figures.md, the registry's Swedish texts,
/work/shared/reference/domain-rules.md), not from the Polars code, for the default
``Params(year=YEAR)``: snapshot date ``on`` (1 November), the same day a year earlier,
target pension age 67 over five years, span limit 30, payroll overhead 40,15 %, occupation
= SSYK. The tables are views named by the snapshot's Parquet file stems (``employments``,
``persons``, ``units``, ``pay_components``, ``agency_staff``).

Definitions implemented:

- Active on a date d: ``start_date <= d`` and ``end_date`` empty or ``>= d``. Monthly-paid:
  employment form tillsvidare or visstid.
- Main employment of a person on d (the person's unit, occupation and pay): among the
  active monthly-paid periods, permanent before fixed-term, then the highest rate (an
  empty rate first, as the staff SQL does), then the smallest employment id.
- ``new_permanent_hires``: permanent monthly-paid persons on d who had no active permanent
  employment on d a year earlier, in percent of the permanent persons on d (N00215).
- ``internal_moves``: a move is a monthly-paid employment period starting in the calendar
  year in another unit than the person's previous period (the person's monthly-paid
  periods ordered by start date, then employment id), which ended on the day the new one
  starts or the day before. Value = the monthly-paid persons on d who moved / the
  monthly-paid persons on d × 100 (one who moved and left before d is in neither).
- ``expected_retirements``: per year y of the five years after the reporting year, the
  monthly-paid persons on d with birth year + 67 = y; anyone past it is counted in the
  first year. ``n`` = all monthly-paid persons on d, ``key`` = y.
- ``median_pay_gap_women_men`` / ``pay_ratio_women_men``: monthly pay at full time
  (``monthly_pay``) of the main employment of monthly-paid persons on d with a pay;
  median(women) − median(men), and median(women) / median(men) × 100; ``n`` = the smaller
  of the two gender groups. The median of an even count is the mean of the two middle
  values (DuckDB ``median`` = ``quantile_cont(0.5)``, Polars ``median``).
- ``pay_percentiles``: per SSYK code (an empty code is a group of its own), P10, P50, P90
  of the same pay and P90/P10, keys ``'<ssyk>|p10'`` etc. Percentiles interpolate
  linearly between order statistics, h = (n − 1)q (the registry's formula, numpy's
  default): DuckDB ``quantile_cont``, the same as Polars ``quantile(interpolation=
  "linear")`` that the product uses (``quantile_disc`` would pick an observation).
- ``span_of_control``: a monthly-paid person's first-line manager is the manager of the
  unit of the main employment, else of the nearest unit above it with a manager (at most
  64 steps up, so a cycle in bad data ends); a manager is not in their own span. Per
  manager: the persons whose first-line manager they are. Over the managers (``n``):
  mean, median, share over 30, shares in 1–15, 16–30, 31–45, 46–60, >60 (keys
  ``mean``, ``median``, ``share_over_30``, ``share_1–15`` …).
- ``agency_staff``: per organisation, month of the year and occupation: agency hours and
  cost (the agency file's occupation), own personnel cost = pay paid × 1,4015, and
  value = agency cost / personnel cost × 100 (empty when there is no own pay). Pay paid
  per employment and month = fixed pay (the ``fast`` pay components when the month has
  any; otherwise, for a monthly-paid employment period, monthly_pay × rate / 100 × the
  calendar days of the month the period covers / the month's days, periods summed) +
  ``tillägg`` + ``rörlig``. The employment's occupation: SSYK, else AID, else title, else
  ``okänt``, from its terms on d (the period active on d, else the latest one started
  before d, else its first period). Keys ``'<month>|<occupation>|<column>'``, ``n`` empty (the figure counts no
  persons).
- The women/men-dominated comparison (``dominance_figures``, docs/key-figures.md "Women-
  vs men-dominated working conditions"): per organisation the most women-dominated and
  the most men-dominated SSYK group (see ``DOMINANCE_SQL``) and their sick leave, part
  time, employees per manager, temporary employment, overtime, split shifts and unsocial
  hours per FTE, and median pay.

Where the code departs from the documented definition, the SQL follows the code (so the
benchmark compares like with like) and says so here; the coordinator has the cases:

- ``expected_retirements``: a person without a birth date (an employment whose person is
  not in the persons file) gets the first year in the code (Polars ``max_horizontal``
  skips the null); DuckDB's ``greatest`` skips NULL too, so the SQL does the same.
  Imported data always has a birth date, so this only shows on hand-built data.
- The comparison's employees per manager: the documented rule is the mean span of the
  first-line managers of the group's employees, and a manager is not in their own span;
  the code (``dominance._span_mean``) takes the nearest manager of every monthly-paid
  person of the occupation, so a manager of the occupation who manages their own unit
  brings their own span into the mean (``span_occ`` reproduces it). Managers on the
  200 000 snapshot all have SSYK 1xxx, so it does not show there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import indicators_sql
import polars as pl

from hallbar.core.dataset import HRData
from hallbar.indicators import Params, registry
from hallbar.indicators.dominance import DominanceComparison
from hallbar.indicators.registry import FigureResult

FIGURES: tuple[str, ...] = (
    "agency_staff",
    "span_of_control",
    "new_permanent_hires",
    "internal_moves",
    "expected_retirements",
    "median_pay_gap_women_men",
    "pay_ratio_women_men",
    "pay_percentiles",
)


# Monthly-paid persons on {d} with their main employment: the base of the pay, retirement
# and span figures, kept as a table because four queries read it.
MAIN_SQL = """
CREATE OR REPLACE TEMP TABLE people_main AS
SELECT e.org_id, e.person_id, e.unit_id, e.ssyk, e.employment_form, e.monthly_pay, e.is_manager,
       p.gender, p.birth_date
FROM (
  SELECT org_id, person_id, unit_id, ssyk, employment_form, monthly_pay,
         bool_or(is_manager) OVER (PARTITION BY org_id, person_id) AS is_manager
  FROM employments
  WHERE start_date <= DATE '{d}' AND (end_date IS NULL OR end_date >= DATE '{d}')
    AND employment_form IN ('tillsvidare', 'visstid')
  QUALIFY row_number() OVER (
    PARTITION BY org_id, person_id
    ORDER BY CASE employment_form WHEN 'tillsvidare' THEN 0 ELSE 1 END,
             rate DESC NULLS FIRST, employment_id) = 1
) e LEFT JOIN persons p USING (org_id, person_id)
"""

# Each employment's terms on {d}: the period active on it, else the latest one started
# before it, else (none started) its first period. One key orders them: started periods
# above all others, by start date; periods not started below, the earliest highest.
TERMS_SQL = """
CREATE OR REPLACE TEMP TABLE terms AS
SELECT org_id, employment_id, t.ssyk, t.occupation FROM (
  SELECT org_id, employment_id,
         arg_max(struct_pack(ssyk, occupation := coalesce(ssyk, aid_code, title, 'okänt')),
                 CASE WHEN start_date <= DATE '{d}'
                      THEN 1000000 + (start_date - DATE '1900-01-01')
                      ELSE -(start_date - DATE '1900-01-01') END)
           AS t
  FROM employments GROUP BY ALL
)
"""

MOBILITY_SQL = """
WITH
permanent AS (  -- persons with a permanent employment on {d} and on {b}
  SELECT org_id, person_id,
         bool_or(start_date <= DATE '{d}' AND (end_date IS NULL OR end_date >= DATE '{d}')) AS now,
         bool_or(start_date <= DATE '{b}' AND (end_date IS NULL OR end_date >= DATE '{b}'))
           AS before
  FROM employments
  WHERE employment_form = 'tillsvidare' AND start_date <= DATE '{d}'
    AND (end_date IS NULL OR end_date >= DATE '{b}')
  GROUP BY ALL
),
monthly AS (
  SELECT org_id, person_id, unit_id, employment_id, start_date, end_date FROM employments
  WHERE employment_form IN ('tillsvidare', 'visstid')
),
previous AS (  -- each period starting in the year with the person's period just before it
  SELECT n.org_id, n.person_id, n.employment_id, n.unit_id, n.start_date,
         arg_max(struct_pack(unit_id := p.unit_id, end_date := p.end_date),
                 struct_pack(s := p.start_date, e := p.employment_id)) AS prev
  FROM monthly n JOIN monthly p
    ON p.org_id = n.org_id AND p.person_id = n.person_id
   AND (p.start_date < n.start_date
        OR (p.start_date = n.start_date AND p.employment_id < n.employment_id))
  WHERE n.start_date BETWEEN DATE '{y}-01-01' AND DATE '{y}-12-31'
  GROUP BY ALL
),
moved AS (
  SELECT DISTINCT org_id, person_id FROM previous
  WHERE prev.unit_id <> unit_id AND datediff('day', prev.end_date, start_date) BETWEEN 0 AND 1
),
staff AS (SELECT DISTINCT org_id, person_id FROM people_main),
staff_moved AS (  -- the staff on {d}, and whether each moved in the year
  SELECT org_id, person_id, m.person_id IS NOT NULL AS moved
  FROM staff s LEFT JOIN moved m USING (org_id, person_id)
)
SELECT 'new_permanent_hires' AS figure, org_id, '' AS key, count(*) AS n,
       100.0 * count(*) FILTER (WHERE NOT before) / count(*) AS value
FROM permanent WHERE now GROUP BY org_id
UNION ALL
SELECT 'internal_moves', org_id, '', count(*), 100.0 * count(*) FILTER (WHERE moved) / count(*)
FROM staff_moved GROUP BY org_id
"""

RETIREMENT_SQL = """
WITH
staff AS (
  SELECT org_id, greatest(year(birth_date) + {age}, {first}) AS retirement_year FROM people_main
),
totals AS (SELECT org_id, count(*) AS n FROM staff GROUP BY org_id),
years AS (SELECT range AS retirement_year FROM range({first}, {last} + 1)),
counts AS (
  SELECT org_id, retirement_year, count(*) AS retirements FROM staff
  WHERE retirement_year <= {last} GROUP BY ALL
)
SELECT 'expected_retirements' AS figure, t.org_id, y.retirement_year::VARCHAR AS key, t.n,
       coalesce(c.retirements, 0)::DOUBLE AS value
FROM totals t CROSS JOIN years y
LEFT JOIN counts c ON c.org_id = t.org_id AND c.retirement_year = y.retirement_year
"""

PAY_SQL = """
WITH
paid AS (SELECT * FROM people_main WHERE monthly_pay IS NOT NULL),
medians AS (
  SELECT org_id,
         median(monthly_pay) FILTER (WHERE gender = 'K') AS women,
         median(monthly_pay) FILTER (WHERE gender = 'M') AS men,
         least(count(*) FILTER (WHERE gender = 'K'), count(*) FILTER (WHERE gender = 'M')) AS n
  FROM paid GROUP BY org_id
),
occupations AS (
  SELECT org_id, coalesce(ssyk, '') AS occupation, count(*) AS n,
         quantile_cont(monthly_pay, [0.1, 0.5, 0.9]) AS q
  FROM paid GROUP BY ALL
)
SELECT 'median_pay_gap_women_men' AS figure, org_id, '' AS key, n, women - men AS value
FROM medians
UNION ALL
SELECT 'pay_ratio_women_men', org_id, '', n, 100.0 * women / men FROM medians
UNION ALL
SELECT 'pay_percentiles', org_id, occupation || '|' || name, n, v
FROM occupations, LATERAL (VALUES ('p10', q[1]), ('p50', q[2]), ('p90', q[3]),
                                  ('p90_p10', q[3] / q[1])) t(name, v)
"""

# Monthly-paid persons on {d} with their first-line manager (the span and the women/men
# comparison read it).
FIRST_LINE_SQL = """
CREATE OR REPLACE TEMP TABLE first_line AS
WITH RECURSIVE
walk AS (  -- each unit upwards until a unit with a manager (at most 64 steps)
  SELECT org_id, unit_id, parent_id AS cursor, manager_person_id AS manager, 0 AS depth
  FROM units
  UNION ALL
  SELECT w.org_id, w.unit_id, u.parent_id, u.manager_person_id, w.depth + 1
  FROM walk w JOIN units u ON u.org_id = w.org_id AND u.unit_id = w.cursor
  WHERE w.manager IS NULL AND w.depth < 64
),
nearest AS (SELECT org_id, unit_id, manager FROM walk WHERE manager IS NOT NULL)
SELECT s.org_id, s.person_id, s.ssyk, n.manager
FROM people_main s JOIN nearest n USING (org_id, unit_id)
"""

SPAN_SQL = """
WITH
spans AS (
  SELECT org_id, manager, count(*) AS span FROM first_line
  WHERE manager <> person_id GROUP BY ALL
),
summary AS (
  SELECT org_id, count(*) AS n, avg(span) AS mean, median(span) AS median,
         100.0 * avg((span > {limit})::INT) AS share_over_30,
         100.0 * avg((span <= 15)::INT) AS b1,
         100.0 * avg((span BETWEEN 16 AND 30)::INT) AS b2,
         100.0 * avg((span BETWEEN 31 AND 45)::INT) AS b3,
         100.0 * avg((span BETWEEN 46 AND 60)::INT) AS b4,
         100.0 * avg((span > 60)::INT) AS b5
  FROM spans GROUP BY org_id
)
SELECT 'span_of_control' AS figure, org_id, name AS key, n, v AS value
FROM summary, LATERAL (VALUES ('mean', mean), ('median', median),
                              ('share_over_30', share_over_30), ('share_1–15', b1),
                              ('share_16–30', b2), ('share_31–45', b3), ('share_46–60', b4),
                              ('share_>60', b5)) t(name, v)
"""

AGENCY_SQL = """
WITH
agency AS (
  SELECT org_id, month, occupation, sum(hours) AS agency_hours, sum(cost) AS agency_cost
  FROM agency_staff WHERE month BETWEEN DATE '{y}-01-01' AND DATE '{y}-12-31'
  GROUP BY ALL
),
components AS (
  SELECT org_id, employment_id, month, kind, amount FROM pay_components
  WHERE month BETWEEN DATE '{y}-01-01' AND DATE '{y}-12-31'
    AND kind IN ('fast', 'tillägg', 'rörlig')
),
fixed_months AS (  -- per employment: the months whose fixed pay is in the pay file
  SELECT org_id, employment_id, list(DISTINCT month) AS months FROM components
  WHERE kind = 'fast' GROUP BY ALL
),
periods AS (  -- monthly-paid periods in the year, one row per month they touch
  SELECT e.org_id, t.occupation, e.start_date, f.months AS fixed,
         coalesce(e.end_date, DATE '{y}-12-31') AS end_date,
         coalesce(e.monthly_pay, 0) * coalesce(e.rate, 0) / 100.0 AS full_month,
         CAST(unnest(generate_series(
           greatest(date_trunc('month', e.start_date), DATE '{y}-01-01'),
           least(date_trunc('month', coalesce(e.end_date, DATE '{y}-12-31')), DATE '{y}-12-01'),
           INTERVAL 1 MONTH)) AS DATE) AS month
  FROM employments e JOIN terms t USING (org_id, employment_id)
  LEFT JOIN fixed_months f USING (org_id, employment_id)
  WHERE e.employment_form IN ('tillsvidare', 'visstid')
    AND e.start_date <= DATE '{y}-12-31'
    AND (e.end_date IS NULL OR e.end_date >= DATE '{y}-01-01')
),
pay AS (
  -- the contracted pay for the calendar days covered, in months without fixed pay rows
  SELECT org_id, month, occupation,
         full_month * (datediff('day', greatest(start_date, month),
                                least(end_date, last_day(month))) + 1)
           / day(last_day(month)) AS amount
  FROM periods WHERE fixed IS NULL OR NOT list_contains(fixed, month)
  UNION ALL
  SELECT c.org_id, c.month, coalesce(t.occupation, 'okänt'), c.amount
  FROM components c LEFT JOIN terms t USING (org_id, employment_id)
),
own AS (
  SELECT org_id, month, occupation, sum(amount) * (1 + {overhead}) AS personnel_cost
  FROM pay GROUP BY ALL
),
joined AS (
  SELECT org_id, month, occupation, coalesce(a.agency_hours, 0) AS agency_hours,
         coalesce(a.agency_cost, 0) AS agency_cost, o.personnel_cost,
         CASE WHEN o.personnel_cost > 0 THEN 100.0 * coalesce(a.agency_cost, 0) / o.personnel_cost
         END AS value
  FROM agency a FULL JOIN own o USING (org_id, month, occupation)
)
SELECT 'agency_staff' AS figure, org_id,
       strftime(month, '%Y-%m-%d') || '|' || occupation || '|' || name AS key,
       NULL::BIGINT AS n, v AS value
FROM joined, LATERAL (VALUES ('agency_hours', agency_hours), ('agency_cost', agency_cost),
                             ('personnel_cost', personnel_cost), ('value', value)) t(name, v)
"""


# --- The women/men-dominated comparison (hallbar/indicators/dominance.py) -------------
# Its main numbers per organisation: the most women-dominated and the most men-dominated
# SSYK group among the monthly-paid staff on {d} without manager responsibility (at least
# {min_group} persons and {t} of one gender; the highest share, then the larger group,
# then the smaller code), and per group: sick leave (the note's hours, by the employment's
# SSYK on {d}), part time (100 − full-time employed, by the main employment's SSYK), the
# mean span of the group's employees' first-line managers, temporary employment (100 −
# permanent share), overtime, split shifts and unsocial hours per FTE (by the
# employment's SSYK), and median pay. A value of a group under the figure's smallest group
# (11 for sick leave, else 5) is empty. The sick hours and ordinary hours per employment
# are the note's own SQL (``indicators_sql.SQL``, its CTEs up to the person sums), not a
# copy of it.
_NOTE_CTES = indicators_sql.SQL[: indicators_sql.SQL.index("per_person AS (")]
DOMINANCE_SQL = (
    _NOTE_CTES
    + """
sick_occ AS (
  SELECT p.org_id, t.ssyk, count(DISTINCT p.person_id) AS n,
         sum(coalesce(s.sick, 0)) AS num, sum(ne.net) AS den
  FROM pop p JOIN net_emp ne USING (org_id, employment_id)
  LEFT JOIN sick_emp s USING (org_id, employment_id)
  LEFT JOIN terms t USING (org_id, employment_id)
  GROUP BY ALL
),
groups AS (
  SELECT org_id, ssyk, count(*) AS n, avg((gender = 'K')::INT) AS share_women
  FROM people_main WHERE ssyk IS NOT NULL AND NOT coalesce(is_manager, false)
  GROUP BY ALL HAVING count(*) >= {min_group}
),
women AS (
  SELECT 'women' AS side, * FROM groups WHERE share_women >= {t}
  QUALIFY row_number() OVER (PARTITION BY org_id ORDER BY share_women DESC, n DESC, ssyk) = 1
),
men AS (
  SELECT 'men' AS side, * FROM groups WHERE 1 - share_women >= {t}
  QUALIFY row_number() OVER (PARTITION BY org_id ORDER BY share_women, n DESC, ssyk) = 1
),
chosen AS (SELECT * FROM women UNION ALL SELECT * FROM men),
permanent AS (
  SELECT org_id, person_id, least(coalesce(sum(rate), 0), 100.0) AS rate FROM employments
  WHERE employment_form = 'tillsvidare'
    AND start_date <= DATE '{d}' AND (end_date IS NULL OR end_date >= DATE '{d}')
  GROUP BY ALL
),
part_time AS (
  SELECT m.org_id, m.ssyk, count(*) AS n,
         100.0 - 100.0 * count(*) FILTER (WHERE p.rate >= 100) / count(*) AS value
  FROM permanent p JOIN people_main m USING (org_id, person_id) GROUP BY ALL
),
temporary AS (
  SELECT org_id, ssyk, count(*) AS n,
         100.0 - 100.0 * count(*) FILTER (WHERE employment_form = 'tillsvidare') / count(*) AS value
  FROM people_main GROUP BY ALL
),
spans AS (
  SELECT org_id, manager, count(*) AS span FROM first_line
  WHERE manager <> person_id GROUP BY ALL
),
span_occ AS (  -- the mean span of the managers of the occupation's employees
  SELECT o.org_id, o.ssyk, avg(s.span) AS value
  FROM (SELECT DISTINCT org_id, ssyk, manager FROM first_line) o
  JOIN spans s USING (org_id, manager) GROUP BY ALL
),
pay_occ AS (
  SELECT org_id, ssyk, count(*) AS n, median(monthly_pay) AS value
  FROM people_main WHERE monthly_pay IS NOT NULL GROUP BY ALL
),
wt_year AS (
  SELECT org_id, employment_id, overtime_hours, split_shifts, unsocial_hours FROM working_time
  WHERE month BETWEEN DATE '{y}-01-01' AND DATE '{y}-12-31'
),
wt_present AS (  -- a working-time column with no value in the year gives no figure
  SELECT org_id, count(overtime_hours) > 0 AS overtime, count(split_shifts) > 0 AS split,
         count(unsocial_hours) > 0 AS unsocial
  FROM wt_year GROUP BY org_id
),
wt_hours AS (
  SELECT org_id, employment_id, coalesce(sum(overtime_hours), 0) AS overtime,
         coalesce(sum(split_shifts), 0) AS split, coalesce(sum(unsocial_hours), 0) AS unsocial
  FROM wt_year GROUP BY ALL
),
wt_fte AS (  -- the year's average FTE: rate / 100 on the first day of each month
  SELECT org_id, employment_id,
         coalesce(sum(rate * greatest(least(hi, 11) - greatest(lo, 0) + 1, 0)), 0) / 100.0 / 12
           AS fte
  FROM (
    SELECT org_id, employment_id, rate,
           (year(start_date) - {y}) * 12 + month(start_date) - 1 + (day(start_date) <> 1)::INT
             AS lo,
           CASE WHEN end_date IS NULL THEN 11
                ELSE (year(end_date) - {y}) * 12 + month(end_date) - 1 END AS hi
    FROM employments WHERE employment_form IN ('tillsvidare', 'visstid')
  ) GROUP BY ALL
),
wt_occ AS (
  SELECT org_id, t.ssyk,
         count(DISTINCT ep.person_id) FILTER (WHERE coalesce(f.fte, 0) > 0) AS n,
         sum(coalesce(f.fte, 0)) AS fte, sum(coalesce(h.overtime, 0)) AS overtime,
         sum(coalesce(h.split, 0)) AS split, sum(coalesce(h.unsocial, 0)) AS unsocial
  FROM wt_fte f FULL JOIN wt_hours h USING (org_id, employment_id)
  LEFT JOIN emp_person ep USING (org_id, employment_id)
  LEFT JOIN terms t USING (org_id, employment_id)
  GROUP BY ALL
),
metrics AS (
  SELECT c.org_id, c.side, 'sick_leave' AS metric,
         CASE WHEN s.n >= {sick_min} AND s.den > 0 THEN 100.0 * s.num / s.den END AS value
  FROM chosen c LEFT JOIN sick_occ s USING (org_id, ssyk)
  UNION ALL
  SELECT c.org_id, c.side, 'part_time', CASE WHEN p.n >= {min_n} THEN p.value END
  FROM chosen c LEFT JOIN part_time p USING (org_id, ssyk)
  UNION ALL
  SELECT c.org_id, c.side, 'span', s.value FROM chosen c LEFT JOIN span_occ s USING (org_id, ssyk)
  UNION ALL
  SELECT c.org_id, c.side, 'temporary', CASE WHEN p.n >= {min_n} THEN p.value END
  FROM chosen c LEFT JOIN temporary p USING (org_id, ssyk)
  UNION ALL
  SELECT c.org_id, c.side, name,
         CASE WHEN present AND w.n >= {min_n} AND w.fte > 0 THEN hours / w.fte END
  FROM chosen c LEFT JOIN wt_occ w USING (org_id, ssyk) LEFT JOIN wt_present x USING (org_id),
       LATERAL (VALUES ('overtime', w.overtime, x.overtime), ('split_shifts', w.split, x.split),
                       ('unsocial_hours', w.unsocial, x.unsocial)) v(name, hours, present)
  UNION ALL
  SELECT c.org_id, c.side, 'median_pay', CASE WHEN p.n >= {min_n} THEN p.value END
  FROM chosen c LEFT JOIN pay_occ p USING (org_id, ssyk)
)
SELECT 'dominance' AS figure, org_id, side || '_group|' || ssyk AS key, n, share_women AS value
FROM chosen
UNION ALL
SELECT 'dominance', org_id, side || '|' || metric, NULL, value FROM metrics
"""
)


def dominance_figures(con: duckdb.DuckDBPyConnection, year: int, on: date) -> pl.DataFrame:
    """The comparison's main numbers (``DOMINANCE_SQL``): figure, org_id, key, n, value.
    Keys: ``'women_group|<ssyk>'`` (n = persons, value = share of women, 0–1) and
    ``'women|<metric>'`` (the group's value), and the same for men. Reads the temporary
    tables ``people_figures`` makes, so it runs after it."""
    p = Params(year=year, on=on)
    sql = DOMINANCE_SQL.format(
        y=year,
        d=on.isoformat(),
        t=p.gender_dominance_threshold,
        min_group=p.dominance_min_group,
        sick_min=max(p.sick_leave_min_group, p.min_group_size),
        min_n=p.min_group_size,
    )
    return _frame(con.execute(sql).fetchall()).sort(["figure", "org_id", "key"])


def dominance_rows(comparisons: Iterable[DominanceComparison]) -> list[dict[str, object]]:
    """The product's comparisons as ``dominance_figures`` rows."""
    rows: list[dict[str, object]] = []
    for c in comparisons:
        groups = {"women": c.women_group, "men": c.men_group}
        for side, group in groups.items():
            if group is None:
                continue
            rows.append(
                {
                    "figure": "dominance",
                    "org_id": c.org_id,
                    "key": f"{side}_group|{group.occupation}",
                    "n": group.n,
                    "value": group.share_women,
                }
            )
            for r in c.rows:
                value = r.women_dominated if side == "women" else r.men_dominated
                rows.append(
                    {
                        "figure": "dominance",
                        "org_id": c.org_id,
                        "key": f"{side}|{r.metric}",
                        "n": None,
                        "value": value,
                    }
                )
    return rows


TABLES = ("employments", "persons", "units", "pay_components", "agency_staff")
NOTE_TABLES = ("absences", "working_time")  # the comparison's sick leave and working time


def connect(data: HRData, folder: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB over ``data``'s tables written as Parquet files in ``folder``, one view per
    table named by its file stem, as over a snapshot's own files (pyarrow is not a
    dependency, so the frames travel through the files)."""
    con = duckdb.connect()
    for name in (*TABLES, *NOTE_TABLES):
        path = folder / f"{name}.parquet"
        getattr(data, name).write_parquet(path)
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    return con


def _year_before(on: date) -> date:
    return on.replace(year=on.year - 1, day=28 if (on.month, on.day) == (2, 29) else on.day)


def people_figures(con: duckdb.DuckDBPyConnection, year: int, on: date) -> pl.DataFrame:
    """``FIGURES`` for the snapshot date ``on`` of ``year``: figure, org_id, key, n, value."""
    p = Params(year=year, on=on)  # the local rules' defaults, as the pack has them
    d, b = on.isoformat(), _year_before(on).isoformat()
    con.execute(MAIN_SQL.format(d=d))
    con.execute(TERMS_SQL.format(d=d))
    con.execute(FIRST_LINE_SQL)
    queries = (
        MOBILITY_SQL.format(d=d, b=b, y=year),
        RETIREMENT_SQL.format(
            age=p.target_pension_age, first=year + 1, last=year + p.retirement_horizon_years
        ),
        PAY_SQL,
        SPAN_SQL.format(limit=p.span_limit),
        AGENCY_SQL.format(d=d, y=year, overhead=p.payroll_overhead),
    )
    frames = [_frame(con.execute(sql).fetchall()) for sql in queries]
    return pl.concat(frames).sort(["figure", "org_id", "key"])


def _frame(rows: list[Any]) -> pl.DataFrame:
    schema = {"figure": pl.String, "org_id": pl.String, "key": pl.String, "n": pl.Int64}
    return pl.DataFrame(rows, schema={**schema, "value": pl.Float64}, orient="row")


# The product's frames: the figure's own dimension columns (joined into the key) and
# whether a group has several values (the registry's value columns, one row each, the
# column's name ending the key) or one (``value``).
_LAYOUT: dict[str, tuple[tuple[str, ...], bool]] = {
    "agency_staff": (("month", "occupation"), True),
    "span_of_control": ((), True),
    "new_permanent_hires": ((), False),
    "internal_moves": ((), False),
    "expected_retirements": (("retirement_year",), False),
    "median_pay_gap_women_men": ((), False),
    "pay_ratio_women_men": ((), False),
    "pay_percentiles": (("ssyk",), True),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def pack_rows(results: Mapping[str, FigureResult]) -> list[dict[str, object]]:
    """The product's ``FigureResult`` of each of ``FIGURES`` in ``results`` as rows
    (figure, org_id, key, n, value), keyed as ``people_figures`` keys them."""
    rows: list[dict[str, object]] = []
    for figure in FIGURES:
        if figure not in results:
            continue
        dims, several = _LAYOUT[figure]
        columns = registry.get(figure).value_columns if several else ()
        for row in results[figure].frame.iter_rows(named=True):
            group = [_text(row[d]) for d in dims]
            for column in columns or ("value",):
                rows.append(
                    {
                        "figure": figure,
                        "org_id": row["org_id"],
                        "key": "|".join([*group, column] if columns else group),
                        "n": row.get("n"),  # agency_staff counts no persons
                        "value": row[column],
                    }
                )
    return rows


def main() -> None:
    """On an imported data folder (``hallbar.db`` and the snapshot files), the CPU time of
    ``people_figures`` over the snapshot's Parquet files and the product's for the same
    figures (``registry.compute`` each inside one ``shared_cache()`` block, after loading;
    the tables they read are read first and timed apart); then the same for the women/men
    comparison (``dominance_figures`` against ``compare_dominated_groups`` in a block of its
    own); and whether every group agrees."""
    import argparse
    import json
    import time

    from realpath_bench import TOLERANCE, compare_pack

    from hallbar.indicators.cache import shared_cache
    from hallbar.indicators.dominance import compare_dominated_groups
    from hallbar.store import Store

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--org", default="99")
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    snapshot = sorted((args.data / "snapshots" / args.org).iterdir())[-1]
    params = Params(year=args.year)
    clock = time.process_time

    started = clock()
    con = duckdb.connect()
    for name in (*TABLES, *NOTE_TABLES):
        path = snapshot / f"{name}.parquet"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    reference = people_figures(con, args.year, params.snapshot)
    duck_figures = clock()
    duck_dominance = dominance_figures(con, args.year, params.snapshot)
    duck_done = clock()

    started_ours = clock()
    data = Store(f"sqlite:///{args.data / 'hallbar.db'}").load(args.org)
    for name in TABLES:  # read on first use: read here, so the figures' time is compute only
        getattr(data, name)
    loaded = clock()
    with shared_cache():
        results = {f: registry.compute(f, data, params) for f in FIGURES}
    computed = clock()
    for name in NOTE_TABLES:
        getattr(data, name)
    loaded_note = clock()
    with shared_cache():
        comparisons = compare_dominated_groups(data, params)
    compared_dominance = clock()

    def check(ours: list[dict[str, object]], duck: pl.DataFrame) -> dict[str, Any]:
        out = compare_pack(ours, duck.to_dicts())
        out["agree"] = not out["disagree"] and out["worst"] <= TOLERANCE
        return out

    report = {
        "figures": {
            "duckdb_cpu_s": round(duck_figures - started, 2),
            "hallbar_read_cpu_s": round(loaded - started_ours, 2),
            "hallbar_compute_cpu_s": round(computed - loaded, 2),
            **check(pack_rows(results), reference),
        },
        "dominance": {
            "duckdb_cpu_s": round(duck_done - duck_figures, 2),
            "hallbar_read_cpu_s": round(loaded_note - computed, 2),
            "hallbar_compute_cpu_s": round(compared_dominance - loaded_note, 2),
            **check(dominance_rows(comparisons), duck_dominance),
        },
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
