"""Role × pay-survey resource, for each page and its JSON twin (expected statuses by the rules).

HR of the organisation: everything. Admins: nothing (no HR data). Managers: the survey and pay structure
of their own units' jobs. Analysts and regional analysts (shared organisations):
aggregates only. Other organisations look non-existent (404).
"""

from __future__ import annotations

import pytest
from webtesting import DENIED, HIDDEN, OK, ROLE_USERS, WebEnv, role_cells

ROLES = (*ROLE_USERS, "hr8888")
B = "/paysurvey/9999/2025"
MATRIX: dict[str, tuple[int, ...]] = {
    "/paysurvey/9999": (DENIED, OK, OK, OK, OK, HIDDEN),
    B: (DENIED, OK, OK, OK, OK, HIDDEN),
    B + "/evaluation": (DENIED, OK, DENIED, OK, OK, HIDDEN),
    B + "/comparisons": (DENIED, OK, DENIED, OK, OK, HIDDEN),
    B + "/statistics": (DENIED, OK, DENIED, OK, OK, HIDDEN),
    B + "/structure": (DENIED, OK, OK, OK, OK, HIDDEN),
    B + "/structure/job?befattning=Undersk%C3%B6terska": (DENIED, OK, OK, OK, OK, HIDDEN),
    B + "/structure/job?befattning=Ingenj%C3%B6r": (DENIED, OK, HIDDEN, OK, OK, HIDDEN),
    B + "/actions": (DENIED, OK, DENIED, DENIED, DENIED, HIDDEN),
    B + "/transparency": (DENIED, OK, DENIED, OK, OK, HIDDEN),
    B + "/document": (DENIED, OK, DENIED, DENIED, DENIED, HIDDEN),
    "/paysurvey/9999/2031": (DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
}
PAGE_ONLY = {
    B + "/evaluation.xlsx": (DENIED, OK, DENIED, OK, OK, HIDDEN),
    B + "/document.xlsx": (DENIED, OK, DENIED, DENIED, DENIED, HIDDEN),
}
CELLS = [
    *role_cells(MATRIX, ROLES, ("page", "api")),
    *role_cells(PAGE_ONLY, ROLES, ("page",)),
]


@pytest.mark.parametrize(("path", "role", "kind", "expected"), CELLS)
def test_cell(surveyed: WebEnv, path: str, role: str, kind: str, expected: int) -> None:
    client = surveyed.client(role)
    url = path if kind == "page" else "/api" + path
    assert client.get(url).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 403), ("hr", 303), ("chef", 403), ("analytiker", 403), ("regional", 403)],
)
def test_create_needs_edit_right(env: WebEnv, role: str, expected: int) -> None:
    client = env.client(role)
    data = {"year": "2025", "survey_date": "2025-11-01", "csrf_token": env.csrf(client)}
    assert client.post("/paysurvey/9999", data=data).status_code == expected


def test_post_without_csrf_is_refused(env: WebEnv) -> None:
    client = env.client("hr")
    r = client.post("/paysurvey/9999", data={"year": "2025", "survey_date": "2025-11-01"})
    assert r.status_code == 403


def test_analyst_gets_no_individuals(surveyed: WebEnv) -> None:
    data = surveyed.client("analytiker").get("/api" + B + "/comparisons").json()
    assert data["individuals"] is None
    hr = surveyed.client("hr").get("/api" + B + "/comparisons").json()
    assert hr["individuals"] is not None  # Lärare: the small group's person-level comparison


def test_step_navigation_shows_only_allowed_steps(surveyed: WebEnv) -> None:
    manager = surveyed.client("chef").get(B).text
    assert f'href="{B}/structure"' in manager
    for hidden in ("/evaluation", "/comparisons", "/actions", "/document"):
        assert f'href="{B}{hidden}"' not in manager
    analyst = surveyed.client("analytiker").get(B).text
    assert f'href="{B}/comparisons"' in analyst and f'href="{B}/document"' not in analyst
