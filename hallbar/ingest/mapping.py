"""Column mapping: files whose headers match no profile, mapped by hand and saved as a profile.

A payroll system's report generator exports whatever columns a user picked, under
whatever headers. This module reads the header and the first rows of each file
(through the import's own readers, so the same encoding and XLSX guards apply),
proposes which table each file holds and which header holds each column of the
data model, checks a user's mapping, and writes it as a profile TOML in the format
of ``hallbar/ingest/profiles`` (``docs/data-format.md``). A saved profile lives in
the data folder (``saved_profiles_dir``) and is found by name like a built-in one.

Pure: no web, no database, no settings; the caller names the folder.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hallbar.core import schema
from hallbar.core.errors import ConfigurationError, InputError, Problem, ProblemList
from hallbar.ingest.api import REQUIRED_TABLES, tables_for
from hallbar.ingest.profiles import (
    CODE_LISTS,
    NAME_HEADERS,
    SAVED_NAME,
    Profile,
    TableProfile,
    builtin_profiles,
    fold,
    fold_pattern,
    load_profile,
)
from hallbar.ingest.readers import CSV_SUFFIXES, XLSX_SUFFIXES, read_table_file
from hallbar.ingest.xlsx_guard import XlsxLimits

SAVED_PROFILES_FOLDER = "profiler"
PREVIEW_ROWS = 5
MAX_CODES = 30  # more distinct values than this: not a code column to translate on a page
# Personnummer or samordningsnummer shapes (10 or 12 digits, optional - or +): the
# preview shows the birth date part and hides the last four digits.
_PNR_SHAPE = re.compile(r"(?<![0-9])([0-9]{6}(?:[0-9]{2})?[-+]?)[0-9]{4}(?![0-9])")
_NAME_KEYS = frozenset(NAME_HEADERS)
NAME_HIDDEN = "(namn visas inte)"
_ORG_HEADERS = frozenset({"orgid", "organisationsid", "organisation", "kommunkod"})
_TRAILING_DATE = re.compile(r"[0-9_-]+$")
# The tables' names in messages (as the pages name them).
TABLE_LABELS = {
    "units": "Enheter",
    "employments": "Anställningar",
    "absences": "Frånvaro",
    "working_time": "Arbetstid",
    "pay_components": "Lönedelar",
    "agency_staff": "Inhyrd personal",
}


class InvalidProfileName(InputError):
    """A profile name that cannot become a saved profile's file name."""


def saved_profiles_dir(data_dir: Path) -> Path:
    """Where the mapping step saves profiles: ``<data>/profiler``."""
    return data_dir / SAVED_PROFILES_FOLDER


def check_profile_name(raw: str) -> str:
    """The saved profile's name: lower-case ASCII letters, digits, - and _ (no paths)."""
    name = raw.strip().lower()
    if not SAVED_NAME.fullmatch(name):
        raise InvalidProfileName(
            f"'{raw.strip()[:60]}' går inte att använda som profilnamn. Använd 1–40 tecken: "
            "a–z, 0–9, bindestreck och understreck, och börja med en bokstav eller siffra "
            "(t.ex. 'visma-personal')."
        )
    if name in builtin_profiles():
        raise InvalidProfileName(
            f"Profilen '{name}' är inbyggd och kan inte ersättas. Välj ett annat namn."
        )
    return name


# ---------------------------------------------------------------- reading the files


@dataclass(frozen=True)
class FilePreview:
    """A file's headers and first rows as the import reads them (personnummer masked)."""

    file: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    problems: tuple[Problem, ...]  # why it could not be read, if it could not
    # header -> its distinct values (masked), for headers with at most MAX_CODES of them:
    # the candidates for a code column whose values need translating
    distinct: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def readable(self) -> bool:
        return bool(self.headers)


def _neutral_table_profile() -> TableProfile:
    """No table is known yet: an XLSX file is read from its first sheet."""
    return TableProfile("", (), {}, {}, frozenset(), ())


def preview_file(
    path: Path,
    max_bytes: int,
    xlsx_limits: XlsxLimits | None = None,
    rows: int = PREVIEW_ROWS,
) -> FilePreview:
    """Read ``path`` with the import's readers and keep its headers and ``rows`` first rows."""
    problems = ProblemList()
    if path.suffix.lower() not in CSV_SUFFIXES + XLSX_SUFFIXES:
        problems.error(path.name, None, None, "Bara CSV- och XLSX-filer kan kopplas.")
        return FilePreview(path.name, (), (), tuple(problems.items))
    raw = read_table_file(path, _neutral_table_profile(), max_bytes, problems, xlsx_limits)
    errors = tuple(p for p in problems.items if p.severity == "fel")
    if raw is None or errors:
        return FilePreview(path.name, (), (), errors or tuple(problems.items))
    headers = tuple(raw.headers)
    hidden = {h for h in headers if fold(h) in _NAME_KEYS}
    first = raw.frame.head(rows).select(list(headers)).rows()
    shown = tuple(
        tuple(
            NAME_HIDDEN if h in hidden and v is not None else mask_personnummer(v or "")
            for h, v in zip(headers, row, strict=True)
        )
        for row in first
    )
    distinct = {}
    for header in headers:
        if header in hidden:
            continue
        values = raw.frame[header].drop_nulls()
        if values.n_unique() <= MAX_CODES:
            distinct[header] = tuple(sorted({mask_personnummer(v) for v in values.unique()}))
    return FilePreview(raw.file, headers, shown, tuple(problems.items), distinct)


def mask_personnummer(text: str) -> str:
    """Hide the last four digits of anything shaped like a personnummer."""
    return _PNR_SHAPE.sub(lambda m: m.group(1) + "****", text)


# ---------------------------------------------------------------- proposing a mapping

EXACT = "exakt"
FOLDED = "skiftläge"
SYNONYM = "synonym"
BY_FILE_NAME = "filnamn"
BY_HEADERS = "rubriker"


@dataclass(frozen=True)
class ColumnChoice:
    """One column of the data model and the file header proposed for it."""

    column: str  # canonical column name
    label_sv: str  # the Swedish description shown to the user
    header_sv: str  # the generic layout's header
    required: bool
    header: str | None  # the file's header, None when nothing matched
    how: str  # EXACT, FOLDED, SYNONYM or "" (no match)


@dataclass(frozen=True)
class FileProposal:
    file: str
    table: str | None  # canonical table name, None when no table fits
    how_table: str  # BY_FILE_NAME, BY_HEADERS or ""
    columns: tuple[ColumnChoice, ...]  # the table's columns (empty when table is None)


def model_columns(table_name: str) -> tuple[schema.Column, ...]:
    """The columns a file of ``table_name`` can hold (the organisation comes from the import)."""
    table = schema.TABLES_BY_NAME[table_name]
    return tuple(c for c in table.columns if c.name != "org_id")


def _builtin() -> list[Profile]:
    return [load_profile(name) for name in builtin_profiles()]


def known_synonyms(table_name: str, profiles: Iterable[Profile]) -> dict[str, str]:
    """Folded header -> column from every given profile; the first profile wins a conflict."""
    out: dict[str, str] = {}
    for profile in profiles:
        for header, column in profile.table(table_name).headers.items():
            out.setdefault(header, column)
    return out


def propose_columns(
    table_name: str, headers: Iterable[str], profiles: Iterable[Profile] | None = None
) -> tuple[ColumnChoice, ...]:
    """For each column of the table, the first header matching exactly, then case and
    accents aside, then as a synonym known to a profile; a header is proposed once."""
    headers = list(headers)
    synonyms = known_synonyms(table_name, _builtin() if profiles is None else profiles)
    taken: set[str] = set()
    choices = []
    for col in model_columns(table_name):
        found, how = _match(col, [h for h in headers if h not in taken], synonyms)
        if found is not None:
            taken.add(found)
        choices.append(ColumnChoice(col.name, col.sv_text, col.sv, col.required, found, how))
    return tuple(choices)


def _match(
    col: schema.Column, headers: list[str], synonyms: Mapping[str, str]
) -> tuple[str | None, str]:
    names = (col.sv, col.name)
    folded = {fold(n) for n in names}
    # Name columns are never read and the organisation comes from the import: never proposed.
    headers = [h for h in headers if fold(h) not in _NAME_KEYS | _ORG_HEADERS]
    for header in headers:
        if header in names:
            return header, EXACT
    for header in headers:
        if fold(header) in folded:
            return header, FOLDED
    for header in headers:
        key = fold(header)
        if synonyms.get(key) == col.name:
            return header, SYNONYM
    return None, ""


@dataclass(frozen=True)
class ValueChoice:
    """One value found in a code column of the file and the code proposed for it."""

    raw: str
    code: str | None  # a value of the column's code list, None when nothing matched
    how: str  # EXACT, SYNONYM or ""


def known_values(table_name: str, column: str, profiles: Iterable[Profile]) -> dict[str, str]:
    """Folded raw value -> code from every given profile; the first profile wins a conflict."""
    out: dict[str, str] = {}
    for profile in profiles:
        for raw, code in profile.table(table_name).values.get(column, {}).items():
            out.setdefault(raw, code)
    return out


def propose_values(
    table_name: str,
    column: str,
    values: Iterable[str],
    profiles: Iterable[Profile] | None = None,
) -> tuple[ValueChoice, ...]:
    """For each value of a code column: itself when it is a code, else a translation some
    profile knows (``Permanent`` -> ``tillsvidare``), else nothing."""
    known = known_values(table_name, column, _builtin() if profiles is None else profiles)
    out = []
    for raw in values:
        if raw in CODE_LISTS[column]:
            out.append(ValueChoice(raw, raw, EXACT))
        elif fold(raw) in known:
            out.append(ValueChoice(raw, known[fold(raw)], SYNONYM))
        else:
            out.append(ValueChoice(raw, None, ""))
    return tuple(out)


def _score(choices: Iterable[ColumnChoice]) -> int:
    return sum(2 if c.required else 1 for c in choices if c.header is not None)


def propose(preview: FilePreview, profiles: Iterable[Profile] | None = None) -> FileProposal:
    """The table a file most likely holds (by its name, else by its headers) and its columns."""
    profiles = _builtin() if profiles is None else list(profiles)
    if not preview.readable:
        return FileProposal(preview.file, None, "", ())
    # Only the generic profile's file names: a saved profile extends it, so the import
    # finds the file the same way; other systems' names ("lon*") would guess wrongly.
    by_name = tables_for(fold(Path(preview.file).stem), load_profile("generic"))
    if len(by_name) == 1:
        table = by_name[0]
        return FileProposal(
            preview.file, table, BY_FILE_NAME, propose_columns(table, preview.headers, profiles)
        )
    scored = [
        (_score(choices), table.name, choices)
        for table in schema.IMPORT_TABLES
        for choices in [propose_columns(table.name, preview.headers, profiles)]
    ]
    best = max(s for s, _, _ in scored)
    winners = [(name, choices) for s, name, choices in scored if s == best]
    if best == 0 or len(winners) > 1:
        return FileProposal(preview.file, None, "", ())
    table, choices = winners[0]
    return FileProposal(preview.file, table, BY_HEADERS, choices)


# ---------------------------------------------------------------- checking a mapping


@dataclass(frozen=True)
class FileMapping:
    """The user's choice for one file: its table (None: not read) and column -> header."""

    file: str
    table: str | None
    columns: Mapping[str, str]
    # code column -> raw value in the file -> code ("" or missing: not translated)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def validate_mapping(
    mappings: Iterable[FileMapping], headers_of: Mapping[str, tuple[str, ...]]
) -> list[Problem]:
    """Every problem with a mapping, in Swedish, naming the file and the column.

    A mapped file has a known table, no other file maps to that table, every required
    column has a header, no header holds two columns, and every header is in the file.
    The tables every import needs (units and employments) must each have a file.
    """
    problems = ProblemList()
    file_of: dict[str, str] = {}
    for m in mappings:
        if m.table is None:
            continue
        if m.table not in schema.TABLES_BY_NAME or m.table not in {
            t.name for t in schema.IMPORT_TABLES
        }:
            problems.error(m.file, None, None, "Välj vilken tabell filen innehåller.")
            continue
        table = schema.TABLES_BY_NAME[m.table]
        if m.table in file_of:
            problems.error(
                m.file,
                None,
                None,
                f"Både {file_of[m.table]} och {m.file} är kopplade till {TABLE_LABELS[table.name].lower()}. "
                "Koppla en av dem till en annan tabell eller välj 'Läs inte filen'.",
            )
            continue
        file_of[m.table] = m.file
        _validate_file(m, table, headers_of.get(m.file, ()), problems)
    for name in REQUIRED_TABLES:
        if name not in file_of:
            table = schema.TABLES_BY_NAME[name]
            problems.error(
                "koppling",
                None,
                None,
                f"Ingen fil är kopplad till {TABLE_LABELS[table.name].lower()}. Den tabellen behövs alltid; "
                "koppla en fil till den eller ladda upp den filen.",
            )
    return list(problems.items)


def _validate_file(
    m: FileMapping, table: schema.Table, headers: tuple[str, ...], problems: ProblemList
) -> None:
    known = {c.name: c for c in model_columns(table.name)}
    column_of: dict[str, str] = {}
    for column, header in m.columns.items():
        col = known.get(column)
        if col is None:
            problems.error(
                m.file, None, column, f"{TABLE_LABELS[table.name]} har ingen kolumn '{column}'."
            )
            continue
        if header not in headers:
            problems.error(
                m.file,
                1,
                col.sv,
                f"Rubriken '{header[:80]}' finns inte i filen. Välj en av filens rubriker.",
            )
            continue
        if fold(header) in _NAME_KEYS:
            problems.error(
                m.file,
                1,
                header,
                f"Rubriken '{header}' ser ut som ett personnamn och läses aldrig (namn sparas "
                f"inte). Byt rubriken i filen, t.ex. till '{col.sv}', och ladda upp den igen.",
            )
            continue
        if header in column_of:
            first = known[column_of[header]]
            problems.error(
                m.file,
                1,
                header,
                f"Rubriken '{header}' är kopplad både till '{first.sv_text}' och till "
                f"'{col.sv_text}'. En rubrik kan bara kopplas till en kolumn.",
            )
            continue
        column_of[header] = column
    for column, translations in m.values.items():
        if column not in CODE_LISTS or column not in m.columns:
            continue
        col = known[column]
        for raw, code in translations.items():
            if code and code not in CODE_LISTS[column]:
                allowed = ", ".join(CODE_LISTS[column])
                problems.error(
                    m.file,
                    None,
                    m.columns[column],
                    f"'{code[:40]}' finns inte i kodlistan för {col.sv_text.lower()}; "
                    f"välj bland {allowed}.",
                )
            elif not code and column != "end_reason":  # unknown end reasons become "övrigt"
                problems.error(
                    m.file,
                    None,
                    m.columns[column],
                    f"Värdet '{raw[:40]}' behöver översättas: välj vad det betyder "
                    f"({', '.join(CODE_LISTS[column])}).",
                )
    for col in known.values():
        if col.required and col.name not in m.columns:
            problems.error(
                m.file,
                None,
                col.sv,
                f"Kolumnen '{col.sv_text}' ({col.sv}) måste kopplas till en rubrik i filen; "
                f"den behövs för {TABLE_LABELS[table.name].lower()}.",
            )


# ---------------------------------------------------------------- writing the profile


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _file_pattern(file: str) -> str:
    """The file-name pattern saved for a file: its name without a trailing date or
    number, so next month's "Personal_2026-01.csv" finds the same table."""
    stem = fold_pattern(Path(file).stem)
    general = _TRAILING_DATE.sub("", Path(file).stem)
    folded = fold_pattern(general)
    return folded + "*" if folded and folded != stem else stem


def profile_toml(
    name: str,
    description: str,
    mappings: Iterable[FileMapping],
    headers_of: Mapping[str, tuple[str, ...]],
) -> str:
    """The profile as TOML: per mapped table its file pattern, the chosen headers, and every
    other header of the file ignored (so no built-in synonym can claim it twice)."""
    lines = [
        "# Saved by the column-mapping step (hallbar.ingest.mapping).",
        f"name = {_toml_string(name)}",
        f"description = {_toml_string(description)}",
        'extends = "generic"',
    ]
    for m in mappings:
        if m.table is None:
            continue
        table = schema.TABLES_BY_NAME[m.table]
        chosen = set(m.columns.values())
        ignored = [h for h in headers_of.get(m.file, ()) if h not in chosen]
        lines += [
            "",
            f"[{table.sv}]",
            f"# {m.file}",
            f"files = [{_toml_string(_file_pattern(m.file))}]",
        ]
        if ignored:
            lines.append("ignore = [" + ", ".join(_toml_string(h) for h in ignored) + "]")
        lines.append(f"[{table.sv}.columns]")
        for col in model_columns(m.table):
            if col.name in m.columns:
                lines.append(f"{col.name} = [{_toml_string(m.columns[col.name])}]")
        for column, translations in m.values.items():
            # Codes written as codes need no line; the generic layout accepts them.
            pairs = [(raw, code) for raw, code in translations.items() if code and raw != code]
            if column in m.columns and pairs:
                lines.append(f"[{table.sv}.values.{column}]")
                lines += [f"{_toml_string(raw)} = {_toml_string(code)}" for raw, code in pairs]
    return "\n".join(lines) + "\n"


def check_files_found(profile: Profile, mappings: Iterable[FileMapping]) -> list[Problem]:
    """Each mapped file must be found for its table by the saved profile's file patterns."""
    problems = ProblemList()
    for m in mappings:
        if m.table is None:
            continue
        found = tables_for(fold(Path(m.file).stem), profile)
        if found != [m.table]:
            table = schema.TABLES_BY_NAME[m.table]
            others = ", ".join(TABLE_LABELS[t].lower() for t in found if t != m.table)
            problems.error(
                m.file,
                None,
                None,
                f"Filnamnet passar även {others}, så importen kan inte veta att filen "
                f"innehåller {TABLE_LABELS[table.name].lower()}. Byt namn på filen (t.ex. "
                f"{table.sv}.csv) och ladda upp den igen.",
            )
    return list(problems.items)


def write_profile(
    folder: Path,
    name: str,
    mappings: list[FileMapping],
    headers_of: Mapping[str, tuple[str, ...]],
    *,
    saved_by: str,
    on: date,
) -> Path:
    """Check the mapping, write ``<folder>/<name>.toml`` (never over an existing profile),
    load it back as the import would, and return its path.

    Raises ``InvalidProfileName`` for a bad or taken name and ``MappingRejected`` with
    every problem when the mapping does not hold.
    """
    name = check_profile_name(name)
    problems = validate_mapping(mappings, headers_of)
    if problems:
        raise MappingRejected(problems)
    description = f"Kopplad i webbläsaren av {saved_by} {on.isoformat()}"
    text = profile_toml(name, description, mappings, headers_of)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.toml"
    handle, staged = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".ny")
    staging = Path(staged)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    try:
        try:
            profile = load_profile(staging)
        except ConfigurationError as err:  # a header the format cannot hold
            raise MappingRejected([Problem("koppling", None, None, err.message)]) from err
        found = check_files_found(profile, mappings)
        if found:
            raise MappingRejected(found)
        try:
            # Exclusive create: two users saving one name at once cannot overwrite each other.
            with target.open("x", encoding="utf-8") as out:
                out.write(text)
        except FileExistsError:
            raise InvalidProfileName(
                f"Det finns redan en profil som heter '{name}'. Välj ett annat namn."
            ) from None
    finally:
        staging.unlink(missing_ok=True)
    return target


class MappingRejected(InputError):
    """A mapping with problems; ``problems`` lists them all (file and column named)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            f"Kopplingen kan inte sparas: {len(problems)} problem. "
            + " ".join(str(p) for p in problems[:3])
        )
        self.problems = problems
