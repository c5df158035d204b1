"""The web test environment shared by every web test area: a store with hand-made
organisations, one user per role, and logged-in test clients.

Standard users (password ``PASSWORD``), created in this order, so user ids run 1..6:

    admin       admin
    hr          HR in 9999
    chef        manager of unit A in 9999
    analytiker  analyst in 9999
    regional    regional analyst (sees the organisations that share)
    hr8888      HR in 8888

An area passes its own organisations (and, where it needs them, its own users)
to ``make_env``; the data itself lives in the area's data module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.core.dataset import HRData
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar
from hallbar.services.regional.consents import grant_all_analysts
from hallbar.settings import Settings
from hallbar.web.app import create_app

# username -> (role, organisations, managed units)
Users = Mapping[str, tuple[Role, tuple[str, ...], tuple[str, ...]]]

PASSWORD = "ett-långt-lösenord-för-test"
USERS: Users = {
    "admin": (Role.ADMIN, (), ()),
    "hr": (Role.HR, ("9999",), ()),
    "chef": (Role.MANAGER, ("9999",), ("A",)),
    "analytiker": (Role.ANALYST, ("9999",), ()),
    "regional": (Role.REGIONAL, (), ()),
    "hr8888": (Role.HR, ("8888",), ()),
}
# One user per role, in the column order of the role matrices.
ROLE_USERS = ("admin", "hr", "chef", "analytiker", "regional")
OK, DENIED, HIDDEN = 200, 403, 404


def principal(username: str, users: Users = USERS) -> Principal:
    """The principal ``make_env`` creates for ``username`` (ids follow creation order)."""
    role, orgs, units = users[username]
    return Principal(
        list(users).index(username) + 1, username, role, frozenset(orgs), frozenset(units)
    )


HR = principal("hr")
MANAGER = principal("chef")
ANALYST = principal("analytiker")


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


@dataclass
class WebEnv:
    settings: Settings
    hb: Hallbar
    app: object
    _clients: dict[str, TestClient] = field(default_factory=dict)

    def anonymous(self) -> TestClient:
        return TestClient(self.app, follow_redirects=False)  # type: ignore[arg-type]

    def login(self, username: str, password: str = PASSWORD) -> TestClient:
        client = self.anonymous()
        page = client.get("/login")
        response = client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        )
        assert response.status_code == 303, response.text
        return client

    def client(self, username: str) -> TestClient:
        """A logged-in client, cached per user."""
        if username not in self._clients:
            self._clients[username] = self.login(username)
        return self._clients[username]

    def csrf(self, client: TestClient) -> str:
        return csrf_from(client.get("/account/password").text)


def make_env(
    tmp: Path,
    datasets: Mapping[str, HRData],
    *,
    sharing: Iterable[str] = (),
    users: Users = USERS,
    **settings_overrides: Any,
) -> WebEnv:
    """A store in ``tmp`` holding ``datasets`` (org id -> data), ``users`` with
    ``PASSWORD``, and the organisations in ``sharing`` consenting to every regional
    analyst seeing their key figures (the regional consent ledger)."""
    settings = Settings(data_dir=tmp, **settings_overrides)
    hb = Hallbar(settings)
    for data in datasets.values():
        hb.store.save_import(data, created_by="test", profile="generic", files={}, row_counts={})
    for username, (role, orgs, units) in users.items():
        auth.create_user(
            hb,
            SYSTEM,
            username=username,
            password=PASSWORD,
            role=role,
            org_ids=orgs,
            unit_ids=units,
        )
    for org_id in sharing:
        grant_all_analysts(hb, org_id, granted_by="test")
    return WebEnv(settings, hb, create_app(settings, hb=hb))


def role_cells(
    matrix: Mapping[str, Sequence[int]], roles: Sequence[str], kinds: Sequence[str]
) -> list[Any]:
    """Parameters (path, role, kind, expected status) for a role matrix whose rows are
    path -> one expected status per role, in the order of ``roles``."""
    return [
        pytest.param(path, role, kind, expected[i], id=f"{kind}:{role}:{path}")
        for path, expected in matrix.items()
        for i, role in enumerate(roles)
        for kind in kinds
    ]
