"""Projections added up per occupation; Kolada comparison (hand-made numbers)."""

from __future__ import annotations

import polars as pl
import pytest

from hallbar.regional.kolada_compare import KOLADA_FRAME, compare, group_mean, similar_group
from hallbar.regional.supply import add_up

USK = "Undersköterska"


def _rows() -> pl.DataFrame:
    data = [
        # code, occupation, year, stock, retirements, turnover, need
        ("1280", USK, 2026, 400.0, 12.0, 40.0, 55.0),
        ("1280", USK, 2027, 395.0, 11.0, 39.0, 52.0),
        ("1281", USK, 2026, 200.0, 6.0, 20.0, 27.0),
        ("1281", USK, 2027, 199.0, 5.0, 19.0, 25.0),
        ("1282", USK, 2026, 4.0, 1.0, 0.5, 1.5),  # four persons: a small group
        ("1282", USK, 2027, 4.0, 0.0, 0.5, 0.5),
        ("1283", USK, 2026, 300.0, 9.0, 30.0, 40.0),  # no consent
        ("1280", "Lärare", 2026, 100.0, 3.0, 8.0, 11.0),
    ]
    return pl.DataFrame(
        data,
        schema=["code", "occupation", "year", "stock", "retirements", "turnover", "need"],
        orient="row",
    )


def test_sum_per_occupation_names_its_members() -> None:
    result = add_up(
        _rows(),
        consenting=frozenset({"1280", "1281", "1282"}),
        hidden={("1282", USK): "Utelämnad: färre än 5 anställda i yrket vid start"},
    )
    usk = result.frame.filter(pl.col("occupation") == USK).sort("year")
    # 2026: stock 400 + 200 = 600; retirements 12 + 6 = 18; turnover 40 + 20 = 60; need 55 + 27 = 82
    assert usk.row(0) == (USK, 2026, 600.0, 18.0, 60.0, 82.0, ["1280", "1281"])
    # 2027: 395 + 199 = 594; 11 + 5 = 16; 39 + 19 = 58; 52 + 25 = 77
    assert usk.row(1)[2:6] == (594.0, 16.0, 58.0, 77.0)
    assert result.members == ("1280", "1281")
    reasons = {(c, o): r for c, o, r in result.left_out}
    assert reasons[("1282", USK)].startswith("Utelämnad: färre än 5")
    assert reasons[("1283", USK)] == "Har inte samtyckt till att dela sin prognos"


def _kolada() -> pl.DataFrame:
    rows = [
        ("N00090", "1280", 2024, "T", 7.5, ""),
        ("N00090", "1281", 2024, "T", 6.0, ""),
        ("N00090", "1282", 2024, "T", 9.0, ""),
        ("N00090", "G124026", 2024, "T", 7.1, ""),  # a group's published value
    ]
    return pl.DataFrame(rows, schema=KOLADA_FRAME, orient="row")


def test_compare_lines_and_differences() -> None:
    result = compare(
        7.9,
        kolada=_kolada(),
        kpi="N00090",
        municipality="1280",
        period=2024,
        skane=("G124026", ("1280", "1281", "1282")),
        similar=("G_LIKN", ("1281", "1282")),
    )
    lines = {line.label_sv: line for line in result.lines}
    assert lines["Koladas publicerade värde"].value == 7.5
    assert lines["Koladas publicerade värde"].difference == pytest.approx(0.4)  # 7.9 − 7.5
    assert lines["Skånes kommuner (ovägt medel)"].value == 7.1  # the group's own value
    # no published group value: (6.0 + 9.0) / 2 = 7.5, computed and labelled as such
    similar = lines["Liknande kommuner"]
    assert similar.value == 7.5
    assert similar.source_sv.startswith("Egen bearbetning av data från Kolada")
    assert "årsredovisning" in result.note_sv


def test_missing_kolada_value_is_said() -> None:
    result = compare(5.0, kolada=_kolada(), kpi="N00090", municipality="1283", period=2024)
    assert "Kolada har inget värde för N00090 (T) år 2024 för 1283." in result.messages_sv
    assert group_mean(_kolada(), kpi="N00090", group_id="X", members=(), period=2024) == (None, "")


def test_similar_group_prefers_the_newest_overall_group() -> None:
    groups = [
        ("G1", "Liknande kommuner äldreomsorg, Lund, 2024", ("1280",)),
        ("G2", "Liknande kommuner, övergripande, Lund, 2022", ("1280",)),
        ("G3", "Liknande kommuner, övergripande, Lund, 2024", ("1280",)),
        ("G4", "Liknande kommuner, övergripande, Malmö, 2025", ("1281",)),
    ]
    assert similar_group(groups, "Lund") == "G3"
    assert similar_group(groups, "Ystad") is None
