"""Role × pay-survey resource, for each page and its JSON twin (expected statuses by the rules).

HR of the organisation and admins: everything. Managers: the survey and pay structure
of their own units' jobs. Analysts and regional analysts (shared organisations):
aggregates only. Other organisations look non-existent (404).
"""

from __future__ import annotations

import pytest
from payenv import PayEnv

OK, DENIED, HIDDEN = 200, 403, 404
ROLES = ("admin", "hr", "chef", "analytiker", "regional", "hr8888")
B = "/paysurvey/9999/2025"
MATRIX: dict[str, tuple[int, ...]] = {
    "/paysurvey/9999": (OK, OK, OK, OK, OK, HIDDEN),
    B: (OK, OK, OK, OK, OK, HIDDEN),
    B + "/evaluation": (OK, OK, DENIED, OK, OK, HIDDEN),
    B + "/comparisons": (OK, OK, DENIED, OK, OK, HIDDEN),
    B + "/statistics": (OK, OK, DENIED, OK, OK, HIDDEN),
    B + "/structure": (OK, OK, OK, OK, OK, HIDDEN),
    B + "/structure/job?befattning=Undersk%C3%B6terska": (OK, OK, OK, OK, OK, HIDDEN),
    B + "/structure/job?befattning=Ingenj%C3%B6r": (OK, OK, HIDDEN, OK, OK, HIDDEN),
    B + "/actions": (OK, OK, DENIED, DENIED, DENIED, HIDDEN),
    B + "/transparency": (OK, OK, DENIED, OK, OK, HIDDEN),
    B + "/document": (OK, OK, DENIED, DENIED, DENIED, HIDDEN),
    "/paysurvey/9999/2031": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
}
PAGE_ONLY = {
    B + "/evaluation.xlsx": (OK, OK, DENIED, OK, OK, HIDDEN),
    B + "/document.xlsx": (OK, OK, DENIED, DENIED, DENIED, HIDDEN),
}
CELLS = [
    pytest.param(path, role, kind, expected[i], id=f"{kind}:{role}:{path}")
    for path, expected in MATRIX.items()
    for i, role in enumerate(ROLES)
    for kind in ("page", "api")
] + [
    pytest.param(path, role, "page", expected[i], id=f"page:{role}:{path}")
    for path, expected in PAGE_ONLY.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("path", "role", "kind", "expected"), CELLS)
def test_cell(surveyed: PayEnv, path: str, role: str, kind: str, expected: int) -> None:
    client = surveyed.client(role)
    url = path if kind == "page" else "/api" + path
    assert client.get(url).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 303), ("hr", 303), ("chef", 403), ("analytiker", 403), ("regional", 403)],
)
def test_create_needs_edit_right(env: PayEnv, role: str, expected: int) -> None:
    client = env.client(role)
    data = {"year": "2025", "survey_date": "2025-11-01", "csrf_token": env.csrf(client)}
    assert client.post("/paysurvey/9999", data=data).status_code == expected


def test_post_without_csrf_is_refused(env: PayEnv) -> None:
    client = env.client("hr")
    r = client.post("/paysurvey/9999", data={"year": "2025", "survey_date": "2025-11-01"})
    assert r.status_code == 403


def test_analyst_gets_no_individuals(surveyed: PayEnv) -> None:
    data = surveyed.client("analytiker").get("/api" + B + "/comparisons").json()
    assert data["individuals"] is None
    hr = surveyed.client("hr").get("/api" + B + "/comparisons").json()
    assert hr["individuals"] is not None  # Lärare: the small group's person-level comparison


def test_step_navigation_shows_only_allowed_steps(surveyed: PayEnv) -> None:
    manager = surveyed.client("chef").get(B).text
    assert f'href="{B}/structure"' in manager
    for hidden in ("/evaluation", "/comparisons", "/actions", "/document"):
        assert f'href="{B}{hidden}"' not in manager
    analyst = surveyed.client("analytiker").get(B).text
    assert f'href="{B}/comparisons"' in analyst and f'href="{B}/document"' not in analyst
