"""Issue 10 item 3: hostile unit, job and occupation names never run as formulas in
exports (Excel: string cells; CSV: OWASP's single-quote prefix), and negative numbers
stay numbers."""

import csv
from datetime import date

import openpyxl
import polars as pl
import pytest

from hallbar.core.describe import Description, FigureTable
from hallbar.reports.csv_export import definitions_path, write_csv
from hallbar.reports.excel import write_excel
from hallbar.reports.paysurvey_document import DocSection, PaySurveyDocument, write_document_excel
from hallbar.reports.safe_text import csv_text

HOSTILE = '=HYPERLINK("http://x","y")'
NAMES = [HOSTILE, "+46 Enhet", "-Avdelning", "@SUM(A1)", "\tFlik", "\rRetur", "Vanlig enhet"]

GAP = Description(
    id="diff_kr",
    name_sv="Skillnad",
    definition_sv="Kvinnors medianlön minus mäns.",
    population_sv="Månadsavlönade.",
    unit="kr",
    source="=Källa",
)


def hostile_table() -> FigureTable:
    n = len(NAMES)
    return FigureTable(
        id="fientlig",
        title_sv="=Titel",
        frame=pl.DataFrame(
            {
                "Enhet": NAMES,
                "Befattning": ["@Befattning"] * n,
                "Yrke": ["-Yrke"] * n,
                "diff_kr": [-3000.0, -1.5, 0.0, 250.0, -42.0, 12.0, -7.0],
            }
        ),
        descriptions=(GAP,),
        notes_sv=("-Anmärkning",),
    )


def test_csv_text_prefixes_exactly_the_owasp_triggers():
    assert csv_text(HOSTILE) == "'" + HOSTILE
    for text in ("+1", "-1", "@a", "\ta", "\ra"):
        assert csv_text(text) == "'" + text
    for text in ("Vanlig", "1 234", "", "–", ".."):
        assert csv_text(text) == text


def _all_cells(wb: openpyxl.Workbook):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_excel_has_no_formula_cells_and_keeps_the_text(tmp_path):
    path = write_excel(
        [hostile_table()], tmp_path / "x.xlsx", title="=Rapport", org_name="@Org", period="2025"
    )
    wb = openpyxl.load_workbook(path)
    cells = list(_all_cells(wb))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    # The names are shown as written, as text (XML keeps no bare carriage return, so
    # "\rRetur" comes back with the line break normalised, still a text cell).
    assert set(NAMES) - {"\rRetur"} <= texts
    assert any(t.endswith("Retur") for t in texts)
    assert {"@Befattning", "-Yrke", "=Titel", "=Rapport", "-Anmärkning", "=Källa"} <= texts
    ws = wb.worksheets[1]
    header = [c.value for c in ws[4]]
    gap_col = header.index("Skillnad (kr)")
    values = [ws.cell(row=5 + i, column=gap_col + 1) for i in range(len(NAMES))]
    # Negative numbers stay numbers.
    assert [c.value for c in values] == [-3000, -1.5, 0, 250, -42, 12, -7]
    assert all(c.data_type == "n" for c in values)
    # No hyperlink was made from the text either.
    assert not any(ws_.__dict__.get("_hyperlinks") for ws_ in wb.worksheets)


def test_csv_escapes_text_cells_and_leaves_numbers(tmp_path):
    table_path, defs = write_csv(hostile_table(), tmp_path / "x.csv")
    assert defs == definitions_path(table_path)
    with table_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0] == ["Enhet", "Befattning", "Yrke", "Skillnad (kr)"]
    body = rows[1:]
    assert [r[0] for r in body] == [
        "'" + HOSTILE,
        "'+46 Enhet",
        "'-Avdelning",
        "'@SUM(A1)",
        "'\tFlik",
        "'\rRetur",
        "Vanlig enhet",
    ]
    assert {r[1] for r in body} == {"'@Befattning"}
    assert {r[2] for r in body} == {"'-Yrke"}
    # Numbers: decimal comma, the minus sign kept, no quote.
    assert [r[3] for r in body] == ["-3000", "-1,5", "0", "250", "-42", "12", "-7"]
    with defs.open(encoding="utf-8-sig", newline="") as fh:
        def_rows = list(csv.reader(fh, delimiter=";"))
    assert [r[5] for r in def_rows if r[0] == "Skillnad (kr)"] == ["'=Källa"]
    assert any(r[2] == "'-Anmärkning" for r in def_rows)


@pytest.mark.parametrize("name", [HOSTILE, "-Vårdbiträde", "@Lärare"])
def test_pay_survey_document_excel_has_no_formula_cells(tmp_path, name):
    doc = PaySurveyDocument(
        title="Lönekartläggning 2025",
        org_name=name,
        year=2025,
        survey_date=date(2025, 11, 1),
        created=date(2025, 12, 1),
        sections=(
            DocSection(
                "resultat",
                "Resultat",
                paragraphs=(name,),
                tables=(hostile_table(),),
                facts=(("Befattning", name),),
            ),
        ),
    )
    path = write_document_excel(doc, tmp_path / "dok.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = list(_all_cells(wb))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert name in {c.value for c in cells}
