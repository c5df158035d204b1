"""What each pay-survey page shows: evaluation, comparisons, statistics, structure, EU report.

Aggregate tables are small-group suppressed for every role
(``tables.suppress_small``); person-level comparisons are only
returned to HR and administrators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource, may
from hallbar.core.describe import Description, FigureTable
from hallbar.core.population import EMPLOYED, MONTHLY_PAID, PopulationCount
from hallbar.paysurvey import EvaluationModel, JobEvaluation, Notice, oaxaca_blinder
from hallbar.paysurvey.comparisons import JOB_PAIR_DESCRIPTION, STATS_DESCRIPTION
from hallbar.paysurvey.evaluation import CRITERIA
from hallbar.paysurvey.labels import reference_label_sv, term_label_sv
from hallbar.paysurvey.notices import PaySurveyError
from hallbar.paysurvey.oaxaca import REFERENCES, DecompositionResult
from hallbar.paysurvey.regression import RegressionResult
from hallbar.paysurvey.transparency import KeyFigure
from hallbar.privacy.suppression import SuppressionRule
from hallbar.services.access import require_org
from hallbar.services.paysurvey.survey import (
    Computed,
    SurveyInfo,
    compute,
    jobs_in_data,
    load_stored,
)
from hallbar.services.paysurvey.tables import page_of, present, suppress_small
from hallbar.services.twin import ScopedCount

# Employees in a pay survey: monthly-paid staff with an employment on the survey date.
PAY_POPULATION = MONTHLY_PAID
# The EU Art. 9 report: every worker with a contract on the survey date, hourly-paid included.
EU_POPULATION = EMPLOYED

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

PER_PAGE = 50
MODEL_DESCRIPTION = Description(
    id="evaluation_model",
    name_sv="Arbetsvärde",
    definition_sv=(
        "Arbetsvärde 0–1000 = 1000 × Σ (vikt/100) × (nivå − 1)/(antal nivåer − 1) över "
        "delfaktorerna under lagens fyra kriterier (kunskaper och färdigheter, ansvar, "
        "ansträngning, arbetsförhållanden). Värdenivå = 1 + antal brytpunkter ≤ värdet."
    ),
    population_sv="Befattningar i löneunderlaget.",
    unit="poäng",
    source="Diskrimineringslagen 3 kap. 8–9 §; Hållbars standardmodell",
)


def _rule(hb: Hallbar) -> SuppressionRule:
    return SuppressionRule(hb.settings.min_group_size)


def notices_for(c: Computed, *steps: str) -> tuple[Notice, ...]:
    return tuple(n for n in c.result.notices if not steps or n.step in steps)


# --- evaluation ----------------------------------------------------------------------


@dataclass(frozen=True)
class GridRow:
    job: str
    n: int | None  # None: suppressed
    levels: dict[str, int]
    value: float | None
    band_label: str | None


@dataclass(frozen=True)
class EvaluationView:
    survey: SurveyInfo
    model: EvaluationModel
    criteria: tuple[tuple[str, str, float], ...]  # key, label, weight
    breakpoints: str
    rows: tuple[GridRow, ...]
    n_scored: int
    problems: tuple[str, ...]
    may_edit: bool
    description: Description = MODEL_DESCRIPTION


def evaluation_view(hb: Hallbar, principal: Principal, org_id: str, year: int) -> EvaluationView:
    require_org(principal, org_id, Resource.PAY_EVALUATION)
    stored = load_stored(hb, org_id, year)
    jobs = jobs_in_data(hb, stored.info)
    ev = JobEvaluation(stored.model, stored.scores, stored.breakpoints)
    problems = tuple(str(p) for p in ev.problems())
    values: dict[str, tuple[float, str]] = {}
    if not problems and stored.scores:
        for r in ev.job_values().iter_rows(named=True):
            values[r["job"]] = (r["value"], r["band_label"])
    min_n = hb.settings.min_group_size
    hr = may(principal, Resource.PAY_EDIT)
    rows = tuple(
        GridRow(
            job,
            n if hr or n >= min_n else None,
            stored.scores.get(job, {}),
            values.get(job, (None, None))[0],
            values.get(job, (None, None))[1],
        )
        for job, n in jobs.iter_rows()
    )
    weights = stored.model.criterion_weights()
    return EvaluationView(
        stored.info,
        stored.model,
        tuple((k, v, weights[k]) for k, v in CRITERIA.items()),
        " ".join(f"{b:g}" for b in stored.breakpoints),
        rows,
        sum(1 for r in rows if r.levels),
        problems,
        hr,
    )


# --- comparisons -------------------------------------------------------------------

EQUAL_COLS = (
    "job",
    "n_women",
    "n_men",
    "mean_women",
    "mean_men",
    "median_women",
    "median_men",
    "women_pct_of_men_mean",
    "diff_kr",
    "p_value",
)
EQUIV_COLS = ("band_label", *EQUAL_COLS[1:])
WD_COLS = (
    "comparison",
    "job",
    "value",
    "n",
    "mean_pay",
    "job_other",
    "value_other",
    "n_other",
    "mean_pay_other",
    "pct_of_other_mean",
    "diff_kr",
)
# table id: (columns, the description of the comparison)
COMPARISON_TABLES: dict[str, tuple[tuple[str, ...], Description]] = {
    "lika_arbete": (EQUAL_COLS, STATS_DESCRIPTION),
    "likvardigt_arbete": (EQUIV_COLS, STATS_DESCRIPTION),
    "kvinnodominerat": (WD_COLS, JOB_PAIR_DESCRIPTION),
}


def comparison_table(
    table_id: str, frame: pl.DataFrame, title: str, rule: SuppressionRule, *notes: str
) -> FigureTable:
    """A comparison table (``frame`` already suppressed) for the page and the document alike."""
    cols, description = COMPARISON_TABLES[table_id]
    small = f"Grupper med färre än {rule.min_n} kvinnor eller män visas inte (..)."
    return present(
        frame, cols, id=table_id, title=title, main=(description,), notes=(small, *notes)
    )


@dataclass(frozen=True)
class Paged:
    table: FigureTable
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class ComparisonsView:
    survey: SurveyInfo
    org_name: str
    equal: Paged
    equivalent: FigureTable | None
    women_dominated: Paged | None
    individuals: FigureTable | None  # HR only
    bands: tuple[tuple[int, str], ...]
    band: int | None
    only_gaps: bool
    sort: str
    notices: tuple[Notice, ...]


def _paged(
    frame: pl.DataFrame, page: int, table_id: str, title: str, rule: SuppressionRule
) -> Paged:
    rows, shown, pages = page_of(frame, page, PER_PAGE)
    return Paged(comparison_table(table_id, rows, title, rule), shown, pages, frame.height)


def _filtered(frame: pl.DataFrame, band: int | None, only_gaps: bool, sort: str) -> pl.DataFrame:
    if band is not None and "band" in frame.columns:
        frame = frame.filter(pl.col("band") == band)
    if only_gaps and "diff_kr" in frame.columns:
        frame = frame.filter(pl.col("diff_kr") > 0)
    if sort == "gap" and "diff_kr" in frame.columns:
        return frame.sort("diff_kr", descending=True, nulls_last=True)
    return frame


def comparisons_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    year: int,
    *,
    band: int | None = None,
    only_gaps: bool = False,
    sort: str = "gap",
    page: int = 1,
    wd_page: int = 1,
) -> ComparisonsView:
    c = compute(hb, principal, org_id, year, Resource.PAY_COMPARISONS)
    rule = _rule(hb)
    res = c.result
    eq = res.equal_work.table.frame
    if res.job_values is not None:
        eq = eq.join(res.job_values.select("job", "band"), on="job", how="left")
    eq = suppress_small(_filtered(eq, band, only_gaps, sort), rule)
    equal = _paged(eq, page, "lika_arbete", res.equal_work.table.title_sv, rule)
    equivalent = None
    if res.equivalent_work is not None:
        ev = suppress_small(_filtered(res.equivalent_work.table.frame, band, False, "band"), rule)
        title = res.equivalent_work.table.title_sv
        equivalent = comparison_table("likvardigt_arbete", ev, title, rule)
    wd_paged = None
    if res.women_dominated is not None:
        wd = _filtered(res.women_dominated.table.frame, band, only_gaps, sort)
        wd = suppress_small(wd, rule, count_cols=("n", "n_other"))
        wd_paged = _paged(wd, wd_page, "kvinnodominerat", res.women_dominated.table.title_sv, rule)
    individuals = None
    if may(principal, Resource.PAY_INDIVIDUALS) and res.equal_work.individuals.height:
        ind = res.equal_work.individuals
        individuals = FigureTable(
            "individuell_jamforelse",
            "Individuell jämförelse i små grupper (lön mot gruppens median)",
            ind.select(
                pl.col("job").alias("Befattning"),
                pl.col("gender").alias("Kön"),
                pl.col("age").alias("Ålder"),
                pl.col("pay").alias("Lön (kr)"),
                pl.col("group_median").alias("Gruppens median (kr)"),
                pl.col("diff_from_median_kr").alias("Skillnad mot median (kr)"),
            ),
            (STATS_DESCRIPTION,),
            ("Visas bara för HR. Personerna visas utan namn och id.",),
        )
    bands: tuple[tuple[int, str], ...] = ()
    if res.job_values is not None:
        b = res.job_values.select("band", "band_label").unique().sort("band")
        bands = tuple((int(r[0]), str(r[1])) for r in b.iter_rows())
    return ComparisonsView(
        c.stored.info,
        c.org_name,
        equal,
        equivalent,
        wd_paged,
        individuals,
        bands,
        band,
        only_gaps,
        sort,
        notices_for(
            c, "lika_arbete", "likvardigt_arbete", "kvinnodominerat", "arbetsvardering", "underlag"
        ),
    )


# --- statistics --------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsView:
    survey: SurveyInfo
    org_name: str
    regression: RegressionResult | None
    decomposition: DecompositionResult | None
    decomposition_error: str | None
    reference: str
    references: tuple[tuple[str, str], ...]
    detail: FigureTable | None
    notices: tuple[Notice, ...]

    @property
    def terms_sv(self) -> tuple[str, ...]:
        """The regression's factors in Swedish (``hallbar.paysurvey.labels``)."""
        return self.regression.terms_sv if self.regression is not None else ()


def statistics_view(
    hb: Hallbar, principal: Principal, org_id: str, year: int, reference: str = "pooled"
) -> StatisticsView:
    c = compute(hb, principal, org_id, year, Resource.PAY_STATISTICS)
    if reference not in REFERENCES:
        reference = "pooled"
    data = c.result.data
    covs = [
        v
        for v in c.params.decomposition_covariates
        if v in data.columns and data[v].null_count() < data.height
    ]
    if "job_value" in covs:
        data = data.filter(pl.col("job_value").is_not_null())
    dec: DecompositionResult | None = None
    error = None
    try:
        dec = oaxaca_blinder(
            data.with_columns(pl.col("pay").log().alias("log_pay")),
            "log_pay",
            "gender",
            covs,
            reference=reference,  # type: ignore[arg-type]  # checked against REFERENCES
            group_a="M",
        )
    except PaySurveyError as err:
        error = str(err)
    detail = None
    if dec is not None:
        t = dec.three_fold
        rows = [
            {
                "term": term_label_sv(term, capital=True),
                "explained": dec.explained_detail.get(term),
                "unexplained": dec.unexplained_detail.get(term),
                "endowments": t.endowments_detail.get(term),
                "coefficients": t.coefficients_detail.get(term),
                "interaction": t.interaction_detail.get(term),
            }
            for term in dec.terms
        ]
        rows.append(
            {
                "term": "Totalt",
                "explained": dec.explained,
                "unexplained": dec.unexplained,
                "endowments": t.endowments,
                "coefficients": t.coefficients,
                "interaction": t.interaction,
            }
        )
        labels = {
            "explained": (
                "Förklarad",
                "den del av skillnaden som beror på att kvinnor och män "
                "har olika värden på faktorn (x̄män − x̄kvinnor) × β*.",
            ),
            "unexplained": (
                "Oförklarad",
                "den del som beror på att faktorn värderas olika för "
                "kvinnor och män (skillnad i koefficienter mot referensen β*).",
            ),
            "endowments": ("Egenskaper (trefaldig)", "(x̄män − x̄kvinnor) × βkvinnor."),
            "coefficients": ("Koefficienter (trefaldig)", "x̄kvinnor × (βmän − βkvinnor)."),
            "interaction": ("Interaktion (trefaldig)", "(x̄män − x̄kvinnor) × (βmän − βkvinnor)."),
        }
        frame = pl.DataFrame(rows).select(
            pl.col("term").alias("Faktor"),
            *[(pl.col(k) * 100).alias(label) for k, (label, _) in labels.items()],
        )
        column_descs = tuple(
            Description(
                id=label,
                name_sv=label,
                definition_sv="100 × skillnad i logaritmerad lön (ungefär procent av lönen): "
                + text,
                population_sv="Anställda med månadslön och värden för alla faktorer.",
                unit="%",
                source="Oaxaca (1973), Blinder (1973); statsmodels OaxacaBlinder",
            )
            for label, text in labels.values()
        )
        detail = FigureTable(
            "oaxaca_detalj",
            "Oaxaca–Blinder: uppdelning per faktor (100 × log-lön ≈ procent)",
            frame,
            (dec.description, *column_descs),
        )
    return StatisticsView(
        c.stored.info,
        c.org_name,
        c.result.regression,
        dec,
        error,
        reference,
        tuple((ref, reference_label_sv(ref, capital=True)) for ref in REFERENCES),
        detail,
        notices_for(c, "regression", "oaxaca"),
    )


# --- EU Pay Transparency ---------------------------------------------------------------


@dataclass(frozen=True)
class TransparencyView:
    survey: SurveyInfo
    org_name: str
    figures: tuple[KeyFigure, ...]
    quartiles: FigureTable
    categories: FigureTable
    headcount: int
    reporting_sv: str
    n_flagged: int
    notices: tuple[Notice, ...]
    counts: tuple[ScopedCount, ...] = ()  # whom ``headcount`` counts


def transparency_view(
    hb: Hallbar, principal: Principal, org_id: str, year: int
) -> TransparencyView:
    c = compute(hb, principal, org_id, year, Resource.PAY_TRANSPARENCY)
    return transparency_of(c, _rule(hb))


def transparency_of(c: Computed, rule: SuppressionRule) -> TransparencyView:
    tr = c.result.transparency
    q = suppress_small(
        tr.quartiles,
        rule,
        count_cols=("n_women", "n_men"),
        value_cols=["share_women", "share_men", "min_hourly", "max_hourly"],
    )
    quart = FigureTable(
        "kvartiler",
        "Andel kvinnor och män i varje kvartil (timlön)",
        q.select(
            pl.col("band").cast(pl.String).alias("Kvartil"),
            pl.col("n").alias("Antal"),
            pl.col("n_women").alias("Antal kvinnor"),
            pl.col("n_men").alias("Antal män"),
            pl.col("share_women").alias("Andel kvinnor (%)"),
            pl.col("share_men").alias("Andel män (%)"),
            "suppressed",
            "suppression_reason",
        ),
        tuple(f.description for f in tr.figures[:1]),
        ("Kvartil 1 = de 25 % med lägst timlön.",),
    )
    cats = tr.categories.with_columns(pl.col("category").cast(pl.String))
    cats = suppress_small(cats, rule, value_cols=["gap_pct", "base_gap_pct", "variable_gap_pct"])
    cat = FigureTable(
        "kategorier",
        "Löneskillnad per kategori av arbetstagare",
        cats.select(
            pl.col("category").alias("Kategori"),
            pl.col("n_women").alias("Antal kvinnor"),
            pl.col("n_men").alias("Antal män"),
            pl.col("gap_pct").alias("Skillnad timlön (%)"),
            pl.col("base_gap_pct").alias("Skillnad grundlön (%)"),
            pl.col("variable_gap_pct").alias("Skillnad rörlig lön (%)"),
            pl.when(pl.col("suppressed"))
            .then(pl.lit(None, pl.String))
            .when(pl.col("joint_assessment"))
            .then(pl.lit("Ja"))
            .otherwise(pl.lit("Nej"))
            .alias("Gemensam lönebedömning"),
            "suppressed",
            "suppression_reason",
        ),
        (tr.category_description,) if tr.category_description else (),
    )
    return TransparencyView(
        c.stored.info,
        c.org_name,
        tr.figures,
        quart,
        cat,
        tr.headcount,
        tr.reporting_sv,
        int(tr.categories["joint_assessment"].sum()),
        tuple(tr.notices),
        (ScopedCount(PopulationCount(EU_POPULATION, c.stored.info.survey_date, tr.headcount)),),
    )


def counted(c: Computed, n: int) -> ScopedCount:
    """The survey's employees: MONTHLY_PAID on the survey date (``paysurvey.payframe``)."""
    return ScopedCount(PopulationCount(PAY_POPULATION, c.stored.info.survey_date, n))


def today() -> date:
    return date.today()


@dataclass(frozen=True)
class Progress:
    """How far the survey has come (shown on the overview)."""

    n_employees: int
    n_jobs: int
    n_scored: int
    n_flagged: int
    n_decided: int
    notices: tuple[Notice, ...]
    counts: tuple[ScopedCount, ...] = ()  # whom ``n_employees`` counts


def progress(hb: Hallbar, principal: Principal, org_id: str, year: int) -> Progress:
    c = compute(hb, principal, org_id, year, Resource.PAY_COMPARISONS)
    flagged = {f.id for f in c.result.flagged}
    return Progress(
        c.result.data.height,
        c.result.data["job"].n_unique(),
        sum(1 for j in c.stored.scores if j in set(c.result.data["job"].to_list())),
        len(flagged),
        sum(1 for a in c.stored.actions if a.difference_id in flagged),
        c.result.notices,
        (counted(c, c.result.data.height),),
    )
