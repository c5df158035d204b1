"""Monthly and yearly series of sick leave, headcount, FTE and overtime per FTE.

``series`` returns a long frame: org_id, period (first day of the month, or
1 January for a year), the dimension columns, n, value and suppressed.
Headcount and FTE are taken on the first day of each month (monthly series) or on
the snapshot date of each year (1 November, yearly series).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.indicators import registry
from hallbar.indicators.params import Params
from hallbar.indicators.sickness import ordinary_hours, sick_hours_monthly
from hallbar.indicators.staff import fte_expr, snapshot_view
from hallbar.indicators.units import restrict_to_subtree
from hallbar.indicators.views import attach_dimensions
from hallbar.indicators.worktime import hours_per_fte_frame

SERIES_FIGURES = ("sick_leave_total", "headcount", "fte", "overtime_per_fte")


def _years(data: HRData) -> list[int]:
    if data.working_time.height:
        return sorted({d.year for d in data.working_time["month"].drop_nulls().to_list()})
    return [data.as_of.year]


def _sick(data: HRData, params: Params, freq: str, years: Sequence[int]) -> pl.DataFrame:
    start, end = date(min(years), 1, 1), date(max(years), 12, 31)
    # The note's ordinary hours (full leave deducted), so the series and the note agree.
    sched = ordinary_hours(data, start, end, params.ordinary_hours_exclude_leave)
    population = (
        sched.group_by(["org_id", "employment_id"])
        .agg(pl.col("exported_hours").sum())
        .filter(pl.col("exported_hours") > 0)
        .select("org_id", "employment_id")
    )
    if population.height == 0:
        raise InsufficientData(
            "Det finns ingen ordinarie arbetstid för perioden, så sjukfrånvaron kan inte beräknas. "
            "Importera filen arbetstid."
        )
    sick = sick_hours_monthly(data, start, end, params.short_term_days).join(
        population, on=["org_id", "employment_id"], how="semi"
    )
    period = pl.col("month") if freq == "month" else pl.col("month").dt.truncate("1y")
    keys = ["org_id", "period", *params.by]

    def grouped(frame: pl.DataFrame, aggs: list[pl.Expr]) -> pl.DataFrame:
        # Aggregate each side on its own and join the small results (much cheaper than
        # joining the two monthly frames row by row).
        return (
            attach_dimensions(frame, data, params)
            .with_columns(period.alias("period"))
            .group_by(keys)
            .agg(aggs)
        )

    den = grouped(
        sched,
        [
            pl.col("person_id")
            .filter(pl.col("exported_hours") > 0)
            .n_unique()
            .cast(pl.Int64)
            .alias("n"),
            pl.col("scheduled_hours").sum().alias("denominator"),
        ],
    )
    num = grouped(sick, [pl.col("sick_hours").sum().alias("numerator")])
    return (
        den.join(num, on=keys, how="left", nulls_equal=True)
        .with_columns(pl.col("numerator").fill_null(0.0))
        .with_columns(
            value=pl.when(pl.col("denominator") > 0).then(
                100.0 * pl.col("numerator") / pl.col("denominator")
            )
        )
        .select("org_id", "period", *params.by, "n", "value")
    )


def _snapshots(params: Params, freq: str, years: Sequence[int]) -> list[tuple[date, date]]:
    if freq == "month":
        return [(date(y, m, 1), date(y, m, 1)) for y in years for m in range(1, 13)]
    return [
        (
            date(y, 1, 1),
            params.with_(year=y, on=None).snapshot
            if params.on is None
            else params.on.replace(year=y),
        )
        for y in years
    ]


def _staff(
    data: HRData, params: Params, freq: str, years: Sequence[int], figure: str
) -> pl.DataFrame:
    frames = []
    for period, on in _snapshots(params, freq, years):
        p = params.with_(year=on.year, on=on)
        try:
            view = snapshot_view(data, p)
        except InsufficientData:
            continue
        value = pl.len().cast(pl.Float64) if figure == "headcount" else fte_expr().sum()
        frames.append(
            view.group_by(["org_id", *p.by])
            .agg(pl.len().cast(pl.Int64).alias("n"), value.alias("value"))
            .with_columns(period=pl.lit(period))
            .select("org_id", "period", *p.by, "n", "value")
        )
    if not frames:
        raise InsufficientData(
            "Det finns inga månadsavlönade anställningar under perioden i underlaget."
        )
    return pl.concat(frames)


def _overtime(data: HRData, params: Params, freq: str, years: Sequence[int]) -> pl.DataFrame:
    if freq == "month":
        out = hours_per_fte_frame(
            data,
            params,
            "overtime_hours",
            date(min(years), 1, 1),
            date(max(years), 12, 31),
            monthly=True,
        ).rename({"month": "period"})
        return out.select("org_id", "period", *params.by, "n", "value")
    frames = [
        hours_per_fte_frame(data, params, "overtime_hours", date(y, 1, 1), date(y, 12, 31))
        .with_columns(period=pl.lit(date(y, 1, 1)))
        .select("org_id", "period", *params.by, "n", "value")
        for y in years
    ]
    return pl.concat(frames)


def series(
    figure_id: str,
    data: HRData,
    freq: str = "month",
    by: Sequence[str] = (),
    params: Params | None = None,
    years: Sequence[int] | None = None,
) -> pl.DataFrame:
    """A monthly (``freq="month"``) or yearly (``freq="year"``) series as a long frame."""
    if figure_id not in SERIES_FIGURES:
        raise InsufficientData(
            f"Tidsserie finns inte för '{figure_id}'. Välj ett av: {', '.join(SERIES_FIGURES)}."
        )
    if freq not in ("month", "year"):
        raise InsufficientData("Välj månad ('month') eller år ('year') för tidsserien.")
    ys = list(years) if years else ([params.year] if params else _years(data))
    p = (params or Params(year=max(ys))).with_(by=tuple(by))
    if p.unit_id is not None:
        data = restrict_to_subtree(data, p.unit_id)
    if figure_id == "sick_leave_total":
        out = _sick(data, p, freq, ys)
    elif figure_id == "overtime_per_fte":
        out = _overtime(data, p, freq, ys)
    else:
        out = _staff(data, p, freq, ys, figure_id)
    min_n = max(registry.get(figure_id).description.min_group_size, p.min_group_size)
    return out.with_columns(suppressed=pl.col("n") < min_n).sort(["org_id", "period", *p.by])
