from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from hallbar.core.dataset import HRData
from hallbar.paysurvey.actions import Adjustment, TimetableStep
from hallbar.paysurvey.evaluation import EvaluationModel, JobEvaluation
from hallbar.paysurvey.payframe import check_pay_frame, pay_frame_from_hrdata
from hallbar.paysurvey.survey import SurveyParams, run_survey
from hallbar.settings import Settings


def test_pay_frame_from_hrdata_hand_computed() -> None:
    persons = pl.DataFrame(
        {
            "org_id": ["1"] * 3,
            "person_id": ["a", "b", "c"],
            "birth_date": [date(1980, 6, 1), date(1990, 1, 1), date(1970, 1, 1)],
            "gender": ["K", "M", "K"],
        }
    )
    emp = pl.DataFrame(
        {
            "org_id": ["1"] * 4,
            "employment_id": ["e1", "e2", "e3", "e4"],
            "person_id": ["a", "a", "b", "c"],
            "unit_id": ["u"] * 4,
            "aid_code": ["111111", "111111", "222222", None],
            "title": [None, "Lärare", "Kock", "Vakt"],
            "employment_form": ["visstid", "tillsvidare", "tillsvidare", "timavlönad"],
            "rate": [100.0, 80.0, 100.0, 100.0],
            "monthly_pay": [30000.0, 31000, 28000, 0],
            "start_date": [date(2015, 1, 1), date(2020, 1, 1), date(2024, 3, 1), date(2020, 1, 1)],
            "end_date": [date(2018, 12, 31), None, None, None],
            "is_manager": [False] * 4,
        }
    )
    pay = pl.DataFrame(
        {
            "org_id": ["1"] * 5,
            "employment_id": ["e2", "e2", "e2", "e3", "e2"],
            "month": [
                date(2025, 1, 1),
                date(2025, 2, 1),
                date(2025, 2, 1),
                date(2025, 2, 1),
                date(2023, 1, 1),
            ],
            "kind": ["tillägg", "tillägg", "rörlig", "rörlig", "rörlig"],
            "amount": [800.0, 800.0, 5000.0, 1000.0, 99999.0],
        }
    )
    wt = pl.DataFrame(
        {
            "org_id": ["1", "1"],
            "employment_id": ["e2", "e2"],
            "month": [date(2025, 1, 1), date(2025, 2, 1)],
            "scheduled_hours": [132.0, 132.0],
        }
    )
    data = HRData(
        as_of=date(2025, 2, 15),
        persons=persons,
        employments=emp,
        pay_components=pay,
        working_time=wt,
    )
    f = pay_frame_from_hrdata(data).sort("person_id")
    # Timavlönad c is not monthly-paid; e1 ended in 2018: a has e2 only.
    assert f["person_id"].to_list() == ["a", "b"]
    a = f.row(0, named=True)
    assert a["job"] == "Lärare" and a["monthly_pay"] == 31000.0
    assert a["age"] == 44.0  # born 1980-06-01, at 2025-02-15
    # Tenure from the first employment 2015-01-01: 3698 days / 365.25
    assert a["tenure_years"] == pytest.approx((date(2025, 2, 15) - date(2015, 1, 1)).days / 365.25)
    # Supplements: 1 600 over 2 payroll months = 800 per month at 80 % → 1 000 at full time.
    assert a["supplements"] == pytest.approx(1000.0)
    assert a["variable_pay"] == pytest.approx(5000.0)  # the 2023 row is outside the window
    assert a["annual_hours"] == pytest.approx(264.0 * 12 / 2)
    b = f.row(1, named=True)
    assert b["variable_pay"] == 1000.0 and b["supplements"] == 0.0 and b["annual_hours"] is None
    f_aid = pay_frame_from_hrdata(data, job_key="aid_code").sort("person_id")
    assert f_aid["job"].to_list() == ["111111", "222222"]


def test_zero_missing_pay_and_outliers_are_notices() -> None:
    frame = pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(8)],
            "gender": ["K", "M"] * 4,
            "job": ["A"] * 8,
            "monthly_pay": [30000.0, 30500, 31000, 31500, 32000, 300000, 0.0, None],
        }
    )
    data, notices = check_pay_frame(frame)
    assert data.height == 6
    codes = {n.code: n for n in notices}
    assert "2 anställda saknar månadslön eller har lönen 0" in codes["missing_pay"].message_sv
    # Median 31 250, IQR = P75 − P25 = 31 875 − 30 625 = 1 250; 300 000 is far outside ± 3 750.
    assert codes["pay_outlier"].person_ids == ("p5",)


def _org(n: int = 400, seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    jobs = np.array(["Undersköterska", "Vaktmästare", "Sjuksköterska", "Ingenjör"])
    j = rng.integers(0, 4, n)
    share = np.array([0.85, 0.15, 0.8, 0.3])[j]
    woman = rng.random(n) < share
    age = rng.uniform(22, 65, n)
    base = np.array([28000, 30000, 38000, 42000])[j]
    pay = base + 60 * age - 500 * woman + rng.normal(0, 900, n)
    return pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "gender": np.where(woman, "K", "M"),
            "age": age,
            "job": jobs[j],
            "unit_id": "u",
            "employment_form": "tillsvidare",
            "rate": 100.0,
            "monthly_pay": pay,
            "tenure_years": rng.uniform(0, 20, n),
        }
    )


def _evaluation(jobs: list[str]) -> JobEvaluation:
    model = EvaluationModel.default()
    levels = {"Undersköterska": 2, "Vaktmästare": 2, "Sjuksköterska": 4, "Ingenjör": 4}
    return JobEvaluation(model, {j: {s.id: levels[j] for s in model.subfactors} for j in jobs})


def test_run_survey_end_to_end() -> None:
    frame = _org()
    params = SurveyParams.from_settings(Settings(), payroll_overhead=0.5)
    assert params.min_gender_group == 5 and params.payroll_overhead == 0.5
    adj = Adjustment(
        "lika_arbete:Ingenjör",
        500.0,
        (TimetableStep(date(2025, 4, 1), 500.0),),
        job="Ingenjör",
        gap_before_kr=900.0,
    )
    params = SurveyParams(last_year_adjustments=(adj,))
    r = run_survey(
        frame, _evaluation(["Undersköterska", "Vaktmästare", "Sjuksköterska", "Ingenjör"]), params
    )
    assert r.regression is not None and r.regression.coefficient < 0
    assert r.decomposition is not None and r.decomposition.group_a == "M"
    assert r.equivalent_work is not None and r.women_dominated is not None
    pairs = r.women_dominated.table.frame
    assert set(pairs["job"]) == {"Undersköterska", "Sjuksköterska"}
    assert r.structure.summary.height == 4
    assert r.flagged
    assert set(r.scenarios) <= {"Undersköterska", "Vaktmästare", "Sjuksköterska", "Ingenjör"}
    assert r.follow_up.height == 1
    assert r.transparency.headcount == 400


def test_bad_input_each_gives_a_notice_and_the_survey_still_runs() -> None:
    frame = _org().with_columns(
        pl.when(pl.col("person_id") == "p0")
        .then(0.0)
        .otherwise(pl.col("monthly_pay"))
        .alias("monthly_pay")
    )
    extra = pl.DataFrame(
        {
            "person_id": ["x1", "x2", "x3"],
            "gender": ["K", "K", "M"],
            "age": [30.0, 40, 50],
            "job": ["Barnskötare", "Barnskötare", "Outlier"],
            "unit_id": "u",
            "employment_form": "tillsvidare",
            "rate": 100.0,
            "monthly_pay": [27000.0, 27500, 29000],
            "tenure_years": [1.0, 2, 3],
        }
    )
    frame = pl.concat([frame, extra])
    # Ingenjör and Barnskötare have no evaluation; employment_form never varies.
    ev = _evaluation(["Undersköterska", "Vaktmästare", "Sjuksköterska"])
    r = run_survey(frame, ev)
    codes = {n.code for n in r.notices}
    assert {"missing_pay", "job_without_evaluation", "one_gender", "no_variation"} <= codes
    msg = next(n for n in r.notices if n.code == "job_without_evaluation").message_sv
    assert "Barnskötare" in msg and "Ingenjör" in msg
    assert r.regression is not None and r.decomposition is not None
    assert r.transparency.figures


def test_singular_regression_and_invalid_evaluation_become_notices() -> None:
    frame = _org().with_columns((pl.col("age") * 2).alias("age2"))
    bad = JobEvaluation(EvaluationModel.default(), {"Undersköterska": {"kunskap": 9}})
    params = SurveyParams(
        regression_covariates=("age", "age2"), decomposition_covariates=("age", "age2")
    )
    r = run_survey(frame, bad, params)
    codes = [n.code for n in r.notices]
    assert "EvaluationInvalid" in codes and "no_evaluation" in codes
    assert "SingularRegression" in codes
    assert r.regression is None and r.decomposition is None
    assert r.equal_work.table.frame.height == 4


def test_small_organisation_gets_individual_comparison() -> None:
    frame = _org(n=400).filter((pl.col("gender") == "M") | (pl.int_range(pl.len()) < 40))
    frame = pl.concat(
        [frame.filter(pl.col("gender") == "M"), frame.filter(pl.col("gender") == "K").head(3)]
    )
    r = run_survey(frame, None)
    assert r.regression is None
    assert r.overall_individuals is not None and r.overall_individuals.height == frame.height
    assert any(n.code == "SmallGroup" and "3 kvinnor" in n.message_sv for n in r.notices)
