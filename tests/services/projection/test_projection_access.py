"""Role × projection resource: every page, its JSON twin and every form, per role.

Expected statuses are the rules written out by hand: HR does everything;
administrators see no HR data at all (403 before any scope check); analysts, managers and regional analysts see
results (managers only their own subtree); 404 for organisations and units
outside the user's scope (the same answer as for ones that do not exist), 403
for actions the role may not take.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from projweb import make_env
from webtesting import DENIED, HIDDEN, OK, ROLE_USERS, WebEnv

from hallbar.core.access import SYSTEM
from hallbar.services.projection import plan, scenarios
from hallbar.services.projection.params import parse_form


@pytest.fixture(scope="module")
def matrix_env(shared_env: WebEnv) -> Iterator[tuple[WebEnv, int, int]]:
    settings = shared_env.hb.settings
    a = scenarios.save_scenario(shared_env.hb, SYSTEM, "9999", "A", "", parse_form({}, settings))
    b = scenarios.save_scenario(
        shared_env.hb, SYSTEM, "9999", "B", "", parse_form({"pension_senare": ["1"]}, settings)
    )
    yield shared_env, a.id, b.id


# path -> expected status for (admin, hr, chef, analytiker, regional)
def _get_matrix(a: int, b: int) -> dict[str, tuple[int, ...]]:
    everyone = (DENIED, OK, OK, OK, OK)
    return {
        "/projection/9999?horisont=3": everyone,
        "/projection/9999/result?horisont=3": everyone,
        "/projection/9999/uncertainty?horisont=2&korningar=20": everyone,
        # a unit outside the manager's subtree, and one inside
        "/projection/9999?enhet=B": (DENIED, OK, HIDDEN, OK, OK),
        "/projection/9999/result?enhet=A1": everyone,
        "/projection/9999?enhet=NOSUCH": (DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        "/projection/9999/scenarios": everyone,
        f"/projection/9999/scenarios/{a}": everyone,
        "/projection/9999/scenarios/999999": (DENIED,) + (HIDDEN,) * 4,
        f"/projection/9999/compare?ids={a}&ids={b}": everyone,
        "/projection/9999/plan": everyone,
        f"/projection/9999/plan?scenario={b}": everyone,
        "/projection/9999/plan/document": everyone,
        "/projection/9999/plan/excel": everyone,
        # an organisation that does not share
        "/projection/8888": (DENIED,) + (HIDDEN,) * 4,
        "/projection/8888/scenarios": (DENIED,) + (HIDDEN,) * 4,
        "/projection/8888/plan": (DENIED,) + (HIDDEN,) * 4,
        "/projection/8888/plan/excel": (DENIED,) + (HIDDEN,) * 4,
        f"/projection/8888/scenarios/{a}": (DENIED,) + (HIDDEN,) * 4,  # 9999's scenario under 8888
    }


def _api(path: str) -> str:
    return "/api" + path


def test_get_matrix(matrix_env: tuple[WebEnv, int, int]) -> None:
    env, a, b = matrix_env
    failures = []
    for path, expected in _get_matrix(a, b).items():
        for role, status in zip(ROLE_USERS, expected, strict=True):
            client = env.client(role)
            for kind, url in (("page", path), ("api", _api(path))):
                response = client.get(url)
                if response.status_code != status:
                    failures.append((kind, role, url, response.status_code, status))
                if kind == "api" and status == OK and "excel" not in url and "document" not in url:
                    assert response.headers["content-type"].startswith("application/json")
                if status == HIDDEN:
                    assert "Annankommun" not in response.text and "Skola" not in response.text
    assert not failures


def test_anonymous_is_sent_to_login(matrix_env: tuple[WebEnv, int, int]) -> None:
    env, a, b = matrix_env
    client = env.anonymous()
    for path in _get_matrix(a, b):
        page = client.get(path)
        assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
        assert client.get(_api(path)).status_code == 401


def test_forms_by_role(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each state-changing form: HR gets through (303), every other role gets 403."""
    env = make_env(tmp_path_factory.mktemp("forms"))
    try:
        expected = {
            "admin": DENIED,
            "hr": 303,
            "chef": DENIED,
            "analytiker": DENIED,
            "regional": DENIED,
        }
        for role, status in expected.items():
            client = env.client(role)
            token = env.csrf(client)
            saved = client.post(
                "/projection/9999/scenarios",
                data={"name": f"S {role}", "params": "horisont=3", "csrf_token": token},
            )
            assert saved.status_code == status, (role, saved.text[:300])
            target = scenarios.save_scenario(
                env.hb, SYSTEM, "9999", f"T {role}", "", parse_form({}, env.hb.settings)
            )
            deleted = client.post(
                f"/projection/9999/scenarios/{target.id}/delete", data={"csrf_token": token}
            )
            assert deleted.status_code == status, role
            added = client.post(
                "/projection/9999/plan/activities",
                data={"occupation": "Alla yrken", "text": "Rekrytera", "csrf_token": token},
            )
            assert added.status_code == status, role
            act = plan.add_activity(env.hb, SYSTEM, "9999", occupation="Alla yrken", text="x")
            removed = client.post(
                f"/projection/9999/plan/activities/{act.id}/delete", data={"csrf_token": token}
            )
            assert removed.status_code == status, role
            upload = client.post(
                "/projection/9999/population",
                data={"csrf_token": token},
                files={"file": ("befolkning.csv", b"region;x\n", "text/csv")},
            )
            # HR reaches the reader, which rejects the file (400); others are refused
            assert upload.status_code == (400 if status == 303 else DENIED), role
            # another organisation's forms are out of HR's scope
        hr = env.client("hr")
        other = hr.post(
            "/projection/8888/scenarios",
            data={"name": "X", "params": "", "csrf_token": env.csrf(hr)},
        )
        assert other.status_code == HIDDEN
        # without the CSRF token nothing is changed
        refused = hr.post("/projection/9999/scenarios", data={"name": "Y", "params": ""})
        assert refused.status_code == DENIED and "säkerhetstoken" in refused.text
        names = [s.name for s in scenarios.list_scenarios(env.hb, SYSTEM, "9999")]
        assert "Y" not in names and "S admin" not in names and "S hr" in names
        assert "S chef" not in names
    finally:
        env.hb.close()
