"""The four priority areas of 'Hållbara organisationer' (seed 000) as data:
per area, the key figures that belong to it and the units (or occupations) that
stand out. Rendering is the web layer's business."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.errors import HallbarError
from hallbar.indicators import registry
from hallbar.indicators.managers import spans
from hallbar.indicators.params import Params

AREAS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "fulltime",
        "Hållbart heltidsarbete",
        (
            "fulltime_employed",
            "fulltime_working",
            "average_rate",
            "permanent_share",
            "additional_hours_per_fte",
            "overtime_per_fte",
            "split_shifts_per_fte",
            "unsocial_hours_per_fte",
        ),
    ),
    (
        "health",
        "Hälsa och stressrelaterad ohälsa",
        (
            "sick_leave_total",
            "sick_leave_long_term_share",
            "sick_leave_short_term",
            "sick_leave_unit",
            "frisknarvaro",
            "repeated_short_absence",
            "rehab_day30",
        ),
    ),
    ("managers", "Chefers förutsättningar", ("span_of_control",)),
    ("pay", "Lönekartläggningar och lönanalyser", ("pay_ratio_women_men", "pay_percentiles")),
)

STANDOUT_SCHEMA = {
    "org_id": pl.String,
    "kind": pl.String,
    "id": pl.String,
    "value": pl.Float64,
    "reason_sv": pl.String,
}


@dataclass(frozen=True)
class PriorityArea:
    key: str
    name_sv: str
    figure_ids: tuple[str, ...]
    standouts: pl.DataFrame  # org_id, kind (enhet/chef/yrke), id, value, reason_sv
    notes_sv: tuple[str, ...] = ()


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=STANDOUT_SCHEMA)


def _standouts(data: HRData, params: Params, area: str) -> tuple[pl.DataFrame, list[str]]:
    notes: list[str] = []
    try:
        if area == "health":
            f = registry.compute("sick_leave_unit", data, params.with_(by=("unit_id",))).frame
            out = f.filter(pl.col("flag") & ~pl.col("suppressed")).select(
                "org_id",
                kind=pl.lit("enhet"),
                id="unit_id",
                value="value",
                reason_sv=pl.lit(f"Sjukfrånvaro över {params.unit_sick_leave_flag:g} %"),
            )
        elif area == "managers":
            s = spans(data, params).filter(pl.col("span") > params.span_limit).explode("units")
            out = s.select(
                "org_id",
                kind=pl.lit("enhet"),
                id="units",
                value=pl.col("span").cast(pl.Float64),
                reason_sv=pl.lit(f"Chefen har fler än {params.span_limit} medarbetare"),
            )
        elif area == "fulltime":
            f = registry.compute("fulltime_working", data, params.with_(by=("unit_id",))).frame
            out = f.filter(
                ~pl.col("suppressed")
                & (pl.col("value") < 100.0 * params.low_fulltime_working_share)
            ).select(
                "org_id",
                kind=pl.lit("enhet"),
                id="unit_id",
                value="value",
                reason_sv=pl.lit(
                    f"Färre än {params.low_fulltime_working_share:.0%} arbetar heltid"
                ),
            )
        else:
            f = registry.compute(
                "pay_ratio_women_men", data, params.with_(by=(params.occupation_key,))
            ).frame
            out = f.filter(~pl.col("suppressed") & (pl.col("value") < 95.0)).select(
                "org_id",
                kind=pl.lit("yrke"),
                id=params.occupation_key,
                value="value",
                reason_sv=pl.lit(
                    "Kvinnors medianlön under 95 % av mäns (jfr EU-direktivet art. 10)"
                ),
            )
        return out.cast(STANDOUT_SCHEMA), notes  # type: ignore[arg-type]
    except HallbarError as err:
        notes.append(str(err))
        return _empty(), notes


def priority_areas(data: HRData, params: Params) -> tuple[PriorityArea, ...]:
    """The four areas with their figure ids and the units that stand out."""
    out = []
    for key, name, figure_ids in AREAS:
        standouts, notes = _standouts(data, params, key)
        out.append(
            PriorityArea(key, name, figure_ids, standouts.sort(["org_id", "value"]), tuple(notes))
        )
    return tuple(out)
