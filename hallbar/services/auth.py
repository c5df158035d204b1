"""Accounts, login, sessions and throttling.

Identity is pluggable: ``IdentityProvider`` turns credentials into a user; the
local provider checks argon2 hashes in the ``users`` table. A later OIDC
provider maps an ID token's subject to a user row with ``provider`` set to the
issuer and plugs into the same ``login`` flow via ``start_session``.

Sessions live in the database. The browser holds a random token; the table
stores only its SHA-256 digest. Logging in always deletes the pre-login
session and issues a new token (no session fixation).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hallbar.core.access import SYSTEM, Principal, Resource, Role
from hallbar.core.errors import HallbarError
from hallbar.services import audit
from hallbar.services.access import require
from hallbar.services.audit import Action, now
from hallbar.services.orgtree import demo_manager_unit
from hallbar.store.tables_auth import (
    LoginAttempt,
    SharingAgreement,
    User,
    UserOrganisation,
    UserUnit,
    WebSession,
)

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher()
# Verified against when the username is unknown, so timing does not reveal which users exist.
_DUMMY_HASH = _HASHER.hash("hallbar-dummy-password")


class LoginFailed(HallbarError):
    """Wrong username or password (never says which)."""


class LoginLocked(HallbarError):
    """Too many failed attempts for this username from this address."""


class InvalidInput(HallbarError):
    """A form value is not acceptable."""


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    org_ids: tuple[str, ...]
    unit_ids: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class SessionState:
    token: str  # the raw token (only in memory, for the cookie)
    csrf_token: str
    principal: Principal | None


class IdentityProvider(Protocol):
    """Turns credentials into a user id, or ``None`` when they do not match."""

    name: str

    def authenticate(self, username: str, password: str) -> int | None: ...


class LocalIdentityProvider:
    """Local accounts with argon2id password hashes."""

    name = "local"

    def __init__(self, hb: Hallbar) -> None:
        self._hb = hb

    def authenticate(self, username: str, password: str) -> int | None:
        with Session(self._hb.store.engine) as s:
            user = s.scalar(
                select(User).where(User.username == username, User.provider == self.name)
            )
            if user is None or not user.active:
                _verify(_DUMMY_HASH, password)
                return None
            if not _verify(user.password_hash, password):
                return None
            if _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = _HASHER.hash(password)
                s.commit()
            return user.id


def _verify(hash_: str, password: str) -> bool:
    try:
        return _HASHER.verify(hash_, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken. Välj ett längre lösenord."
        )


# --- sessions -----------------------------------------------------------------


def start_session(hb: Hallbar, user_id: int | None) -> SessionState:
    """Create a new session (anonymous when ``user_id`` is None) with a fresh CSRF token."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    at = now()
    with Session(hb.store.engine) as s:
        s.add(
            WebSession(
                token_hash=_digest(token),
                user_id=user_id,
                csrf_token=csrf,
                created_at=at,
                expires_at=at + timedelta(seconds=hb.settings.session_max_age_s),
            )
        )
        s.commit()
    principal = principal_for(hb, user_id) if user_id is not None else None
    return SessionState(token, csrf, principal)


def load_session(hb: Hallbar, token: str | None) -> SessionState | None:
    """The live session for a cookie token, or None when unknown or expired."""
    if not token or len(token) > 200:
        return None
    with Session(hb.store.engine) as s:
        row = s.get(WebSession, _digest(token))
        if row is None:
            return None
        if _aware(row.expires_at) <= now():
            s.delete(row)
            s.commit()
            return None
        user_id, csrf = row.user_id, row.csrf_token
    principal = principal_for(hb, user_id) if user_id is not None else None
    if user_id is not None and principal is None:
        return None  # the user was deactivated: the session is dead
    return SessionState(token, csrf, principal)


def end_session(hb: Hallbar, token: str | None) -> None:
    if token:
        with Session(hb.store.engine) as s:
            s.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))
            s.commit()


def _purge_expired_sessions(hb: Hallbar) -> None:
    """Forget sessions past their expiry (anonymous login-page sessions pile up otherwise)."""
    with Session(hb.store.engine) as s:
        s.execute(delete(WebSession).where(WebSession.expires_at < now()))
        s.commit()


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


# --- login --------------------------------------------------------------------


def login(
    hb: Hallbar,
    username: str,
    password: str,
    *,
    client: str,
    old_token: str | None = None,
    provider: IdentityProvider | None = None,
) -> SessionState:
    """Check credentials with throttling; on success rotate the session and audit it."""
    username = username.strip()[:100]
    settings = hb.settings
    cutoff = now() - timedelta(seconds=settings.login_lockout_s)
    with Session(hb.store.engine) as s:
        failures = s.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                LoginAttempt.username == username,
                LoginAttempt.client == client,
                LoginAttempt.attempted_at >= cutoff,
            )
        )
    if (failures or 0) >= settings.login_max_failures:
        audit.record(hb, username, Action.LOGIN_LOCKED, client=client)
        minutes = max(1, round(settings.login_lockout_s / 60))
        raise LoginLocked(
            f"För många misslyckade inloggningar. Vänta {minutes} minuter och försök igen."
        )
    user_id = (provider or LocalIdentityProvider(hb)).authenticate(username, password)
    if user_id is None:
        with Session(hb.store.engine) as s:
            s.add(LoginAttempt(username=username, client=client[:100], attempted_at=now()))
            s.commit()
        audit.record(hb, username, Action.LOGIN_FAILED, client=client)
        raise LoginFailed(
            "Fel användarnamn eller lösenord. Kontrollera uppgifterna och försök igen."
        )
    with Session(hb.store.engine) as s:
        s.execute(
            delete(LoginAttempt).where(
                LoginAttempt.username == username, LoginAttempt.client == client
            )
        )
        s.commit()
    end_session(hb, old_token)
    _purge_expired_sessions(hb)
    state = start_session(hb, user_id)
    audit.record(hb, username, Action.LOGIN, client=client)
    return state


def logout(hb: Hallbar, state: SessionState, *, client: str) -> None:
    end_session(hb, state.token)
    if state.principal is not None:
        audit.record(hb, state.principal.username, Action.LOGOUT, client=client)


# --- principals and users -----------------------------------------------------


def principal_for(hb: Hallbar, user_id: int) -> Principal | None:
    """The principal of an active user; regional users get every sharing organisation."""
    with Session(hb.store.engine) as s:
        user = s.get(User, user_id)
        if user is None or not user.active:
            return None
        role = Role(user.role)
        if role is Role.REGIONAL:
            orgs = frozenset(s.scalars(select(SharingAgreement.org_id)))
        else:
            orgs = frozenset(
                s.scalars(
                    select(UserOrganisation.org_id).where(UserOrganisation.user_id == user_id)
                )
            )
        units = frozenset(s.scalars(select(UserUnit.unit_id).where(UserUnit.user_id == user_id)))
        return Principal(user.id, user.username, role, orgs, units)


def create_user(
    hb: Hallbar,
    actor: Principal,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    org_ids: tuple[str, ...] = (),
    unit_ids: tuple[str, ...] = (),
) -> UserInfo:
    """Admin creates a local user. Managers need an organisation and at least one unit."""
    require(actor, Resource.USERS)
    username = username.strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise InvalidInput("Användarnamnet måste vara 1–100 tecken utan mellanslag.")
    _check_password_rules(password)
    if role is Role.MANAGER and (len(org_ids) != 1 or not unit_ids):
        raise InvalidInput("En chef behöver exakt en organisation och minst en enhet.")
    if role in (Role.HR, Role.ANALYST, Role.COMMITTEE) and not org_ids:
        raise InvalidInput("Ange minst en organisation för rollen.")
    with Session(hb.store.engine) as s:
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise InvalidInput("Användarnamnet är upptaget. Välj ett annat.")
        user = User(
            username=username,
            display_name=display_name.strip()[:200],
            role=role.value,
            password_hash=_HASHER.hash(password),
            provider="local",
            active=True,
            created_at=now(),
        )
        s.add(user)
        s.flush()
        scoped_orgs = () if role is Role.REGIONAL else org_ids
        for org_id in dict.fromkeys(scoped_orgs):
            s.add(UserOrganisation(user_id=user.id, org_id=org_id))
        if role is Role.MANAGER:
            for unit_id in dict.fromkeys(unit_ids):
                s.add(UserUnit(user_id=user.id, org_id=org_ids[0], unit_id=unit_id))
        s.commit()
        user_id = user.id
    audit.record(hb, actor.username, Action.USER_CREATED, target=username, detail=role.value)
    return next(u for u in _users(hb) if u.id == user_id)


def list_users(hb: Hallbar, actor: Principal) -> list[UserInfo]:
    require(actor, Resource.USERS)
    return _users(hb)


def _users(hb: Hallbar) -> list[UserInfo]:
    with Session(hb.store.engine) as s:
        orgs: dict[int, list[str]] = {}
        for uid, org in s.execute(select(UserOrganisation.user_id, UserOrganisation.org_id)):
            orgs.setdefault(uid, []).append(org)
        units: dict[int, list[str]] = {}
        for uid, unit in s.execute(select(UserUnit.user_id, UserUnit.unit_id)):
            units.setdefault(uid, []).append(unit)
        return [
            UserInfo(
                u.id,
                u.username,
                u.display_name,
                Role(u.role),
                u.active,
                tuple(sorted(orgs.get(u.id, []))),
                tuple(sorted(units.get(u.id, []))),
                u.created_at,
            )
            for u in s.scalars(select(User).order_by(User.username))
        ]


def set_active(hb: Hallbar, actor: Principal, user_id: int, active: bool) -> None:
    require(actor, Resource.USERS)
    if user_id == actor.user_id and not active:
        raise InvalidInput("Du kan inte inaktivera ditt eget konto.")
    with Session(hb.store.engine) as s:
        user = s.get(User, user_id)
        if user is None:
            raise InvalidInput("Användaren finns inte.")
        user.active = active
        if not active:
            s.execute(delete(WebSession).where(WebSession.user_id == user_id))
        s.commit()
        name = user.username
    audit.record(
        hb,
        actor.username,
        Action.USER_CHANGED,
        target=name,
        detail="aktiv" if active else "inaktiv",
    )


def change_password(
    hb: Hallbar, principal: Principal, current: str, new: str, repeat: str, *, keep_token: str
) -> None:
    """Change one's own password; other sessions of the user are ended."""
    require(principal, Resource.OWN_ACCOUNT)
    if new != repeat:
        raise InvalidInput(
            "De nya lösenorden stämmer inte överens. Skriv samma lösenord två gånger."
        )
    _check_password_rules(new)
    with Session(hb.store.engine) as s:
        user = s.get(User, principal.user_id)
        if user is None or not _verify(user.password_hash, current):
            raise InvalidInput("Det nuvarande lösenordet är fel.")
        if current == new:
            raise InvalidInput("Det nya lösenordet måste skilja sig från det nuvarande.")
        user.password_hash = _HASHER.hash(new)
        user.password_changed_at = now()
        s.execute(
            delete(WebSession).where(
                WebSession.user_id == principal.user_id,
                WebSession.token_hash != _digest(keep_token),
            )
        )
        s.commit()
    audit.record(hb, principal.username, Action.PASSWORD_CHANGED)


# --- regional sharing agreements ------------------------------------------------


def sharing_org_ids(hb: Hallbar, actor: Principal) -> list[tuple[str, datetime, str]]:
    require(actor, Resource.SHARING)
    with Session(hb.store.engine) as s:
        return [
            (a.org_id, a.agreed_at, a.recorded_by)
            for a in s.scalars(select(SharingAgreement).order_by(SharingAgreement.org_id))
        ]


def set_sharing(hb: Hallbar, actor: Principal, org_id: str, shares: bool) -> None:
    """Record (or withdraw) an organisation's agreement to share aggregates regionally."""
    require(actor, Resource.SHARING)
    if not org_id or len(org_id) > 50:
        raise InvalidInput("Ange organisationens id.")
    with Session(hb.store.engine) as s:
        existing = s.get(SharingAgreement, org_id)
        if shares and existing is None:
            s.add(SharingAgreement(org_id=org_id, agreed_at=now(), recorded_by=actor.username))
        elif not shares and existing is not None:
            s.delete(existing)
        s.commit()
    audit.record(
        hb, actor.username, Action.SHARING_CHANGED, org_id=org_id, detail="ja" if shares else "nej"
    )


# --- demo ---------------------------------------------------------------------


DEMO_USERNAMES: dict[Role, str] = {
    Role.ADMIN: "admin",
    Role.HR: "hr",
    Role.MANAGER: "chef",
    Role.ANALYST: "analytiker",
    Role.REGIONAL: "regional",
    Role.COMMITTEE: "fortroendevald",
    Role.UNION: "facklig",
}


def create_demo_users(
    hb: Hallbar, org_id: str, manager_unit_id: str | None = None
) -> list[tuple[str, str, str]]:
    """One user per role with random passwords: ``[(username, role, password), …]``.

    The organisation is marked as sharing with the region so the regional user
    sees something. The manager gets ``manager_unit_id`` or, by default, the
    first unit below the top that has sub-units (``orgtree.demo_manager_unit``).
    """
    unit_id = manager_unit_id or demo_manager_unit(hb, org_id)
    out: list[tuple[str, str, str]] = []
    with Session(hb.store.engine) as s:
        if s.get(SharingAgreement, org_id) is None:
            s.add(SharingAgreement(org_id=org_id, agreed_at=now(), recorded_by="demo"))
            s.commit()
    for role, username in DEMO_USERNAMES.items():
        password = secrets.token_urlsafe(12)
        with Session(hb.store.engine) as s:
            existing = s.scalar(select(User).where(User.username == username))
            if existing is not None:
                existing.password_hash = _HASHER.hash(password)
                existing.active = True
                s.commit()
                out.append((username, role.value, password))
                continue
        create_user(
            hb,
            SYSTEM,
            username=username,
            password=password,
            role=role,
            display_name=f"Demo {role.value}",
            org_ids=(org_id,) if role is not Role.ADMIN else (),
            unit_ids=(unit_id,) if role is Role.MANAGER else (),
        )
        out.append((username, role.value, password))
    return out
