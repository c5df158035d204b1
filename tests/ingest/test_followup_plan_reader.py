"""Reading an activity plan (seed 004's columns) from CSV and Excel, and rejecting bad ones."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from hallbar.core.errors import ImportRejected
from hallbar.followup.model import NodeKind
from hallbar.ingest.followup_plan import parse_period, read_plan

UNITS = {"E1": "Hemtjänst", "E2": "Särskilt boende"}


def test_periods() -> None:
    assert parse_period("2020") == (date(2020, 1, 1), date(2020, 12, 31))
    assert parse_period("2019-2022") == (date(2019, 1, 1), date(2022, 12, 31))
    assert parse_period("2025-03-01 – 2025-10-31") == (date(2025, 3, 1), date(2025, 10, 31))
    assert parse_period("hösten") is None


def test_seed004_headers_merged_areas_units_and_budget() -> None:
    # seed 004's table heads: "Strategiskt område", "Vad", "Aktivitet", "Ansvarig", "Genomförande"
    text = (
        "Strategiskt område;Aktivitet;Vad;Ansvarig;Genomförande;Enhet;Budget (mnkr)\n"
        "Samverkan;Nya arbetssätt;Samverkansgrupp;Förvaltningen;2019-2022;Hemtjänst;1,5\n"
        ";Handledning;Fler handledare;HR;2019-2020;E2;\n"
        "Digitalisering;Digital mognad;Taligenkänning;HR;2020;;\n"
    )
    rows = read_plan("plan.csv", text.encode("utf-8"), UNITS)
    shape = [(n.id, n.parent_id, n.kind, n.title, n.owner_unit) for n in rows.nodes]
    assert shape == [
        (1, None, NodeKind.FOCUS_AREA, "Samverkan", None),
        (2, 1, NodeKind.ACTIVITY, "Nya arbetssätt", "E1"),
        (3, 1, NodeKind.ACTIVITY, "Handledning", "E2"),
        (4, None, NodeKind.FOCUS_AREA, "Digitalisering", None),
        (5, 4, NodeKind.ACTIVITY, "Digital mognad", None),
    ]
    assert rows.budgets_kr == {2: 1_500_000}  # 1,5 mnkr
    assert rows.first_year == 2019
    assert rows.nodes[1].description == "Samverkansgrupp"
    assert rows.nodes[1].responsible == "Förvaltningen"
    assert (rows.nodes[2].start, rows.nodes[2].end) == (date(2019, 1, 1), date(2020, 12, 31))


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_problem_is_named_and_nothing_is_returned() -> None:
    content = _xlsx(
        [
            ["Område", "Aktivitet", "Vad", "Ansvarig", "Period", "Enhet"],
            ["", "Utan område", "x", "HR", "2020", ""],
            ["A", "", "x", "HR", "2022-2020", "Okänd"],
            ["A", "Budget", "x", "HR", "sen höst", ""],
        ]
    )
    with pytest.raises(ImportRejected) as caught:
        read_plan("plan.xlsx", content, UNITS)
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [
        (2, "område"),
        (3, "aktivitet"),
        (3, "period"),
        (3, "enhet"),
        (4, "period"),
    ]
    assert "slutar före den börjar" in caught.value.problems[2].message


def test_missing_columns_and_wrong_format() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_plan("plan.csv", "Område;Aktivitet\na;b\n".encode(), UNITS)
    assert [p.column for p in caught.value.problems] == ["vad", "ansvarig", "period"]
    with pytest.raises(ImportRejected, match="Excelfil"):
        read_plan("plan.docx", b"x", UNITS)


def test_csv_encodings_as_the_hr_import_reads_them() -> None:
    text = "Område;Aktivitet;Vad;Ansvarig;Period\nHälsa;Hälsosamtal;Samtal;Enhetschef;2025\n"
    # Windows-1252 (older Excel "CSV (semikolonavgränsad)") reads the same as UTF-8
    rows = read_plan("plan.csv", text.encode("cp1252"), UNITS)
    assert [n.title for n in rows.nodes] == ["Hälsa", "Hälsosamtal"]
    # UTF-16 ("Unicode-text") is refused by name, as the HR import does (ingest.encoding)
    with pytest.raises(ImportRejected, match="UTF-16"):
        read_plan("plan.csv", text.encode("utf-16"), UNITS)
