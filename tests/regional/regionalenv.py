"""A small regional installation for the service, web and browser tests.

Three example municipalities of Skånes Kommuner (distinct sizes and seeds, imported
through the real import by the regional demo hook) and users: a regional analyst
who views the network, HR of Lund (1281), HR of Exempelkommun (9999, no member)
and an administrator.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from hallbar.core.access import SYSTEM, Role
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar
from hallbar.services.regional.demo import RegionalDemo, create_regional_demo
from hallbar.settings import Settings

PASSWORD = "ett-långt-lösenord-för-test"
MEMBERS = (("1262", 40, 31), ("1282", 70, 33), ("1281", 110, 34))
USERS = {
    "admin": (Role.ADMIN, ()),
    "regional": (Role.REGIONAL, ()),
    "hrlund": (Role.HR, ("1281",)),
    "hr9999": (Role.HR, ("9999",)),
    "analytiker": (Role.ANALYST, ("1281",)),
    "regional2": (Role.REGIONAL, ()),  # not a viewer of any network
}


def make_regional(tmp: Path) -> tuple[Hallbar, RegionalDemo]:
    hb = Hallbar(Settings(data_dir=tmp))
    for username, (role, orgs) in USERS.items():
        auth.create_user(hb, SYSTEM, username=username, password=PASSWORD, role=role, org_ids=orgs)
    demo = create_regional_demo(hb, members=MEMBERS)
    return hb, demo


def principal_of(hb: Hallbar, username: str):  # type: ignore[no-untyped-def]
    user = next(u for u in auth.list_users(hb, SYSTEM) if u.username == username)
    return auth.principal_for(hb, user.id)


def login(app: object, username: str) -> TestClient:
    """A test client logged in as ``username`` (redirects not followed)."""
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303
    return client


def user_id(hb: Hallbar, username: str) -> int:
    return next(u.id for u in auth.list_users(hb, SYSTEM) if u.username == username)
