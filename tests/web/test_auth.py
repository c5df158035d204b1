"""Accounts: login, throttling, logout, password change, admin-created users, demo users."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from webenv import make_env
from webtesting import PASSWORD, WebEnv, csrf_from

from hallbar.core.access import SYSTEM, Role
from hallbar.services import audit
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar


def _try_login(env: WebEnv, username: str, password: str) -> int:
    client = env.anonymous()
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
    ).status_code


def test_wrong_password_then_lockout(env: WebEnv) -> None:
    # env allows 3 failures per username and address within 600 s
    assert [_try_login(env, "hr", "fel") for _ in range(3)] == [401, 401, 401]
    assert _try_login(env, "hr", PASSWORD) == 429  # locked even with the right password
    assert _try_login(env, "analytiker", PASSWORD) == 303  # other users are unaffected
    actions = [e.action for e in audit.entries(env.hb, SYSTEM, username="hr")]
    assert actions.count(audit.Action.LOGIN_FAILED) == 3
    assert audit.Action.LOGIN_LOCKED in actions


def test_success_clears_earlier_failures(env: WebEnv) -> None:
    assert [_try_login(env, "hr", "fel") for _ in range(2)] == [401, 401]
    assert _try_login(env, "hr", PASSWORD) == 303
    assert [_try_login(env, "hr", "fel") for _ in range(2)] == [401, 401]
    assert _try_login(env, "hr", PASSWORD) == 303


def test_unknown_user_gets_the_same_answer(env: WebEnv) -> None:
    assert _try_login(env, "finns-inte", "fel") == _try_login(env, "hr", "fel") == 401


def test_login_redirects_only_to_local_paths(env: WebEnv) -> None:
    client = env.anonymous()
    page = client.get("/login?next=//evil.example/x")
    response = client.post(
        "/login",
        data={
            "username": "hr",
            "password": PASSWORD,
            "next": "//evil.example/x",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.headers["location"] == "/"


def test_logout_ends_the_session(env: WebEnv) -> None:
    client = env.login("hr")
    assert client.get("/api/me").status_code == 200
    response = client.post("/logout", data={"csrf_token": env.csrf(client)})
    assert response.status_code == 303
    assert client.get("/api/me").status_code == 401


def test_password_change(env: WebEnv) -> None:
    client = env.login("analytiker")
    other = env.login("analytiker")
    new = "ett helt nytt och långt lösenord"

    def change(current: str, new_pw: str, repeat: str) -> int:
        data = {"current": current, "new": new_pw, "repeat": repeat, "csrf_token": env.csrf(client)}
        return client.post("/account/password", data=data).status_code

    assert change("fel", new, new) == 400
    assert change(PASSWORD, new, new + "x") == 400
    assert change(PASSWORD, "kort", "kort") == 400
    assert change(PASSWORD, new, new) == 200
    assert client.get("/api/me").status_code == 200  # this session stays
    assert other.get("/api/me").status_code == 401  # other sessions end
    assert _try_login(env, "analytiker", PASSWORD) == 401
    assert _try_login(env, "analytiker", new) == 303


def test_admin_creates_and_deactivates_a_user(env: WebEnv) -> None:
    admin = env.client("admin")
    response = admin.post(
        "/admin/users",
        data={
            "username": "ny.chef",
            "display_name": "Ny Chef",
            "password": "ett långt startlösenord",
            "role": "chef",
            "org_ids": "9999",
            "unit_ids": "B",
            "csrf_token": env.csrf(admin),
        },
    )
    assert response.status_code == 200 and "ny.chef" in response.text
    new = env.login("ny.chef", "ett långt startlösenord")
    me = new.get("/api/me").json()
    assert (me["role"], me["org_ids"], me["unit_ids"]) == ("chef", ["9999"], ["B"])
    assert new.get("/api/org/9999/unit/B1").status_code == 200
    assert new.get("/api/org/9999/unit/A").status_code == 404
    user_id = next(u.id for u in auth.list_users(env.hb, SYSTEM) if u.username == "ny.chef")
    admin.post(
        f"/admin/users/{user_id}/active", data={"active": "false", "csrf_token": env.csrf(admin)}
    )
    assert new.get("/api/me").status_code == 401


def test_manager_without_unit_is_refused(env: WebEnv) -> None:
    admin = env.client("admin")
    response = admin.post(
        "/admin/users",
        data={
            "username": "chef2",
            "password": "ett långt startlösenord",
            "role": "chef",
            "org_ids": "9999",
            "csrf_token": env.csrf(admin),
        },
    )
    assert response.status_code == 400 and "minst en enhet" in response.text


def test_demo_users_one_per_role(env: WebEnv) -> None:
    users = auth.create_demo_users(env.hb, "9999", "A")
    assert sorted(role for _, role, _ in users) == sorted(r.value for r in Role)
    assert len({pw for _, _, pw in users}) == len(users)
    for username, _, password in users:
        assert _try_login(env, username, password) == 303


def test_audit_log_page_filters(env: WebEnv) -> None:
    _try_login(env, "hr", "fel")
    admin = env.client("admin")
    rows = admin.get("/api/admin/audit", params={"action": audit.Action.LOGIN_FAILED}).json()[
        "data"
    ]
    assert [(r["username"], r["action"]) for r in rows] == [("hr", "misslyckad_inloggning")]
    page = admin.get("/admin/audit", params={"username": "hr"}).text
    assert "Misslyckad inloggning" in page


class _CountingProvider(auth.LocalIdentityProvider):
    """The local provider, counting how often a password is checked."""

    def __init__(self, hb: Hallbar) -> None:
        super().__init__(hb)
        self.checks = 0
        self._lock = threading.Lock()

    def authenticate(self, username: str, password: str) -> int | None:
        with self._lock:
            self.checks += 1
        return super().authenticate(username, password)


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_parallel_wrong_passwords_get_at_most_the_limit_of_checks(
    database_url: str, tmp_path: Path
) -> None:
    # The attack of issue 10: 30 wrong passwords at once with a limit of 5 got 15
    # checks when the failures were counted and then added in two steps.
    env = make_env(tmp_path, database_url=database_url, login_max_failures=5)
    provider = _CountingProvider(env.hb)
    barrier = threading.Barrier(30)
    outcomes: list[str] = []

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            auth.login(env.hb, "hr", f"fel-{i}", client="10.0.0.9", provider=provider)
        except auth.LoginLocked:
            outcomes.append("spärrad")
        except auth.LoginFailed:
            outcomes.append("fel")

    try:
        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert provider.checks == 5
        assert sorted(outcomes) == ["fel"] * 5 + ["spärrad"] * 25
        # Still locked for the right password from that address.
        with pytest.raises(auth.LoginLocked):
            auth.login(env.hb, "hr", PASSWORD, client="10.0.0.9", provider=provider)
        assert provider.checks == 5
    finally:
        env.hb.close()
