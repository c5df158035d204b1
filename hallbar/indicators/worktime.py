"""Working time and staffing cost: overtime and mertid per FTE, split shifts and
unsocial hours per FTE, agency staff hours and cost and its share of personnel cost.

FTE here is the year's average of the FTE on the first day of each month,
employment by employment (rate / 100 of active monthly-paid employments), so that
hours recorded per employment can be cut by the same dimensions as the FTE.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.core.paid import paid_by
from hallbar.core.population import MONTHLY_PAID_FORMS
from hallbar.indicators.cache import memoised
from hallbar.indicators.params import Params
from hallbar.indicators.registry import register
from hallbar.indicators.sickness import employment_person_map
from hallbar.indicators.views import attach_dimensions, employment_terms

_LABELS = {
    "overtime_hours": "övertid",
    "additional_hours": "mertid",
    "unsocial_hours": "OB-timmar",
    "split_shifts": "delade turer",
}


@memoised
def monthly_fte(data: HRData, start: date, end: date) -> pl.DataFrame:
    """FTE per employment and month: rate / 100 when a monthly-paid period is active
    on the first day of the month. Columns: org_id, employment_id, month, fte."""
    first_idx, last_idx = _bounds(start, end)
    emps = data.employments.filter(pl.col("employment_form").is_in(MONTHLY_PAID_FORMS))
    lo, hi = covered_months(first_idx, last_idx)
    return (
        emps.select("org_id", "employment_id", "rate", _lo=lo, _hi=hi)
        .filter(pl.col("_hi") >= pl.col("_lo"))
        .with_columns(_m=pl.int_ranges("_lo", pl.col("_hi") + 1, dtype=pl.Int32))
        .explode("_m")
        .group_by(["org_id", "employment_id", "_m"])
        .agg((pl.col("rate").sum() / 100.0).alias("fte"))
        .with_columns(month=pl.date(pl.col("_m") // 12, pl.col("_m") % 12 + 1, 1))
        .drop("_m")
    )


def _bounds(start: date, end: date) -> tuple[int, int]:
    return start.year * 12 + start.month - 1, end.year * 12 + end.month - 1


def _month_no(d: pl.Expr) -> pl.Expr:
    return d.dt.year().cast(pl.Int32) * 12 + d.dt.month().cast(pl.Int32) - 1


def covered_months(first_idx: int, last_idx: int) -> tuple[pl.Expr, pl.Expr]:
    """First and last month index (within the bounds) whose first day a period covers."""
    lo = _month_no(pl.col("start_date")) + (pl.col("start_date").dt.day() != 1).cast(pl.Int32)
    hi = (
        pl.when(pl.col("end_date").is_null())
        .then(pl.lit(last_idx, pl.Int32))
        .otherwise(_month_no(pl.col("end_date")))
    )
    return pl.max_horizontal(lo, pl.lit(first_idx, pl.Int32)), pl.min_horizontal(
        hi, pl.lit(last_idx, pl.Int32)
    )


_COLUMNS = ("overtime_hours", "additional_hours", "unsocial_hours", "split_shifts")


@memoised
def worktime_base(data: HRData, start: date, end: date, monthly: bool) -> pl.DataFrame:
    """Per employment (and month when ``monthly``): the sums of every working-time
    column and the FTE (average over the period's months unless ``monthly``)."""
    time_keys = ["month"] if monthly else []
    keys = ["org_id", "employment_id", *time_keys]
    # One lazy query (Polars' streaming engine groups and joins by string keys for a
    # fraction of the CPU time of the same steps on frames).
    hours = (
        data.working_time.lazy()
        .filter((pl.col("month") >= start.replace(day=1)) & (pl.col("month") <= end))
        .group_by(keys)
        .agg(pl.col(c).cast(pl.Float64).sum() for c in _COLUMNS)
    )
    if monthly:
        fte = monthly_fte(data, start, end).lazy().group_by(keys).agg(pl.col("fte").sum())
    else:
        fte = average_fte(data, start, end).lazy()
    both = fte.join(hours, on=keys, how="full", coalesce=True).with_columns(
        pl.col("fte").fill_null(0.0), *(pl.col(c).fill_null(0.0) for c in _COLUMNS)
    )
    return both.join(
        employment_person_map(data).lazy(), on=["org_id", "employment_id"], how="left"
    ).collect()


@memoised
def average_fte(data: HRData, start: date, end: date) -> pl.DataFrame:
    """Average FTE per employment over the months of ``[start, end]``: the same as
    averaging ``monthly_fte``, counting the first-of-month days a period covers
    arithmetically instead of building one row per month."""
    first_idx, last_idx = _bounds(start, end)
    n_months = last_idx - first_idx + 1
    lo, hi = covered_months(first_idx, last_idx)
    return (
        data.employments.lazy()
        .filter(pl.col("employment_form").is_in(MONTHLY_PAID_FORMS))
        .with_columns(_months=(hi - lo + 1).clip(lower_bound=0))
        .group_by(["org_id", "employment_id"])
        .agg(((pl.col("rate") * pl.col("_months")).sum() / 100.0 / n_months).alias("fte"))
        .collect()
    )


def hours_per_fte_frame(
    data: HRData, params: Params, column: str, start: date, end: date, *, monthly: bool = False
) -> pl.DataFrame:
    """Sum of ``column`` per FTE by ``org_id + by`` (and month when ``monthly``)."""
    rows, nulls = (
        data.working_time.lazy()
        .filter((pl.col("month") >= start.replace(day=1)) & (pl.col("month") <= end))
        .select(pl.len(), pl.col(column).null_count())
        .collect()
        .row(0)
    )
    if rows == 0 or nulls == rows:
        raise InsufficientData(
            f"Uppgift om {_LABELS.get(column, column)} saknas i arbetstidsfilen för perioden, så "
            "nyckeltalet kan inte beräknas. Importera arbetstid med den kolumnen."
        )
    time_keys = ["month"] if monthly else []
    both = worktime_base(data, start, end, monthly).select(
        "org_id", "employment_id", "person_id", *time_keys, "fte", pl.col(column).alias("hours")
    )
    both = attach_dimensions(both, data, params)
    keys = ["org_id", *time_keys, *params.by]
    return (
        both.group_by(keys)
        .agg(
            pl.col("person_id").filter(pl.col("fte") > 0).n_unique().cast(pl.Int64).alias("n"),
            pl.col("hours").sum(),
            pl.col("fte").sum(),
        )
        .with_columns(
            value=pl.when(pl.col("fte") > 0).then(pl.col("hours") / pl.col("fte")).otherwise(None)
        )
        .sort(keys)
    )


def _per_fte(column: str):  # type: ignore[no-untyped-def]
    def compute(data: HRData, params: Params) -> pl.DataFrame:
        return hours_per_fte_frame(data, params, column, params.year_start, params.year_end)

    return compute


for _id, _col, _name, _unit in (
    ("overtime_per_fte", "overtime_hours", "Övertid per årsarbetare", "timmar"),
    ("additional_hours_per_fte", "additional_hours", "Mertid per årsarbetare", "timmar"),
    ("unsocial_hours_per_fte", "unsocial_hours", "OB-timmar per årsarbetare", "timmar"),
    ("split_shifts_per_fte", "split_shifts", "Delade turer per årsarbetare", "antal"),
):
    register(
        id=_id,
        name_sv=_name,
        definition_sv=(
            f"Årets {_LABELS[_col]} ({_unit}) delat med årets genomsnittliga antal årsarbetare (avtalad "
            "sysselsättningsgrad för månadsavlönade den första dagen i varje månad, per anställning)."
        ),
        population_sv="Anställningar med arbetstidsuppgifter under året; årsarbetare för månadsavlönade.",
        unit=f"{_unit} per årsarbetare",
        formula=f"Σ {_LABELS[_col]} / (Σ_månader Σ sysselsättningsgrad/100 / antal månader)",
        source="Lokal definition; arbetstid enligt AB (övertid, mertid, OB) och Länsstyrelsernas rapport 2023 (delade turer)",
        value_columns=("hours", "fte", "value"),
        higher_is_better=False,
    )(_per_fte(_col))


def _occupation_label(params: Params) -> pl.Expr:
    other = "aid_code" if params.occupation_key == "ssyk" else "ssyk"
    return pl.coalesce(params.occupation_key, other, "title").fill_null("okänt").alias("occupation")


def personnel_cost_monthly(data: HRData, params: Params, start: date, end: date) -> pl.DataFrame:
    """Own personnel cost per occupation and month: pay paid × (1 + payroll overhead).

    Pay paid follows ``hallbar.core.paid``: fixed pay (the ``fast`` pay components, or
    the contracted monthly pay × rate for monthly-paid staff when the pay file has
    none), plus supplements and variable pay. The occupation is the employment's on
    the snapshot date."""
    occ = (
        employment_terms(data.employments, params.snapshot)
        .lazy()
        .select("org_id", "employment_id", _occupation_label(params))
    )
    return (
        paid_by(data, start, end, occ, ["occupation"])
        .with_columns(pl.col("occupation").fill_null("okänt"))
        .group_by(["org_id", "month", "occupation"])
        .agg((pl.col("pay").sum() * (1 + params.payroll_overhead)).alias("personnel_cost"))
        .collect()
    )


@register(
    id="agency_staff",
    name_sv="Inhyrd personal: timmar, kostnad och andel av personalkostnaden",
    definition_sv=(
        "Inhyrda timmar och kostnad för inhyrd personal per yrke och månad, och kostnaden i procent av den egna "
        "personalkostnaden för samma yrke och månad. Egen personalkostnad = utbetald lön (fast lön, tillägg "
        "och rörlig lön) plus personalomkostnadspålägg. Fast lön är lönedelarna av typen fast, eller, när "
        "lönefilen saknar dem för en månadsavlönad anställning, den avtalade månadslönen × "
        "sysselsättningsgraden för de dagar anställningen pågår under månaden."
    ),
    population_sv=(
        "Inhyrd personal från bemanningsföretag; egen personal med lön under månaden (månadsavlönade "
        "enligt avtal, timavlönade och tillägg enligt lönedelar)."
    ),
    unit="%",
    formula=(
        "kostnad inhyrd / ((fast lön + tillägg + rörlig lön) × (1 + PO-pålägg)) × 100; fast lön = "
        "lönedelar fast, annars månadslön × grad/100 × dagar anställd/dagar i månaden"
    ),
    source="Regionernas uppföljning av inhyrd personal ('hyrstopp'); PO-pålägg enligt SKR:s cirkulär",
    value_columns=("agency_hours", "agency_cost", "personnel_cost", "value"),
    higher_is_better=False,
)
def agency_staff(data: HRData, params: Params) -> pl.DataFrame:
    start, end = params.year_start, params.year_end
    agency = data.agency_staff.filter((pl.col("month") >= start) & (pl.col("month") <= end))
    if agency.height == 0:
        raise InsufficientData(
            f"Det finns inga uppgifter om inhyrd personal för {params.year}. Importera filen inhyrd_personal."
        )
    per = agency.group_by(["org_id", "month", "occupation"]).agg(
        pl.col("hours").sum().alias("agency_hours"), pl.col("cost").sum().alias("agency_cost")
    )
    own = personnel_cost_monthly(data, params, start, end)
    out = per.join(
        own, on=["org_id", "month", "occupation"], how="full", coalesce=True
    ).with_columns(pl.col("agency_hours").fill_null(0.0), pl.col("agency_cost").fill_null(0.0))
    return out.with_columns(
        value=pl.when(pl.col("personnel_cost") > 0)
        .then(100.0 * pl.col("agency_cost") / pl.col("personnel_cost"))
        .otherwise(None)
    ).sort(["org_id", "month", "occupation"])
