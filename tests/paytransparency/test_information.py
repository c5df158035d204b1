"""Article 7 answers on a hand-made pay frame; every figure is computed by hand below."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from hallbar.paytransparency import answer_request
from hallbar.paytransparency.errors import NoJobEvaluation, NoPayOnDate, SmallCategory

AT = date(2026, 9, 30)
FRAME = pl.DataFrame(
    {
        "person_id": ["w1", "w2", "w3", "m1", "m2", "kw", "km"],
        "gender": ["K", "K", "K", "M", "M", "K", "M"],
        "job": ["Undersköterska"] * 5 + ["Kock", "Kock"],
        "pay": [30000.0, 31000.0, 32000.0, 33000.0, 35000.0, 29000.0, 36000.0],
    }
)
JOB_VALUES = pl.DataFrame(
    {
        "job": ["Undersköterska", "Kock"],
        "band": [3, 3],
        "band_label": ["Nivå 3 (200–300)", "Nivå 3 (200–300)"],
    }
)


def test_equal_work_when_both_sexes_reach_the_minimum() -> None:
    a = answer_request(FRAME, "w2", AT, job_values=JOB_VALUES, min_per_sex=2)
    assert a.own_pay == 31000.0
    assert a.category.basis == "lika arbete" and a.category.label == "Undersköterska"
    assert (a.category.n_women, a.category.n_men) == (3, 2)
    # women: (30000 + 31000 + 32000) / 3 = 31000, median 31000
    # men: (33000 + 35000) / 2 = 34000, median of two = 34000
    assert a.category.mean_women == pytest.approx(31000.0)
    assert a.category.median_women == pytest.approx(31000.0)
    assert a.category.mean_men == pytest.approx(34000.0)
    assert a.category.median_men == pytest.approx(34000.0)
    assert a.fallback_sv == ""


def test_fallback_to_equal_value_band() -> None:
    # Kock has one woman and one man: too few; band 3 holds both jobs.
    a = answer_request(FRAME, "kw", AT, job_values=JOB_VALUES, min_per_sex=2)
    assert a.category.basis == "likvärdigt arbete"
    assert a.own_pay == 29000.0
    # women: (30000 + 31000 + 32000 + 29000) / 4 = 30500; median (30000 + 31000) / 2 = 30500
    # men: (33000 + 35000 + 36000) / 3 = 34666.67; median 35000
    assert a.category.mean_women == pytest.approx(30500.0)
    assert a.category.median_women == pytest.approx(30500.0)
    assert a.category.mean_men == pytest.approx(104000.0 / 3)
    assert a.category.median_men == pytest.approx(35000.0)
    assert "likvärdigt arbete" in a.fallback_sv


def test_refusal_when_no_category_is_large_enough() -> None:
    # band 3 has 3 men: fewer than 4
    with pytest.raises(SmallCategory) as err:
        answer_request(FRAME, "kw", AT, job_values=JOB_VALUES, min_per_sex=4)
    assert "inget svarsbrev" in str(err.value)
    assert "29" not in str(err.value)  # no pay in the message


def test_never_a_group_of_one_even_with_minimum_one() -> None:
    # min_per_sex=1 is raised to 2: Kock (1 + 1) is not used on its own
    a = answer_request(FRAME, "km", AT, job_values=JOB_VALUES, min_per_sex=1)
    assert a.category.basis == "likvärdigt arbete"


def test_job_without_evaluation_cannot_be_widened() -> None:
    with pytest.raises(NoJobEvaluation) as err:
        answer_request(FRAME, "kw", AT, job_values=JOB_VALUES.head(1), min_per_sex=2)
    assert "arbetsvärdering" in str(err.value)


def test_worker_without_pay_on_the_date() -> None:
    with pytest.raises(NoPayOnDate) as err:
        answer_request(FRAME, "x9", AT, job_values=JOB_VALUES)
    assert "2026-09-30" in str(err.value)
