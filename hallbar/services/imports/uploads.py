"""Imports seen from the web: the import history and importing uploaded files.

Uploads go through the very same ``import_export`` as ``hallbar import`` on the
command line; this module only adds the role and scope check, the listing, and
keeping an upload that needs confirmation until the user confirms or cancels it
(``keep_pending``, staged by ``hallbar.services.imports.staging`` for its
``CONFIRMATION`` purpose: removed after the confirm step, a cancel, or a day).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import HallbarError, NotFound
from hallbar.ingest import validate_org_code
from hallbar.services import access
from hallbar.services.imports import staging
from hallbar.services.imports.importing import (
    CountChange,
    ImportOutcome,
    SnapshotComparison,
    import_export,
)
from hallbar.store.store import ANY_ACTIVE, ImportRecord, OrganisationRecord

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar


def _organisation(hb: Hallbar, principal: Principal, org_id: str) -> OrganisationRecord:
    for org in hb.store.organisations():
        if org.org_id == org_id:
            return org
    raise NotFound(access.ORG_NOT_FOUND)


def import_history(hb: Hallbar, principal: Principal, org_id: str) -> list[ImportRecord]:
    """Past imports of one organisation, newest first (HR of the organisation, admins)."""
    access.require_org(principal, org_id, Resource.IMPORT_HISTORY)
    _organisation(hb, principal, org_id)
    return sorted(hb.store.list_imports(org_id), key=lambda r: r.id, reverse=True)


def organisation_name(hb: Hallbar, principal: Principal, org_id: str) -> str:
    access.require_org(principal, org_id, Resource.IMPORT)
    return _organisation(hb, principal, org_id).name


def import_uploaded(
    hb: Hallbar,
    principal: Principal,
    *,
    org_id: str,
    folder: Path,
    files: tuple[Path, ...],
    as_of: date | None = None,
    profile: str = "generic",
    confirm: bool = False,
    confirmed_previous: int | None = None,
) -> ImportOutcome:
    """Import files saved in ``folder`` for an existing organisation the user may import for.

    ``as_of`` None: the latest date in the files. The organisation code is checked first.
    ``confirm``: the user saw the comparison with import ``confirmed_previous``.
    """
    org_id = validate_org_code(org_id)
    name = organisation_name(hb, principal, org_id)
    return import_export(
        hb,
        folder=folder,
        org_id=org_id,
        org_name=name,
        as_of=as_of,
        principal=principal,
        profile=profile,
        files=files,
        confirm=confirm,
        confirmed_previous=confirmed_previous if confirm else ANY_ACTIVE,
    )


# --- uploads waiting for confirmation -------------------------------------------------


@dataclass(frozen=True)
class PendingUpload:
    staged: staging.Staged  # the files, kept by hallbar.services.imports.staging
    as_of: date | None
    profile: str  # the import profile chosen at upload
    comparison: SnapshotComparison | None  # what the confirm step shows


class AwaitsConfirmation(HallbarError):
    """Files kept for the confirm step on the imports page (``url``); nothing stored yet."""

    status = 409

    def __init__(self, url: str) -> None:
        super().__init__(
            "Filerna skiljer sig mycket från den aktiva importen och sparas först när du "
            f"bekräftar skillnaden på sidan Importer: {url}"
        )
        self.url = url


def confirm_url(org_id: str, token: str) -> str:
    """The imports page showing the confirm step of a kept upload."""
    return f"/org/{org_id}/imports?bekrafta={token}"


def _comparison_json(c: SnapshotComparison) -> dict[str, object]:
    out = dataclasses.asdict(c)
    out["previous_as_of"] = c.previous_as_of.isoformat() if c.previous_as_of else None
    out["new_as_of"] = c.new_as_of.isoformat()
    return out


def _comparison(raw: dict[str, object] | None) -> SnapshotComparison | None:
    if raw is None:
        return None
    return SnapshotComparison(
        previous_id=raw["previous_id"],  # type: ignore[arg-type]
        previous_as_of=date.fromisoformat(str(raw["previous_as_of"]))
        if raw["previous_as_of"]
        else None,
        new_as_of=date.fromisoformat(str(raw["new_as_of"])),
        counts=tuple(CountChange(**c) for c in raw["counts"]),  # type: ignore[attr-defined]
        units_kept=int(raw["units_kept"]),  # type: ignore[call-overload]
        units_before=int(raw["units_before"]),  # type: ignore[call-overload]
        reasons=tuple(raw["reasons"]),  # type: ignore[arg-type]
    )


def keep_pending(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    files: tuple[Path, ...],
    as_of: date | None,
    profile: str = "generic",
    comparison: SnapshotComparison | None = None,
) -> str:
    """Move uploaded files to the confirmation's staging until the user confirms; return
    its token. Only the user who uploaded can confirm it, for that organisation."""
    details = {
        "as_of": as_of.isoformat() if as_of else None,
        "profile": profile,
        "comparison": _comparison_json(comparison) if comparison is not None else None,
    }
    return staging.stage(hb, principal, org_id, staging.CONFIRMATION, files, details, move=True)


def pending(hb: Hallbar, principal: Principal, org_id: str, token: str) -> PendingUpload:
    """The user's upload waiting for confirmation; NotFound for any other token."""
    kept = staging.staged(hb, principal, org_id, staging.CONFIRMATION, token)
    details = kept.details
    as_of = date.fromisoformat(details["as_of"]) if details.get("as_of") else None
    return PendingUpload(
        kept,
        as_of,
        str(details.get("profile", "generic")),
        _comparison(details.get("comparison")),
    )


def discard_pending(hb: Hallbar, principal: Principal, org_id: str, token: str) -> None:
    staging.discard(pending(hb, principal, org_id, token).staged)


def confirm_pending(
    hb: Hallbar, principal: Principal, org_id: str, token: str, previous: int | None
) -> ImportOutcome:
    """Import a kept upload the user confirmed against import ``previous``; then drop it.

    The files go whatever the outcome: stored, rejected, or stopped because another
    import became active meanwhile (the user uploads again to see the new comparison).
    """
    kept = pending(hb, principal, org_id, token)
    try:
        return import_uploaded(
            hb,
            principal,
            org_id=org_id,
            folder=kept.staged.folder,
            files=kept.staged.files,
            as_of=kept.as_of,
            profile=kept.profile,
            confirm=True,
            confirmed_previous=previous,
        )
    finally:
        staging.discard(kept.staged)
