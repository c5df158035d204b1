"""Article 10: the content of a joint pay assessment, per category of workers.

For each category the Art. 9 report flagged (an average gap of 5 % or more),
Art. 10(2) asks for: (a) the shares of women and men; (b) average pay and
average complementary or variable pay by sex; (c) the differences; (e) the
share of women and men who got a pay rise after returning from leave. The
reasons (c), measures (f) and evaluation of earlier measures (g) are written
by the employer and the representatives and stored by the workflow.

Pay per year comes from ``hallbar.paysurvey.transparency.with_pay_measures``
(the same annual base and complementary pay the report uses). Differences
are (men − women) / men in percent, as everywhere in the report.
"""

from __future__ import annotations

import polars as pl

from hallbar.paysurvey.transparency import with_pay_measures


def _gap(col: str) -> pl.Expr:
    men, women = pl.col(f"{col}_men"), pl.col(f"{col}_women")
    return pl.when(men > 0).then(100.0 * (men - women) / men)


def assessment_content(
    frame: pl.DataFrame,
    categories: list[str],
    *,
    category: str = "job",
    raises: pl.DataFrame | None = None,
    full_time_hours_year: float = 1980.0,
) -> pl.DataFrame:
    """One row per category in ``categories``: n and shares by sex, mean annual base and
    complementary pay by sex, their gaps, and (from ``raise_after_leave``) the raise shares."""
    d = with_pay_measures(frame, full_time_hours_year).filter(
        pl.col(category).cast(pl.String).is_in(categories)
    )
    women, men = pl.col("gender") == "K", pl.col("gender") == "M"
    out = (
        d.group_by(pl.col(category).cast(pl.String).alias("category"))
        .agg(
            women.sum().cast(pl.Int64).alias("n_women"),
            men.sum().cast(pl.Int64).alias("n_men"),
            pl.col("base_annual").filter(women).mean().alias("base_women"),
            pl.col("base_annual").filter(men).mean().alias("base_men"),
            pl.col("complementary_annual").filter(women).mean().alias("complementary_women"),
            pl.col("complementary_annual").filter(men).mean().alias("complementary_men"),
        )
        .with_columns(
            (100.0 * pl.col("n_women") / (pl.col("n_women") + pl.col("n_men"))).alias(
                "share_women"
            ),
            (100.0 * pl.col("n_men") / (pl.col("n_women") + pl.col("n_men"))).alias("share_men"),
            _gap("base").alias("base_gap_pct"),
            _gap("complementary").alias("complementary_gap_pct"),
        )
    )
    if raises is not None:
        out = out.join(
            raises.select("category", "share_raised_women", "share_raised_men"),
            on="category",
            how="left",
        )
    else:
        out = out.with_columns(
            pl.lit(None, pl.Float64).alias("share_raised_women"),
            pl.lit(None, pl.Float64).alias("share_raised_men"),
        )
    return out.sort("category")
