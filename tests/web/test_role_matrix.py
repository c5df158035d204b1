"""Role × resource matrix: every cell, for the HTML page and its JSON twin under /api/.

The expected statuses are the access rules of issue 3 written out by hand:
403 when the role may not use the resource at all, 404 (the same answer as for
an id that does not exist) when the object is outside the user's scope.
"""

from __future__ import annotations

import re

import pytest
from webtesting import DENIED, HIDDEN, OK, ROLE_USERS, WebEnv, role_cells

from hallbar.web.app import route_table

# path -> expected status per role (admin, hr, chef, analytiker, regional)
GET_MATRIX: dict[str, tuple[int, int, int, int, int]] = {
    "/": (OK, OK, OK, OK, OK),
    # overview of an organisation's top unit (a manager gets the top of its own subtree)
    "/org/9999": (DENIED, OK, OK, OK, OK),
    # a unit inside the manager's subtree, and one outside it
    "/org/9999/unit/A1": (DENIED, OK, OK, OK, OK),
    "/org/9999/unit/B": (DENIED, OK, HIDDEN, OK, OK),
    "/org/9999/unit/NOSUCH": (DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    # another organisation: not shared regionally, and one that is shared
    "/org/8888": (DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/org/8888/unit/A": (DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "/org/7777/unit/A": (DENIED, HIDDEN, HIDDEN, HIDDEN, OK),
    # one tree level
    "/org/9999/tree?parent=A": (DENIED, OK, OK, OK, OK),
    "/org/9999/tree?parent=B": (DENIED, OK, HIDDEN, OK, OK),
    "/org/8888/tree": (DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    # individual level: HR for the organisation, managers only for their own staff
    "/org/9999/unit/A/staff": (DENIED, OK, OK, DENIED, DENIED),
    "/org/9999/unit/A1/staff": (DENIED, OK, HIDDEN, DENIED, DENIED),
    "/org/9999/unit/B1/staff": (DENIED, OK, HIDDEN, DENIED, DENIED),
    "/org/8888/unit/A/staff": (DENIED, HIDDEN, HIDDEN, DENIED, DENIED),
    # imports
    "/org/9999/imports": (OK, OK, DENIED, DENIED, DENIED),
    "/org/8888/imports": (OK, HIDDEN, DENIED, DENIED, DENIED),
    # administration
    "/admin/users": (OK, DENIED, DENIED, DENIED, DENIED),
    "/admin/audit": (OK, DENIED, DENIED, DENIED, DENIED),
    "/admin/settings": (OK, DENIED, DENIED, DENIED, DENIED),
}
# Pages without a JSON twin (forms only).
PAGE_ONLY_GET = {"/account/password": (OK, OK, OK, OK, OK)}

# State-changing requests with a valid CSRF token: the role decides.
POST_MATRIX: dict[str, tuple[dict[str, str], tuple[int, int, int, int, int]]] = {
    "/admin/users": (
        {"username": "ny-användare", "password": "x", "role": "hr", "org_ids": "9999"},
        (400, DENIED, DENIED, DENIED, DENIED),  # admin reaches validation (password too short)
    ),
    "/admin/users/1/active": ({"active": "true"}, (303, DENIED, DENIED, DENIED, DENIED)),
    # The import lifecycle, without changing the shared site: import 1 (9999) is already
    # active, it is the first so it cannot be undone (400), and no upload waits (404).
    "/org/9999/imports/1/activate": ({}, (OK, OK, DENIED, DENIED, DENIED)),
    "/org/9999/imports/1/undo": ({}, (400, 400, DENIED, DENIED, DENIED)),
    "/org/9999/imports/confirm": (
        {"token": "0" * 32, "previous": "1"},
        (HIDDEN, HIDDEN, DENIED, DENIED, DENIED),
    ),
    "/org/9999/imports/cancel": ({"token": "0" * 32}, (HIDDEN, HIDDEN, DENIED, DENIED, DENIED)),
}


def _api(path: str) -> str:
    return "/api" + path if path != "/" else "/api/"


CELLS = [
    *role_cells(GET_MATRIX, ROLE_USERS, ("page", "api")),
    *role_cells(PAGE_ONLY_GET, ROLE_USERS, ("page",)),
]


@pytest.mark.parametrize(("path", "role", "kind", "expected"), CELLS)
def test_get_cell(shared_env: WebEnv, path: str, role: str, kind: str, expected: int) -> None:
    client = shared_env.client(role)
    response = client.get(path if kind == "page" else _api(path))
    assert response.status_code == expected, response.text[:500]
    if kind == "api":
        assert response.headers["content-type"].startswith("application/json")
    if expected == HIDDEN:
        # The answer must not reveal whether the object exists.
        body = response.text
        assert (
            "Förvaltning B" not in body and "Skola Väst" not in body and "Annankommun" not in body
        )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (p, k)
        for p in [*GET_MATRIX, *PAGE_ONLY_GET]
        for k in ("page", "api")
        if k == "page" or p in GET_MATRIX
    ],
)
def test_anonymous_cell(shared_env: WebEnv, path: str, kind: str) -> None:
    client = shared_env.anonymous()
    response = client.get(path if kind == "page" else _api(path))
    if kind == "page":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == 401


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        pytest.param(path, role, spec[1][i], id=f"post:{role}:{path}")
        for path, spec in POST_MATRIX.items()
        for i, role in enumerate(ROLE_USERS)
    ],
)
def test_post_cell(shared_env: WebEnv, path: str, role: str, expected: int) -> None:
    client = shared_env.client(role)
    data = {**POST_MATRIX[path][0], "csrf_token": shared_env.csrf(client)}
    response = client.post(path, data=data)
    assert response.status_code == expected, response.text[:500]


def test_upload_cell_per_role(shared_env: WebEnv) -> None:
    """Upload: HR of the organisation and admins reach the import; others are refused first."""
    expected = {"admin": 422, "hr": 422, "chef": 403, "analytiker": 403, "regional": 403}
    for role, status in expected.items():
        client = shared_env.client(role)
        response = client.post(
            "/org/9999/imports",
            data={"as_of": "2025-11-01", "csrf_token": shared_env.csrf(client)},
            files=[("files", ("enheter.csv", b"fel;format\n1;2\n", "text/csv"))],
        )
        # 422: the import ran and rejected the nonsense file; 403: never reached it.
        assert response.status_code == status, (role, response.text[:300])


# The areas this matrix covers; later areas (pay survey …) keep their own matrix tests.
CORE_MODULES = ("auth", "home", "org", "imports", "admin")


def test_every_page_of_every_area_has_a_json_twin(shared_env: WebEnv) -> None:
    routes = route_table(shared_env.app)  # type: ignore[arg-type]
    get_paths = {path for method, path in routes if method == "GET"}
    forms_only = {"/login", "/account/password"}
    for page in get_paths - forms_only:
        if page.startswith("/api/") or re.search(r"\.[a-z]+$", page):
            continue  # an API route itself, or a file download (export)
        assert _api(page) in get_paths, f"{page} has no JSON twin"


def test_matrix_covers_every_route(shared_env: WebEnv) -> None:
    """Every route of the core areas appears in the matrix."""
    routes = route_table(shared_env.app, CORE_MODULES)  # type: ignore[arg-type]
    get_paths = {path for method, path in routes if method == "GET"}
    page_paths = {p for p in get_paths if not p.startswith("/api/")}
    api_paths = {p for p in get_paths if p.startswith("/api/")}
    forms_only = {"/login", "/account/password"}
    for page in page_paths - forms_only:
        assert _api(page) in api_paths, f"{page} has no JSON twin"
    templates = {
        "/": "/",
        "/org/{org_id}": "/org/9999",
        "/org/{org_id}/unit/{unit_id}": "/org/9999/unit/A1",
        "/org/{org_id}/tree": "/org/9999/tree?parent=A",
        "/org/{org_id}/unit/{unit_id}/staff": "/org/9999/unit/A/staff",
        "/org/{org_id}/imports": "/org/9999/imports",
        "/admin/users": "/admin/users",
        "/admin/audit": "/admin/audit",
        "/admin/settings": "/admin/settings",
        "/account/password": "/account/password",
    }
    assert page_paths - {"/login"} == set(templates)
    covered = set(GET_MATRIX) | set(PAGE_ONLY_GET)
    assert all(example in covered for example in templates.values())
    post_paths = {path for method, path in routes if method == "POST"}
    assert post_paths == {
        "/login",
        "/logout",
        "/account/password",
        "/org/{org_id}/imports",
        "/org/{org_id}/imports/confirm",
        "/org/{org_id}/imports/cancel",
        "/org/{org_id}/imports/{import_id}/activate",
        "/org/{org_id}/imports/{import_id}/undo",
        "/admin/users",
        "/admin/users/{user_id}/active",
    }


def test_openapi_documents_every_api_route(shared_env: WebEnv) -> None:
    schema = shared_env.anonymous().get("/api/openapi.json").json()
    documented = set(schema["paths"])
    for _, path in route_table(shared_env.app):  # type: ignore[arg-type]
        if path.startswith("/api/"):
            assert path in documented
    assert not any(not p.startswith("/api/") for p in documented)
