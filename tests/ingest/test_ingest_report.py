"""The validation report: Swedish, counts on top, grouped by file, errors before warnings."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from hallbar.core.errors import HallbarError, Problem
from hallbar.ingest import write_validation_report
from hallbar.ingest.api import IngestResult

PROBLEMS = [
    Problem("franvaro.csv", 7, "omfattning", "Omfattningen ska vara 1–100", "fel"),
    Problem("anstallningar.csv", 1, "namn", "namn sparas inte", "varning"),
    Problem("anstallningar.csv", 9, "startdatum", "Datumet '1/2/2025' är tvetydigt", "fel"),
    Problem("anstallningar.csv", 4, "personnummer", "Ogiltigt personnummer <x>", "fel"),
]


def test_html_report(tmp_path: Path) -> None:
    result = IngestResult(None, PROBLEMS, {"employments": 12}, {"employments": "anstallningar.csv"})
    path = write_validation_report(result, tmp_path / "rapport.html")
    text = path.read_text(encoding="utf-8")
    assert '<html lang="sv">' in text
    assert "<th>Antal fel</th><td>3</td>" in text
    assert "<th>Antal varningar</th><td>1</td>" in text
    assert "Rader i anstallningar.csv" in text
    assert "Ogiltigt personnummer &lt;x&gt;" in text  # escaped
    # Grouped by file; in a file errors (by row) come before warnings.
    order = [
        text.index("<h2>anstallningar.csv</h2>"),
        text.index("Ogiltigt personnummer"),
        text.index("tvetydigt"),
        text.index("namn sparas inte"),
        text.index("<h2>franvaro.csv</h2>"),
    ]
    assert order == sorted(order)
    assert "Importen kan inte genomföras" in text


def test_xlsx_report(tmp_path: Path) -> None:
    path = write_validation_report(PROBLEMS, tmp_path / "rapport.xlsx")
    problems = pl.read_excel(path, sheet_name="Problem", engine="calamine")
    assert problems.columns == ["Fil", "Typ", "Rad", "Kolumn", "Vad ska rättas"]
    assert problems["Typ"].to_list() == ["Fel", "Fel", "Varning", "Fel"]
    assert problems["Rad"].to_list() == [4, 9, 1, 7]
    summary = pl.read_excel(path, sheet_name="Sammanfattning", engine="calamine", has_header=False)
    values = dict(zip(summary[:, 0].to_list(), summary[:, 1].to_list(), strict=True))
    assert values["Antal fel"] == "3"


def test_empty_report_says_no_problems(tmp_path: Path) -> None:
    text = write_validation_report([], tmp_path / "ok.html").read_text(encoding="utf-8")
    assert "Inga problem hittades" in text
    assert "Inga fel: importen kan genomföras" in text


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HallbarError, match=r"\.html eller \.xlsx"):
        write_validation_report(PROBLEMS, tmp_path / "rapport.pdf")
