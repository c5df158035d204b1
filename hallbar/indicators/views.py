"""Person- and employment-level views at a date, ages, age bands and occupation types.

Conventions (documented in docs/key-figures.md):

- An employment period is active on a date when ``start_date <= d`` and
  ``end_date`` is empty or ``>= d``.
- Age is the age attained during the reporting year: ``year - birth year``
  (SKR's personnel statistics count age this way, so a whole cohort shares a band).
- Age bands: ≤29, 30–49, ≥50 (SKR's sick-leave note).
- A person's employment-level attributes (unit, occupation, form) come from the
  person's *main* employment on the date: permanent before fixed-term before
  hourly-paid, then the highest rate, then the smallest employment id.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.codes import EmploymentForm, Gender
from hallbar.core.dataset import HRData
from hallbar.core.population import EMPLOYED, MONTHLY_PAID
from hallbar.indicators.cache import memoised
from hallbar.indicators.frames import key_changes, sorted_by
from hallbar.indicators.params import Params

AGE_BANDS = ("≤29", "30–49", "≥50")
WOMEN_DOMINATED = "kvinnodominerat"
MEN_DOMINATED = "mansdominerat"
MIXED = "könsblandat"
UNKNOWN = "okänt"

_FORM_ORDER = {
    EmploymentForm.PERMANENT.value: 0,
    EmploymentForm.FIXED_TERM.value: 1,
    EmploymentForm.HOURLY.value: 2,
}


def age_expr(year: int) -> pl.Expr:
    """Age attained during ``year``: year − birth year."""
    return (pl.lit(year) - pl.col("birth_date").dt.year()).cast(pl.Int32).alias("age")


def age_band_expr(age: pl.Expr | None = None) -> pl.Expr:
    a = pl.col("age") if age is None else age
    return (
        pl.when(a <= 29)
        .then(pl.lit(AGE_BANDS[0]))
        .when(a <= 49)
        .then(pl.lit(AGE_BANDS[1]))
        .otherwise(pl.lit(AGE_BANDS[2]))
        .alias("age_band")
    )


@memoised
def persons_with_age(persons: pl.DataFrame, year: int) -> pl.DataFrame:
    return (
        persons.select("org_id", "person_id", "gender", "birth_date")
        .with_columns(age_expr(year))
        .with_columns(age_band_expr())
    )


def _form_rank() -> pl.Expr:
    return pl.col("employment_form").replace_strict(_FORM_ORDER, default=3, return_dtype=pl.Int8)


@memoised
def employment_terms(employments: pl.DataFrame, on: date) -> pl.DataFrame:
    """One row per employment: its period active on ``on``, else the latest period
    that started on or before ``on``, else its first period. Sorted by employment."""
    # In employment and start order (a check when the table already is), the periods
    # started on or before ``on`` come first in each employment: take the last of them,
    # or the employment's first period when none did. Row comparisons instead of a sort
    # and group-by over a million periods by string keys.
    keys = ["org_id", "employment_id"]
    periods = sorted_by(employments, [*keys, "start_date"])
    started = pl.col("start_date") <= on
    last_started = started & (key_changes(keys, -1) | ~started.shift(-1).fill_null(False))
    return periods.filter(last_started | (key_changes(keys) & ~started))


@memoised
def person_view(
    data: HRData, on: date, year: int | None = None, *, monthly_paid_only: bool = False
) -> pl.DataFrame:
    """One row per person with an active employment on ``on``.

    Columns: org_id, person_id, gender, age, age_band, the main employment's
    employment_id/unit_id/aid_code/ssyk/employment_form/monthly_pay, ``rate_sum``
    (rates of all active employments of the considered forms, summed, not capped),
    ``is_manager`` (any active employment with manager responsibility) and
    ``n_employments``.
    """
    # Counted through the population layer, so a head count here is the same number as
    # every other count of the population (hallbar.core.population).
    population = MONTHLY_PAID if monthly_paid_only else EMPLOYED
    emps = population.employments(data, on)
    keys = ["org_id", "person_id"]
    # Lazy, for the streaming engine's cheaper sort and group-by (see employment_terms).
    ranked = (
        emps.lazy()
        .with_columns(_rank=_form_rank())
        .sort(
            ["org_id", "person_id", "_rank", "rate", "employment_id"],
            descending=[False, False, False, True, False],
        )
    )
    main = ranked.group_by(keys, maintain_order=True).agg(
        pl.col("employment_id").first(),
        pl.col("unit_id").first(),
        pl.col("aid_code").first(),
        pl.col("ssyk").first(),
        pl.col("employment_form").first(),
        pl.col("monthly_pay").first(),
        pl.col("rate").sum().alias("rate_sum"),
        pl.col("is_manager").any().alias("is_manager"),
        pl.len().alias("n_employments"),
    )
    people = persons_with_age(data.persons, year or on.year)
    return main.join(people.lazy(), on=keys, how="left").collect()


def occupation_types(view: pl.DataFrame, key: str, threshold: float) -> pl.DataFrame:
    """Occupation type per occupational group from a person view.

    Women-dominated: share of women ≥ ``threshold``; men-dominated: share of men
    ≥ ``threshold``; otherwise mixed (DO's guidance uses 60 %).
    """
    return (
        view.filter(pl.col(key).is_not_null())
        .group_by(["org_id", key])
        .agg(
            pl.len().alias("occupation_n"),
            (pl.col("gender") == Gender.WOMAN.value).mean().alias("share_women"),
        )
        .with_columns(
            pl.when(pl.col("share_women") >= threshold)
            .then(pl.lit(WOMEN_DOMINATED))
            .when((1 - pl.col("share_women")) >= threshold)
            .then(pl.lit(MEN_DOMINATED))
            .otherwise(pl.lit(MIXED))
            .alias("occupation_type")
        )
    )


def attach_dimensions(frame: pl.DataFrame, data: HRData, params: Params) -> pl.DataFrame:
    """Add the requested dimension columns to a frame keyed by org_id + employment_id
    (employment-level data) or org_id + person_id (person-level data).

    Employment attributes come from the employment's terms on the snapshot date;
    person attributes from the persons table; occupation type from the person view
    on the snapshot date.
    """
    wanted = [d for d in params.by if d not in frame.columns]
    if not wanted:
        return frame
    on = params.snapshot
    emp_dims = [d for d in wanted if d in ("unit_id", "aid_code", "ssyk", "employment_form")]
    need_occ = "occupation_type" in wanted
    occ_key = params.occupation_key
    out = frame
    if "employment_id" in frame.columns:
        cols = list(dict.fromkeys([*emp_dims, *([occ_key] if need_occ else [])]))
        if cols:
            terms = employment_terms(data.employments, on).select("org_id", "employment_id", *cols)
            extra = [c for c in cols if c in out.columns]
            out = out.join(terms.drop(extra), on=["org_id", "employment_id"], how="left")
        if "person_id" not in out.columns and any(d in wanted for d in ("gender", "age_band")):
            emp_person = data.employments.select("org_id", "employment_id", "person_id").unique(
                ["org_id", "employment_id"]
            )
            out = out.join(emp_person, on=["org_id", "employment_id"], how="left")
    else:
        cols = list(dict.fromkeys([*emp_dims, *([occ_key] if need_occ else [])]))
        missing = [c for c in cols if c not in out.columns]
        if missing:
            view = person_view(data, on, params.year).select("org_id", "person_id", *missing)
            out = out.join(view, on=["org_id", "person_id"], how="left")
    person_dims = [d for d in wanted if d in ("gender", "age_band") and d not in out.columns]
    if person_dims:
        people = persons_with_age(data.persons, params.year).select(
            "org_id", "person_id", *person_dims
        )
        out = out.join(people, on=["org_id", "person_id"], how="left")
    if need_occ and "occupation_type" not in out.columns:
        types = occupation_types(
            person_view(data, on, params.year, monthly_paid_only=True),
            occ_key,
            params.gender_dominance_threshold,
        ).select("org_id", occ_key, "occupation_type")
        out = out.join(types, on=["org_id", occ_key], how="left").with_columns(
            pl.col("occupation_type").fill_null(UNKNOWN)
        )
        if occ_key not in params.by:
            out = out.drop(occ_key)
    return out
