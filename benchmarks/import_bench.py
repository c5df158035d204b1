"""Benchmark: import a region-sized organisation (SQLite metadata, Parquet snapshot files).

Generates a region (default 40 000 employees, three years of monthly history)
with the example-organisation generator, writes it as the CSV files a user would
import, then imports it in a fresh subprocess and measures the time of each
stage (read + validate + pseudonymise in batches, with working time and pay
components spooled to disk; save: the snapshot's Parquet files written to a
staging folder and published with the import's row) and the process's peak
memory (``ru_maxrss``), so the generator's own memory does not count. Also times
loading the snapshot back. ``benchmarks/realpath_bench.py`` runs the same path
at region and national sizes, with figures and DuckDB beside it.
Prints a table and updates the "Import" section of ``docs/benchmarks.md``.

Run: ``.venv/bin/python benchmarks/import_bench.py [--size 40000] [--seed 1]``.
Targets (issue 2): under 60 s and under 4 GB on a 2-core machine.
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

from benchdoc import DOC, ROOT, sv, update_section

AS_OF = date(2025, 12, 31)
ORG_ID, ORG_NAME = "99", "Exempelregionen"
TARGET_SECONDS, TARGET_GB = 60.0, 4.0


def _generate(size: int, seed: int, folder: Path) -> dict[str, object]:
    from hallbar import exampleorg

    started = time.perf_counter()
    export = exampleorg.generate(
        size=size, seed=seed, as_of=AS_OF, org_id=ORG_ID, org_name=ORG_NAME
    )
    exampleorg.write_csv_folder(export, folder)
    files = sorted(folder.iterdir())
    return {
        "seconds": time.perf_counter() - started,
        "bytes": sum(f.stat().st_size for f in files),
        "files": [f.name for f in files],
    }


def _import(folder: Path, data_dir: Path) -> dict[str, object]:
    from hallbar.core.access import SYSTEM
    from hallbar.services.context import Hallbar
    from hallbar.services.imports.importing import import_export
    from hallbar.settings import Settings

    hb = Hallbar(Settings(data_dir=data_dir))
    hb.store  # noqa: B018  # create and migrate the database before the clock starts
    hb.pseudonym_key()
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "spara":
            marks.setdefault("save_started", time.perf_counter())

    started = time.perf_counter()
    outcome = import_export(
        hb,
        folder=folder,
        org_id=ORG_ID,
        org_name=ORG_NAME,
        as_of=AS_OF,
        principal=SYSTEM,
        progress=progress,
    )
    finished = time.perf_counter()
    save_started = marks.get("save_started", finished)
    load_started = time.perf_counter()
    data = hb.store.load(ORG_ID)
    load_seconds = time.perf_counter() - load_started
    stored = {name: frame.height for name, frame in data.frames().items()}
    hb.close()
    return {
        "read_validate_seconds": save_started - started,
        "save_seconds": finished - save_started,
        "import_seconds": finished - started,
        "load_seconds": load_seconds,
        "rows": stored,
        "warnings": len(outcome.warnings),
        "db_bytes": (data_dir / "hallbar.db").stat().st_size,
        "snapshot_bytes": sum(
            p.stat().st_size for p in (data_dir / "snapshots").rglob("*.parquet")
        ),
        # Linux reports ru_maxrss in KiB.
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def _child(args: list[str]) -> dict[str, object]:
    # The checkout first on the path, so the script also runs without an installed package.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, env=env
    )
    if out.returncode != 0:
        sys.exit(f"benchmark step {args} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fmt(n: float, decimals: int = 1) -> str:
    return sv(n, decimals)


def _report(size: int, seed: int, gen: dict[str, object], imp: dict[str, object]) -> str:
    rows: dict[str, int] = imp["rows"]  # type: ignore[assignment]
    total_s = float(imp["import_seconds"])  # type: ignore[arg-type]
    peak_gb = float(imp["peak_rss_bytes"]) / 1e9  # type: ignore[arg-type]
    ok = total_s < TARGET_SECONDS and peak_gb < TARGET_GB
    lines = [
        "## Import (SQLite metadata, Parquet snapshot files)",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `benchmarks/import_bench.py --size {size} "
        f"--seed {seed}` on {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"Python {platform.python_version()}.",
        "A region-sized organisation from the example generator (three years of monthly "
        "history) is written as CSV, then imported in a fresh process: read, validate and "
        "pseudonymise in batches (working time and pay components spooled to disk), then "
        "save: the snapshot's Parquet files are staged and published together with the "
        "import's row, all or nothing. Peak memory is that process's `ru_maxrss`.",
        "",
        "| Measure | Value |",
        "|---|---:|",
        f"| Employments (rows) | {_fmt(rows.get('employments', 0), 0)} |",
        f"| Persons | {_fmt(rows.get('persons', 0), 0)} |",
        f"| Working-time rows | {_fmt(rows.get('working_time', 0), 0)} |",
        f"| Pay-component rows | {_fmt(rows.get('pay_components', 0), 0)} |",
        f"| Absence spells | {_fmt(rows.get('absences', 0), 0)} |",
        f"| CSV files, total size | {_fmt(float(gen['bytes']) / 1e6)} MB |",  # type: ignore[arg-type]
        f"| Read + validate + pseudonymise | {_fmt(float(imp['read_validate_seconds']))} s |",  # type: ignore[arg-type]
        f"| Save (Parquet files staged, then published) | {_fmt(float(imp['save_seconds']))} s |",  # type: ignore[arg-type]
        f"| **Import total** | **{_fmt(total_s)} s** (target < {_fmt(TARGET_SECONDS, 0)} s) |",
        f"| **Peak memory of the import** | **{_fmt(peak_gb, 2)} GB** (target < {_fmt(TARGET_GB, 0)} GB) |",
        f"| Load the snapshot back | {_fmt(float(imp['load_seconds']))} s |",  # type: ignore[arg-type]
        f"| SQLite file size (metadata) | {_fmt(float(imp['db_bytes']) / 1e6)} MB |",  # type: ignore[arg-type]
        f"| Snapshot files (Parquet) | {_fmt(float(imp['snapshot_bytes']) / 1e6)} MB |",  # type: ignore[arg-type]
        "",
        f"Result: {'within' if ok else 'OUTSIDE'} the targets.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40_000, help="employees (default 40 000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # run inside a fresh process; print one JSON line
        kind, *paths = args.child
        if kind == "generate":
            result = _generate(args.size, args.seed, Path(paths[0]))
        else:
            result = _import(Path(paths[0]), Path(paths[1]))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="hallbar-bench-") as tmp:
        folder, data_dir = Path(tmp) / "export", Path(tmp) / "data"
        print(f"Generating {args.size} employees …", flush=True)
        gen = _child(
            ["--size", str(args.size), "--seed", str(args.seed), "--child", "generate", str(folder)]
        )
        print(
            f"  {_fmt(float(gen['seconds']))} s, {_fmt(float(gen['bytes']) / 1e6)} MB CSV",
            flush=True,
        )  # type: ignore[arg-type]
        print("Importing …", flush=True)
        imp = _child(["--child", "import", str(folder), str(data_dir)])
    section = _report(args.size, args.seed, gen, imp)
    print(section)
    if not args.no_doc:
        update_section("import", section)
        print(f"Updated {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
