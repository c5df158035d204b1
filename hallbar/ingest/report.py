"""A validation report a person can read: HTML or Excel, in Swedish.

Counts on top, then the problems grouped by file, errors before warnings, each
with row and column so the user can find the cell in the export.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from hallbar.core.errors import HallbarError, Problem, ProblemList
from hallbar.core.private_files import make_private_dir
from hallbar.ingest.api import IngestResult

SEVERITY_LABEL = {"fel": "Fel", "varning": "Varning"}


def _problems_of(
    result_or_problems: IngestResult | ProblemList | Iterable[Problem],
) -> list[Problem]:
    if isinstance(result_or_problems, IngestResult):
        return list(result_or_problems.problems)
    if isinstance(result_or_problems, ProblemList):
        return list(result_or_problems.items)
    return list(result_or_problems)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """By file, then errors before warnings, then row (file-level problems first)."""
    return sorted(
        problems,
        key=lambda p: (p.file, p.severity != "fel", p.row if p.row is not None else 0),
    )


def write_validation_report(
    result_or_problems: IngestResult | ProblemList | Iterable[Problem], path: Path
) -> Path:
    """Write the report to ``path``; the suffix (.html or .xlsx) picks the format."""
    path = Path(path)
    problems = sorted_problems(_problems_of(result_or_problems))
    result = result_or_problems if isinstance(result_or_problems, IngestResult) else None
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".xlsx"):
        raise HallbarError(
            f"Valideringsrapporten kan skrivas som .html eller .xlsx, inte '{path.suffix}'. Byt filändelse."
        )
    make_private_dir(path.parent)  # reports quote rows of personal data
    try:
        if suffix == ".xlsx":
            _write_xlsx(problems, result, path)
        else:
            path.write_text(_html(problems, result), encoding="utf-8")
    except OSError:
        # A full disk leaves half a report: no one should read that as the whole.
        path.unlink(missing_ok=True)
        raise
    return path


def _summary(problems: list[Problem], result: IngestResult | None) -> list[tuple[str, str]]:
    errors = sum(p.severity == "fel" for p in problems)
    warnings = len(problems) - errors
    verdict = (
        "Importen kan inte genomföras: rätta felen nedan och importera igen."
        if errors
        else "Inga fel: importen kan genomföras."
    )
    rows = [
        ("Resultat", verdict),
        ("Antal fel", str(errors)),
        ("Antal varningar", str(warnings)),
        ("Skapad", datetime.now().strftime("%Y-%m-%d %H:%M")),
    ]
    if result is not None:
        for table, count in result.row_counts.items():
            file = result.files.get(table, table)
            rows.append((f"Rader i {file}", f"{count:,}".replace(",", "\u00a0")))
    return rows


def _html(problems: list[Problem], result: IngestResult | None) -> str:
    esc = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="sv"><head><meta charset="utf-8"><title>Valideringsrapport</title>',
        "<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}"
        ".fel{background:#fde8e8}.varning{background:#fff6db}</style></head><body>",
        "<h1>Valideringsrapport för import</h1>",
        "<table>",
    ]
    for label, value in _summary(problems, result):
        parts.append(f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>")
    parts.append("</table>")
    files = list(dict.fromkeys(p.file for p in problems))
    for file in files:
        in_file = [p for p in problems if p.file == file]
        n_err = sum(p.severity == "fel" for p in in_file)
        parts.append(
            f"<h2>{esc(file)}</h2><p>{n_err} fel och {len(in_file) - n_err} varningar.</p>"
        )
        parts.append(
            "<table><tr><th>Typ</th><th>Rad</th><th>Kolumn</th><th>Vad ska rättas</th></tr>"
        )
        for p in in_file:
            parts.append(
                f'<tr class="{esc(p.severity)}"><td>{SEVERITY_LABEL.get(p.severity, p.severity)}</td>'
                f"<td>{'' if p.row is None else p.row}</td><td>{esc(p.column or '')}</td>"
                f"<td>{esc(p.message)}</td></tr>"
            )
        parts.append("</table>")
    if not problems:
        parts.append("<p>Inga problem hittades.</p>")
    parts.append(
        "<p>Radnummer räknas som i ett kalkylprogram: rubrikraden är rad 1.</p></body></html>"
    )
    return "\n".join(parts)


def _write_xlsx(problems: list[Problem], result: IngestResult | None, path: Path) -> None:
    import xlsxwriter  # local: only needed for Excel output

    book = xlsxwriter.Workbook(str(path))
    try:
        bold = book.add_format({"bold": True})
        red = book.add_format({"bg_color": "#FDE8E8", "text_wrap": True, "valign": "top"})
        yellow = book.add_format({"bg_color": "#FFF6DB", "text_wrap": True, "valign": "top"})
        summary = book.add_worksheet("Sammanfattning")
        summary.set_column(0, 0, 28)
        summary.set_column(1, 1, 80)
        for i, (label, value) in enumerate(_summary(problems, result)):
            summary.write(i, 0, label, bold)
            summary.write(i, 1, value)
        sheet = book.add_worksheet("Problem")
        headers = ("Fil", "Typ", "Rad", "Kolumn", "Vad ska rättas")
        for c, header in enumerate(headers):
            sheet.write(0, c, header, bold)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 2, 9)
        sheet.set_column(3, 3, 22)
        sheet.set_column(4, 4, 100)
        for r, p in enumerate(problems, start=1):
            fmt = red if p.severity == "fel" else yellow
            sheet.write(r, 0, p.file, fmt)
            sheet.write(r, 1, SEVERITY_LABEL.get(p.severity, p.severity), fmt)
            if p.row is None:
                sheet.write_blank(r, 2, None, fmt)
            else:
                sheet.write_number(r, 2, p.row, fmt)
            sheet.write(r, 3, p.column or "", fmt)
            sheet.write(r, 4, p.message, fmt)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(problems), 1), len(headers) - 1)
    finally:
        book.close()
