"""Key-figure web helpers: a store with the hand-made organisations (figdata) and one
user per role.

Organisations: 9999 Testkommun (shares regionally), 8888 Annankommun (does not),
7777 Utan arbetstid (no working-time file), 6666 Utan november (every employment
ended 2025-06-30). Users: admin, hr (9999, 7777, 6666), chef (manager of A1
Hemtjänst), chefb (manager of B Skola), analytiker (9999), regional.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.services import auth
from hallbar.services.context import Hallbar
from hallbar.settings import Settings
from hallbar.web.app import create_app

sys.path.insert(0, str(Path(__file__).parent))
import figdata

PASSWORD = "ett-långt-lösenord-för-test"
USERS: dict[str, tuple[Role, tuple[str, ...], tuple[str, ...]]] = {
    "admin": (Role.ADMIN, (), ()),
    "hr": (Role.HR, ("9999", "7777", "6666"), ()),
    "chef": (Role.MANAGER, ("9999",), ("A1",)),
    "chefb": (Role.MANAGER, ("9999",), ("B",)),
    "analytiker": (Role.ANALYST, ("9999",), ()),
    "regional": (Role.REGIONAL, (), ()),
}
ROLE_USERS = ("admin", "hr", "chef", "analytiker", "regional")
HR = Principal(2, "hr", Role.HR, frozenset({"9999", "7777", "6666"}))
CHEF = Principal(3, "chef", Role.MANAGER, frozenset({"9999"}), frozenset({"A1"}))
CHEF_B = Principal(4, "chefb", Role.MANAGER, frozenset({"9999"}), frozenset({"B"}))
ANALYST = Principal(5, "analytiker", Role.ANALYST, frozenset({"9999"}))


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


def make_env(tmp: Path) -> WebEnv:
    settings = Settings(data_dir=tmp)
    hb = Hallbar(settings)
    datasets = {
        "9999": figdata.build("9999", "Testkommun"),
        "8888": figdata.build("8888", "Annankommun"),
        "7777": figdata.build("7777", "Utan arbetstid", working_time=False),
        "6666": figdata.build("6666", "Utan november", ended=date(2025, 6, 30)),
    }
    for data in datasets.values():
        hb.store.save_import(data, created_by="test", profile="generic", files={}, row_counts={})
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
