"""Pay development after long parental leave, against the same category without leave.

Article 10(1)(e) asks for the share of women and men who received a pay rise
after returning from maternity, paternity, parental or carer's leave; the
Swedish proposal adds the analysis of leave to the yearly pay survey.

* Leave days: calendar days of absence with cause ``föräldraledig`` that fall
  inside [start, end], weighted by the absence's extent (50 % for a month =
  about 15 days).
* ``pay_development`` compares the pay frames at ``start`` and ``end`` (the
  pay survey's frame at two dates; monthly pay at full time, base pay):
  change_pct = 100 × (pay_after − pay_before) / pay_before; raised = pay_after
  > pay_before. Group "med" = at least ``min_leave_days`` leave days and back
  before ``end`` (last leave day < end); "utan" = no parental leave at all in
  the period. Short or unfinished leave is in neither group.
* ``leave_summary`` and ``raise_after_leave`` hide any figure over fewer than
  ``min_n`` persons (null), so one returner's pay change is never shown.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.codes import AbsenceCause

WITH, WITHOUT = "med", "utan"
GROUPS_SV = {WITH: "Med lång föräldraledighet", WITHOUT: "Utan föräldraledighet"}
DEFAULT_MIN_LEAVE_DAYS = 90  # about three months: "long" leave


def parental_leave_days(absences: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """person_id, leave_days, leave_end: parental leave inside [start, end]."""
    parental = absences.filter(
        (pl.col("cause") == AbsenceCause.PARENTAL.value)
        & (pl.col("from_date") <= end)
        & (pl.col("to_date") >= start)
    )
    first = pl.max_horizontal(pl.col("from_date"), pl.lit(start))
    last = pl.min_horizontal(pl.col("to_date"), pl.lit(end))
    days = ((last - first).dt.total_days() + 1).cast(pl.Float64)
    extent = pl.col("extent").fill_null(100.0) / 100.0
    return (
        parental.group_by("person_id")
        .agg((days * extent).sum().alias("leave_days"), pl.col("to_date").max().alias("leave_end"))
        .sort("person_id")
    )


def pay_development(
    before: pl.DataFrame,
    after: pl.DataFrame,
    leave: pl.DataFrame,
    end: date,
    *,
    min_leave_days: float = DEFAULT_MIN_LEAVE_DAYS,
) -> pl.DataFrame:
    """Per person in both frames: person_id, gender, job, pay_before, pay_after, change_pct,
    raised, leave_days, group ("med", "utan" or null)."""
    both = (
        after.filter(pl.col("monthly_pay") > 0)
        .select("person_id", "gender", "job", pl.col("monthly_pay").alias("pay_after"))
        .join(
            before.filter(pl.col("monthly_pay") > 0).select(
                "person_id", pl.col("monthly_pay").alias("pay_before")
            ),
            on="person_id",
            how="inner",
        )
        .join(leave, on="person_id", how="left")
        .with_columns(pl.col("leave_days").fill_null(0.0))
    )
    returned = (pl.col("leave_days") >= min_leave_days) & (pl.col("leave_end") < pl.lit(end))
    return both.select(
        "person_id",
        "gender",
        "job",
        "pay_before",
        "pay_after",
        (100.0 * (pl.col("pay_after") - pl.col("pay_before")) / pl.col("pay_before")).alias(
            "change_pct"
        ),
        (pl.col("pay_after") > pl.col("pay_before")).alias("raised"),
        "leave_days",
        pl.when(returned)
        .then(pl.lit(WITH))
        .when(pl.col("leave_days") == 0)
        .then(pl.lit(WITHOUT))
        .alias("group"),
    ).sort("person_id")


def _hide(value: pl.Expr, n: pl.Expr, min_n: int) -> pl.Expr:
    return pl.when(n >= min_n).then(value)


def leave_summary(development: pl.DataFrame, category: str = "job", min_n: int = 5) -> pl.DataFrame:
    """Per category: n and mean pay change (%) with and without long leave, and the difference
    (with − without, percentage points). Means over fewer than ``min_n`` persons are null."""
    d = development.filter(pl.col("group").is_not_null())
    out = d.group_by(category).agg(
        (pl.col("group") == WITH).sum().cast(pl.Int64).alias("n_with"),
        (pl.col("group") == WITHOUT).sum().cast(pl.Int64).alias("n_without"),
        pl.col("change_pct").filter(pl.col("group") == WITH).mean().alias("mean_with"),
        pl.col("change_pct").filter(pl.col("group") == WITHOUT).mean().alias("mean_without"),
    )
    out = out.with_columns(
        _hide(pl.col("mean_with"), pl.col("n_with"), min_n).alias("mean_with"),
        _hide(pl.col("mean_without"), pl.col("n_without"), min_n).alias("mean_without"),
    ).with_columns((pl.col("mean_with") - pl.col("mean_without")).alias("difference_pp"))
    return out.rename({category: "category"}).sort("category")


def raise_after_leave(
    development: pl.DataFrame, category: str | None = None, min_n: int = 5
) -> pl.DataFrame:
    """Share (%) of women and men back from long leave who got a raise; per ``category`` or,
    with None, one row for everyone (category ""). Shares over fewer than ``min_n`` are null."""
    d = development.filter(pl.col("group") == WITH)
    if category is None:
        d = d.with_columns(pl.lit("").alias("category"))
        category = "category"
    out = d.group_by(category).agg(
        (pl.col("gender") == "K").sum().cast(pl.Int64).alias("n_women"),
        (pl.col("gender") == "M").sum().cast(pl.Int64).alias("n_men"),
        ((pl.col("gender") == "K") & pl.col("raised")).sum().cast(pl.Int64).alias("raised_women"),
        ((pl.col("gender") == "M") & pl.col("raised")).sum().cast(pl.Int64).alias("raised_men"),
    )
    out = out.with_columns(
        _hide(100.0 * pl.col("raised_women") / pl.col("n_women"), pl.col("n_women"), min_n).alias(
            "share_raised_women"
        ),
        _hide(100.0 * pl.col("raised_men") / pl.col("n_men"), pl.col("n_men"), min_n).alias(
            "share_raised_men"
        ),
    )
    if category != "category":
        out = out.rename({category: "category"})
    return out.sort("category")
