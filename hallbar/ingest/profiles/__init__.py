"""Column-mapping profiles: how one HR/payroll system's export maps to the data model.

A profile is a TOML file (format in ``docs/data-format.md``). Every profile
accepts the generic layout (the Swedish headers of ``hallbar.core.schema`` and
the English canonical names) and the canonical code values; a profile adds file
name patterns, header aliases, value translations and extra date formats.
Profiles extend ``generic`` unless they say ``extends = ""``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from hallbar.core import codes, schema
from hallbar.core.errors import ConfigurationError

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "æ": "a", "ø": "o"})

# Columns whose values come from a code list; raw values are translated to these.
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "employment_form": tuple(v.value for v in codes.EmploymentForm),
    "cause": tuple(v.value for v in codes.AbsenceCause),
    "kind": tuple(v.value for v in codes.PayKind),
    "end_reason": tuple(v.value for v in codes.EndReason),
}

# Headers that hold names: never read, never stored.
NAME_HEADERS = (
    "namn",
    "name",
    "fornamn",
    "efternamn",
    "tilltalsnamn",
    "fullstandigtnamn",
    "firstname",
    "lastname",
    "fullname",
    "chefsnamn",
    "chefnamn",
    "personnamn",
)

# The name of a profile saved by the column-mapping step: it becomes a file name, so
# only lower-case ASCII letters, digits, - and _ (no path separators, no dots).
SAVED_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")

_KEY_SYNONYMS = {
    "filer": "files",
    "kolumner": "columns",
    "varden": "values",
    "ignorera": "ignore",
    "datumformat": "date_formats",
    "blad": "sheet",
    "namnkolumner": "name_columns",
    "beskrivning": "description",
    "namn": "name",
    "utokar": "extends",
}


def fold(text: str) -> str:
    """Normalise a header or code for matching: lower case, å/ä/ö folded, only a–z and 0–9."""
    folded = text.strip().lower().translate(_FOLD)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


@dataclass(frozen=True)
class TableProfile:
    table: str  # canonical table name
    files: tuple[str, ...]  # fnmatch patterns on the folded file stem
    headers: dict[str, str]  # folded header -> canonical column
    values: dict[str, dict[str, str]]  # canonical column -> folded raw value -> code
    ignore: frozenset[str]  # folded headers dropped without a warning
    date_formats: tuple[str, ...]  # extra strptime formats
    sheet: str | None = None  # preferred XLSX sheet name


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    tables: dict[str, TableProfile]
    name_headers: frozenset[str] = field(default_factory=lambda: frozenset(NAME_HEADERS))

    def table(self, name: str) -> TableProfile:
        return self.tables[name]


def builtin_profiles() -> list[str]:
    """Names of the profiles shipped with Hållbar."""
    folder = resources.files("hallbar.ingest") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def saved_profiles(saved_dir: Path | None) -> list[str]:
    """Names of the profiles saved in ``saved_dir`` (by the column-mapping step)."""
    if saved_dir is None or not saved_dir.is_dir():
        return []
    return sorted(
        p.stem for p in saved_dir.iterdir() if p.suffix == ".toml" and SAVED_NAME.fullmatch(p.stem)
    )


def load_profile(
    name_or_path: str | Path, saved_dir: Path | None = None, *, _seen: tuple[str, ...] = ()
) -> Profile:
    """Load a profile: a built-in one or one saved in ``saved_dir`` by name, or a TOML file path."""
    if str(name_or_path) in _seen:
        chain = " → ".join((*_seen, str(name_or_path)))
        raise ConfigurationError(
            f"Profilerna utökar varandra i en cirkel ({chain}). Rätta 'extends'."
        )
    text, source = _profile_text(name_or_path, saved_dir)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigurationError(
            f"Profilen {source} är inte giltig TOML ({err}). Rätta filen och försök igen."
        ) from err
    raw = _canonical_keys(raw)
    extends = raw.pop("extends", "generic" if source != "generic" else "")
    if not isinstance(extends, str):
        raise ConfigurationError(f"Profilen {source}: 'extends' ska vara ett profilnamn.")
    seen = (*_seen, str(name_or_path))
    base = load_profile(extends, saved_dir, _seen=seen) if extends else _schema_profile()
    return _overlay(base, raw, source)


def _profile_text(name_or_path: str | Path, saved_dir: Path | None) -> tuple[str, str]:
    text_name = str(name_or_path)
    looks_like_path = (
        isinstance(name_or_path, Path) or text_name.endswith(".toml") or "/" in text_name
    )
    if not looks_like_path:
        folder = resources.files("hallbar.ingest") / "profiles"
        entry = folder / f"{text_name}.toml"
        if entry.is_file():
            return entry.read_text(encoding="utf-8"), text_name
        # A saved profile's name is checked before it becomes part of a path.
        if saved_dir is not None and SAVED_NAME.fullmatch(text_name):
            saved = saved_dir / f"{text_name}.toml"
            if saved.is_file():
                return _read_profile_file(saved), text_name
        names = ", ".join(builtin_profiles() + saved_profiles(saved_dir))
        raise ConfigurationError(
            f"Okänd profil '{text_name}'. Ange en inbyggd eller sparad profil ({names}) "
            "eller sökvägen till en egen profilfil (.toml)."
        )
    return _read_profile_file(Path(name_or_path)), Path(name_or_path).name


def _read_profile_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ConfigurationError(f"Profilfilen {path} finns inte. Kontrollera sökvägen.") from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigurationError(
            f"Profilfilen {path} kunde inte läsas. Spara den som UTF-8-text och kontrollera behörigheten."
        ) from err


def _canonical_keys(raw: Any) -> Any:
    if isinstance(raw, dict):
        return {_KEY_SYNONYMS.get(fold(k), k): _canonical_keys(v) for k, v in raw.items()}
    return raw


def _schema_profile() -> Profile:
    """The layout defined by the schema itself: Swedish headers and English names."""
    tables = {}
    for table in schema.IMPORT_TABLES:
        headers: dict[str, str] = {}
        for col in table.columns:
            if col.name == "org_id":
                continue
            headers[fold(col.sv)] = col.name
            headers[fold(col.name)] = col.name
        values = {
            col.name: {fold(v): v for v in CODE_LISTS[col.name]}
            for col in table.columns
            if col.name in CODE_LISTS
        }
        tables[table.name] = TableProfile(
            table=table.name,
            files=(fold(table.sv) + "*", fold(table.name) + "*"),
            headers=headers,
            values=values,
            ignore=frozenset(),
            date_formats=(),
        )
    return Profile("schema", "Det generiska formatet", tables)


def _find_table(key: str, source: str) -> schema.Table:
    for table in schema.IMPORT_TABLES:
        if fold(key) in (fold(table.name), fold(table.sv)):
            return table
    names = ", ".join(t.sv for t in schema.IMPORT_TABLES)
    raise ConfigurationError(f"Profilen {source}: okänd tabell '{key}'. Tabellerna heter {names}.")


def _find_column(table: schema.Table, key: str, source: str) -> str:
    for col in table.columns:
        if col.name != "org_id" and fold(key) in (fold(col.name), fold(col.sv)):
            return col.name
    names = ", ".join(c.sv for c in table.columns if c.name != "org_id")
    raise ConfigurationError(
        f"Profilen {source}: tabellen {table.sv} har ingen kolumn '{key}'. Kolumnerna heter {names}."
    )


def _strings(value: Any, where: str, source: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ConfigurationError(
            f"Profilen {source}: {where} ska vara en text eller en lista med texter."
        )
    return items


def _overlay(base: Profile, raw: dict[str, Any], source: str) -> Profile:
    name = raw.pop("name", source)
    description = raw.pop("description", "")
    global_formats = tuple(_strings(raw.pop("date_formats", []), "date_formats", source))
    name_headers = set(base.name_headers)
    name_headers |= {fold(h) for h in _strings(raw.pop("name_columns", []), "name_columns", source)}
    tables = dict(base.tables)
    for table_key, spec in raw.items():
        table = _find_table(table_key, source)
        if not isinstance(spec, dict):
            raise ConfigurationError(
                f"Profilen {source}: '{table_key}' ska vara en tabell, t.ex. [{table.sv}]."
            )
        tables[table.name] = _overlay_table(tables[table.name], table, spec, source)
    if global_formats:
        tables = {
            k: TableProfile(
                t.table,
                t.files,
                t.headers,
                t.values,
                t.ignore,
                global_formats + t.date_formats,
                t.sheet,
            )
            for k, t in tables.items()
        }
    return Profile(str(name), str(description), tables, frozenset(name_headers))


def _overlay_table(
    base: TableProfile, table: schema.Table, spec: dict[str, Any], source: str
) -> TableProfile:
    spec = dict(spec)
    files = tuple(fold_pattern(p) for p in _strings(spec.pop("files", []), "files", source))
    headers = dict(base.headers)
    for col_key, aliases in dict(spec.pop("columns", {})).items():
        column = _find_column(table, col_key, source)
        for alias in _strings(aliases, f"kolumnen {col_key}", source):
            headers[fold(alias)] = column
    values = {k: dict(v) for k, v in base.values.items()}
    for col_key, mapping in dict(spec.pop("values", {})).items():
        column = _find_column(table, col_key, source)
        if column not in CODE_LISTS or not isinstance(mapping, dict):
            lists = ", ".join(table.column(c).sv for c in CODE_LISTS if c in table.polars_schema)
            raise ConfigurationError(
                f"Profilen {source}: värdeöversättning för '{col_key}' går inte; "
                f"i tabellen {table.sv} finns kodlistor för: {lists or 'inga kolumner'}."
            )
        for raw_value, target in mapping.items():
            if target not in CODE_LISTS[column]:
                allowed = ", ".join(CODE_LISTS[column])
                raise ConfigurationError(
                    f"Profilen {source}: '{raw_value}' översätts till '{target}', "
                    f"men {table.column(column).sv} får bara vara: {allowed}."
                )
            values.setdefault(column, {})[fold(str(raw_value))] = target
    ignore = base.ignore | {fold(h) for h in _strings(spec.pop("ignore", []), "ignore", source)}
    formats = base.date_formats + tuple(
        _strings(spec.pop("date_formats", []), "date_formats", source)
    )
    sheet = spec.pop("sheet", base.sheet)
    if spec:
        unknown = ", ".join(sorted(spec))
        raise ConfigurationError(
            f"Profilen {source}: okända nycklar under [{table.sv}]: {unknown}. "
            "Tillåtna är files, columns, values, ignore, date_formats och sheet."
        )
    return TableProfile(
        table.name, base.files + files, headers, values, frozenset(ignore), formats, sheet
    )


def fold_pattern(pattern: str) -> str:
    """Fold a file-name pattern like a header but keep the wildcards * and ?.

    Patterns match the file name without its extension; an extension in the
    pattern is dropped.
    """
    stem = re.sub(r"\.(csv|xlsx|xls|txt|tsv|\*)$", "", pattern.strip(), flags=re.IGNORECASE)
    return "".join(ch if ch in "*?" else fold(ch) for ch in stem)
