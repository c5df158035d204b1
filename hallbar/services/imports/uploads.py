"""Imports seen from the web: the import history and importing uploaded files.

Uploads go through the very same ``import_export`` as ``hallbar import`` on the
command line; this module only adds the role and scope check and the listing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import NotFound
from hallbar.ingest import validate_org_code
from hallbar.services import access
from hallbar.services.imports.importing import ImportOutcome, import_export
from hallbar.store.store import ImportRecord, OrganisationRecord

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
) -> ImportOutcome:
    """Import files saved in ``folder`` for an existing organisation the user may import for.

    ``as_of`` None: the latest date in the files. The organisation code is checked first.
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
    )
