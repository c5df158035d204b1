"""The pay-survey document's Excel sheets have short names that fit Excel's 31
characters and tell the tables apart (the full title is in each sheet's first cell)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from webtesting import HR, WebEnv

from hallbar.services.paysurvey import document


def test_sheet_names_are_short_whole_and_unique(surveyed: WebEnv, tmp_path: Path) -> None:
    path = document.document_excel(surveyed.hb, HR, "9999", 2025, tmp_path / "dok.xlsx")
    book = load_workbook(path)
    names = book.sheetnames
    assert all(len(n) <= 31 for n in names) and len(set(names)) == len(names)
    assert not [n for n in names if n.endswith("…")]  # no name cut short
    assert {"Värderingsmodell", "Lika arbete", "Likvärdigt arbete", "Medellön och tillägg"} <= set(
        names
    )
    assert book["Medellön och tillägg"]["A1"].value == (
        "Genomsnittlig lön och genomsnittliga tillägg per kategori och kön"
    )
