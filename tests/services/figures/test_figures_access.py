"""Role × route for every key-figure page, its JSON twin and the downloads.

403 when the role may not use key figures at all (administrators see no HR
data; individual lists only for HR and managers), 404 (the same answer as for
something that does not exist) when the organisation or unit is outside the
user's scope: a manager asking for another unit's figures by id gets 404.
"""

from __future__ import annotations

import pytest
from webtesting import DENIED, HIDDEN, OK, ROLE_USERS, WebEnv, role_cells

from hallbar.web.app import route_table

AGG = (DENIED, OK, OK, OK, OK)  # admin, hr, chef, analytiker, regional
AGG_OTHER_UNIT = (DENIED, OK, HIDDEN, OK, OK)
PEOPLE = (DENIED, OK, OK, DENIED, DENIED)
PEOPLE_OTHER_UNIT = (DENIED, OK, HIDDEN, DENIED, DENIED)
NOT_MINE = (DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN)

PAGES: dict[str, tuple[int, int, int, int, int]] = {
    "/figures/9999": AGG,
    "/figures/9999?enhet=B": AGG_OTHER_UNIT,
    "/figures/9999?enhet=A": AGG_OTHER_UNIT,  # the manager's own unit's parent
    "/figures/9999?enhet=A1&dela=gender": AGG,
    "/figures/9999/sjukfranvaro": AGG,
    "/figures/9999/sjukfranvaro?enhet=B": AGG_OTHER_UNIT,
    "/figures/9999/trend": AGG,
    "/figures/9999/trend?enhet=B&nyckeltal=fte&frekvens=year": AGG_OTHER_UNIT,
    "/figures/9999/prioriterat": AGG,
    "/figures/9999/prioriterat?enhet=B": AGG_OTHER_UNIT,
    "/figures/9999/kvinnor-man": AGG,
    "/figures/9999/kvinnor-man?enhet=B": AGG_OTHER_UNIT,
    "/figures/9999/inhyrd": AGG,
    "/figures/9999/inhyrd?enhet=B": AGG_OTHER_UNIT,
    "/figures/9999/individer/rehab": PEOPLE,
    "/figures/9999/individer/upprepad": PEOPLE,
    "/figures/9999/individer/rehab?enhet=B": PEOPLE_OTHER_UNIT,
    "/figures/8888": NOT_MINE,
    "/figures/8888/sjukfranvaro": NOT_MINE,
    "/figures/8888/individer/rehab": (DENIED, HIDDEN, HIDDEN, DENIED, DENIED),
    "/figures/NOSUCH/prioriterat": NOT_MINE,
}
DOWNLOADS: dict[str, tuple[int, int, int, int, int]] = {
    "/figures/9999/export/sjukfranvaro.xlsx": AGG,
    "/figures/9999/export/sjukfranvaro.html?enhet=B": AGG_OTHER_UNIT,
    "/figures/9999/export/nyckeltal.csv": AGG,
    "/figures/9999/export/kvinnor-man.json?enhet=B": AGG_OTHER_UNIT,
    "/figures/9999/export/sjukfranvaro.kolada.csv": AGG,
    "/figures/9999/export/rehab.xlsx": PEOPLE,
    "/figures/9999/export/upprepad.csv?enhet=B": PEOPLE_OTHER_UNIT,
    "/figures/8888/export/nyckeltal.json": NOT_MINE,
}


def _api(path: str) -> str:
    return "/api" + path


CELLS = [
    *role_cells(PAGES, ROLE_USERS, ("page", "api")),
    *role_cells(DOWNLOADS, ROLE_USERS, ("download",)),
]


@pytest.mark.parametrize(("path", "role", "kind", "expected"), CELLS)
def test_cell(shared_env: WebEnv, path: str, role: str, kind: str, expected: int) -> None:
    client = shared_env.client(role)
    response = client.get(_api(path) if kind == "api" else path)
    assert response.status_code == expected, response.text[:400]
    if kind == "api":
        assert response.headers["content-type"].startswith("application/json")
    if expected == HIDDEN:
        # The answer does not say whether the unit or organisation exists.
        assert "Skola" not in response.text and "Annankommun" not in response.text


@pytest.mark.parametrize("path", [*PAGES, *DOWNLOADS])
def test_anonymous(shared_env: WebEnv, path: str) -> None:
    client = shared_env.anonymous()
    page = client.get(path)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    if path in PAGES:
        assert client.get(_api(path)).status_code == 401


def test_every_figures_route_is_in_the_matrix(shared_env: WebEnv) -> None:
    routes = route_table(shared_env.app, ("figures",))  # type: ignore[arg-type]
    assert all(method == "GET" for method, _ in routes)  # nothing here changes state
    templates = {path for _, path in routes}
    covered = {
        "/figures/{org_id}": "/figures/9999",
        "/figures/{org_id}/sjukfranvaro": "/figures/9999/sjukfranvaro",
        "/figures/{org_id}/trend": "/figures/9999/trend",
        "/figures/{org_id}/prioriterat": "/figures/9999/prioriterat",
        "/figures/{org_id}/kvinnor-man": "/figures/9999/kvinnor-man",
        "/figures/{org_id}/inhyrd": "/figures/9999/inhyrd",
        "/figures/{org_id}/individer/{kind}": "/figures/9999/individer/rehab",
    }
    downloads = {
        "/figures/{org_id}/export/{view}.xlsx",
        "/figures/{org_id}/export/{view}.csv",
        "/figures/{org_id}/export/{view}.json",
        "/figures/{org_id}/export/{view}.kolada.csv",
        "/figures/{org_id}/export/{view}.html",
    }
    assert templates == set(covered) | {_api(p) for p in covered} | downloads
    assert all(example in PAGES for example in covered.values())
    for suffix in (".xlsx", ".csv", ".json", ".kolada.csv", ".html"):
        assert any(p.split("?")[0].endswith(suffix) for p in DOWNLOADS)
