"""Web test helpers: a store with three small organisations and one user per role.

Organisations: 9999 Testkommun (shares regionally), 7777 Tredjekommun (shares),
8888 Annankommun (does not share). Users (password ``PASSWORD``):

    admin       admin
    hr          HR in 9999
    chef        manager of unit A in 9999 (sees A, A1, A2; own staff: A only)
    analytiker  analyst in 9999
    regional    regional analyst (sees 9999 and 7777)
    hr8888      HR in 8888
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient

from hallbar.core.access import SYSTEM, Role
from hallbar.services import auth
from hallbar.services.context import Hallbar
from hallbar.settings import Settings
from hallbar.web.app import create_app

sys.path.insert(0, str(Path(__file__).parent))
import orgdata

PASSWORD = "ett-långt-lösenord-för-test"
USERS: dict[str, tuple[Role, tuple[str, ...], tuple[str, ...]]] = {
    "admin": (Role.ADMIN, (), ()),
    "hr": (Role.HR, ("9999",), ()),
    "chef": (Role.MANAGER, ("9999",), ("A",)),
    "analytiker": (Role.ANALYST, ("9999",), ()),
    "regional": (Role.REGIONAL, (), ()),
    "hr8888": (Role.HR, ("8888",), ()),
}
ROLE_USERS = ("admin", "hr", "chef", "analytiker", "regional")


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


def make_env(tmp: Path, **overrides: object) -> WebEnv:
    settings = Settings(data_dir=tmp, **overrides)  # type: ignore[arg-type]
    hb = Hallbar(settings)
    for org_id, name in (("9999", "Testkommun"), ("8888", "Annankommun"), ("7777", "Tredjekommun")):
        hb.store.save_import(
            orgdata.build(org_id, name),
            created_by="test",
            profile="generic",
            files={},
            row_counts={},
        )
    for username, (role, orgs, units) in USERS.items():
        auth.create_user(
            hb,
            SYSTEM,
            username=username,
            password=PASSWORD,
            role=role,
            org_ids=orgs,
            unit_ids=units,
        )
    auth.set_sharing(hb, SYSTEM, "9999", True)
    auth.set_sharing(hb, SYSTEM, "7777", True)
    return WebEnv(settings, hb, create_app(settings, hb=hb))
