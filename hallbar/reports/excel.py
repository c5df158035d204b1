"""Excel export: a definitions sheet, then one sheet per table (XlsxWriter).

Numbers are written as numeric cells with number formats, so Excel shows them
in the reader's locale (a Swedish Excel shows "1 234,5" and "7,3 %"; format
codes in the file always use "," for thousands and "." for decimals). A cell
hidden by small-group protection holds the text "..", a missing value "–",
and every sheet ends with notes explaining both.

Text never becomes a formula or a link: the workbook is opened with
``strings_to_formulas`` and ``strings_to_urls`` off and every text cell is
written with ``write_string`` (``hallbar.reports.safe_text``), so a unit named
``=HYPERLINK(…)`` is shown as that text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from hallbar.core.describe import FigureTable
from hallbar.reports.columns import Column, columns, rows, table_notes
from hallbar.reports.formatting import MISSING_NOTE_SV, SUPPRESSION_NOTE_SV

DEFINITIONS_SHEET = "Definitioner"
HEADER_ROW = 3  # title, subtitle, blank line, then the header

NUMBER_FORMATS = {
    "int": "#,##0",
    "number": "#,##0.{zeros}",
    "percent": "0.{zeros} %",
    "share": "0.{zeros} %",
    "kr": '#,##0 "kr"',
    "date": "yyyy-mm-dd",
}
CHART_TYPES = {"column": "column", "bar": "bar", "line": "line"}


SHEET_NAME_MAX = 31  # Excel's limit


def short_title(title: str) -> str:
    """A sheet name for ``title`` that reads as a name, not a title cut mid-word.

    A title that fits is kept. A longer one keeps its head before " – ", ": " or " ("
    ("Nyckeltal 2025 – Hela organisationen" → "Nyckeltal 2025") when that fits, else
    its first words with an ellipsis. The sheet's first cell always has the full title.
    """
    if len(title) <= SHEET_NAME_MAX:
        return title
    for sep in (" – ", ": ", " ("):
        head = title.split(sep, 1)[0].strip()
        if sep in title and 0 < len(head) <= SHEET_NAME_MAX:
            return head
    words, out = title.split(), ""
    for word in words:
        if len(out) + len(word) + (1 if out else 0) > SHEET_NAME_MAX - 1:
            break
        out = f"{out} {word}" if out else word
    return (out or title[: SHEET_NAME_MAX - 1]) + "…"


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\.

    ``title`` is the short name a writer chose, or the table's title (see
    ``short_title``); a name already taken gets " (2)", " (3)" …"""
    base = re.sub(r"[\[\]:*?/\\]", "-", short_title(title)).strip("' ") or "Tabell"
    name = base[:SHEET_NAME_MAX]
    n = 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(name.lower())
    return name


def _write_strings(sheet: Worksheet, row: int, texts: Sequence[str], cell_format: Format) -> None:
    """A row of text cells, each a string cell (never a formula or a link)."""
    for c, text in enumerate(texts):
        sheet.write_string(row, c, text, cell_format)


def _number_format(column: Column) -> str:
    pattern = NUMBER_FORMATS.get(column.kind, "General")
    if "{zeros}" in pattern:
        zeros = "0" * column.decimals
        pattern = pattern.replace(".{zeros}", f".{zeros}" if zeros else "")
    return pattern


def _excel_value(value: Any, column: Column) -> Any:
    # Excel's percent format multiplies by 100; values in percent are divided first.
    if column.kind == "percent":
        return value / 100
    return value


def write_excel(
    tables: Sequence[FigureTable],
    path: str | Path,
    *,
    title: str,
    org_name: str,
    period: str,
    created: date | None = None,
    sheet_names: Mapping[str, str] | None = None,
) -> Path:
    """Write ``tables`` to an .xlsx file at ``path`` and return the path.

    ``sheet_names``: short sheet names by table id (at most 31 characters); other
    tables are named by ``short_title``."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(
        str(path),
        # Text from the HR system is data, never a formula or a link (CSV/formula injection).
        {"nan_inf_to_errors": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    try:
        fmt = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}
            ),
            "mark": workbook.add_format({"align": "right", "font_color": "#595959"}),
            "note": workbook.add_format({"italic": True}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        }
        taken = {DEFINITIONS_SHEET.lower()}
        short = sheet_names or {}
        names = [sheet_name(short.get(t.id, t.title_sv), taken) for t in tables]
        subtitle = f"{org_name} · {period}" + (
            f" · skapad {created.isoformat()}" if created else ""
        )
        _write_definitions(workbook, tables, names, fmt, title, subtitle)
        for table, name in zip(tables, names, strict=True):
            _write_table(workbook, workbook.add_worksheet(name), name, table, fmt, subtitle)
    finally:
        workbook.close()
    return path


def _write_definitions(
    workbook: xlsxwriter.Workbook,
    tables: Sequence[FigureTable],
    names: list[str],
    fmt: dict[str, Format],
    title: str,
    subtitle: str,
) -> None:
    sheet = workbook.add_worksheet(DEFINITIONS_SHEET)
    sheet.write_string(0, 0, title, fmt["title"])
    sheet.write_string(1, 0, subtitle)
    headers = ["Blad", "Mått", "Definition", "Avser", "Enhet", "Källa", "Minsta gruppstorlek"]
    _write_strings(sheet, HEADER_ROW, headers, fmt["header"])
    r = HEADER_ROW + 1
    for table, name in zip(tables, names, strict=True):
        for d in table.descriptions:
            _write_strings(
                sheet,
                r,
                [name, d.name_sv, d.definition_sv, d.population_sv, d.unit, d.source],
                fmt["wrap"],
            )
            sheet.write_number(r, 6, d.min_group_size)
            r += 1
    r += 1
    for note in (SUPPRESSION_NOTE_SV, MISSING_NOTE_SV):
        sheet.write_string(r, 0, note, fmt["note"])
        r += 1
    for c, width in enumerate([24, 28, 60, 36, 12, 30, 12]):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(HEADER_ROW + 1, 0)


def _write_table(
    workbook: xlsxwriter.Workbook,
    sheet: Worksheet,
    name: str,
    table: FigureTable,
    fmt: dict[str, Format],
    subtitle: str,
) -> None:
    cols = columns(table)
    sheet.write_string(0, 0, table.title_sv, fmt["title"])
    sheet.write_string(1, 0, subtitle)
    _write_strings(sheet, HEADER_ROW, [c.label for c in cols], fmt["header"])
    num_formats = [workbook.add_format({"num_format": _number_format(c)}) for c in cols]
    widths = [min(max(len(c.label) // 2, 8), 40) for c in cols]
    r = HEADER_ROW
    for r, cells in enumerate(rows(table, cols), start=HEADER_ROW + 1):
        for c, (column, cell) in enumerate(zip(cols, cells, strict=True)):
            widths[c] = min(max(widths[c], len(cell.text) + 2), 60)
            if cell.state != "value":
                sheet.write_string(r, c, cell.text, fmt["mark"])
            elif isinstance(cell.value, str):
                sheet.write_string(r, c, cell.value)
            elif column.is_value or column.kind == "date":
                sheet.write(r, c, _excel_value(cell.value, column), num_formats[c])
            else:
                sheet.write(r, c, cell.value)
    last_row = r
    # Freeze the header and the leading label columns (unit, gender …).
    n_groups = next((i for i, c in enumerate(cols) if c.is_value), len(cols))
    sheet.freeze_panes(HEADER_ROW + 1, n_groups)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    for i, note in enumerate(table_notes(table)):
        sheet.write_string(last_row + 2 + i, 0, note, fmt["note"])
    if table.chart is not None and table.frame.height:
        _add_chart(workbook, sheet, name, table, cols, last_row)


def _add_chart(
    workbook: xlsxwriter.Workbook,
    sheet: Worksheet,
    name: str,
    table: FigureTable,
    cols: list[Column],
    last_row: int,
) -> None:
    """A native chart. Its series read hidden helper columns holding numbers or
    blanks, so hidden and missing cells show as gaps, never as zeros."""
    spec = table.chart
    assert spec is not None
    index = {c.name: i for i, c in enumerate(cols)}
    chart = workbook.add_chart({"type": CHART_TYPES.get(spec.kind, "column")})
    assert chart is not None
    helper = len(cols) + 30  # far to the right, hidden
    first = HEADER_ROW + 1
    for s, value_col in enumerate(spec.value_cols):
        if value_col not in index:
            continue
        column = cols[index[value_col]]
        series = table.frame[value_col].to_list()
        sheet.write_string(HEADER_ROW, helper + s, column.label)
        for i, v in enumerate(series):
            if v is not None and v == v:
                sheet.write_number(first + i, helper + s, _excel_value(v, column))
        sheet.set_column(helper + s, helper + s, None, None, {"hidden": True})
        chart.add_series(
            {
                "name": [name, HEADER_ROW, helper + s],
                "categories": [
                    name,
                    first,
                    index[spec.category_col],
                    last_row,
                    index[spec.category_col],
                ],
                "values": [name, first, helper + s, last_row, helper + s],
            }
        )
        chart.set_y_axis({"num_format": _number_format(column)})
    chart.set_title({"name": spec.title_sv or table.title_sv})
    chart.show_blanks_as("gap")
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(HEADER_ROW, len(cols) + 1, chart)
