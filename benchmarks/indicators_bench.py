"""Benchmark: the whole key-figure pack at region and national scale, beside DuckDB.

Region: Exempelregionen from ``hallbar.exampleorg`` (40 000 employees, three years),
written as CSV and read back with ``hallbar.ingest.read_export`` (falls back to
the numpy generator in ``indicators_synth.py`` with ``--region-source numpy``).
National: 1.3 million employees, one year, generated directly as canonical HRData
with numpy (``indicators_synth.py``).

Each scale runs in its own subprocess so that peak memory (``ru_maxrss``) is the
scale's own; it includes building the data. Measured per scale:

- pack: ``compute_pack`` for the last year (every registered figure, the sick-leave
  note, the women/men-dominated comparison, the priority areas);
- series: monthly series of sick leave, headcount, FTE and overtime over all years;
- note vs SQL: the seven sick-leave figures by ``sick_leave_note`` and by the
  hand-written DuckDB SQL in ``indicators_sql.py`` on the same data (best of 3),
  their time ratio, and whether all seven agree (relative difference < 1e-9);
- units vs SQL: headcount and FTE per unit (both figures cut by unit, as the pack
  computes them) and one hand-written DuckDB query (``UNIT_SQL``), best of 3, their
  ratio, and whether every unit agrees (issue 15).

Run: ``.venv/bin/python benchmarks/indicators_bench.py [--scale region|national|all]``.
Targets (issue 4): region under 2 s, national under 60 s and 12 GB, and no slower
than 2× the hand-written SQL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchdoc import sv, update_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = date(2025, 12, 31)
SCALES = {"region": (40_000, 3), "national": (1_300_000, 1)}
TARGETS = {"region": (2.0, None), "national": (60.0, 12.0)}


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9  # Linux: KiB


def _region_from_exampleorg(size: int, years: int) -> object:
    from hallbar import exampleorg
    from hallbar.ingest.api import ImportRequest, read_export

    export = exampleorg.generate(
        size=size, seed=1, years=years, as_of=AS_OF, org_id="99", org_name="Exempelregionen"
    )
    with tempfile.TemporaryDirectory() as tmp:
        exampleorg.write_csv_folder(export, Path(tmp))
        result = read_export(
            ImportRequest(
                folder=Path(tmp),
                org_id="99",
                org_name="Exempelregionen",
                as_of=AS_OF,
                key=os.urandom(32),
                org_kind="region",
            )
        )
    if not result.ok or result.data is None:
        raise RuntimeError(f"import failed: {result.errors[:3]}")
    return result.data


# Headcount and FTE per unit (``headcount``/``fte`` with ``by=("unit_id",)``) in hand-written
# SQL: monthly-paid persons with an employment active on the snapshot date, each counted
# on the unit of the main employment (permanent before fixed-term, then the highest
# rate, then the smallest employment id) with the person's rates summed and capped at 100.
UNIT_SQL = """
WITH active AS (
  SELECT org_id, person_id, employment_id, unit_id, employment_form, rate
  FROM employments
  WHERE start_date <= DATE '{d}' AND (end_date IS NULL OR end_date >= DATE '{d}')
    AND employment_form IN ('tillsvidare', 'visstid')
),
ranked AS (
  SELECT org_id, person_id, unit_id,
         row_number() OVER (
           PARTITION BY org_id, person_id
           ORDER BY CASE employment_form WHEN 'tillsvidare' THEN 0 WHEN 'visstid' THEN 1 ELSE 3 END,
                    rate DESC NULLS FIRST, employment_id NULLS FIRST) AS rn,
         sum(rate) OVER (PARTITION BY org_id, person_id) AS rate_sum
  FROM active
)
SELECT org_id, unit_id, count(*) AS n, sum(least(rate_sum, 100.0) / 100.0) AS fte
FROM ranked WHERE rn = 1 GROUP BY org_id, unit_id
"""


def _units_sql(con, on: date):  # type: ignore[no-untyped-def]
    import polars as pl

    cur = con.execute(UNIT_SQL.format(d=on.isoformat()))
    names = [c[0] for c in cur.description]
    return pl.DataFrame(cur.fetchall(), schema=names, orient="row")


def _units_polars(data, params):  # type: ignore[no-untyped-def]
    from hallbar.indicators import registry
    from hallbar.indicators.cache import shared_cache

    by_unit = params.with_(by=("unit_id",))
    with shared_cache():  # as in the pack: both figures share the person view
        return (
            registry.compute("headcount", data, by_unit).frame,
            registry.compute("fte", data, by_unit).frame,
        )


def _units_agree(polars_frames, sql) -> bool:  # type: ignore[no-untyped-def]
    import polars as pl

    heads, ftes = polars_frames
    got = heads.select("org_id", "unit_id", "n").join(
        ftes.select("org_id", "unit_id", pl.col("value").alias("fte")),
        on=["org_id", "unit_id"],
        nulls_equal=True,
    )
    both = got.join(sql, on=["org_id", "unit_id"], how="full", nulls_equal=True, suffix="_sql")
    if both.height != sql.height or both.height != got.height:
        return False
    ok = both.select(
        (pl.col("n") == pl.col("n_sql")).all(),
        (
            (pl.col("fte") - pl.col("fte_sql")).abs() <= 1e-9 * pl.col("fte_sql").abs().clip(1.0)
        ).all(),
    ).row(0)
    return bool(all(ok))


def _best(fn, repeat: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, out = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
    return best, out


def child(scale: str, region_source: str) -> dict[str, object]:
    sys.path.insert(0, str(HERE))
    from indicators_sql import connect, seven_figures
    from indicators_synth import generate

    from hallbar.indicators import Params, compute_pack, series, sick_leave_note

    size, years = SCALES[scale]
    started = time.perf_counter()
    if scale == "region" and region_source == "exampleorg":
        data = _region_from_exampleorg(size, years)
    else:
        data = generate(size, years=years, as_of=AS_OF)
    build_s = time.perf_counter() - started
    rows = {name: frame.height for name, frame in data.frames().items()}  # type: ignore[attr-defined]
    params = Params(year=AS_OF.year)

    started = time.perf_counter()
    pack = compute_pack(data, params)  # type: ignore[arg-type]
    pack_s = time.perf_counter() - started

    all_years = list(range(AS_OF.year - years + 1, AS_OF.year + 1))
    started = time.perf_counter()
    for figure in ("sick_leave_total", "headcount", "fte", "overtime_per_fte"):
        series(figure, data, freq="month", years=all_years)  # type: ignore[arg-type]
    series_s = time.perf_counter() - started

    note_s, note = _best(lambda: sick_leave_note(data, params))  # type: ignore[arg-type]
    units_s, units = _best(lambda: _units_polars(data, params))
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(data, Path(tmp))  # type: ignore[arg-type]
        sql_s, ref = _best(lambda: seven_figures(con, AS_OF.year))
        units_sql_s, units_ref = _best(lambda: _units_sql(con, params.snapshot))
        con.close()
    units_agree = _units_agree(units, units_ref)
    agree = True
    for row in note.rows:  # type: ignore[attr-defined]
        exp = ref.filter(ref["key"] == row.key).row(0, named=True)  # type: ignore[attr-defined]
        agree &= row.n == exp["n"] and abs(row.numerator - exp["num"]) <= 1e-9 * max(
            1.0, abs(exp["num"])
        )
        agree &= abs(row.denominator - exp["den"]) <= 1e-9 * max(1.0, abs(exp["den"]))
    return {
        "scale": scale,
        "employees": size,
        "years": years,
        "source": region_source if scale == "region" else "numpy",
        "rows": rows,
        "build_s": build_s,
        "pack_s": pack_s,
        "figures": len(pack.results),
        "missing": sorted(pack.missing),
        "series_s": series_s,
        "note_s": note_s,
        "sql_s": sql_s,
        "ratio": note_s / sql_s if sql_s else float("nan"),
        "agree": agree,
        "units_s": units_s,
        "units_sql_s": units_sql_s,
        "units_ratio": units_s / units_sql_s if units_sql_s else float("nan"),
        "units_agree": units_agree,
        "units": units[0].height,
        "total_sick_leave_pct": note.row("total").value,  # type: ignore[attr-defined]
        "peak_gb": _peak_gb(),
    }


def _fmt(n: float, decimals: int = 2) -> str:
    return sv(n, decimals)


def _section(results: dict[str, dict], load: float) -> str:
    lines = [
        "## Key figures (`benchmarks/indicators_bench.py`)",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"Python {platform.python_version()}, load average {_fmt(load, 1)} at start. "
        "Each scale runs in its own process; peak memory includes building the data. "
        "The pack is every registered figure, the sick-leave note, the women/men-dominated "
        "comparison and the priority areas for the last year.",
        "",
        "| Scale | Data | Pack | Monthly series (4 figures) | Sick-leave note: Polars / DuckDB SQL | Ratio | Headcount + FTE per unit: Polars / DuckDB SQL | Ratio | Peak memory | Targets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for scale, r in results.items():
        max_s, max_gb = TARGETS[scale]
        ok = r["pack_s"] < max_s and (max_gb is None or r["peak_gb"] < max_gb) and r["ratio"] <= 2.0
        target = f"< {max_s:g} s" + (f", < {max_gb:g} GB" if max_gb else "") + ", ratio ≤ 2"
        lines.append(
            f"| {scale} | {sv(r['employees'])} employees, {r['years']} yr, {r['source']} "
            f"| {_fmt(r['pack_s'])} s | {_fmt(r['series_s'])} s "
            f"| {_fmt(r['note_s'], 3)} / {_fmt(r['sql_s'], 3)} s | {_fmt(r['ratio'])} "
            f"| {_fmt(r['units_s'], 3)} / {_fmt(r['units_sql_s'], 3)} s ({sv(r['units'])} units) "
            f"| {_fmt(r['units_ratio'])} "
            f"| {_fmt(r['peak_gb'])} GB | {target}: {'met' if ok and r['agree'] else '**missed**'} |"
        )
    lines += [
        "",
        "Polars and the hand-written DuckDB SQL agree on all seven sick-leave figures and "
        "on headcount and FTE of every unit (relative difference < 1e-9) in every run."
        if all(r["agree"] and r["units_agree"] for r in results.values())
        else "**The Polars and DuckDB figures disagree.**",
        "",
        "Headcount and FTE per unit: both figures cut by unit on 1 November, computed "
        "together as in the pack, beside one hand-written DuckDB query "
        "(`UNIT_SQL` in the script) over the same data in DuckDB's memory; best of 3.",
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=["region", "national", "all"], default="all")
    ap.add_argument("--region-source", choices=["exampleorg", "numpy"], default="exampleorg")
    ap.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.region_source)))
        return 0
    scales = ["region", "national"] if args.scale == "all" else [args.scale]
    load = os.getloadavg()[0]
    print(f"{platform.machine()}, {os.cpu_count()} CPU cores, load {load:.1f}")
    failed = False
    results: dict[str, dict] = {}
    for scale in scales:
        out = subprocess.run(
            [sys.executable, __file__, "--child", scale, "--region-source", args.region_source],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            return 1
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results[scale] = r
        max_s, max_gb = TARGETS[scale]
        ok = r["pack_s"] < max_s and (max_gb is None or r["peak_gb"] < max_gb) and r["ratio"] <= 2.0
        failed |= not ok or not r["agree"] or not r["units_agree"]
        print(
            f"\n{scale}: {r['employees']:,} employees, {r['years']} year(s), data from {r['source']} "
            f"(built in {_fmt(r['build_s'], 1)} s)\n"
            f"  rows: {', '.join(f'{k} {v:,}' for k, v in r['rows'].items())}\n"
            f"  pack ({r['figures']} figures + note + comparison + areas): {_fmt(r['pack_s'])} s"
            f"  [target < {max_s:g} s]  missing: {r['missing'] or 'none'}\n"
            f"  monthly series (4 figures, all years): {_fmt(r['series_s'])} s\n"
            f"  seven sick-leave figures: Polars {_fmt(r['note_s'], 3)} s, DuckDB SQL {_fmt(r['sql_s'], 3)} s,"
            f" ratio {_fmt(r['ratio'])} [target ≤ 2], agree: {r['agree']}"
            f"\n  headcount + FTE per unit ({r['units']} units): Polars {_fmt(r['units_s'], 3)} s,"
            f" DuckDB SQL {_fmt(r['units_sql_s'], 3)} s, ratio {_fmt(r['units_ratio'])},"
            f" agree: {r['units_agree']}"
            f" (total sick leave {_fmt(r['total_sick_leave_pct'])} %)\n"
            f"  peak memory (incl. building the data): {_fmt(r['peak_gb'])} GB"
            + (f" [target < {max_gb:g} GB]" if max_gb else "")
            + f"\n  {'OK' if ok and r['agree'] else 'MISSED TARGET'}"
        )
    if not args.no_doc:
        update_section("indicators", _section(results, load))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
