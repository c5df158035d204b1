"""SKR's seven sick-leave figures as one hand-written DuckDB SQL query.

The reference implementation for ``indicators_bench.py``: the same definitions
as hallbar.indicators.sick_leave_note (docs/key-figures.md), written
independently in SQL, so the benchmark can both time the two and check that
they agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from hallbar.core.dataset import HRData

SQL = """
WITH
emp_person AS (
  SELECT org_id, employment_id, any_value(person_id) AS person_id
  FROM employments GROUP BY org_id, employment_id
),
wt AS (
  SELECT w.org_id, w.employment_id, e.person_id, w.month, sum(coalesce(w.scheduled_hours, 0)) AS sched
  FROM working_time w JOIN emp_person e USING (org_id, employment_id)
  WHERE w.month BETWEEN DATE '{y}-01-01' AND DATE '{y}-12-31'
  GROUP BY ALL
),
wt_p AS (
  SELECT *, sum(sched) OVER (PARTITION BY org_id, person_id, month) AS psched FROM wt
),
pop AS (
  SELECT org_id, employment_id, any_value(person_id) AS person_id, sum(sched) AS sched
  FROM wt GROUP BY org_id, employment_id HAVING sum(sched) > 0
),
sick AS (
  SELECT org_id, person_id, employment_id, from_date, to_date, extent, hours,
         max(to_date) OVER (PARTITION BY org_id, person_id ORDER BY from_date, to_date
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max
  FROM absences WHERE cause = 'sjuk'
),
numbered AS (
  SELECT *, sum(CASE WHEN prev_max IS NULL OR datediff('day', prev_max, from_date) > 1 THEN 1 ELSE 0 END)
            OVER (PARTITION BY org_id, person_id ORDER BY from_date, to_date ROWS UNBOUNDED PRECEDING) AS spell_no
  FROM sick
),
spelled AS (
  SELECT *, datediff('day', min(from_date) OVER s, max(to_date) OVER s) + 1 AS spell_days
  FROM numbered WINDOW s AS (PARTITION BY org_id, person_id, spell_no)
),
clipped AS (
  SELECT *, greatest(from_date, DATE '{y}-01-01') AS c_from, least(to_date, DATE '{y}-12-31') AS c_to,
         datediff('day', from_date, to_date) + 1 AS row_days
  FROM spelled WHERE from_date <= DATE '{y}-12-31' AND to_date >= DATE '{y}-01-01'
),
months AS (
  SELECT CAST(m AS DATE) AS month FROM range(DATE '{y}-01-01', DATE '{y}-12-31', INTERVAL 1 MONTH) t(m)
),
pieces AS (
  SELECT c.*, m.month,
         datediff('day', greatest(c.c_from, m.month), least(c.c_to, last_day(m.month))) + 1 AS days,
         day(last_day(m.month)) AS dim
  FROM clipped c JOIN months m
    ON m.month BETWEEN date_trunc('month', c.c_from) AND date_trunc('month', c.c_to)
),
hours_emp AS (
  SELECT p.org_id, p.employment_id, p.spell_days,
         CASE WHEN p.hours IS NOT NULL THEN p.hours * p.days / p.row_days
              ELSE coalesce(w.sched, 0) * p.days / p.dim * p.extent / 100 END AS h
  FROM pieces p LEFT JOIN wt w
    ON w.org_id = p.org_id AND w.employment_id = p.employment_id AND w.month = p.month
  WHERE p.employment_id IS NOT NULL
  UNION ALL
  SELECT p.org_id, w.employment_id, p.spell_days,
         CASE WHEN p.hours IS NOT NULL
              THEN p.hours * p.days / p.row_days * (CASE WHEN w.psched > 0 THEN w.sched / w.psched ELSE 0 END)
              ELSE w.sched * p.days / p.dim * p.extent / 100 END AS h
  FROM pieces p JOIN wt_p w ON w.org_id = p.org_id AND w.person_id = p.person_id AND w.month = p.month
  WHERE p.employment_id IS NULL
),
leave_rows AS (
  -- Full leave of absence is not ordinary working time (SKR): deducted from the schedule.
  SELECT org_id, person_id, employment_id, extent, hours,
         greatest(from_date, DATE '{y}-01-01') AS c_from, least(to_date, DATE '{y}-12-31') AS c_to,
         datediff('day', from_date, to_date) + 1 AS row_days
  FROM absences
  WHERE cause IN ('föräldraledig', 'tjänstledig', 'ledig utan lön') AND extent >= 100
    AND from_date <= DATE '{y}-12-31' AND to_date >= DATE '{y}-01-01'
),
leave_pieces AS (
  SELECT c.*, m.month,
         datediff('day', greatest(c.c_from, m.month), least(c.c_to, last_day(m.month))) + 1 AS days,
         day(last_day(m.month)) AS dim
  FROM leave_rows c JOIN months m
    ON m.month BETWEEN date_trunc('month', c.c_from) AND date_trunc('month', c.c_to)
),
leave_month AS (
  SELECT org_id, employment_id, month, sum(h) AS h FROM (
    SELECT p.org_id, p.employment_id, p.month,
           CASE WHEN p.hours IS NOT NULL THEN p.hours * p.days / p.row_days
                ELSE coalesce(w.sched, 0) * p.days / p.dim * p.extent / 100 END AS h
    FROM leave_pieces p LEFT JOIN wt w
      ON w.org_id = p.org_id AND w.employment_id = p.employment_id AND w.month = p.month
    WHERE p.employment_id IS NOT NULL
    UNION ALL
    SELECT p.org_id, w.employment_id, p.month,
           CASE WHEN p.hours IS NOT NULL
                THEN p.hours * p.days / p.row_days * (CASE WHEN w.psched > 0 THEN w.sched / w.psched ELSE 0 END)
                ELSE w.sched * p.days / p.dim * p.extent / 100 END AS h
    FROM leave_pieces p JOIN wt_p w ON w.org_id = p.org_id AND w.person_id = p.person_id AND w.month = p.month
    WHERE p.employment_id IS NULL
  ) GROUP BY ALL
),
net_emp AS (
  SELECT w.org_id, w.employment_id, sum(greatest(w.sched - coalesce(l.h, 0), 0)) AS net
  FROM wt w LEFT JOIN leave_month l USING (org_id, employment_id, month)
  GROUP BY ALL
),
sick_emp AS (
  SELECT org_id, employment_id, sum(h) AS sick, sum(CASE WHEN spell_days >= 60 THEN h ELSE 0 END) AS long
  FROM hours_emp GROUP BY ALL
),
per_person AS (
  SELECT p.org_id, p.person_id, sum(n.net) AS sched, sum(coalesce(s.sick, 0)) AS sick,
         sum(coalesce(s.long, 0)) AS long
  FROM pop p JOIN net_emp n USING (org_id, employment_id)
  LEFT JOIN sick_emp s USING (org_id, employment_id)
  GROUP BY ALL
),
attrs AS (
  SELECT pp.*, pe.gender, {y} - year(pe.birth_date) AS age
  FROM per_person pp LEFT JOIN persons pe USING (org_id, person_id)
)
SELECT org_id, 'total' AS key, count(*) AS n, sum(sick) AS num, sum(sched) AS den FROM attrs GROUP BY org_id
UNION ALL SELECT org_id, 'long_term_share', count(*), sum(long), sum(sick) FROM attrs GROUP BY org_id
UNION ALL SELECT org_id, 'women', count(*), sum(sick), sum(sched) FROM attrs WHERE gender = 'K' GROUP BY org_id
UNION ALL SELECT org_id, 'men', count(*), sum(sick), sum(sched) FROM attrs WHERE gender = 'M' GROUP BY org_id
UNION ALL SELECT org_id, 'age_29', count(*), sum(sick), sum(sched) FROM attrs WHERE age <= 29 GROUP BY org_id
UNION ALL SELECT org_id, 'age_30_49', count(*), sum(sick), sum(sched) FROM attrs WHERE age BETWEEN 30 AND 49 GROUP BY org_id
UNION ALL SELECT org_id, 'age_50', count(*), sum(sick), sum(sched) FROM attrs WHERE age >= 50 GROUP BY org_id
"""


def seven_figures(con: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    cur = con.execute(SQL.format(y=year))
    names = [c[0] for c in cur.description]
    out = pl.DataFrame(cur.fetchall(), schema=names, orient="row")
    return out.with_columns(value=100.0 * pl.col("num") / pl.col("den")).sort(["org_id", "key"])


def connect(data: HRData, folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB database holding the HRData frames as tables.

    pyarrow is not a dependency, so the frames travel through Parquet files in
    ``folder``; the tables are loaded into DuckDB's memory before any timing.
    """
    con = duckdb.connect()
    for name in ("employments", "persons", "absences", "working_time"):
        path = folder / f"{name}.parquet"
        getattr(data, name).write_parquet(path)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
    return con


# --- The rest of the pack: every figure group defined exactly by the registry ----------
# Each query returns (org_id, figure, key, n, value): ``key`` is the group's value of the
# figure's own dimension ('' for a total), ``n`` the persons counted, ``value`` the figure.
# Written from the definitions in hallbar.indicators (docs/key-figures.md), not from the code:
#
# - Monthly-paid persons on the snapshot date {d}: an employment period of form tillsvidare
#   or visstid with start_date <= {d} and end_date empty or >= {d}. A person's attributes
#   come from the main employment: permanent before fixed-term before hourly-paid, then the
#   highest rate (an empty rate first), then the smallest employment id.
# - Age = year − birth year; bands ≤29, 30–49, ≥50.
# - FTE = min(Σ rates of the person's active employments, 100) / 100.
# - Full-time (Kolada): permanent persons' permanent rates summed and capped at 100; worked
#   rate = Σ rate × (1 − leave extent on the employment / 100), × (1 − leave without an
#   employment / 100), capped at 100, leave (föräldraledig, tjänstledig, ledig utan lön)
#   covering the date, extents summed and capped at 100.
# - Turnover: permanent monthly-paid persons on the snapshot date a year earlier {b}
#   without any monthly-paid employment on {d}.
STAFF_SQL = """
WITH
active AS (
  SELECT * FROM employments
  WHERE start_date <= DATE '{d}' AND (end_date IS NULL OR end_date >= DATE '{d}')
),
ranked AS (
  SELECT a.*,
         row_number() OVER (
           PARTITION BY org_id, person_id
           ORDER BY CASE employment_form WHEN 'tillsvidare' THEN 0 WHEN 'visstid' THEN 1
                                         WHEN 'timavlönad' THEN 2 ELSE 3 END,
                    rate DESC NULLS FIRST, employment_id NULLS FIRST) AS rn,
         sum(rate) OVER (PARTITION BY org_id, person_id) AS rate_sum
  FROM active a
),
monthly AS (  -- monthly-paid persons, main employment among the monthly-paid ones
  SELECT r.org_id, r.person_id, r.unit_id, r.employment_form, r.rate_sum,
         p.gender, {y} - year(p.birth_date) AS age
  FROM (
    SELECT *, row_number() OVER (
             PARTITION BY org_id, person_id
             ORDER BY CASE employment_form WHEN 'tillsvidare' THEN 0 ELSE 1 END,
                      rate DESC NULLS FIRST, employment_id NULLS FIRST) AS rn2,
           sum(rate) OVER (PARTITION BY org_id, person_id) AS rate_sum
    FROM active WHERE employment_form IN ('tillsvidare', 'visstid')
  ) r LEFT JOIN persons p USING (org_id, person_id)
  WHERE r.rn2 = 1
),
everyone AS (SELECT org_id, person_id, employment_form FROM ranked WHERE rn = 1),
leave AS (
  SELECT * FROM absences
  WHERE cause IN ('föräldraledig', 'tjänstledig', 'ledig utan lön')
    AND from_date <= DATE '{d}' AND to_date >= DATE '{d}'
),
emp_leave AS (
  SELECT org_id, employment_id, least(sum(extent), 100.0) AS lv
  FROM leave WHERE employment_id IS NOT NULL GROUP BY ALL
),
person_leave AS (
  SELECT org_id, person_id, least(sum(extent), 100.0) AS plv
  FROM leave WHERE employment_id IS NULL GROUP BY ALL
),
permanent AS (
  SELECT a.org_id, a.person_id,
         least(sum(a.rate), 100.0) AS rate,
         sum(a.rate * (1 - coalesce(l.lv, 0) / 100.0)) AS worked
  FROM active a LEFT JOIN emp_leave l USING (org_id, employment_id)
  WHERE a.employment_form = 'tillsvidare'
  GROUP BY ALL
),
permanent_rates AS (
  SELECT p.org_id, p.person_id, p.rate,
         least(p.worked * (1 - coalesce(pl.plv, 0) / 100.0), 100.0) AS worked_rate
  FROM permanent p LEFT JOIN person_leave pl USING (org_id, person_id)
),
cohort AS (
  SELECT DISTINCT org_id, person_id FROM employments
  WHERE start_date <= DATE '{b}' AND (end_date IS NULL OR end_date >= DATE '{b}')
    AND employment_form = 'tillsvidare'
),
stayed AS (
  SELECT DISTINCT org_id, person_id FROM active WHERE employment_form IN ('tillsvidare', 'visstid')
)
SELECT org_id, 'headcount' AS figure, '' AS key, count(*) AS n, count(*)::DOUBLE AS value
FROM monthly GROUP BY org_id
UNION ALL
SELECT org_id, 'fte', '', count(*), sum(least(rate_sum, 100.0) / 100.0) FROM monthly GROUP BY org_id
UNION ALL
SELECT org_id, 'headcount_by_unit', unit_id, count(*), count(*)::DOUBLE FROM monthly GROUP BY org_id, unit_id
UNION ALL
SELECT org_id, 'fte_by_unit', unit_id, count(*), sum(least(rate_sum, 100.0) / 100.0) FROM monthly GROUP BY org_id, unit_id
UNION ALL
SELECT org_id, 'gender_structure', gender, count(*),
       100.0 * count(*) / sum(count(*)) OVER (PARTITION BY org_id) FROM monthly GROUP BY org_id, gender
UNION ALL
SELECT org_id, 'age_structure', CASE WHEN age <= 29 THEN '≤29' WHEN age <= 49 THEN '30–49' ELSE '≥50' END,
       count(*), 100.0 * count(*) / sum(count(*)) OVER (PARTITION BY org_id) FROM monthly GROUP BY 1, 3
UNION ALL
SELECT org_id, 'employment_forms', employment_form, count(*),
       100.0 * count(*) / sum(count(*)) OVER (PARTITION BY org_id) FROM everyone GROUP BY org_id, employment_form
UNION ALL
SELECT org_id, 'permanent_share', '', count(*),
       100.0 * count(*) FILTER (WHERE employment_form = 'tillsvidare') / count(*) FROM monthly GROUP BY org_id
UNION ALL
SELECT org_id, 'fulltime_employed', '', count(*), 100.0 * count(*) FILTER (WHERE rate >= 100) / count(*)
FROM permanent_rates GROUP BY org_id
UNION ALL
SELECT org_id, 'fulltime_working', '', count(*), 100.0 * count(*) FILTER (WHERE worked_rate >= 100) / count(*)
FROM permanent_rates GROUP BY org_id
UNION ALL
SELECT org_id, 'average_rate', '', count(*), avg(rate) FROM permanent_rates GROUP BY org_id
UNION ALL
SELECT c.org_id, 'turnover', '', count(*), 100.0 * count(*) FILTER (WHERE s.person_id IS NULL) / count(*)
FROM cohort c LEFT JOIN stayed s USING (org_id, person_id) GROUP BY c.org_id
"""

# The pack's figures this query computes (besides headcount and FTE per unit, named
# ``headcount_by_unit`` and ``fte_by_unit``); with the seven note figures, the figures
# ``realpath_bench.py`` checks against ``compute_pack``.
STAFF_FIGURES = (
    "headcount",
    "fte",
    "gender_structure",
    "age_structure",
    "employment_forms",
    "permanent_share",
    "fulltime_employed",
    "fulltime_working",
    "average_rate",
    "turnover",
)


def staff_figures(con: duckdb.DuckDBPyConnection, year: int, on: date) -> pl.DataFrame:
    """``STAFF_SQL`` for the snapshot date ``on`` of ``year`` (turnover against a year earlier)."""
    before = on.replace(year=on.year - 1, day=28 if (on.month, on.day) == (2, 29) else on.day)
    cur = con.execute(STAFF_SQL.format(y=year, d=on.isoformat(), b=before.isoformat()))
    names = [c[0] for c in cur.description]
    return pl.DataFrame(cur.fetchall(), schema=names, orient="row").sort(
        ["figure", "org_id", "key"]
    )
