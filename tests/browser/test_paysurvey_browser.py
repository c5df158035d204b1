"""End to end in Chromium: a pay survey of the example organisation (≈300 employees),
from creating the survey to the written documentation.

The app runs in a uvicorn thread on a free port, driven by the ``browser`` fixture
(Debian's Chromium, see conftest.py). Screenshots of the key pages go to
``HALLBAR_SCREENSHOTS`` (default: the test's tmp directory).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browsersite import serve
from openpyxl import load_workbook
from webtesting import PASSWORD

from hallbar import exampleorg
from hallbar.core.access import SYSTEM, Role
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import import_export
from hallbar.settings import Settings
from hallbar.web.app import create_app

pytestmark = pytest.mark.browser
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("paybrowser")
    settings = Settings(data_dir=tmp)
    hb = Hallbar(settings)
    export = exampleorg.generate(size=300, seed=3, as_of=AS_OF)
    exampleorg.write_csv_folder(export, tmp / "export")
    import_export(
        hb,
        folder=tmp / "export",
        org_id=export.org_id,
        org_name=export.org_name,
        as_of=AS_OF,
        principal=SYSTEM,
    )
    auth.create_user(
        hb, SYSTEM, username="hr", password=PASSWORD, role=Role.HR, org_ids=(export.org_id,)
    )
    with serve(create_app(settings, hb=hb)) as url:
        yield url, export.org_id
    hb.close()


def test_pay_survey_end_to_end(server: tuple[str, str], browser: object, tmp_path: Path) -> None:
    base, org_id = server
    shots = Path(os.environ.get("HALLBAR_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    page.set_default_timeout(120_000)  # the machine is shared: be patient, not flaky
    page.goto(base + "/login")
    page.fill("#username", "hr")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")

    # 1. Create the survey from the navigation link.
    page.click("text=Lönekartläggning")
    page.fill("#year", "2025")
    page.fill("#survey_date", "2025-12-31")
    page.fill("#participants", "Kommunal och Vision deltog i arbetsvärderingen och analysen.")
    page.click("text=Starta kartläggningen")
    page.wait_for_url(f"{base}/paysurvey/{org_id}/2025")
    assert page.locator("h1").inner_text() == "Lönekartläggning 2025"

    # 2. Evaluation: one row by hand (HTMX), the rest through Excel export and import.
    page.click("nav.ps-steps >> text=Arbetsvärdering")
    page.wait_for_url("**/evaluation")
    first = page.locator("table.ps-grid tbody tr").first
    for box in first.locator("input[name^=s_]").all():
        box.fill("3")
    first.locator("button").click()
    page.locator("table.ps-grid tbody tr").first.locator(".ps-saved").wait_for()
    assert "500" in page.locator("table.ps-grid tbody tr").first.inner_text()
    with page.expect_download() as dl:
        page.click("text=Exportera rutnätet till Excel")
    wb = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    ws = wb["Arbetsvärdering"]
    for row in range(2, ws.max_row + 1):
        for col in range(2, ws.max_column + 1):
            # a spread of values so that jobs fall in several bands
            ws.cell(row, col).value = 1 + (row * 7 + col * 3) % 5
    buf = io.BytesIO()
    wb.save(buf)
    grid = tmp_path / "ifylld.xlsx"
    grid.write_bytes(buf.getvalue())
    page.set_input_files("#file", str(grid))
    page.click("button:has-text('Importera')")
    page.wait_for_url("**/evaluation?importerade=*")
    assert "befattningar importerades" in page.content()
    page.screenshot(path=str(shots / "arbetsvardering.png"), full_page=True)

    # 3. Comparisons with filters.
    page.click("nav.ps-steps >> text=Jämförelser")
    page.wait_for_url("**/comparisons")
    page.locator("#tabell-lika_arbete").wait_for()
    page.check("input[name=bara_skillnader]")
    page.click("form.filters button")
    page.wait_for_url("**bara_skillnader=true**")
    page.screenshot(path=str(shots / "jamforelser.png"), full_page=False)

    # 4. Statistics with another reference.
    page.click("nav.ps-steps >> text=Statistik")
    page.wait_for_url("**/statistics")
    page.select_option("#referens", "cotton")
    page.click("text=Räkna om")
    page.wait_for_url("**referens=cotton")
    assert "Oaxaca" in page.content()
    page.screenshot(path=str(shots / "statistik.png"), full_page=True)

    # 5. A pay-structure picture.
    page.click("nav.ps-steps >> text=Lönestruktur")
    page.wait_for_url("**/structure")
    page.click("text=Visa lönebild")
    page.wait_for_url("**/structure/job?befattning=*")
    assert page.locator("svg[role=img] circle").count() > 0
    assert (page.locator("svg title").first.text_content() or "").startswith("Lön mot ålder")
    page.screenshot(path=str(shots / "lonestruktur.png"), full_page=True)

    # 6. Record an adjustment for the largest flagged difference.
    page.click("nav.ps-steps >> text=Åtgärder")
    page.wait_for_url("**/actions")
    page.locator("table.data tbody tr").first.locator("a").click()
    page.wait_for_url("**skillnad=*")
    page.check("input[value=justering]")
    page.fill("#reason", "Lönen justeras eftersom skillnaden saknar saklig förklaring.")
    page.fill("#amount", "1000")
    page.fill("#timetable", "2029-06-30 1000")
    page.click("text=Spara beslutet")
    page.locator(".alert-error").wait_for()
    assert "inom tre år" in page.locator(".alert-error").inner_text()  # deadline 2028-12-31
    page.fill("#timetable", "2026-04-01 500\n2027-04-01 500")
    page.click("text=Spara beslutet")
    page.wait_for_url("**/actions?sparad=1")
    assert "16 818" in page.locator(".cards").inner_text().replace("\u202f", " ")
    page.screenshot(path=str(shots / "atgarder.png"), full_page=False)

    # 7. EU report.
    page.click("nav.ps-steps >> text=EU-rapport")
    page.wait_for_url("**/transparency")
    assert "250 eller fler anställda" in page.content() or "anställda" in page.content()
    page.screenshot(path=str(shots / "eu.png"), full_page=False)

    # 8. The written documentation.
    page.click("text=Skriftlig dokumentation")
    page.wait_for_url("**/document")
    text = page.content()
    for section in (
        "Samverkan med arbetstagarorganisationerna",
        "Lönejusteringar, kostnad och tidsplan",
        "Utvärdering av förra årets åtgärder",
        "Definitioner",
    ):
        assert section in text
    assert "Kommunal och Vision" in text
    page.screenshot(path=str(shots / "dokumentation.png"), full_page=False)
    with page.expect_download() as dl:
        page.click("text=Ladda ner som Excel")
    book = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert book.sheetnames[0] == "Dokumentation"
    page.emulate_media(media="print")
    assert not page.locator("nav.doc-links").is_visible()  # screen-only links are not printed
    page.pdf(path=str(shots / "dokumentation.pdf"))
    page.close()
