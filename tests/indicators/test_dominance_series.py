"""Women- vs men-dominated comparison, dimensions, series and priority areas."""

from datetime import date

import polars as pl
import pytest
from indicator_factory import data, employment, months, person, sick, unit

from hallbar.indicators import (
    Params,
    compare_dominated_groups,
    compute,
    priority_areas,
    series,
    subtree,
)

P = Params(year=2025)


def org():
    units = [unit("TOP", None, "top"), unit("U1", "TOP", "boss1"), unit("U2", "TOP", "boss2")]
    persons, emps, wt = [], [], []

    def add(
        pid, gender, ssyk, unit_id, *, rate=100.0, form="tillsvidare", pay=30000.0, overtime=0.0
    ):
        persons.append(person(pid, 1980, gender))
        emps.append(
            employment(f"e_{pid}", pid, unit=unit_id, rate=rate, form=form, pay=pay, ssyk=ssyk)
        )
        wt.extend(
            {
                "employment_id": f"e_{pid}",
                "month": m,
                "scheduled_hours": 160.0 * rate / 100,
                "overtime_hours": overtime,
            }
            for m in months(2025)
        )

    # 5321: 12 women + 1 man (92 % women); 6 of them at 75 %.
    for i in range(12):
        add(f"n{i}", "K", "5321", "U1", rate=75.0 if i < 6 else 100.0)
    add("n12", "M", "5321", "U1")
    # 7111: 12 men (3 fixed-term), 2 h overtime a month each, pay 33 000.
    for i in range(12):
        add(
            f"t{i}",
            "M",
            "7111",
            "U2",
            form="visstid" if i < 3 else "tillsvidare",
            pay=33000.0,
            overtime=2.0,
        )
    # 2221: mixed, 6 + 6, in U1.
    for i in range(12):
        add(f"x{i}", "K" if i < 6 else "M", "2221", "U1")
    # 9999: 5 women: more women-dominated, but fewer than 10 persons.
    for i in range(5):
        add(f"s{i}", "K", "9999", "U2")
    for boss in ("boss1", "boss2", "top"):
        add(boss, "M", "1111", "TOP")
    # n6 (full time, 160 h/month) sick all of March: 160 h with the approximation.
    absences = [sick("n6", date(2025, 3, 1), date(2025, 3, 31))]
    return data(persons=persons, employments=emps, working_time=wt, units=units, absences=absences)


def test_most_women_and_men_dominated_groups_are_compared():
    (cmp,) = compare_dominated_groups(org(), P)
    assert cmp.women_group is not None and cmp.men_group is not None
    assert (cmp.women_group.occupation, cmp.women_group.n) == ("5321", 13)
    assert cmp.women_group.share_women == pytest.approx(12 / 13)
    assert (cmp.men_group.occupation, cmp.men_group.n) == ("7111", 12)
    sick_row = cmp.row("sick_leave")
    # 5321 ordinary hours: 6 × 120 × 12 + 7 × 160 × 12 = 8 640 + 13 440 = 22 080; sick 160 h.
    assert sick_row.women_dominated == pytest.approx(100 * 160 / 22080)
    assert sick_row.men_dominated == pytest.approx(0.0)
    assert cmp.row("part_time").women_dominated == pytest.approx(100 * 6 / 13)
    assert cmp.row("part_time").men_dominated == pytest.approx(0.0)
    assert cmp.row("temporary").women_dominated == pytest.approx(0.0)
    assert cmp.row("temporary").men_dominated == pytest.approx(25.0)  # 3 of 12
    # 7111: 12 × 2 h × 12 months = 288 h over 12 FTE = 24 h per FTE
    assert cmp.row("overtime").men_dominated == pytest.approx(24.0)
    # boss1 leads U1: 13 (5321) + 12 (2221) = 25; boss2 leads U2: 12 (7111) + 5 (9999) = 17
    assert cmp.row("span").women_dominated == pytest.approx(25.0)
    assert cmp.row("span").men_dominated == pytest.approx(17.0)
    assert cmp.row("median_pay").women_dominated == pytest.approx(30000.0)
    assert cmp.row("median_pay").men_dominated == pytest.approx(33000.0)
    split = cmp.row("split_shifts")
    assert split.women_dominated is None and split.men_dominated is None
    assert split.note_sv is not None and "Uppgift saknas" in split.note_sv
    table = cmp.to_table().frame
    assert table.height == len(cmp.rows)


def test_no_men_dominated_group_gives_a_note_not_a_number():
    d = org()
    d = d.with_frames(employments=d.employments.filter(d.employments["ssyk"] != "7111"))
    (cmp,) = compare_dominated_groups(d, P)
    # with 1111 (3 bosses) below the minimum of 10 there is no men-dominated group
    assert cmp.men_group is None
    assert any("män" in n for n in cmp.notes_sv)
    assert cmp.row("sick_leave").men_dominated is None


def test_managers_are_not_a_candidate_group():
    # Eleven women managers (SSYK 1422, 100 % women, n = 11 >= 10) would out-rank
    # 5321 (92 % women) on share; as managers they are left out of the choice.
    d = org()
    extra_persons = [person(f"m{i}", 1975, "K") for i in range(11)]
    extra_emps = [
        employment(f"e_m{i}", f"m{i}", unit="U1", ssyk="1422", manager=True) for i in range(11)
    ]
    d = d.with_frames(
        persons=pl.concat([d.persons, data(persons=extra_persons).persons], how="vertical"),
        employments=pl.concat(
            [d.employments, data(employments=extra_emps).employments], how="vertical"
        ),
    )
    (cmp,) = compare_dominated_groups(d, P)
    assert cmp.women_group is not None and cmp.women_group.occupation == "5321"


def test_cut_by_occupation_type_and_age_band():
    frame = compute("headcount", org(), P.with_(by=("occupation_type",))).frame
    counts = dict(zip(frame["occupation_type"], frame["n"], strict=True))
    # women-dominated: 5321 (13) + 9999 (5); men-dominated: 7111 (12) + 1111 (3); mixed: 2221 (12)
    assert counts == {"kvinnodominerat": 18, "mansdominerat": 15, "könsblandat": 12}
    frame = compute("sick_leave_total", org(), P.with_(by=("occupation_type",))).frame
    women = frame.filter(frame["occupation_type"] == "kvinnodominerat").row(0, named=True)
    # 18 persons: 5321's 22 080 h + 9999's 5 × 1 920 = 9 600 h -> 31 680 h; 160 sick hours
    assert women["n"] == 18 and women["value"] == pytest.approx(100 * 160 / 31680)


def test_subtree_expands_all_units_below():
    units = data(units=[unit("A"), unit("B", "A"), unit("C", "B"), unit("D", "A"), unit("E")]).units
    assert sorted(subtree(units, "A")) == ["A", "B", "C", "D"]
    assert sorted(subtree(units, "B")) == ["B", "C"]


def test_monthly_and_yearly_series():
    d = org()
    s = series("sick_leave_total", d, freq="month", params=P)
    assert s.height == 12
    march = s.filter(s["period"] == date(2025, 3, 1)).row(0, named=True)
    # all 45 staff: ordinary hours in March = 6 × 120 + 39 × 160 = 6 960
    assert march["value"] == pytest.approx(100 * 160 / 6960)
    assert s.filter(s["period"] == date(2025, 4, 1))["value"][0] == pytest.approx(0.0)
    by_gender = series("sick_leave_total", d, freq="month", by=["gender"], params=P)
    women = by_gender.filter(
        (by_gender["period"] == date(2025, 3, 1)) & (by_gender["gender"] == "K")
    )
    # women's March hours: 6 × 120 (5321 at 75 %) + (6 + 6 + 5) × 160 = 3 440; n6's 160 sick hours
    assert women["n"][0] == 23 and women["value"][0] == pytest.approx(100 * 160 / 3440)
    y = series("sick_leave_total", d, freq="year", params=P)
    assert y["value"][0] == pytest.approx(100 * 160 / (6960 * 12))
    h = series("headcount", d, freq="month", by=["gender"], params=P)
    assert (
        h.filter((h["period"] == date(2025, 1, 1)) & (h["gender"] == "K"))["n"][0] == 23
    )  # 12 + 6 + 5
    o = series("overtime_per_fte", d, freq="year", params=P)
    # 288 h of overtime over 45 − 6 × 0.25 = 43.5 FTE
    assert o["value"][0] == pytest.approx(288 / 43.5)


def test_priority_areas_list_figures_and_standout_units():
    areas = {a.key: a for a in priority_areas(org(), P)}
    assert set(areas) == {"fulltime", "health", "managers", "pay"}
    assert "span_of_control" in areas["managers"].figure_ids
    assert areas["managers"].standouts.height == 0  # spans 25, 17 and 3: none above 30
    big = org()
    extra = [employment(f"e_y{i}", f"y{i}", unit="U2") for i in range(20)]
    big = big.with_frames(
        employments=big.employments.vstack(data(employments=extra).employments),
        persons=big.persons.vstack(
            data(persons=[person(f"y{i}", 1990) for i in range(20)]).persons
        ),
    )
    areas = {a.key: a for a in priority_areas(big, P)}
    # boss2 now has 17 + 20 = 37 > 30
    assert areas["managers"].standouts["id"].to_list() == ["U2"]
    assert areas["managers"].standouts["value"].to_list() == [37.0]


def test_headcount_and_fte_series_without_dimensions_count_the_first_of_each_month():
    # A full time all year; B 50 % from 2025-07-01 (covers 1 Jul … 1 Dec); C 100 % from 2025-03-02
    # (first covered month-start 1 Apr); D ends 2025-05-01 (covers 1 Jan … 1 May); E hourly-paid.
    emps = [
        employment("a", "A"),
        employment("b", "B", rate=50.0, start=date(2025, 7, 1)),
        employment("c", "C", start=date(2025, 3, 2)),
        employment("d", "D", end=date(2025, 5, 1)),
        employment("e", "E", form="timavlönad", rate=0.0),
    ]
    d = data(persons=[person(p, 1980) for p in "ABCDE"], employments=emps)
    h = series("headcount", d, freq="month", params=P)
    assert h["n"].to_list() == [2, 2, 2, 3, 3, 2, 3, 3, 3, 3, 3, 3]
    f = series("fte", d, freq="month", params=P)
    assert f["value"].to_list() == pytest.approx([2, 2, 2, 3, 3, 2, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5])
    # the same through the per-snapshot path with a dimension
    hg = series("headcount", d, freq="month", by=["gender"], params=P)
    assert hg["n"].to_list() == h["n"].to_list()
