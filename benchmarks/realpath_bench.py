"""Benchmark: the real path, from the files a user exports to figures, beside DuckDB.

For each size (employees active on the export date, three years of monthly
history, Exempelregionen from ``hallbar.exampleorg``), every step is its own
process, as a user runs it, measured with ``/usr/bin/time -v`` (wall clock,
CPU time, maximum resident set size):

1. the example generator writes the CSV files;
2. ``hallbar import`` reads, validates, pseudonymises and saves the snapshot
   (Parquet files) — beside it, DuckDB converting the same CSV files to Parquet
   without any checks (the floor for reading the files at all);
3. a new process loads the snapshot and computes the first figure page, the
   statutory sick-leave note (``hallbar figures sjukfranvaro --json``) — beside
   it, a new process running the hand-written DuckDB SQL of
   ``benchmarks/indicators_sql.py`` (unchanged) over the snapshot's own Parquet
   files; the seven figures must agree to 1e-9;
4. a new process computes the full pack (``hallbar figures pack``: every figure,
   as Excel, CSV, JSON and Kolada files);
5. a new process loads the snapshot and computes ``compute_pack`` and headcount and
   FTE per unit — beside it, a new process running the hand-written DuckDB SQL of
   ``benchmarks/indicators_sql.py`` for every figure of the pack it defines (``SQL``
   and ``STAFF_SQL``) over the snapshot's Parquet files; every group must agree in
   count and to 1e-9 in value (``compare_pack``; the figures not compared are listed
   in docs/benchmarks.md).

The ratios are Hållbar's time over DuckDB's, both measured in the same run.
The machine is shared, so the CPU time (user + system) is given beside the wall
clock: it depends much less on what else runs.

Run: ``.venv/bin/python benchmarks/realpath_bench.py --sizes 40000 200000 1300000``
(default: 40 000 only). Data goes to ``--work`` (default a temporary folder) and
is deleted afterwards unless ``--keep``. Targets (issue 15): the national import
under 10 minutes and 6 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from benchdoc import DOC, ROOT, sv, update_section

HERE = Path(__file__).resolve().parent
AS_OF = date(2025, 12, 31)
YEAR = AS_OF.year
ORG_ID, ORG_NAME = "99", "Exempelregionen"
TARGET_IMPORT_S, TARGET_IMPORT_GB = 600.0, 6.0
TOLERANCE = 1e-9


@dataclass
class Step:
    wall_s: float
    cpu_s: float
    peak_gb: float
    failed: str | None = None  # the last line of the error, when the step failed

    def cell(self) -> str:
        text = f"{sv(self.wall_s, 1)} s ({sv(self.cpu_s, 1)} s CPU), {sv(self.peak_gb, 2)} GB"
        return f"failed after {text}: `{self.failed}`" if self.failed else text


def _hallbar() -> list[str]:
    return [sys.executable, "-m", "hallbar.cli"] if not _cli().exists() else [str(_cli())]


def _cli() -> Path:
    return Path(sys.executable).parent / "hallbar"


def _timed(
    args: list[str], log: Path, env: dict[str, str] | None = None, may_fail: bool = False
) -> tuple[Step, str]:
    """Run ``args`` under /usr/bin/time -v; its stdout, and wall, CPU and peak memory."""
    stats = log.with_suffix(".time")
    out = subprocess.run(
        ["/usr/bin/time", "-v", "-o", str(stats), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    log.write_text(out.stdout + "\n--- stderr ---\n" + out.stderr, encoding="utf-8")
    text = stats.read_text(encoding="utf-8") if stats.exists() else ""
    if out.returncode != 0 and not may_fail:
        sys.exit(f"step failed ({' '.join(args)}), see {log}:\n{out.stderr[-3000:]}\n{text}")
    lines = out.stderr.strip().splitlines()
    failed = (lines[-1] if lines else f"exit {out.returncode}") if out.returncode != 0 else None

    def field(name: str) -> str:
        match = re.search(rf"{re.escape(name)}: (.+)", text)
        if match is None:
            raise RuntimeError(f"/usr/bin/time gave no '{name}'")
        return match.group(1).strip()

    clock = [
        float(part) for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
    ]
    wall = sum(value * 60**power for power, value in enumerate(reversed(clock)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    peak = int(field("Maximum resident set size (kbytes)")) * 1024 / 1e9
    return Step(wall, cpu, peak, failed), out.stdout


# --- steps run in their own process (--child) ------------------------------------
def child_generate(size: int, folder: Path) -> dict[str, int]:
    from hallbar import exampleorg

    return exampleorg.write_csv(folder, size, seed=1, as_of=AS_OF)


def child_duckdb_note(snapshot: Path) -> dict[str, object]:
    """The seven figures by the hand-written SQL over the snapshot's Parquet files."""
    import duckdb

    sys.path.insert(0, str(HERE))
    from indicators_sql import seven_figures

    started = time.perf_counter()
    con = duckdb.connect()
    for name in ("employments", "persons", "absences", "working_time"):
        path = snapshot / f"{name}.parquet"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    figures = seven_figures(con, YEAR)
    return {
        "seconds": time.perf_counter() - started,
        "rows": figures.select("key", "n", "value").to_dicts(),
    }


def child_load_pack(data: Path) -> dict[str, object]:
    """Load the snapshot and compute the whole pack in process (``compute_pack``: every
    registered figure, the sick-leave note, the women/men comparison, priority areas),
    then headcount and FTE per unit; the rows compared with DuckDB (``_pack_rows``)."""
    from hallbar.indicators import Params, compute_pack, registry
    from hallbar.indicators.cache import shared_cache
    from hallbar.store import Store

    started = time.process_time()
    snapshot = Store(f"sqlite:///{data / 'hallbar.db'}").load(ORG_ID)
    loaded = time.process_time()
    params = Params(year=YEAR)
    pack = compute_pack(snapshot, params)
    packed = time.process_time()
    by_unit = params.with_(by=("unit_id",))
    with shared_cache():  # as the unit table of the figure page computes them: together
        units = {
            f"{f}_by_unit": registry.compute(f, snapshot, by_unit) for f in ("headcount", "fte")
        }
    return {
        "load_cpu_s": loaded - started,
        "pack_cpu_s": packed - loaded,
        "units_cpu_s": time.process_time() - packed,
        "figures": len(pack.results),
        "rows": _pack_rows(pack, units),
    }


def _pack_rows(pack: Any, units: dict[str, Any]) -> list[dict[str, object]]:
    """(figure, org_id, key, n, value) of every figure DuckDB computes too: the group's
    value of the figure's own dimension is the key ('' for a total)."""
    sys.path.insert(0, str(HERE))
    import indicators_sql_people
    import indicators_sql_worktime
    from indicators_sql import STAFF_FIGURES

    rows: list[dict[str, object]] = [
        *indicators_sql_worktime.pack_rows(pack.results),
        *indicators_sql_people.pack_rows(pack.results),
        *indicators_sql_people.dominance_rows(pack.dominance),
    ]
    results = {**{f: pack.results[f] for f in STAFF_FIGURES if f in pack.results}, **units}
    for figure, result in results.items():
        frame = result.frame
        dims = [
            c for c in frame.columns if c in ("unit_id", "gender", "age_band", "employment_form")
        ]
        for row in frame.iter_rows(named=True):
            key = "" if not dims else row[dims[0]]
            rows.append(
                {
                    "figure": figure,
                    "org_id": row["org_id"],
                    "key": key,
                    "n": row["n"],
                    "value": row["value"],
                }
            )
    for note in pack.notes:
        for r in note.rows:
            value = None if r.denominator <= 0 else 100.0 * r.numerator / r.denominator
            rows.append(
                {
                    "figure": "sick_leave_note",
                    "org_id": note.org_id,
                    "key": r.key,
                    "n": r.n,
                    "value": value,
                }
            )
    return rows


def child_duckdb_pack(snapshot: Path) -> dict[str, object]:
    """Every figure of the pack by hand-written SQL over the snapshot's Parquet files
    (one view per file): the seven note figures (``indicators_sql.SQL``), the staff
    figures (``STAFF_SQL``), the working-time and sick-leave figures
    (``indicators_sql_worktime``), the people, pay and agency figures and the
    women/men-dominated comparison (``indicators_sql_people``)."""
    import duckdb
    import polars as pl

    sys.path.insert(0, str(HERE))
    from indicators_sql import seven_figures, staff_figures
    from indicators_sql_people import dominance_figures, people_figures
    from indicators_sql_worktime import worktime_figures

    started = time.process_time()
    con = duckdb.connect()
    for path in sorted(snapshot.glob("*.parquet")):
        con.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_parquet('{path}')")
    on = date(YEAR, 11, 1)
    columns = ("figure", "org_id", "key", "n", "value")
    note = seven_figures(con, YEAR).select(
        pl.lit("sick_leave_note").alias("figure"), "org_id", "key", "n", "value"
    )
    frames = [
        note,
        staff_figures(con, YEAR, on).select(columns),
        worktime_figures(con, YEAR, on).select(columns),
        people_figures(con, YEAR, on).select(columns),
        dominance_figures(con, YEAR, on).select(columns),  # after people_figures' tables
    ]
    rows = pl.concat(frames, how="vertical_relaxed").to_dicts()
    return {"cpu_s": time.process_time() - started, "rows": rows}


def compare_pack(ours: list[dict[str, Any]], reference: list[dict[str, Any]]) -> dict[str, Any]:
    """Every DuckDB row against Hållbar's: equal counts, values within 1e-9 (relative)."""

    def key(r: dict[str, Any]) -> tuple[str, str, str]:
        return (str(r["figure"]), str(r["org_id"]), "" if r["key"] is None else str(r["key"]))

    mine = {key(r): r for r in ours}
    worst, disagree = 0.0, []
    for ref in reference:
        got = mine.pop(key(ref), None)
        if got is None or got["n"] != ref["n"]:
            disagree.append(key(ref))
            continue
        if ref["value"] is None or got["value"] is None:
            if ref["value"] is not got["value"]:
                disagree.append(key(ref))
            continue
        diff = abs(got["value"] - ref["value"]) / max(1.0, abs(ref["value"]))
        worst = max(worst, diff)
        if diff > TOLERANCE:
            disagree.append(key(ref))
    disagree += list(mine)  # a group Hållbar has and DuckDB has not
    return {
        "figures": sorted({str(r["figure"]) for r in reference}),
        "rows": len(reference),
        "worst": worst,
        "disagree": [list(k) for k in disagree[:10]],
    }


def child_duckdb_csv(folder: Path, target: Path) -> dict[str, int]:
    """The export's CSV files to Parquet (zstd) by DuckDB, typed by its sniffer, no checks."""
    import duckdb

    target.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    sizes = {}
    for path in sorted(folder.glob("*.csv")):
        out = target / f"{path.stem}.parquet"
        con.execute(
            f"COPY (SELECT * FROM read_csv('{path}', delim=';', decimal_separator=',', "
            f"header=true)) TO '{out}' (FORMAT parquet, COMPRESSION zstd)"
        )
        sizes[path.stem] = out.stat().st_size
    return sizes


# --- one size --------------------------------------------------------------------
def run_size(size: int, work: Path, batch_rows: int, import_only: bool) -> dict[str, Any]:
    base = work / str(size)
    export, data, logs = base / "export", base / "data", base / "logs"
    for folder in (export, data):
        shutil.rmtree(folder, ignore_errors=True)
    logs.mkdir(parents=True, exist_ok=True)
    me = [sys.executable, str(Path(__file__).resolve())]
    print(f"[{size}] generating …", flush=True)
    gen, out = _timed([*me, "--child", "generate", str(size), str(export)], logs / "generate.log")
    rows = json.loads(out.strip().splitlines()[-1])
    csv_bytes = sum(p.stat().st_size for p in export.glob("*.csv"))
    largest = max(export.glob("*.csv"), key=lambda p: p.stat().st_size)
    print(f"[{size}] {gen.cell()}; importing …", flush=True)
    env = {"HALLBAR_IMPORT_BATCH_ROWS": str(batch_rows)}
    imp, _ = _timed(
        [
            *_hallbar(),
            "import",
            str(export),
            "--org",
            ORG_ID,
            "--namn",
            ORG_NAME,
            "--datum",
            AS_OF.isoformat(),
            "--datakatalog",
            str(data),
            # The import alone (beside DuckDB's conversion): the pages it prepares by
            # default are measured by benchmarks/first_page_bench.py.
            "--utan-nyckeltal",
            "--utan-tidsserier",
        ],
        logs / "import.log",
        env,
    )
    snapshots = sorted((data / "snapshots" / ORG_ID).iterdir())
    snapshot = snapshots[-1]
    parquet_bytes = sum(p.stat().st_size for p in snapshot.glob("*.parquet"))
    print(f"[{size}] import {imp.cell()}; DuckDB CSV → Parquet …", flush=True)
    duck_csv, _ = _timed(
        [*me, "--child", "duckdb-csv", str(export), str(base / "duckdb")], logs / "duckdb_csv.log"
    )
    shutil.rmtree(base / "duckdb", ignore_errors=True)
    result: dict[str, Any] = {
        "size": size,
        "rows": rows,
        "csv_bytes": csv_bytes,
        "largest_file": [largest.name, largest.stat().st_size],
        "parquet_bytes": parquet_bytes,
        "generate": asdict(gen),
        "import": asdict(imp),
        "duckdb_csv": asdict(duck_csv),
        "load_average": os.getloadavg()[0],
    }
    print(f"[{size}] DuckDB: the seven figures over the snapshot …", flush=True)
    duck_note, out = _timed(
        [*me, "--child", "duckdb-note", str(snapshot)], logs / "duckdb_note.log"
    )
    result["duckdb_note"] = asdict(duck_note)
    reference = {r["key"]: r for r in json.loads(out.strip().splitlines()[-1])["rows"]}
    print(f"[{size}] DuckDB {duck_note.cell()}", flush=True)
    if import_only:
        return result
    print(f"[{size}] {duck_csv.cell()}; first figure page …", flush=True)
    cli = [*_hallbar(), "figures"]
    where = ["--org", ORG_ID, "--datakatalog", str(data)]
    note, out = _timed(
        [*cli, "sjukfranvaro", *where, "--ar", str(YEAR), "--json"], logs / "note.log"
    )
    ours = json.loads(out)["sjukfranvaro"][0]["rader"]
    worst = 0.0
    counts_agree = True
    for row in ours:
        expected = reference[row["nyckel"]]
        counts_agree &= row["antal"] == expected["n"]
        worst = max(
            worst, abs(row["procent"] - expected["value"]) / max(1.0, abs(expected["value"]))
        )
    print(f"[{size}] note {note.cell()}; full pack …", flush=True)
    pack, _ = _timed(
        [*cli, "pack", *where, "--ar", str(YEAR), "--utdata", str(base / "pack")],
        logs / "pack.log",
        may_fail=True,
    )
    shutil.rmtree(base / "pack", ignore_errors=True)
    print(f"[{size}] pack {pack.cell()}; load + compute_pack …", flush=True)
    load_pack, out = _timed([*me, "--child", "load-pack", str(data)], logs / "load_pack.log")
    inside = json.loads(out.strip().splitlines()[-1])
    ours_rows = inside.pop("rows")
    print(f"[{size}] load + compute_pack {load_pack.cell()} {inside}", flush=True)
    duck_pack, out = _timed(
        [*me, "--child", "duckdb-pack", str(snapshot)], logs / "duckdb_pack.log"
    )
    duck_rows = json.loads(out.strip().splitlines()[-1])
    compared = compare_pack(ours_rows, duck_rows.pop("rows"))
    print(f"[{size}] DuckDB pack SQL {duck_pack.cell()} {duck_rows}; {compared}", flush=True)
    result.update(
        note=asdict(note),
        pack=asdict(pack),
        load_pack=asdict(load_pack),
        load_pack_inside=inside,
        duckdb_pack=asdict(duck_pack),
        duckdb_pack_inside=duck_rows,
        pack_compared=compared,
        agree=counts_agree and worst <= TOLERANCE and not compared["disagree"],
        worst_relative_difference=max(worst, compared["worst"]),
        load_average=os.getloadavg()[0],
    )
    return result


PACK_COMPARISON = (
    "The pack column set beside DuckDB: one process loads the snapshot, computes "
    "`compute_pack` (every registered figure, the note, the women/men comparison, the "
    "priority areas) and headcount and FTE per unit; another runs hand-written SQL over "
    "the snapshot's Parquet files for the same figures: `benchmarks/indicators_sql.py` "
    "(`SQL`, the seven note figures, and `STAFF_SQL`), `indicators_sql_worktime.py` "
    "(working time per FTE, sick leave per unit, short-term sick leave, frisknärvaro) and "
    "`indicators_sql_people.py` (mobility, retirements, pay, span of control, agency "
    "staff, the women/men-dominated comparison), each written from the definitions. "
    "Compared, every group equal in count and within 1e-9 in value: {figures}. The ratio "
    "is Hållbar's CPU time for its whole process over DuckDB's. Not compared: the "
    "priority areas' standouts (units, managers and occupations flagged from figures "
    "compared here), which Hållbar's process computes and DuckDB's does not. The lists of "
    "persons are not in the pack (their own audited page computes them)."
)


def _duck_pack_cell(r: dict[str, Any]) -> str:
    if "duckdb_pack" not in r:
        return "not run | –"
    duck, ours = Step(**r["duckdb_pack"]), Step(**r["load_pack"])
    return f"{duck.cell()} | {sv(ours.cpu_s / duck.cpu_s, 1)}"


def _section(results: list[dict[str, Any]], batch_rows: int, command: str) -> str:
    def step(r: dict[str, Any], name: str) -> Step:
        return Step(**r[name])

    lines = [
        "## The real path: export files → import → figures (`benchmarks/realpath_bench.py`)",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `{command}` on {platform.machine()}, "
        f"{os.cpu_count()} CPU cores shared with other jobs, Python {platform.python_version()}. "
        "Exempelregionen from the example generator, three years of monthly history; every "
        "step is a new process measured by `/usr/bin/time -v`: wall clock (CPU time, user + "
        "system), maximum resident set size. The machine was shared (load average at the end "
        "of each size in the last column), so wall clocks are high; CPU time depends far less "
        f"on the load. The import reads {sv(batch_rows)} rows at a time (`import_batch_rows`).",
        "",
        "| Employees | CSV (largest file) | `hallbar import` | DuckDB CSV → Parquet, no checks | "
        "Snapshot (Parquet) | First figure page: `hallbar figures sjukfranvaro` (new process) | "
        "DuckDB SQL, the same seven figures (new process) | Ratio wall (CPU) | Full pack: "
        "`hallbar figures pack` | Load snapshot + `compute_pack` + headcount and FTE per unit (new "
        "process) | DuckDB SQL, the compared figures of the pack (new process) | Ratio pack CPU "
        "| Agree (1e-9) | Load average |",
        "|---:|---|---|---|---:|---|---|---:|---|---|---|---:|---|---:|",
    ]
    for r in results:
        name, largest = r["largest_file"]
        imp, duck = step(r, "import"), step(r, "duckdb_note")
        if "note" not in r:  # --import-only: the figure steps did not run
            lines.append(
                f"| {sv(int(r['size']))} "
                f"| {sv(float(r['csv_bytes']) / 1e6)} MB ({name} {sv(largest / 1e6)} MB) "
                f"| {imp.cell()} | {step(r, 'duckdb_csv').cell()} "
                f"| {sv(float(r['parquet_bytes']) / 1e6)} MB | not run | {duck.cell()} | – "
                f"| not run | not run | not run | – | – | {sv(float(r['load_average']), 1)} |"
            )
            continue
        note = step(r, "note")
        lines.append(
            f"| {sv(int(r['size']))} "
            f"| {sv(float(r['csv_bytes']) / 1e6)} MB ({name} {sv(largest / 1e6)} MB) "
            f"| {imp.cell()} | {step(r, 'duckdb_csv').cell()} "
            f"| {sv(float(r['parquet_bytes']) / 1e6)} MB "
            f"| {note.cell()} | {duck.cell()} "
            f"| {sv(note.wall_s / duck.wall_s, 1)} ({sv(note.cpu_s / duck.cpu_s, 1)}) "
            f"| {step(r, 'pack').cell()} | {step(r, 'load_pack').cell()} "
            f"| {_duck_pack_cell(r)} "
            f"| {'yes' if r['agree'] else '**no**'} | {sv(float(r['load_average']), 1)} |"
        )
    rows = ", ".join(
        f"{sv(int(r['size']))}: {sv(int(r['rows']['working_time']))} working-time rows"
        for r in results
    )
    lines += ["", f"Rows: {rows}."]
    compared = next((r["pack_compared"] for r in results if "pack_compared" in r), None)
    if compared is not None:
        lines += [
            "",
            PACK_COMPARISON.format(figures=", ".join(f"`{f}`" for f in compared["figures"])),
        ]
    national = [r for r in results if int(r["size"]) >= 1_000_000]
    if national:
        imp = step(national[-1], "import")
        met = imp.wall_s < TARGET_IMPORT_S and imp.peak_gb < TARGET_IMPORT_GB
        lines += [
            "",
            f"National import target (under {sv(TARGET_IMPORT_S / 60)} minutes and "
            f"{sv(TARGET_IMPORT_GB)} GB): {'met' if met else '**missed**'}.",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40_000])
    parser.add_argument("--work", type=Path, help="folder for the data (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    parser.add_argument("--batch-rows", type=int, default=1_000_000)
    parser.add_argument(
        "--import-only",
        type=int,
        nargs="*",
        default=[],
        help="sizes whose figure steps are skipped (generate, import and DuckDB only)",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument(
        "--results",
        type=Path,
        help="JSON file of earlier results: sizes measured now replace theirs, the rest stay "
        "in the table (to run the national size separately)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "generate":
            result: object = child_generate(int(rest[0]), Path(rest[1]))
        elif kind == "duckdb-note":
            result = child_duckdb_note(Path(rest[0]))
        elif kind == "duckdb-pack":
            result = child_duckdb_pack(Path(rest[0]))
        elif kind == "load-pack":
            result = child_load_pack(Path(rest[0]))
        else:
            result = child_duckdb_csv(Path(rest[0]), Path(rest[1]))
        print(json.dumps(result))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="hallbar-realpath-"))
    results = []
    for size in args.sizes:  # a failed step exits and leaves the data and logs in --work
        results.append(run_size(size, work, args.batch_rows, size in args.import_only))
        (work / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    if args.results is not None:
        earlier = json.loads(args.results.read_text()) if args.results.exists() else []
        measured = {r["size"] for r in results}
        results = sorted(
            [r for r in earlier if r["size"] not in measured] + results, key=lambda r: r["size"]
        )
        args.results.write_text(json.dumps(results, indent=1), encoding="utf-8")
    command = "benchmarks/realpath_bench.py --sizes " + " ".join(str(s) for s in args.sizes)
    if args.import_only:
        command += " --import-only " + " ".join(str(s) for s in args.import_only)
    section = _section(results, args.batch_rows, command)
    print(section)
    if not args.no_doc:
        update_section("realpath", section)
        print(f"Updated {DOC.relative_to(ROOT)}")
    if not all(r.get("agree", True) for r in results):
        sys.exit("Hållbar and DuckDB disagree")


if __name__ == "__main__":
    main()
