"""The web app on PostgreSQL: accounts, sessions, throttling, audit and overview."""

from __future__ import annotations

from pathlib import Path

import pytest
from webenv import make_env
from webtesting import PASSWORD, csrf_from

from hallbar.core.access import SYSTEM
from hallbar.services import audit


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_web_app_on_postgres(database_url: str, tmp_path: Path) -> None:
    env = make_env(tmp_path, database_url=database_url, login_max_failures=2)
    try:
        client = env.anonymous()
        for _ in range(2):
            page = client.get("/login")
            response = client.post(
                "/login",
                data={"username": "hr", "password": "fel", "csrf_token": csrf_from(page.text)},
            )
            assert response.status_code == 401
        page = client.get("/login")
        locked = client.post(
            "/login",
            data={"username": "hr", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        )
        assert locked.status_code == 429
        chef = env.login("chef")
        assert chef.get("/api/org/9999/unit/A").json()["headcount"] == 17  # 2 + 12 + 3
        assert chef.get("/api/org/9999/unit/B").status_code == 404
        assert [
            r["employment_id"] for r in chef.get("/api/org/9999/unit/A/staff").json()["rows"]
        ] == [
            "E002",
            "E003",
        ]
        actions = [e.action for e in audit.entries(env.hb, SYSTEM)]
        assert actions.count(audit.Action.LOGIN_FAILED) == 2
        assert audit.Action.VIEW_INDIVIDUALS in actions
    finally:
        env.hb.close()
