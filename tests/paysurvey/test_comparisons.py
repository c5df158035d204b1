from __future__ import annotations

import polars as pl
import pytest
from paysurvey_helpers import pay_frame
from scipy import stats

from hallbar.paysurvey.comparisons import equal_work, equivalent_work, women_dominated
from hallbar.paysurvey.payframe import check_pay_frame


def _checked(frame: pl.DataFrame) -> pl.DataFrame:
    return check_pay_frame(frame)[0]


def test_equal_work_hand_computed() -> None:
    rows = [
        ("w1", "K", "Lärare", 30000, 30),
        ("w2", "K", "Lärare", 32000, 40),
        ("w3", "K", "Lärare", 34000, 50),
        ("m1", "M", "Lärare", 33000, 35),
        ("m2", "M", "Lärare", 37000, 45),
    ]
    comp = equal_work(_checked(pay_frame(rows)), min_group=2)
    r = comp.table.frame.row(0, named=True)
    # Women: mean (30+32+34)/3 = 32 000, median 32 000. Men: mean 35 000, median 35 000.
    assert (r["n_women"], r["n_men"]) == (3, 2)
    assert r["mean_women"] == pytest.approx(32000)
    assert r["mean_men"] == pytest.approx(35000)
    assert r["median_men"] == pytest.approx(35000)
    assert r["women_pct_of_men_mean"] == pytest.approx(100 * 32000 / 35000)  # 91.43 %
    assert r["diff_kr"] == pytest.approx(3000)
    assert r["tested"] is True
    expected_p = stats.ttest_ind([30000, 32000, 34000], [33000, 37000], equal_var=False).pvalue
    assert r["p_value"] == pytest.approx(expected_p)
    assert comp.individuals.height == 0


def test_small_group_gives_individual_comparison_and_notice() -> None:
    rows = [
        ("w1", "K", "Kock", 28000, 30),
        ("w2", "K", "Kock", 29000, 40),
        ("m1", "M", "Kock", 31000, 35),
    ]
    comp = equal_work(_checked(pay_frame(rows)), min_group=5)
    r = comp.table.frame.row(0, named=True)
    assert r["tested"] is False and r["p_value"] is None
    ind = comp.individuals
    # Median of 28 000, 29 000, 31 000 = 29 000.
    assert ind["group_median"].to_list() == [29000.0] * 3
    assert dict(zip(ind["person_id"], ind["diff_from_median_kr"], strict=True)) == {
        "w1": -1000.0,
        "w2": 0.0,
        "m1": 2000.0,
    }
    assert any(
        n.code == "small_group" and "färre än 5 kvinnor" in n.message_sv for n in comp.notices
    )


def test_one_gender_job_gets_a_notice() -> None:
    rows = [("w1", "K", "Barnskötare", 27000, 30), ("w2", "K", "Barnskötare", 27500, 31)]
    comp = equal_work(_checked(pay_frame(rows)))
    assert any(n.code == "one_gender" and "Barnskötare" in n.message_sv for n in comp.notices)


JOB_VALUES = pl.DataFrame(
    {
        "job": ["Undersköterska", "Vaktmästare", "Elektriker", "Kock"],
        "value": [420.0, 430.0, 300.0, 440.0],
        "band": [5, 5, 4, 5],
        "band_label": [
            "Nivå 5 (400–500)",
            "Nivå 5 (400–500)",
            "Nivå 4 (300–400)",
            "Nivå 5 (400–500)",
        ],
    }
)


def _org() -> pl.DataFrame:
    rows = [
        # Undersköterska: 4 women, 1 man (80 % women) → women-dominated, mean 28 000
        ("u1", "K", "Undersköterska", 27000, 30),
        ("u2", "K", "Undersköterska", 28000, 40),
        ("u3", "K", "Undersköterska", 29000, 50),
        ("u4", "K", "Undersköterska", 28000, 45),
        ("u5", "M", "Undersköterska", 28000, 35),
        # Vaktmästare: 1 woman, 3 men → mean 31 000 (same band 5)
        ("v1", "K", "Vaktmästare", 30000, 30),
        ("v2", "M", "Vaktmästare", 31000, 40),
        ("v3", "M", "Vaktmästare", 32000, 50),
        ("v4", "M", "Vaktmästare", 31000, 45),
        # Elektriker: lower value (300) but higher pay, all men → mean 33 000
        ("e1", "M", "Elektriker", 33000, 30),
        ("e2", "M", "Elektriker", 33000, 50),
        # Kock: 1 woman 1 man, mean 27 000, women higher than men
        ("k1", "K", "Kock", 28000, 30),
        ("k2", "M", "Kock", 26000, 40),
    ]
    return _checked(pay_frame(rows))


def test_women_dominated_pairs() -> None:
    comp = women_dominated(_org(), JOB_VALUES, threshold=0.6)
    f = comp.table.frame
    same = f.filter(pl.col("comparison") == "likvärdigt arbete")
    assert set(same["job_other"]) == {"Vaktmästare", "Kock"}
    vm = same.filter(pl.col("job_other") == "Vaktmästare").row(0, named=True)
    # Undersköterska mean (27+28+29+28+28)/5 = 28 000; Vaktmästare (30+31+32+31)/4 = 31 000.
    assert vm["mean_pay"] == pytest.approx(28000)
    assert vm["mean_pay_other"] == pytest.approx(31000)
    assert vm["diff_kr"] == pytest.approx(3000)
    assert vm["pct_of_other_mean"] == pytest.approx(100 * 28 / 31)
    assert vm["n_women"] == 4 and vm["n_men_other"] == 3
    lower = f.filter(pl.col("comparison") == "lägre krav men högre lön")
    # Elektriker has value 300 < 420 and mean 33 000 > 28 000.
    assert lower["job_other"].to_list() == ["Elektriker"]
    assert lower["diff_kr"][0] == pytest.approx(5000)
    # Kock (27 000) lies below and Vaktmästare (31 000) above: differences point both ways.
    assert any(n.code == "both_directions" for n in comp.notices)


def test_equivalent_work_and_both_directions_within_band() -> None:
    comp = equivalent_work(_org(), JOB_VALUES, min_group=1)
    band5 = comp.table.frame.filter(pl.col("band") == 5).row(0, named=True)
    # Band 5 women: 27,28,29,28 (USK) + 30 (VM) + 28 (Kock) → mean 170/6 = 28 333.33
    # Band 5 men: 28 (USK) + 31,32,31 (VM) + 26 (Kock) → mean 148/5 = 29 600
    assert band5["n_women"] == 6 and band5["n_men"] == 5
    assert band5["mean_women"] == pytest.approx(170000 / 6)
    assert band5["mean_men"] == pytest.approx(29600)
    both = [n for n in comp.notices if n.code == "both_directions"]
    # Vaktmästare: men higher; Kock: women higher (28 000 vs 26 000).
    assert (
        len(both) == 1 and "'Kock'" in both[0].message_sv and "'Vaktmästare'" in both[0].message_sv
    )
