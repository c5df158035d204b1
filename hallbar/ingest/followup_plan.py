"""Read an activity plan from Excel (or CSV) into a plan tree, or reject it with every problem.

The columns are those of a committee's activity plan (seed 004's "Aktivitetsplan":
strategic area, activity, what it is, responsible, period), one row per activity:

    område | aktivitet | vad | ansvarig | period [| enhet] [| budget (mnkr)]

``område`` may be left empty on the rows after the first of an area (as a merged
cell in a Word table). ``period`` is a year (``2020``), a span of years
(``2019-2022``) or two dates (``2025-03-01 – 2025-10-31``). ``enhet`` is a unit id or
name of the organisation. Any problem (a missing column, an unknown unit, dates
out of order, an empty activity) rejects the whole file: nothing is saved.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import openpyxl

from hallbar.core.errors import ImportRejected, Problem, ProblemList
from hallbar.followup.budget import parse_amount_kr
from hallbar.followup.model import Node, NodeKind
from hallbar.ingest.encoding import detect_encoding
from hallbar.ingest.readers import sniff_separator

REQUIRED = ("område", "aktivitet", "vad", "ansvarig", "period")
OPTIONAL = ("enhet", "budget")
# Other spellings met in real plans, mapped to the column names above.
ALIASES = {
    "omrade": "område",
    "strategiskt område": "område",
    "strategiskt omrade": "område",
    "genomförande": "period",
    "genomforande": "period",
    "tid": "period",
    "ansvar": "ansvarig",
    "beskrivning": "vad",
    "budget (mnkr)": "budget",
    "anslag (mnkr)": "budget",
    "anslag": "budget",
}
_YEARS = re.compile(r"^\s*((?:19|20|21)\d{2})\s*(?:[-–—]\s*((?:19|20|21)\d{2}))?\s*$")
_DATES = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:[-–—]|till)\s*(\d{4}-\d{2}-\d{2})\s*$")


@dataclass(frozen=True)
class PlanRows:
    """The tree read from the file: provisional ids, areas before their activities."""

    nodes: tuple[Node, ...]
    budgets_kr: dict[int, int]  # provisional node id -> allocation in kronor
    first_year: int | None


def _norm(name: object) -> str:
    text = "" if name is None else str(name).strip().strip('"').casefold()
    return ALIASES.get(text, text)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value).strip()


def _text(filename: str, content: bytes) -> str:
    """The CSV file as text, in the encoding the HR import detects (UTF-8 or Windows-1252);
    UTF-16 and mixed encodings are refused with the import's own messages."""
    problems = ProblemList()
    encoding = detect_encoding(content, filename, problems)
    if encoding is None:
        raise ImportRejected(problems.items)
    return content[encoding.bom :].decode(encoding.name)


def _grid(filename: str, content: bytes) -> list[list[str]]:
    if filename.casefold().endswith((".xlsx", ".xlsm")):
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises several types for a broken file
            raise ImportRejected(
                [
                    Problem(
                        filename,
                        None,
                        None,
                        f"Filen går inte att läsa som Excel ({err}). "
                        "Spara den som .xlsx och försök igen.",
                    )
                ]
            ) from err
        sheet = book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    if filename.casefold().endswith(".csv"):
        text = _text(filename, content)
        sep = sniff_separator(text.split("\n", 1)[0])
        return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=sep)]
    raise ImportRejected(
        [Problem(filename, None, None, "Planen ska vara en Excelfil (.xlsx) eller CSV-fil (.csv).")]
    )


def parse_period(text: str) -> tuple[date, date] | None:
    """(start, end) from "2020", "2019-2022" or "2025-03-01 – 2025-10-31"; None if unreadable."""
    years = _YEARS.match(text)
    if years:
        first = int(years.group(1))
        last = int(years.group(2) or first)
        return date(first, 1, 1), date(last, 12, 31)
    dates = _DATES.match(text)
    if dates:
        try:
            return date.fromisoformat(dates.group(1)), date.fromisoformat(dates.group(2))
        except ValueError:
            return None
    return None


def read_plan(
    filename: str, content: bytes, units: Mapping[str, str], *, strict_units: bool = True
) -> PlanRows:
    """The plan in the file; ``units`` maps unit id -> name (both accepted in ``enhet``).

    With ``strict_units=False`` an unknown unit leaves the activity without an owner
    unit instead of rejecting the file (the example plans, written for Exempelkommun,
    load into any organisation that way).

    Raises ``ImportRejected`` with every problem found (file, row, column).
    """
    grid = [r for r in _grid(filename, content)]
    problems: list[Problem] = []
    header_row = next(
        (i for i, r in enumerate(grid) if any(_norm(c) == "aktivitet" for c in r)), None
    )
    if header_row is None:
        raise ImportRejected(
            [
                Problem(
                    filename,
                    1,
                    None,
                    "Hittar ingen rubrikrad. Första raden ska ha kolumnerna "
                    + ", ".join(REQUIRED)
                    + ".",
                )
            ]
        )
    header = [_norm(c) for c in grid[header_row]]
    for name in REQUIRED:
        if name not in header:
            problems.append(
                Problem(filename, header_row + 1, name, f"Kolumnen '{name}' saknas. Lägg till den.")
            )
    if problems:
        raise ImportRejected(problems)
    col = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    by_name = {v.casefold(): k for k, v in units.items()}
    nodes: list[Node] = []
    budgets: dict[int, int] = {}
    areas: dict[str, int] = {}
    area = ""
    first_year: int | None = None
    next_id = 1
    for i, raw in enumerate(grid[header_row + 1 :], start=header_row + 2):
        row = raw + [""] * (len(header) - len(raw))

        def get(name: str, row: list[str] = row) -> str:
            return row[col[name]].strip() if name in col else ""

        if not any(c.strip() for c in row):
            continue
        area = get("område") or area
        if not area:
            problems.append(
                Problem(
                    filename,
                    i,
                    "område",
                    "Området saknas. Skriv vilket strategiskt område aktiviteten hör till.",
                )
            )
        activity = get("aktivitet")
        if not activity:
            problems.append(
                Problem(filename, i, "aktivitet", "Aktiviteten saknas. Skriv vad som ska göras.")
            )
        span = parse_period(get("period"))
        if not get("period"):
            problems.append(
                Problem(filename, i, "period", "Perioden saknas. Skriv t.ex. 2025 eller 2025-2026.")
            )
        elif span is None:
            problems.append(
                Problem(
                    filename,
                    i,
                    "period",
                    f"Perioden '{get('period')}' går inte att läsa. Skriv t.ex. 2025, 2025-2026 eller 2025-03-01 – 2025-10-31.",
                )
            )
        elif span[1] < span[0]:
            problems.append(
                Problem(
                    filename,
                    i,
                    "period",
                    f"Perioden '{get('period')}' slutar före den börjar. Skriv det tidigaste först.",
                )
            )
        unit: str | None = None
        if get("enhet"):
            wanted = get("enhet")
            unit = wanted if wanted in units else by_name.get(wanted.casefold())
            if unit is None and strict_units:
                problems.append(
                    Problem(
                        filename,
                        i,
                        "enhet",
                        f"Enheten '{wanted}' finns inte i organisationen. Skriv enhetens id eller namn som i organisationsträdet.",
                    )
                )
        amount: int | None = None
        if get("budget"):
            try:
                amount = parse_amount_kr(get("budget"), in_msek=True)
            except ValueError:
                problems.append(
                    Problem(
                        filename,
                        i,
                        "budget",
                        f"Budgeten '{get('budget')}' är inget belopp. Skriv miljoner kronor, t.ex. 3,2.",
                    )
                )
        if problems and problems[-1].row == i:
            continue
        if area not in areas:
            areas[area] = next_id
            nodes.append(Node(next_id, None, NodeKind.FOCUS_AREA, area, position=len(areas)))
            next_id += 1
        assert span is not None
        first_year = min(first_year or span[0].year, span[0].year)
        nodes.append(
            Node(
                next_id,
                areas[area],
                NodeKind.ACTIVITY,
                activity,
                description=get("vad"),
                owner_unit=unit,
                responsible=get("ansvarig"),
                start=span[0],
                end=span[1],
                position=next_id,
            )
        )
        if amount is not None:
            budgets[next_id] = amount
        next_id += 1
    if problems:
        raise ImportRejected(problems)
    if not any(n.kind is NodeKind.ACTIVITY for n in nodes):
        raise ImportRejected(
            [
                Problem(
                    filename, header_row + 2, None, "Filen har inga aktiviteter under rubrikraden."
                )
            ]
        )
    return PlanRows(tuple(nodes), budgets, first_year)


OUTCOME_REQUIRED = ("rubrik", "utfall")
OUTCOME_ALIASES = {
    "rad": "rubrik",
    "aktivitet": "rubrik",
    "utfall (mnkr)": "utfall",
    "prognos (mnkr)": "prognos",
}


@dataclass(frozen=True)
class OutcomeRow:
    row: int  # the spreadsheet row, for messages
    title: str
    outcome_kr: int
    forecast_kr: int | None


def read_outcomes(filename: str, content: bytes) -> list[OutcomeRow]:
    """Budget outcome to date per plan row: ``rubrik | utfall (mnkr) [| prognos (mnkr)]``.

    Raises ``ImportRejected`` with every problem found; the caller matches titles.
    """
    grid = _grid(filename, content)
    names = [[OUTCOME_ALIASES.get(_norm(c), _norm(c)) for c in row] for row in grid]
    header_row = next((i for i, r in enumerate(names) if "utfall" in r), None)
    if header_row is None:
        raise ImportRejected(
            [
                Problem(
                    filename,
                    1,
                    "utfall",
                    "Hittar ingen rubrikrad med kolumnerna rubrik och utfall.",
                )
            ]
        )
    header = names[header_row]
    problems = [
        Problem(filename, header_row + 1, name, f"Kolumnen '{name}' saknas. Lägg till den.")
        for name in OUTCOME_REQUIRED
        if name not in header
    ]
    if problems:
        raise ImportRejected(problems)
    col = {n: header.index(n) for n in (*OUTCOME_REQUIRED, "prognos") if n in header}
    out: list[OutcomeRow] = []
    for i, raw in enumerate(grid[header_row + 1 :], start=header_row + 2):
        row = raw + [""] * (len(header) - len(raw))
        if not any(c.strip() for c in row):
            continue
        title = row[col["rubrik"]].strip()
        if not title:
            problems.append(
                Problem(filename, i, "rubrik", "Rubriken saknas. Skriv radens rubrik som i planen.")
            )
        amounts: dict[str, int | None] = {}
        for name in ("utfall", "prognos"):
            text = row[col[name]].strip() if name in col else ""
            if not text:
                amounts[name] = None
                if name == "utfall":
                    problems.append(
                        Problem(
                            filename, i, name, "Utfallet saknas. Skriv miljoner kronor, t.ex. 3,2."
                        )
                    )
                continue
            try:
                amounts[name] = parse_amount_kr(text, in_msek=True)
            except ValueError:
                problems.append(
                    Problem(
                        filename,
                        i,
                        name,
                        f"'{text}' är inget belopp. Skriv miljoner kronor, t.ex. 3,2.",
                    )
                )
                amounts[name] = None
        outcome = amounts["utfall"]
        if title and outcome is not None:
            out.append(OutcomeRow(i, title, outcome, amounts.get("prognos")))
    if problems:
        raise ImportRejected(problems)
    return out
