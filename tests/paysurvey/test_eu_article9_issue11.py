"""Issue 11 items 3, 4 and 8: the Art. 9 population and headcount, quartile bands with
ties by the UK method, and hourly pay as the pay of a period over its hours."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from hallbar.core.dataset import HRData
from hallbar.core.population import EMPLOYED, MONTHLY_PAID
from hallbar.paysurvey.payframe import check_pay_frame, pay_frame_from_hrdata
from hallbar.paysurvey.survey import run_survey
from hallbar.paysurvey.transparency import article9_report, quartile_bands

AT = date(2025, 12, 31)
MONTHS = [date(2025, m, 1) for m in range(1, 13)]


def _hrdata(persons: list[dict], emps: list[dict], wt: list[dict], pay: list[dict]) -> HRData:
    employments = pl.DataFrame(
        [
            {
                "org_id": "1",
                "unit_id": "u",
                "is_manager": False,
                "end_date": None,
                "title": "Lärare",
                **e,
            }
            for e in emps
        ],
        schema_overrides={"end_date": pl.Date, "monthly_pay": pl.Float64, "rate": pl.Float64},
    )
    return HRData(
        as_of=AT,
        persons=pl.DataFrame([{"org_id": "1", **p} for p in persons]),
        employments=employments,
        working_time=pl.DataFrame(
            [{"org_id": "1", "additional_hours": None, **w} for w in wt],
            schema_overrides={"scheduled_hours": pl.Float64, "additional_hours": pl.Float64},
        ),
        pay_components=pl.DataFrame(
            [{"org_id": "1", **x} for x in pay],
            schema={
                "org_id": pl.String,
                "employment_id": pl.String,
                "month": pl.Date,
                "kind": pl.String,
                "amount": pl.Float64,
            },
        ),
    )


def _person(pid: str, gender: str) -> dict:
    return {"person_id": pid, "birth_date": date(1980, 1, 1), "gender": gender}


def test_part_year_starter_and_full_year_worker_get_the_same_hourly_pay():
    # Same contract: 33 000 kr a month at full time, 165 h a month. No 'fast' pay rows:
    # the fixed pay is the contract (hallbar.core.paid).
    persons = [_person("full", "M"), _person("half", "K"), _person("dec31", "K")]
    emps = [
        {"employment_id": "e1", "person_id": "full", "employment_form": "tillsvidare",
         "rate": 100.0, "monthly_pay": 33000.0, "start_date": date(2020, 1, 1)},
        {"employment_id": "e2", "person_id": "half", "employment_form": "tillsvidare",
         "rate": 100.0, "monthly_pay": 33000.0, "start_date": date(2025, 7, 1)},
        # The teacher: starts 31 December, one day of the month's 31.
        {"employment_id": "e3", "person_id": "dec31", "employment_form": "tillsvidare",
         "rate": 100.0, "monthly_pay": 33000.0, "start_date": date(2025, 12, 31)},
    ]  # fmt: skip
    wt = [{"employment_id": "e1", "month": m, "scheduled_hours": 165.0} for m in MONTHS]
    wt += [{"employment_id": "e2", "month": m, "scheduled_hours": 165.0} for m in MONTHS[6:]]
    wt += [{"employment_id": "e3", "month": MONTHS[11], "scheduled_hours": 165.0 / 31}]
    frame = pay_frame_from_hrdata(_hrdata(persons, emps, wt, []), at=AT)
    rows = {r["person_id"]: r for r in frame.iter_rows(named=True)}
    # full: 12 × 33 000 = 396 000 kr over 12 × 165 = 1 980 h
    assert rows["full"]["period_pay"] == pytest.approx(396000.0)
    assert rows["full"]["period_hours"] == pytest.approx(1980.0)
    # half: July–December, 6 × 33 000 = 198 000 kr over 6 × 165 = 990 h
    assert rows["half"]["period_pay"] == pytest.approx(198000.0)
    # dec31: 33 000 × 1/31 = 1 064,52 kr over 165/31 = 5,32 h
    assert rows["dec31"]["period_pay"] == pytest.approx(33000.0 / 31)
    data, _ = check_pay_frame(frame)
    report = article9_report(data, "job")
    from hallbar.paysurvey.transparency import with_pay_measures

    measured = {r["person_id"]: r for r in with_pay_measures(data).iter_rows(named=True)}
    # 396 000 / 1 980 = 198 000 / 990 = (33 000/31) / (165/31) = 200 kr/h: the same hourly pay.
    for pid in ("full", "half", "dec31"):
        assert measured[pid]["hourly"] == pytest.approx(200.0), pid
    # Annual pay is the pay of the reference year: 396 000 and 198 000.
    assert measured["full"]["annual"] == pytest.approx(396000.0)
    assert measured["half"]["annual"] == pytest.approx(198000.0)
    # Same contract, same hourly pay: no hourly gap in the category, no joint assessment.
    assert report.figure("gap_mean_hourly") == pytest.approx(0.0)
    cat = report.categories.row(0, named=True)
    assert cat["gap_pct"] == pytest.approx(0.0)
    assert cat["joint_assessment"] is False


def _ninety_five_and_ten() -> HRData:
    persons, emps, wt, pay = [], [], [], []
    for i in range(95):
        pid = f"m{i}"
        persons.append(_person(pid, "K" if i % 2 else "M"))
        emps.append(
            {"employment_id": f"e{pid}", "person_id": pid, "employment_form": "tillsvidare",
             "rate": 100.0, "monthly_pay": 30000.0 + 100 * i, "start_date": date(2020, 1, 1)}
        )  # fmt: skip
        wt += [{"employment_id": f"e{pid}", "month": m, "scheduled_hours": 165.0} for m in MONTHS]
    for i in range(10):
        pid = f"h{i}"
        persons.append(_person(pid, "K"))
        emps.append(
            {"employment_id": f"e{pid}", "person_id": pid, "employment_form": "timavlönad",
             "rate": 0.0, "monthly_pay": None, "start_date": date(2024, 1, 1)}
        )  # fmt: skip
        # Hourly-paid: 20 worked hours a month, paid 180 kr/h as a 'fast' component.
        wt += [
            {"employment_id": f"e{pid}", "month": m, "scheduled_hours": 0.0,
             "additional_hours": 20.0}
            for m in MONTHS
        ]  # fmt: skip
        pay += [
            {"employment_id": f"e{pid}", "month": m, "kind": "fast", "amount": 3600.0}
            for m in MONTHS
        ]
    return _hrdata(persons, emps, wt, pay)


def test_article9_population_includes_hourly_paid_and_the_cycle_counts_them():
    data = _ninety_five_and_ten()
    assert MONTHLY_PAID.count(data, AT).n == 95
    assert EMPLOYED.count(data, AT).n == 105
    frame = pay_frame_from_hrdata(data, at=AT, include_hourly=True)
    assert frame.height == 105
    result = run_survey(frame)
    tr = result.transparency
    # 95 monthly-paid + 10 hourly-paid = 105 workers -> 100–149: every third year from 2031.
    assert tr.headcount == 105
    assert tr.reporting_sv.startswith("100–149 anställda")
    assert "ingen rapporteringsskyldighet" not in tr.reporting_sv
    # All 105 are in the quartile bands (26/26/26/27 by ⌊4i/105⌋ + 1).
    assert tr.quartiles["n"].to_list() == [27, 26, 26, 26]
    # The hourly-paid: 12 × 3 600 = 43 200 kr over 12 × 20 = 240 h = 180 kr/h, below every
    # monthly-paid worker (30 000 × 12 / 1 980 = 181,8 kr/h at the lowest): all ten women in
    # the lower band.
    assert tr.quartiles["n_women"][0] >= 10
    # The pay survey itself stays with the 95 monthly-paid.
    assert result.data.height == 95
    # Without the hourly-paid rows the frame holds 95 and the report says so.
    monthly_only = run_survey(pay_frame_from_hrdata(data, at=AT)).transparency
    assert monthly_only.headcount == 95
    assert monthly_only.reporting_sv.startswith("Färre än 100")


def test_quartile_ties_follow_the_uk_method():
    # 16 workers ranked by hourly pay; bands by rank i: 0–3, 4–7, 8–11, 12–15.
    # Eight tied at 30 000 kr take ranks 2–9: two in band 1, four in band 2, two in band 3.
    # The tied group has 4 women of 8. Ordered by person id (t1 K, t2 K, t3 M, t4 K, t5 M,
    # t6 K, t7 M, t8 M) the old rule gave band 1 {t1, t2}: 2 women, band 2 {t3..t6}: 2,
    # band 3 {t7, t8}: 0 -> with the untied workers 2/2/1/2.
    # SI 2017/172 reg. 13(2): each band gets the tied mix, 4 × 2/8 = 1, 4 × 4/8 = 2,
    # 4 × 2/8 = 1 women; untied: band 1 {u1 M, u2 M} 0, band 3 {u3 K, u4 M} 1,
    # band 4 {u5 K, u6 K, u7 M, u8 M} 2 -> 1/2/2/2.
    tied = ["K", "K", "M", "K", "M", "K", "M", "M"]
    rows = [("u1", "M", 25000.0), ("u2", "M", 26000.0)]
    rows += [(f"t{i + 1}", g, 30000.0) for i, g in enumerate(tied)]
    rows += [("u3", "K", 35000.0), ("u4", "M", 36000.0)]
    rows += [("u5", "K", 40000.0), ("u6", "K", 41000.0), ("u7", "M", 42000.0)]
    rows += [("u8", "M", 43000.0)]
    frame = pl.DataFrame(
        {
            "person_id": [r[0] for r in rows],
            "gender": [r[1] for r in rows],
            "job": ["A"] * 16,
            "monthly_pay": [r[2] for r in rows],
        }
    )
    data, _ = check_pay_frame(frame)
    q = article9_report(data, "job").quartiles
    assert q["n"].to_list() == [4, 4, 4, 4]
    assert q["n_women"].to_list() == [1, 2, 2, 2]
    assert q["share_women"].to_list() == pytest.approx([25.0, 50.0, 50.0, 50.0])


def test_uneven_tie_shares_are_rounded_by_the_largest_remainder():
    # 8 workers, bands of 2. Five tied (ranks 1–5) with 2 women: band 1 holds 1 of them
    # (2 × 1/5 = 0,4), band 2 holds 2 (0,8), band 3 holds 2 (0,8). Floors 0/0/0, two women
    # left: the largest remainders are bands 2 and 3 (0,8) -> 0/1/1.
    d = pl.DataFrame(
        {
            "hourly": [100.0, 200, 200, 200, 200, 200, 300, 400],
            "gender": ["M", "K", "K", "M", "M", "M", "K", "M"],
        }
    )
    q = quartile_bands(d)
    assert q["n"].to_list() == [2, 2, 2, 2]
    # band 1: 0 + 0 = 0; band 2: 1; band 3: 1 tied woman; band 4: {300 K, 400 M} 1.
    assert q["n_women"].to_list() == [0, 1, 1, 1]
    assert q["n_women"].sum() == 3
