"""Turn rows that failed a vectorised check into located, readable problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from hallbar.core.errors import Problem, ProblemList

# A file with a systematic error (wrong date format in 100 000 rows) should give
# a report a person can read: the first rows in full, then a count.
MAX_ROWS_PER_CHECK = 20
ROW_COLUMN = "_rad"

Message = str | Callable[[dict[str, Any]], str]


def report_rows(
    problems: ProblemList,
    file: str,
    bad: pl.DataFrame,
    column: str | None,
    message: Message,
    severity: str = "fel",
) -> int:
    """Add one problem per row of ``bad`` (which has ROW_COLUMN); return how many rows failed."""
    if isinstance(problems, BatchProblems):
        problems.rows(file, bad, column, message, severity)
        return bad.height
    report_counted(
        problems, file, bad.head(MAX_ROWS_PER_CHECK), bad.height, column, message, severity
    )
    return bad.height


def report_counted(
    problems: ProblemList,
    file: str,
    head: pl.DataFrame,
    total: int,
    column: str | None,
    message: Message,
    severity: str = "fel",
) -> None:
    """``report_rows`` for a check whose first rows (``head``, in file order) and number of
    failing rows (``total``) were gathered batch by batch."""
    if total == 0:
        return
    add = problems.error if severity == "fel" else problems.warning
    for record in head.head(MAX_ROWS_PER_CHECK).iter_rows(named=True):
        text = message(record) if callable(message) else message
        add(file, record[ROW_COLUMN], column, text)
    rest = total - MAX_ROWS_PER_CHECK
    if rest > 0:
        first = head.head(1).row(0, named=True)
        text = message(first) if callable(message) else message
        add(
            file,
            None,
            column,
            f"Samma slags {'fel' if severity == 'fel' else 'varning'} på ytterligare {rest} rader "
            f"(som på rad {first[ROW_COLUMN]}: {text})",
        )


@dataclass
class _Rows:
    file: str
    column: str | None
    message: Message
    severity: str
    head: pl.DataFrame
    total: int


@dataclass
class BatchProblems(ProblemList):
    """The problems of one file checked batch by batch, merged as if it were checked whole.

    The same check run on every batch (the same call site, file, column and
    severity) becomes one entry: its first rows in file order and the count over
    all batches, so the report names the same rows and counts as a whole-file check.
    Entries keep the order in which their checks first ran; ``emit`` hands them on.
    """

    entries: list[Problem | _Rows] = field(default_factory=list)
    _by_key: dict[tuple[Any, ...], _Rows] = field(default_factory=dict)

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.entries.append(Problem(file, row, column, message, "fel"))

    def warning(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.entries.append(Problem(file, row, column, message, "varning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.entries if isinstance(p, Problem) and p.severity == "fel"]

    def has_errors(self) -> bool:
        return any(
            e.severity == "fel" and (isinstance(e, Problem) or e.total > 0) for e in self.entries
        )

    def rows(
        self, file: str, bad: pl.DataFrame, column: str | None, message: Message, severity: str
    ) -> None:
        # A check's call site is its message: the same text, or the same function code.
        site = message.__code__ if callable(message) and hasattr(message, "__code__") else message
        key = (file, column, severity, site)
        entry = self._by_key.get(key)
        if entry is None:  # registered even when empty, so entries keep the checks' order
            entry = _Rows(file, column, message, severity, bad.head(MAX_ROWS_PER_CHECK), bad.height)
            self._by_key[key] = entry
            self.entries.append(entry)
            return
        if entry.head.height < MAX_ROWS_PER_CHECK and bad.height:
            entry.head = pl.concat(
                [entry.head, bad.head(MAX_ROWS_PER_CHECK)], how="diagonal_relaxed"
            )
            entry.head = entry.head.head(MAX_ROWS_PER_CHECK)
        entry.total += bad.height

    def emit(self, problems: ProblemList) -> None:
        for entry in self.entries:
            if isinstance(problems, BatchProblems):
                problems.entries.append(entry)
            elif isinstance(entry, Problem):
                problems.items.append(entry)
            else:
                report_counted(
                    problems,
                    entry.file,
                    entry.head,
                    entry.total,
                    entry.column,
                    entry.message,
                    entry.severity,
                )


def human_size(n: int) -> str:
    """File size in Swedish notation, e.g. '1,5 MB'."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".", ",")
    return f"{n} byte"
