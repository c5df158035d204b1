"""The audit log: who logged in, imported, exported or looked at individual-level data.

Services call ``record`` at the point where the event happens, so the log holds
for the web, the JSON API and the CLI alike. Only admins read it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.services.access import require
from hallbar.store import audit_log
from hallbar.store.audit_log import AuditRow

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar


class Action:
    """Audited actions (stored values)."""

    LOGIN = "inloggning"
    LOGIN_FAILED = "misslyckad_inloggning"
    LOGIN_LOCKED = "spärrad_inloggning"
    LOGOUT = "utloggning"
    IMPORT = "import"
    IMPORT_REJECTED = "import_avvisad"
    EXPORT = "export"
    VIEW_INDIVIDUALS = "visning_individdata"
    USER_CREATED = "användare_skapad"
    USER_CHANGED = "användare_ändrad"
    PASSWORD_CHANGED = "lösenord_bytt"
    SHARING_CHANGED = "delning_ändrad"
    FOLLOWUP_CHANGED = "uppföljning_ändrad"  # a plan, node, indicator, budget or follow-up
    # The regional level (hallbar.services.regional).
    CONSENT_GIVEN = "samtycke_givet"
    CONSENT_REVOKED = "samtycke_återkallat"
    REGIONAL_VIEW = "regional_visning"  # a network's figure, supply, dominance or priorities
    KOLADA_FETCHED = "kolada_hämtad"  # Kolada values fetched or imported from a file
    NETWORK_CHANGED = "nätverk_ändrat"  # a network created, or opened to a viewer
    PROFILE_SAVED = "importprofil_sparad"  # a column mapping saved as an import profile
    # The import lifecycle (hallbar.services.imports.importing).
    IMPORT_UNCONFIRMED = "import_obekräftad"  # stopped for confirmation, nothing stored
    IMPORT_ACTIVATED = "import_aktiverad"  # an earlier import made active again
    IMPORT_UNDONE = "import_ångrad"  # the active import deleted, the previous one active

    ALL: tuple[str, ...] = (
        LOGIN,
        LOGIN_FAILED,
        LOGIN_LOCKED,
        LOGOUT,
        IMPORT,
        IMPORT_REJECTED,
        EXPORT,
        VIEW_INDIVIDUALS,
        USER_CREATED,
        USER_CHANGED,
        PASSWORD_CHANGED,
        SHARING_CHANGED,
        FOLLOWUP_CHANGED,
        CONSENT_GIVEN,
        CONSENT_REVOKED,
        REGIONAL_VIEW,
        KOLADA_FETCHED,
        NETWORK_CHANGED,
        PROFILE_SAVED,
        IMPORT_UNCONFIRMED,
        IMPORT_ACTIVATED,
        IMPORT_UNDONE,
    )


def now() -> datetime:
    return datetime.now(UTC)


def record(
    hb: Hallbar,
    username: str,
    action: str,
    *,
    org_id: str | None = None,
    target: str = "",
    detail: str = "",
    client: str = "",
) -> None:
    """Append one entry. Never raises for the caller's content: texts are truncated."""
    audit_log.append(
        hb.store,
        at=now(),
        username=username,
        action=action,
        org_id=org_id,
        target=target,
        detail=detail,
        client=client,
    )


def entries(
    hb: Hallbar,
    principal: Principal,
    *,
    username: str | None = None,
    action: str | None = None,
    org_id: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 500,
) -> list[AuditRow]:
    """Newest first, filtered. Admins only."""
    require(principal, Resource.AUDIT_LOG)
    return audit_log.read(
        hb.store,
        username=username,
        action=action,
        org_id=org_id,
        since=since,
        until=until,
        limit=limit,
    )
