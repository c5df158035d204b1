"""Queries for accounts, browser sessions and login throttling.

The service layer (``services.admin.auth``) holds the rules (password length,
who may create users, hashing); these functions only read and write rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hallbar.store.store import Store
from hallbar.store.tables_auth import (
    LoginThrottle,
    User,
    UserOrganisation,
    UserUnit,
    WebSession,
)


@dataclass(frozen=True)
class StoredUser:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    password_hash: str
    created_at: datetime
    org_ids: tuple[str, ...]  # sorted
    unit_ids: tuple[str, ...]  # sorted


@dataclass(frozen=True)
class StoredSession:
    user_id: int | None
    csrf_token: str
    expires_at: datetime


def _stored(user: User, orgs: list[str], units: list[str]) -> StoredUser:
    return StoredUser(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.active,
        user.password_hash,
        user.created_at,
        tuple(sorted(orgs)),
        tuple(sorted(units)),
    )


# --- users ----------------------------------------------------------------------


def user_by_name(store: Store, username: str, provider: str | None = None) -> StoredUser | None:
    q = select(User).where(User.username == username)
    if provider is not None:
        q = q.where(User.provider == provider)
    with Session(store.engine) as s:
        user = s.scalar(q)
        return None if user is None else _with_scopes(s, user)


def user_by_id(store: Store, user_id: int) -> StoredUser | None:
    with Session(store.engine) as s:
        user = s.get(User, user_id)
        return None if user is None else _with_scopes(s, user)


def _with_scopes(s: Session, user: User) -> StoredUser:
    orgs = list(
        s.scalars(select(UserOrganisation.org_id).where(UserOrganisation.user_id == user.id))
    )
    units = list(s.scalars(select(UserUnit.unit_id).where(UserUnit.user_id == user.id)))
    return _stored(user, orgs, units)


def all_users(store: Store) -> list[StoredUser]:
    """Every user with organisations and units, ordered by username."""
    with Session(store.engine) as s:
        orgs: dict[int, list[str]] = {}
        for uid, org in s.execute(select(UserOrganisation.user_id, UserOrganisation.org_id)):
            orgs.setdefault(uid, []).append(org)
        units: dict[int, list[str]] = {}
        for uid, unit in s.execute(select(UserUnit.user_id, UserUnit.unit_id)):
            units.setdefault(uid, []).append(unit)
        return [
            _stored(u, orgs.get(u.id, []), units.get(u.id, []))
            for u in s.scalars(select(User).order_by(User.username))
        ]


def add_user(
    store: Store,
    *,
    username: str,
    display_name: str,
    role: str,
    password_hash: str,
    created_at: datetime,
    org_ids: tuple[str, ...],
    unit_org_id: str | None,
    unit_ids: tuple[str, ...],
) -> int | None:
    """Insert a local user with scopes; None when the username is taken (nothing stored)."""
    with Session(store.engine) as s:
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            return None
        user = User(
            username=username,
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            provider="local",
            active=True,
            created_at=created_at,
        )
        s.add(user)
        s.flush()
        for org_id in dict.fromkeys(org_ids):
            s.add(UserOrganisation(user_id=user.id, org_id=org_id))
        if unit_org_id is not None:
            for unit_id in dict.fromkeys(unit_ids):
                s.add(UserUnit(user_id=user.id, org_id=unit_org_id, unit_id=unit_id))
        s.commit()
        return user.id


def set_password_hash(
    store: Store, user_id: int, password_hash: str, *, changed_at: datetime | None = None
) -> None:
    with Session(store.engine) as s:
        user = s.get(User, user_id)
        if user is not None:
            user.password_hash = password_hash
            if changed_at is not None:
                user.password_changed_at = changed_at
            s.commit()


def set_active(store: Store, user_id: int, active: bool) -> str | None:
    """Activate or deactivate (ending every session); the username, or None if no such user."""
    with Session(store.engine) as s:
        user = s.get(User, user_id)
        if user is None:
            return None
        user.active = active
        if not active:
            s.execute(delete(WebSession).where(WebSession.user_id == user_id))
        s.commit()
        return user.username


def reactivate(store: Store, username: str, password_hash: str) -> bool:
    """Give an existing user a new password hash and activate them; False if there is none."""
    with Session(store.engine) as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            return False
        user.password_hash = password_hash
        user.active = True
        s.commit()
        return True


# --- sessions -------------------------------------------------------------------


def add_session(
    store: Store,
    *,
    token_hash: str,
    user_id: int | None,
    csrf_token: str,
    created_at: datetime,
    expires_at: datetime,
) -> None:
    with Session(store.engine) as s:
        s.add(
            WebSession(
                token_hash=token_hash,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=created_at,
                expires_at=expires_at,
            )
        )
        s.commit()


def session(store: Store, token_hash: str) -> StoredSession | None:
    with Session(store.engine) as s:
        row = s.get(WebSession, token_hash)
        return None if row is None else StoredSession(row.user_id, row.csrf_token, row.expires_at)


def delete_session(store: Store, token_hash: str) -> None:
    with Session(store.engine) as s:
        s.execute(delete(WebSession).where(WebSession.token_hash == token_hash))
        s.commit()


def delete_sessions_before(store: Store, cutoff: datetime) -> None:
    with Session(store.engine) as s:
        s.execute(delete(WebSession).where(WebSession.expires_at < cutoff))
        s.commit()


def delete_other_sessions(store: Store, user_id: int, keep_token_hash: str) -> None:
    with Session(store.engine) as s:
        s.execute(
            delete(WebSession).where(
                WebSession.user_id == user_id, WebSession.token_hash != keep_token_hash
            )
        )
        s.commit()


# --- login throttling -----------------------------------------------------------


def count_attempt(
    store: Store, username: str, client: str, at: datetime, window_from: datetime
) -> int:
    """Count one login attempt and return the attempts in the current window, this one
    included. A window that began before ``window_from`` starts again at ``at``.

    One insert-or-update statement (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, on
    SQLite and PostgreSQL alike): the database serialises it on the row, so parallel
    attempts each get their own count and never all see the same one."""
    client = client[:100]
    row = LoginThrottle
    insert = sqlite.insert if store.is_sqlite else postgresql.insert
    new = insert(row).values(username=username, client=client, window_start=at, attempts=1)
    expired = row.window_start < window_from
    statement = new.on_conflict_do_update(
        index_elements=[row.username, row.client],
        set_={
            "attempts": case((expired, 1), else_=row.attempts + 1),
            "window_start": case((expired, new.excluded.window_start), else_=row.window_start),
        },
    ).returning(row.attempts)
    with store.engine.begin() as conn:
        return int(conn.execute(statement).scalar_one())


def clear_attempts(store: Store, username: str, client: str) -> None:
    with Session(store.engine) as s:
        s.execute(
            delete(LoginThrottle).where(
                LoginThrottle.username == username, LoginThrottle.client == client[:100]
            )
        )
        s.commit()
