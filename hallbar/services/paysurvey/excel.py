"""Excel export and import of the job-evaluation scoring grid (openpyxl at the edge).

Sheet ``Arbetsvärdering``: column A ``Befattning``, then one column per
sub-factor headed ``Namn [id]`` (the id in brackets is what import reads; a
bare id works too), one row per job. Sheet ``Modell`` lists the sub-factors
with criterion, weight and levels for the evaluators' reference. Job names come
from the HR system, so every text cell is written as text
(``reports.safe_text.append_row``), never as a formula.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import Problem
from hallbar.paysurvey.evaluation import CRITERIA
from hallbar.paysurvey.notices import EvaluationInvalid
from hallbar.reports.safe_text import append_row
from hallbar.services.access import require_org
from hallbar.services.paysurvey.evaluation import import_levels
from hallbar.services.paysurvey.survey import jobs_in_data, load_stored

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

GRID_SHEET = "Arbetsvärdering"
MODEL_SHEET = "Modell"
_ID = re.compile(r"\[([^\]]+)\]\s*$")


def export_grid(hb: Hallbar, principal: Principal, org_id: str, year: int) -> bytes:
    require_org(principal, org_id, Resource.PAY_EVALUATION)
    stored = load_stored(hb, org_id, year)
    jobs = jobs_in_data(hb, stored.info)["job"].to_list()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = GRID_SHEET
    bold = Font(bold=True)
    append_row(ws, ["Befattning", *[f"{f.name_sv} [{f.id}]" for f in stored.model.subfactors]])
    for cell in ws[1]:
        cell.font = bold
    for job in jobs:
        levels = stored.scores.get(job, {})
        append_row(ws, [job, *[levels.get(f.id) for f in stored.model.subfactors]])
    ws.column_dimensions["A"].width = 40
    ws.freeze_panes = "B2"
    ms = wb.create_sheet(MODEL_SHEET)
    append_row(ms, ["Id", "Kriterium", "Delfaktor", "Vikt (%)", "Antal nivåer"])
    for cell in ms[1]:
        cell.font = bold
    for f in stored.model.subfactors:
        append_row(
            ms, [f.id, CRITERIA.get(f.criterion, f.criterion), f.name_sv, f.weight, f.levels]
        )
    append_row(ms, [])
    append_row(
        ms, ["Fyll i en nivå (heltal 1 till antal nivåer) för varje befattning och delfaktor."]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_grid(
    hb: Hallbar, principal: Principal, org_id: str, year: int, content: bytes, filename: str
) -> int:
    """Read a filled-in grid and save it; every problem names sheet, row and column."""
    require_org(principal, org_id, Resource.PAY_EDIT)
    stored = load_stored(hb, org_id, year)
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as err:
        raise EvaluationInvalid(
            [
                Problem(
                    filename,
                    None,
                    None,
                    "Filen kan inte läsas som en Excel-fil (.xlsx). Exportera rutnätet och fyll i det.",
                )
            ]
        ) from err
    if GRID_SHEET not in wb.sheetnames:
        raise EvaluationInvalid(
            [Problem(filename, None, None, f"Bladet '{GRID_SHEET}' saknas i filen.")]
        )
    ws = wb[GRID_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise EvaluationInvalid([Problem(GRID_SHEET, 1, None, "Bladet är tomt.")])
    known = {f.id for f in stored.model.subfactors}
    header = [str(h or "").strip() for h in rows[0]]
    columns: dict[int, str] = {}
    problems: list[Problem] = []
    for i, h in enumerate(header[1:], start=1):
        m = _ID.search(h)
        key = m.group(1) if m else h
        if not key:
            continue
        if key not in known:
            problems.append(
                Problem(GRID_SHEET, 1, h, f"Kolumnen '{h}' är ingen delfaktor i modellen.")
            )
            continue
        columns[i] = key
    for f in stored.model.subfactors:
        if f.id not in columns.values():
            problems.append(
                Problem(GRID_SHEET, 1, f.id, f"Kolumnen för delfaktorn '{f.name_sv}' saknas.")
            )
    if problems:
        raise EvaluationInvalid(problems)
    scores: dict[str, dict[str, str]] = {}
    row_of: dict[str, int] = {}
    for n, values in enumerate(rows[1:], start=2):
        job = str(values[0] or "").strip() if values else ""
        if not job:
            continue
        if job in scores:
            problems.append(
                Problem(GRID_SHEET, n, "Befattning", f"Befattningen '{job}' finns på flera rader.")
            )
            continue
        scores[job] = {
            key: "" if values[i] is None else str(values[i])
            for i, key in columns.items()
            if i < len(values)
        }
        row_of[job] = n
    if problems:
        raise EvaluationInvalid(problems)
    return import_levels(hb, principal, org_id, year, scores, row_of, GRID_SHEET)
