"""Negative numbers shown to people carry the minus sign U+2212 (issue 11): tables, charts,
documents and the follow-up's budget columns; CSV and Excel value cells stay numbers.

Every expected text is written by hand: "−" below is U+2212, "\u202f" a narrow no-break
space, and rounding is half away from zero on the value as written.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import polars as pl

from hallbar.core.describe import FigureTable
from hallbar.reports.csv_export import write_csv
from hallbar.reports.excel import write_excel
from hallbar.reports.formatting import (
    format_kr,
    format_msek,
    format_number,
    format_number_unbroken,
    format_percent,
    format_share,
    format_value,
)
from hallbar.reports.html import render_html_table
from hallbar.reports.json_export import to_json
from hallbar.reports.svgcharts import fmt_number
from hallbar.web.formatting import number, percent

MINUS = "\u2212"
assert MINUS == "−"


def test_every_text_format_writes_the_minus_sign() -> None:
    assert format_number(-2.5, 1) == "−2,5"
    assert format_number(-7) == "−7"
    assert format_number(-1234567) == "−1 234 567"
    assert format_number(-0.05, 1) == "−0,1"  # half away from zero
    assert format_percent(-3.25) == "−3,3 %"
    assert format_share(-0.012) == "−1,2 %"
    assert format_kr(-1500) == "−1 500 kr"
    assert format_value(-2.25, "number", 1) == "−2,3"
    assert format_number_unbroken(-1234.5, 1) == "−1\u202f234,5"


def test_pages_and_charts_write_it_as_the_tables_do() -> None:
    assert number(-1234.5, 1) == "−1\u202f234,5"
    assert percent(-0.25) == "−0,3\u00a0%"
    assert fmt_number(-1234.5, 1) == "−1\u202f234,5"
    assert fmt_number(2.25, 1) == "2,3"  # the tables' rounding, not the binary float's "2,2"


def test_the_follow_up_budget_in_msek() -> None:
    assert format_msek(40_600_000) == "40,6"
    assert format_msek(168_000_000) == "168"
    assert format_msek(-1_500_000) == "−1,5"
    assert format_msek(-5_000_000) == "−5"
    assert format_msek(-40_000) == "0"  # −0,04 MSEK rounds to nothing, never "−0"
    assert format_msek(1_234_500_000) == "1\u202f234,5"
    assert format_msek(None) == "–"


def _change_table() -> FigureTable:
    frame = pl.DataFrame({"Enhet": ["A", "B"], "Förändring": [-1.5, 12.25]})
    return FigureTable("forandring", "Förändring per enhet", frame)


def test_an_html_table_shows_the_minus_sign() -> None:
    html = render_html_table(_change_table())
    assert "−1,5" in html and "12,3" in html  # 12,25 rounds half up
    assert "-1,5" not in html


def test_csv_and_excel_value_cells_stay_numbers(tmp_path: Path) -> None:
    csv_path, _ = write_csv(_change_table(), tmp_path / "f.csv")
    lines = csv_path.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[1:3] == ["A;-1,5", "B;12,25"]  # a program reads them as numbers
    xlsx = write_excel(
        [_change_table()], tmp_path / "f.xlsx", title="Förändring", org_name="X", period="2025"
    )
    sheet = openpyxl.load_workbook(xlsx)["Förändring per enhet"]
    found = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, float)]
    assert found == [-1.5, 12.25]


def test_json_keeps_the_value_as_a_number() -> None:
    doc = to_json([_change_table()], title="T", org_name="X", period="2025")
    values = [r["values"]["Förändring"] for r in doc["tables"][0]["rows"]]
    assert values == [-1.5, 12.25]
    json.dumps(doc)
