"""Test environment: a store with the hand-made organisation (paydata) and one user per role.

Users (password ``PASSWORD``): admin, hr (9999), chef (manager of unit A in 9999),
analytiker (9999), regional (sees shared 9999), hr8888 (HR in another organisation).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient

from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.services import auth
from hallbar.services import paysurvey as ps
from hallbar.services import paysurvey_evaluation as pe
from hallbar.services.context import Hallbar
from hallbar.settings import Settings
from hallbar.web.app import create_app

sys.path.insert(0, str(Path(__file__).parent))
import paydata

PASSWORD = "ett-långt-lösenord-för-test"
USERS: dict[str, tuple[Role, tuple[str, ...], tuple[str, ...]]] = {
    "admin": (Role.ADMIN, (), ()),
    "hr": (Role.HR, ("9999",), ()),
    "chef": (Role.MANAGER, ("9999",), ("A",)),
    "analytiker": (Role.ANALYST, ("9999",), ()),
    "regional": (Role.REGIONAL, (), ()),
    "hr8888": (Role.HR, ("8888",), ()),
}
HR = Principal(2, "hr", Role.HR, frozenset({"9999"}))
MANAGER = Principal(3, "chef", Role.MANAGER, frozenset({"9999"}), frozenset({"A"}))
ANALYST = Principal(4, "analytiker", Role.ANALYST, frozenset({"9999"}))


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


@dataclass
class PayEnv:
    hb: Hallbar
    app: object
    _clients: dict[str, TestClient] = field(default_factory=dict)

    def client(self, username: str) -> TestClient:
        if username not in self._clients:
            client = TestClient(self.app, follow_redirects=False)  # type: ignore[arg-type]
            page = client.get("/login")
            r = client.post(
                "/login",
                data={
                    "username": username,
                    "password": PASSWORD,
                    "csrf_token": csrf_from(page.text),
                },
            )
            assert r.status_code == 303, r.text
            self._clients[username] = client
        return self._clients[username]

    def csrf(self, client: TestClient) -> str:
        return csrf_from(client.get("/account/password").text)


def make_env(tmp: Path) -> PayEnv:
    settings = Settings(data_dir=tmp)
    hb = Hallbar(settings)
    hb.store.save_import(
        paydata.build(), created_by="test", profile="generic", files={}, row_counts={}
    )
    hb.store.save_import(
        paydata.build("8888", "Annankommun"),
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
    return PayEnv(hb, create_app(settings, hb=hb))


def score_all(hb: Hallbar, year: int = 2025) -> None:
    """Undersköterska and Lärare in the same band, Ingenjör higher."""
    model = ps.load_stored(hb, "9999", year).model
    levels = {
        "Undersköterska": 3,
        "Lärare": 3,
        "Ingenjör": 5,
    }
    for job, level in levels.items():
        pe.save_job_levels(hb, HR, "9999", year, job, {f.id: str(level) for f in model.subfactors})
