"""Computed key figures as protected, labelled tables (``FigureTable``).

Every table leaves this module with small groups hidden the same way in the
page, the JSON twin and every export:

* primary suppression: a row over fewer persons than the figure's smallest
  group (11 for sick leave, SKR; else ``settings.min_group_size`` or the
  figure's own rule, whichever is larger) is hidden;
* secondary suppression: a table broken down by a dimension gets a "Totalt"
  row (the figure without the breakdown), and counts, hours and sums that
  add up to it are protected with ``hallbar.privacy.suppression.suppress``
  so no hidden row can be recovered by subtraction. Breakdowns that are
  part of the figure itself (gender, age band, employment form, unit) get
  their total row too.

The value column of each table is named by the figure id, so its
``Description`` travels with it into Excel, CSV, JSON and HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from hallbar.core.describe import ChartSpec, FigureTable
from hallbar.indicators import registry
from hallbar.indicators.registry import FigureResult
from hallbar.privacy.model import DisclosureModel
from hallbar.privacy.suppression import (
    REASON_COL,
    SECONDARY_REASON_SV,
    SUPPRESSED_COL,
    Dimension,
    SuppressionRule,
    suppress,
)
from hallbar.services.figures.request import DIMENSION_LABELS, TOTAL, label_column

COUNT = "n"
COUNT_LABEL = "Antal personer"

# Column -> Swedish header for the figures' helper columns.
COLUMN_LABELS: dict[str, str] = {
    "numerator": "Täljare (timmar)",
    "denominator": "Nämnare (timmar)",
    "full_time": "Antal heltid",
    "permanent": "Antal tillsvidare",
    "healthy": "Antal med frisknärvaro",
    "left": "Antal som slutat",
    "new": "Antal nya",
    "moved": "Antal som bytt enhet",
    "retirements": "Antal pensionsavgångar",
    "retirement_year": "År",
    "hours": "Timmar",
    "fte": "Årsarbetare",
    "median_women": "Median kvinnor (kr)",
    "median_men": "Median män (kr)",
    "n_women": "Antal kvinnor",
    "n_men": "Antal män",
    "median": "Median",
    "share_over_30": "Andel chefer med fler än 30 (%)",
    "share_1–15": "Andel 1–15 (%)",
    "share_16–30": "Andel 16–30 (%)",
    "share_31–45": "Andel 31–45 (%)",
    "share_46–60": "Andel 46–60 (%)",
    "share_>60": "Andel över 60 (%)",
    "p10": "P10 (kr)",
    "p50": "P50, median (kr)",
    "p90": "P90 (kr)",
    "p90_p10": "P90/P10",
    "flag": "Över gränsen",
    "agency_hours": "Inhyrda timmar",
    "agency_cost": "Kostnad inhyrd (kr)",
    "personnel_cost": "Egen personalkostnad (kr)",
    "month": "Månad",
    "occupation": "Yrke",
}


@dataclass(frozen=True)
class FigureSpec:
    """How a registered figure is shown: its area, headline column, built-in breakdown."""

    area: str
    headline: str | None = "value"  # the column shown as the figure's one number
    intrinsic: str | None = None  # a breakdown the figure always has
    additive: bool = False  # the built-in breakdown's counts add up to a total row
    share: bool = False  # value is each group's share of the total (total row = 100)


AREAS: tuple[tuple[str, str], ...] = (
    ("staff", "Personal"),
    ("worktime", "Heltid och arbetstid"),
    ("health", "Sjukfrånvaro och hälsa"),
    ("mobility", "Rörlighet och pensionsavgångar"),
    ("managers", "Chefers förutsättningar"),
    ("pay", "Lön"),
    ("agency", "Inhyrd personal"),
)

SPECS: dict[str, FigureSpec] = {
    "headcount": FigureSpec("staff"),
    "fte": FigureSpec("staff"),
    "gender_structure": FigureSpec("staff", None, "gender", True, True),
    "age_structure": FigureSpec("staff", None, "age_band", True, True),
    "employment_forms": FigureSpec("staff", None, "employment_form", True, True),
    "permanent_share": FigureSpec("staff"),
    "fulltime_employed": FigureSpec("worktime"),
    "fulltime_working": FigureSpec("worktime"),
    "average_rate": FigureSpec("worktime"),
    "overtime_per_fte": FigureSpec("worktime"),
    "additional_hours_per_fte": FigureSpec("worktime"),
    "unsocial_hours_per_fte": FigureSpec("worktime"),
    "split_shifts_per_fte": FigureSpec("worktime"),
    "sick_leave_total": FigureSpec("health"),
    "sick_leave_long_term_share": FigureSpec("health"),
    "sick_leave_women": FigureSpec("health"),
    "sick_leave_men": FigureSpec("health"),
    "sick_leave_age_29": FigureSpec("health"),
    "sick_leave_age_30_49": FigureSpec("health"),
    "sick_leave_age_50": FigureSpec("health"),
    "sick_leave_short_term": FigureSpec("health"),
    "frisknarvaro": FigureSpec("health"),
    "sick_leave_unit": FigureSpec("health", None, "unit_id", True),
    "turnover": FigureSpec("mobility"),
    "new_permanent_hires": FigureSpec("mobility"),
    "internal_moves": FigureSpec("mobility"),
    "expected_retirements": FigureSpec("mobility", None, "retirement_year"),
    "span_of_control": FigureSpec("managers", "mean"),
    "pay_ratio_women_men": FigureSpec("pay"),
    "median_pay_gap_women_men": FigureSpec("pay"),
    "pay_percentiles": FigureSpec("pay", None, "occupation"),
    "agency_staff": FigureSpec("agency", None, "occupation"),
}


def spec(figure_id: str) -> FigureSpec:
    return SPECS.get(figure_id, FigureSpec("staff"))


def min_group(figure_id: str, settings_min: int) -> int:
    return max(registry.get(figure_id).description.min_group_size, settings_min)


def _value_cols(result: FigureResult, frame: pl.DataFrame) -> list[str]:
    cols = [c for c in result.value_columns if c in frame.columns]
    extra = [c for c in ("n_women", "n_men") if c in frame.columns]
    return cols + extra


def _as_key(frame: pl.DataFrame, col: str) -> pl.DataFrame:
    return frame.with_columns(pl.col(col).cast(pl.String))


def _sum_total(frame: pl.DataFrame, col: str, keep: Sequence[str], share: bool) -> pl.DataFrame:
    """A "Totalt" row per ``keep`` group: counts summed; a share's total is 100 %."""
    sums = [
        pl.col(c).sum()
        for c, t in frame.schema.items()
        if c not in (col, *keep, "org_id", SUPPRESSED_COL) and t.is_numeric() and c != "value"
    ]
    aggs: list[pl.Expr] = [*sums]
    if "value" in frame.columns:
        aggs.append(pl.lit(100.0 if share else None, pl.Float64).alias("value"))
    grouped = frame.group_by(list(keep), maintain_order=True) if keep else None
    out = grouped.agg(aggs) if grouped is not None else frame.select(aggs)
    return out.with_columns(pl.lit(TOTAL).alias(col))


def _align(frames: list[pl.DataFrame], columns: list[str]) -> pl.DataFrame:
    aligned = []
    for f in frames:
        missing = [c for c in columns if c not in f.columns]
        f = f.with_columns(pl.lit(None).alias(c) for c in missing)
        aligned.append(f.select(columns))
    return pl.concat(aligned, how="vertical_relaxed")


def protected_frame(
    figure_id: str,
    cut: FigureResult,
    total: FigureResult | None,
    by: str | None,
    min_n: int,
    intrinsic_total: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, list[str]]:
    """The figure's frame with total rows and small groups hidden; also its group columns.

    ``cut`` is computed with ``by``; ``total`` without it (None when ``by`` is None).
    ``intrinsic_total`` gives the total row(s) of a built-in breakdown that is not
    a plain sum (the whole organisation's sick leave beside the units').
    """
    s = spec(figure_id)
    frame = cut.frame.drop(SUPPRESSED_COL, strict=False)
    intrinsic = s.intrinsic
    if intrinsic == "occupation" and "occupation" not in frame.columns:
        intrinsic = next((c for c in ("ssyk", "aid_code") if c in frame.columns), None)
    dims: list[str] = []
    groups: list[str] = []
    if by is not None and by in frame.columns and by != intrinsic:
        frame = _as_key(frame, by)
        groups.append(by)
        dims.append(by)
        if total is not None:
            t = (
                _as_key(total.frame.drop(SUPPRESSED_COL, strict=False), by)
                if by in total.frame.columns
                else total.frame.drop(SUPPRESSED_COL, strict=False)
            )
            t = t.with_columns(pl.lit(TOTAL).alias(by))
            frame = _align([frame, t], frame.columns)
    if intrinsic is not None and intrinsic in frame.columns:
        frame = _as_key(frame, intrinsic)
        groups.append(intrinsic)
        if s.additive and COUNT in frame.columns:
            dims.append(intrinsic)
            keep = [g for g in groups if g != intrinsic]
            if intrinsic_total is not None:
                extra = (
                    _as_key(intrinsic_total, intrinsic)
                    if intrinsic in intrinsic_total.columns
                    else intrinsic_total.with_columns(pl.lit(TOTAL).alias(intrinsic))
                )
            else:
                extra = _sum_total(frame, intrinsic, keep, s.share)
            frame = _align([frame, extra], frame.columns)
    values = _value_cols(cut, frame)
    partitions = [c for c in frame.columns if c not in {*dims, *values, COUNT, "org_id"}]
    if COUNT in frame.columns:
        frame = suppress(
            frame.with_columns(pl.col(COUNT).fill_null(0)),
            count_col=COUNT,
            value_cols=values,
            rule=SuppressionRule(min_n),
            dimensions=[Dimension(d, total=TOTAL) for d in dims],
            by=partitions,
        ).frame
    else:
        frame = frame.with_columns(
            pl.lit(False).alias(SUPPRESSED_COL), pl.lit(None, pl.String).alias(REASON_COL)
        )
    order = [*groups, *[c for c in partitions if c not in groups]]
    if order:
        frame = frame.with_columns(
            [(pl.col(g) == TOTAL).alias(f"_t{i}") for i, g in enumerate(groups)]
        ).sort([*(f"_t{i}" for i in range(len(groups))), *order], nulls_last=True)
        frame = frame.drop([f"_t{i}" for i in range(len(groups))])
    return frame.drop("org_id", strict=False), groups


def to_table(
    figure_id: str,
    frame: pl.DataFrame,
    groups: Sequence[str],
    labels: Mapping[str, Mapping[str, str]],
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
    headline: str | None = None,
    min_n: int | None = None,
) -> FigureTable:
    """Rename columns to Swedish headers; the headline column takes the figure's id."""
    figure = registry.get(figure_id)
    s = spec(figure_id)
    head = headline or s.headline or ("value" if "value" in frame.columns else None)
    out = frame
    for g in groups:
        out = out.with_columns(label_column(out, g, labels.get(g, {})))
    renames: dict[str, str] = {}
    for c in out.columns:
        if c in (SUPPRESSED_COL, REASON_COL):
            continue
        if c == head:
            renames[c] = figure_id
        elif c in groups:
            renames[c] = DIMENSION_LABELS.get(c, COLUMN_LABELS.get(c, c))
        elif c == COUNT:
            renames[c] = COUNT_LABEL
        else:
            renames[c] = COLUMN_LABELS.get(c, c)
    out = out.rename(renames)
    if "Över gränsen" in out.columns:
        out = out.with_columns(
            pl.when(pl.col("Över gränsen"))
            .then(pl.lit("ja"))
            .when(pl.col("Över gränsen").not_())
            .then(pl.lit("nej"))
            .alias("Över gränsen")
        )
    chart = None
    if groups and figure_id in out.columns:
        chart = ChartSpec(renames[groups[0]], (figure_id,), "bar", figure.description.name_sv)
    smallest = min_n or figure.description.min_group_size
    small = f"Grupper med färre än {smallest} personer visas inte."
    return FigureTable(
        id=figure_id,
        title_sv=title or figure.description.name_sv,
        frame=out,
        descriptions=(figure.description,),
        notes_sv=(*notes, *(() if figure.individual else (small,))),
        chart=chart,
    )


# Breakdown columns that are dimensions of the disclosure model's cube.
CUBE_COLUMNS = ("gender", "age_band", "employment_form")
_UNKNOWN = "okänd"  # services.disclosure.UNKNOWN: a person without a value


def protect_with_model(
    frame: pl.DataFrame,
    groups: Sequence[str],
    value_cols: Sequence[str],
    model: DisclosureModel,
    unit_id: str | None,
    filters: Mapping[str, str | None],
    leaves: frozenset[str],
) -> pl.DataFrame:
    """Hide, on top of the table's own rules, every row whose answer the disclosure
    model hides, so a breakdown shows no count the other answers' pattern protects.

    A row of a cube column (gender, age band, employment form) is the answer for
    ``unit_id`` with that value added to ``filters`` ("Totalt": the answer itself). A
    row of a unit breakdown counts the unit's own staff: that is an answer of the cube
    only for a unit without sub-units (``leaves``), so other units' rows are hidden.
    Rows of other columns (occupation, year) are left to the table's own rules.
    """
    cube_groups = [g for g in groups if g in CUBE_COLUMNS]
    by_unit = "unit_id" in groups
    if not cube_groups and not by_unit:
        return frame
    temp: dict[str, str] = {}
    work = frame
    for g in cube_groups:
        name = f"_cube_{g}"
        temp[g] = name
        # A null value is the "unknown" value of the cube, not "all" (protect reads null as all).
        work = work.with_columns(
            pl.when(pl.col(g).is_null())
            .then(pl.lit(_UNKNOWN))
            .otherwise(pl.col(g).cast(pl.String))
            .alias(name)
        )
    cols = list(dict.fromkeys(c for c in (*value_cols, COUNT) if c in work.columns))
    if by_unit:
        answer_units: list[str | None] = []
        safe: list[bool] = []
        for u in work["unit_id"].cast(pl.String).to_list():
            if u is None or u == TOTAL:
                answer_units.append(unit_id)
                safe.append(True)
            elif u in leaves and _in_model(model, u):
                answer_units.append(u)
                safe.append(True)
            else:  # own staff of a unit with sub-units: no answer of the cube
                answer_units.append(unit_id)
                safe.append(False)
        work = work.with_columns(pl.Series("_cube_unit", answer_units, dtype=pl.String))
        protected = model.protect(
            work,
            value_cols=cols,
            unit_col="_cube_unit",
            filters=filters,
            filter_cols={g: temp[g] for g in cube_groups},
            total=TOTAL,
        )
        mask = pl.Series("_unsafe", [not ok for ok in safe], dtype=pl.Boolean)
        protected = protected.with_columns(
            [pl.when(mask).then(None).otherwise(pl.col(c)).alias(c) for c in cols]
        ).with_columns(
            (pl.col(SUPPRESSED_COL) | mask).alias(SUPPRESSED_COL),
            pl.when(mask & pl.col(REASON_COL).is_null())
            .then(pl.lit(SECONDARY_REASON_SV))
            .otherwise(pl.col(REASON_COL))
            .alias(REASON_COL),
        )
    else:
        protected = model.protect(
            work,
            value_cols=cols,
            unit_col=None,
            unit_id=unit_id,
            filters=filters,
            filter_cols={g: temp[g] for g in cube_groups},
            total=TOTAL,
        )
    return protected.drop([*temp.values(), "_cube_unit"], strict=False)


def _in_model(model: DisclosureModel, unit_id: str) -> bool:
    try:
        model.space.unit_index(unit_id)
    except KeyError:
        return False
    return True
