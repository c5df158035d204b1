"""Agency staff (inhyrd personal) month by month: the regions' 'hyrstopp' follow-up.

The registered figure ``agency_staff`` (``worktime``) has one row per month and
occupation that has agency cost or own personnel cost. A monthly follow-up needs
more: every occupation in every month of the year (a month without agency staff
is a zero, not a missing row, so a line chart does not skip it) and the whole
organisation's month, whose share is Σ agency cost / Σ own personnel cost over
the occupations (a ratio of sums, never a mean of the occupations' shares).

Months run from January of the reporting year to the data's snapshot month
(a month after the export date has no data yet and would read as zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.indicators.params import Params
from hallbar.indicators.worktime import agency_staff

_SUMS = ("agency_hours", "agency_cost")


@dataclass(frozen=True)
class AgencyMonthly:
    """Agency hours, cost and share of own personnel cost per month.

    ``by_occupation``: org_id, occupation, month, agency_hours, agency_cost,
    personnel_cost (null: no own pay that month), value (percent; null when
    there is no own personnel cost). ``total``: the same without occupation,
    one row per org and month.
    """

    by_occupation: pl.DataFrame
    total: pl.DataFrame
    months: tuple[date, ...]


def report_months(data: HRData, params: Params) -> tuple[date, ...]:
    """January of the year up to December, or up to the snapshot month of the data."""
    last = 12
    if data.as_of.year == params.year:
        last = data.as_of.month
    elif data.as_of.year < params.year:
        last = 0
    return tuple(date(params.year, m, 1) for m in range(1, last + 1))


def _share() -> pl.Expr:
    return (
        pl.when(pl.col("personnel_cost") > 0)
        .then(100.0 * pl.col("agency_cost") / pl.col("personnel_cost"))
        .otherwise(None)
        .alias("value")
    )


def agency_staff_monthly(data: HRData, params: Params) -> AgencyMonthly:
    """Every occupation × month of the year, and the organisation per month.

    Raises ``InsufficientData`` (from ``agency_staff``) when the year has no
    agency-staff rows.
    """
    frame = agency_staff(data, params).select(
        "org_id", "occupation", "month", *_SUMS, "personnel_cost"
    )
    seen = set(frame["month"].to_list())
    months = tuple(sorted(set(report_months(data, params)) | seen))
    grid = (
        frame.select("org_id", "occupation")
        .unique()
        .join(pl.DataFrame({"month": list(months)}, schema={"month": pl.Date}), how="cross")
    )
    by_occupation = (
        grid.join(frame, on=["org_id", "occupation", "month"], how="left")
        .with_columns(pl.col(c).fill_null(0.0) for c in _SUMS)
        .with_columns(_share())
        .sort(["org_id", "occupation", "month"])
    )
    total = (
        by_occupation.group_by(["org_id", "month"])
        .agg(
            *(pl.col(c).sum() for c in _SUMS),
            pl.col("personnel_cost").sum().alias("_own"),
            pl.col("personnel_cost").count().alias("_own_rows"),
        )
        .with_columns(
            personnel_cost=pl.when(pl.col("_own_rows") > 0).then(pl.col("_own")).otherwise(None)
        )
        .drop("_own", "_own_rows")
        .with_columns(_share())
        .sort(["org_id", "month"])
    )
    return AgencyMonthly(by_occupation, total, months)
