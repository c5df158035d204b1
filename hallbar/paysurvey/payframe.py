"""The pay frame: one row per employee, the input of every survey step.

Columns (canonical names): person_id, gender (K/M), age, job, unit_id,
employment_form, rate (percent), monthly_pay (full time, SEK), tenure_years,
supplements (fixed supplements per month at full time, SEK), variable_pay
(variable pay over the last 12 months, SEK), annual_hours (contracted hours
over 12 months, or null when working-time data is missing), and the pay of the
reference period (the 12 months up to the survey date) as paid: period_pay
(gross pay paid: fixed pay, supplements and variable pay, ``hallbar.core.paid``),
period_base_pay (the fixed pay in it) and period_hours (hours of the same
months: ordinary, additional and overtime hours; null without working time).
The EU Art. 9 figures divide period_pay by period_hours, never an annualised
pay by part-year hours.

``pay_frame_from_hrdata`` derives it from ``HRData``; ``check_pay_frame``
cleans it and returns notices for missing/zero pay and outliers.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.codes import Gender, PayKind
from hallbar.core.dataset import HRData
from hallbar.core.paid import paid_monthly
from hallbar.core.population import EMPLOYED, MONTHLY_PAID, MONTHLY_PAID_FORMS
from hallbar.paysurvey.notices import InvalidPayData, Notice

PAY_FRAME_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.String(),
    "gender": pl.String(),
    "age": pl.Float64(),
    "job": pl.String(),
    "unit_id": pl.String(),
    "employment_form": pl.String(),
    "rate": pl.Float64(),
    "monthly_pay": pl.Float64(),
    "tenure_years": pl.Float64(),
    "supplements": pl.Float64(),
    "variable_pay": pl.Float64(),
    "annual_hours": pl.Float64(),
    "period_pay": pl.Float64(),
    "period_base_pay": pl.Float64(),
    "period_hours": pl.Float64(),
}
REQUIRED = ("person_id", "gender", "job", "monthly_pay")


def _months_back(at: date, months: int) -> date:
    """First day of the month ``months`` months before ``at``'s month."""
    index = at.year * 12 + (at.month - 1) - months
    return date(index // 12, index % 12 + 1, 1)


def pay_frame_from_hrdata(
    data: HRData,
    at: date | None = None,
    job_key: str = "title",
    *,
    include_hourly: bool = False,
) -> pl.DataFrame:
    """Derive the pay frame at date ``at`` (default ``data.as_of``).

    Employees: active monthly-paid employments (tillsvidare, visstid) with rate > 0
    on ``at``; a person with several takes the one with the highest rate (then the
    latest start). ``job`` is the local title (``job_key="title"``, falling back to
    the AID label) or the AID label (``"aid_code"``, falling back to the title).
    The 12-month window is the month of ``at`` and the 11 before it:
    variable_pay = sum of kind 'rörlig'; supplements = mean per payroll month of
    kind 'tillägg', converted to full time (÷ rate/100); annual_hours = scheduled
    hours summed and scaled to 12 months (× 12 / months with data).

    ``include_hourly``: one row for every person employed on ``at`` (the EU Art. 9
    population, ``hallbar.core.population.EMPLOYED``), hourly-paid staff included
    with ``monthly_pay`` null; a person with a monthly-paid employment takes it.
    ``run_survey`` keeps the pay survey to the monthly-paid rows and reports
    Art. 9 on all of them.
    """
    at = at or data.as_of
    d = data.conformed()
    monthly_paid = pl.col("employment_form").is_in(MONTHLY_PAID_FORMS) & (pl.col("rate") > 0)
    if include_hourly:
        emp = EMPLOYED.employments(d, at).with_columns(_monthly=monthly_paid.fill_null(False))
    else:
        emp = MONTHLY_PAID.employments(d, at).filter(pl.col("rate") > 0)
        emp = emp.with_columns(_monthly=pl.lit(True))
    first_start = d.employments.group_by("org_id", "person_id").agg(
        pl.col("start_date").min().alias("first_start")
    )
    primary, fallback = ("title", "aid_code") if job_key == "title" else ("aid_code", "title")
    emp = (
        emp.sort(["_monthly", "rate", "start_date"], descending=True, nulls_last=True)
        .unique(subset=["org_id", "person_id"], keep="first", maintain_order=True)
        .join(first_start, on=["org_id", "person_id"], how="left")
        .join(
            d.persons.select("org_id", "person_id", "gender", "birth_date"),
            on=["org_id", "person_id"],
            how="left",
        )
    )
    window_start = _months_back(at, 11)
    window_end = date(at.year, at.month, 1)
    pay = d.pay_components.filter(pl.col("month").is_between(window_start, window_end))
    pay_agg = pay.group_by("org_id", "employment_id").agg(
        pl.col("amount")
        .filter(pl.col("kind") == PayKind.VARIABLE.value)
        .sum()
        .alias("variable_pay"),
        pl.col("amount").filter(pl.col("kind") == PayKind.SUPPLEMENT.value).sum().alias("supp_sum"),
        pl.col("month").n_unique().alias("pay_months"),
    )
    wt = (
        d.working_time.filter(pl.col("month").is_between(window_start, window_end))
        .group_by("org_id", "employment_id")
        .agg(
            (pl.col("scheduled_hours").sum() * 12.0 / pl.col("month").n_unique()).alias(
                "annual_hours"
            )
        )
    )
    emp = (
        emp.join(pay_agg, on=["org_id", "employment_id"], how="left")
        .join(wt, on=["org_id", "employment_id"], how="left")
        .join(_period_pay(d, window_start, at), on=["org_id", "person_id"], how="left")
    )
    days_per_year = 365.25
    return emp.select(
        pl.col("person_id"),
        pl.col("gender"),
        ((pl.lit(at) - pl.col("birth_date")).dt.total_days() / days_per_year)
        .floor()
        .cast(pl.Float64)
        .alias("age"),
        pl.coalesce(pl.col(primary), pl.col(fallback)).alias("job"),
        pl.col("unit_id"),
        pl.col("employment_form"),
        pl.col("rate"),
        pl.col("monthly_pay"),
        ((pl.lit(at) - pl.col("first_start")).dt.total_days() / days_per_year).alias(
            "tenure_years"
        ),
        (
            pl.when(pl.col("pay_months") > 0)
            .then(pl.col("supp_sum") / pl.col("pay_months") / (pl.col("rate") / 100.0))
            .otherwise(0.0)
        ).alias("supplements"),
        pl.col("variable_pay").fill_null(0.0),
        pl.col("annual_hours"),
        pl.col("period_pay"),
        pl.col("period_base_pay"),
        pl.col("period_hours"),
    ).cast(PAY_FRAME_SCHEMA)  # type: ignore[arg-type]


def _period_pay(data: HRData, window_start: date, at: date) -> pl.DataFrame:
    """Per person: pay paid and hours in the months ``window_start`` to ``at``'s month.

    Pay of all the person's employments (``hallbar.core.paid``); hours = ordinary +
    additional + overtime hours of the same months (hourly-paid staff have their
    worked hours as additional hours). ``period_hours`` is null when the person has
    no working-time rows in the window.
    """
    window_end = date(at.year, at.month, 1)
    month_end = (
        date(at.year + 1, 1, 1) if at.month == 12 else date(at.year, at.month + 1, 1)
    ).toordinal() - 1
    owners = data.employments.select("org_id", "employment_id", "person_id").unique(
        ["org_id", "employment_id"]
    )
    paid = (
        paid_monthly(data, window_start, date.fromordinal(month_end))
        .join(owners, on=["org_id", "employment_id"], how="inner")
        .group_by("org_id", "person_id")
        .agg(
            pl.col("pay").sum().alias("period_pay"),
            pl.col("fixed_pay").sum().alias("period_base_pay"),
        )
    )
    hour_cols = ("scheduled_hours", "additional_hours", "overtime_hours")
    hours = (
        data.working_time.filter(pl.col("month").is_between(window_start, window_end))
        .join(owners, on=["org_id", "employment_id"], how="inner")
        .group_by("org_id", "person_id")
        .agg(
            pl.sum_horizontal(pl.col(c).cast(pl.Float64).fill_null(0.0) for c in hour_cols)
            .sum()
            .alias("period_hours")
        )
    )
    return paid.join(hours, on=["org_id", "person_id"], how="left")


def conform_pay_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Add optional columns as nulls/zeros and cast to the pay-frame dtypes."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InvalidPayData(
            f"Löneunderlaget saknar kolumnen '{missing[0]}'. Nödvändiga kolumner: "
            f"{', '.join(REQUIRED)}."
        )
    defaults = {"supplements": 0.0, "variable_pay": 0.0, "rate": 100.0}
    cols = []
    for name, dtype in PAY_FRAME_SCHEMA.items():
        if name in frame.columns:
            col = pl.col(name).cast(dtype)
            if name in defaults:
                col = col.fill_null(defaults[name])
            cols.append(col)
        else:
            cols.append(pl.lit(defaults.get(name), dtype=dtype).alias(name))
    extra = [c for c in frame.columns if c not in PAY_FRAME_SCHEMA]
    return frame.select(*cols, *extra)


def check_pay_frame(
    frame: pl.DataFrame,
    *,
    include_supplements: bool = False,
    outlier_iqr_factor: float = 3.0,
) -> tuple[pl.DataFrame, list[Notice]]:
    """Return the usable rows with a ``pay`` column, plus notices.

    Rows with missing or zero/negative monthly pay, or a gender other than K/M,
    are left out (one notice each kind). ``pay`` = monthly_pay (+ supplements when
    ``include_supplements``). Outliers — pay outside median ± factor × IQR within
    the job (IQR = P75 − P25, linear interpolation) — are kept but flagged.
    """
    frame = conform_pay_frame(frame)
    notices: list[Notice] = []
    bad_pay = frame.filter(pl.col("monthly_pay").is_null() | (pl.col("monthly_pay") <= 0))
    if bad_pay.height:
        notices.append(
            Notice(
                "missing_pay",
                f"{bad_pay.height} anställda saknar månadslön eller har lönen 0 och är inte med i "
                "lönekartläggningen. Komplettera månadslönen (heltidslön) i löneunderlaget.",
                step="underlag",
                person_ids=tuple(bad_pay["person_id"].cast(pl.String).to_list()),
            )
        )
    genders = (Gender.WOMAN.value, Gender.MAN.value)
    bad_gender = frame.filter(~pl.col("gender").is_in(genders) | pl.col("gender").is_null())
    if bad_gender.height:
        notices.append(
            Notice(
                "unknown_gender",
                f"{bad_gender.height} anställda saknar juridiskt kön (K eller M) och är inte med i "
                "jämförelserna mellan kvinnor och män.",
                step="underlag",
            )
        )
    bad_job = frame.filter(pl.col("job").is_null())
    if bad_job.height:
        notices.append(
            Notice(
                "missing_job",
                f"{bad_job.height} anställda saknar befattning och är inte med i lönekartläggningen. "
                "Ange befattning eller AID-etikett.",
                step="underlag",
            )
        )
    ok = frame.filter(
        (pl.col("monthly_pay") > 0) & pl.col("gender").is_in(genders) & pl.col("job").is_not_null()
    )
    pay = pl.col("monthly_pay") + (pl.col("supplements") if include_supplements else pl.lit(0.0))
    ok = ok.with_columns(pay.alias("pay"))
    q = pl.col("pay")
    ok = ok.with_columns(
        (
            (q - q.median().over("job")).abs()
            > outlier_iqr_factor
            * (
                q.quantile(0.75, interpolation="linear") - q.quantile(0.25, interpolation="linear")
            ).over("job")
        ).alias("pay_outlier")
    )
    outliers = ok.filter(pl.col("pay_outlier"))
    for job, rows in outliers.group_by("job", maintain_order=True):
        job_name = str(job[0])
        notices.append(
            Notice(
                "pay_outlier",
                f"{rows.height} lön(er) i befattningen '{job_name}' avviker kraftigt (mer än "
                f"{outlier_iqr_factor:g} kvartilavstånd från medianen). Kontrollera att lönen är "
                "omräknad till heltid och rätt registrerad.",
                step="underlag",
                subject=job_name,
                person_ids=tuple(rows["person_id"].to_list()),
            )
        )
    return ok, notices
