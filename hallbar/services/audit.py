"""The audit log: who logged in, imported, exported or looked at individual-level data.

Services call ``record`` at the point where the event happens, so the log holds
for the web, the JSON API and the CLI alike. Only admins read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallbar.core.access import Principal, Resource
from hallbar.services.access import require
from hallbar.store.tables_auth import AuditEntry

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
    )


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    org_id: str | None
    target: str
    detail: str
    client: str


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
    with Session(hb.store.engine) as s:
        s.add(
            AuditEntry(
                at=now(),
                username=username[:100],
                action=action[:50],
                org_id=org_id[:50] if org_id else None,
                target=target[:300],
                detail=detail,
                client=client[:100],
            )
        )
        s.commit()


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
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 5000)))
    if username:
        q = q.where(AuditEntry.username == username)
    if action:
        q = q.where(AuditEntry.action == action)
    if org_id:
        q = q.where(AuditEntry.org_id == org_id)
    if since:
        q = q.where(AuditEntry.at >= datetime.combine(since, time.min, UTC))
    if until:
        q = q.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), time.min, UTC))
    with Session(hb.store.engine) as s:
        return [
            AuditRow(e.id, e.at, e.username, e.action, e.org_id, e.target, e.detail, e.client)
            for e in s.scalars(q)
        ]
