"""Turn frames and a scenario into the engine's arrays (groups × gender × age)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from hallbar.core.errors import InsufficientData
from hallbar.projection.engine import AGES, N_AGES, EngineInput
from hallbar.projection.errors import ProjectionInputError
from hallbar.projection.population import served_ages_for, served_population_index
from hallbar.projection.rates import Rates
from hallbar.projection.scenario import DEFAULT_TURNOVER, Levers, Scenario
from hallbar.projection.stock import MAX_AGE, MIN_AGE, normalise_stock

GENDERS = ("K", "M")
RECRUIT_AGE_LIMIT = 35  # default recruit profile: the stock's staff under this age


@dataclass(frozen=True)
class Base:
    """Everything that does not depend on the levers."""

    occupations: list[str]  # per group
    units: list[str | None]  # per group
    stock: np.ndarray  # (G, 2, A)
    rho: np.ndarray  # (G,) FTE per person
    pay: np.ndarray  # (G,) mean full-time monthly pay, nan if unknown
    base_index: np.ndarray  # (G, H + 1) demand index before levers
    rows: pl.DataFrame  # the stock rows with a "group" column
    rates: Rates
    notices: tuple[str, ...]


def _pct(share: float) -> str:
    return f"{share * 100:.1f}".replace(".", ",")


def _turnover_rates(rates: Rates | None, scenario: Scenario, notices: list[str]) -> Rates:
    """The rates the projection applies; every choice between the scenario's turnover and
    the history is said in a notice, so no setting is ignored silently.

    An explicit ``turnover_rate`` is the planner's assumption and wins over the history
    (only its turnover: observed retirement ages and the recruit profile are kept);
    ``default_turnover`` is a fallback for data without history, so with history it is
    not used, and the notice says which rate is used instead.
    """
    if scenario.turnover_rate is not None:
        if rates is None:
            notices.append(
                f"Personalomsättningen är scenariots antagande, {_pct(scenario.turnover_rate)} % "
                "per år för alla yrken och åldrar."
            )
            return Rates.constant(scenario.turnover_rate)
        rates.validate()
        notices.append(
            f"Personalomsättningen är scenariots antagande, {_pct(scenario.turnover_rate)} % "
            "per år för alla yrken och åldrar, i stället för organisationens egen historik "
            f"({_pct(rates.overall_turnover)} % per år)."
        )
        return replace(
            rates,
            overall_turnover=scenario.turnover_rate,
            turnover=Rates.constant(scenario.turnover_rate).turnover,
            basis=None,
            notices=(),  # the history's notices are about its turnover, which is not used
        )
    if rates is None:
        notices.append(
            f"Ingen historik angavs; personalomsättningen antas vara "
            f"{_pct(scenario.default_turnover)} % per år för alla yrken."
        )
        return Rates.constant(scenario.default_turnover)
    rates.validate()
    if scenario.default_turnover != DEFAULT_TURNOVER:
        notices.append(
            f"Scenariots reservvärde för personalomsättning ({_pct(scenario.default_turnover)} %) "
            "används bara när historik saknas; här används organisationens egen historik "
            f"({_pct(rates.overall_turnover)} % per år). Ange turnover_rate i scenariot för att "
            "ersätta historiken."
        )
    notices.extend(rates.notices)
    return rates


def build_base(
    stock: pl.DataFrame,
    rates: Rates | None,
    scenario: Scenario,
    population: pl.DataFrame | None,
    base_year: int,
    region: str | None,
) -> Base:
    scenario.validate()
    notices: list[str] = []
    rates = _turnover_rates(rates, scenario, notices)
    if scenario.retirement_mode == "observed" and rates.retirement.height == 0:
        notices.append(
            "Historiken räcker inte för egna pensionsavgångar per ålder; riktåldern "
            f"{scenario.target_pension_age} år används i stället."
        )
    stock = normalise_stock(stock)
    if stock.height == 0:
        raise InsufficientData(
            "Personalunderlaget är tomt; det finns ingen personal att skriva fram."
        )
    present = set(stock["occupation"].unique().to_list())
    for occ in scenario.occupations:
        if occ not in present:
            raise ProjectionInputError(
                f"Yrket {occ} har ingen personal i underlaget; ta bort det ur scenariot eller "
                "kontrollera yrkeskoden."
            )
    if scenario.occupations:
        stock = stock.filter(pl.col("occupation").is_in(list(scenario.occupations)))
    unit_expr = pl.col("unit_id") if scenario.by_unit else pl.lit(None, dtype=pl.String)
    keys = (
        stock.select("occupation", unit_expr.alias("unit"))
        .unique()
        .sort("occupation", "unit", nulls_last=True)
    )
    keys = keys.with_row_index("group")
    rows = stock.with_columns(unit_expr.alias("unit")).join(
        keys, on=["occupation", "unit"], how="left", nulls_equal=True
    )
    g = keys.height
    arr = np.zeros((g, 2, N_AGES))
    cells = rows.group_by("group", "gender", pl.col("age").clip(MIN_AGE, MAX_AGE)).agg(pl.len())
    arr[
        cells["group"].to_numpy(),
        (cells["gender"] == "M").to_numpy().astype(int),
        cells["age"].to_numpy() - MIN_AGE,
    ] = cells["len"].to_numpy()
    per = (
        rows.group_by("group")
        .agg(pl.len().alias("n"), pl.col("rate").sum(), pl.col("monthly_pay").mean())
        .sort("group")
    )
    rho = (per["rate"].to_numpy() / 100.0) / per["n"].to_numpy()
    pay = per["monthly_pay"].fill_null(float("nan")).to_numpy().astype(float)
    occupations = keys["occupation"].to_list()
    for occ in sorted({o for o, p in zip(occupations, pay, strict=True) if np.isnan(p)}):
        notices.append(f"Yrket {occ} saknar månadslön; kostnaden kan inte beräknas för yrket.")
    h = scenario.horizon
    if scenario.demand_mode == "unchanged":
        index = np.ones((g, h + 1))
    elif scenario.demand_mode == "growth":
        index = np.tile((1 + scenario.growth_rate) ** np.arange(h + 1), (g, 1))
    else:
        if population is None:
            raise ProjectionInputError(
                "Efterfrågan styrs av befolkningen men ingen befolkningsprognos angavs; "
                "läs in en prognosfil från SCB eller välj en annan efterfrågemodell."
            )
        overrides = {o: (lo, hi) for o, lo, hi in scenario.served_ages}
        for occ in overrides:
            if occ not in set(occupations):
                raise ProjectionInputError(
                    f"Scenariot anger betjänad åldersgrupp för yrket {occ}, som inte finns i "
                    "personalunderlaget."
                )
        unique_occ = sorted(set(occupations))
        idx, pop_notes = served_population_index(
            population, unique_occ, served_ages_for(unique_occ, overrides), base_year, h, region
        )
        notices.extend(pop_notes)
        pos = {o: i for i, o in enumerate(unique_occ)}
        index = idx[[pos[o] for o in occupations]]
    return Base(
        occupations=occupations,
        units=keys["unit"].to_list(),
        stock=arr,
        rho=rho,
        pay=pay,
        base_index=index,
        rows=rows,
        rates=rates,
        notices=tuple(notices),
    )


def retirement_rates(base: Base, scenario: Scenario, delay: int) -> np.ndarray:
    ages = AGES - delay  # a later exit shifts the whole profile
    if scenario.retirement_mode == "las":
        return (ages >= scenario.las_age).astype(float)
    rule = (ages >= scenario.target_pension_age).astype(float)
    if scenario.retirement_mode == "target":
        return rule
    observed = dict(
        zip(
            base.rates.retirement["age"].to_list(),
            base.rates.retirement["rate"].to_list(),
            strict=True,
        )
    )
    q = np.array([observed.get(int(a), r) for a, r in zip(ages, rule, strict=True)])
    q[ages >= scenario.las_age] = 1.0
    return q


def turnover_rates(base: Base, scenario: Scenario, reduction: float) -> np.ndarray:
    rates = base.rates
    bands = np.array(scenario.age_bands)
    band_of_age = bands[np.searchsorted(bands, AGES, side="right") - 1]
    own: dict[tuple[str | None, int | None], float] = {
        (o, None if b is None else int(b)): float(r) for o, b, r in rates.turnover.iter_rows()
    }
    tau = np.empty((len(base.occupations), N_AGES))
    for gi, occ in enumerate(base.occupations):
        for ai, band in enumerate(band_of_age):
            b = int(band)
            # Most specific first; a null band_from means "all ages" (Rates.constant).
            for key in ((occ, b), (occ, None), (None, b), (None, None)):
                if key in own:
                    tau[gi, ai] = own[key]
                    break
            else:
                tau[gi, ai] = rates.overall_turnover
    return tau * (1.0 - reduction)


def recruit_profile(base: Base) -> np.ndarray:
    g = len(base.occupations)
    prof = base.rates.recruit_profile
    out = np.zeros((g, 2, N_AGES))
    if prof.height:
        one = np.zeros((2, N_AGES))
        for gender, age, share in prof.iter_rows():
            one[1 if gender == "M" else 0, min(max(int(age), MIN_AGE), MAX_AGE) - MIN_AGE] += share
        return np.broadcast_to(one, out.shape).copy()
    young = base.stock[:, :, : RECRUIT_AGE_LIMIT - MIN_AGE]
    fallback = young.sum(axis=0)
    if fallback.sum() == 0:  # nobody under 35 anywhere: recruits are 30, genders as in the stock
        fallback = np.zeros_like(fallback)
        fallback[:, 30 - MIN_AGE] = base.stock.sum(axis=(0, 2))
    for gi in range(g):
        src = young[gi] if young[gi].sum() > 0 else fallback
        out[gi, :, : RECRUIT_AGE_LIMIT - MIN_AGE] = src / src.sum()
    return out


def part_time_gain(base: Base, levers: Levers) -> np.ndarray:
    """FTE gained per group when part-timers move up (to a rate and/or by hours)."""
    g = len(base.occupations)
    if levers.part_time_target_rate is None and levers.part_time_extra_hours is None:
        return np.zeros(g)
    ceiling = levers.part_time_target_rate if levers.part_time_target_rate is not None else 100.0
    new = pl.lit(ceiling)
    if levers.part_time_extra_hours is not None:
        step = levers.part_time_extra_hours / levers.full_time_hours * 100.0
        new = pl.min_horizontal(pl.lit(ceiling), pl.col("rate") + step)
    gains = (
        base.rows.filter(pl.col("rate") < ceiling)
        .group_by("group")
        .agg(((new - pl.col("rate")).clip(lower_bound=0.0).sum() / 100.0).alias("gain"))
    )
    out = np.zeros(g)
    out[gains["group"].to_numpy()] = gains["gain"].to_numpy()
    return out * levers.part_time_participation


def occupation_groups(base: Base, occupation: str, what: str) -> np.ndarray:
    idx = np.array([i for i, o in enumerate(base.occupations) if o == occupation], dtype=int)
    if idx.size == 0:
        raise ProjectionInputError(
            f"{what} nämner yrket {occupation}, som saknas i personalunderlaget; "
            "kontrollera yrkeskoden."
        )
    return idx


def demand_path(base: Base, scenario: Scenario, levers: Levers) -> np.ndarray:
    """Demand in persons per group and year (column 0 = today's headcount)."""
    d0 = base.stock.sum(axis=(1, 2))
    h = scenario.horizon
    t = np.arange(h + 1)
    baseline = d0[:, None] * base.base_index
    fte_share = d0 * base.rho  # FTE per group, to split occupation-level levers over units
    relief = baseline * (1.0 - (1.0 - levers.productivity_gain) ** t)[None, :]
    relief += baseline * levers.sick_leave_reduction_pp / 100.0
    relief += (part_time_gain(base, levers) / base.rho)[:, None]
    for shift in levers.task_shifts:
        for occ, sign in ((shift.from_occupation, 1.0), (shift.to_occupation, -1.0)):
            idx = occupation_groups(base, occ, "Uppgiftsväxlingen")
            split = shift.fte * fte_share[idx] / fte_share[idx].sum()
            relief[idx] += sign * (split / base.rho[idx])[:, None]
    demand = baseline - relief
    demand -= levers.other_solutions_share * np.maximum(demand - d0[:, None], 0.0)
    demand[:, 0] = d0
    if np.any(demand < 0):
        raise ProjectionInputError(
            "Åtgärderna sänker behovet under noll årsarbetare för något yrke; minska "
            "uppgiftsväxlingen eller produktivitetsantagandet."
        )
    return demand


def engine_input(base: Base, scenario: Scenario, levers: Levers) -> EngineInput:
    return EngineInput(
        stock=base.stock,
        retire_rate=retirement_rates(base, scenario, levers.retirement_delay_years),
        turnover_rate=turnover_rates(base, scenario, levers.turnover_reduction),
        recruit_profile=recruit_profile(base),
        demand=demand_path(base, scenario, levers),
    )
