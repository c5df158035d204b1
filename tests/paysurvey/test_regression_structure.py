from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
import statsmodels.formula.api as smf

from hallbar.paysurvey.notices import SingularRegression, SmallGroup
from hallbar.paysurvey.regression import gender_regression
from hallbar.paysurvey.structure import pay_structure


def _data(n: int = 300, seed: int = 4) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    woman = rng.random(n) < 0.5
    age = rng.uniform(20, 65, n)
    tenure = rng.uniform(0, 20, n)
    form = np.where(rng.random(n) < 0.8, "tillsvidare", "visstid")
    pay = np.exp(
        10.2
        + 0.004 * age
        + 0.003 * tenure
        - 0.03 * woman
        + 0.02 * (form == "visstid")
        + rng.normal(0, 0.05, n)
    )
    return pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "gender": np.where(woman, "K", "M"),
            "job": "Lärare",
            "age": age,
            "tenure_years": tenure,
            "employment_form": form,
            "pay": pay,
        }
    )


def test_gender_coefficient_matches_statsmodels_formula() -> None:
    df = _data()
    ours = gender_regression(df, ["age", "tenure_years", "employment_form"])
    pdf = pd.DataFrame({c: df[c].to_numpy() for c in df.columns})
    pdf["kvinna"] = (pdf["gender"] == "K").astype(float)
    fit = smf.ols("np.log(pay) ~ age + tenure_years + C(employment_form) + kvinna", pdf).fit()
    robust = fit.get_robustcov_results(cov_type="HC1")
    k = list(fit.params.index).index("kvinna")
    assert ours.coefficient == pytest.approx(fit.params["kvinna"], rel=1e-10)
    assert ours.se_classic == pytest.approx(fit.bse["kvinna"], rel=1e-8)
    assert ours.se_hc1 == pytest.approx(robust.bse[k], rel=1e-8)
    assert ours.p_value == pytest.approx(robust.pvalues[k], rel=1e-6)
    assert ours.ci_low == pytest.approx(robust.conf_int()[k][0], rel=1e-8)
    assert ours.pct_effect == pytest.approx(100 * (np.exp(fit.params["kvinna"]) - 1))
    assert ours.n_women + ours.n_men == 300


def test_constant_covariate_dropped_with_notice() -> None:
    df = _data().with_columns(pl.lit("tillsvidare").alias("employment_form"))
    r = gender_regression(df, ["age", "employment_form"])
    assert "employment_form" not in " ".join(r.terms)
    assert r.notices[0].code == "no_variation"
    # The notice names the factor in Swedish (paysurvey.labels), never the column name.
    assert "'anställningsform' har samma värde för alla" in r.notices[0].message_sv


def test_singular_and_small_group() -> None:
    df = _data().with_columns((pl.col("age") * 12).alias("age_months"))
    with pytest.raises(SingularRegression, match="linjärt beroende"):
        gender_regression(df, ["age", "age_months"])
    few = pl.concat(
        [_data().filter(pl.col("gender") == "M"), _data().filter(pl.col("gender") == "K").head(4)]
    )
    with pytest.raises(SmallGroup, match="4 kvinnor"):
        gender_regression(few, ["age"])


def test_pay_structure_percentiles_and_line() -> None:
    pays = [25000.0, 26000, 28000, 30000, 35000]
    ages = [25.0, 30, 40, 50, 60]
    df = pl.DataFrame(
        {
            "person_id": list("abcde"),
            "gender": ["K", "M", "K", "M", "K"],
            "job": "Kock",
            "age": ages,
            "pay": pays,
        }
    )
    s = pay_structure(df).summary.row(0, named=True)
    # numpy linear percentiles: P10 = 25 000 + 0.4 × 1 000 = 25 400; P90 = 30 000 + 0.6 × 5 000 = 33 000
    assert s["p10"] == pytest.approx(np.percentile(pays, 10)) == pytest.approx(25400)
    assert s["p50"] == pytest.approx(28000)
    assert s["p90"] == pytest.approx(33000)
    assert s["p90_p10"] == pytest.approx(33000 / 25400)
    slope, intercept = np.polyfit(ages, pays, 1)
    assert s["slope"] == pytest.approx(slope)
    assert s["intercept"] == pytest.approx(intercept)
    assert (s["n_women"], s["n_men"]) == (3, 2)
