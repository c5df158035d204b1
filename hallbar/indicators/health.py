"""Sick-leave and health figures: the seven SKR figures by any dimension, sick leave
per unit with the >10 % flag, short-term sick leave, frisknärvaro, and the
individual lists (repeated short-term absence, the rehab-plan rule)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.indicators import kolada_ids
from hallbar.indicators.cache import memoised
from hallbar.indicators.frames import grouped_by_hash, key_changes
from hallbar.indicators.params import SKR_NOTE_MIN_GROUP, Params
from hallbar.indicators.registry import register
from hallbar.indicators.sick_leave_note import NOTE_FIGURES
from hallbar.indicators.sickness import sick_leave_by_employment, spells
from hallbar.indicators.views import (
    attach_dimensions,
    employment_terms,
    persons_with_age,
)

SICK_POP = "Anställda med ordinarie arbetstid under året (timavlönade utan schema ingår inte)."
SICK_SOURCE = "Lag (2018:597) om kommunal bokföring och redovisning; SKR:s definition"


@memoised
def year_base(data: HRData, params: Params) -> pl.DataFrame:
    """Sick-leave base for the year with dimension columns and gender/age band."""
    base = sick_leave_by_employment(
        data,
        params.year_start,
        params.year_end,
        params.short_term_days,
        params.ordinary_hours_exclude_leave,
    )
    if base.height == 0 or base["scheduled_hours"].sum() <= 0:
        raise InsufficientData(
            f"Det finns ingen ordinarie arbetstid för {params.year} i underlaget, så sjukfrånvaron kan "
            "inte beräknas. Importera filen arbetstid (ordinarie timmar per anställning och månad)."
        )
    people = persons_with_age(data.persons, params.year).select(
        "org_id", "person_id", "gender", "age_band"
    )
    base = base.join(people, on=["org_id", "person_id"], how="left")
    return attach_dimensions(base, data, params)


def _aggregate(
    base: pl.DataFrame, params: Params, numerator: str, denominator: str
) -> pl.DataFrame:
    keys = ["org_id", *params.by]
    return (
        base.group_by(keys)
        .agg(
            pl.col("person_id").n_unique().cast(pl.Int64).alias("n"),
            pl.col(numerator).sum().alias("numerator"),
            pl.col(denominator).sum().alias("denominator"),
        )
        .with_columns(
            value=pl.when(pl.col("denominator") > 0)
            .then(100.0 * pl.col("numerator") / pl.col("denominator"))
            .otherwise(None)
        )
        .sort(keys)
    )


def _sick(filter_col: str | None, filter_val: str | None, long_term: bool = False):  # type: ignore[no-untyped-def]
    def compute(data: HRData, params: Params) -> pl.DataFrame:
        base = year_base(data, params)
        if filter_col is not None:
            base = base.filter(pl.col(filter_col) == filter_val)
        if long_term:
            return _aggregate(base, params, "long_hours", "sick_hours")
        return _aggregate(base, params, "sick_hours", "scheduled_hours")

    return compute


_SICK_COLS = ("numerator", "denominator", "value")
_SICK_DEF = (
    "Sjukfrånvarotimmar i procent av ordinarie arbetstid. Ålder = redovisningsår − födelseår."
)
_LONG_TERM_DEF = (
    "Sjukfrånvarotimmar under en sammanhängande sjukperiod på 60 kalenderdagar eller mer, i procent av "
    "all sjukfrånvaro (inte av arbetstiden). Sjukperioder som gränsar till varandra räknas som en period; "
    "en period som börjar före året räknas med hela sin längd, men bara timmarna under året."
)

# SKR's seven figures, registered from the note's own table (one home for labels and ids);
# the long-term share last, as the pages have always listed it.
for _figure in sorted(NOTE_FIGURES, key=lambda f: f.long_term):
    register(
        id=_figure.figure_id,
        name_sv=_figure.label_sv,
        definition_sv=_LONG_TERM_DEF if _figure.long_term else _SICK_DEF,
        population_sv=SICK_POP + _figure.population_suffix_sv,
        unit="%",
        formula=(
            "Σ sjuktimmar i perioder ≥ 60 dagar / Σ sjuktimmar × 100"
            if _figure.long_term
            else "Σ sjukfrånvarotimmar / Σ ordinarie arbetstimmar × 100"
        ),
        source=(
            f"{SICK_SOURCE}; {kolada_ids.source_text(_figure.kolada)}"
            + (f", kön {_figure.cut}" if _figure.cut else "")
        ),
        value_columns=_SICK_COLS,
        min_group_size=SKR_NOTE_MIN_GROUP,
        higher_is_better=False,
        # The women's and men's figures are cuts (K, M) of the total's id, not ids of their own.
        kolada_ids=None if _figure.cut else _figure.kolada,
    )(_sick(_figure.column, _figure.value, long_term=_figure.long_term))


@register(
    id="sick_leave_unit",
    name_sv="Sjukfrånvaro per enhet",
    definition_sv=(
        "Sjukfrånvarotimmar i procent av ordinarie arbetstid per enhet (enheten själv, inte enheterna under). "
        "Enheter över gränsvärdet (inställning, standard 10 %) markeras för riktad uppföljning."
    ),
    population_sv=SICK_POP,
    unit="%",
    formula="per enhet: Σ sjuktimmar / Σ ordinarie timmar × 100; flagga = värde > gränsvärde",
    source="SKR:s definition av sjukfrånvaro; gränsvärdet 10 % från underlagen (seed 004)",
    value_columns=("numerator", "denominator", "value", "flag"),
    min_group_size=SKR_NOTE_MIN_GROUP,
    higher_is_better=False,
)
def sick_leave_unit(data: HRData, params: Params) -> pl.DataFrame:
    p = params.with_(by=tuple(dict.fromkeys(("unit_id", *params.by))))
    out = _aggregate(year_base(data, p), p, "sick_hours", "scheduled_hours")
    return out.with_columns(flag=pl.col("value") > params.unit_sick_leave_flag)


@register(
    id="sick_leave_short_term",
    name_sv="Korttidssjukfrånvaro (dag 1–14)",
    definition_sv=(
        "Sjukfrånvarotimmar under dag 1–14 av varje sammanhängande sjukperiod, i procent av ordinarie "
        "arbetstid. Timmarna fördelas lika över periodens kalenderdagar inom månaden."
    ),
    population_sv=SICK_POP,
    unit="%",
    formula="Σ sjuktimmar dag 1–14 / Σ ordinarie timmar × 100",
    source="Lokal definition; sjuklöneperioden enligt lag (1991:1047) om sjuklön omfattar dag 1–14",
    value_columns=_SICK_COLS,
    min_group_size=SKR_NOTE_MIN_GROUP,
    higher_is_better=False,
)
def sick_leave_short_term(data: HRData, params: Params) -> pl.DataFrame:
    return _aggregate(year_base(data, params), params, "short_hours", "scheduled_hours")


def sick_days_in_year(data: HRData, year: int) -> pl.DataFrame:
    """Calendar days with sick absence per person in ``year`` (spells are disjoint)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    s = spells(data.absences).filter((pl.col("spell_from") <= end) & (pl.col("spell_to") >= start))
    return (
        s.with_columns(
            days=(
                pl.min_horizontal(pl.col("spell_to"), pl.lit(end)).cast(pl.Int32)
                - pl.max_horizontal(pl.col("spell_from"), pl.lit(start)).cast(pl.Int32)
                + 1
            )
        )
        .group_by(["org_id", "person_id"])
        .agg(pl.col("days").sum().alias("sick_days"))
    )


@register(
    id="frisknarvaro",
    name_sv="Frisknärvaro",
    definition_sv=(
        "Andel anställda med högst X sjukdagar under året (inställning, standard 5). En sjukdag är en "
        "kalenderdag med sjukfrånvaro, också deltid."
    ),
    population_sv=SICK_POP,
    unit="%",
    formula="antal personer med sjukdagar ≤ X / antal personer × 100",
    source="Ingen nationell definition (domain-rules §3); vanlig variant: högst 5 sjukdagar per år",
    value_columns=("healthy", "value"),
    higher_is_better=True,
)
def frisknarvaro(data: HRData, params: Params) -> pl.DataFrame:
    base = year_base(data, params)
    people = base.select("org_id", "person_id", *params.by).unique()
    days = sick_days_in_year(data, params.year)
    people = people.join(days, on=["org_id", "person_id"], how="left").with_columns(
        pl.col("sick_days").fill_null(0)
    )
    keys = ["org_id", *params.by]
    return (
        people.group_by(keys)
        .agg(
            pl.col("person_id").n_unique().cast(pl.Int64).alias("n"),
            (pl.col("sick_days") <= params.frisknarvaro_max_days)
            .sum()
            .cast(pl.Int64)
            .alias("healthy"),
        )
        .with_columns(value=100.0 * pl.col("healthy") / pl.col("n"))
        .sort(keys)
    )


@memoised
def _person_unit(data: HRData, on: date) -> pl.DataFrame:
    # The unit of the person's employment with the highest rate (the first in
    # employment order on a tie); persons in no particular order.
    keys = ["org_id", "person_id"]
    terms = employment_terms(data.employments, on).select(*keys, "rate", "unit_id")
    return (
        grouped_by_hash(terms, keys, ["rate"], [True])
        .filter(key_changes(keys))
        .select(*keys, "unit_id")
    )


@register(
    id="repeated_short_absence",
    name_sv="Upprepad korttidsfrånvaro",
    definition_sv=(
        "Personer med minst N sjukfrånvarotillfällen (sammanhängande sjukperioder) som började under de "
        "senaste M månaderna fram till uttagsdatumet (inställningar, standard 6 tillfällen på 12 månader)."
    ),
    population_sv="Anställda med sjukfrånvaro. Lista på individnivå, endast för närmaste chef och HR.",
    unit="personer",
    formula="antal sjukperioder med startdag i (uttagsdatum − M månader, uttagsdatum] ≥ N",
    source="Lokal rutin för rehabilitering (domain-rules §3)",
    value_columns=("spells",),
    individual=True,
)
def repeated_short_absence(data: HRData, params: Params) -> pl.DataFrame:
    as_of = params.as_of or data.as_of
    window_start = _months_back(as_of, params.repeated_short_absence_months) + timedelta(days=1)
    s = spells(data.absences).filter(
        (pl.col("spell_from") >= window_start) & (pl.col("spell_from") <= as_of)
    )
    out = (
        s.group_by(["org_id", "person_id"])
        .agg(
            pl.len().cast(pl.Int64).alias("spells"),
            pl.col("spell_days").sum().alias("sick_days"),
            pl.col("spell_from").max().alias("latest_spell_from"),
        )
        .filter(pl.col("spells") >= params.repeated_short_absence_spells)
    )
    return out.join(_person_unit(data, as_of), on=["org_id", "person_id"], how="left").sort(
        ["org_id", "unit_id", "person_id"]
    )


def _months_back(d: date, months: int) -> date:
    """The same day ``months`` months earlier (clipped to the month's last day)."""
    y, m0 = divmod(d.year * 12 + d.month - 1 - months, 12)
    return date(y, m0 + 1, min(d.day, calendar.monthrange(y, m0 + 1)[1]))


@register(
    id="rehab_day30",
    name_sv="Sjukperioder som passerat dag 30 (plan för återgång i arbete)",
    definition_sv=(
        "Sjukperioder som nått dag 30 och där arbetsförmågan kan antas vara nedsatt minst 60 dagar: perioden "
        "pågår på uttagsdatumet eller har varat 60 dagar eller mer. Arbetsgivaren ska då ha en plan för "
        "återgång i arbete senast dag 30. Visar perioder vars dag 30 inföll under de senaste 12 månaderna."
    ),
    population_sv="Anställda med sjukfrånvaro. Lista på individnivå, endast för närmaste chef och HR.",
    unit="personer",
    formula="spell_days ≥ 30 och (pågår på uttagsdatum eller spell_days ≥ 60)",
    source="Socialförsäkringsbalken 30 kap. 6 §",
    value_columns=("spell_days",),
    individual=True,
)
def rehab_day30(data: HRData, params: Params) -> pl.DataFrame:
    as_of = params.as_of or data.as_of
    s = spells(data.absences).with_columns(day30=pl.col("spell_from") + pl.duration(days=29))
    s = s.with_columns(
        ongoing=pl.col("spell_to") >= as_of,
        days_so_far=(
            pl.min_horizontal(pl.col("spell_to"), pl.lit(as_of)).cast(pl.Int32)
            - pl.col("spell_from").cast(pl.Int32)
            + 1
        ),
    )
    window_start = _months_back(as_of, 12)
    s = s.filter(
        (pl.col("days_so_far") >= 30)
        & (pl.col("day30") > window_start)
        & (pl.col("day30") <= as_of)
        & (pl.col("ongoing") | (pl.col("spell_days") >= 60))
    )
    return (
        s.select("org_id", "person_id", "spell_from", "spell_to", "spell_days", "day30", "ongoing")
        .join(_person_unit(data, as_of), on=["org_id", "person_id"], how="left")
        .sort(["org_id", "unit_id", "person_id", "spell_from"])
    )
