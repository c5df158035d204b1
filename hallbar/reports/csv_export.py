"""CSV export that a Swedish Excel opens directly.

UTF-8 with a byte-order mark, ";" between fields, decimal comma, no thousands
separator, dates as 2025-11-01. The header row holds the Swedish column
labels; there is no preamble (CSV readers dislike one). The definitions and
notes go to a sibling file ``<name>_definitioner.csv`` in the same format.

Text cells that a spreadsheet would run as a formula (first character =, +, -,
@, tab or carriage return) get a single quote in front (OWASP's guidance on CSV
injection, ``hallbar.reports.safe_text``); numbers are written as numbers.

A cell hidden by small-group protection holds "..", a missing value "–". To
read the file back: ``pl.read_csv(path, separator=";", decimal_comma=True,
null_values=["..", "–"])``.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from hallbar.core.describe import FigureTable
from hallbar.reports.columns import Column, columns, rows, table_notes
from hallbar.reports.safe_text import csv_text

BOM_UTF8 = "utf-8-sig"


def _machine_number(value: float | int, column: Column) -> str:
    """Full precision (up to 6 decimals), decimal comma, no thousands separator."""
    if column.kind == "int" and float(value).is_integer():
        return str(int(value))
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def definitions_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}_definitioner{path.suffix or '.csv'}")


def write_csv(table: FigureTable, path: str | Path) -> list[Path]:
    """Write the table and its definitions file; return both paths."""
    path = Path(path)
    cols = columns(table)
    with path.open("w", encoding=BOM_UTF8, newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow([csv_text(c.label) for c in cols])
        for cells in rows(table, cols):
            out = []
            for column, cell in zip(cols, cells, strict=True):
                if cell.state != "value":
                    out.append(cell.text)
                elif column.is_value and isinstance(cell.value, int | float):
                    out.append(_machine_number(cell.value, column))
                elif isinstance(cell.value, int | float):
                    out.append(cell.text)  # a number in a label column (a year): not text
                else:
                    out.append(csv_text(cell.text))
            writer.writerow(out)
    defs = definitions_path(path)
    with defs.open("w", encoding=BOM_UTF8, newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            ["Kolumn", "Mått", "Definition", "Avser", "Enhet", "Källa", "Minsta gruppstorlek"]
        )
        for column in cols:
            d = column.description
            if d is not None:
                writer.writerow(
                    [
                        *(
                            csv_text(text)
                            for text in (
                                column.label,
                                d.name_sv,
                                d.definition_sv,
                                d.population_sv,
                                d.unit,
                                d.source,
                            )
                        ),
                        d.min_group_size,
                    ]
                )
        for note in table_notes(table):
            writer.writerow(["Anmärkning", "", csv_text(note), "", "", "", ""])
    return [path, defs]
