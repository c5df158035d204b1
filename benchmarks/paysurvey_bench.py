"""Pay-survey benchmarks (not a test).

(a) Full survey (``run_survey``) for a region-sized organisation: 40 000
    employees in 300 jobs, simulated with numpy. Target: under 10 s.
(b) Oaxaca–Blinder decomposition on 1 000 000 rows with four covariates:
    ``hallbar.paysurvey.oaxaca_blinder`` vs statsmodels' ``OaxacaBlinder``
    (two-fold pooled + three-fold), reported as a time ratio.

Run: ``.venv/bin/python benchmarks/paysurvey_bench.py [--rows 1000000] [--no-doc]``
Updates the "Pay survey" section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import polars as pl
from benchdoc import update_section
from statsmodels.stats.oaxaca import OaxacaBlinder

from hallbar.paysurvey.evaluation import EvaluationModel, JobEvaluation
from hallbar.paysurvey.oaxaca import oaxaca_blinder
from hallbar.paysurvey.survey import run_survey


def simulate_pay_frame(n: int = 40_000, jobs: int = 300, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    job_share = rng.uniform(0.05, 0.95, jobs)
    job_base = rng.uniform(24_000, 60_000, jobs)
    j = rng.integers(0, jobs, n)
    woman = rng.random(n) < job_share[j]
    age = rng.integers(20, 67, n).astype(float)
    tenure = np.minimum(age - 19, rng.exponential(8, n))
    rate = np.where(rng.random(n) < 0.7, 100.0, 75.0)
    pay = job_base[j] + 80 * age + 100 * tenure - 800 * woman + rng.normal(0, 1500, n)
    return pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "gender": np.where(woman, "K", "M"),
            "age": age,
            "job": [f"Befattning {x:03d}" for x in j],
            "unit_id": [f"e{x % 400}" for x in range(n)],
            "employment_form": np.where(rng.random(n) < 0.85, "tillsvidare", "visstid"),
            "rate": rate,
            "monthly_pay": pay,
            "tenure_years": tenure,
            "supplements": np.where(rng.random(n) < 0.3, rng.uniform(500, 3000, n), 0.0),
            "variable_pay": np.where(rng.random(n) < 0.2, rng.uniform(1000, 20000, n), 0.0),
            "annual_hours": rate / 100 * 1980.0,
        }
    )


def simulate_evaluation(jobs: int = 300, seed: int = 2) -> JobEvaluation:
    rng = np.random.default_rng(seed)
    model = EvaluationModel.default()
    return JobEvaluation(
        model,
        {
            f"Befattning {k:03d}": {s.id: int(rng.integers(1, 6)) for s in model.subfactors}
            for k in range(jobs)
        },
    )


def bench_survey() -> float:
    frame, ev = simulate_pay_frame(), simulate_evaluation()
    t0 = time.perf_counter()
    result = run_survey(frame, ev)
    elapsed = time.perf_counter() - t0
    print(
        f"(a) run_survey, {frame.height} anställda, 300 befattningar: {elapsed:.2f} s "
        f"({len(result.notices)} notiser, {len(result.flagged)} flaggade skillnader)"
    )
    return elapsed


def bench_oaxaca(rows: int) -> tuple[float, float]:
    rng = np.random.default_rng(5)
    woman = rng.random(rows) < 0.5
    x = rng.normal(size=(rows, 4))
    y = 10 + x @ np.array([0.1, 0.05, -0.02, 0.03]) - 0.03 * woman + rng.normal(0, 0.1, rows)
    df = pl.DataFrame(
        {"y": y, "g": np.where(woman, "K", "M"), **{f"x{i}": x[:, i] for i in range(4)}}
    )
    covs = [f"x{i}" for i in range(4)]
    t0 = time.perf_counter()
    ours = oaxaca_blinder(df, "y", "g", covs, reference="pooled", group_a="M")
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = OaxacaBlinder(
        y, np.column_stack([woman.astype(float), x]), 0, hasconst=False, swap=False
    )
    sm_two = model.two_fold(two_fold_type="pooled")
    sm_three = model.three_fold()
    t_sm = time.perf_counter() - t0
    assert abs(ours.unexplained - sm_two.params[0]) < 1e-9
    assert abs(ours.three_fold.endowments - sm_three.params[0]) < 1e-9
    print(
        f"(b) Oaxaca–Blinder, {rows} rader, 4 faktorer (tvådelad pooled + tredelad): "
        f"hallbar {t_ours:.2f} s, statsmodels {t_sm:.2f} s, kvot statsmodels/hallbar {t_sm / t_ours:.1f}"
    )
    return t_ours, t_sm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    t_survey = bench_survey()
    t_ours, t_sm = bench_oaxaca(args.rows)
    if args.no_doc:
        return
    section = "\n".join(
        [
            "## Pay survey (`benchmarks/paysurvey_bench.py`)",
            "",
            f"Machine: {platform.machine()}, Python {platform.python_version()}, "
            f"{time.strftime('%Y-%m-%d')}.",
            "",
            "| Measure | Time |",
            "|---|---|",
            f"| `run_survey`, 40 000 employees, 300 jobs (target < 10 s) | {t_survey:.2f} s |",
            f"| `oaxaca_blinder`, {args.rows:_} rows, 4 covariates (two-fold pooled + three-fold) "
            f"| {t_ours:.2f} s |".replace("_", " "),
            f"| statsmodels `OaxacaBlinder`, same data (`two_fold` pooled + `three_fold`) | {t_sm:.2f} s |",
            f"| Ratio statsmodels / Hållbar | {t_sm / t_ours:.1f} |",
            "",
            "Both give the same decomposition to 1e-9 (checked in the script).",
        ]
    )
    update_section("paysurvey", section)


if __name__ == "__main__":
    main()
