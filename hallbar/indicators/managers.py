"""Managers' conditions: span of control (employees per first-line manager).

An employee's first-line manager is the manager of the unit of the employee's
main employment, or, when that unit has none, of the nearest unit above it.
A manager's span is the number of distinct monthly-paid employees (the manager
excluded) whose first-line manager they are, over all units they manage.
The 2017 state inquiry proposed at most 30 on average (domain-rules §8);
report the distribution, not only the mean.
"""

from __future__ import annotations

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.indicators.params import Params
from hallbar.indicators.registry import register
from hallbar.indicators.units import nearest_manager
from hallbar.indicators.views import person_view

SPAN_BANDS = ("1–15", "16–30", "31–45", "46–60", ">60")


def span_band_expr() -> pl.Expr:
    s = pl.col("span")
    return (
        pl.when(s <= 15)
        .then(pl.lit(SPAN_BANDS[0]))
        .when(s <= 30)
        .then(pl.lit(SPAN_BANDS[1]))
        .when(s <= 45)
        .then(pl.lit(SPAN_BANDS[2]))
        .when(s <= 60)
        .then(pl.lit(SPAN_BANDS[3]))
        .otherwise(pl.lit(SPAN_BANDS[4]))
        .alias("span_band")
    )


def employee_managers(data: HRData, params: Params) -> pl.DataFrame:
    """Monthly-paid persons on the snapshot date with their first-line manager."""
    view = person_view(data, params.snapshot, params.year, monthly_paid_only=True)
    managers = nearest_manager(data.units)
    return view.join(managers, on=["org_id", "unit_id"], how="left")


def spans(data: HRData, params: Params) -> pl.DataFrame:
    """One row per manager: org_id, manager_person_id, span, span_band, units (list)."""
    emp = employee_managers(data, params).filter(
        pl.col("manager_person_id").is_not_null()
        & (pl.col("manager_person_id") != pl.col("person_id"))
    )
    out = (
        emp.group_by(["org_id", "manager_person_id"])
        .agg(
            pl.col("person_id").n_unique().cast(pl.Int64).alias("span"),
            pl.col("manager_unit_id").unique().sort().alias("units"),
        )
        .with_columns(span_band_expr())
        .sort(["org_id", "manager_person_id"])
    )
    if out.height == 0:
        raise InsufficientData(
            "Inga enheter i underlaget har en chef angiven, så antal medarbetare per chef kan inte beräknas. "
            "Fyll i kolumnen chef_personnummer i enhetsfilen."
        )
    return out


@register(
    id="span_of_control",
    name_sv="Antal medarbetare per chef",
    definition_sv=(
        "Antal månadsavlönade medarbetare per första linjens chef (chefen för enheten där medarbetaren har sin "
        "huvudanställning, annars närmaste chef uppåt i organisationen): medelvärde, median, andel chefer över 30 "
        "och andel chefer i spannen 1–15, 16–30, 31–45, 46–60 och över 60."
    ),
    population_sv="Chefer med minst en medarbetare på mätdagen; medarbetare = månadsavlönade anställda.",
    unit="medarbetare per chef",
    formula="per chef: antal unika medarbetare; fördelning över chefer",
    source="Statens utredning 2017 (förslag: högst 30 medarbetare per chef i genomsnitt); Länsstyrelsernas rapport 2023; domain-rules §8",
    value_columns=("mean", "median", "share_over_30", *(f"share_{b}" for b in SPAN_BANDS)),
    higher_is_better=False,
)
def span_of_control(data: HRData, params: Params) -> pl.DataFrame:
    s = spans(data, params)
    aggs = [
        pl.len().cast(pl.Int64).alias("n"),
        pl.col("span").mean().alias("mean"),
        pl.col("span").median().alias("median"),
        (100.0 * (pl.col("span") > params.span_limit).mean()).alias("share_over_30"),
        *[(100.0 * (pl.col("span_band") == b).mean()).alias(f"share_{b}") for b in SPAN_BANDS],
    ]
    return s.group_by("org_id").agg(aggs).sort("org_id")
