"""Pay: the median pay gap in kronor (Kolada N00951 / N60953), women's median pay
as a share of men's, and pay percentiles per occupation.

Pay is the monthly pay at full time (``monthly_pay``) of the person's main
employment, for permanent and fixed-term monthly-paid staff on the snapshot date.
Percentiles use linear interpolation between order statistics, the same method
as numpy's default (``method="linear"``).
"""

from __future__ import annotations

import polars as pl

from hallbar.core.codes import Gender
from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.indicators import kolada_ids
from hallbar.indicators.params import Params
from hallbar.indicators.registry import register
from hallbar.indicators.views import attach_dimensions, person_view


def pay_view(data: HRData, params: Params) -> pl.DataFrame:
    view = person_view(data, params.snapshot, params.year, monthly_paid_only=True).filter(
        pl.col("monthly_pay").is_not_null()
    )
    if view.height == 0:
        raise InsufficientData(
            f"Det finns ingen månadslön för månadsavlönade anställda {params.snapshot.isoformat()} i underlaget. "
            "Fyll i kolumnen manadslon i anställningsfilen."
        )
    return attach_dimensions(view, data, params)


def _medians_by_gender(data: HRData, params: Params) -> pl.DataFrame:
    """Per group (``params.by`` without gender): women's and men's median monthly pay and
    ``n`` = the smaller gender group, which decides whether the comparison may be shown."""
    view = pay_view(data, params)
    keys = ["org_id", *[d for d in params.by if d != "gender"]]
    women = pl.col("gender") == Gender.WOMAN.value
    men = pl.col("gender") == Gender.MAN.value
    return (
        view.group_by(keys)
        .agg(
            pl.col("monthly_pay").filter(women).median().alias("median_women"),
            pl.col("monthly_pay").filter(men).median().alias("median_men"),
            women.sum().cast(pl.Int64).alias("n_women"),
            men.sum().cast(pl.Int64).alias("n_men"),
        )
        .with_columns(n=pl.min_horizontal("n_women", "n_men"))
        .sort(keys)
    )


@register(
    id="median_pay_gap_women_men",
    name_sv="Skillnad i medianlön mellan kvinnor och män (kr)",
    definition_sv=(
        "Medianen av kvinnors månadslön omräknad till heltid minus medianen av mäns, i kronor, för "
        "tillsvidare- och visstidsanställda månadsavlönade på mätdagen. Ett negativt värde betyder "
        "att kvinnors medianlön är lägre än mäns."
    ),
    population_sv="Månadsavlönade anställda med månadslön på mätdagen (standard 1 november).",
    unit="kr",
    formula="median(lön | kvinnor) − median(lön | män)",
    source=kolada_ids.source_text(kolada_ids.MEDIAN_PAY_GAP_KR),
    value_columns=("median_women", "median_men", "value"),
    kolada_ids=kolada_ids.MEDIAN_PAY_GAP_KR,
)
def median_pay_gap_women_men(data: HRData, params: Params) -> pl.DataFrame:
    return _medians_by_gender(data, params).with_columns(
        value=pl.col("median_women") - pl.col("median_men")
    )


@register(
    id="pay_ratio_women_men",
    name_sv="Kvinnors medianlön i procent av mäns",
    definition_sv=(
        "Medianen av kvinnors månadslön omräknad till heltid i procent av medianen av mäns, för tillsvidare- "
        "och visstidsanställda månadsavlönade på mätdagen. Kvoten har inget Kolada-id; Kolada redovisar "
        "skillnaden i kronor (se skillnaden i medianlön)."
    ),
    population_sv="Månadsavlönade anställda med månadslön på mätdagen (standard 1 november).",
    unit="%",
    formula="median(lön | kvinnor) / median(lön | män) × 100",
    source="Lönestatistisk praxis (kvinnors lön i procent av mäns, som i SCB:s och Medlingsinstitutets statistik)",
    value_columns=("median_women", "median_men", "value"),
)
def pay_ratio_women_men(data: HRData, params: Params) -> pl.DataFrame:
    return _medians_by_gender(data, params).with_columns(
        value=100.0 * pl.col("median_women") / pl.col("median_men")
    )


@register(
    id="pay_percentiles",
    name_sv="Lönespridning per yrke (P10, P50, P90)",
    definition_sv=(
        "10:e, 50:e och 90:e percentilen av månadslön omräknad till heltid per yrke, och kvoten P90/P10. "
        "Percentilerna interpoleras linjärt mellan observationerna."
    ),
    population_sv="Månadsavlönade anställda med månadslön på mätdagen, per yrke (SSYK eller AID).",
    unit="kr",
    formula="P_q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)q; kvot = P90 / P10",
    source="Lönestatistisk praxis (SCB:s lönestrukturstatistik redovisar P10/P50/P90)",
    value_columns=("p10", "p50", "p90", "p90_p10"),
)
def pay_percentiles(data: HRData, params: Params) -> pl.DataFrame:
    occ = params.occupation_key
    p = params.with_(by=tuple(dict.fromkeys((occ, *params.by))))
    view = pay_view(data, p)
    keys = ["org_id", *p.by]
    q = pl.col("monthly_pay")
    return (
        view.group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            q.quantile(0.1, interpolation="linear").alias("p10"),
            q.quantile(0.5, interpolation="linear").alias("p50"),
            q.quantile(0.9, interpolation="linear").alias("p90"),
        )
        .with_columns(p90_p10=pl.col("p90") / pl.col("p10"))
        .sort(keys)
    )
