"""``run_survey``: every step of the pay survey in one call, notices collected.

A step that cannot run (e.g. a singular regression, an invalid job evaluation)
becomes a notice and the other steps still run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

import polars as pl

from hallbar.core.codes import Gender
from hallbar.core.population import MONTHLY_PAID_FORMS
from hallbar.paysurvey.actions import (
    Adjustment,
    FlaggedDifference,
    Scenario,
    flag_differences,
    follow_up,
    remediation_scenarios,
)
from hallbar.paysurvey.comparisons import Comparison, equal_work, equivalent_work, women_dominated
from hallbar.paysurvey.evaluation import JobEvaluation
from hallbar.paysurvey.notices import Notice, PaySurveyError, SmallGroup
from hallbar.paysurvey.oaxaca import DecompositionResult, Reference, oaxaca_blinder
from hallbar.paysurvey.payframe import check_pay_frame, conform_pay_frame
from hallbar.paysurvey.regression import RegressionResult, gender_regression
from hallbar.paysurvey.structure import PayStructure, pay_structure
from hallbar.paysurvey.transparency import TransparencyReport, article9_report


@dataclass(frozen=True)
class SurveyParams:
    min_gender_group: int = 5
    dominance_threshold: float = 0.60
    gap_threshold: float = 0.05
    payroll_overhead: float = 0.4015
    include_supplements: bool = False
    outlier_iqr_factor: float = 3.0
    regression_covariates: tuple[str, ...] = ("age", "tenure_years", "job_value", "employment_form")
    decomposition_covariates: tuple[str, ...] = ("age", "tenure_years", "job_value")
    decomposition_reference: Reference = "pooled"
    scenario_covariates: tuple[str, ...] = ("age", "tenure_years")
    structure_x: str = "age"
    full_time_hours_year: float = 165.0 * 12
    eu_category: str = "band"  # "band" (job value band) or "job"
    headcount: int | None = None
    last_year_adjustments: tuple[Adjustment, ...] = ()

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> SurveyParams:
        """Take the pay-survey settings from a ``hallbar.settings.Settings``-like object."""
        mapping = {
            "min_gender_group": "pay_min_gender_group",
            "dominance_threshold": "gender_dominance_threshold",
            "gap_threshold": "pay_gap_threshold",
            "payroll_overhead": "payroll_overhead",
        }
        values = {k: getattr(settings, v) for k, v in mapping.items() if hasattr(settings, v)}
        values.update(overrides)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True)
class SurveyResult:
    data: pl.DataFrame  # checked pay frame with pay, pay_outlier, job_value, band
    job_values: pl.DataFrame | None
    equal_work: Comparison
    equivalent_work: Comparison | None
    women_dominated: Comparison | None
    regression: RegressionResult | None
    overall_individuals: pl.DataFrame | None  # when the small-group rule stops the regression
    decomposition: DecompositionResult | None
    structure: PayStructure
    flagged: tuple[FlaggedDifference, ...]
    scenarios: dict[str, list[Scenario]]
    follow_up: pl.DataFrame
    transparency: TransparencyReport
    notices: tuple[Notice, ...] = field(default=())


def eu_headcount(frame: pl.DataFrame) -> int:
    """Workers in the frame: each person once, with or without usable pay."""
    return int(frame["person_id"].n_unique()) if frame.height else 0


def eu_rows(
    eu_frame: pl.DataFrame, survey_data: pl.DataFrame, job_values: pl.DataFrame | None
) -> pl.DataFrame:
    """The Art. 9 rows: the checked survey rows plus the frame's other workers (hourly-paid)
    with a known gender and pay of the reference period, with job value and band."""
    extra = eu_frame.join(survey_data.select("person_id"), on="person_id", how="anti")
    if extra.height == 0:
        return survey_data
    extra = conform_pay_frame(extra).filter(
        pl.col("gender").is_in([Gender.WOMAN.value, Gender.MAN.value])
        & (pl.col("period_pay").fill_null(0.0) > 0)
    )
    if job_values is not None:
        extra = extra.join(
            job_values.select("job", pl.col("value").alias("job_value"), "band"),
            on="job",
            how="left",
        )
    extra = extra.with_columns(
        pl.col("monthly_pay").alias("pay"), pl.lit(False).alias("pay_outlier")
    )
    return pl.concat([survey_data, extra], how="diagonal_relaxed")


def _note(step: str, err: PaySurveyError) -> Notice:
    return Notice(type(err).__name__, str(err), step=step)


def run_survey(
    frame: pl.DataFrame,
    evaluation: JobEvaluation | None = None,
    params: SurveyParams | None = None,
) -> SurveyResult:
    p = params or SurveyParams()
    # The EU Art. 9 report covers every worker with a contract (hourly-paid too, when the
    # frame has them: ``pay_frame_from_hrdata(include_hourly=True)``); the pay survey
    # under the Discrimination Act covers the monthly-paid rows.
    eu_frame = frame
    if "employment_form" in frame.columns:
        frame = frame.filter(
            pl.col("employment_form").is_null()
            | pl.col("employment_form").is_in(MONTHLY_PAID_FORMS)
        )
    data, notices = check_pay_frame(
        frame, include_supplements=p.include_supplements, outlier_iqr_factor=p.outlier_iqr_factor
    )
    job_values: pl.DataFrame | None = None
    if evaluation is not None:
        try:
            job_values = evaluation.job_values()
        except PaySurveyError as err:
            notices.append(_note("arbetsvardering", err))
    if job_values is not None:
        data = data.join(
            job_values.select("job", pl.col("value").alias("job_value"), "band"),
            on="job",
            how="left",
        )
        unvalued = data.filter(pl.col("job_value").is_null())["job"].unique().sort()
        if unvalued.len():
            shown = ", ".join(unvalued.head(10).to_list())
            notices.append(
                Notice(
                    "job_without_evaluation",
                    f"{unvalued.len()} befattningar saknar arbetsvärdering ({shown}"
                    f"{' …' if unvalued.len() > 10 else ''}) och är inte med i jämförelserna av "
                    "likvärdigt arbete. Värdera dem i arbetsvärderingen.",
                    step="arbetsvardering",
                )
            )
    else:
        data = data.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("job_value"),
            pl.lit(None, dtype=pl.Int64).alias("band"),
        )
        notices.append(
            Notice(
                "no_evaluation",
                "Ingen giltig arbetsvärdering finns, så likvärdigt arbete och kvinnodominerade "
                "arbeten kan inte jämföras. Gör arbetsvärderingen först.",
                step="arbetsvardering",
            )
        )

    eq = equal_work(data, p.min_gender_group)
    equiv = wd = None
    if job_values is not None:
        equiv = equivalent_work(data, job_values, p.min_gender_group)
        wd = women_dominated(data, job_values, p.dominance_threshold)
    for comp in (eq, equiv, wd):
        if comp is not None:
            notices.extend(comp.notices)

    valued = data.filter(pl.col("job_value").is_not_null()) if job_values is not None else data
    have = [
        c
        for c in p.regression_covariates
        if c in data.columns and data[c].null_count() < data.height
    ]
    regression = overall_individuals = None
    try:
        regression = gender_regression(
            valued if "job_value" in have else data, have, min_group=p.min_gender_group
        )
        notices.extend(regression.notices)
    except SmallGroup as err:
        notices.append(_note("regression", err))
        overall_individuals = data.with_columns(
            pl.col("pay").median().alias("group_median")
        ).select(
            "person_id",
            "gender",
            "job",
            "pay",
            "group_median",
            (pl.col("pay") - pl.col("group_median")).alias("diff_from_median_kr"),
        )
    except PaySurveyError as err:
        notices.append(_note("regression", err))

    decomposition = None
    dcovs = [
        c
        for c in p.decomposition_covariates
        if c in data.columns and data[c].null_count() < data.height
    ]
    try:
        dec_data = (valued if "job_value" in dcovs else data).with_columns(
            pl.col("pay").log().alias("log_pay")
        )
        decomposition = oaxaca_blinder(
            dec_data, "log_pay", "gender", dcovs, reference=p.decomposition_reference, group_a="M"
        )
    except PaySurveyError as err:
        notices.append(_note("oaxaca", err))

    structure = pay_structure(data, p.structure_x)
    flagged = flag_differences(*(c for c in (eq, equiv, wd) if c is not None))

    scenarios: dict[str, list[Scenario]] = {}
    tested = eq.table.frame.filter(pl.col("tested") & (pl.col("diff_kr") > 0))["job"].to_list()
    by_job = data.partition_by("job", as_dict=True) if tested else {}
    for job in tested:
        try:
            scenarios[job] = remediation_scenarios(
                by_job[(job,)], list(p.scenario_covariates), p.payroll_overhead
            )
        except PaySurveyError as err:
            notices.append(replace(_note("scenarier", err), subject=job))

    fu = follow_up(list(p.last_year_adjustments), data)
    category = "band" if p.eu_category == "band" and job_values is not None else "job"
    transparency = article9_report(
        eu_rows(eu_frame, data, job_values),
        category,
        full_time_hours_year=p.full_time_hours_year,
        gap_threshold=p.gap_threshold,
        # Every worker with a contract counts for the reporting threshold and cycle.
        headcount=p.headcount if p.headcount is not None else eu_headcount(eu_frame),
    )
    notices.extend(transparency.notices)
    return SurveyResult(
        data=data,
        job_values=job_values,
        equal_work=eq,
        equivalent_work=equiv,
        women_dominated=wd,
        regression=regression,
        overall_individuals=overall_individuals,
        decomposition=decomposition,
        structure=structure,
        flagged=tuple(flagged),
        scenarios=scenarios,
        follow_up=fu,
        transparency=transparency,
        notices=tuple(notices),
    )
