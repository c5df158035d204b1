"""EU Pay Transparency Directive (EU) 2023/970, Article 9 indicators.

Population: every worker with an employment contract on the reference date,
hourly-paid included (``hallbar.core.population.EMPLOYED``); the headcount that
decides the reporting cycle counts them all (domain-rules §5).

Pay per employee (all amounts gross, SEK). Hourly pay is the pay of a period
divided by the hours of the same period, never an annualised pay divided by
part-year hours (domain-rules §5):
  with the reference period's pay (``period_pay``, ``period_hours`` from HRData):
    annual               = period_pay (the pay of the reference year as paid)
    base_annual          = period_base_pay; complementary = annual − base
    hours                = period_hours (ordinary + additional + overtime hours)
  otherwise (a pay frame without them), from the contract over 12 months:
    base_annual          = monthly_pay × rate/100 × 12
    complementary_annual = supplements × rate/100 × 12 + variable_pay
    hours                = annual_hours (contracted hours over 12 months) when
                           present and > 0, else rate/100 × full_time_hours_year
                           (default 165 h × 12 = 1 980 h)
  hourly = annual / hours (likewise base and complementary per hour)
A part-year starter and a full-year worker on the same contract get the same
hourly pay; their annual pay differs.
Gap = (men − women) / men, in percent, for means and medians.
Variable (complementary) pay gap: among employees who receive it (> 0).
Quartile pay bands (UK method, SI 2017/172 reg. 13): everyone ranked by hourly
pay and cut by rank i (0-based) of n into band = ⌊4i/n⌋ + 1, so the bands differ
in size by at most one. Workers on the same hourly pay who fall in more than one
band are spread so that each of those bands gets the tied group's own mix of
women and men (reg. 13(2)): a band holding c of a tied group of g with w women
gets w × c / g women, rounded to whole persons by the largest remainder (the
lower band first on equal remainders).
Category gap (Article 9(1)(g)): mean hourly pay gap per category (job value band
or job), and its split into base and complementary pay (means over all
employees in the category). |gap| ≥ threshold (5 %) with both genders present
flags the category for a joint pay assessment (Article 10).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from hallbar.core.describe import Description
from hallbar.paysurvey.notices import Notice

SOURCE = "Europaparlamentets och rådets direktiv (EU) 2023/970, artikel 9"


@dataclass(frozen=True)
class KeyFigure:
    id: str
    value: float | None
    description: Description


@dataclass(frozen=True)
class TransparencyReport:
    figures: tuple[KeyFigure, ...]
    quartiles: (
        pl.DataFrame
    )  # band, n, n_women, n_men, share_women, share_men, min_hourly, max_hourly
    categories: (
        pl.DataFrame
    )  # category, n_women, n_men, gap_pct, base_gap_pct, variable_gap_pct, joint_assessment
    headcount: int
    reporting_sv: str
    notices: tuple[Notice, ...] = field(default=())
    category_description: Description | None = None

    def figure(self, id_: str) -> float | None:
        return next(f.value for f in self.figures if f.id == id_)


POPULATION_SV = (
    "Alla arbetstagare med ett anställningsavtal på referensdagen, timavlönade inräknade."
)


def _desc(id_: str, name: str, definition: str, unit: str = "%") -> Description:
    return Description(
        id=id_,
        name_sv=name,
        definition_sv=definition,
        population_sv=POPULATION_SV,
        unit=unit,
        source=SOURCE,
    )


GAP_TEXT = "(mäns − kvinnors) / mäns, i procent."


@dataclass(frozen=True)
class ReportingCycle:
    """Art. 9(2)-(4): from ``min_headcount`` workers, a report by 7 June ``first_year`` and
    then every ``every_years`` years."""

    min_headcount: int
    first_year: int
    every_years: int
    text_sv: str


# Largest size class first: the first class a headcount reaches is its cycle.
REPORTING_CYCLES: tuple[ReportingCycle, ...] = (
    ReportingCycle(
        min_headcount=250,
        first_year=2027,
        every_years=1,
        text_sv="250 eller fler anställda: rapportering varje år, första gången 2027 (för 2026).",
    ),
    ReportingCycle(
        min_headcount=150,
        first_year=2027,
        every_years=3,
        text_sv="150–249 anställda: rapportering vart tredje år, första gången 2027 (för 2026).",
    ),
    ReportingCycle(
        min_headcount=100,
        first_year=2031,
        every_years=3,
        text_sv="100–149 anställda: rapportering vart tredje år, första gången 2031 (för 2030).",
    ),
)


def cycle_for(headcount: int) -> ReportingCycle | None:
    """The reporting cycle of a headcount; None below 100 workers (no duty under Art. 9)."""
    return next((c for c in REPORTING_CYCLES if headcount >= c.min_headcount), None)


def reporting_cycle(headcount: int) -> str:
    cycle = cycle_for(headcount)
    if cycle is None:
        return "Färre än 100 anställda: ingen rapporteringsskyldighet enligt artikel 9."
    return cycle.text_sv


def _gap(men: float | None, women: float | None) -> float | None:
    if men is None or women is None or men == 0:
        return None
    return 100.0 * (men - women) / men


def with_pay_measures(frame: pl.DataFrame, full_time_hours_year: float = 1980.0) -> pl.DataFrame:
    """Annual and hourly pay per employee (the rule in the module docstring)."""
    share = pl.col("rate") / 100.0
    has_period = (
        pl.col("period_pay").is_not_null()
        & pl.col("period_hours").is_not_null()
        & (pl.col("period_hours") > 0)
    )
    contract_hours = (
        pl.when(pl.col("annual_hours").is_not_null() & (pl.col("annual_hours") > 0))
        .then(pl.col("annual_hours"))
        .otherwise(share * full_time_hours_year)
    )
    for name in ("period_pay", "period_base_pay", "period_hours", "annual_hours"):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    return (
        frame.with_columns(
            pl.when(has_period)
            .then(pl.col("period_base_pay").fill_null(0.0))
            .otherwise(pl.col("monthly_pay") * share * 12.0)
            .alias("base_annual"),
            pl.when(has_period)
            .then(pl.col("period_pay") - pl.col("period_base_pay").fill_null(0.0))
            .otherwise(pl.col("supplements") * share * 12.0 + pl.col("variable_pay"))
            .alias("complementary_annual"),
            pl.when(has_period)
            .then(pl.col("period_hours"))
            .otherwise(contract_hours)
            .alias("hours"),
        )
        .with_columns(
            (pl.col("base_annual") + pl.col("complementary_annual")).alias("annual"),
        )
        .with_columns(
            (pl.col("annual") / pl.col("hours")).alias("hourly"),
            (pl.col("base_annual") / pl.col("hours")).alias("base_hourly"),
            (pl.col("complementary_annual") / pl.col("hours")).alias("complementary_hourly"),
        )
    )


def quartile_bands(d: pl.DataFrame) -> pl.DataFrame:
    """Quartile pay bands by hourly pay, ties spread by the UK method (SI 2017/172 reg. 13).

    Columns: band, n, n_women, n_men, share_women, share_men, min_hourly, max_hourly.
    """
    n = d.height
    ranked = (
        d.select("hourly", "gender")
        .sort("hourly")
        .with_columns(((pl.int_range(pl.len()) * 4) // max(n, 1) + 1).alias("band"))
    )
    # One row per tied group (same hourly pay) and band it reaches: c of its g persons.
    ties = (
        ranked.group_by("hourly", "band")
        .agg(pl.len().cast(pl.Int64).alias("c"))
        .join(
            ranked.group_by("hourly").agg(
                pl.len().cast(pl.Int64).alias("g"),
                (pl.col("gender") == "K").sum().cast(pl.Int64).alias("w"),
            ),
            on="hourly",
        )
        .sort("hourly", "band")
    )
    # Women per band ∝ c: w·c/g, whole persons by the largest remainder (integer arithmetic).
    ties = ties.with_columns(
        (pl.col("w") * pl.col("c") // pl.col("g")).alias("_floor"),
        (pl.col("w") * pl.col("c") % pl.col("g")).alias("_rem"),
    ).with_columns(
        (pl.col("w") - pl.col("_floor").sum().over("hourly")).alias("_extra"),
        pl.struct((-pl.col("_rem")).alias("r"), pl.col("band"))
        .rank("ordinal")
        .over("hourly")
        .alias("_order"),
    )
    ties = ties.with_columns(
        (pl.col("_floor") + (pl.col("_order") <= pl.col("_extra")).cast(pl.Int64)).alias("n_women")
    )
    return (
        ties.group_by("band")
        .agg(
            pl.col("c").sum().alias("n"),
            pl.col("n_women").sum(),
            pl.col("hourly").min().alias("min_hourly"),
            pl.col("hourly").max().alias("max_hourly"),
        )
        .with_columns((pl.col("n") - pl.col("n_women")).alias("n_men"))
        .with_columns(
            (100.0 * pl.col("n_women") / pl.col("n")).alias("share_women"),
            (100.0 * pl.col("n_men") / pl.col("n")).alias("share_men"),
        )
        .select(
            "band",
            "n",
            "n_women",
            "n_men",
            "min_hourly",
            "max_hourly",
            "share_women",
            "share_men",
        )
        .sort("band")
    )


def _by_gender(frame: pl.DataFrame, col: str, agg: str) -> tuple[float | None, float | None]:
    out = []
    for g in ("M", "K"):
        s = frame.filter(pl.col("gender") == g)[col]
        v = s.mean() if agg == "mean" else s.median()
        out.append(None if v is None else float(v))  # type: ignore[arg-type]
    return out[0], out[1]


def article9_report(
    frame: pl.DataFrame,
    category: str = "job",
    *,
    full_time_hours_year: float = 1980.0,
    gap_threshold: float = 0.05,
    headcount: int | None = None,
) -> TransparencyReport:
    """Article 9 indicators from a checked pay frame (see ``check_pay_frame``)."""
    # A worker whose hourly pay cannot be computed (no pay, no hours) is left out.
    d = with_pay_measures(frame, full_time_hours_year).filter(
        pl.col("hourly").is_not_null() & pl.col("hourly").is_finite()
    )
    figures: list[KeyFigure] = []
    notices: list[Notice] = []
    for measure, label in (("annual", "årslön"), ("hourly", "timlön")):
        for agg, agg_label in (("mean", "medelvärde"), ("median", "median")):
            men, women = _by_gender(d, measure, agg)
            figures.append(
                KeyFigure(
                    f"gap_{agg}_{measure}",
                    _gap(men, women),
                    _desc(
                        f"gap_{agg}_{measure}",
                        f"Löneskillnad mellan könen, {agg_label}, {label}",
                        f"Skillnad i {agg_label} av brutto{label} (grundlön, tillägg och rörlig lön): "
                        + GAP_TEXT,
                    ),
                )
            )
    recipients = d.filter(pl.col("complementary_annual") > 0)
    for agg, agg_label in (("mean", "medelvärde"), ("median", "median")):
        men, women = _by_gender(recipients, "complementary_annual", agg)
        figures.append(
            KeyFigure(
                f"variable_gap_{agg}",
                _gap(men, women),
                _desc(
                    f"variable_gap_{agg}",
                    f"Löneskillnad i kompletterande och rörlig lön, {agg_label}",
                    f"Skillnad i {agg_label} av tillägg och rörlig lön per år bland dem som får "
                    "sådan lön: " + GAP_TEXT,
                ),
            )
        )
    for g, label in (("K", "kvinnor"), ("M", "män")):
        total = d.filter(pl.col("gender") == g).height
        got = recipients.filter(pl.col("gender") == g).height
        figures.append(
            KeyFigure(
                f"share_variable_{'women' if g == 'K' else 'men'}",
                100.0 * got / total if total else None,
                _desc(
                    f"share_variable_{'women' if g == 'K' else 'men'}",
                    f"Andel {label} som får kompletterande eller rörlig lön",
                    f"Antal {label} med tillägg eller rörlig lön under året / alla {label}, i procent.",
                ),
            )
        )
    quart = quartile_bands(d)

    def mean_gap(col: str) -> pl.Expr:
        men = pl.col(col).filter(pl.col("gender") == "M").mean()
        women = pl.col(col).filter(pl.col("gender") == "K").mean()
        return pl.when(men > 0).then(100.0 * (men - women) / men)

    cats = (
        d.group_by(category)
        .agg(
            (pl.col("gender") == "K").sum().cast(pl.Int64).alias("n_women"),
            (pl.col("gender") == "M").sum().cast(pl.Int64).alias("n_men"),
            mean_gap("hourly").alias("gap_pct"),
            mean_gap("base_hourly").alias("base_gap_pct"),
            mean_gap("complementary_hourly").alias("variable_gap_pct"),
        )
        .with_columns(
            (
                pl.col("gap_pct").is_not_null()
                & (pl.col("n_women") > 0)
                & (pl.col("gap_pct").abs() >= 100.0 * gap_threshold)
            ).alias("joint_assessment")
        )
        .rename({category: "category"})
        .sort("category")
    )
    flagged = cats.filter(pl.col("joint_assessment"))
    if flagged.height:
        notices.append(
            Notice(
                "joint_pay_assessment",
                f"{flagged.height} kategorier av arbetstagare har en genomsnittlig löneskillnad på "
                f"minst {gap_threshold * 100:.0f} %. Om skillnaden inte kan motiveras med objektiva, "
                "könsneutrala kriterier och inte åtgärdas inom sex månader krävs en gemensam "
                "lönebedömning med arbetstagarnas företrädare (artikel 10).",
                step="eu_rapport",
            )
        )
    headcount = d.height if headcount is None else headcount
    return TransparencyReport(
        figures=tuple(figures),
        quartiles=quart,
        categories=cats,
        headcount=headcount,
        reporting_sv=reporting_cycle(headcount),
        notices=tuple(notices),
        category_description=_desc(
            "category_gap",
            "Löneskillnad per kategori av arbetstagare",
            "Skillnad i genomsnittlig timlön per kategori: " + GAP_TEXT + " Delas upp på grundlön "
            "och kompletterande/rörlig lön (medelvärden över alla i kategorin). Kategorier med "
            f"minst {gap_threshold * 100:.0f} % skillnad markeras för gemensam lönebedömning.",
        ),
    )
