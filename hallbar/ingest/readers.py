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

import polars as pl

from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN as ROW
from hallbar.ingest.problems import report_rows
from hallbar.ingest.profiles import TableProfile, fold

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SEPARATORS = (";", ",", "\t")


@dataclass
class RawTable:
    file: str  # file name as the user knows it
    frame: pl.DataFrame  # String columns named as in the file, plus ROW
    headers: list[str]
    from_excel: bool = False


def human_size(n: int) -> str:
    """File size in Swedish notation, e.g. '1,5 MB'."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".", ",")
    return f"{n} byte"


def read_table_file(
    path: Path, table_profile: TableProfile, max_bytes: int, problems: ProblemList
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
        return _read_xlsx(path, table_profile, problems)
    return _read_csv(path, problems)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes strictly, else Windows-1252/Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # cp1252 leaves five bytes undefined


def sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def _read_csv(path: Path, problems: ProblemList) -> RawTable | None:
    name = path.name
    text = _decode(path.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.error(name, None, None, "Filen är tom. Exportera den igen med rubrikrad och data.")
        return None
    text = text.lstrip("\n")
    header_line = text.split("\n", 1)[0]
    sep = sniff_separator(header_line)
    if not _check_structure(name, text, sep, problems):
        return None
    if not _check_unique_headers(name, header_line, sep, problems):
        return None
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
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
    headers = [h.strip() for h in frame.columns]
    frame = frame.rename(dict(zip(frame.columns, headers, strict=True)))
    frame = _finish(frame)
    return RawTable(name, frame, headers)


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


def _check_structure(name: str, text: str, sep: str, problems: ProblemList) -> bool:
    """Find ragged rows and unterminated quotes, the marks of a truncated export."""
    if text.count('"') % 2 == 1:
        position = text.rfind('"')
        line = text.count("\n", 0, position) + 1
        problems.error(
            name,
            line,
            None,
            'Ett citattecken (") avslutas aldrig. Filen verkar avkortad eller felaktigt '
            "exporterad; exportera den igen.",
        )
        return False
    body = text.rstrip("\n")
    if '"' in body:
        counts = [len(rec) for rec in csv.reader(io.StringIO(body), delimiter=sep)]
        fields = pl.DataFrame({"n": counts}, schema={"n": pl.Int64})
    else:
        lines = pl.Series("line", body.split("\n"))
        fields = pl.DataFrame({"n": lines.str.count_matches(re.escape(sep)) + 1})
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


def _read_xlsx(path: Path, table_profile: TableProfile, problems: ProblemList) -> RawTable | None:
    import fastexcel  # local: only the XLSX path needs it

    name = path.name
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
