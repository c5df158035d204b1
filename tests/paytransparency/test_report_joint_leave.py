"""Art. 9 keys, Art. 10 content and pay development after parental leave, by hand."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from hallbar.core.describe import Description
from hallbar.paysurvey.transparency import KeyFigure, TransparencyReport
from hallbar.paytransparency import (
    assessment_content,
    flagged_categories,
    keyed_values,
    leave_summary,
    parental_leave_days,
    pay_development,
    raise_after_leave,
)

DESC = Description(id="x", name_sv="x", definition_sv="x", population_sv="x", unit="%", source="x")


def _report() -> TransparencyReport:
    ids = {
        "gap_mean_annual": 10.0,
        "gap_median_annual": 8.0,
        "gap_mean_hourly": 9.0,
        "gap_median_hourly": 7.0,
        "variable_gap_mean": 20.0,
        "variable_gap_median": 15.0,
        "share_variable_women": 40.0,
        "share_variable_men": 60.0,
    }
    return TransparencyReport(
        figures=tuple(KeyFigure(k, v, DESC) for k, v in ids.items()),
        quartiles=pl.DataFrame(
            {"band": [1, 2], "share_women": [75.0, 25.0], "share_men": [25.0, 75.0]}
        ),
        categories=pl.DataFrame(
            {
                "category": ["A", "B"],
                "gap_pct": [6.0, 1.0],
                "base_gap_pct": [5.0, 1.0],
                "variable_gap_pct": [30.0, None],
                "joint_assessment": [True, False],
            }
        ),
        headcount=300,
        reporting_sv="",
    )


def test_values_keyed_by_article_point() -> None:
    values = {(v.point, v.category, v.measure): v.value for v in keyed_values(_report())}
    assert values[("a", "", "gap_annual")] == 10.0
    assert values[("a", "", "gap_hourly")] == 9.0
    assert values[("b", "", "gap_complementary")] == 20.0
    assert values[("c", "", "gap_annual")] == 8.0
    assert values[("d", "", "gap_complementary")] == 15.0
    assert values[("e", "", "share_women")] == 40.0
    assert values[("f", "Q2", "share_men")] == 75.0
    assert values[("g", "A", "gap_base_hourly")] == 5.0
    assert values[("g", "B", "gap_complementary_hourly")] is None
    assert len(values) == 8 + 2 * 2 + 2 * 3
    assert flagged_categories(_report())["category"].to_list() == ["A"]


def test_joint_assessment_content() -> None:
    frame = pl.DataFrame(
        {
            "person_id": ["w", "m", "x"],
            "gender": ["K", "M", "K"],
            "job": ["A", "A", "B"],
            "rate": [100.0, 100.0, 100.0],
            "monthly_pay": [30000.0, 40000.0, 35000.0],
            "supplements": [0.0, 1000.0, 0.0],
            "variable_pay": [1200.0, 0.0, 0.0],
            "annual_hours": [None, None, None],
        },
        schema_overrides={"annual_hours": pl.Float64},
    )
    raises = pl.DataFrame(
        {"category": ["A"], "share_raised_women": [50.0], "share_raised_men": [None]}
    )
    out = assessment_content(frame, ["A"], raises=raises)
    r = out.row(0, named=True)
    # base per year: 30000 × 12 = 360000 (K), 40000 × 12 = 480000 (M)
    # complementary per year: 1200 (K); 1000 × 12 = 12000 (M)
    assert (r["category"], r["n_women"], r["n_men"]) == ("A", 1, 1)
    assert (r["share_women"], r["share_men"]) == (50.0, 50.0)
    assert r["base_women"] == pytest.approx(360000.0)
    assert r["complementary_men"] == pytest.approx(12000.0)
    assert r["base_gap_pct"] == pytest.approx(25.0)  # (480000 − 360000) / 480000
    assert r["complementary_gap_pct"] == pytest.approx(90.0)  # (12000 − 1200) / 12000
    assert r["share_raised_women"] == 50.0 and r["share_raised_men"] is None
    assert out.height == 1


START, END = date(2025, 1, 1), date(2025, 12, 31)


def _absences() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "person_id": ["p1", "p2", "p3", "p4"],
            "cause": ["föräldraledig", "föräldraledig", "sjuk", "föräldraledig"],
            "from_date": [date(2025, 1, 1), date(2025, 3, 1), date(2025, 2, 1), date(2024, 12, 1)],
            "to_date": [date(2025, 6, 30), date(2025, 3, 30), date(2025, 9, 1), date(2025, 1, 10)],
            "extent": [100.0, 50.0, 100.0, 100.0],
        }
    )


def test_parental_leave_days() -> None:
    days = parental_leave_days(_absences(), START, END)
    got = dict(zip(days["person_id"].to_list(), days["leave_days"].to_list(), strict=True))
    # p1: 1 Jan–30 Jun = 31+28+31+30+31+30 = 181 days; p2: 30 days × 50 % = 15;
    # p4: only 1–10 Jan falls in the year = 10 days; p3 is sick leave
    assert got == {"p1": 181.0, "p2": 15.0, "p4": 10.0}


def test_pay_development_and_summaries() -> None:
    def frame(pays: dict[str, float]) -> pl.DataFrame:
        g = {"p1": "K", "p2": "M", "p3": "K", "p5": "M"}
        return pl.DataFrame(
            {
                "person_id": list(pays),
                "gender": [g[p] for p in pays],
                "job": ["A"] * len(pays),
                "monthly_pay": list(pays.values()),
            }
        )

    before = frame({"p1": 30000.0, "p2": 30000.0, "p3": 30000.0, "p5": 32000.0})
    after = frame({"p1": 30600.0, "p2": 31500.0, "p3": 31200.0, "p5": 32640.0})
    dev = pay_development(before, after, parental_leave_days(_absences(), START, END), END)
    groups = dict(zip(dev["person_id"].to_list(), dev["group"].to_list(), strict=True))
    # p1: 181 days, back 30 Jun → with; p2: 15 days → neither; p3, p5: no leave → without
    assert groups == {"p1": "med", "p2": None, "p3": "utan", "p5": "utan"}
    change = dict(zip(dev["person_id"].to_list(), dev["change_pct"].to_list(), strict=True))
    assert change["p1"] == pytest.approx(2.0)  # 600 / 30000
    assert change["p3"] == pytest.approx(4.0)  # 1200 / 30000
    assert change["p5"] == pytest.approx(2.0)  # 640 / 32000
    s = leave_summary(dev, min_n=1).row(0, named=True)
    # with: p1 = 2.0; without: (4.0 + 2.0) / 2 = 3.0; difference 2.0 − 3.0 = −1.0
    assert (s["n_with"], s["n_without"]) == (1, 2)
    assert s["mean_with"] == pytest.approx(2.0)
    assert s["mean_without"] == pytest.approx(3.0)
    assert s["difference_pp"] == pytest.approx(-1.0)
    hidden = leave_summary(dev, min_n=2).row(0, named=True)
    assert hidden["mean_with"] is None and hidden["mean_without"] == pytest.approx(3.0)
    r = raise_after_leave(dev, min_n=1).row(0, named=True)
    # one woman back from leave, raised (30000 → 30600): 100 %; no men back: null
    assert (r["n_women"], r["raised_women"], r["share_raised_women"]) == (1, 1, 100.0)
    assert r["n_men"] == 0 and r["share_raised_men"] is None
