"""The one JSON twin: the success envelope and the error shape (hallbar.services.twin).

Modelled on Datasette's tests/test_success_envelope.py and tests/test_error_shape.py:
the keys are pinned here, so a page that answers in its own shape fails.
Organisation 9999 is tests/web/orgdata.py (32 persons, snapshot 2025-11-01).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from webenv import make_env
from webtesting import WebEnv

from hallbar.services.access import ORG_NOT_FOUND
from hallbar.services.twin import failure, success

ENVELOPE = {"ok", "sida", "populationer"}
COUNT_KEYS = {"population", "population_sv", "reference", "n", "omfattning", "urval", "dolt"}
ERROR_KEYS = {"ok", "status", "fel", "detail"}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    e = make_env(tmp_path_factory.mktemp("twin"))
    yield e
    e.hb.close()


def test_success_envelope_of_a_page_twin(env: WebEnv) -> None:
    body = env.client("hr").get("/api/org/9999").json()
    assert set(body) >= ENVELOPE
    assert body["ok"] is True
    assert body["sida"] == "org.unit"
    [count] = body["populationer"]
    assert set(count) == COUNT_KEYS
    # orgdata: TOP holds 1 + 17 + 6 + 8 = 32 monthly-paid persons on 2025-11-01.
    assert count == {
        "population": "monthly_paid",
        "population_sv": "månadsavlönade anställda",
        "reference": "2025-11-01",
        "n": 32,
        "omfattning": "TOP",
        "urval": None,
        "dolt": False,
    }
    assert body["headcount"] == 32


def test_a_hidden_count_still_names_its_population(env: WebEnv) -> None:
    # A2 has 3 persons: below the minimum group, so the number is hidden, not the population.
    body = env.client("hr").get("/api/org/9999/unit/A2").json()
    [count] = body["populationer"]
    assert (count["population"], count["n"], count["dolt"]) == ("monthly_paid", None, True)
    assert body["headcount"] is None


def test_a_list_answer_goes_under_data() -> None:
    assert success("x.list", [1, 2]) == {
        "ok": True,
        "sida": "x.list",
        "populationer": [],
        "data": [1, 2],
    }


def test_full_precision_in_json() -> None:
    # Rounding is for display only: a third stays a third.
    assert success("x", {"v": 1 / 3})["v"] == 1 / 3


def test_error_shape_not_found(env: WebEnv) -> None:
    response = env.client("hr").get("/api/org/0000")
    assert response.status_code == 404
    assert response.json() == failure(404, "not_found", ORG_NOT_FOUND)
    assert set(response.json()) == ERROR_KEYS


def test_error_shape_access_denied(env: WebEnv) -> None:
    response = env.client("analytiker").get("/api/org/9999/unit/A1/staff")
    assert response.status_code == 403
    body = response.json()
    assert (body["ok"], body["status"], body["fel"]) == (False, 403, "access_denied")
    assert body["detail"].endswith(".")


def test_error_shape_input_error(env: WebEnv) -> None:
    response = env.client("hr").get("/api/figures/9999?ar=tjugo")
    assert response.status_code == 400
    body = response.json()
    assert (body["ok"], body["status"], body["fel"]) == (False, 400, "figure_input_error")
    assert "tjugo" in body["detail"]


def test_error_shape_invalid_request(env: WebEnv) -> None:
    response = env.client("hr").get("/api/org/9999/tree", params={"parent": "x" * 101})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {*ERROR_KEYS, "errors"}
    assert (body["ok"], body["fel"]) == (False, "invalid_request")


def test_htmx_gets_the_error_as_a_fragment(env: WebEnv) -> None:
    response = env.client("hr").get("/org/9999/tree?parent=NOPE", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert "<html" not in response.text


def test_page_shows_whom_it_counts(env: WebEnv) -> None:
    html = env.client("hr").get("/org/9999").text
    assert "Räknas: 32 månadsavlönade anställda 2025-11-01" in html
