"""The pay-transparency pages and their JSON twins: the workflows through HTTP, the roles, and
Swedish messages on bad input."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from webtesting import WebEnv

from hallbar.services.paytransparency.requests import REQUEST_NOT_FOUND
from hallbar.services.twin import failure

BASE = "/transparency/9999"


def _post(env: WebEnv, user: str, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    client = env.client(user)
    return client.post(path, data={**data, "csrf_token": env.csrf(client)})


def test_request_workflow_pages(env: WebEnv) -> None:
    hr = env.client("hr")
    page = hr.get(BASE)
    assert page.status_code == 200 and "Begäranden om löneinformation" in page.text
    r = _post(env, "hr", f"{BASE}/requests",
              {"person": "9999-p002", "received_on": "2026-09-30", "requested_by": "Arbetstagaren"})  # fmt: skip
    assert r.status_code == 303
    url = r.headers["location"]
    d = _post(env, "hr", f"{url}/draft", {})
    assert d.status_code == 303
    html = hr.get(url).text
    assert "Svarsutkast" in html and "32\u202f000 kr" in html  # women's mean in Undersköterska
    a = _post(env, "hr", f"{url}/answer", {"answered_on": "2026-10-15"})
    assert a.status_code == 303
    letter = hr.get(f"{url}/letter.html")
    assert letter.status_code == 200 and "Svar på begäran om löneinformation" in letter.text
    assert "31 000 kr" in letter.text  # reports.formatting: space as thousands separator
    word = hr.get(f"{url}/letter.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"  # a Word (zip) file
    assert env.client("facklig").get(f"{url}/letter.docx").status_code == 403
    twin = hr.get(f"/api{url}").json()
    assert twin["status"] == "besvarad" and twin["answer"]["own_pay"] == 31000.0


def test_bad_input_is_shown_in_swedish_without_a_letter(env: WebEnv) -> None:
    r = _post(env, "hr", f"{BASE}/requests",
              {"person": "9999-p014", "received_on": "2026-09-30", "requested_by": "Facket"})  # fmt: skip
    url = r.headers["location"]
    d = _post(env, "hr", f"{url}/draft", {})
    assert d.status_code == 400
    assert "färre än 5 kvinnor eller män" in d.text and "inget svarsbrev" in d.text
    assert "40\u202f000" not in d.text and "42\u202f000" not in d.text  # no one's pay
    assert env.client("hr").get(f"{url}/letter.html").status_code == 400
    bad = _post(env, "hr", f"{BASE}/reports", {"report_date": "1999-12-31"})
    assert bad.status_code == 400 and "Det finns inga löner den 1999-12-31" in bad.text


def test_report_confirm_export_and_assessment_pages(env: WebEnv) -> None:
    r = _post(env, "hr", f"{BASE}/reports", {"report_date": "2026-09-30"})
    url = r.headers["location"]
    c = _post(env, "hr", f"{url}/confirm",
              {"consulted_with": "Kommunal", "consulted_on": "2026-10-01"})  # fmt: skip
    assert c.status_code == 303
    union = env.client("facklig")
    page = union.get(url)
    assert page.status_code == 200 and "Fastställd av ledningen" in page.text
    assert "Fastställ rapporten" not in page.text  # representatives do not confirm
    xlsx = union.get(f"{url}/lonerapport.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    header = [c.value for c in wb["Värden"][1]]
    assert header[:3] == ["artikelpunkt", "punkt_beskrivning", "kategori"]
    data = json.loads(union.get(f"{url}/lonerapport.json").content)
    assert {v["artikelpunkt"] for v in data["värden"]} == set("abcdefg")
    csv = union.get(f"{url}/lonerapport.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("artikelpunkt;punkt_beskrivning")
    o = _post(env, "hr", f"{url}/assessments", {"representatives": "Kommunal"})
    assert o.status_code == 303
    a_url = o.headers["location"]
    done = _post(env, "hr", a_url, {"cat_1": "Nivå 6 (500–600)", "reason_1": "Inga sakliga skäl.",
                                    "measures": "Höjning 1 januari.", "evaluation": "",
                                    "complete": "1"})  # fmt: skip
    assert done.status_code == 303
    seen = union.get(a_url).text
    assert "Avslutad" in seen and "Inga sakliga skäl." in seen
    assert union.get(f"{a_url}/document.html").status_code == 200


@pytest.mark.parametrize(
    ("path", "hr", "union", "analyst", "manager"),
    [
        (BASE, 200, 200, 403, 403),
        (f"{BASE}/ranges", 200, 403, 403, 403),
        (f"{BASE}/notice", 200, 403, 403, 403),
        (f"{BASE}/criteria", 200, 200, 403, 403),
        (f"{BASE}/method", 200, 200, 403, 403),
        (f"{BASE}/leave", 200, 200, 403, 403),
        ("/transparency/8888", 404, 404, 403, 403),
    ],
)
def test_roles(
    shared_env: WebEnv, path: str, hr: int, union: int, analyst: int, manager: int
) -> None:
    for user, expected in (("hr", hr), ("facklig", union), ("analytiker", analyst),
                           ("chef", manager)):  # fmt: skip
        assert shared_env.client(user).get(path).status_code == expected, user
        assert shared_env.client(user).get("/api" + path).status_code == expected, user


def test_start_page_shows_the_next_due_date_and_pages_are_accessible(shared_env: WebEnv) -> None:
    start = shared_env.client("facklig").get("/").text
    assert "Lönetransparens: ingen rapporteringsskyldighet" in start  # 28 employed
    for path in (BASE, f"{BASE}/ranges", f"{BASE}/criteria", f"{BASE}/method", f"{BASE}/leave"):
        html = shared_env.client("hr").get(path).text
        assert '<meta name="viewport"' in html and "<h1>" in html
        assert not re.search(r"<th(?=[\s>])(?![^>]*scope=)[^>]*>", html), path
        for control_id in re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*id="([^"]+)"', html
        ):
            assert f'for="{control_id}"' in html, (path, control_id)


# The envelope and error keys pinned in tests/web/test_json_twin.py.
ENVELOPE = {"ok", "sida", "populationer"}
ERROR_KEYS = {"ok", "status", "fel", "detail"}


def test_twins_use_the_one_envelope_and_name_their_population(shared_env: WebEnv) -> None:
    body = shared_env.client("facklig").get(f"/api{BASE}").json()
    assert set(body) >= ENVELOPE and "counts" not in body
    assert (body["ok"], body["sida"]) == (True, "paytransparency.overview")
    # ptdata: 26 monthly-paid + 2 hourly-paid employed on 2026-09-30 (the Art. 9 headcount)
    assert body["populationer"] == [
        {"population": "employed", "population_sv": "anställda", "reference": "2026-09-30",
         "n": 28, "omfattning": None, "urval": None, "dolt": False},
    ]  # fmt: skip
    assert body["headcount"] == 28
    page = shared_env.client("facklig").get(BASE).text
    assert "Räknas: 28 anställda 2026-09-30" in page
    listed = shared_env.client("hr").get(f"/api{BASE}/criteria").json()
    assert (listed["sida"], listed["populationer"], listed["data"]) == (
        "paytransparency.criteria", [], [],
    )  # fmt: skip


def test_twin_of_a_report_counts_everyone_employed(env: WebEnv) -> None:
    url = _post(env, "hr", f"{BASE}/reports", {"report_date": "2026-09-30"}).headers["location"]
    body = env.client("facklig").get(f"/api{url}").json()
    assert body["sida"] == "paytransparency.report"
    [count] = body["populationer"]
    assert (count["population"], count["reference"], count["n"]) == ("employed", "2026-09-30", 28)
    assert body["rapport"]["snapshot"]["headcount"] == 28
    assert "Räknas: 28 anställda 2026-09-30" in env.client("facklig").get(url).text


def test_twin_errors_have_the_one_shape(shared_env: WebEnv) -> None:
    missing = shared_env.client("hr").get(f"/api{BASE}/requests/999")
    assert missing.status_code == 404
    assert missing.json() == failure(404, "not_found", REQUEST_NOT_FOUND)
    bad = shared_env.client("hr").get(f"/api{BASE}/leave", params={"datum": "30/9"})
    assert bad.status_code == 400
    body = bad.json()
    assert set(body) == ERROR_KEYS
    assert (body["ok"], body["status"], body["fel"]) == (False, 400, "invalid_input")
    assert "ÅÅÅÅ-MM-DD" in body["detail"]
