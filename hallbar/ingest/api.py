"""``read_export``: a folder of HR/payroll export files to validated, pseudonymised ``HRData``.

The function reads and checks everything and returns all problems at once. It
never writes anywhere: the caller stores ``result.data`` only when ``result.ok``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from hallbar.core import schema
from hallbar.core.dataset import HRData
from hallbar.core.errors import Problem, ProblemList
from hallbar.ingest.columns import map_columns
from hallbar.ingest.embedded import protect_embedded_personnummer
from hallbar.ingest.export_date import latest_export_date
from hallbar.ingest.organisation import InvalidOrgCode, guess_org_kind, validate_org_code
from hallbar.ingest.parse import parse_table
from hallbar.ingest.people import PnrColumn, pseudonymise_frames
from hallbar.ingest.plausibility import PlausibilityLimits, check_plausibility
from hallbar.ingest.problems import ROW_COLUMN as ROW
from hallbar.ingest.profiles import Profile, fold, load_profile
from hallbar.ingest.readers import CSV_SUFFIXES, XLSX_SUFFIXES, read_table_file
from hallbar.ingest.validate import Parsed, check_references, check_required, check_values
from hallbar.ingest.xlsx_guard import XlsxLimits

REQUIRED_TABLES = ("units", "employments")
PNR_COLUMNS = (
    ("units", "manager_person_id"),
    ("employments", "person_id"),
    ("absences", "person_id"),
)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportRequest:
    folder: Path  # folder holding the export files
    org_id: str
    org_name: str
    as_of: date | None  # snapshot date (uttagsdatum); None: the latest date in the files
    key: bytes  # pseudonym key
    profile: str | Path = "generic"  # built-in or saved name, or path to a TOML file
    max_file_bytes: int = 200 * 1024 * 1024
    files: tuple[Path, ...] | None = None  # explicit files instead of scanning folder
    org_kind: str | None = None  # kommun, region or förbund; guessed from org_id if None
    plausibility: PlausibilityLimits = field(default_factory=PlausibilityLimits)
    xlsx_limits: XlsxLimits = field(default_factory=XlsxLimits)
    profile_dir: Path | None = None  # where profiles saved by the mapping step live


@dataclass
class IngestResult:
    data: HRData | None  # None when there are errors
    problems: list[Problem]
    row_counts: dict[str, int] = field(default_factory=dict)  # table -> rows read
    files: dict[str, str] = field(default_factory=dict)  # table -> file name used
    as_of: date | None = None  # the export date used (given, or found in the files)

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
    problems = ProblemList()
    try:
        validate_org_code(req.org_id)
    except InvalidOrgCode as err:
        problems.error(ORG_FILE, None, None, str(err))
        return IngestResult(None, list(problems.items))
    profile = load_profile(req.profile, req.profile_dir)
    located = locate_files(req, profile, problems)
    total = len(located) + 2
    parsed: dict[str, Parsed] = {}
    row_counts: dict[str, int] = {}
    for step, table in enumerate(schema.IMPORT_TABLES):
        path = located.get(table.name)
        if path is None:
            continue
        if progress:
            progress(f"Läser {path.name}", step, total)
        result = _read_one(path, table, profile, req, problems)
        if result is not None:
            parsed[table.name] = result
            row_counts[table.name] = result.frame.height
    files = {name: path.name for name, path in located.items()}
    as_of = req.as_of or latest_export_date({n: p.frame for n, p in parsed.items()})
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
    frames, persons = pseudonymise_frames(
        {name: p.frame for name, p in parsed.items()},
        [
            PnrColumn(t, c, parsed[t].file, parsed[t].header(c), t != "absences")
            for t, c in PNR_COLUMNS
            if t in parsed and c in parsed[t].header_of
        ],
        as_of,
        req.key,
        problems,
    )
    for name, frame in frames.items():
        parsed[name].frame = frame
    protect_embedded_personnummer(parsed, as_of, req.key, problems)
    if all(t in parsed for t in REQUIRED_TABLES):
        check_references(parsed, problems)
        check_plausibility(parsed, persons, as_of, req.plausibility, problems)
    if progress:
        progress("Klart", total, total)
    if problems.errors:
        return IngestResult(None, list(problems.items), row_counts, files, as_of)
    data = _assemble(req, as_of, parsed, persons)
    return IngestResult(data, list(problems.items), row_counts, files, as_of)


def _read_one(
    path: Path, table: schema.Table, profile: Profile, req: ImportRequest, problems: ProblemList
) -> Parsed | None:
    raw = read_table_file(
        path, profile.table(table.name), req.max_file_bytes, problems, req.xlsx_limits
    )
    if raw is None:
        return None
    if raw.frame.height == 0:
        text = "Filen har bara en rubrikrad och inga rader med data."
        if table.name in REQUIRED_TABLES:
            problems.error(raw.file, None, None, f"{text} Exportera den igen med data.")
        else:
            problems.warning(raw.file, None, None, f"{text} Tabellen blir tom.")
    mapped = map_columns(raw, table, profile, problems)
    if mapped is None:
        return None
    frame, header_of = mapped
    text_table = Parsed(table, frame, raw.file, header_of)
    check_required(text_table, problems)
    typed = parse_table(
        frame, table, profile.table(table.name), header_of, raw.file, raw.from_excel, problems
    )
    result = Parsed(table, typed, raw.file, header_of)
    check_values(result, problems)
    return result


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
    frames = {name: p.frame.sort(ROW).drop(ROW).with_columns(org) for name, p in parsed.items()}
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
