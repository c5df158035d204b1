import zipfile
from datetime import datetime

import openpyxl
import pytest
from report_fixtures import plain_table, sick_table

from hallbar.reports.excel import sheet_name, write_excel
from hallbar.reports.formatting import SUPPRESSION_NOTE_SV


@pytest.fixture
def workbook(tmp_path):
    path = write_excel(
        [sick_table(), plain_table("Kön"), plain_table("Kön")],
        tmp_path / "rapport.xlsx",
        title="Personalbokslut 2025",
        org_name="Exempelkommunen",
        period="2025",
    )
    return path, openpyxl.load_workbook(path)


def test_sheets_are_named_validly_and_uniquely(workbook):
    _, wb = workbook
    # "Sjukfrånvaro per enhet: förvaltningarna [2025]" has 46 characters, Excel allows 31:
    # the sheet keeps the title's head (the whole title stays in the sheet's first cell).
    assert wb.sheetnames == ["Definitioner", "Sjukfrånvaro per enhet", "Kön", "Kön (2)"]
    assert (
        wb["Sjukfrånvaro per enhet"]["A1"].value == "Sjukfrånvaro per enhet: förvaltningarna [2025]"
    )
    taken = {"kön"}
    assert sheet_name("kön", taken) == "kön (2)"
    assert len(sheet_name("x" * 40, set())) == 31
    # ':' '[' ']' are not allowed in sheet names
    assert sheet_name("a:b [c]", set()) == "a-b -c-"
    # no head fits: whole words and an ellipsis, never a word cut in two
    assert sheet_name("Andel av personalkostnaden per månad: hela urvalet", set()) == (
        "Andel av personalkostnaden per…"
    )
    taken = set()
    long = "Hälsa och stressrelaterad ohälsa i förvaltningen"
    assert [sheet_name(long, taken) for _ in range(2)] == [
        "Hälsa och stressrelaterad…",
        "Hälsa och stressrelaterad… (2)",
    ]


def test_table_sheet_headers_values_and_marks(workbook):
    _, wb = workbook
    ws = wb["Sjukfrånvaro per enhet"]
    assert ws["A1"].value == "Sjukfrånvaro per enhet: förvaltningarna [2025]"
    assert ws["A2"].value == "Exempelkommunen · 2025"
    assert [c.value for c in ws[4]][:5] == [
        "Enhet",
        "Antal anställda (personer)",
        "Sjukfrånvaro (%)",
        "Medianlön (kr)",
        "Från",
    ]
    assert ws["A4"].font.b
    assert ws.freeze_panes == "B5"
    a = ws[5]
    assert a[0].value == "A <script>alert(1)</script>"
    assert a[1].value == 1234 and a[1].number_format == "#,##0"
    # Percent values are written as fractions with a percent format: 7.25 % -> 0.0725.
    assert a[2].value == pytest.approx(0.0725) and a[2].number_format == "0.0 %"
    assert a[3].value == 34500 and a[3].number_format == '#,##0 "kr"'
    assert a[4].value == datetime(2025, 11, 1)
    assert ws["C6"].value == ".."  # B: primary
    assert ws["C7"].value == ".."  # C: secondary
    assert ws["C8"].value == "–"  # D: missing, not hidden
    assert ws["C9"].value == pytest.approx(0.071)
    notes = [ws.cell(row=r, column=1).value for r in range(10, 16)]
    assert "Enhet D saknar uppgifter om arbetstid." in notes
    assert SUPPRESSION_NOTE_SV in notes


def test_definitions_sheet_lists_every_figure(workbook):
    _, wb = workbook
    ws = wb["Definitioner"]
    assert ws["A1"].value == "Personalbokslut 2025"
    assert [c.value for c in ws[4]] == [
        "Blad",
        "Mått",
        "Definition",
        "Avser",
        "Enhet",
        "Källa",
        "Minsta gruppstorlek",
    ]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    sick = next(r for r in body if r[1] == "Sjukfrånvaro")
    assert sick[0] == "Sjukfrånvaro per enhet"
    assert sick[2] == "Sjukfrånvarotimmar i procent av ordinarie arbetstid."
    assert sick[4] == "%" and sick[6] == 11
    assert sum(1 for r in body if r[1] == "Antal anställda") == 3
    assert any(r[0] == SUPPRESSION_NOTE_SV for r in body)


def test_chart_is_written_only_for_tables_that_ask(workbook):
    path, _ = workbook
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<c:barChart>" in xml
    assert "Sjukfrånvaro per enhet" in xml
