"""The follow-up pages, forms, downloads and JSON twins through the web app."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import openpyxl
from httpx import Response
from webtesting import WebEnv

from hallbar.reports.followup_document import docx_text
from hallbar.services.followup.plans import PLAN_NOT_FOUND
from hallbar.services.twin import failure


def _post(env: WebEnv, user: str, path: str, data: dict[str, str]) -> str:
    client = env.client(user)
    response = client.post(path, data={**data, "csrf_token": env.csrf(client)})
    assert response.status_code == 303, response.text
    return response.headers["location"]


def _build(env: WebEnv) -> tuple[str, int]:
    where = _post(
        env,
        "hr",
        "/followup/9999/plans",
        {"name": "Plan 2025", "committee": "Personalnämnden", "year": "2025"},
    )
    plan_id = int(re.findall(r"/plans/(\d+)", where)[0])
    base = f"/followup/9999/plans/{plan_id}"
    goal = _post(env, "hr", f"{base}/nodes", {"title": "Attraktiv arbetsgivare", "kind": "mål"})
    goal_id = goal.split("#rad-")[1]
    sub = _post(env, "hr", f"{base}/nodes", {"title": "Hälsa", "kind": "delmål", "parent": goal_id})
    sub_id = sub.split("#rad-")[1]
    _post(
        env,
        "hr",
        f"{base}/nodes",
        {"title": "Hälsosamtal", "kind": "aktivitet", "parent": sub_id, "owner_unit": "A1"},
    )
    return base, plan_id


def test_plan_pages_forms_and_twins(env: WebEnv) -> None:
    base, _plan_id = _build(env)
    hr = env.client("hr")
    page = hr.get(base)
    assert page.status_code == 200
    assert "Hälsosamtal" in page.text and "Tertial 1 2025" in page.text
    period_id = int(re.findall(r'<option value="(\d+)"[^>]*>Tertial 1 2025', page.text)[0])
    node_id = int(re.findall(r'id="rad-(\d+)"', page.text)[-1])
    _post(env, "hr", f"{base}/nodes/{node_id}/indicators", {"figure": "headcount"})
    _post(
        env,
        "chef",
        f"{base}/nodes/{node_id}/followup",
        {"period": str(period_id), "status": "enligt plan", "comment": "Samtalen är bokade."},
    )
    twin = hr.get(f"/api{base}?period={period_id}").json()
    rows = {r["rubrik"]: r for r in twin["rader"]}
    assert rows["Hälsosamtal"]["status"] == "enligt plan"
    assert rows["Hälsosamtal"]["indikatorer"][0]["värde"] == 11  # figdata: 11 women in Hemtjänst
    assert rows["Attraktiv arbetsgivare"]["status"] == "enligt plan"
    # the one envelope (tests/web/test_json_twin.py): the live figure names whom it counts,
    # figdata's 11 monthly-paid women in Hemtjänst (A1) on 1 November 2025
    assert (twin["ok"], twin["sida"]) == (True, "followup.plan")
    assert twin["populationer"] == [
        {
            "population": "monthly_paid",
            "population_sv": "månadsavlönade anställda",
            "reference": "2025-11-01",
            "n": 11,
            "omfattning": "A1",
            "urval": None,
            "dolt": False,
        }
    ]
    # the same count as the key-figure page for the same unit and year (tests/test_consistency.py)
    figures = hr.get("/api/figures/9999?enhet=A1&ar=2025").json()
    assert twin["populationer"][0] in figures["populationer"]
    assert (
        "Räknas: 11 månadsavlönade anställda 2025-11-01"
        in hr.get(f"{base}?period={period_id}").text
    )
    [line] = twin["historik"][str(node_id)]
    assert (line["av"], line["status"], line["kommentar"]) == (
        "chef",
        "Enligt plan",
        "Samtalen är bokade.",
    )
    assert "Historik för Hälsosamtal" in hr.get(base).text
    word = env.client("politiker").get(f"{base}/report.docx?period={period_id}")
    assert word.status_code == 200
    assert "Samtalen är bokade." in docx_text(word.content)
    html = hr.get(f"{base}/report?period={period_id}")
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert "Samtalen är bokade." in html.text
    book = openpyxl.load_workbook(
        io.BytesIO(hr.get(f"{base}/plan.xlsx?period={period_id}").content)
    )
    titles = [str(r[2]).strip() for r in book["Plan"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Attraktiv arbetsgivare", "Hälsa", "Hälsosamtal"]
    [header, live_row] = book["Indikatorer"].iter_rows(values_only=True)
    assert live_row[header.index("Räknas")] == "11 månadsavlönade anställda 2025-11-01"
    # the printable report keeps the date on one line (tests/browser/test_followup_print_browser.py)
    assert 'Räknas: 11 månadsavlönade anställda <span class="date">2025-11-01</span>' in html.text
    # a bad date is a Swedish sentence on the page, status 400
    client = env.client("hr")
    bad = client.post(
        f"{base}/nodes", data={"title": "x", "start": "1 jan", "csrf_token": env.csrf(client)}
    )
    assert bad.status_code == 400 and "ÅÅÅÅ-MM-DD" in bad.text
    # a taken plan name is the user's to correct (an InputError), not a server error
    again = client.post(
        "/followup/9999/plans",
        data={"name": "Plan 2025", "year": "2025", "csrf_token": env.csrf(client)},
    )
    assert again.status_code == 400 and "finns redan en plan" in again.text
    # the committee member reads but sees no forms
    reader = env.client("politiker").get(base)
    assert reader.status_code == 200 and "Spara uppföljning" not in reader.text
    assert (
        env.client("politiker")
        .post(f"{base}/nodes", data={"title": "x", "csrf_token": env.csrf(env.client("politiker"))})
        .status_code
        == 403
    )
    listing = hr.get("/api/followup/9999").json()
    assert (listing["ok"], listing["sida"], listing["populationer"]) == (True, "followup.plans", [])
    assert [p["namn"] for p in listing["planer"]] == ["Plan 2025"]
    report = hr.get(f"/api{base}/report?period={period_id}").json()
    assert report["sida"] == "followup.report"
    assert report["populationer"] == twin["populationer"]
    # errors in the one error shape
    missing = hr.get("/api/followup/9999/plans/999999")
    assert missing.status_code == 404
    assert missing.json() == failure(404, "not_found", PLAN_NOT_FOUND)


def _xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["Område", "Aktivitet", "Vad", "Ansvarig", "Period", "Enhet"]


def test_excel_import_all_or_nothing(env: WebEnv) -> None:
    client = env.client("hr")
    bad = _xlsx(
        [
            HEADER,
            [
                "Digitalisering",
                "Taligenkänning",
                "Införa digitala verktyg",
                "HR",
                "2020-2019",
                "A1",
            ],
            ["", "Nya roller", "Översyn av roller", "HR-chef", "2020", "Okänd enhet"],
        ]
    )
    response = client.post(
        "/followup/9999/import",
        data={"csrf_token": env.csrf(client), "name": "Aktivitetsplan"},
        files={"file": ("plan.xlsx", bad, "application/octet-stream")},
    )
    assert response.status_code == 400
    assert "plan.xlsx, rad 2, kolumn &#39;period&#39;" in response.text
    assert "plan.xlsx, rad 3, kolumn &#39;enhet&#39;" in response.text
    assert client.get("/api/followup/9999").json()["planer"] == []
    missing = _xlsx([["Område", "Aktivitet", "Ansvarig"], ["a", "b", "c"]])
    response = client.post(
        "/followup/9999/import",
        data={"csrf_token": env.csrf(client)},
        files={"file": ("plan.xlsx", missing, "application/octet-stream")},
    )
    assert "kolumn &#39;vad&#39;: Kolumnen &#39;vad&#39; saknas" in response.text
    good = _xlsx(
        [
            HEADER,
            [
                "Digitalisering",
                "Taligenkänning",
                "Införa digitala verktyg",
                "HR",
                "2019-2020",
                "Hemtjänst",
            ],
            ["", "Nya roller", "Översyn av roller", "HR-chef", "2020", ""],
            [
                "Förlängt arbetsliv",
                "Riktlinjer",
                "Riktlinjer för förlängt arbetsliv",
                "HR",
                "2019",
                "",
            ],
        ]
    )
    response = client.post(
        "/followup/9999/import",
        data={"csrf_token": env.csrf(client), "name": "Aktivitetsplan"},
        files={"file": ("plan.xlsx", good, "application/octet-stream")},
    )
    assert response.status_code == 303
    twin = client.get("/api" + response.headers["location"]).json()
    assert [(r["nivå"], r["rubrik"]) for r in twin["rader"]] == [
        (0, "Digitalisering"),
        (1, "Taligenkänning"),
        (1, "Nya roller"),
        (0, "Förlängt arbetsliv"),
        (1, "Riktlinjer"),
    ]
    assert twin["rader"][1]["ägare"] == "Hemtjänst"


def test_budget_outcome_from_excel(env: WebEnv) -> None:
    base, _ = _build(env)
    client = env.client("hr")
    page = client.get(base).text
    period_id = re.findall(r'<option value="(\d+)"[^>]*>Tertial 1 2025', page)[0]
    node = re.findall(r'id="rad-(\d+)"', page)[-1]
    _post(env, "hr", f"{base}/nodes/{node}/budget", {"year": "2025", "allocation": "3,2"})

    def send(content: bytes) -> Response:
        return client.post(
            f"{base}/outcomes",
            data={"csrf_token": env.csrf(client), "period": period_id},
            files={"file": ("utfall.xlsx", content, "application/octet-stream")},
        )

    bad = send(
        _xlsx([["Rubrik", "Utfall (mnkr)"], ["Finns inte", "1,0"], ["Hälsosamtal", "mycket"]])
    )
    assert bad.status_code == 400
    assert "utfall.xlsx, rad 3, kolumn &#39;utfall&#39;" in bad.text
    bad = send(_xlsx([["Rubrik", "Utfall (mnkr)"], ["Finns inte", "1,0"]]))
    assert "utfall.xlsx, rad 2, kolumn &#39;rubrik&#39;" in bad.text
    good = send(_xlsx([["Rubrik", "Utfall (mnkr)", "Prognos (mnkr)"], ["Hälsosamtal", "1,2", "3"]]))
    assert "Utfall för 1 rader är inläst." in good.text
    twin = client.get(f"/api{base}?period={period_id}").json()
    budget = {r["rubrik"]: r["budget"] for r in twin["rader"]}["Hälsosamtal"]
    # allocation 3,2; outcome 1,2; entered forecast 3,0: deviation 3,2 − 3,0 = 0,2
    assert (budget["budget_msek"], budget["utfall_msek"], budget["prognos_msek"]) == (
        "3,2",
        "1,2",
        "3",
    )
    assert budget["avvikelse_msek"] == "0,2"
    assert twin["historik"][node][0]["kommentar"] == "Utfall inläst från utfall.xlsx."


def test_committee_member_finds_the_follow_up_and_nothing_else(env: WebEnv) -> None:
    start = env.client("politiker").get("/")
    assert start.status_code == 200
    assert 'href="/followup/9999"' in start.text
    # no links to pages the role may not open
    assert 'href="/paysurvey/9999"' not in start.text
    assert 'href="/projection/9999"' not in start.text
    assert 'href="/org/9999"' not in start.text
    assert env.client("politiker").get("/paysurvey/9999").status_code == 403
