"""Imports that can be undone and cannot surprise, in the browser (issue 10 item 7).

Each test gets its own site (Exempelkommun, 300 employees, one import) so going
back and forth between imports never changes what other browser tests see.
The "shrunk" upload keeps the unit file and the first 30 rows of the employment
file only: far more than 20 % of persons and employments go, so it needs
confirmation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browsersite import Site, login, serve, shot
from playwright.sync_api import Page, expect

from hallbar import exampleorg
from hallbar.core.access import SYSTEM
from hallbar.services import audit
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import import_export
from hallbar.services.paysurvey import survey
from hallbar.settings import Settings
from hallbar.web.app import create_app

AS_OF = date(2025, 12, 31)
FILES = "Filer (CSV eller Excel)"


@pytest.fixture
def own_site(tmp_path: Path) -> Iterator[Site]:
    settings = Settings(data_dir=tmp_path / "data")
    hb = Hallbar(settings)
    export = exampleorg.generate(size=300, seed=2, as_of=AS_OF)
    export_dir = tmp_path / "export"
    exampleorg.write_csv_folder(export, export_dir)
    import_export(
        hb,
        folder=export_dir,
        org_id=export.org_id,
        org_name=export.org_name,
        as_of=AS_OF,
        principal=SYSTEM,
    )
    users = auth.create_demo_users(hb, export.org_id)
    passwords = {name: pw for name, _, pw in users}
    with serve(create_app(settings, hb=hb)) as url:
        yield Site(url, hb, export.org_id, passwords, "", "", export_dir)
    hb.close()


def _shrunk(site: Site, folder: Path) -> list[Path]:
    folder.mkdir()
    for name, keep in (("enheter.csv", None), ("anstallningar.csv", 31)):
        lines = (site.export_dir / name).read_text(encoding="utf-8-sig").splitlines()
        (folder / name).write_text("\n".join(lines[:keep]) + "\n", encoding="utf-8")
    return sorted(folder.glob("*.csv"))


def _upload(page: Page, site: Site, files: list[Path]) -> None:
    page.goto(f"{site.url}/org/{site.org_id}/imports")
    page.get_by_label(FILES).set_input_files(files)
    page.get_by_role("button", name="Importera").click()


def _headcount_caption(page: Page, site: Site) -> str:
    page.goto(f"{site.url}/org/{site.org_id}")
    return page.locator(".population-caption").first.inner_text()


def _confirm_shrunk_import(page: Page, site: Site, tmp_path: Path) -> int:
    _upload(page, site, _shrunk(site, tmp_path / "liten"))
    expect(page.get_by_role("heading", name="Bekräfta importen")).to_be_visible()
    page.get_by_role("button", name="Bekräfta och spara importen").click()
    expect(page.get_by_role("status").first).to_contain_text("Importen sparades som import 2")
    return 2


def test_an_upload_that_shrinks_the_organisation_is_stored_only_after_confirmation(
    page: Page, own_site: Site, tmp_path: Path
) -> None:
    site = own_site
    login(page, site, "hr")
    _upload(page, site, _shrunk(site, tmp_path / "liten"))
    confirm = page.locator("#confirm-import")
    expect(confirm.get_by_role("heading", name="Bekräfta importen")).to_be_visible()
    expect(confirm).to_contain_text("skiljer sig mycket från den aktiva importen 1")
    table = page.locator("#import-comparison")
    expect(table.get_by_role("row", name=re.compile("^Personer"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Anställningar"))).to_contain_text("−")
    expect(confirm).to_contain_text("Inget är sparat ännu")
    shot(page, "import-bekrafta")
    # Nothing is stored before the confirmation.
    assert [r.id for r in site.hb.store.list_imports(site.org_id)] == [1]

    page.get_by_role("button", name="Bekräfta och spara importen").click()
    expect(page.get_by_role("status").first).to_contain_text("Importen sparades som import 2")
    records = site.hb.store.list_imports(site.org_id)
    assert [(r.id, r.active) for r in records] == [(1, False), (2, True)]
    history = page.locator("section[aria-labelledby=history-heading] tbody tr")
    expect(history.first).to_contain_text("Aktiv")
    shot(page, "import-sparad")


def test_a_cancelled_upload_stores_nothing(page: Page, own_site: Site, tmp_path: Path) -> None:
    site = own_site
    login(page, site, "hr")
    _upload(page, site, _shrunk(site, tmp_path / "liten"))
    page.get_by_role("button", name="Avbryt, spara inget").click()
    expect(page.locator("#import-message")).to_contain_text("Uppladdningen avbröts")
    assert [r.id for r in site.hb.store.list_imports(site.org_id)] == [1]
    assert not any((site.hb.settings.data_dir / "uppladdningar").iterdir())


def test_undo_restores_the_previous_numbers_on_the_organisation_page(
    page: Page, own_site: Site, tmp_path: Path
) -> None:
    site = own_site
    login(page, site, "hr")
    before = _headcount_caption(page, site)
    expect(page.locator("#snapshot-line")).to_contain_text(
        "Uppgifter från import 1 (uttag 2025-12-31), den aktiva importen."
    )
    _confirm_shrunk_import(page, site, tmp_path)
    shrunk = _headcount_caption(page, site)
    assert shrunk != before
    expect(page.locator("#snapshot-line")).to_contain_text("Uppgifter från import 2")

    page.goto(f"{site.url}/org/{site.org_id}/imports")
    page.get_by_role(
        "button", name="Ångra import 2: ta bort den och gör importen före aktiv"
    ).click()
    expect(page.locator("#import-message")).to_contain_text(
        "Import 2 är ångrad och borttagen. Import 1 är aktiv igen."
    )
    assert _headcount_caption(page, site) == before
    expect(page.locator("#snapshot-line")).to_contain_text("Uppgifter från import 1")
    [undone] = audit.entries(site.hb, SYSTEM, action=audit.Action.IMPORT_UNDONE)
    assert (undone.username, undone.org_id) == ("hr", site.org_id)


def test_make_an_earlier_import_active_again(page: Page, own_site: Site, tmp_path: Path) -> None:
    site = own_site
    login(page, site, "hr")
    before = _headcount_caption(page, site)
    _confirm_shrunk_import(page, site, tmp_path)
    page.get_by_role("button", name="Gör import 1 aktiv").click()
    expect(page.locator("#import-message")).to_contain_text("Import 1 är nu aktiv")
    assert _headcount_caption(page, site) == before
    # Import 2 stays and can be made active again.
    page.goto(f"{site.url}/org/{site.org_id}/imports")
    expect(page.get_by_role("button", name="Gör import 2 aktiv")).to_be_visible()


def test_the_pay_survey_page_keeps_its_own_snapshot_after_a_new_import(
    page: Page, own_site: Site, tmp_path: Path
) -> None:
    site = own_site
    survey.create_survey(site.hb, SYSTEM, site.org_id, year=2025, survey_date="2025-11-01")
    login(page, site, "hr")
    page.goto(f"{site.url}/paysurvey/{site.org_id}/2025")
    line = page.locator("#snapshot-line")
    expect(line).to_contain_text("Uppgifter från import 1 (uttag 2025-12-31), den aktiva importen.")
    before = page.locator("main").inner_text()

    _confirm_shrunk_import(page, site, tmp_path)
    page.goto(f"{site.url}/paysurvey/{site.org_id}/2025")
    expect(line).to_contain_text(
        "Uppgifter från import 1 (uttag 2025-12-31), inte den aktiva importen."
    )
    after = page.locator("main").inner_text()
    # The survey's own figures are those of import 1: the page reads the same but for the line.
    assert after.replace("inte den aktiva", "den aktiva") == before
    twin = page.request.get(f"{site.url}/api/paysurvey/{site.org_id}/2025")
    assert twin.status == 200
    assert twin.json()["ogonblicksbilder"] == [
        {"organisation": site.org_id, "import": 1, "uttagsdatum": "2025-12-31", "aktiv": False}
    ]
