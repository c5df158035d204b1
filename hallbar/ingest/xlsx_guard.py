"""Checks on an XLSX file before any spreadsheet library parses it.

An XLSX file is a zip archive of XML parts. Two things are checked by reading
the archive in bounded chunks (never a whole part in memory):

* resource limits: the unpacked size of all parts and the number of shared
  strings. A 2,4 MB file can unpack to gigabytes ("zip bomb"), and spreadsheet
  readers hold the shared strings in memory. Declared sizes are checked first;
  reading then stops at the declared size, and a part that holds more fails its
  checksum, so a lying header cannot get past the limit;
* formulas without a stored value: a workbook written by a program (not saved
  by Excel) can hold ``=B2*12`` with no computed value, which readers return as
  an empty cell. Those cells are named.

Only the standard library is used (``zipfile``, ``re``).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import MAX_ROWS_PER_CHECK, human_size

_CHUNK = 1024 * 1024
_MAX_CARRY = 16 * 1024 * 1024  # one row of a sheet; a longer row is refused
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A cell whose formula has no value: <c r="F3" ...><f>…</f></c>, <v/> or <v></v>.
_CELL = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v\b[^>]*?(?:/>|>(.*?)</v>)", re.S)
_STRING_TYPE = re.compile(rb'\bt="str"')
_DIMENSION = re.compile(rb'<dimension\b[^>]*\bref="([A-Z]+)[0-9]')


@dataclass(frozen=True)
class XlsxLimits:
    """Limits checked before an XLSX file is parsed (defaults in docs/data-format.md)."""

    max_unpacked_bytes: int = 512 * 1024**2  # all parts together, unpacked
    max_shared_strings: int = 2_000_000  # distinct texts in the workbook
    max_shared_strings_bytes: int = 256 * 1024**2  # the shared-strings part, unpacked


@dataclass(frozen=True)
class FormulaCell:
    column: str  # column letters, e.g. "F"
    row: int  # row number as Excel shows it
    formula: str


@dataclass
class SheetScan:
    first_column: int  # 0-based index of the sheet's first used column (its <dimension>)
    formulas_without_value: list[FormulaCell]


@dataclass
class XlsxInspection:
    sheets: dict[str, SheetScan] = field(default_factory=dict)  # by sheet name


def inspect_xlsx(
    path: Path, file: str, limits: XlsxLimits, problems: ProblemList
) -> XlsxInspection | None:
    """Check limits and find formulas without values; None (with an error) if refused."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _inspect(archive, file, limits, problems)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
    ) as err:
        problems.error(
            file,
            None,
            None,
            f"Filen kunde inte läsas som Excel-fil ({type(err).__name__}). "
            "Spara den igen som .xlsx.",
        )
        return None


def _inspect(
    archive: zipfile.ZipFile, file: str, limits: XlsxLimits, problems: ProblemList
) -> XlsxInspection | None:
    infos = archive.infolist()
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_unpacked_bytes:
        _too_big(file, declared, limits.max_unpacked_bytes, problems)
        return None
    strings = next((i for i in infos if i.filename.lower() == "xl/sharedstrings.xml"), None)
    if strings is not None and strings.file_size > limits.max_shared_strings_bytes:
        problems.error(
            file,
            None,
            None,
            f"Excel-filens texter packas upp till {human_size(strings.file_size)}, mer än gränsen "
            f"{human_size(limits.max_shared_strings_bytes)}. Filen kan inte läsas säkert; exportera "
            "den som CSV i stället (inställningen xlsx_max_shared_strings_bytes).",
        )
        return None
    if strings is not None:
        count = _count_shared_strings(archive, strings, limits.max_shared_strings)
        if count > limits.max_shared_strings:
            problems.error(
                file,
                None,
                None,
                f"Excel-filen har fler än {limits.max_shared_strings:,} olika texter".replace(
                    ",", "\u00a0"
                )
                + ". Filen kan inte läsas säkert; exportera den som CSV i stället "
                "(inställningen xlsx_max_shared_strings).",
            )
            return None
    inspection = XlsxInspection()
    for sheet, part in _sheet_parts(archive).items():
        inspection.sheets[sheet] = _scan_sheet(archive, archive.getinfo(part))
    return inspection


def _too_big(file: str, size: int, limit: int, problems: ProblemList) -> None:
    problems.error(
        file,
        None,
        None,
        f"Excel-filen packas upp till {human_size(size)}, mer än gränsen {human_size(limit)}. Filen kan "
        "inte läsas säkert; dela upp exporten eller exportera den som CSV "
        "(inställningen xlsx_max_unpacked_bytes).",
    )


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's unpacked bytes in chunks; zipfile stops at the declared size and checks
    the CRC at the end, so a part larger than declared raises BadZipFile."""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def _count_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """Count <si> elements, stopping as soon as the limit is passed."""
    count = 0
    tail = b""
    for chunk in _chunks(archive, info):
        data = tail + chunk
        count += data.count(b"<si>") + data.count(b"<si ")
        if count > limit:
            return count
        # A tag split over two chunks is counted with the next one; three bytes cannot
        # hold a whole "<si>", so nothing is counted twice.
        tail = data[-3:]
    return count


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name, from the workbook and its relationships (small parts)."""
    names = set(archive.namelist())
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    target = {
        r.get("Id"): str(r.get("Target", "")) for r in rels.iter(f"{_PKG_REL_NS}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_SHEET_NS}sheet"):
        t = target.get(sheet.get(f"{_REL_NS}id"), "")
        part = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
        if part in names:
            parts[str(sheet.get("name"))] = part
    return parts


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> SheetScan:
    """The sheet's first used column and its cells with a formula and no stored value,
    in sheet order (at most a report's worth).

    A chunk without "<f" (nearly every chunk of an export) costs one byte search.
    """
    found: list[FormulaCell] = []
    first: int | None = None
    carry = b""
    for chunk in _chunks(archive, info):
        data = carry + chunk
        if first is None:
            dimension = _DIMENSION.search(data)
            first = column_index(dimension.group(1).decode()) if dimension else 0
        cut = data.rfind(b"</row>")
        if cut < 0:
            if len(data) > _MAX_CARRY:
                raise zipfile.BadZipFile("row too long")
            carry = data
            continue
        cut += len(b"</row>")
        complete, carry = data[:cut], data[cut:]
        if b"<f" in complete:
            found.extend(_scan(complete))
        if len(found) > MAX_ROWS_PER_CHECK * 10:
            break
    if carry and b"<f" in carry:
        found.extend(_scan(carry))
    return SheetScan(first or 0, found)


def _scan(xml: bytes) -> list[FormulaCell]:
    cells: list[FormulaCell] = []
    for match in _CELL.finditer(xml):
        attributes, body = match.group(1), match.group(3) or b""
        formula = _FORMULA.search(body)
        if formula is None:
            continue
        value = _VALUE.search(body)
        stored = value is not None and (
            bool((value.group(1) or b"").strip()) or bool(_STRING_TYPE.search(attributes))
        )
        if stored:
            continue
        ref = _REF.search(attributes)
        if ref is None:
            continue
        text = (formula.group(1) or b"").decode("utf-8", "replace")
        cells.append(FormulaCell(ref.group(1).decode(), int(ref.group(2)), text))
    return cells


def column_index(letters: str) -> int:
    """0-based index of Excel column letters: A -> 0, Z -> 25, AA -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - ord("A") + 1)
    return index - 1
