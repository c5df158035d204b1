"""Leaving rates: turnover by occupation and age band, retirement exit rates by age,
and the age/gender profile of new recruits, estimated from the organisation's history.

Conventions (the same as the projection's): a person's age in year *Y* is
*Y − birth year* (the age attained during the year). Turnover in a band is
non-retirement leavers / average headcount (mean of 1 January and 31 December),
pooled over the history years. The retirement exit rate at age *a* is
retirements during *Y* among persons aged *a* / persons aged *a* employed on 1 January.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from hallbar.core.codes import EndReason
from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.core.population import MONTHLY_PAID_FORMS
from hallbar.projection.errors import ProjectionInputError
from hallbar.projection.scenario import DEFAULT_AGE_BANDS
from hallbar.projection.stock import MISSING_OCCUPATION, occupation_column

_FAR_FUTURE = date(9999, 12, 31)


def _empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


TURNOVER_SCHEMA: dict[str, pl.DataType] = {
    "occupation": pl.String(),
    "band_from": pl.Int64(),
    "rate": pl.Float64(),
}
RETIREMENT_SCHEMA: dict[str, pl.DataType] = {"age": pl.Int64(), "rate": pl.Float64()}
PROFILE_SCHEMA: dict[str, pl.DataType] = {
    "gender": pl.String(),
    "age": pl.Int64(),
    "share": pl.Float64(),
}


@dataclass(frozen=True)
class Rates:
    """Rates the projection applies.

    ``turnover``: rows (occupation, band_from, rate); a null occupation gives the
    organisation's rate for that band, a null band_from a rate for all ages. Anything not listed uses ``overall_turnover``.
    ``retirement``: observed exit rates by age (only used in mode 'observed'; ages
    not listed fall back to the target-age rule). ``recruit_profile``: where new
    recruits enter (gender, age, share); empty = the stock's own under-35s.
    """

    overall_turnover: float
    turnover: pl.DataFrame = field(default_factory=lambda: _empty(TURNOVER_SCHEMA))
    retirement: pl.DataFrame = field(default_factory=lambda: _empty(RETIREMENT_SCHEMA))
    recruit_profile: pl.DataFrame = field(default_factory=lambda: _empty(PROFILE_SCHEMA))
    basis: pl.DataFrame | None = None  # exposure and leavers behind the turnover rates
    notices: tuple[str, ...] = ()

    @classmethod
    def constant(
        cls,
        turnover: float,
        by_occupation: dict[str, float] | None = None,
        recruit_profile: pl.DataFrame | None = None,
    ) -> Rates:
        """One turnover rate for everyone (optionally per occupation, all ages)."""
        rows = [(occ, None, r) for occ, r in (by_occupation or {}).items()]
        rates = cls(
            overall_turnover=turnover,
            turnover=pl.DataFrame(rows, schema=TURNOVER_SCHEMA, orient="row"),
            recruit_profile=(
                recruit_profile.cast(PROFILE_SCHEMA)  # type: ignore[arg-type]
                if recruit_profile is not None
                else _empty(PROFILE_SCHEMA)
            ),
        )
        rates.validate()
        return rates

    def validate(self) -> None:
        values = [self.overall_turnover, *self.turnover["rate"].to_list()]
        values += self.retirement["rate"].to_list()
        for v in values:
            if v is None or not 0 <= v <= 1:
                raise ProjectionInputError(
                    f"Ogiltig avgångsandel {v}: personalomsättning och pensionsavgångar ska "
                    "ligga mellan 0 och 1 (0–100 %) per år."
                )
        if (
            self.recruit_profile.height
            and abs(float(self.recruit_profile["share"].sum()) - 1) > 1e-6
        ):
            raise ProjectionInputError(
                "Nyrekryteringarnas åldersprofil ska summera till 1 (100 %)."
            )


def band_of(age: pl.Expr, bands: Sequence[int]) -> pl.Expr:
    """Lower bound of the age band an age falls in."""
    expr: pl.Expr = pl.lit(bands[0], dtype=pl.Int64)
    for b in bands[1:]:
        expr = pl.when(age >= b).then(pl.lit(b, dtype=pl.Int64)).otherwise(expr)
    return expr


def _headcount(emp: pl.DataFrame, day: date, occ_col: str) -> pl.DataFrame:
    """Persons active on ``day`` with the occupation of their highest-rate employment."""
    return (
        emp.filter(
            (pl.col("start_date") <= day)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= day))
        )
        .sort(["person_id", "rate"], descending=[False, True])
        .group_by("person_id", maintain_order=True)
        .agg(pl.col(occ_col).first().alias("occupation"), pl.col("birth_year").first())
    )


def history_rates_from_hrdata(
    data: HRData,
    years: Sequence[int],
    occupation_key: str = "ssyk",
    *,
    age_bands: Sequence[int] = DEFAULT_AGE_BANDS,
    min_exposure: float = 20.0,
    min_retirement_exposure: float = 10.0,
) -> Rates:
    """Estimate turnover, retirement exit rates and the recruit profile from history."""
    if not years:
        raise ProjectionInputError("Ange minst ett historiskt år att skatta avgångar från.")
    occ_col = occupation_column(occupation_key)
    emp = (
        data.employments.filter(pl.col("employment_form").is_in(MONTHLY_PAID_FORMS))
        .join(data.persons.select("person_id", "birth_date", "gender"), on="person_id", how="left")
        .with_columns(
            pl.col("birth_date").dt.year().cast(pl.Int64).alias("birth_year"),
            pl.col(occ_col).fill_null(MISSING_OCCUPATION),
        )
    )
    # The employment a person leaves the organisation from: their last one.
    last = (
        emp.with_columns(pl.col("end_date").fill_null(_FAR_FUTURE).alias("_end"))
        .sort(["person_id", "_end"])
        .group_by("person_id", maintain_order=True)
        .agg(
            pl.col("_end").last(),
            pl.col("end_reason").last(),
            pl.col(occ_col).last().alias("occupation"),
            pl.col("birth_year").last(),
        )
    )
    first = emp.group_by("person_id").agg(
        pl.col("start_date").min(), pl.col("gender").first(), pl.col("birth_year").first()
    )
    exposure, leavers, ret_exp, ret_n, hires = [], [], [], [], []
    for year in years:
        jan, dec = (
            _headcount(emp, date(year, 1, 1), occ_col),
            _headcount(emp, date(year, 12, 31), occ_col),
        )
        for frame, weight in ((jan, 0.5), (dec, 0.5)):
            exposure.append(
                frame.select(
                    "occupation",
                    band_of(pl.lit(year) - pl.col("birth_year"), age_bands).alias("band_from"),
                    pl.lit(weight).alias("w"),
                )
            )
        ret_exp.append(jan.select((pl.lit(year) - pl.col("birth_year")).alias("age")))
        left = last.filter(pl.col("_end").dt.year() == year).filter(
            pl.col("end_reason").fill_null("") != EndReason.INTERNAL_MOVE.value
        )
        is_ret = pl.col("end_reason").fill_null("") == EndReason.RETIRED.value
        leavers.append(
            left.filter(~is_ret).select(
                "occupation",
                band_of(pl.lit(year) - pl.col("birth_year"), age_bands).alias("band_from"),
            )
        )
        ret_n.append(left.filter(is_ret).select((pl.lit(year) - pl.col("birth_year")).alias("age")))
        hires.append(
            first.filter(pl.col("start_date").dt.year() == year).select(
                "gender", (pl.lit(year) - pl.col("birth_year")).alias("age")
            )
        )
    exp = (
        pl.concat(exposure)
        .group_by("occupation", "band_from")
        .agg(pl.col("w").sum().alias("exposure"))
    )
    if exp.height == 0 or exp["exposure"].sum() == 0:
        raise InsufficientData(
            f"Det finns inga månadsavlönade anställda under åren {', '.join(map(str, years))}; "
            "välj år som HR-uppgifterna täcker."
        )
    lv = (
        pl.concat(leavers)
        .group_by("occupation", "band_from")
        .agg(pl.len().cast(pl.Float64).alias("leavers"))
    )
    basis = exp.join(lv, on=["occupation", "band_from"], how="full", coalesce=True).fill_null(0.0)
    overall = float(basis["leavers"].sum()) / float(basis["exposure"].sum())
    org_band = (
        basis.group_by("band_from")
        .agg(pl.col("leavers").sum(), pl.col("exposure").sum())
        .filter(pl.col("exposure") >= min_exposure)
        .select(
            pl.lit(None, dtype=pl.String).alias("occupation"),
            "band_from",
            (pl.col("leavers") / pl.col("exposure")).clip(upper_bound=1.0).alias("rate"),
        )
    )
    own = basis.filter(pl.col("exposure") >= min_exposure).select(
        "occupation",
        "band_from",
        (pl.col("leavers") / pl.col("exposure")).clip(upper_bound=1.0).alias("rate"),
    )
    thin = (
        basis.filter(pl.col("exposure") < min_exposure)
        .group_by("occupation")
        .agg(pl.col("exposure").sum())
        .sort("occupation")
    )
    notices = [
        f"Yrket {r['occupation']} har för lite historik i vissa åldersband (under {min_exposure:g} "
        "personår per band); där används organisationens personalomsättning i stället."
        for r in thin.iter_rows(named=True)
    ]
    re = pl.concat(ret_exp).group_by("age").agg(pl.len().cast(pl.Float64).alias("exposure"))
    rn = pl.concat(ret_n).group_by("age").agg(pl.len().cast(pl.Float64).alias("retirements"))
    retirement = (
        re.join(rn, on="age", how="left")
        .fill_null(0.0)
        .filter(pl.col("exposure") >= min_retirement_exposure)
        .select(
            pl.col("age").cast(pl.Int64),
            (pl.col("retirements") / pl.col("exposure")).clip(upper_bound=1.0).alias("rate"),
        )
        .sort("age")
    )
    h = pl.concat(hires)
    profile = (
        h.group_by("gender", "age")
        .agg(pl.len().cast(pl.Float64).alias("n"))
        .select(
            "gender", pl.col("age").cast(pl.Int64), (pl.col("n") / pl.col("n").sum()).alias("share")
        )
        .sort("gender", "age")
        if h.height
        else _empty(PROFILE_SCHEMA)
    )
    rates = Rates(
        overall_turnover=min(overall, 1.0),
        turnover=pl.concat([own, org_band]).cast(TURNOVER_SCHEMA),  # type: ignore[arg-type]
        retirement=retirement,
        recruit_profile=profile,
        basis=basis.sort("occupation", "band_from"),
        notices=tuple(notices),
    )
    rates.validate()
    return rates
