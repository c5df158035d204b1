"""Pay structure per job for pay-setting managers.

For each job: the employees as points (pseudonymous person_id, gender, age or
experience, pay), the least-squares line of pay on the x variable, P10, P50,
P90 and the spread P90/P10. Percentiles use linear interpolation between order
statistics (numpy's default, "type 7"). Who may see the points is decided by
the service layer (HR and the employee's own managers only).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hallbar.core.describe import Description

STRUCTURE_DESCRIPTION = Description(
    id="pay_structure",
    name_sv="Lönestruktur per befattning",
    definition_sv=(
        "Varje anställds lön mot ålder (eller erfarenhet), gruppens regressionslinje "
        "(lön = a + b × ålder, minsta kvadrat), 10:e, 50:e och 90:e percentilen (linjär "
        "interpolation) och lönespridningen P90/P10."
    ),
    population_sv="Anställda med månadslön i befattningen.",
    unit="kr",
    source="Lönebildning i kommuner och regioner; Region Skånes lönepolicy",
)


@dataclass(frozen=True)
class PayStructure:
    summary: pl.DataFrame  # job, n, n_women, n_men, p10, p50, p90, p90_p10, intercept, slope
    points: pl.DataFrame  # job, person_id, gender, x, pay
    x: str
    description: Description = STRUCTURE_DESCRIPTION


def pay_structure(frame: pl.DataFrame, x: str = "age") -> PayStructure:
    pay, xv = pl.col("pay"), pl.col(x).cast(pl.Float64)
    data = frame.filter(pl.col(x).is_not_null())
    xm, ym = xv.mean(), pay.mean()
    sxx = ((xv - xm) ** 2).sum()
    sxy = ((xv - xm) * (pay - ym)).sum()
    summary = (
        frame.group_by("job")
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            (pl.col("gender") == "K").sum().cast(pl.Int64).alias("n_women"),
            (pl.col("gender") == "M").sum().cast(pl.Int64).alias("n_men"),
            pay.quantile(0.10, interpolation="linear").alias("p10"),
            pay.quantile(0.50, interpolation="linear").alias("p50"),
            pay.quantile(0.90, interpolation="linear").alias("p90"),
        )
        .with_columns((pl.col("p90") / pl.col("p10")).alias("p90_p10"))
    )
    line = (
        data.group_by("job")
        .agg(sxx.alias("sxx"), sxy.alias("sxy"), xm.alias("xm"), ym.alias("ym"))
        .with_columns(pl.when(pl.col("sxx") > 0).then(pl.col("sxy") / pl.col("sxx")).alias("slope"))
        .with_columns((pl.col("ym") - pl.col("slope") * pl.col("xm")).alias("intercept"))
        .select("job", "intercept", "slope")
    )
    summary = summary.join(line, on="job", how="left").sort("job")
    points = data.select("job", "person_id", "gender", xv.alias("x"), "pay").sort(["job", "x"])
    return PayStructure(summary=summary, points=points, x=x)
