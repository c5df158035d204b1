"""Unit pages built afresh: the server's processor time for a first visit to a unit.

    .venv/bin/python benchmarks/unit_pages_bench.py [--size 200000] [--units 20]
        [--data-dir DIR]

The load benchmark's ``--cpu`` run asks for one unit again and again, so the unit
overview, its JSON twin and the tree level come from the kept pages
(``hallbar/web/pagecache.py``); under load each request picks one of thousands of units
and builds its page. This script prepares the organisation as
``benchmarks/web_load_bench.py`` does (same ``--data-dir`` layout, reused), starts
``hallbar serve``, visits each page once for ``--units`` units no one has asked for
yet, per role (HR, manager, analyst), and divides the server process's processor time
(user + system, ``/proc/<pid>/stat``) by the number of requests. Prints the figures;
docs/benchmarks.md quotes them by hand.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from web_load_bench import _cpu_s, login, prepared, serving

PAGES = (
    ("unit overview", "/org/{org}/unit/{unit}"),
    ("unit JSON", "/api/org/{org}/unit/{unit}"),
    ("tree level (htmx)", "/org/{org}/tree?parent={unit}"),
)


def fresh_cpu_ms(
    base: str, server_pid: int, setup: dict[str, object], n_units: int
) -> dict[str, dict[str, float]]:
    """Per role and page: mean processor time (ms) of ``n_units`` first visits."""
    org = str(setup["org_id"])
    out: dict[str, dict[str, float]] = {}
    for account in setup["accounts"]:  # type: ignore[attr-defined]
        role = str(account["role"])
        if role in out:
            continue
        units: list[str] = account["units"]
        chosen = random.Random(11).sample(units, min(n_units, len(units)))
        out[role] = {}
        with httpx.Client(base_url=base, timeout=900, follow_redirects=False) as client:
            login(client, str(account["username"]))
            client.get(f"/org/{org}")  # the scope's caches, as after any first page
            for name, pattern in PAGES:
                started = _cpu_s(server_pid)
                for unit in chosen:
                    client.get(pattern.format(org=org, unit=unit))
                out[role][name] = (_cpu_s(server_pid) - started) * 1000 / len(chosen)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    setup = prepared(args.data_dir, args.size, 3)
    with serving(args.data_dir, quiet=True) as (base, server):
        result = fresh_cpu_ms(base, server.pid, setup, args.units)
    print(f"{args.size} employees, {setup['n_units']} units, {args.units} fresh units per role")
    for role, pages in result.items():
        for name, ms in pages.items():
            print(f"{role:<11}{name:<20}{ms:7.1f} ms processor time per first visit")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
