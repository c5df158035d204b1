"""Text cells that a spreadsheet never runs as a formula (CSV / formula injection).

Unit, job and occupation names come from the customer's HR system and can hold
anything, e.g. ``=HYPERLINK("http://x","y")``. Written as they are, Excel or
LibreOffice would evaluate them when the file is opened.

- Excel files: every text cell is written as a string cell (XlsxWriter
  ``write_string``, or openpyxl ``data_type = "s"``), never as a formula; the
  text itself is kept unchanged.
- CSV files: a spreadsheet decides when it opens the file, so a text cell whose
  first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
  a single quote in front, as OWASP's guidance on CSV injection recommends
  (https://owasp.org/www-community/attacks/CSV_Injection). Numbers are numbers,
  not text, and stay as they are (a negative number keeps its minus sign).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """A text cell for a CSV file: prefixed with ' when a spreadsheet would run it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` with every text cell stored as a string, never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
