"""Oaxaca–Blinder against statsmodels' OaxacaBlinder and hand identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from statsmodels.stats.oaxaca import OaxacaBlinder

from hallbar.paysurvey.notices import InvalidPayData, SingularRegression
from hallbar.paysurvey.oaxaca import REFERENCES, oaxaca_blinder

TOL = 1e-9


def _simulated(n: int = 400, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    woman = rng.random(n) < 0.55
    age = rng.uniform(22, 65, n)
    tenure = np.clip(age - 22 - rng.uniform(0, 15, n), 0, None)
    value = rng.uniform(100, 900, n) + 60 * (~woman)
    permanent = (rng.random(n) < 0.8).astype(float)
    pay = (
        20000
        + 150 * age
        + (120 + 40 * woman) * tenure
        + 18 * value
        + 900 * permanent
        - 1500 * woman
        + rng.normal(0, 1500, n)
    )
    return pl.DataFrame(
        {
            "lon": pay,
            "kon": np.where(woman, "K", "M"),
            "alder": age,
            "tjanstear": tenure,
            "varde": value,
            "tillsvidare": permanent,
        }
    )


COVS = ["alder", "tjanstear", "varde", "tillsvidare"]


def _statsmodels(df: pl.DataFrame, group_a: str) -> OaxacaBlinder:
    # Indicator 0 for group A so that statsmodels' first group (lowest value) is A;
    # swap=False keeps that order; hasconst=False appends the constant.
    indicator = (df["kon"] != group_a).cast(pl.Float64).to_numpy()
    exog = np.column_stack([indicator, df.select(COVS).to_numpy()])
    return OaxacaBlinder(df["lon"].to_numpy(), exog, 0, hasconst=False, swap=False)


SM_TWO_FOLD = {
    "pooled": {"two_fold_type": "pooled"},
    "pooled_no_indicator": {"two_fold_type": "nuemark"},
    "reimers": {"two_fold_type": "reimers"},
    "cotton": {"two_fold_type": "cotton"},
    "group_a": {"two_fold_type": "self_submitted", "submitted_weight": 1.0},
    "group_b": {"two_fold_type": "self_submitted", "submitted_weight": 0.0},
}


@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("group_a", ["M", "K"])
def test_two_fold_matches_statsmodels(reference: str, group_a: str) -> None:
    df = _simulated()
    ours = oaxaca_blinder(df, "lon", "kon", COVS, reference=reference, group_a=group_a)  # type: ignore[arg-type]
    sm = _statsmodels(df, group_a).two_fold(**SM_TWO_FOLD[reference])
    unexplained, explained, gap = sm.params
    assert ours.gap == pytest.approx(gap, abs=TOL, rel=TOL)
    assert ours.explained == pytest.approx(explained, abs=TOL, rel=TOL)
    assert ours.unexplained == pytest.approx(unexplained, abs=TOL, rel=TOL)
    assert ours.group_a == group_a


@pytest.mark.parametrize("group_a", ["M", "K"])
def test_three_fold_matches_statsmodels(group_a: str) -> None:
    df = _simulated(seed=11)
    ours = oaxaca_blinder(df, "lon", "kon", COVS, group_a=group_a).three_fold
    endow, coef, inter, _gap = _statsmodels(df, group_a).three_fold().params
    assert ours.endowments == pytest.approx(endow, abs=TOL, rel=TOL)
    assert ours.coefficients == pytest.approx(coef, abs=TOL, rel=TOL)
    assert ours.interaction == pytest.approx(inter, abs=TOL, rel=TOL)


def test_default_group_a_is_higher_mean_like_statsmodels_swap() -> None:
    df = _simulated(seed=3)
    ours = oaxaca_blinder(df, "lon", "kon", COVS, reference="reimers")
    exog = np.column_stack(
        [(df["kon"] == "M").cast(pl.Float64).to_numpy(), df.select(COVS).to_numpy()]
    )
    sm = OaxacaBlinder(df["lon"].to_numpy(), exog, 0, hasconst=False, swap=True)
    unexplained, explained, gap = sm.two_fold(two_fold_type="reimers").params
    assert ours.gap > 0
    assert ours.gap == pytest.approx(gap, rel=TOL)
    assert ours.unexplained == pytest.approx(unexplained, rel=TOL)
    assert ours.explained == pytest.approx(explained, rel=TOL)


@pytest.mark.parametrize("reference", REFERENCES)
def test_detail_sums_and_direct_formula(reference: str) -> None:
    df = _simulated(seed=5)
    r = oaxaca_blinder(df, "lon", "kon", COVS, reference=reference, group_a="M")  # type: ignore[arg-type]
    # Identities: components sum to the gap; details sum to their component.
    assert r.explained + r.unexplained == pytest.approx(r.gap, rel=1e-9)
    assert sum(r.explained_detail.values()) == pytest.approx(r.explained, rel=1e-9)
    assert sum(r.unexplained_detail.values()) == pytest.approx(r.unexplained, rel=1e-9)
    t = r.three_fold
    assert t.endowments + t.coefficients + t.interaction == pytest.approx(r.gap, rel=1e-9)
    assert sum(t.endowments_detail.values()) == pytest.approx(t.endowments, rel=1e-9)
    assert sum(t.coefficients_detail.values()) == pytest.approx(t.coefficients, rel=1e-9)
    assert sum(t.interaction_detail.values()) == pytest.approx(t.interaction, rel=1e-9)
    assert r.explained_detail["konstant"] == 0.0

    # Direct numpy computation of the formulas (pinv instead of lstsq).
    a = df.filter(pl.col("kon") == "M")
    b = df.filter(pl.col("kon") == "K")

    def design(f: pl.DataFrame) -> np.ndarray:
        return np.column_stack([np.ones(f.height), f.select(COVS).to_numpy()])

    xa, xb = design(a), design(b)
    ba = np.linalg.pinv(xa) @ a["lon"].to_numpy()
    bb = np.linalg.pinv(xb) @ b["lon"].to_numpy()
    if reference == "pooled":
        xp = np.column_stack([design(df), (df["kon"] == "M").cast(pl.Float64).to_numpy()])
        bref = (np.linalg.pinv(xp) @ df["lon"].to_numpy())[:-1]
    elif reference == "pooled_no_indicator":
        bref = np.linalg.pinv(design(df)) @ df["lon"].to_numpy()
    elif reference == "group_a":
        bref = ba
    elif reference == "group_b":
        bref = bb
    elif reference == "reimers":
        bref = (ba + bb) / 2
    else:
        bref = (a.height * ba + b.height * bb) / df.height
    ma, mb = xa.mean(axis=0), xb.mean(axis=0)
    for i, term in enumerate(r.terms):
        assert r.explained_detail[term] == pytest.approx((ma[i] - mb[i]) * bref[i], abs=1e-6)
        expected_u = ma[i] * (ba[i] - bref[i]) + mb[i] * (bref[i] - bb[i])
        assert r.unexplained_detail[term] == pytest.approx(expected_u, abs=1e-6)
        assert t.endowments_detail[term] == pytest.approx((ma[i] - mb[i]) * bb[i], abs=1e-6)
        assert t.coefficients_detail[term] == pytest.approx(mb[i] * (ba[i] - bb[i]), abs=1e-6)


def test_hand_computed_no_covariates() -> None:
    # Without covariates every reference gives explained = 0 and unexplained = gap.
    # Men 30 000, 32 000 (mean 31 000); women 27 000, 29 000 (mean 28 000): gap 3 000.
    df = pl.DataFrame({"lon": [30000.0, 32000, 27000, 29000], "kon": ["M", "M", "K", "K"]})
    r = oaxaca_blinder(df, "lon", "kon", [], reference="cotton")
    assert r.group_a == "M"
    assert r.gap == pytest.approx(3000.0)
    assert r.explained == pytest.approx(0.0)
    assert r.unexplained == pytest.approx(3000.0)


def test_accepts_pandas_and_drops_missing_rows() -> None:
    df = _simulated(n=100).with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col("alder")).alias("alder")
    )
    pdf = pd.DataFrame({c: df[c].to_numpy() for c in df.columns})
    r_pd = oaxaca_blinder(pdf, "lon", "kon", COVS, group_a="M")
    r_pl = oaxaca_blinder(df.drop_nulls(), "lon", "kon", COVS, group_a="M")
    assert r_pd.dropped_rows == 1
    assert r_pd.n_a + r_pd.n_b == 99
    assert r_pd.unexplained == pytest.approx(r_pl.unexplained, rel=1e-9)


def test_constant_covariate_in_one_group_is_a_swedish_error() -> None:
    df = _simulated(n=100).with_columns(
        pl.when(pl.col("kon") == "K")
        .then(1.0)
        .otherwise(pl.col("tillsvidare"))
        .alias("tillsvidare")
    )
    with pytest.raises(
        SingularRegression, match="Faktorn 'tillsvidare' varierar inte för gruppen K"
    ):
        oaxaca_blinder(df, "lon", "kon", COVS)


def test_collinear_covariates_are_a_swedish_error() -> None:
    df = _simulated(n=100).with_columns((2 * pl.col("alder") + 1).alias("dubbel"))
    with pytest.raises(SingularRegression, match="linjärt beroende"):
        oaxaca_blinder(df, "lon", "kon", ["alder", "dubbel"])


def test_bad_group_and_columns() -> None:
    df = _simulated(n=50)
    with pytest.raises(InvalidPayData, match="exakt två olika värden"):
        oaxaca_blinder(df.filter(pl.col("kon") == "K"), "lon", "kon", ["alder"])
    with pytest.raises(InvalidPayData, match="Kolumnen 'saknas' finns inte"):
        oaxaca_blinder(df, "lon", "kon", ["saknas"])
    with pytest.raises(InvalidPayData, match="inte numerisk"):
        oaxaca_blinder(df.with_columns(pl.lit("x").alias("s")), "lon", "kon", ["s"])
    with pytest.raises(InvalidPayData, match="Okänd referens"):
        oaxaca_blinder(df, "lon", "kon", ["alder"], reference="x")  # type: ignore[arg-type]
