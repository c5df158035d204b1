"""The pay-transparency documents as text (syrupy snapshots), from hand-made inputs.

The snapshots were read line by line when created: every amount below is the
input given here, formatted by ``hallbar.reports.formatting`` (space as
thousands separator, one decimal for percent).
"""

from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import load_workbook
from syrupy.assertion import SnapshotAssertion

from hallbar.paytransparency.information import PAY_INCLUDED_SV
from hallbar.paytransparency.report import MEASURES_SV, POINTS_SV
from hallbar.reports import paytransparency_documents

ANSWER = {
    "org_name": "Testkommun",
    "requested_by": "Arbetstagaren själv",
    "received_on": "2026-09-30",
    "due_on": "2026-11-30",
    "at": "2026-09-30",
    "answered_on": "2026-10-15",
    "person_id": "9999-p011",
    "job": "Kock",
    "own_pay": 28000.0,
    "category": {
        "basis": "likvärdigt arbete",
        "label": "Nivå 6 (500–600)",
        "n_women": 7,
        "n_men": 6,
        "mean_women": 31000.0,
        "mean_men": 205000.0 / 6,
        "median_women": 31000.0,
        "median_men": 34500.0,
    },
    "fallback_sv": "Befattningen 'Kock' har färre än 5 kvinnor eller män.",
    "pay_included_sv": PAY_INCLUDED_SV,
}


def test_answer_letter(snapshot: SnapshotAssertion) -> None:
    text = paytransparency_documents.render_text(paytransparency_documents.answer_letter(ANSWER))
    assert "Din månadslön: 28 000 kr" in text
    assert "Medellön | 31 000 kr | 34 167 kr" in text  # 205 000 / 6 = 34 166,67
    assert text == snapshot


def test_criteria_document(snapshot: SnapshotAssertion) -> None:
    doc = paytransparency_documents.criteria_document(
        "Testkommun", "Vård och omsorg", 2, date(2027, 1, 1),
        [("Ansvar", "Ansvar för patienter och budget"), ("Kompetens", "Utbildning och erfarenhet")],
    )  # fmt: skip
    text = paytransparency_documents.render_text(doc)
    assert "Version 2, gäller från 2027-01-01." in text
    assert text == snapshot


SNAPSHOT = {
    "org_name": "Testkommun",
    "report_date": "2026-09-30",
    "headcount": 26,
    "headcount_caption": "26 anställda 2026-09-30",
    "reporting_sv": "Färre än 100 anställda: ingen rapporteringsskyldighet enligt artikel 9.",
    "category_kind_sv": "Värdenivå i arbetsvärderingen (likvärdigt arbete)",
    "gap_threshold_pct": 5.0,
    "notices": ["1 kategori har färre än 5 kvinnor eller män."],
    "values": [
        {"point": "a", "category": "", "measure": "gap_hourly", "value": 12.5, "suppressed": False},
        {
            "point": "f",
            "category": "Q1",
            "measure": "share_women",
            "value": 75.0,
            "suppressed": False,
        },
        {
            "point": "g",
            "category": "Nivå 6",
            "measure": "gap_total_hourly",
            "value": 9.268,
            "suppressed": False,
        },
        {
            "point": "g",
            "category": "Nivå 10",
            "measure": "gap_total_hourly",
            "value": None,
            "suppressed": True,
        },
    ],
    "flagged": [{"category": "Nivå 6", "gap_pct": 9.268}],
}


def test_report_document_and_export(snapshot: SnapshotAssertion) -> None:
    doc = paytransparency_documents.report_document(
        SNAPSHOT, points_sv=POINTS_SV, measures_sv=MEASURES_SV, status_sv="Fastställd",
        consulted="Kommunal (2026-10-01)", confirmed="hr 2026-10-02",
    )  # fmt: skip
    text = paytransparency_documents.render_text(doc)
    assert "Nivå 6 | Skillnad i timlön, totalt, % | 9,3 %" in text
    assert "Nivå 10 | Skillnad i timlön, totalt, % | dold (liten grupp)" in text
    assert text == snapshot
    html = paytransparency_documents.render_html(doc)
    assert '<html lang="sv">' in html and '<th scope="col">Kategori</th>' in html
    rows = [
        {"artikelpunkt": "g", "punkt_beskrivning": POINTS_SV["g"], "kategori": "Nivå 10",
         "mått": "gap_total_hourly", "mått_beskrivning": MEASURES_SV["gap_total_hourly"],
         "värde": None, "enhet": "%", "dolt_liten_grupp": True},
    ]  # fmt: skip
    csv = paytransparency_documents.export_csv(rows).decode("utf-8-sig").splitlines()
    assert csv[0] == ";".join(paytransparency_documents.EXPORT_COLUMNS)
    assert csv[1].startswith("g;") and ";Nivå 10;gap_total_hourly;" in csv[1]
    assert (
        json.loads(paytransparency_documents.export_json({"rapportdatum": "2026-09-30"}, rows))[
            "värden"
        ]
        == rows
    )
    wb = load_workbook(
        io.BytesIO(paytransparency_documents.export_excel({"rapportdatum": "2026-09-30"}, rows))
    )
    assert [c.value for c in wb["Värden"][2]][:3] == ["g", POINTS_SV["g"], "Nivå 10"]


def test_assessment_document(snapshot: SnapshotAssertion) -> None:
    doc = paytransparency_documents.assessment_document(
        "Testkommun", report_date="2026-09-30", opened_on="2026-12-06",
        representatives="Kommunal", status_sv="Pågående", remedy_due="2027-06-06",
        categories=[{
            "category": "Nivå 6", "n_women": 7, "n_men": 6, "share_women": 700 / 13,
            "share_men": 600 / 13, "base_women": 372000.0, "base_men": 410000.0,
            "base_gap_pct": 100 * 38000 / 410000, "complementary_women": 0.0,
            "complementary_men": 0.0, "complementary_gap_pct": None,
            "share_raised_women": None, "share_raised_men": None,
        }],
        reasons={"Nivå 6": "Saknar sakliga skäl."}, measures="Lönetillägg från 1 januari.",
        evaluation="",
    )  # fmt: skip
    text = paytransparency_documents.render_text(doc)
    # 700 / 13 = 53,85 %; 38 000 / 410 000 = 9,27 %
    assert "Andel | 53,8 % | 46,2 % | " in text
    assert "Genomsnittlig grundlön per år | 372 000 kr | 410 000 kr | 9,3 %" in text
    assert text == snapshot


def test_word_file_holds_the_same_text() -> None:
    from docx import Document

    word = Document(
        io.BytesIO(
            paytransparency_documents.render_docx(paytransparency_documents.answer_letter(ANSWER))
        )
    )
    paragraphs = [p.text for p in word.paragraphs]
    assert "Svar på begäran om löneinformation" in paragraphs
    assert "Din månadslön: 28 000 kr" in paragraphs
    cells = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert cells[2] == ["Medellön", "31 000 kr", "34 167 kr"]  # 205 000 / 6 = 34 166,67
