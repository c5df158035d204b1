"""What every writer needs to know about a FigureTable's columns and cells.

A value column is described by the Description whose ``id`` equals the column
name; its unit decides the number format. Numeric columns without a
Description are plain numbers (except period-like columns such as a year,
which are labels). The ``suppressed``/``suppression_reason`` columns added by
``hallbar.privacy.suppression`` are not shown as columns: a null in a
suppressed row is shown as the suppression mark, any other null as the
missing mark. A table whose columns are hidden independently (a figure per year)
carries a boolean flag column per value column (``cell_flag_column``); it decides
for that column's cells instead of the row's flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from hallbar.core.describe import Description, FigureTable
from hallbar.privacy.suppression import REASON_COL, SUPPRESSED_COL
from hallbar.reports.formatting import (
    MISSING_MARK,
    MISSING_NOTE_SV,
    SUPPRESSED_MARK,
    SUPPRESSION_NOTE_SV,
    format_value,
    unit_style,
)

PERIOD_LIKE = {"år", "year", "period", "månad", "month", "kvartal", "quarter", "ar"}
HIDDEN_COLUMNS = {SUPPRESSED_COL, REASON_COL}
_CELL_FLAG_PREFIX = f"{SUPPRESSED_COL}:"


def cell_flag_column(name: str) -> str:
    """The name of the flag column that marks which cells of column ``name`` are hidden."""
    return _CELL_FLAG_PREFIX + name


def _hidden(name: str) -> bool:
    return name in HIDDEN_COLUMNS or name.startswith(_CELL_FLAG_PREFIX)


@dataclass(frozen=True)
class Column:
    name: str  # the frame column
    label: str  # Swedish header
    kind: str  # "text", "date", "int", "number", "percent", "share", "kr"
    decimals: int
    description: Description | None

    @property
    def is_value(self) -> bool:
        return self.kind not in ("text", "date")


@dataclass(frozen=True)
class Cell:
    value: Any  # the raw value (None when not shown)
    text: str  # the Swedish rendering, or a mark
    state: str  # "value", "suppressed" or "missing"
    reason: str | None = None


def with_unit(name: str, unit: str | None) -> str:
    """A column header with its unit: ``Sjukfrånvaro (%)``; a name that already says its
    unit keeps it once (``Skillnad (kr)``, ``Rekryteringsbehov i årsarbetare``)."""
    if not unit or f"({unit})" in name:
        return name
    if re.search(rf"(?<!\w){re.escape(unit.lower())}(?!\w)", name.lower()):
        return name
    return f"{name} ({unit})"


def _all_whole(values: pl.Series) -> bool:
    present = values.drop_nulls().drop_nans() if values.dtype.is_float() else values.drop_nulls()
    return present.len() > 0 and bool((present == present.round(0)).all())


def columns(table: FigureTable) -> list[Column]:
    described = {d.id: d for d in table.descriptions}
    out = []
    for name, dtype in table.frame.schema.items():
        if _hidden(name):
            continue
        desc = described.get(name)
        is_int = dtype.is_integer()
        if desc is not None:
            kind, decimals = unit_style(desc.unit, is_integer=is_int)
            label = with_unit(desc.name_sv, desc.unit)
        elif dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
            kind, decimals, label = "date", 0, name
        elif dtype.is_numeric() and name.lower() not in PERIOD_LIKE:
            # Whole numbers in a float column (an age, a monthly pay in kronor) are shown
            # as whole numbers: "38", "26 970", never "38,0".
            whole = is_int or _all_whole(table.frame[name])
            # A header that names kronor ("Skillnad (kr)", "Medellön (kr/mån)") is money.
            money = re.search(r"\(kr(/mån)?\)$", name) is not None
            kind, decimals = unit_style("kr" if money else None, is_integer=whole)
            label = name
        else:
            kind, decimals, label = "text", 0, name
        out.append(Column(name, label, kind, decimals, desc))
    return out


def suppressed_flags(frame: pl.DataFrame) -> list[bool]:
    if SUPPRESSED_COL in frame.columns:
        return [bool(v) for v in frame[SUPPRESSED_COL].to_list()]
    return [False] * frame.height


def reasons(frame: pl.DataFrame) -> list[str | None]:
    if REASON_COL in frame.columns:
        return list(frame[REASON_COL].to_list())
    return [None] * frame.height


def cell(value: Any, column: Column, suppressed: bool, reason: str | None) -> Cell:
    if value is None or (isinstance(value, float) and value != value):
        if suppressed:
            return Cell(None, SUPPRESSED_MARK, "suppressed", reason)
        return Cell(None, MISSING_MARK, "missing")
    if column.kind == "text" and not isinstance(value, str):
        text = value.isoformat() if isinstance(value, date | datetime) else str(value)
        return Cell(value, text, "value")
    return Cell(value, format_value(value, column.kind, column.decimals), "value")


def rows(table: FigureTable, cols: list[Column]) -> Iterator[list[Cell]]:
    """Every row as rendered cells, in column order."""
    frame = table.frame
    flags = suppressed_flags(frame)
    why = reasons(frame)
    data = frame.select([c.name for c in cols]).rows()
    per_cell = {
        c.name: frame[cell_flag_column(c.name)].to_list()
        for c in cols
        if cell_flag_column(c.name) in frame.columns
    }
    for i, (values, flag, reason) in enumerate(zip(data, flags, why, strict=True)):
        yield [
            cell(v, c, bool(per_cell[c.name][i]) if c.name in per_cell else flag, reason)
            for v, c in zip(values, cols, strict=True)
        ]


def table_notes(table: FigureTable) -> list[str]:
    """The table's own notes followed by the marks' explanations (always present)."""
    return [*table.notes_sv, SUPPRESSION_NOTE_SV, MISSING_NOTE_SV]
