"""The column-mapping step: uploaded files whose columns match no profile, mapped by HR.

When an upload is rejected because its files or columns match no profile, the
files stay staged (``stage_upload``, ``hallbar.services.imports.staging`` with its
``MAPPING`` purpose), tied to the user and the organisation, for two hours. The mapping page
(``mapping_view``) shows each file's first rows (personnummer masked, names hidden)
and a proposed mapping; ``save_and_import`` checks the user's mapping, saves it as
a profile (``hallbar.ingest.mapping``) that ``hallbar import --profil <namn>`` can use
too, audit-logs the save, and imports the staged files with it through the same
``import_uploaded`` as every upload.

Staged files hold personnummer in the clear (they are the export itself): the
folder is owner-only, a successful import deletes it, and the staging's sweep
deletes the ones older than two hours.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hallbar.core import schema
from hallbar.core.access import Principal
from hallbar.core.errors import ConfigurationError, InputError, Problem
from hallbar.ingest.api import REQUIRED_TABLES, tables_for
from hallbar.ingest.mapping import (
    TABLE_LABELS,
    ColumnChoice,
    FileMapping,
    FilePreview,
    FileProposal,
    ValueChoice,
    model_columns,
    preview_file,
    propose,
    propose_columns,
    propose_values,
    saved_profiles_dir,
    write_profile,
)
from hallbar.ingest.profiles import CODE_LISTS, builtin_profiles, fold, load_profile, saved_profiles
from hallbar.ingest.xlsx_guard import XlsxLimits
from hallbar.services import audit
from hallbar.services.imports import staging, uploads
from hallbar.services.imports.importing import ImportNeedsConfirmation, ImportOutcome, xlsx_limits

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

IMPORTED = frozenset(t.name for t in schema.IMPORT_TABLES)


# ---------------------------------------------------------------- staged uploads


def stage_upload(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    files: Sequence[Path],
    profile: str = "generic",
) -> str:
    """Keep a rejected upload's files for the mapping page; returns the token that names them."""
    uploads.organisation_name(hb, principal, org_id)
    return staging.stage(hb, principal, org_id, staging.MAPPING, files, {"profile": profile})


def staged_upload(hb: Hallbar, principal: Principal, org_id: str, token: str) -> staging.Staged:
    """The staged files behind ``token``, for the user who staged them and that organisation."""
    uploads.organisation_name(hb, principal, org_id)
    return staging.staged(hb, principal, org_id, staging.MAPPING, token)


# ---------------------------------------------------------------- when to offer mapping


def unmatched(previews: Sequence[FilePreview], profile_name: str, profile_dir: Path) -> list[str]:
    """Files the profile cannot read as they are: no table fits the file name, or a required
    column of its table has no header. Also every file when a required table has none."""
    try:
        profile = load_profile(profile_name, profile_dir)
    except ConfigurationError:  # an unknown or broken profile: mapping is the way forward
        return [p.file for p in previews if p.readable]
    out = []
    found: set[str] = set()
    for preview in previews:
        if not preview.readable:
            continue
        tables = tables_for(fold(Path(preview.file).stem), profile)
        if len(tables) != 1:
            out.append(preview.file)
            continue
        found.add(tables[0])
        headers = {fold(h) for h in preview.headers}
        known = {
            column
            for header, column in profile.table(tables[0]).headers.items()
            if header in headers
        }
        if any(c.required and c.name not in known for c in model_columns(tables[0])):
            out.append(preview.file)
    if any(t not in found for t in REQUIRED_TABLES):
        return [p.file for p in previews if p.readable]
    return out


def offer_mapping(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    files: Sequence[Path],
    profile: str = "generic",
) -> str | None:
    """After a rejected upload: stage the files and return the mapping page's address when
    some file's columns or name match no table; None when mapping would not help."""
    previews = [
        preview_file(p, hb.settings.max_file_bytes, xlsx_limits(hb.settings)) for p in files
    ]
    if not unmatched(previews, profile, saved_profiles_dir(hb.settings.data_dir)):
        return None
    token = stage_upload(hb, principal, org_id, files, profile)
    return mapping_url(org_id, token)


def mapping_url(org_id: str, token: str) -> str:
    return f"/org/{org_id}/imports/mapping/{token}"


# ---------------------------------------------------------------- the page


@dataclass(frozen=True)
class MappingFile:
    index: int
    preview: FilePreview
    proposal: FileProposal
    table: str | None  # the table shown (the user's choice, else the proposal)
    columns: tuple[ColumnChoice, ...]  # the table's columns with the header chosen
    values: tuple[CodeValues, ...] = ()  # the mapped code columns' values to translate


@dataclass(frozen=True)
class CodeValues:
    """A code column mapped to a header with few enough values: each value's code."""

    column: str
    label_sv: str
    header: str
    codes: tuple[str, ...]  # the column's code list
    choices: tuple[ValueChoice, ...]


@dataclass(frozen=True)
class MappingView:
    org_id: str
    org_name: str
    token: str
    files: tuple[MappingFile, ...]
    tables: tuple[tuple[str, str], ...]  # (name, Swedish label) for the table choice
    profiles: tuple[str, ...]  # names already taken
    problems: tuple[Problem, ...]
    profile_name: str


@dataclass(frozen=True)
class MappingChoice:
    """What the user chose on the page: per file index its table ("" = not read) and
    column -> header ("" = none). Missing entries fall back to the proposal."""

    tables: Mapping[int, str]
    columns: Mapping[int, Mapping[str, str]]
    # file index -> code column -> raw value -> code ("" = not translated)
    values: Mapping[int, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)


def profile_names(hb: Hallbar) -> list[str]:
    """Built-in profiles, then the ones saved by the mapping step."""
    return builtin_profiles() + saved_profiles(saved_profiles_dir(hb.settings.data_dir))


def upload_profiles(hb: Hallbar, principal: Principal, org_id: str) -> list[str]:
    """The profiles an upload may use (for the upload form's choice)."""
    uploads.organisation_name(hb, principal, org_id)
    return profile_names(hb)


def upload_profile(hb: Hallbar, principal: Principal, org_id: str, name: str) -> str:
    """A profile chosen in the upload form: only a listed name, never a path on the server."""
    if name not in upload_profiles(hb, principal, org_id):
        raise InputError(f"Importprofilen '{name[:60]}' finns inte. Välj en profil i listan.")
    return name


def _suggested_name(org_id: str, taken: Sequence[str]) -> str:
    base = f"profil-{fold(org_id) or 'ny'}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _files(
    staged: staging.Staged, hb: Hallbar, choice: MappingChoice | None
) -> tuple[MappingFile, ...]:
    out = []
    for index, path in enumerate(staged.files):
        preview = _staged_preview(path, hb)
        proposal = propose(preview)
        table = proposal.table
        if choice is not None and index in choice.tables:
            table = choice.tables[index] or None
        if table not in IMPORTED or not preview.readable:
            table = None
        columns: tuple[ColumnChoice, ...] = ()
        if table is not None:
            columns = (
                proposal.columns
                if table == proposal.table
                else propose_columns(table, preview.headers)
            )
            chosen = choice.columns.get(index) if choice is not None else None
            if chosen is not None:
                columns = tuple(
                    ColumnChoice(
                        c.column,
                        c.label_sv,
                        c.header_sv,
                        c.required,
                        chosen.get(c.column) or None,
                        "",
                    )
                    for c in columns
                )
        values = _code_values(preview, table, columns, choice.values.get(index) if choice else None)
        out.append(MappingFile(index, preview, proposal, table, columns, values))
    return tuple(out)


def _staged_preview(path: Path, hb: Hallbar) -> FilePreview:
    """A staged file's preview, read once: the page, each of its posts and the save read
    the same unchanged file (about 2 s for a 6 000-person export)."""
    info = path.stat()
    return _cached_preview(
        path, info.st_mtime_ns, info.st_size, hb.settings.max_file_bytes, xlsx_limits(hb.settings)
    )


@functools.lru_cache(maxsize=32)
def _cached_preview(
    path: Path, _mtime_ns: int, _size: int, max_bytes: int, limits: XlsxLimits
) -> FilePreview:
    # mtime and size are part of the key: a file replaced under the same name is read again.
    return preview_file(path, max_bytes, limits)


def _code_values(
    preview: FilePreview,
    table: str | None,
    columns: Sequence[ColumnChoice],
    chosen: Mapping[str, Mapping[str, str]] | None,
) -> tuple[CodeValues, ...]:
    out = []
    for c in columns:
        if table is None or c.column not in CODE_LISTS or c.header is None:
            continue
        found = preview.distinct.get(c.header)
        if found is None:  # too many different values to be codes: the import will say
            continue
        choices = propose_values(table, c.column, found)
        picked = (chosen or {}).get(c.column)
        if picked is not None:
            choices = tuple(
                ValueChoice(v.raw, picked.get(v.raw) or None, "") if v.raw in picked else v
                for v in choices
            )
        out.append(CodeValues(c.column, c.label_sv, c.header, CODE_LISTS[c.column], choices))
    return tuple(out)


def mapping_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    token: str,
    choice: MappingChoice | None = None,
    problems: Sequence[Problem] = (),
    profile_name: str = "",
) -> MappingView:
    """The mapping page: each staged file's first rows and the proposed (or chosen) mapping."""
    staged = staged_upload(hb, principal, org_id, token)
    taken = tuple(profile_names(hb))
    return MappingView(
        org_id=org_id,
        org_name=uploads.organisation_name(hb, principal, org_id),
        token=token,
        files=_files(staged, hb, choice),
        tables=tuple((t.name, TABLE_LABELS[t.name]) for t in schema.IMPORT_TABLES),
        profiles=taken,
        problems=tuple(problems),
        profile_name=profile_name or _suggested_name(org_id, taken),
    )


def mappings_of(view: MappingView) -> list[FileMapping]:
    return [
        FileMapping(
            f.preview.file,
            f.table,
            {c.column: c.header for c in f.columns if c.header is not None},
            {v.column: {c.raw: c.code or "" for c in v.choices} for v in f.values},
        )
        for f in view.files
    ]


@dataclass(frozen=True)
class MappingSaved:
    profile: str
    profile_path: Path
    outcome: ImportOutcome


def save_and_import(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    token: str,
    profile_name: str,
    choice: MappingChoice,
) -> MappingSaved:
    """Check the mapping, save it as a profile, audit-log that, and import the staged files.

    Raises ``MappingRejected`` (every problem, file and column named) or
    ``InvalidProfileName`` before anything is saved, and ``ImportRejected`` when the
    import with the saved profile finds errors (the profile stays saved; the staged
    files stay for another try until they expire).
    """
    view = mapping_view(hb, principal, org_id, token, choice)
    staged = staged_upload(hb, principal, org_id, token)
    # A file that could not be read has no table: it is left out (the page shows why).
    mappings = mappings_of(view)
    headers_of = {f.preview.file: f.preview.headers for f in view.files}
    path = write_profile(
        saved_profiles_dir(hb.settings.data_dir),
        profile_name,
        mappings,
        headers_of,
        saved_by=principal.username,
        on=datetime.now(UTC).date(),
    )
    name = path.stem
    audit.record(
        hb,
        principal.username,
        audit.Action.PROFILE_SAVED,
        org_id=org_id,
        target=name,
        detail=", ".join(f"{m.file} → {m.table}" for m in mappings if m.table),
    )
    read = tuple(
        path for path, m in zip(staged.files, mappings, strict=True) if m.table is not None
    )
    try:
        outcome = uploads.import_uploaded(
            hb, principal, org_id=org_id, folder=staged.folder, files=read, profile=name
        )
    except ImportNeedsConfirmation as err:
        # Like an upload: the files wait for the confirm step on the imports page.
        # The mapped files move on to the confirmation's staging; the rest go with the folder.
        kept = uploads.keep_pending(hb, principal, org_id, read, None, name, err.comparison)
        staging.discard(staged)
        raise uploads.AwaitsConfirmation(uploads.confirm_url(org_id, kept)) from None
    staging.discard(staged)
    return MappingSaved(name, path, outcome)
