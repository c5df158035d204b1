"""Turn rows that failed a vectorised check into located, readable problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from hallbar.core.errors import ProblemList

# A file with a systematic error (wrong date format in 100 000 rows) should give
# a report a person can read: the first rows in full, then a count.
MAX_ROWS_PER_CHECK = 20
ROW_COLUMN = "_rad"


def report_rows(
    problems: ProblemList,
    file: str,
    bad: pl.DataFrame,
    column: str | None,
    message: str | Callable[[dict[str, Any]], str],
    severity: str = "fel",
) -> int:
    """Add one problem per row of ``bad`` (which has ROW_COLUMN); return how many rows failed."""
    if bad.height == 0:
        return 0
    add = problems.error if severity == "fel" else problems.warning
    for record in bad.head(MAX_ROWS_PER_CHECK).iter_rows(named=True):
        text = message(record) if callable(message) else message
        add(file, record[ROW_COLUMN], column, text)
    rest = bad.height - MAX_ROWS_PER_CHECK
    if rest > 0:
        first = bad.head(1).row(0, named=True)
        text = message(first) if callable(message) else message
        add(
            file,
            None,
            column,
            f"Samma slags {'fel' if severity == 'fel' else 'varning'} på ytterligare {rest} rader "
            f"(som på rad {first[ROW_COLUMN]}: {text})",
        )
    return bad.height


def human_size(n: int) -> str:
    """File size in Swedish notation, e.g. '1,5 MB'."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".", ",")
    return f"{n} byte"
