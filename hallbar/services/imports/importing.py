"""The import service: read and validate an export, write the report, store the snapshot.

All or nothing: if validation finds any error nothing is stored and
``ImportRejected`` carries every problem plus the path of the readable report;
otherwise the whole snapshot is saved at once (files staged, then published with
the import's row). Large tables are read in batches and spooled to a scratch
folder beside the snapshots, never held whole in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from hallbar.core.access import Principal, Resource, may
from hallbar.core.errors import AccessDenied, ConfigurationError, ImportRejected, Problem
from hallbar.ingest import (
    ImportRequest,
    IngestResult,
    PayBand,
    PlausibilityLimits,
    XlsxLimits,
    read_export,
    validate_org_code,
    write_validation_report,
)
from hallbar.ingest.mapping import saved_profiles_dir
from hallbar.services import access, audit
from hallbar.services.context import Hallbar
from hallbar.settings import Settings

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


def plausibility_limits(settings: Settings) -> PlausibilityLimits:
    """The import's plausibility limits from the settings (``docs/data-format.md``)."""
    return PlausibilityLimits(
        max_age=settings.plausibility_max_age,
        max_age_error=settings.plausibility_max_age_error,
        total_rate_warning=settings.total_rate_warning,
        total_rate_error=settings.total_rate_error,
        default_pay_band=PayBand(settings.pay_band_low, settings.pay_band_high),
    )


def xlsx_limits(settings: Settings) -> XlsxLimits:
    """The limits checked before an Excel file is parsed, from the settings."""
    return XlsxLimits(
        max_unpacked_bytes=settings.xlsx_max_unpacked_bytes,
        max_shared_strings=settings.xlsx_max_shared_strings,
        max_shared_strings_bytes=settings.xlsx_max_shared_strings_bytes,
    )


def _new_report_path(hb: Hallbar, org_id: str, as_of: date | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    day = as_of.isoformat() if as_of is not None else "utan-datum"
    stem = f"validering-{org_id}-{day}-{stamp}"
    path = reports_dir(hb) / f"{stem}.html"
    n = 2
    while path.exists():  # two imports within one second keep both reports
        path = reports_dir(hb) / f"{stem}-{n}.html"
        n += 1
    return path


def _write_report(hb: Hallbar, result: IngestResult, org_id: str) -> Path:
    """Write the validation report; a folder that cannot take it (no write permission, a
    full disk) is one Swedish sentence, and nothing is imported without its report."""
    path = _new_report_path(hb, org_id, result.as_of)
    try:
        return write_validation_report(result, path)
    except OSError:
        raise ConfigurationError(
            f"Valideringsrapporten kunde inte skrivas till {path.parent}. Kontrollera att "
            "katalogen går att skriva i och att disken inte är full, och importera igen. "
            "Inget importerades."
        ) from None


def import_export(
    hb: Hallbar,
    *,
    folder: Path,
    org_id: str,
    org_name: str,
    as_of: date | None = None,
    principal: Principal,
    profile: str | Path = "generic",
    files: tuple[Path, ...] | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Import one organisation's export folder as a new dated snapshot.

    ``as_of`` None: the export date is the latest date in the files (``result.as_of``),
    which also names the report and the snapshot. The organisation code is checked
    first, before any path is built from it. Raises ``InvalidOrgCode`` for a code that
    is not one, ``AccessDenied`` for users who may not import for ``org_id``,
    ``ConfigurationError`` when the report cannot be written and ``ImportRejected``
    (nothing stored) when validation finds errors.
    """
    org_id = validate_org_code(org_id)
    if not may_import(principal, org_id):
        raise AccessDenied(IMPORT_DENIED)
    with hb.store.spool_folder() as spool:
        request = ImportRequest(
            folder=Path(folder),
            org_id=org_id,
            org_name=org_name,
            as_of=as_of,
            key=hb.pseudonym_key(),
            profile=profile,
            max_file_bytes=hb.settings.import_max_file_bytes,
            files=files,
            plausibility=plausibility_limits(hb.settings),
            xlsx_limits=xlsx_limits(hb.settings),
            batch_rows=hb.settings.import_batch_rows,
            spool_dir=spool,
            profile_dir=saved_profiles_dir(hb.settings.data_dir),  # profiles saved by mapping
        )
        result = read_export(request, progress=progress)
        report_path = _write_report(hb, result, org_id)
        errors = [p for p in result.problems if p.severity == "fel"]
        if errors or not result.ok or result.data is None or result.as_of is None:
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
            spooled=result.spooled,
        )
    hb.invalidate(org_id)
    audit.record(
        hb,
        principal.username,
        audit.Action.IMPORT,
        org_id=org_id,
        target=str(folder),
        detail=f"import {import_id}, uttagsdatum {result.as_of.isoformat()}",
    )
    return ImportOutcome(
        import_id=import_id,
        org_id=org_id,
        as_of=result.as_of,
        row_counts=dict(result.row_counts),
        warnings=[p for p in result.problems if p.severity != "fel"],
        report_path=Path(report_path),
    )
