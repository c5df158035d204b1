"""Flagged differences, HR's explanations and adjustments, remediation scenarios
and the follow-up of last year's adjustments (DiskL 3 kap. 12–13 §).

Cost of an adjustment per year = amount per month × 12 × (1 + payroll overhead).
An adjustment's timetable must be complete within three years of the survey date.

Remediation scenarios for one group use the pay model in kronor,
pay = x'β + γ · woman + e (OLS), because raises add kronor:

(a) ``raise_to_expected``: fit pay on the legitimate factors only (no gender)
    and raise everyone (women and men) paid below the prediction to it.
(b) ``raise_lowest_first``: the OLS coefficient is linear in pay, γ = Σ c_i pay_i
    with c = the woman row of (X'X)⁻¹X'. Each woman's shortfall is measured
    against the pay the model predicts for a man with her factors,
    r_i = pay_i − x_i'β. Women are raised from the lowest r_i upwards to a common
    floor t (raise_i = max(0, t − r_i)); t is the smallest floor at which the
    re-estimated γ reaches 0 (found by bisection; γ(t) is continuous and
    piecewise linear). The money goes to the women furthest below expected pay
    first and no one is raised past the floor. Because γ is a weighted sum of
    pay, what it costs to close depends on whom is raised; without covariates
    every allocation costs n_women × |γ| (the same as (c)), with covariates the
    targeted raise usually costs less and reaches fewer people.
(c) ``uniform_raise``: every woman in the group gets −γ kronor; since the c_i of
    the women sum to 1, this sets the re-estimated γ to exactly 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from hallbar.core.describe import Description
from hallbar.paysurvey.comparisons import Comparison
from hallbar.paysurvey.notices import InvalidAction, SingularRegression
from hallbar.paysurvey.regression import design_matrix

MAX_YEARS = 3
COST_DESCRIPTION = Description(
    id="adjustment_cost",
    name_sv="Kostnad för lönejustering per år",
    definition_sv=(
        "Höjning per månad × 12 × (1 + personalomkostnadspålägg). Tidsplanen ska vara "
        "genomförd inom tre år."
    ),
    population_sv="Anställda som får lönejustering.",
    unit="kr per år",
    source="Diskrimineringslagen 3 kap. 12–13 §; SKR:s PO-pålägg",
)


@dataclass(frozen=True)
class FlaggedDifference:
    id: str
    step: str  # lika_arbete | likvardigt_arbete | kvinnodominerat
    subject: str
    diff_kr: float  # positive: women (or the women-dominated job) paid less
    women_pct: float | None
    description_sv: str


@dataclass(frozen=True)
class Explanation:
    difference_id: str
    reason_sv: str
    objective: bool = True  # HR and the unions judged the reason objective and gender-neutral


@dataclass(frozen=True)
class TimetableStep:
    effective: date
    amount_per_month: float


@dataclass(frozen=True)
class Adjustment:
    difference_id: str
    amount_per_month: float  # total raise per month when fully implemented
    timetable: tuple[TimetableStep, ...]
    job: str | None = None
    person_ids: tuple[str, ...] = field(default=())
    gap_before_kr: float | None = None

    def cost_per_year(self, overhead: float) -> float:
        return self.amount_per_month * 12.0 * (1.0 + overhead)

    def validate(self, survey_date: date) -> Adjustment:
        if self.amount_per_month <= 0:
            raise InvalidAction("Lönejusteringen måste vara ett positivt belopp per månad.")
        if not self.timetable:
            raise InvalidAction("Ange en tidsplan med minst ett datum och belopp för justeringen.")
        dates = [s.effective for s in self.timetable]
        if dates != sorted(dates):
            raise InvalidAction("Tidsplanens datum ska vara i tidsordning.")
        if any(s.amount_per_month <= 0 for s in self.timetable):
            raise InvalidAction("Varje steg i tidsplanen måste höja lönen med ett positivt belopp.")
        total = sum(s.amount_per_month for s in self.timetable)
        if abs(total - self.amount_per_month) > 0.5:
            raise InvalidAction(
                f"Tidsplanens steg summerar till {total:.0f} kr per månad men justeringen är "
                f"{self.amount_per_month:.0f} kr. Rätta stegen så att de summerar till beloppet."
            )
        deadline = _add_years(survey_date, MAX_YEARS)
        if dates[-1] > deadline:
            raise InvalidAction(
                f"Tidsplanen slutar {dates[-1].isoformat()}, men justeringar ska vara genomförda "
                f"inom tre år, senast {deadline.isoformat()}. Korta tidsplanen."
            )
        return self


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _within_group(step: str, key: str, label: str, r: dict[str, Any]) -> FlaggedDifference:
    """Women paid less than men within one job (equal work) or one band (equivalent work)."""
    group = f"'{r[label]}'" if step == "lika_arbete" else str(r[label])
    return FlaggedDifference(
        f"{step}:{r[key]}",
        step,
        str(r[label]),
        r["diff_kr"],
        r["women_pct_of_men_mean"],
        f"Kvinnor i {group} har {r['diff_kr']:.0f} kr lägre medellön än män.",
    )


def flag_differences(*comparisons: Comparison) -> list[FlaggedDifference]:
    """Every group where women (or a women-dominated job) have lower mean pay."""
    out: list[FlaggedDifference] = []
    for comp in comparisons:
        t = comp.table
        f = t.frame
        if f.height == 0 or "diff_kr" not in f.columns:
            continue
        gaps = f.filter(pl.col("diff_kr") > 0).iter_rows(named=True)
        if t.id == "equal_work":
            out.extend(_within_group("lika_arbete", "job", "job", r) for r in gaps)
        elif t.id == "equivalent_work":
            out.extend(_within_group("likvardigt_arbete", "band", "band_label", r) for r in gaps)
        elif t.id == "women_dominated":
            for r in gaps:
                out.append(
                    FlaggedDifference(
                        f"kvinnodominerat:{r['job']}|{r['job_other']}",
                        "kvinnodominerat",
                        f"{r['job']} – {r['job_other']}",
                        r["diff_kr"],
                        r["pct_of_other_mean"],
                        f"Det kvinnodominerade arbetet '{r['job']}' har {r['diff_kr']:.0f} kr lägre "
                        f"medellön än '{r['job_other']}' ({r['comparison']}).",
                    )
                )
    return out


@dataclass(frozen=True)
class Scenario:
    name_sv: str
    raises: pl.DataFrame  # person_id, gender, pay, raise_kr (only those raised)
    total_per_month: float
    cost_per_year: float
    n_raised: int
    gender_coefficient_before: float | None = None
    gender_coefficient_after: float | None = None


def _scenario(
    name: str,
    frame: pl.DataFrame,
    raise_kr: np.ndarray,
    overhead: float,
    before: float | None = None,
    after: float | None = None,
) -> Scenario:
    raised = (
        frame.select("person_id", "gender", "pay")
        .with_columns(pl.Series("raise_kr", raise_kr, dtype=pl.Float64))
        .filter(pl.col("raise_kr") > 0)
    )
    total = float(raise_kr.sum())
    return Scenario(
        name, raised, total, total * 12.0 * (1.0 + overhead), raised.height, before, after
    )


def _fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.shape[0] <= x.shape[1] or np.linalg.matrix_rank(x) < x.shape[1]:
        raise SingularRegression(
            "Lönemodellen för gruppen kan inte skattas (för få anställda eller samvarierande "
            "faktorer), så scenarierna kan inte räknas fram. Ta bort en faktor."
        )
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    return np.asarray(beta, dtype=float)


def remediation_scenarios(
    frame: pl.DataFrame, covariates: list[str], overhead: float
) -> list[Scenario]:
    """Scenarios (a), (b) and (c) for one group (e.g. a job or a value band)."""
    data = frame.drop_nulls([c for c in covariates if c in frame.columns])
    x, _names, _ = design_matrix(data, covariates, "scenarier")
    y = data["pay"].to_numpy().astype(float)
    woman = (data["gender"] == "K").to_numpy()
    # (a) expected pay from the legitimate factors only.
    expected = x @ _fit(x, y)
    a = _scenario(
        "Höj alla under förväntad lön till förväntad lön",
        data,
        np.maximum(expected - y, 0.0),
        overhead,
    )
    if woman.all() or not woman.any():
        return [a]
    xg = np.column_stack([x, woman.astype(float)])
    beta = _fit(xg, y)
    gamma = float(beta[-1])
    # c: the weights with which each person's pay enters γ.
    e_k = np.zeros(xg.shape[1])
    e_k[-1] = 1.0
    c = xg @ np.linalg.solve(xg.T @ xg, e_k)
    if gamma >= 0:
        zero = np.zeros(len(y))
        return [
            a,
            _scenario("Höj de lägst betalda kvinnorna först", data, zero, overhead, gamma, gamma),
            _scenario("Lika höjning för alla kvinnor", data, zero, overhead, gamma, gamma),
        ]
    r = y - x @ beta[:-1]  # pay minus the model's pay for a man with the same factors
    rw, cw = r[woman], c[woman]

    def gamma_at(t: float) -> float:
        return gamma + float(cw @ np.maximum(t - rw, 0.0))

    lo = float(rw.min())
    hi = max(float(rw.max()), float(cw @ rw) - gamma) + 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if gamma_at(mid) >= 0:
            hi = mid
        else:
            lo = mid
    raise_b = np.zeros(len(y))
    raise_b[woman] = np.maximum(hi - rw, 0.0)
    raise_c = np.where(woman, -gamma, 0.0)
    after_b = float(beta[-1] + c @ raise_b)
    after_c = float(beta[-1] + c @ raise_c)
    return [
        a,
        _scenario("Höj de lägst betalda kvinnorna först", data, raise_b, overhead, gamma, after_b),
        _scenario("Lika höjning för alla kvinnor", data, raise_c, overhead, gamma, after_c),
    ]


def follow_up(
    adjustments: list[Adjustment], frame: pl.DataFrame, min_group: int = 1
) -> pl.DataFrame:
    """This year's gap (men's − women's mean pay) for each of last year's adjusted jobs.

    status: 'stängd' (gap ≤ 0), 'minskad' (smaller than before), 'kvarstår'
    (not smaller), 'kan inte bedömas' (job gone, one gender, or no job given).
    """
    rows = []
    for adj in adjustments:
        gap_now = None
        status = "kan inte bedömas"
        if adj.job is not None:
            g = frame.filter(pl.col("job") == adj.job)
            women = g.filter(pl.col("gender") == "K")["pay"]
            men = g.filter(pl.col("gender") == "M")["pay"]
            if women.len() >= min_group and men.len() >= min_group:
                gap_now = float(men.mean()) - float(women.mean())  # type: ignore[arg-type]
                if gap_now <= 0:
                    status = "stängd"
                elif adj.gap_before_kr is not None and gap_now < adj.gap_before_kr:
                    status = "minskad"
                else:
                    status = "kvarstår"
        rows.append(
            {
                "difference_id": adj.difference_id,
                "job": adj.job,
                "amount_per_month": adj.amount_per_month,
                "gap_before_kr": adj.gap_before_kr,
                "gap_now_kr": gap_now,
                "status": status,
            }
        )
    schema = {
        "difference_id": pl.String,
        "job": pl.String,
        "amount_per_month": pl.Float64,
        "gap_before_kr": pl.Float64,
        "gap_now_kr": pl.Float64,
        "status": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)
