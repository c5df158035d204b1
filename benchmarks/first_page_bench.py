"""Benchmark: the first key-figure page in the browser, after an import and after a restart.

    .venv/bin/python benchmarks/first_page_bench.py [--size 200000] [--data-dir DIR]

Prepares Exempelkommun at ``--size`` employees as ``web_load_bench.py`` does (the real
import service into SQLite, once per ``--data-dir``), then starts ``hallbar serve``
in a new process, logs in as HR and opens the organisation's key-figure page, the
statutory sick-leave note and the figures' JSON twin, in three situations:

1. nothing kept: the folder of kept results (``<data_dir>/cache``) emptied, so the
   server computes everything (what the first visit cost before an import prepared
   the pages);
2. after the import: the folder emptied again, then the step every import runs after
   it is saved (``prepare_new_snapshot``, here without the trends' models), timed in
   processor time, then a new server;
3. after a restart: a new server again (only the snapshot's files and its unit tree
   are read again; the figures come from ``<data_dir>/cache``).

For each page: the round trip (wall clock) and the server's processor time (user +
system of the server process). Target (issue 15): the first figure page after a
restart under 5 s at 200 000 employees.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_load_bench import _cpu_s, login, prepared, serving

from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import prepare_new_snapshot
from hallbar.services.memo import CACHE_FOLDER
from hallbar.settings import Settings

PAGES = (
    ("key figures", "/figures/{org}"),
    ("sick-leave note", "/figures/{org}/sjukfranvaro"),
    ("figures JSON", "/api/figures/{org}"),
)
TARGET_S = 5.0


def visit(data_dir: Path, setup: dict[str, object]) -> list[tuple[str, float, float, int]]:
    """A new server process; each page once, in order: (page, wall s, server CPU s, status)."""
    out = []
    with serving(data_dir, quiet=True) as (base, server):
        hr = next(a for a in setup["accounts"] if a["role"] == "hr")  # type: ignore[attr-defined]
        with httpx.Client(base_url=base, timeout=1800) as client:
            login(client, str(hr["username"]))
            for name, path in PAGES:
                cpu, wall = _cpu_s(server.pid), time.perf_counter()
                status = client.get(path.format(org=setup["org_id"])).status_code
                out.append((name, time.perf_counter() - wall, _cpu_s(server.pid) - cpu, status))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--data-dir", type=Path, help="prepare here once and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hallbar-firstpage-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        setup = prepared(data_dir, args.size, users=1)
        shutil.rmtree(data_dir / CACHE_FOLDER, ignore_errors=True)
        report("nothing kept", visit(data_dir, setup))
        shutil.rmtree(data_dir / CACHE_FOLDER, ignore_errors=True)
        started = time.process_time()
        hb = Hallbar(Settings(data_dir=data_dir))
        try:
            prepare_new_snapshot(hb, str(setup["org_id"]), trends=False)
        finally:
            hb.close()
        print(f"the import's preparation: {time.process_time() - started:.2f} s CPU")
        report("after the import", visit(data_dir, setup))
        restarted = visit(data_dir, setup)
        report("after a restart", restarted)
        worst = max(wall for _, wall, _, _ in restarted)
        verdict = "met" if worst < TARGET_S else "missed"
        print(f"target: every page after a restart under {TARGET_S:.0f} s: {verdict}")


def report(run: str, pages: list[tuple[str, float, float, int]]) -> None:
    for name, wall, cpu, status in pages:
        flag = "" if status == 200 else f" (status {status})"
        print(f"{run:<20}{name:<18}{wall:8.2f} s wall {cpu:8.2f} s CPU{flag}", flush=True)


if __name__ == "__main__":
    main()
