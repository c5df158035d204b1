"""The projection entry points: ``project`` (deterministic, with waterfall and
optional uncertainty bands) and ``compare_scenarios``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from hallbar.core.describe import Description
from hallbar.projection import descriptions
from hallbar.projection.engine import AGES, EngineOutput, binomial_draw, run_engine
from hallbar.projection.errors import ProjectionInputError
from hallbar.projection.model import GENDERS, Base, build_base, engine_input, occupation_groups
from hallbar.projection.rates import Rates
from hallbar.projection.scenario import Levers, Scenario

ALL_OCCUPATIONS = "Alla yrken"
MC_CHUNK = 100  # Monte Carlo runs per engine call

# Waterfall order: each step adds one lever on top of the previous steps.
WATERFALL_STEPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("base", "Grundbehov utan åtgärder", ()),
    ("retirement_delay", "Senare pensionering", ("retirement_delay_years",)),
    ("turnover_reduction", "Lägre personalomsättning", ("turnover_reduction",)),
    (
        "part_time",
        "Deltidare går upp i tid",
        (
            "part_time_target_rate",
            "part_time_extra_hours",
            "part_time_participation",
            "full_time_hours",
        ),
    ),
    ("sick_leave", "Lägre sjukfrånvaro", ("sick_leave_reduction_pp",)),
    ("productivity", "Teknik och produktivitet", ("productivity_gain",)),
    ("task_shifting", "Uppgiftsväxling", ("task_shifts",)),
    ("other_solutions", "Andra lösningar (nya vägar)", ("other_solutions_share",)),
)

# Swedish column headers for renderers and exports.
LABELS_SV: dict[str, str] = {
    "year": "År",
    "occupation": "Yrke",
    "unit_id": "Enhet",
    "gender": "Kön",
    "age": "Ålder",
    "persons": "Personer",
    "fte": "Årsarbetare",
    "staff_start": "Personal vid årets början",
    "staff_end": "Personal vid årets slut",
    "demand": "Efterfrågan (personer)",
    "demand_change": "Förändrat behov",
    "retirements": "Pensionsavgångar",
    "turnover": "Personalomsättning",
    "surplus_adjustment": "Justering för överskott",
    "need": "Rekryteringsbehov",
    "demand_change_fte": "Förändrat behov (åa)",
    "retirements_fte": "Pensionsavgångar (åa)",
    "turnover_fte": "Personalomsättning (åa)",
    "need_fte": "Rekryteringsbehov (åa)",
    "cost_increase": "Kostnad för personalökningen (kr)",
    "cost_recruitment": "Rekryteringskostnad (kr)",
    "supply": "Tillgång från utbildning",
    "gap": "Gap (behov − tillgång)",
    "step": "Steg",
    "label_sv": "Åtgärd",
    "delta_demand_change": "Förändring av personalökningen",
    "delta_need": "Förändring av rekryteringsbehovet",
    "delta_need_fte": "Förändring (åa)",
    "delta_cost": "Förändring av kostnaden (kr)",
    "need_p10": "Rekryteringsbehov P10",
    "need_p50": "Rekryteringsbehov P50 (median)",
    "need_p90": "Rekryteringsbehov P90",
    "scenario": "Scenario",
}


@dataclass(frozen=True)
class ProjectionResult:
    """Frames ready to render: ``yearly`` (one row per year and group, one column per
    term), ``age_structure`` (persons by gender and age, year 0 = the start),
    ``waterfall`` (need per lever step, with deltas) and ``uncertainty`` (P10/P50/P90)."""

    scenario: Scenario
    base_year: int
    yearly: pl.DataFrame
    age_structure: pl.DataFrame
    waterfall: pl.DataFrame
    uncertainty: pl.DataFrame | None
    notices: tuple[str, ...]
    descriptions: tuple[Description, ...] = descriptions.ALL

    def totals(self) -> pl.DataFrame:
        """The horizon's sums per occupation and unit, plus a row for all occupations."""
        return _totals(self.yearly)


_SUM_COLS = (
    "demand_change",
    "retirements",
    "turnover",
    "surplus_adjustment",
    "need",
    "demand_change_fte",
    "retirements_fte",
    "turnover_fte",
    "need_fte",
    "cost_increase",
    "cost_recruitment",
    "supply",
    "gap",
)


def _totals(yearly: pl.DataFrame) -> pl.DataFrame:
    per = yearly.group_by("occupation", "unit_id", maintain_order=True).agg(
        *(pl.col(c).sum() for c in _SUM_COLS)
    )
    everyone = per.select(
        pl.lit(ALL_OCCUPATIONS).alias("occupation"),
        pl.lit(None, dtype=pl.String).alias("unit_id"),
        *(pl.col(c).sum() for c in _SUM_COLS),
    )
    return pl.concat([per, everyone])


def project(
    stock: pl.DataFrame,
    history: Rates | None,
    scenario: Scenario,
    population: pl.DataFrame | None = None,
    *,
    base_year: int | None = None,
    region: str | None = None,
    uncertainty: bool = False,
) -> ProjectionResult:
    """Project staff, retirements, turnover and recruitment need year by year.

    ``stock``: ``hallbar.projection.stock.STOCK_SCHEMA`` rows at the start;
    ``history``: leaving rates (None = the scenario's default turnover);
    ``population``: a normalised forecast (needed when demand_mode = 'population');
    ``region``: the organisation's code or name, checked against the forecast.
    """
    year0 = scenario.base_year if scenario.base_year is not None else base_year
    if year0 is None:
        raise ProjectionInputError(
            "Ange startår för framskrivningen (året för personalunderlaget)."
        )
    base = build_base(stock, history, scenario, population, year0, region)
    _check_levers(base, scenario.levers)
    steps: list[pl.DataFrame] = []
    levers = Levers()
    yearly = pl.DataFrame()
    out: EngineOutput | None = None
    active = [s for s in WATERFALL_STEPS if s[0] == "base" or _differs(scenario.levers, s[2])]
    for step_id, label, names in active:
        levers = replace(levers, **{n: getattr(scenario.levers, n) for n in names})
        data = engine_input(base, scenario, levers)
        out = run_engine(data, keep_stock=step_id == active[-1][0])
        yearly = _yearly(base, scenario, year0, data.demand, out)
        steps.append(
            yearly.select(
                "year",
                "occupation",
                "unit_id",
                "demand_change",
                "need",
                "need_fte",
                "cost_increase",
            ).with_columns(pl.lit(step_id).alias("step"), pl.lit(label).alias("label_sv"))
        )
    assert out is not None and out.stock_by_year is not None
    waterfall = _waterfall(steps)
    bands = simulate_uncertainty(base, scenario, year0) if uncertainty else None
    return ProjectionResult(
        scenario=scenario,
        base_year=year0,
        yearly=yearly,
        age_structure=_age_structure(base, year0, out.stock_by_year),
        waterfall=waterfall,
        uncertainty=bands,
        notices=base.notices,
    )


def _differs(levers: Levers, names: tuple[str, ...]) -> bool:
    default = Levers()
    return any(getattr(levers, n) != getattr(default, n) for n in names)


def _check_levers(base: Base, levers: Levers) -> None:
    for occ, _ in levers.graduates_per_year:
        occupation_groups(base, occ, "Tillgången från utbildning")
    for shift in levers.task_shifts:
        occupation_groups(base, shift.from_occupation, "Uppgiftsväxlingen")
        occupation_groups(base, shift.to_occupation, "Uppgiftsväxlingen")


def _yearly(
    base: Base, scenario: Scenario, year0: int, demand: np.ndarray, out: EngineOutput
) -> pl.DataFrame:
    h, g = scenario.horizon, len(base.occupations)
    ret, turn, need = out.retirements[0], out.turnover[0], out.recruits[0]  # (H, G)
    dem = demand.T  # (H + 1, G)
    change = dem[1:] - dem[:-1]
    adjust = need - (change + ret + turn)
    rho = base.rho[None, :]
    rho_new = np.ones_like(rho) if scenario.new_positions_full_time else rho
    annual = 12.0 * base.pay[None, :] * (1.0 + scenario.payroll_overhead)
    grads = dict(scenario.levers.graduates_per_year)
    supply = np.zeros(g)
    d0 = base.stock.sum(axis=(1, 2))
    for occ, n in grads.items():
        idx = occupation_groups(base, occ, "Tillgången från utbildning")
        supply[idx] = n * d0[idx] / d0[idx].sum()
    staff_end = d0[None, :] + np.cumsum(need - ret - turn, axis=0)  # (H, G)
    staff_start = np.vstack([d0[None, :], staff_end[:-1]])
    frame = pl.DataFrame(
        {
            "year": np.repeat(np.arange(year0 + 1, year0 + h + 1), g),
            "occupation": base.occupations * h,
            "unit_id": pl.Series(base.units * h, dtype=pl.String),
            "staff_start": staff_start.ravel(),
            "staff_end": staff_end.ravel(),
            "demand": dem[1:].ravel(),
            "demand_change": change.ravel(),
            "retirements": ret.ravel(),
            "turnover": turn.ravel(),
            "surplus_adjustment": adjust.ravel(),
            "need": need.ravel(),
            "demand_change_fte": (change * rho_new).ravel(),
            "retirements_fte": (ret * rho).ravel(),
            "turnover_fte": (turn * rho).ravel(),
            "need_fte": (change * rho_new + (ret + turn + adjust) * rho).ravel(),
            "cost_increase": (change * rho_new * annual).ravel(),
            "cost_recruitment": (need * scenario.cost_per_recruitment).ravel(),
            "supply": np.tile(supply, h),
            "gap": (need - supply[None, :]).ravel(),
        }
    )
    return frame.with_columns(pl.col("cost_increase").fill_nan(None))


_DELTAS = (
    ("demand_change", "delta_demand_change"),
    ("need", "delta_need"),
    ("need_fte", "delta_need_fte"),
    ("cost_increase", "delta_cost"),
)


def _waterfall(steps: list[pl.DataFrame]) -> pl.DataFrame:
    """Each step's figures and its difference from the step before (the base step's
    delta is its own value), per year and group."""
    keys = ["year", "occupation", "unit_id"]
    out = []
    prev: pl.DataFrame | None = None
    for frame in steps:
        if prev is None:
            cur = frame.with_columns(pl.col(c).alias(d) for c, d in _DELTAS)
        else:
            p = prev.select(*keys, *(pl.col(c).alias(f"_{c}") for c, _ in _DELTAS))
            cur = frame.join(p, on=keys, how="left", nulls_equal=True).select(
                *frame.columns, *((pl.col(c) - pl.col(f"_{c}")).alias(d) for c, d in _DELTAS)
            )
        out.append(cur)
        prev = frame
    return pl.concat(out).select(
        "step",
        "label_sv",
        *keys,
        *(c for c, _ in _DELTAS),
        *(d for _, d in _DELTAS),
    )


def _age_structure(base: Base, year0: int, kept: np.ndarray) -> pl.DataFrame:
    h1, g, s, a = kept.shape
    yy, gg, ss, aa = np.meshgrid(
        np.arange(h1), np.arange(g), np.arange(s), np.arange(a), indexing="ij"
    )
    persons = kept.ravel()
    keep = persons > 1e-9
    gi = gg.ravel()[keep]
    return pl.DataFrame(
        {
            "year": year0 + yy.ravel()[keep],
            "occupation": np.array(base.occupations, dtype=object)[gi].tolist(),
            "unit_id": pl.Series(np.array(base.units, dtype=object)[gi].tolist(), dtype=pl.String),
            "gender": np.array(GENDERS)[ss.ravel()[keep]],
            "age": AGES[aa.ravel()[keep]],
            "persons": persons[keep],
            "fte": persons[keep] * base.rho[gi],
        }
    )


def simulate_uncertainty(base: Base, scenario: Scenario, year0: int) -> pl.DataFrame:
    """P10/P50/P90 of the recruitment need per year and group (and for all groups),
    over ``scenario.runs`` runs with binomial turnover and retirements."""
    data = engine_input(base, scenario, scenario.levers)
    merged = replace(
        data,
        stock=data.stock.sum(axis=1, keepdims=True),
        recruit_profile=data.recruit_profile.sum(axis=1, keepdims=True),
    )
    rng = np.random.default_rng(scenario.seed)
    draw = binomial_draw(rng)
    # Runs in chunks: arrays of ~10 MB stay in reused memory instead of fresh pages.
    chunks = [
        run_engine(merged, runs=min(MC_CHUNK, scenario.runs - start), draw=draw).recruits
        for start in range(0, scenario.runs, MC_CHUNK)
    ]
    need = np.concatenate(chunks, axis=0)  # (R, H, G)
    total = need.sum(axis=2, keepdims=True)
    both = np.concatenate([need, total], axis=2)
    q = np.quantile(both, [0.1, 0.5, 0.9], axis=0)  # (3, H, G + 1)
    h, g1 = both.shape[1], both.shape[2]
    occ = [*base.occupations, ALL_OCCUPATIONS]
    units = [*base.units, None]
    return pl.DataFrame(
        {
            "year": np.repeat(np.arange(year0 + 1, year0 + h + 1), g1),
            "occupation": occ * h,
            "unit_id": pl.Series(units * h, dtype=pl.String),
            "need_p10": q[0].ravel(),
            "need_p50": q[1].ravel(),
            "need_p90": q[2].ravel(),
        }
    )


def compare_scenarios(results: Sequence[ProjectionResult]) -> pl.DataFrame:
    """Side by side: one row per scenario and occupation with the horizon's sums."""
    names = [r.scenario.name for r in results]
    if len(set(names)) != len(names):
        raise ProjectionInputError("Scenarierna som jämförs måste ha olika namn.")
    frames = [r.totals().with_columns(pl.lit(r.scenario.name).alias("scenario")) for r in results]
    return pl.concat(frames).select("scenario", "occupation", "unit_id", *_SUM_COLS)
