"""Benchmark: a region-sized workforce projection with uncertainty bands.

40 000 employees in 200 occupations, 10 years, 1 000 Monte Carlo runs (binomial
turnover and retirements per occupation and age). Target: < 10 s and < 4 GB.

    .venv/bin/python benchmarks/projection_bench.py [--employees N] [--occupations N] [--runs N]

Prints wall time per stage and the process's peak resident memory as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

import numpy as np
import polars as pl
from benchdoc import sv, update_section

from hallbar.projection import Levers, Rates, Scenario, project


def simulated_stock(employees: int, occupations: int, rng: np.random.Generator) -> pl.DataFrame:
    weights = 1.0 / np.arange(1, occupations + 1) ** 0.8  # a few large occupations, many small
    occ = rng.choice(occupations, size=employees, p=weights / weights.sum())
    return pl.DataFrame(
        {
            "occupation": [f"Y{i:03d}" for i in occ],
            "unit_id": [f"E{i % 500:03d}" for i in range(employees)],
            "gender": np.where(rng.random(employees) < 0.78, "K", "M"),
            "age": np.clip(np.round(rng.normal(45, 11, employees)), 19, 68).astype(np.int64),
            "rate": rng.choice([100.0, 90.0, 75.0, 50.0], size=employees, p=[0.7, 0.15, 0.1, 0.05]),
            "monthly_pay": np.round(rng.normal(36_000, 6_000, employees), -2),
        }
    )


def simulated_rates(occupations: int, rng: np.random.Generator) -> Rates:
    bands = [0, 30, 40, 50, 60]
    rows = [
        (f"Y{i:03d}", b, float(rng.uniform(0.03, 0.15))) for i in range(occupations) for b in bands
    ]
    return Rates(
        overall_turnover=0.08,
        turnover=pl.DataFrame(rows, schema=["occupation", "band_from", "rate"], orient="row"),
        retirement=pl.DataFrame(
            {"age": list(range(61, 69)), "rate": [0.05, 0.05, 0.1, 0.15, 0.3, 0.4, 0.6, 0.8]}
        ),
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=40_000)
    parser.add_argument("--occupations", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1_000)
    parser.add_argument("--horizon", type=int, default=10)
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(2026)
    stock = simulated_stock(args.employees, args.occupations, rng)
    rates = simulated_rates(args.occupations, rng)
    scenario = Scenario(
        horizon=args.horizon,
        retirement_mode="observed",  # random retirements as well as random turnover
        demand_mode="growth",
        growth_rate=0.01,
        runs=args.runs,
        levers=Levers(
            productivity_gain=0.005,
            part_time_target_rate=100.0,
            part_time_participation=0.3,
            other_solutions_share=0.3,
        ),
    )
    t0 = time.perf_counter()
    det = project(stock, rates, scenario, base_year=2025)
    t1 = time.perf_counter()
    full = project(stock, rates, scenario, base_year=2025, uncertainty=True)
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB
    assert full.uncertainty is not None
    print(
        json.dumps(
            {
                "benchmark": "projection",
                "employees": args.employees,
                "occupations": args.occupations,
                "horizon": args.horizon,
                "runs": args.runs,
                "deterministic_with_waterfall_s": round(t1 - t0, 2),
                "with_monte_carlo_s": round(t2 - t1, 2),
                "peak_rss_mb": round(peak_mb),
                "need_total_p50_year1": round(
                    float(
                        full.uncertainty.filter(pl.col("occupation") == "Alla yrken")["need_p50"][0]
                    ),
                    1,
                ),
                "targets": {"seconds": 10, "peak_rss_mb": 4096},
                "rows_yearly": det.yearly.height,
            },
            ensure_ascii=False,
        )
    )
    if args.no_doc:
        return
    ok = (t2 - t1) < 10 and peak_mb < 4096
    update_section(
        "projection",
        "\n".join(
            [
                "## Workforce projection (`benchmarks/projection_bench.py`)",
                "",
                f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, "
                f"{os.cpu_count()} CPU cores, Python {platform.python_version()}: "
                f"{sv(args.employees)} simulated employees, {args.occupations} occupations, "
                f"{args.horizon} years, {sv(args.runs)} random runs, observed (random) "
                "retirements and random turnover, four levers.",
                "",
                "| Run | Wall time |",
                "|---|---:|",
                f"| deterministic projection with waterfall | {sv(t1 - t0, 2)} s |",
                f"| with Monte Carlo ({sv(args.runs)} runs) | {sv(t2 - t1, 1)} s |",
                "",
                f"Peak memory of the process: {sv(peak_mb)} MB. Targets: under 10 s and 4 GB. "
                f"Result: {'within' if ok else '**outside**'} the targets.",
            ]
        ),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
