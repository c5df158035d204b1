"""Snapshots of the pay survey's written documentation (paydata's Testkommun, every
job scored): the HTML and the Excel workbook's cells as text."""

from __future__ import annotations

from pathlib import Path

from snapshots import stable, xlsx_cells
from syrupy.assertion import SnapshotAssertion
from webtesting import HR, WebEnv

from hallbar.services.paysurvey import document


def test_document_html(surveyed: WebEnv, snapshot: SnapshotAssertion) -> None:
    assert stable(document.document_html(surveyed.hb, HR, "9999", 2025)) == snapshot


def test_document_excel_cells(
    surveyed: WebEnv, tmp_path: Path, snapshot: SnapshotAssertion
) -> None:
    path = document.document_excel(surveyed.hb, HR, "9999", 2025, tmp_path / "dok.xlsx")
    assert xlsx_cells(path.read_bytes()) == snapshot
