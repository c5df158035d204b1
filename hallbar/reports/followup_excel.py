"""The whole plan with its statuses as an Excel workbook: one row per node, one per indicator.

Columns mirror the report so a committee secretary can sort and filter what the
page shows; amounts are MSEK as text with a decimal comma, as in the report.
"""

from __future__ import annotations

import io

import xlsxwriter

from hallbar.reports.followup_document import FollowupReport

PLAN_COLUMNS = (
    "Nivå",
    "Typ",
    "Rubrik",
    "Beskrivning",
    "Ägare",
    "Ansvarig",
    "Genomförande",
    "Status",
    "Hur statusen räknas",
    "Kommentar",
    "Uppföljd",
    "Budget (MSEK)",
    "Utfall (MSEK)",
    "Prognos (MSEK)",
    "Avvikelse (MSEK)",
    "Budgeten summerar inte",
)
INDICATOR_COLUMNS = (
    "Rubrik",
    "Indikator",
    "Värde",
    "Enhet",
    "Skäl till att värde saknas",
    "Utgångsläge",
    "Mål",
    "Trafikljus",
    "Källa",
    "Räknas",
)


def write_plan_workbook(report: FollowupReport) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Plan")
    sheet.write_row(0, 0, PLAN_COLUMNS, bold)
    for r, row in enumerate(report.rows, start=1):
        b = row.budget
        sheet.write_row(
            r,
            0,
            (
                row.depth + 1,
                row.kind_sv,
                ("  " * row.depth) + row.title,
                row.description,
                row.owner_sv,
                row.responsible,
                row.period_sv,
                row.status_sv,
                row.rolled_sv,
                row.comment,
                row.updated_sv,
                b.allocation_sv if b else "",
                b.outcome_sv if b else "",
                b.forecast_sv if b else "",
                b.deviation_sv if b else "",
                (b.mismatch_sv or "") if b else "",
            ),
            wrap,
        )
    sheet.set_column(0, 1, 10)
    sheet.set_column(2, 3, 45)
    sheet.set_column(4, 8, 18)
    sheet.set_column(9, 9, 50)
    sheet.set_column(10, 15, 14)
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, len(report.rows), len(PLAN_COLUMNS) - 1)
    ind = book.add_worksheet("Indikatorer")
    ind.write_row(0, 0, INDICATOR_COLUMNS, bold)
    r = 1
    for row in report.rows:
        for i in row.indicators:
            ind.write_row(
                r,
                0,
                (
                    row.title,
                    i.name,
                    i.value if i.value is not None else "",
                    i.unit,
                    i.reason_sv or "",
                    i.baseline_sv,
                    i.target_sv,
                    i.light_sv,
                    i.source_sv,
                    i.counted_sv,
                ),
                wrap,
            )
            r += 1
    ind.set_column(0, 1, 35)
    ind.set_column(2, 9, 18)
    info = book.add_worksheet("Om filen")
    info.write(0, 0, f"{report.plan_name} – {report.period_name}", bold)
    info.write(1, 0, f"{report.org_name}. Period {report.period_sv}.")
    for k, rule in enumerate(report.rules_sv, start=3):
        info.write(k, 0, rule)
    book.close()
    return out.getvalue()
