"""SKR's seven sick-leave figures as one hand-written DuckDB SQL query.

The reference implementation for ``indicators_bench.py``: the same definitions
as hallbar.indicators.sick_leave_note (docs/key-figures.md), written
independently in SQL, so the benchmark can both time the two and check that
they agree.
"""

from __future__ import annotations

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
