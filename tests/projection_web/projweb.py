"""Projection web helpers: a store with the hand-made organisation (projdata) and one
user per role, in the same layout as tests/web (users and password alike).

Organisations: 9999 Testkommun (shares regionally), 8888 Annankommun (does not).
Users: admin, hr (9999), chef (manager of unit A: sees A and A1), analytiker (9999),
regional (sees sharing organisations), hr8888 (HR in 8888).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient

from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.services import auth
from hallbar.services.context import Hallbar
from hallbar.settings import Settings
from hallbar.web.app import create_app

sys.path.insert(0, str(Path(__file__).parent))
import projdata

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
HR = Principal(2, "hr", Role.HR, frozenset({"9999"}))
CHEF = Principal(3, "chef", Role.MANAGER, frozenset({"9999"}), frozenset({"A"}))
ANALYST = Principal(4, "analytiker", Role.ANALYST, frozenset({"9999"}))


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

    def client(self, username: str) -> TestClient:
        if username not in self._clients:
            client = self.anonymous()
            page = client.get("/login")
            response = client.post(
                "/login",
                data={
                    "username": username,
                    "password": PASSWORD,
                    "csrf_token": csrf_from(page.text),
                },
            )
            assert response.status_code == 303, response.text
            self._clients[username] = client
        return self._clients[username]

    def csrf(self, client: TestClient) -> str:
        return csrf_from(client.get("/account/password").text)


def make_env(tmp: Path) -> WebEnv:
    settings = Settings(data_dir=tmp)
    hb = Hallbar(settings)
    for org_id, name in (("9999", "Testkommun"), ("8888", "Annankommun")):
        hb.store.save_import(
            projdata.build(org_id, name),
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
    return WebEnv(settings, hb, create_app(settings, hb=hb))
