"""End to end in Chromium, at phone width: each pay-transparency workflow on Testkommun
(tests/support/ptdata.py) with its pay survey 2026.

1. A request for information: register → draft (HTMX) → answer within two months → letter.
2. The Article 9 report: draft → management confirmation after consultation → Excel export.
3. The joint pay assessment: open on the flagged category → reasons and measures → complete.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import ptdata
import pytest
from browsersite import serve
from openpyxl import load_workbook
from webtesting import HR, PASSWORD

from hallbar.core.access import SYSTEM, Role
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar
from hallbar.services.paysurvey import evaluation, survey
from hallbar.settings import Settings
from hallbar.web.app import create_app

pytestmark = pytest.mark.browser
ORG = "9999"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("ptbrowser")
    settings = Settings(data_dir=tmp)
    hb = Hallbar(settings)
    hb.store.save_import(ptdata.build(), created_by="test", profile="generic", files={},
                         row_counts={})  # fmt: skip
    auth.create_user(hb, SYSTEM, username="hr", password=PASSWORD, role=Role.HR, org_ids=(ORG,))
    auth.create_user(hb, SYSTEM, username="facklig", password=PASSWORD, role=Role.UNION,
                     org_ids=(ORG,))  # fmt: skip
    principal = auth.principal_for(hb, 1)
    assert principal is not None and principal.username == HR.username
    survey.create_survey(hb, principal, ORG, year=2026, survey_date="2026-09-30", participants="")
    model = survey.load_stored(hb, ORG, 2026).model
    for job, level in {"Undersköterska": 3, "Kock": 3, "Lärare": 5}.items():
        evaluation.save_job_levels(hb, principal, ORG, 2026, job,
                           {f.id: str(level) for f in model.subfactors})  # fmt: skip
    with serve(create_app(settings, hb=hb)) as url:
        yield url
    hb.close()


def _login(page: object, base: str, username: str) -> None:
    page.goto(base + "/login")  # type: ignore[attr-defined]
    page.fill("#username", username)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(base + "/")  # type: ignore[attr-defined]


def test_pay_transparency_workflows(server: str, browser: object, tmp_path: Path) -> None:
    base = server
    shots = Path(os.environ.get("HALLBAR_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE",  # type: ignore[attr-defined]
                                  accept_downloads=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(60_000)
    _login(page, base, "hr")
    assert "ingen rapporteringsskyldighet" in page.inner_text("main")  # 28 employed (2 hourly-paid)

    # 1. Right to information: register, draft, answer within the deadline, print.
    page.click("text=Lönetransparens")
    page.wait_for_url(f"{base}/transparency/{ORG}")
    page.fill("#person", "9999-p002")
    page.fill("#received_on", "2026-09-30")
    page.click("text=Registrera begäran")
    page.wait_for_url(f"{base}/transparency/{ORG}/requests/*")
    assert "2026-11-30" in page.inner_text("main")  # two months after 30 September
    page.click("text=Skapa svarsutkast")  # HTMX swaps the draft section in place
    page.wait_for_selector("#draft table")
    assert page.inner_text("#status") == "Utkast klart"
    draft = page.inner_text("#draft")
    assert "lika arbete: Undersköterska" in draft
    assert "32\u202f000 kr" in draft and "35\u202f000 kr" in draft  # women's and men's means
    page.screenshot(path=str(shots / "pt-draft.png"), full_page=True)
    page.fill("#answered_on", "2026-10-15")
    page.click("text=Markera som besvarad")
    page.wait_for_selector("text=Besvarad i tid")
    assert page.inner_text("#status") == "Besvarad"
    letter_url = page.get_attribute("#draft a", "href")
    page.goto(base + str(letter_url))
    letter = page.inner_text("body")
    assert "Svar på begäran om löneinformation" in letter and "31 000 kr" in letter

    # 2. The report: draft, confirm after consultation, export.
    page.goto(f"{base}/transparency/{ORG}")
    assert "Besvarad i tid" in page.inner_text("main")  # the request list shows the clock
    page.screenshot(path=str(shots / "pt-overview.png"), full_page=True)
    page.fill("#report_date", "2026-09-30")
    page.click("text=Beräkna rapportutkast")
    page.wait_for_url(f"{base}/transparency/{ORG}/reports/*")
    assert page.inner_text("#report-status") == "Utkast"
    page.fill("#consulted_with", "Kommunal och Vision")
    page.fill("#consulted_on", "2026-10-01")
    page.click("button:has-text('Fastställ rapporten')")
    page.wait_for_selector("#remedy")  # the flagged category starts the six-month clock
    assert page.inner_text("#report-status") == "Fastställd av ledningen"
    with page.expect_download() as info:
        page.click("text=Excel")
    workbook = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    points = {row[0].value for row in workbook["Värden"].iter_rows(min_row=2)}
    assert points == set("abcdefg")
    page.screenshot(path=str(shots / "pt-report.png"), full_page=True)

    # 3. The joint pay assessment on the flagged category.
    page.fill("#representatives", "Kommunal")
    page.click("text=Öppna lönebedömningen")
    page.wait_for_url(f"{base}/transparency/{ORG}/assessments/*")
    assert page.inner_text("#assessment-status") == "Pågående"
    page.fill("#reason_1", "Inga sakliga skäl; skillnaden ska åtgärdas.")
    page.fill("#measures", "Lönetillägg till kockarna från 1 januari 2027.")
    page.click("text=Avsluta lönebedömningen")
    page.wait_for_selector("#assessment-status:has-text('Avslutad')")
    page.screenshot(path=str(shots / "pt-assessment.png"), full_page=True)
    context.close()

    # The representative sees the completed assessment, not the worker's letter.
    union = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    _login(union, base, "facklig")
    union.goto(f"{base}/transparency/{ORG}")
    assert "Lönebedömning för rapporten 2026-09-30" in union.inner_text("main")
    assert "Begäranden om löneinformation" not in union.inner_text("main")
    response = union.goto(base + str(letter_url))
    assert response is not None and response.status == 403
    union.close()
