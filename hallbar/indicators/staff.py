"""Staff structure: headcount, FTE, gender and age structure, employment forms,
permanent share, full-time employed vs full-time working, average rate.

All figures are taken on the snapshot date (``Params.snapshot``, default
1 November of the year: SKR's personnel statistics are a November snapshot).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.codes import LEAVE_CAUSES_REDUCING_WORKED_RATE, EmploymentForm
from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.core.population import active_on
from hallbar.indicators import kolada_ids
from hallbar.indicators.cache import memoised
from hallbar.indicators.params import Params
from hallbar.indicators.registry import register
from hallbar.indicators.views import attach_dimensions, person_view

PERMANENT = EmploymentForm.PERMANENT.value
FIXED = EmploymentForm.FIXED_TERM.value


def snapshot_view(
    data: HRData, params: Params, *, monthly_paid_only: bool = True, on: date | None = None
) -> pl.DataFrame:
    """Person view on the snapshot date with the requested dimensions; raises when empty."""
    day = on or params.snapshot
    view = person_view(data, day, params.year, monthly_paid_only=monthly_paid_only)
    if view.height == 0:
        raise InsufficientData(
            f"Det finns inga {'månadsavlönade ' if monthly_paid_only else ''}anställningar som pågår "
            f"{day.isoformat()} i underlaget. Kontrollera anställningsfilen eller välj ett annat datum."
        )
    return attach_dimensions(view, data, params)


def _keys(params: Params) -> list[str]:
    return ["org_id", *params.by]


@register(
    id="headcount",
    name_sv="Antal anställda",
    definition_sv="Antal personer med minst en pågående månadsavlönad anställning (tillsvidare eller visstid) på mätdagen.",
    population_sv="Månadsavlönade anställda på mätdagen (standard 1 november).",
    unit="personer",
    formula="antal unika personer",
    source="SKR:s personalstatistik (novemberstatistiken)",
)
def headcount(data: HRData, params: Params) -> pl.DataFrame:
    view = snapshot_view(data, params)
    return (
        view.group_by(_keys(params))
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .with_columns(value=pl.col("n").cast(pl.Float64))
        .sort(_keys(params))
    )


def fte_expr() -> pl.Expr:
    """A person's FTE: rates of concurrent monthly-paid employments summed, capped at 100 %."""
    return pl.col("rate_sum").clip(upper_bound=100.0) / 100.0


@register(
    id="fte",
    name_sv="Årsarbetare (avtalad sysselsättningsgrad)",
    definition_sv=(
        "Summan av avtalad sysselsättningsgrad / 100 för pågående månadsavlönade anställningar på mätdagen. "
        "En persons anställningar summeras och räknas högst som en årsarbetare. Variant: avtalad, inte faktisk "
        "tid (frånvaro och timavlönade ingår inte)."
    ),
    population_sv="Månadsavlönade anställda på mätdagen.",
    unit="årsarbetare",
    formula="Σ_person min(Σ sysselsättningsgrad, 100) / 100",
    source="SKR:s personalstatistik (årsarbetare, avtalad variant)",
)
def fte(data: HRData, params: Params) -> pl.DataFrame:
    view = snapshot_view(data, params)
    return (
        view.group_by(_keys(params))
        .agg(pl.len().cast(pl.Int64).alias("n"), fte_expr().sum().alias("value"))
        .sort(_keys(params))
    )


def _structure(dim: str):  # type: ignore[no-untyped-def]
    def compute(data: HRData, params: Params) -> pl.DataFrame:
        p = params.with_(by=tuple(d for d in params.by if d != dim))
        view = snapshot_view(data, params.with_(by=(*p.by, dim)))
        keys = _keys(p)
        counts = view.group_by([*keys, dim]).agg(pl.len().cast(pl.Int64).alias("n"))
        return counts.with_columns(value=100.0 * pl.col("n") / pl.col("n").sum().over(keys)).sort(
            [*keys, dim]
        )

    return compute


register(
    id="gender_structure",
    name_sv="Könsfördelning",
    definition_sv="Antal och andel kvinnor och män bland månadsavlönade anställda på mätdagen.",
    population_sv="Månadsavlönade anställda på mätdagen.",
    unit="%",
    formula="antal av kön / antal totalt × 100",
    source="SKR:s personalstatistik",
)(_structure("gender"))

register(
    id="age_structure",
    name_sv="Åldersfördelning",
    definition_sv="Antal och andel anställda i åldersgrupperna 29 år och yngre, 30–49 år och 50 år och äldre (ålder = år − födelseår).",
    population_sv="Månadsavlönade anställda på mätdagen.",
    unit="%",
    formula="antal i åldersgrupp / antal totalt × 100",
    source="SKR:s personalstatistik",
)(_structure("age_band"))


@register(
    id="employment_forms",
    name_sv="Anställningsformer",
    definition_sv=(
        "Antal och andel personer per anställningsform på mätdagen (tillsvidare, visstid, timavlönad). En person "
        "med flera anställningar räknas i den starkaste formen: tillsvidare före visstid före timavlönad."
    ),
    population_sv="Alla anställda med pågående anställning på mätdagen, också timavlönade.",
    unit="%",
    formula="antal per form / antal totalt × 100",
    source="SKR:s personalstatistik",
)
def employment_forms(data: HRData, params: Params) -> pl.DataFrame:
    p = params.with_(by=tuple(d for d in params.by if d != "employment_form"))
    view = snapshot_view(data, params.with_(by=(*p.by, "employment_form")), monthly_paid_only=False)
    keys = _keys(p)
    return (
        view.group_by([*keys, "employment_form"])
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .with_columns(value=100.0 * pl.col("n") / pl.col("n").sum().over(keys))
        .sort([*keys, "employment_form"])
    )


@register(
    id="permanent_share",
    name_sv="Andel tillsvidareanställda",
    definition_sv="Andel personer med tillsvidareanställning bland månadsavlönade anställda på mätdagen.",
    population_sv="Månadsavlönade anställda (tillsvidare och visstid) på mätdagen.",
    unit="%",
    formula="antal tillsvidareanställda / antal månadsavlönade × 100",
    source=kolada_ids.source_text(kolada_ids.PERMANENT_SHARE),
    kolada_ids=kolada_ids.PERMANENT_SHARE,
    value_columns=("permanent", "value"),
    higher_is_better=True,
)
def permanent_share(data: HRData, params: Params) -> pl.DataFrame:
    view = snapshot_view(data, params)
    return (
        view.group_by(_keys(params))
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            (pl.col("employment_form") == PERMANENT).sum().cast(pl.Int64).alias("permanent"),
        )
        .with_columns(value=100.0 * pl.col("permanent") / pl.col("n"))
        .sort(_keys(params))
    )


@memoised
def permanent_rates(data: HRData, params: Params) -> pl.DataFrame:
    """Permanent monthly-paid persons on the snapshot date with contracted and worked rate.

    ``rate`` = rates of the person's permanent employments summed and capped at 100.
    ``worked_rate`` = Σ rate × (1 − leave extent/100), deducting partial leave of the
    causes in LEAVE_CAUSES_REDUCING_WORKED_RATE that covers the date (leave on an
    employment reduces that employment; leave without employment id reduces the
    person's total), capped at 100.
    """
    on = params.snapshot
    emps = active_on(data.employments, on).filter(pl.col("employment_form") == PERMANENT)
    if emps.height == 0:
        raise InsufficientData(
            f"Det finns inga tillsvidareanställningar som pågår {on.isoformat()} (novemberstatistiken). "
            "Kontrollera att anställningsfilen omfattar november, eller välj ett annat mätdatum."
        )
    leave = data.absences.filter(
        pl.col("cause").is_in([c.value for c in LEAVE_CAUSES_REDUCING_WORKED_RATE])
        & (pl.col("from_date") <= on)
        & (pl.col("to_date") >= on)
    )
    emp_leave = (
        leave.filter(pl.col("employment_id").is_not_null())
        .group_by(["org_id", "employment_id"])
        .agg(pl.col("extent").sum().clip(upper_bound=100.0).alias("_leave"))
    )
    person_leave = (
        leave.filter(pl.col("employment_id").is_null())
        .group_by(["org_id", "person_id"])
        .agg(pl.col("extent").sum().clip(upper_bound=100.0).alias("_pleave"))
    )
    per_emp = emps.join(emp_leave, on=["org_id", "employment_id"], how="left").with_columns(
        _worked=pl.col("rate") * (1 - pl.col("_leave").fill_null(0.0) / 100.0)
    )
    per_person = (
        per_emp.group_by(["org_id", "person_id"])
        .agg(pl.col("rate").sum().alias("_rate"), pl.col("_worked").sum())
        .join(person_leave, on=["org_id", "person_id"], how="left")
        .with_columns(
            rate=pl.col("_rate").clip(upper_bound=100.0),
            worked_rate=(pl.col("_worked") * (1 - pl.col("_pleave").fill_null(0.0) / 100.0)).clip(
                upper_bound=100.0
            ),
        )
        .select("org_id", "person_id", "rate", "worked_rate")
    )
    view = person_view(data, on, params.year, monthly_paid_only=True).drop("employment_form")
    per_person = per_person.join(view, on=["org_id", "person_id"], how="left").with_columns(
        employment_form=pl.lit(PERMANENT)
    )
    return attach_dimensions(per_person, data, params)


def _share_at_least_100(column: str):  # type: ignore[no-untyped-def]
    def compute(data: HRData, params: Params) -> pl.DataFrame:
        rates = permanent_rates(data, params)
        return (
            rates.group_by(_keys(params))
            .agg(
                pl.len().cast(pl.Int64).alias("n"),
                (pl.col(column) >= 100.0).sum().cast(pl.Int64).alias("full_time"),
            )
            .with_columns(value=100.0 * pl.col("full_time") / pl.col("n"))
            .sort(_keys(params))
        )

    return compute


register(
    id="fulltime_employed",
    name_sv="Andel heltidsanställda",
    definition_sv=(
        "Andel tillsvidareanställda månadsavlönade med avtalad sysselsättningsgrad 100 % i november. "
        "En persons samtidiga tillsvidareanställningar summeras och räknas högst som 100 %."
    ),
    population_sv="Tillsvidareanställda månadsavlönade på mätdagen (standard 1 november).",
    unit="%",
    formula="antal med min(Σ sysselsättningsgrad, 100) = 100 / antal × 100",
    source=kolada_ids.source_text(kolada_ids.FULLTIME_EMPLOYED),
    kolada_ids=kolada_ids.FULLTIME_EMPLOYED,
    value_columns=("full_time", "value"),
    higher_is_better=True,
)(_share_at_least_100("rate"))

register(
    id="fulltime_working",
    name_sv="Andel som arbetar heltid",
    definition_sv=(
        "Andel tillsvidareanställda månadsavlönade som faktiskt arbetar 100 % i november: avtalad "
        "sysselsättningsgrad efter avdrag för partiell tjänstledighet och föräldraledighet som pågår på mätdagen."
    ),
    population_sv="Tillsvidareanställda månadsavlönade på mätdagen (standard 1 november).",
    unit="%",
    formula="antal med min(Σ grad × (1 − ledighet/100), 100) = 100 / antal × 100",
    source=kolada_ids.source_text(kolada_ids.FULLTIME_WORKING),
    kolada_ids=kolada_ids.FULLTIME_WORKING,
    value_columns=("full_time", "value"),
    higher_is_better=True,
)(_share_at_least_100("worked_rate"))


@register(
    id="average_rate",
    name_sv="Genomsnittlig sysselsättningsgrad",
    definition_sv=(
        "Medelvärdet av avtalad sysselsättningsgrad för tillsvidareanställda månadsavlönade i november "
        "(samtidiga anställningar summerade, högst 100 %)."
    ),
    population_sv="Tillsvidareanställda månadsavlönade på mätdagen (standard 1 november).",
    unit="%",
    formula="medelvärde av min(Σ sysselsättningsgrad, 100)",
    source=kolada_ids.source_text(kolada_ids.AVERAGE_RATE),
    kolada_ids=kolada_ids.AVERAGE_RATE,
    higher_is_better=True,
)
def average_rate(data: HRData, params: Params) -> pl.DataFrame:
    rates = permanent_rates(data, params)
    return (
        rates.group_by(_keys(params))
        .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("rate").mean().alias("value"))
        .sort(_keys(params))
    )
