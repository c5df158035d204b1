"""``read_export``: a folder of HR/payroll export files to validated, pseudonymised ``HRData``.

The function reads and checks everything and returns all problems at once. It
never writes anywhere: the caller stores ``result.data`` only when ``result.ok``.
"""

from __future__ import annotations

import fnmatch
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from hallbar.core import schema
from hallbar.core.dataset import HRData
from hallbar.core.errors import Problem, ProblemList
from hallbar.ingest.columns import map_columns
from hallbar.ingest.embedded import candidate_columns, protect_embedded_personnummer
from hallbar.ingest.export_date import latest_export_date
from hallbar.ingest.organisation import InvalidOrgCode, guess_org_kind, validate_org_code
from hallbar.ingest.parse import parse_table
from hallbar.ingest.people import PnrColumn, pseudonymise_frames
from hallbar.ingest.plausibility import PlausibilityLimits, check_plausibility
from hallbar.ingest.problems import ROW_COLUMN, BatchProblems
from hallbar.ingest.profiles import Profile, fold, load_profile
from hallbar.ingest.readers import (
    CONTROL_CHARACTERS,
    CSV_SUFFIXES,
    DEFAULT_BATCH_ROWS,
    XLSX_SUFFIXES,
    open_table_file,
)
from hallbar.ingest.spool import STREAMED_TABLES, KnownIds, Spooled
from hallbar.ingest.validate import (
    DUPLICATE_KEYS,
    Parsed,
    check_duplicates,
    check_references,
    check_required,
    check_row_values,
)
from hallbar.ingest.xlsx_guard import XlsxLimits

REQUIRED_TABLES = ("units", "employments")
PNR_COLUMNS = (
    ("units", "manager_person_id"),
    ("employments", "person_id"),
    ("absences", "person_id"),
)
Progress = Callable[[str, int, int], None]
# A national working-time file (1,3 million employees, three years) is about 2 GB;
# memory no longer grows with the file (batches), so the limit only stops mistakes.
MAX_FILE_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class ImportRequest:
    folder: Path  # folder holding the export files
    org_id: str
    org_name: str
    as_of: date | None  # snapshot date (uttagsdatum); None: the latest date in the files
    key: bytes  # pseudonym key
    profile: str | Path = "generic"  # built-in or saved name, or path to a TOML file
    max_file_bytes: int = MAX_FILE_BYTES
    files: tuple[Path, ...] | None = None  # explicit files instead of scanning folder
    org_kind: str | None = None  # kommun, region or förbund; guessed from org_id if None
    plausibility: PlausibilityLimits = field(default_factory=PlausibilityLimits)
    xlsx_limits: XlsxLimits = field(default_factory=XlsxLimits)
    profile_dir: Path | None = None  # where profiles saved by the mapping step live
    batch_rows: int = DEFAULT_BATCH_ROWS  # rows read, checked and written at a time
    # Where large tables are spooled (working time, pay components). None: a temporary
    # folder, and the tables are returned in ``data`` like the others. Given: they stay
    # there, returned as queries in ``IngestResult.spooled``; the caller removes the folder.
    spool_dir: Path | None = None


@dataclass
class IngestResult:
    data: HRData | None  # None when there are errors
    problems: list[Problem]
    row_counts: dict[str, int] = field(default_factory=dict)  # table -> rows read
    files: dict[str, str] = field(default_factory=dict)  # table -> file name used
    as_of: date | None = None  # the export date used (given, or found in the files)
    # Tables left in ``ImportRequest.spool_dir`` (their frames in ``data`` are empty):
    # canonical columns, pseudonymised, as lazy queries the store writes out.
    spooled: dict[str, pl.LazyFrame] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.severity == "fel" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "fel"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "varning"]


ORG_FILE = "organisation"  # where problems with the organisation code are reported


def read_export(req: ImportRequest, progress: Progress | None = None) -> IngestResult:
    """Read, validate and pseudonymise one organisation's export. Never raises on bad data."""
    if req.spool_dir is not None:
        return _read_export(req, req.spool_dir, progress)
    with tempfile.TemporaryDirectory(prefix="hallbar-import-") as spool:
        return _read_export(req, Path(spool), progress)


def _read_export(req: ImportRequest, spool: Path, progress: Progress | None) -> IngestResult:
    problems = ProblemList()
    try:
        validate_org_code(req.org_id)
    except InvalidOrgCode as err:
        problems.error(ORG_FILE, None, None, str(err))
        return IngestResult(None, list(problems.items))
    if re.search(CONTROL_CHARACTERS, req.org_name):
        # As for the files' cells: refused on every store alike (PostgreSQL refuses NUL).
        problems.error(
            ORG_FILE,
            None,
            None,
            "Organisationens namn innehåller ett otillåtet styrtecken. Skriv namnet igen.",
        )
        return IngestResult(None, list(problems.items))
    profile = load_profile(req.profile, req.profile_dir)
    located = locate_files(req, profile, problems)
    total = len(located) + 2
    parsed: dict[str, Parsed | Spooled] = {}
    row_counts: dict[str, int] = {}
    for step, table in enumerate(schema.IMPORT_TABLES):
        path = located.get(table.name)
        if path is None:
            continue
        if progress:
            progress(f"Läser {path.name}", step, total)
        result = _read_one(path, table, profile, req, problems, parsed, spool)
        if result is not None:
            parsed[table.name] = result
            row_counts[table.name] = (
                result.rows if isinstance(result, Spooled) else result.frame.height
            )
    files = {name: path.name for name, path in located.items()}
    held = {n: p for n, p in parsed.items() if isinstance(p, Parsed)}
    dated = {n: p.frame for n, p in held.items()}
    for name, entry in parsed.items():
        if isinstance(entry, Spooled):  # only the latest month counts
            dated[name] = pl.DataFrame({"month": [entry.max_month]}, schema={"month": pl.Date})
    as_of = req.as_of or latest_export_date(dated)
    del dated
    if as_of is None:
        problems.error(
            ORG_FILE,
            None,
            None,
            "Uttagsdatum kunde inte bestämmas: filerna har inga datum. Ange uttagsdatum "
            "(ÅÅÅÅ-MM-DD) när importen startas.",
        )
        return IngestResult(None, list(problems.items), row_counts, files)
    if progress:
        progress("Kontrollerar personnummer och kopplingar", total - 2, total)
    # The frames move into pseudonymise_frames, which replaces them one by one: each raw
    # personnummer column is let go as soon as its pseudonyms exist (at national scale
    # both at once would be hundreds of megabytes more at the import's busiest point).
    moved = {}
    for name, entry in held.items():
        moved[name], entry.frame = entry.frame, entry.frame.clear()
    frames, persons = pseudonymise_frames(
        moved,
        [
            PnrColumn(t, c, held[t].file, held[t].header(c), t != "absences")
            for t, c in PNR_COLUMNS
            if t in held and c in held[t].header_of
        ],
        as_of,
        req.key,
        problems,
    )
    del moved
    for name, frame in frames.items():
        held[name].frame = frame
    protect_embedded_personnummer(parsed, as_of, req.key, problems)
    if all(isinstance(parsed.get(t), Parsed) for t in REQUIRED_TABLES):
        check_references(parsed, problems)
        check_plausibility(held, persons, as_of, req.plausibility, problems)
    if progress:
        progress("Klart", total, total)
    if problems.errors:
        return IngestResult(None, list(problems.items), row_counts, files, as_of)
    queries = {n: p.lazy(req.org_id) for n, p in parsed.items() if isinstance(p, Spooled)}
    if req.spool_dir is None:  # the temporary folder goes: the tables are read into memory
        for name, entry in parsed.items():
            if isinstance(entry, Spooled):
                held[name] = _collected(entry, queries.pop(name))
    data = _assemble(req, as_of, held, persons)
    return IngestResult(data, list(problems.items), row_counts, files, as_of, queries)


def _collected(spooled: Spooled, query: pl.LazyFrame) -> Parsed:
    frame = query.with_row_index(ROW_COLUMN).collect()
    return Parsed(spooled.table, frame, spooled.file, spooled.header_of)


def _read_one(
    path: Path,
    table: schema.Table,
    profile: Profile,
    req: ImportRequest,
    problems: ProblemList,
    earlier: dict[str, Parsed | Spooled],
    spool: Path,
) -> Parsed | Spooled | None:
    """Read one file in batches: parse and check each, then the checks of the whole table.

    Small tables are held in memory; ``STREAMED_TABLES`` are written batch by batch
    to ``spool`` (``Spooled``). Problems are reported as if the file were read whole.
    """
    tprof = profile.table(table.name)
    source = open_table_file(
        path, tprof, req.max_file_bytes, problems, req.xlsx_limits, max(req.batch_rows, 1)
    )
    if source is None:
        return None
    checks = BatchProblems()
    streamed: Spooled | None = None
    if table.name in STREAMED_TABLES:
        streamed = Spooled(table, source.file, spool, DUPLICATE_KEYS.get(table.name, ()))
    employment_ids = _employment_ids(earlier) if streamed is not None else None
    header_of: dict[str, str] | None = None
    failed = False
    rows = 0
    empty_at = 0
    candidates: list[str] = []
    batches: list[pl.DataFrame] = []
    for raw in source.batches():
        if failed:
            continue  # the rest is still read: a broken file is reported as broken
        if header_of is None:
            empty_at = len(checks.entries)
            mapped = map_columns(raw, table, profile, checks)
            if mapped is None:
                failed = True
                continue
            frame, header_of = mapped
        else:
            frame = raw.frame.select(
                ROW_COLUMN, *(pl.col(h).alias(c) for c, h in header_of.items())
            )
        rows += frame.height
        check_required(Parsed(table, frame, raw.file, header_of), checks)
        typed = parse_table(frame, table, tprof, header_of, raw.file, raw.from_excel, checks)
        del frame
        check_row_values(Parsed(table, typed, raw.file, header_of), checks)
        if streamed is not None:
            if not streamed.header_of:
                streamed.header_of = header_of
                candidates = candidate_columns(streamed, dict(typed.schema))
            streamed.add(typed, employment_ids, candidates)
        else:
            batches.append(typed)
    source.problems.emit(problems)
    if not source.ok:
        return None
    if rows == 0:
        text = "Filen har bara en rubrikrad och inga rader med data."
        if table.name in REQUIRED_TABLES:
            note = Problem(source.file, None, None, f"{text} Exportera den igen med data.", "fel")
        else:
            note = Problem(source.file, None, None, f"{text} Tabellen blir tom.", "varning")
        checks.entries.insert(empty_at, note)
    if failed or header_of is None:
        checks.emit(problems)
        return None
    if streamed is not None:
        candidate_rows = streamed.duplicate_candidates()
        if candidate_rows is not None:
            check_duplicates(Parsed(table, candidate_rows, source.file, header_of), checks)
        checks.emit(problems)
        return streamed
    frame = pl.concat(batches) if len(batches) != 1 else batches[0]
    del batches
    result = Parsed(table, frame, source.file, header_of)
    check_duplicates(result, checks)
    checks.emit(problems)
    return result


def _employment_ids(earlier: dict[str, Parsed | Spooled]) -> KnownIds | None:
    """The employment ids a streamed table's rows must name; None when references are not
    checked (a required file is missing or unreadable, or the employments file is empty)."""
    employments = earlier.get("employments")
    if not all(isinstance(earlier.get(t), Parsed) for t in REQUIRED_TABLES):
        return None
    if not isinstance(employments, Parsed) or employments.frame.height == 0:
        return None
    return KnownIds.of(employments.frame["employment_id"])


def locate_files(req: ImportRequest, profile: Profile, problems: ProblemList) -> dict[str, Path]:
    """Assign each export file to a table by the profile's file-name patterns."""
    if req.files is not None:
        candidates = [Path(p) for p in req.files]
    elif Path(req.folder).is_file():
        candidates = [Path(req.folder)]
    else:
        folder = Path(req.folder)
        if not folder.is_dir():
            problems.error(
                str(folder),
                None,
                None,
                "Mappen finns inte. Ange mappen som innehåller exportfilerna.",
            )
            return {}
        candidates = sorted(
            p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
        )
    found: dict[str, Path] = {}
    for path in candidates:
        if path.suffix.lower() not in CSV_SUFFIXES + XLSX_SUFFIXES:
            problems.warning(
                path.name, None, None, "Filen läses inte: bara CSV- och XLSX-filer kan importeras."
            )
            continue
        tables = tables_for(fold(path.stem), profile)
        if not tables:
            names = ", ".join(f"{t.sv}.csv" for t in schema.IMPORT_TABLES)
            problems.warning(
                path.name,
                None,
                None,
                f"Filen hör inte till någon tabell och läses inte. Filerna ska heta t.ex. {names} "
                "(eller som importprofilen anger).",
            )
            continue
        if len(tables) > 1:
            problems.error(
                path.name,
                None,
                None,
                f"Filnamnet passar flera tabeller ({', '.join(tables)}). Byt namn på filen.",
            )
            continue
        table = schema.TABLES_BY_NAME[tables[0]]
        if table.name in found:
            problems.error(
                path.name,
                None,
                None,
                f"Två filer för tabellen {table.sv}: {found[table.name].name} och {path.name}. "
                "Lägg bara en fil per tabell i importen.",
            )
            continue
        found[table.name] = path
    for name in REQUIRED_TABLES:
        if name not in found:
            table = schema.TABLES_BY_NAME[name]
            problems.error(
                f"{table.sv}.csv",
                None,
                None,
                f"Filen för {table.sv} saknas. Den behövs alltid; lägg till {table.sv}.csv "
                "eller .xlsx i importen.",
            )
    return found


def tables_for(stem: str, profile: Profile) -> list[str]:
    """Tables whose patterns match; a table's exact name wins over wildcard patterns."""
    exact = [t.name for t in schema.IMPORT_TABLES if stem in (fold(t.sv), fold(t.name))]
    if exact:
        return exact[:1]
    return [
        name
        for name, tp in profile.tables.items()
        if any(fnmatch.fnmatchcase(stem, pattern) for pattern in tp.files)
    ]


def _assemble(
    req: ImportRequest, as_of: date, parsed: dict[str, Parsed], persons: pl.DataFrame
) -> HRData:
    org = pl.lit(req.org_id, dtype=pl.String).alias("org_id")
    frames = {
        name: _in_file_order(p.frame).drop(ROW_COLUMN).with_columns(org)
        for name, p in parsed.items()
    }
    organisations = pl.DataFrame(
        {
            "org_id": [req.org_id],
            "name": [req.org_name],
            "kind": [req.org_kind or guess_org_kind(req.org_id)],
        }
    )
    data = HRData(
        as_of=as_of,
        organisations=organisations,
        persons=persons.with_columns(org),
        **frames,  # type: ignore[arg-type]  # keys are HRData frame fields
    )
    return data.conformed()


def _in_file_order(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` sorted by row number. Held tables are built batch after batch in file
    order, so this is almost always a check: sorting would copy every column of the
    largest tables at the moment all of them are in memory."""
    return frame if frame[ROW_COLUMN].is_sorted() else frame.sort(ROW_COLUMN)
