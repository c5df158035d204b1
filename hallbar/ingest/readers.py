"""Read one CSV or XLSX export into an all-text Polars frame with spreadsheet row numbers.

Everything is read as text so that parsing (decimal comma, Swedish dates, codes)
happens in one place with precise error locations. ``ROW`` holds the row number
a spreadsheet program shows (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy
import polars as pl

from hallbar.core.errors import ProblemList
from hallbar.ingest.encoding import UTF8, detect_encoding
from hallbar.ingest.problems import ROW_COLUMN as ROW
from hallbar.ingest.problems import human_size, report_rows
from hallbar.ingest.profiles import TableProfile, fold
from hallbar.ingest.xlsx_guard import XlsxInspection, XlsxLimits, column_index, inspect_xlsx

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SEPARATORS = (";", ",", "\t")
# C0 control characters other than tab, line feed and carriage return, and DEL. NUL
# is stored by SQLite but refused by PostgreSQL; all are refused here, the same
# way whatever the store.
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL_BYTES = re.compile(CONTROL_CHARACTERS.encode("ascii"))


@dataclass
class RawTable:
    file: str  # file name as the user knows it
    frame: pl.DataFrame  # String columns named as in the file, plus ROW
    headers: list[str]
    from_excel: bool = False
    may_hold_control_characters: bool = True  # False when the raw bytes had none


def read_table_file(
    path: Path,
    table_profile: TableProfile,
    max_bytes: int,
    problems: ProblemList,
    xlsx_limits: XlsxLimits | None = None,
) -> RawTable | None:
    """Read ``path``; report problems and return None when the file cannot be used."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        problems.error(name, None, None, "Filen kunde inte öppnas. Kontrollera att den finns.")
        return None
    if size > max_bytes:
        problems.error(
            name,
            None,
            None,
            f"Filen {name} är för stor ({human_size(size)}); gränsen är "
            f"{human_size(max_bytes)}. Dela upp exporten eller höj gränsen "
            "(inställningen max_file_bytes).",
        )
        return None
    if path.suffix.lower() in XLSX_SUFFIXES:
        raw = _read_xlsx(path, table_profile, xlsx_limits or XlsxLimits(), problems)
    else:
        raw = _read_csv(path, problems)
    if raw is not None:
        check_control_characters(raw, problems)
    return raw


def check_control_characters(raw: RawTable, problems: ProblemList) -> None:
    """Refuse cells holding NUL or another control character, naming file, row and column."""
    if not raw.may_hold_control_characters:
        return
    for header in raw.headers:
        bad = raw.frame.filter(pl.col(header).str.contains(CONTROL_CHARACTERS)).select(
            ROW,
            pl.col(header)
            .str.extract(f"({CONTROL_CHARACTERS})", 1)
            .str.encode("hex")
            .alias("_code"),
        )
        report_rows(
            problems,
            raw.file,
            bad,
            header,
            lambda r: (
                f"Cellen innehåller ett otillåtet styrtecken (kod {int(r['_code'], 16)}"
                f"{', NUL' if r['_code'] == '00' else ''}). Ta bort tecknet i HR-systemet "
                "eller i filen och exportera igen."
            ),
        )


def sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def _read_csv(path: Path, problems: ProblemList) -> RawTable | None:
    """Read a CSV export. UTF-8 bytes go to Polars as they are (no decode and re-encode);
    only Windows-1252 files are decoded and re-encoded first."""
    name = path.name
    data = path.read_bytes()
    encoding = detect_encoding(data, name, problems)
    if encoding is None:
        return None
    if encoding.name == UTF8:
        body = data[encoding.bom :] if encoding.bom else data
    else:
        body = data.decode(encoding.name).encode(UTF8)
    del data
    if body.count(b"\r") != body.count(b"\r\n"):
        body = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # old Mac line ends
    if not body.strip():
        problems.error(name, None, None, "Filen är tom. Exportera den igen med rubrikrad och data.")
        return None
    if body[:1] in (b"\n", b"\r"):
        body = body.lstrip(b"\r\n")
    header_line = body.split(b"\n", 1)[0].decode(UTF8).rstrip("\r")
    sep = sniff_separator(header_line)
    if not _check_structure(name, body, sep, problems):
        return None
    # One byte search over the file is much cheaper than a pattern per column.
    control = _CONTROL_BYTES.search(body) is not None
    if not _check_unique_headers(name, header_line, sep, problems):
        return None
    try:
        frame = pl.read_csv(
            body,
            separator=sep,
            infer_schema=False,
            has_header=True,
            quote_char='"',
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.PolarsError) as err:
        problems.error(
            name,
            None,
            None,
            f"Filen kunde inte läsas som CSV ({str(err).splitlines()[0]}). "
            "Kontrollera att den är en hel export med samma antal fält på varje rad.",
        )
        return None
    del body
    headers = [h.strip() for h in frame.columns]
    frame = frame.rename(dict(zip(frame.columns, headers, strict=True)))
    frame = _finish(frame)
    return RawTable(name, frame, headers, may_hold_control_characters=control)


def _check_unique_headers(name: str, header_line: str, sep: str, problems: ProblemList) -> bool:
    """A header written twice would be read as two columns, one of them silently dropped."""
    headers = [h.strip() for h in next(csv.reader([header_line], delimiter=sep))]
    first_at: dict[str, int] = {}
    ok = True
    for position, header in enumerate(headers, start=1):
        key = header.casefold()
        if key in first_at:
            problems.error(
                name,
                1,
                header,
                f"Rubriken finns två gånger (fält {first_at[key]} och {position}). "
                "Ta bort eller byt namn på den ena kolumnen.",
            )
            ok = False
        else:
            first_at[key] = position
    return ok


def _check_structure(name: str, body: bytes, sep: str, problems: ProblemList) -> bool:
    """Find ragged rows and unterminated quotes, the marks of a truncated export."""
    if body.count(b'"') % 2 == 1:
        position = body.rfind(b'"')
        line = body.count(b"\n", 0, position) + 1
        problems.error(
            name,
            line,
            None,
            'Ett citattecken (") avslutas aldrig. Filen verkar avkortad eller felaktigt '
            "exporterad; exportera den igen.",
        )
        return False
    trimmed = body.rstrip(b"\r\n")
    if b'"' in trimmed:
        text = trimmed.decode(UTF8)
        counts = [len(rec) for rec in csv.reader(io.StringIO(text), delimiter=sep)]
        fields = pl.DataFrame({"n": counts}, schema={"n": pl.Int64})
    else:
        fields = pl.DataFrame({"n": _fields_per_line(trimmed, sep)}, schema={"n": pl.Int64})
    expected = int(fields["n"][0])
    fields = fields.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    bad = fields.filter((pl.col("n") != expected) & (pl.col(ROW) > 1))
    if bad.height == 0:
        return True
    last_row = int(fields[ROW][-1])
    sep_name = {";": "semikolon", ",": "komma", "\t": "tabb"}[sep]
    report_rows(
        problems,
        name,
        bad,
        None,
        lambda r: (
            f"Raden har {r['n']} fält men rubrikraden har {expected} (avgränsare: {sep_name}). "
            + (
                "Filen verkar avkortad; exportera den igen."
                if r[ROW] == last_row and r["n"] < expected
                else "Kontrollera avgränsare och citattecken på raden."
            )
        ),
    )
    return False


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    """Trim every text cell (blank cells become null), number rows, drop empty rows."""
    cells = [c for c in frame.columns]
    frame = frame.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in cells)
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    if not cells:
        return frame
    return frame.filter(~pl.all_horizontal(pl.col(c).is_null() for c in cells))


def _read_xlsx(
    path: Path, table_profile: TableProfile, limits: XlsxLimits, problems: ProblemList
) -> RawTable | None:
    import fastexcel  # local: only the XLSX path needs it

    name = path.name
    inspection = inspect_xlsx(path, name, limits, problems)
    if inspection is None:
        return None
    try:
        sheets = fastexcel.read_excel(str(path)).sheet_names
    except Exception as err:  # fastexcel raises its own exception tree
        problems.error(
            name,
            None,
            None,
            f"Filen kunde inte läsas som Excel-fil ({type(err).__name__}). Spara den igen som .xlsx.",
        )
        return None
    if not sheets:
        problems.error(name, None, None, "Excel-filen har inga blad.")
        return None
    wanted = {fold(table_profile.table), *(p.rstrip("*") for p in table_profile.files[:1])}
    if table_profile.sheet:
        wanted.add(fold(table_profile.sheet))
    sheet = next((s for s in sheets if fold(s) in wanted), sheets[0])
    others = [s for s in sheets if s != sheet]
    if others:
        problems.warning(
            name,
            None,
            None,
            f"Bladet '{sheet}' läses; övriga blad ignoreras ({', '.join(others)}).",
        )
    try:
        frame = pl.read_excel(
            path,
            engine="calamine",
            sheet_name=sheet,
            read_options={"dtypes": "string", "header_row": 0},
        )
    except Exception as err:
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        if "no data" in message.lower() or "empty" in message.lower():
            problems.error(name, None, None, f"Bladet '{sheet}' är tomt.")
        else:
            problems.error(name, None, None, f"Bladet '{sheet}' kunde inte läsas ({message}).")
        return None
    if frame.width == 0:
        problems.error(name, None, None, f"Bladet '{sheet}' är tomt.")
        return None
    all_headers = [str(h).strip() for h in frame.columns]
    _report_formulas(name, sheet, inspection, all_headers, problems)
    # Excel pads a sheet with unnamed empty columns when a cell beside the table was touched.
    frame = frame.select(
        c
        for c in frame.columns
        if not (c.startswith("__UNNAMED__") and frame[c].null_count() == frame.height)
    )
    headers = [str(h).strip() for h in frame.columns]
    frame = frame.rename(dict(zip(frame.columns, headers, strict=True)))
    frame = frame.with_columns(pl.all().cast(pl.String))
    frame = _finish(frame)
    return RawTable(name, frame, headers, from_excel=True)


def _report_formulas(
    name: str, sheet: str, inspection: XlsxInspection, headers: list[str], problems: ProblemList
) -> None:
    """A formula without a stored value reads as an empty cell: name each such cell."""
    scan = inspection.sheets.get(sheet)
    if scan is None or not scan.formulas_without_value:
        return
    cells = scan.formulas_without_value
    for cell in cells[:20]:
        position = column_index(cell.column) - scan.first_column
        header = headers[position] if 0 <= position < len(headers) else None
        if header is not None and header.startswith("__UNNAMED__"):
            header = None
        problems.error(
            name,
            cell.row,
            header,
            f"Cellen {cell.column}{cell.row} innehåller formeln ={cell.formula} men inget "
            "sparat värde, så den skulle läsas som tom. Öppna filen i Excel och spara den "
            "igen (då räknas värdet ut), eller klistra in värden i stället för formler.",
        )
    if len(cells) > 20:
        problems.error(
            name,
            None,
            None,
            f"Ytterligare {len(cells) - 20} celler i bladet '{sheet}' har formler utan "
            "sparade värden.",
        )


def _fields_per_line(body: bytes, sep: str) -> numpy.ndarray:
    """Fields on each line of an unquoted CSV, counted without splitting it into strings:
    the positions of separators and line ends, and how many separators precede each end."""
    raw = numpy.frombuffer(body, dtype=numpy.uint8)
    separators = numpy.flatnonzero(raw == ord(sep))
    ends = numpy.append(numpy.flatnonzero(raw == ord("\n")), len(body))
    before = numpy.searchsorted(separators, ends)
    return numpy.diff(before, prepend=0).astype(numpy.int64) + 1
