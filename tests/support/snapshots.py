"""Generated artefacts as stable text for syrupy snapshots.

Today's date and clock times (a document's "skapad" line) are replaced, so a
snapshot changes only when the artefact's content does.
"""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import load_workbook

_TIME = re.compile(r"\b\d{2}:\d{2}(:\d{2})?\b")


def stable(text: str) -> str:
    today = date.today()
    text = text.replace(today.isoformat(), "<idag>")
    return _TIME.sub("<klockslag>", text)


def xlsx_cells(content: bytes) -> str:
    """Every sheet's non-empty cells as 'Sheet!A1: value' lines, in reading order."""
    wb = load_workbook(io.BytesIO(content))
    lines: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and cell.value != "":
                    lines.append(f"{ws.title}!{cell.coordinate}: {cell.value}")
    return stable("\n".join(lines))
