"""JSON export: values, definitions, suppression marks and notes together.

Keys are English (a developer contract); everything a person reads is
Swedish. A value hidden by small-group protection is ``null`` with the mark
".." in the row's ``marks``; a missing value is ``null`` with "–".
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hallbar.core.describe import FigureTable
from hallbar.reports.columns import columns, rows, table_notes
from hallbar.reports.formatting import (
    MISSING_MARK,
    MISSING_NOTE_SV,
    SUPPRESSED_MARK,
    SUPPRESSION_NOTE_SV,
)

FORMAT_ID = "hallbar-tabeller/1"


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def table_to_json(table: FigureTable) -> dict[str, Any]:
    cols = columns(table)
    out_rows = []
    for cells in rows(table, cols):
        reason = next((c.reason for c in cells if c.state == "suppressed"), None)
        out_rows.append(
            {
                "values": {
                    c.name: _jsonable(cell.value) for c, cell in zip(cols, cells, strict=True)
                },
                "marks": {
                    c.name: cell.text
                    for c, cell in zip(cols, cells, strict=True)
                    if cell.state != "value"
                },
                "suppressed": any(cell.state == "suppressed" for cell in cells),
                "suppression_reason": reason,
            }
        )
    return {
        "id": table.id,
        "title": table.title_sv,
        "columns": [
            {
                "id": c.name,
                "label": c.label,
                "kind": c.kind,
                "decimals": c.decimals,
                "unit": c.description.unit if c.description else None,
            }
            for c in cols
        ],
        "rows": out_rows,
        "definitions": [asdict(d) for d in table.descriptions],
        "notes": table_notes(table),
        "chart": asdict(table.chart) if table.chart else None,
    }


def to_json(
    tables: Sequence[FigureTable],
    *,
    title: str | None = None,
    org_name: str | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """All tables as one JSON-ready dict."""
    return {
        "format": FORMAT_ID,
        "title": title,
        "org_name": org_name,
        "period": period,
        "marks": {
            SUPPRESSED_MARK: SUPPRESSION_NOTE_SV,
            MISSING_MARK: MISSING_NOTE_SV,
        },
        "tables": [table_to_json(t) for t in tables],
    }


def write_json(tables: Sequence[FigureTable], path: str | Path, **meta: str | None) -> Path:
    path = Path(path)
    path.write_text(
        json.dumps(to_json(tables, **meta), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return path
