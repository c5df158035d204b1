"""The import service: read and validate an export, write the report, store the snapshot.

All or nothing: if validation finds any error nothing is stored and
``ImportRejected`` carries every problem plus the path of the readable report;
otherwise the whole snapshot is saved at once (files staged, then published with
the import's row). Large tables are read in batches and spooled to a scratch
folder beside the snapshots, never held whole in memory.

No surprises: before an import replaces the organisation's active snapshot the
two are compared (persons, units, employments). A large drop, or a unit list
that is mostly new, stops the import with ``ImportNeedsConfirmation`` carrying
the comparison; the same call with ``confirm=True`` (``hallbar import
--bekrafta``, the browser's confirm step) stores it. The limits are settings
(``docs/data-format.md``). Earlier imports stay: ``activate`` makes one of them
active again and ``undo`` deletes the active import and activates the one before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import ClassVar, Literal

import polars as pl

from hallbar.core.access import Principal, Resource, may
from hallbar.core.dataset import HRData
from hallbar.core.errors import (
    AccessDenied,
    ConfigurationError,
    ImportRejected,
    InputError,
    NotFound,
    Problem,
)
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
from hallbar.regional.consent import DatasetKind, RecipientKind, valid_members
from hallbar.reports.formatting import format_number, format_percent
from hallbar.services import access, audit
from hallbar.services.context import Hallbar
from hallbar.services.figures import overview
from hallbar.services.figures.views import SMALL_ORGANISATION, prepare_trend_models
from hallbar.services.regional.figures import prepare_member
from hallbar.settings import Settings
from hallbar.store import regional
from hallbar.store.store import ANY_ACTIVE, ImportConflict, ImportRecord

log = logging.getLogger(__name__)

# (stage, done, total): stages come from ingest (reading, validating …) plus "spara".
Progress = Callable[[str, int, int], None]

IMPORT_DENIED = (
    "Du får inte importera data för den här organisationen. "
    "Bara administratörer och HR i organisationen kan importera."
)


# What the comparison counts, in order: (table, key column, Swedish label).
COMPARED: tuple[tuple[str, str, str], ...] = (
    ("persons", "person_id", "Personer"),
    ("units", "unit_id", "Enheter"),
    ("employments", "employment_id", "Anställningar"),
)


@dataclass(frozen=True)
class CountChange:
    """Distinct ids of one table in the active snapshot and in the new one."""

    table: str
    label_sv: str
    before: int
    after: int

    @property
    def change_pct(self) -> float | None:
        return None if self.before == 0 else 100.0 * (self.after - self.before) / self.before

    @property
    def change_sv(self) -> str:
        pct = self.change_pct
        return "–" if pct is None else ("+" if pct > 0 else "") + format_percent(pct)


@dataclass(frozen=True)
class SnapshotComparison:
    """The new import beside the active one, and why it needs confirmation (if it does)."""

    previous_id: int | None  # None: the organisation has no active import yet
    previous_as_of: date | None
    new_as_of: date
    counts: tuple[CountChange, ...]
    units_kept: int  # the active snapshot's unit ids still present in the new one
    units_before: int
    reasons: tuple[str, ...] = field(default=())  # Swedish; empty: no confirmation needed

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.reasons)

    @property
    def units_kept_pct(self) -> float | None:
        return None if self.units_before == 0 else 100.0 * self.units_kept / self.units_before


def _distinct(data: HRData, table: str, column: str) -> pl.Series:
    return getattr(data, table)[column].drop_nulls().unique()


def compare_snapshots(
    previous: HRData | None,
    new: HRData,
    settings: Settings,
    previous_id: int | None = None,
) -> SnapshotComparison:
    """Compare distinct persons, units and employments; name every limit the new data passes.

    Confirmation is needed when any of the three falls by more than
    ``import_confirm_drop_pct`` percent, the export date is before the active one's,
    or fewer than ``import_confirm_units_kept_pct`` percent of the active snapshot's
    unit ids are still there. A first import needs none.
    """
    counts = tuple(
        CountChange(
            table,
            label,
            0 if previous is None else _distinct(previous, table, column).len(),
            _distinct(new, table, column).len(),
        )
        for table, column, label in COMPARED
    )
    if previous is None:
        return SnapshotComparison(None, None, new.as_of, counts, 0, 0)
    old_units = _distinct(previous, "units", "unit_id")
    kept = int(old_units.is_in(_distinct(new, "units", "unit_id").implode()).sum())
    reasons = []
    drop_limit = settings.import_confirm_drop_pct
    for c in counts:
        pct = c.change_pct
        if pct is not None and -pct > drop_limit:
            reasons.append(
                f"{c.label_sv}: {format_number(c.before)} blir {format_number(c.after)} "
                f"({c.change_sv}), en minskning med mer än {format_percent(drop_limit)}."
            )
    comparison = SnapshotComparison(
        previous_id, previous.as_of, new.as_of, counts, kept, old_units.len()
    )
    if new.as_of < previous.as_of:
        reasons.append(
            f"Uttagsdatumet {new.as_of.isoformat()} är före den aktiva importens "
            f"uttagsdatum {previous.as_of.isoformat()}."
        )
    kept_pct = comparison.units_kept_pct
    if kept_pct is not None and kept_pct < settings.import_confirm_units_kept_pct:
        reasons.append(
            f"Bara {format_number(kept)} av {format_number(old_units.len())} enheter "
            f"({format_percent(kept_pct)}) finns kvar med samma enhets-id; gränsen är "
            f"{format_percent(settings.import_confirm_units_kept_pct)}."
        )
    return SnapshotComparison(
        previous_id, previous.as_of, new.as_of, counts, kept, old_units.len(), tuple(reasons)
    )


class ImportNeedsConfirmation(InputError):
    """The import would replace the active snapshot with very different data; nothing stored."""

    status: ClassVar[int] = 409

    def __init__(self, comparison: SnapshotComparison, report_path: str) -> None:
        previous = comparison.previous_id
        super().__init__(
            f"Importen skulle ersätta den aktiva importen {previous} och skiljer sig mycket "
            f"från den: {' '.join(comparison.reasons)} Inget sparades. Bekräfta importen om "
            "filerna ska ersätta den."
        )
        self.comparison = comparison
        self.report_path = report_path


ACTIVE_CHANGED = (
    "Den aktiva importen har ändrats sedan jämförelsen du bekräftade (nu import {now}). "
    "Inget sparades. Ladda upp filerna igen så jämförs de med den nya aktiva importen."
)


@dataclass(frozen=True)
class ImportOutcome:
    import_id: int
    org_id: str
    as_of: date
    row_counts: dict[str, int]
    warnings: list[Problem]
    report_path: Path
    comparison: SnapshotComparison | None = None


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
    confirm: bool = False,
    confirmed_previous: int | Literal["any"] | None = ANY_ACTIVE,
) -> ImportOutcome:
    """Import one organisation's export folder as a new dated snapshot, made active.

    The new data is compared with the active snapshot first; when it passes a
    confirmation limit and ``confirm`` is false, ``ImportNeedsConfirmation`` (nothing
    stored). ``confirmed_previous`` is the active import the user saw the comparison
    against (the browser's confirm step); if another is active by now the import stops
    with ``ImportConflict``, as it does when another import is saved while this one is
    read (two first imports of a new organisation: the second gets the message).

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
        previous = _active(hb, org_id)
        previous_id = previous.id if previous is not None else None
        if confirmed_previous != ANY_ACTIVE and confirmed_previous != previous_id:
            raise ImportConflict(ACTIVE_CHANGED.format(now=previous_id or "ingen"))
        comparison = compare_snapshots(
            hb.store.load(org_id, previous.id) if previous is not None else None,
            result.data,
            hb.settings,
            previous_id,
        )
        if comparison.needs_confirmation and not confirm:
            audit.record(
                hb,
                principal.username,
                audit.Action.IMPORT_UNCONFIRMED,
                org_id=org_id,
                target=str(folder),
                detail=" ".join(comparison.reasons),
            )
            raise ImportNeedsConfirmation(comparison, str(report_path))
        import_id = hb.store.save_import(
            result.data,
            created_by=principal.username,
            profile=str(profile),
            files=result.files,
            row_counts=result.row_counts,
            progress=progress,
            spooled=result.spooled,
            expected_active=previous_id,
        )
    hb.invalidate(org_id)
    audit.record(
        hb,
        principal.username,
        audit.Action.IMPORT,
        org_id=org_id,
        target=str(folder),
        detail=f"import {import_id}, uttagsdatum {result.as_of.isoformat()}"
        + (f", ersätter import {previous_id}" if previous_id is not None else "")
        + (" (bekräftad)" if comparison.needs_confirmation else ""),
    )
    return ImportOutcome(
        import_id=import_id,
        org_id=org_id,
        as_of=result.as_of,
        row_counts=dict(result.row_counts),
        warnings=[p for p in result.problems if p.severity != "fel"],
        report_path=Path(report_path),
        comparison=comparison,
    )


def _active(hb: Hallbar, org_id: str) -> ImportRecord | None:
    try:
        return hb.store.find_import(org_id)
    except NotFound:
        return None


# --- the regional head start ---------------------------------------------------------


def shares_with_a_network(hb: Hallbar, org_id: str, on: date | None = None) -> bool:
    """Whether the organisation's consent to share key figures with some network holds
    on ``on`` (today): then networks read its regional results."""
    grants = regional.grants(hb.store, org_codes={org_id})
    day = on or date.today()
    return any(
        org_id
        in valid_members(
            grants,
            recipient_kind=RecipientKind.NETWORK,
            recipient=network,
            dataset=DatasetKind.KEY_FIGURES,
            on=day,
        )
        for network in {g.recipient for g in grants if g.recipient_kind is RecipientKind.NETWORK}
    )


def prepare_new_snapshot(
    hb: Hallbar, org_id: str, *, trends: bool | None = True, pages: bool = True
) -> bool:
    """After a new snapshot became active (an import, ``activate``, ``undo``): compute and
    keep the member's regional default view for it when a network reads it, so the
    network's first page after the import reads kept results (docs/regional.md, "Speed");
    then the organisation's default key-figure page and statutory note
    (``overview.prepare_pages``); then the disclosure models of every period of the organisation's trends, so its
    trend pages need not wait for them (docs/privacy.md, "Time series").

    The results are the member's, the same for each network it consents to, so they are
    prepared once. Only a head start: a failure is logged, never raised, and the page
    computes (and explains) what is missing when it is shown.

    ``trends``: True builds the trends' models, False leaves them to the trend pages'
    background build, None builds them only for a small organisation (the command line
    waits for this step, and a large organisation's models take minutes each:
    docs/benchmarks.md, "Disclosure models per period"). Returns whether they were built.
    ``pages``: False leaves the key-figure pages to their first visit.
    """
    try:
        if shares_with_a_network(hb, org_id):
            prepare_member(hb, org_id)
    except Exception:  # the import is stored whatever happens here
        log.exception("could not prepare the regional results of %s", org_id)
    try:  # the pages a user opens first: the key figures and the statutory note
        if pages:
            overview.prepare_pages(hb, org_id)
    except Exception:  # the page computes what is missing when it is shown
        log.exception("could not prepare the key-figure pages of %s", org_id)
    try:
        if trends is None:
            _, full = hb.snapshot(org_id)
            trends = full.persons.height <= SMALL_ORGANISATION
        if trends:
            prepare_trend_models(hb, org_id)
        return bool(trends)
    except Exception:  # a trend page builds what is missing in the background
        log.exception("could not prepare the trends' disclosure models of %s", org_id)
        return False


# --- going back ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reactivated:
    org_id: str
    active: int  # the import now active
    replaced: int | None  # the import that was active before
    deleted: int | None  # undo: the import deleted


class ImportInUse(InputError):
    """The import a survey or scenario is tied to cannot be deleted."""


def activate(hb: Hallbar, principal: Principal, org_id: str, import_id: int) -> Reactivated:
    """Make an earlier (or later) import of the organisation the active one; audit-logged."""
    org_id = validate_org_code(org_id)
    if not may_import(principal, org_id):
        raise AccessDenied(IMPORT_DENIED)
    replaced = hb.store.activate(org_id, import_id)
    hb.invalidate(org_id)
    audit.record(
        hb,
        principal.username,
        audit.Action.IMPORT_ACTIVATED,
        org_id=org_id,
        target=f"import {import_id}",
        detail=f"import {import_id} aktiv i stället för import {replaced}",
    )
    return Reactivated(org_id, import_id, replaced, None)


def undo(hb: Hallbar, principal: Principal, org_id: str, import_id: int) -> Reactivated:
    """Undo the active import: delete it and make the import before it active; audit-logged.

    Refused (``ImportInUse``) when a pay survey or saved scenario was made from it:
    they keep their snapshot, so make the earlier import active instead.
    """
    org_id = validate_org_code(org_id)
    if not may_import(principal, org_id):
        raise AccessDenied(IMPORT_DENIED)
    records = hb.store.list_imports(org_id)
    target = next((r for r in records if r.id == import_id), None)
    if target is None:
        raise NotFound(f"Importen {import_id} finns inte för organisationen {org_id}.")
    if not target.active:
        raise InputError(
            f"Import {import_id} är inte den aktiva importen; bara den aktiva kan ångras. "
            "Gör en annan import aktiv med knappen Gör aktiv."
        )
    users = hb.store.import_users(import_id)
    if users:
        raise ImportInUse(
            f"Import {import_id} kan inte ångras eftersom {', '.join(users)} är gjord på den. "
            "Gör en tidigare import aktiv i stället; import "
            f"{import_id} finns då kvar för {'dem' if len(users) > 1 else 'den'}."
        )
    earlier = [r.id for r in records if r.id < import_id]
    if not earlier:
        raise InputError(
            f"Import {import_id} är organisationens första import och kan inte ångras: "
            "det finns ingen tidigare import att gå tillbaka till."
        )
    hb.store.activate(org_id, earlier[-1])
    hb.store.delete_import(import_id)
    hb.invalidate(org_id)
    audit.record(
        hb,
        principal.username,
        audit.Action.IMPORT_UNDONE,
        org_id=org_id,
        target=f"import {import_id}",
        detail=f"import {import_id} borttagen, import {earlier[-1]} aktiv igen",
    )
    return Reactivated(org_id, earlier[-1], import_id, import_id)
