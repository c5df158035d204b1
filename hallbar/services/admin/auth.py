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
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hallbar.core.access import SYSTEM, Principal, Resource, Role
from hallbar.core.errors import HallbarError, InputError
from hallbar.services import audit
from hallbar.services.access import require
from hallbar.services.audit import Action, now
from hallbar.services.org.tree import demo_manager_unit
from hallbar.services.regional.consents import grant_all_analysts
from hallbar.store import accounts
from hallbar.store.regional import analyst_org_ids

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher()
# Verified against when the username is unknown, so timing does not reveal which users exist.
_DUMMY_HASH = _HASHER.hash("hallbar-dummy-password")


class LoginFailed(HallbarError):
    """Wrong username or password (never says which)."""

    status: ClassVar[int] = 401


class LoginLocked(HallbarError):
    """Too many failed attempts for this username from this address."""

    status: ClassVar[int] = 429


class InvalidInput(InputError):
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
        store = self._hb.store
        user = accounts.user_by_name(store, username, self.name)
        if user is None or not user.active:
            _verify(_DUMMY_HASH, password)
            return None
        if not _verify(user.password_hash, password):
            return None
        if _HASHER.check_needs_rehash(user.password_hash):
            accounts.set_password_hash(store, user.id, _HASHER.hash(password))
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
    accounts.add_session(
        hb.store,
        token_hash=_digest(token),
        user_id=user_id,
        csrf_token=csrf,
        created_at=at,
        expires_at=at + timedelta(seconds=hb.settings.session_max_age_s),
    )
    principal = principal_for(hb, user_id) if user_id is not None else None
    return SessionState(token, csrf, principal)


def load_session(hb: Hallbar, token: str | None) -> SessionState | None:
    """The live session for a cookie token, or None when unknown or expired."""
    if not token or len(token) > 200:
        return None
    row = accounts.session(hb.store, _digest(token))
    if row is None:
        return None
    if _aware(row.expires_at) <= now():
        accounts.delete_session(hb.store, _digest(token))
        return None
    user_id, csrf = row.user_id, row.csrf_token
    principal = principal_for(hb, user_id) if user_id is not None else None
    if user_id is not None and principal is None:
        return None  # the user was deactivated: the session is dead
    return SessionState(token, csrf, principal)


def end_session(hb: Hallbar, token: str | None) -> None:
    if token:
        accounts.delete_session(hb.store, _digest(token))


def _purge_expired_sessions(hb: Hallbar) -> None:
    """Forget sessions past their expiry (anonymous login-page sessions pile up otherwise)."""
    accounts.delete_sessions_before(hb.store, now())


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
    at = now()
    # The attempt is counted before the password is checked, in one atomic statement:
    # parallel attempts each get their own number, so at most login_max_failures
    # passwords are checked per window whatever the concurrency.
    attempts = accounts.count_attempt(
        hb.store, username, client, at, at - timedelta(seconds=settings.login_lockout_s)
    )
    if attempts > settings.login_max_failures:
        audit.record(hb, username, Action.LOGIN_LOCKED, client=client)
        minutes = max(1, round(settings.login_lockout_s / 60))
        raise LoginLocked(
            f"För många misslyckade inloggningar. Vänta {minutes} minuter och försök igen."
        )
    user_id = (provider or LocalIdentityProvider(hb)).authenticate(username, password)
    if user_id is None:
        audit.record(hb, username, Action.LOGIN_FAILED, client=client)
        raise LoginFailed(
            "Fel användarnamn eller lösenord. Kontrollera uppgifterna och försök igen."
        )
    accounts.clear_attempts(hb.store, username, client)
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
    """The principal of an active user; a regional analyst gets the organisations whose
    consent (the regional consent ledger) admits them today."""
    user = accounts.user_by_id(hb.store, user_id)
    if user is None or not user.active:
        return None
    role = Role(user.role)
    # Regional analysts reach the organisations that consent to it, nothing else.
    regional = role is Role.REGIONAL
    orgs = analyst_org_ids(hb.store, date.today()) if regional else frozenset(user.org_ids)
    return Principal(user.id, user.username, role, orgs, frozenset(user.unit_ids))


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
    user_id = accounts.add_user(
        hb.store,
        username=username,
        display_name=display_name.strip()[:200],
        role=role.value,
        password_hash=_HASHER.hash(password),
        created_at=now(),
        org_ids=() if role is Role.REGIONAL else org_ids,
        unit_org_id=org_ids[0] if role is Role.MANAGER else None,
        unit_ids=unit_ids,
    )
    if user_id is None:
        raise InvalidInput("Användarnamnet är upptaget. Välj ett annat.")
    audit.record(hb, actor.username, Action.USER_CREATED, target=username, detail=role.value)
    return next(u for u in _users(hb) if u.id == user_id)


def list_users(hb: Hallbar, actor: Principal) -> list[UserInfo]:
    require(actor, Resource.USERS)
    return _users(hb)


def _users(hb: Hallbar) -> list[UserInfo]:
    return [
        UserInfo(
            u.id,
            u.username,
            u.display_name,
            Role(u.role),
            u.active,
            u.org_ids,
            u.unit_ids,
            u.created_at,
        )
        for u in accounts.all_users(hb.store)
    ]


def set_active(hb: Hallbar, actor: Principal, user_id: int, active: bool) -> None:
    require(actor, Resource.USERS)
    if user_id == actor.user_id and not active:
        raise InvalidInput("Du kan inte inaktivera ditt eget konto.")
    name = accounts.set_active(hb.store, user_id, active)
    if name is None:
        raise InvalidInput("Användaren finns inte.")
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
    user = accounts.user_by_id(hb.store, principal.user_id)
    if user is None or not _verify(user.password_hash, current):
        raise InvalidInput("Det nuvarande lösenordet är fel.")
    if current == new:
        raise InvalidInput("Det nya lösenordet måste skilja sig från det nuvarande.")
    accounts.set_password_hash(hb.store, user.id, _HASHER.hash(new), changed_at=now())
    accounts.delete_other_sessions(hb.store, user.id, _digest(keep_token))
    audit.record(hb, principal.username, Action.PASSWORD_CHANGED)


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

    The organisation consents to every regional analyst seeing its key figures (the
    consent ledger) so the regional user sees something. The manager gets
    ``manager_unit_id`` or, by default, the first unit below the top that has sub-units
    (``org.tree.demo_manager_unit``).
    """
    unit_id = manager_unit_id or demo_manager_unit(hb, org_id)
    out: list[tuple[str, str, str]] = []
    grant_all_analysts(hb, org_id, granted_by="demo")
    for role, username in DEMO_USERNAMES.items():
        password = secrets.token_urlsafe(12)
        if accounts.reactivate(hb.store, username, _HASHER.hash(password)):
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
