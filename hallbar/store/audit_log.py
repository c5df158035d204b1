"""The audit log's queries: append one entry, read entries newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallbar.store.store import Store
from hallbar.store.tables_auth import AuditEntry

MAX_ROWS = 5000


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


def append(
    store: Store,
    *,
    at: datetime,
    username: str,
    action: str,
    org_id: str | None,
    target: str,
    detail: str,
    client: str,
) -> None:
    """Append one entry; texts are cut to the columns' lengths so a long value never fails."""
    with Session(store.engine) as s:
        s.add(
            AuditEntry(
                at=at,
                username=username[:100],
                action=action[:50],
                org_id=org_id[:50] if org_id else None,
                target=target[:300],
                detail=detail,
                client=client[:100],
            )
        )
        s.commit()


def read(
    store: Store,
    *,
    username: str | None = None,
    action: str | None = None,
    org_id: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 500,
) -> list[AuditRow]:
    """Entries newest first, filtered; ``until`` includes its whole day."""
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, MAX_ROWS)))
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
    with Session(store.engine) as s:
        return [
            AuditRow(e.id, e.at, e.username, e.action, e.org_id, e.target, e.detail, e.client)
            for e in s.scalars(q)
        ]
