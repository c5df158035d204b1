"""The evaluation grid's Excel round trip and the written documentation's sections."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from webtesting import HR, WebEnv

from hallbar.paysurvey.notices import EvaluationInvalid
from hallbar.services.paysurvey import document, excel, survey

REQUIRED_SECTIONS = (
    "Om lönekartläggningen",
    "Samverkan med arbetstagarorganisationerna",
    "Arbetsvärdering",
    "Resultat: lika arbete, likvärdigt arbete och kvinnodominerade arbeten",
    "Analys av skillnaderna",
    "Lönejusteringar, kostnad och tidsplan",
    "Utvärdering av förra årets åtgärder",
    "Definitioner",
)


def _filled(content: bytes, level: int | str, job_row: int = 2) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Arbetsvärdering"]
    for col in range(2, ws.max_column + 1):
        for row in range(2, ws.max_row + 1):
            ws.cell(row, col).value = level if row == job_row else 2
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_grid_round_trip(env: WebEnv) -> None:
    survey.create_survey(env.hb, HR, "9999", year=2025, survey_date="2025-11-01")
    content = excel.export_grid(env.hb, HR, "9999", 2025)
    wb = load_workbook(io.BytesIO(content))
    jobs = [r[0].value for r in wb["Arbetsvärdering"].iter_rows(min_row=2)]
    assert jobs == ["Ingenjör", "Lärare", "Undersköterska"]
    assert excel.import_grid(env.hb, HR, "9999", 2025, _filled(content, 4), "grid.xlsx") == 3
    stored = survey.load_stored(env.hb, "9999", 2025).scores
    assert set(stored["Ingenjör"].values()) == {4}
    assert set(stored["Lärare"].values()) == {2}
    # Exported again: the same levels come back.
    again = load_workbook(io.BytesIO(excel.export_grid(env.hb, HR, "9999", 2025)))
    assert [c.value for c in again["Arbetsvärdering"][2]][1:] == [4] * 12


def test_grid_import_errors_name_sheet_row_and_column(env: WebEnv) -> None:
    survey.create_survey(env.hb, HR, "9999", year=2025, survey_date="2025-11-01")
    content = excel.export_grid(env.hb, HR, "9999", 2025)
    with pytest.raises(EvaluationInvalid) as err:
        excel.import_grid(env.hb, HR, "9999", 2025, _filled(content, 7, job_row=3), "grid.xlsx")
    first = err.value.problems[0]
    assert (first.file, first.row, first.column) == ("Arbetsvärdering", 3, "kunskap")
    assert "utanför 1–5" in first.message
    assert survey.load_stored(env.hb, "9999", 2025).scores == {}  # nothing saved
    with pytest.raises(EvaluationInvalid, match="Excel"):
        excel.import_grid(env.hb, HR, "9999", 2025, b"not excel", "grid.xlsx")


def test_document_has_required_sections(surveyed: WebEnv, tmp_path: Path) -> None:
    html = document.document_html(surveyed.hb, HR, "9999", 2025)
    for title in REQUIRED_SECTIONS:
        assert title in html
    assert "Kommunal" in html  # how the unions took part
    assert "@media print" in html
    path = document.document_excel(surveyed.hb, HR, "9999", 2025, tmp_path / "dok.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Dokumentation"
    text = " ".join(str(c.value) for row in wb["Dokumentation"].iter_rows() for c in row if c.value)
    for title in REQUIRED_SECTIONS[:-1]:
        assert title in text
    assert any(name.lower().startswith("definition") for name in wb.sheetnames)
