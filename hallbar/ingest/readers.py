"""Read one CSV or XLSX export as all-text Polars frames with spreadsheet row numbers.

Everything is read as text so that parsing (decimal comma, Swedish dates, codes)
happens in one place with precise error locations. ``ROW`` holds the row number
a spreadsheet program shows (the header is row 1).

A CSV file is read in batches of about ``import_batch_rows`` rows
(``open_table_file``): its encoding is decided first, block by block
(``encoding.detect_file_encoding``); then each block, cut at the end of a record,
has its structure checked and is parsed by Polars straight from its UTF-8 bytes
(a Windows-1252 block is re-encoded first). Memory grows with the batch, not
with the file. Problems are merged over the batches, so a file read in batches
is reported exactly as if it were read whole. An Excel file is read whole (its
size is bounded by ``XlsxLimits``) as one batch.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
import polars as pl

from hallbar.core.errors import ProblemList
from hallbar.ingest.encoding import UTF8, Encoding, detect_file_encoding, line_blocks
from hallbar.ingest.problems import ROW_COLUMN, BatchProblems, human_size, report_rows
from hallbar.ingest.profiles import TableProfile, fold
from hallbar.ingest.xlsx_guard import XlsxInspection, XlsxLimits, column_index, inspect_xlsx

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SEPARATORS = (";", ",", "\t")
# Rows per batch of a streamed import (the setting import_batch_rows): memory grows
# with the batch, not with the file.
DEFAULT_BATCH_ROWS = 1_000_000
# C0 control characters other than tab, line feed and carriage return, and DEL. NUL
# is stored by SQLite but refused by PostgreSQL; all are refused here, the same
# way whatever the store.
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def has_control_bytes(data: bytes) -> bool:
    """Whether ``data`` holds a byte of CONTROL_CHARACTERS: deleting them is a C loop at
    memory speed, many times faster than a regular-expression search."""
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


@dataclass
class RawTable:
    file: str  # file name as the user knows it
    frame: pl.DataFrame  # String columns named as in the file, plus ROW
    headers: list[str]
    from_excel: bool = False
    may_hold_control_characters: bool = True  # False when the raw bytes had none


@dataclass
class TableSource:
    """One export file, ready to be read in batches of about ``batch_rows`` rows.

    ``batches`` yields ``RawTable`` batches whose row numbers continue across
    batches. Problems with the file as a whole (its structure, control
    characters) go to ``problems``, merged over the batches. A file found broken
    part-way yields no more batches and ends with ``ok`` False; the caller then
    discards what it did with the earlier batches, as if the file had been
    refused before any was read.
    """

    file: str
    problems: BatchProblems
    batches: Callable[[], Iterator[RawTable]]
    ok: bool = True


def open_table_file(
    path: Path,
    table_profile: TableProfile,
    max_bytes: int,
    problems: ProblemList,
    xlsx_limits: XlsxLimits | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> TableSource | None:
    """Check ``path``'s size and encoding; None (and the problem) when it cannot be used."""
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
            "(inställningen import_max_file_bytes).",
        )
        return None
    batch_problems = BatchProblems()
    if path.suffix.lower() in XLSX_SUFFIXES:
        raw = _read_xlsx(path, table_profile, xlsx_limits or XlsxLimits(), problems)
        if raw is None:
            return None
        check_control_characters(raw, batch_problems)
        whole = raw
        return TableSource(name, batch_problems, lambda: iter([whole]))
    encoding = detect_file_encoding(path, name, problems)
    if encoding is None:
        return None
    if not _has_content(path, encoding):
        problems.error(name, None, None, "Filen är tom. Exportera den igen med rubrikrad och data.")
        return None
    source = TableSource(name, batch_problems, lambda: iter(()))
    source.batches = lambda: _csv_batches(path, encoding, batch_rows, source)
    return source


def check_control_characters(raw: RawTable, problems: ProblemList) -> None:
    """Refuse cells holding NUL or another control character, naming file, row and column."""
    if not raw.may_hold_control_characters:
        return
    for header in raw.headers:
        bad = raw.frame.filter(pl.col(header).str.contains(CONTROL_CHARACTERS)).select(
            ROW_COLUMN,
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


def _has_content(path: Path, encoding: Encoding) -> bool:
    """Anything but white space after the byte-order mark."""
    for number, block in enumerate(line_blocks(path)):
        if (block[encoding.bom :] if number == 0 else block).strip():
            return True
    return False


def _utf8_blocks(path: Path, encoding: Encoding, block_bytes: int) -> Iterator[tuple[bytes, bool]]:
    """The file as UTF-8 with line feeds only, in blocks that end at a record's end, each
    with whether it is the last.

    UTF-8 bytes go to Polars as they are (no decode and re-encode); Windows-1252
    blocks are decoded and re-encoded one block at a time. Carriage returns
    (Windows and old Mac line ends) become line feeds; leading blank lines go.
    A block ends at a line feed outside quotes, after the first of a run of
    line feeds, so blank lines stay with the lines after them.
    """
    carry = b""
    started = False
    pending: bytes | None = None
    with path.open("rb") as handle:
        first = True
        while True:
            chunk = handle.read(block_bytes)
            if first:
                chunk = chunk[encoding.bom :]
                first = False
            if chunk and encoding.name != UTF8:
                chunk = chunk.decode(encoding.name).encode(UTF8)
            data = carry + chunk
            if chunk and data.endswith(b"\r"):
                data, held = data[:-1], b"\r"  # its line feed may start the next chunk
            else:
                held = b""
            if b"\r" in data:
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            if not started:
                data = data.lstrip(b"\n")
                started = bool(data)
            if not chunk:
                if data:
                    if pending is not None:
                        yield pending, False
                    pending = data
                if pending is not None:
                    yield pending, True
                return
            end = _record_end(data)
            if end <= 0:
                carry = data + held
                continue
            if pending is not None:
                yield pending, False
            pending = data[:end]
            carry = data[end:] + held


def _record_end(data: bytes) -> int:
    """Where a block of ``data`` may end: just after a line feed that ends a record (quotes
    balanced before it), the first of its run; 0 when there is none yet."""
    position = data.rfind(b"\n")
    quoted = b'"' in data
    while position >= 0:
        while position > 0 and data[position - 1 : position] == b"\n":
            position -= 1
        if not quoted or data.count(b'"', 0, position) % 2 == 0:
            return position + 1
        position = data.rfind(b"\n", 0, position)
    return 0


def _csv_batches(
    path: Path, encoding: Encoding, batch_rows: int, source: TableSource
) -> Iterator[RawTable]:
    """Batches of the CSV file ``path``: structure checked block by block, then parsed."""
    name = source.file
    problems = source.problems
    block_bytes = _block_bytes(path, encoding, batch_rows)
    header: bytes | None = None
    sep = ","
    headers_ok = True
    header_problems = BatchProblems()
    structure = _Structure(name)
    read_error: str | None = None
    rows_before = 0
    parsing = True
    content = BatchProblems()  # reported only when the whole file could be read
    for block, last in _utf8_blocks(path, encoding, block_bytes):
        if header is None:
            header_end = block.find(b"\n")
            header = block if header_end < 0 else block[:header_end]
            header_line = header.decode(UTF8).rstrip("\r")
            sep = sniff_separator(header_line)
            headers_ok = _check_unique_headers(name, header_line, sep, header_problems)
            body = block
        else:
            body = header + b"\n" + block
        if not structure.check(block, sep, first=body is block, last=last):
            parsing = False
        if not parsing or not headers_ok or read_error is not None:
            continue
        # One byte search over the block is much cheaper than a pattern per column.
        control = has_control_bytes(block)
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
            read_error = str(err).splitlines()[0]
            continue
        del body
        headers = [h.strip() for h in frame.columns]
        frame = frame.rename(dict(zip(frame.columns, headers, strict=True)))
        height = frame.height
        frame = _finish(frame, rows_before)
        rows_before += height
        raw = RawTable(name, frame, headers, may_hold_control_characters=control)
        check_control_characters(raw, content)
        yield raw
    if not structure.finish(problems):
        source.ok = False
        return
    if not headers_ok:
        header_problems.emit(problems)
        source.ok = False
        return
    if read_error is not None:
        problems.error(
            name,
            None,
            None,
            f"Filen kunde inte läsas som CSV ({read_error}). "
            "Kontrollera att den är en hel export med samma antal fält på varje rad.",
        )
        source.ok = False
        return
    content.emit(problems)


def _block_bytes(path: Path, encoding: Encoding, batch_rows: int) -> int:
    """Bytes per block for about ``batch_rows`` rows, from the length of the first lines."""
    with path.open("rb") as handle:
        sample = handle.read(1 << 16)[encoding.bom :]
    lines = max(sample.count(b"\n"), 1)
    return max(int(len(sample) / lines * batch_rows), 1)


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


class _Structure:
    """Ragged rows and unterminated quotes, the marks of a truncated export, found block by
    block: the same rows and messages as a check of the whole file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.rows_before = 0  # records (the header is record 1) in earlier blocks
        self.expected: int | None = None
        self.last_row = 0
        self.last_fields = 0
        self.bad = BatchProblems()
        self.last_block = b""
        self.newlines_before = 0  # line feeds in earlier blocks

    def check(self, block: bytes, sep: str, first: bool, last: bool) -> bool:
        """Check one block (the first holds the header); False when it has ragged rows."""
        if self.last_block:
            self.newlines_before += self.last_block.count(b"\n")
        self.last_block = block
        # A block ends with the line feed that ends its last record; blank lines at
        # the end of the file are no rows.
        trimmed = block.rstrip(b"\n") if last else block[:-1]
        if last and not trimmed:
            return True
        if b'"' in trimmed:
            text = trimmed.decode(UTF8, errors="replace")
            counts = [len(rec) for rec in csv.reader(io.StringIO(text), delimiter=sep)]
            fields = pl.DataFrame({"n": counts}, schema={"n": pl.Int64})
        else:
            fields = pl.DataFrame({"n": _fields_per_line(trimmed, sep)}, schema={"n": pl.Int64})
        if self.expected is None and first:
            self.expected = int(fields["n"][0])
        expected = self.expected if self.expected is not None else int(fields["n"][0])
        fields = fields.with_row_index(ROW_COLUMN, offset=self.rows_before + 1).with_columns(
            pl.col(ROW_COLUMN).cast(pl.Int64)
        )
        self.rows_before += fields.height
        self.last_row = self.rows_before
        self.last_fields = int(fields["n"][-1])
        bad = fields.filter((pl.col("n") != expected) & (pl.col(ROW_COLUMN) > 1))
        sep_name = {";": "semikolon", ",": "komma", "\t": "tabb"}[sep]
        report_rows(
            self.bad,
            self.file,
            bad,
            None,
            lambda r: (
                f"Raden har {r['n']} fält men rubrikraden har {expected} (avgränsare: {sep_name}). "
                + (
                    "Filen verkar avkortad; exportera den igen."
                    if r[ROW_COLUMN] == self.last_row and r["n"] < expected
                    else "Kontrollera avgränsare och citattecken på raden."
                )
            ),
        )
        return bad.height == 0

    def finish(self, problems: BatchProblems) -> bool:
        """Report what was found; False when the file is broken."""
        block = self.last_block
        if block.count(b'"') % 2 == 1:
            # The last block runs to the end of the file when a quote never closes.
            position = block.rfind(b'"')
            line = self.newlines_before + block.count(b"\n", 0, position) + 1
            problems.error(
                self.file,
                line,
                None,
                'Ett citattecken (") avslutas aldrig. Filen verkar avkortad eller felaktigt '
                "exporterad; exportera den igen.",
            )
            return False
        if self.bad.has_errors():
            self.bad.emit(problems)
            return False
        return True


def _finish(frame: pl.DataFrame, rows_before: int = 0) -> pl.DataFrame:
    """Trim every text cell (blank cells become null), number rows, drop empty rows."""
    cells = [c for c in frame.columns]
    frame = frame.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in cells)
    frame = frame.with_row_index(ROW_COLUMN, offset=2 + rows_before).with_columns(
        pl.col(ROW_COLUMN).cast(pl.Int64)
    )
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
