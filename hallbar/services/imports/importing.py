"""The import service: read and validate an export, write the report, store the snapshot.

All or nothing: if validation finds any error nothing is stored and
``ImportRejected`` carries every problem plus the path of the readable report;
otherwise the whole snapshot is saved in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from hallbar.core.access import Principal, Resource, may
from hallbar.core.errors import AccessDenied, ImportRejected, Problem
from hallbar.ingest import ImportRequest, read_export, write_validation_report
from hallbar.services import access, audit
from hallbar.services.context import Hallbar

# (stage, done, total): stages come from ingest (reading, validating …) plus "spara".
Progress = Callable[[str, int, int], None]

IMPORT_DENIED = (
    "Du får inte importera data för den här organisationen. "
    "Bara administratörer och HR i organisationen kan importera."
)


@dataclass(frozen=True)
class ImportOutcome:
    import_id: int
    org_id: str
    as_of: date
    row_counts: dict[str, int]
    warnings: list[Problem]
    report_path: Path


def may_import(principal: Principal, org_id: str) -> bool:
    """The role matrix says who may import at all; admins (who have no organisation
    scope) may import for any organisation, everyone else only for their own.

    Unlike data pages this answers AccessDenied, not NotFound: an import may
    create the organisation, so there is nothing whose existence could leak.
    """
    return may(principal, Resource.IMPORT) and access.in_org_scope(principal, org_id)


def reports_dir(hb: Hallbar) -> Path:
    return hb.settings.data_dir / "rapporter"


def _new_report_path(hb: Hallbar, org_id: str, as_of: date) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    stem = f"validering-{org_id}-{as_of.isoformat()}-{stamp}"
    path = reports_dir(hb) / f"{stem}.html"
    n = 2
    while path.exists():  # two imports within one second keep both reports
        path = reports_dir(hb) / f"{stem}-{n}.html"
        n += 1
    return path


def import_export(
    hb: Hallbar,
    *,
    folder: Path,
    org_id: str,
    org_name: str,
    as_of: date,
    principal: Principal,
    profile: str | Path = "generic",
    files: tuple[Path, ...] | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Import one organisation's export folder as a new dated snapshot.

    Raises ``AccessDenied`` for users who may not import for ``org_id`` and
    ``ImportRejected`` (nothing stored) when validation finds errors.
    """
    if not may_import(principal, org_id):
        raise AccessDenied(IMPORT_DENIED)
    request = ImportRequest(
        folder=Path(folder),
        org_id=org_id,
        org_name=org_name,
        as_of=as_of,
        key=hb.pseudonym_key(),
        profile=profile,
        max_file_bytes=hb.settings.max_file_bytes,
        files=files,
    )
    result = read_export(request, progress=progress)
    report_path = write_validation_report(result, _new_report_path(hb, org_id, as_of))
    errors = [p for p in result.problems if p.severity == "fel"]
    if errors or not result.ok or result.data is None:
        audit.record(
            hb,
            principal.username,
            audit.Action.IMPORT_REJECTED,
            org_id=org_id,
            target=str(folder),
            detail=f"{len(errors)} fel",
        )
        raise ImportRejected(result.problems, str(report_path))
    import_id = hb.store.save_import(
        result.data,
        created_by=principal.username,
        profile=str(profile),
        files=result.files,
        row_counts=result.row_counts,
        progress=progress,
    )
    hb.invalidate(org_id)
    audit.record(
        hb,
        principal.username,
        audit.Action.IMPORT,
        org_id=org_id,
        target=str(folder),
        detail=f"import {import_id}, uttagsdatum {as_of.isoformat()}",
    )
    return ImportOutcome(
        import_id=import_id,
        org_id=org_id,
        as_of=as_of,
        row_counts=dict(result.row_counts),
        warnings=[p for p in result.problems if p.severity != "fel"],
        report_path=Path(report_path),
    )
