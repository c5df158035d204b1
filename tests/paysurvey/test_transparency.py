from __future__ import annotations

import polars as pl
import pytest

from hallbar.paysurvey.payframe import check_pay_frame
from hallbar.paysurvey.transparency import article9_report, reporting_cycle


def _tiny() -> pl.DataFrame:
    # 4 women, 4 men, all full time (rate 100), no working-time data → 1 980 h per year.
    return pl.DataFrame(
        {
            "person_id": ["w1", "w2", "w3", "w4", "m1", "m2", "m3", "m4"],
            "gender": ["K"] * 4 + ["M"] * 4,
            "job": ["A", "A", "B", "B", "A", "A", "B", "B"],
            "monthly_pay": [30000.0, 32000, 34000, 36000, 33000, 35000, 37000, 39000],
            "rate": [100.0] * 8,
            "supplements": [0.0] * 8,
            "variable_pay": [0.0, 6000, 0, 0, 12000, 0, 0, 0],
        }
    )


def test_article9_hand_computed() -> None:
    data, _ = check_pay_frame(_tiny())
    r = article9_report(data, "job", full_time_hours_year=1980.0)
    # Annual = 12 × monthly + variable.
    # Women: 360 000, 390 000, 408 000, 432 000 → mean 1 590 000/4 = 397 500, median (390+408)/2 = 399 000
    # Men:   408 000, 420 000, 444 000, 468 000 → mean 1 740 000/4 = 435 000, median (420+444)/2 = 432 000
    assert r.figure("gap_mean_annual") == pytest.approx(100 * (435000 - 397500) / 435000)  # 8.62 %
    assert r.figure("gap_median_annual") == pytest.approx(
        100 * (432000 - 399000) / 432000
    )  # 7.64 %
    # Hourly = annual / 1 980: the relative gap is the same.
    assert r.figure("gap_mean_hourly") == pytest.approx(100 * 37500 / 435000)
    # Variable pay among recipients: one woman 6 000, one man 12 000 → gap 50 %.
    assert r.figure("variable_gap_mean") == pytest.approx(50.0)
    assert r.figure("variable_gap_median") == pytest.approx(50.0)
    assert r.figure("share_variable_women") == pytest.approx(25.0)
    assert r.figure("share_variable_men") == pytest.approx(25.0)
    # Quartiles by hourly pay (annual order): w1 360, w2 390, w3 408 = m1 408 (tie: person_id
    # 'm1' < 'w3'), m2 420, w4 432, m3 444, m4 468 → Q1 {w1, w2}, Q2 {m1, w3}, Q3 {m2, w4}, Q4 {m3, m4}
    q = r.quartiles
    assert q["n"].to_list() == [2, 2, 2, 2]
    assert q["share_women"].to_list() == pytest.approx([100.0, 50.0, 50.0, 0.0])
    assert q["share_men"].to_list() == pytest.approx([0.0, 50.0, 50.0, 100.0])
    # Category A: women 360+390 = 750 → 375 000; men 408+420 = 828 → 414 000; gap 39/414 = 9.42 %
    # base: women 372 000 (31 000 × 12), men 408 000 (34 000 × 12): 36/408 = 8.82 %
    # variable: women 3 000 mean, men 6 000 mean: 50 %
    cat = r.categories.filter(pl.col("category") == "A").row(0, named=True)
    assert cat["gap_pct"] == pytest.approx(100 * 39000 / 414000)
    assert cat["base_gap_pct"] == pytest.approx(100 * 36000 / 408000)
    assert cat["variable_gap_pct"] == pytest.approx(50.0)
    assert cat["joint_assessment"] is True
    # Category B: women 35 000, men 38 000 → 3/38 = 7.89 % ≥ 5 % → flagged; no variable pay → None.
    b = r.categories.filter(pl.col("category") == "B").row(0, named=True)
    assert b["gap_pct"] == pytest.approx(100 * 3 / 38)
    assert b["variable_gap_pct"] is None
    assert r.headcount == 8
    assert "Färre än 100" in r.reporting_sv
    assert any(n.code == "joint_pay_assessment" for n in r.notices)
    assert all(f.description.source.startswith("Europaparlamentets") for f in r.figures)


def test_hourly_uses_working_time_hours_and_part_time() -> None:
    # A woman at 50 % with 990 h; a man full time with 1 980 h: same hourly pay → gap 0.
    frame = pl.DataFrame(
        {
            "person_id": ["w", "m"],
            "gender": ["K", "M"],
            "job": ["A", "A"],
            "monthly_pay": [30000.0, 30000.0],
            "rate": [50.0, 100.0],
            "annual_hours": [990.0, None],
        }
    )
    data, _ = check_pay_frame(frame)
    r = article9_report(data, "job")
    # Annual: woman 30 000 × 0.5 × 12 = 180 000, man 360 000 → annual gap 50 %, hourly gap 0 %.
    assert r.figure("gap_mean_annual") == pytest.approx(50.0)
    assert r.figure("gap_mean_hourly") == pytest.approx(0.0)


def test_reporting_cycle_by_headcount() -> None:
    assert reporting_cycle(250).startswith("250 eller fler")
    assert reporting_cycle(249).startswith("150–249")
    assert reporting_cycle(150).startswith("150–249")
    assert reporting_cycle(100).startswith("100–149")
    assert reporting_cycle(99).startswith("Färre än 100")
