"""End-to-end: log in as each role, upload good and bad files, navigate the tree, scope limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsersite import Site, login
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROLE_LABELS = {
    "admin": "Administratör",
    "hr": "HR",
    "chef": "Chef",
    "analytiker": "Analytiker",
    "regional": "Regional analytiker",
}


@pytest.mark.parametrize("username", list(ROLE_LABELS))
def test_login_as_each_role(page: Page, site: Site, username: str) -> None:
    login(page, site, username)
    expect(page.locator(".account .who")).to_contain_text(f"({ROLE_LABELS[username]})")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start")
    admin_link = page.get_by_role("link", name="Användare")
    if username == "admin":
        expect(admin_link).to_be_visible()
        expect(page.get_by_role("link", name="Organisationsträd")).to_have_count(0)
    else:
        expect(admin_link).to_have_count(0)
        page.get_by_role("link", name="Organisationsträd").first.click()
        expect(page.locator(".card-value").first).not_to_be_empty()
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_wrong_password_shows_an_error(page: Page, site: Site) -> None:
    page.goto(site.url + "/login")
    page.get_by_label("Användarnamn").fill("hr")
    page.get_by_label("Lösenord").fill("fel lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")


def test_navigate_the_tree_with_htmx(page: Page, site: Site) -> None:
    # Any script error or Content-Security-Policy violation shows up as a console error.
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    login(page, site, "hr")
    page.goto(f"{site.url}/org/{site.org_id}")
    top_toggle = page.locator(".sidebar .tree-toggle").first
    # the current (top) unit is shown open, its children listed
    expect(top_toggle).to_have_attribute("aria-expanded", "true")
    # open a collapsed child: its children are fetched with HTMX
    controls = page.locator(".sidebar .tree-toggle[aria-expanded=false]").first.get_attribute(
        "aria-controls"
    )
    closed = page.locator(f'.sidebar .tree-toggle[aria-controls="{controls}"]')
    closed.click()
    expect(closed).to_have_attribute("aria-expanded", "true")
    grandchildren = page.locator(f'[id="{controls}"] a')
    expect(grandchildren.first).to_be_visible()
    name = grandchildren.first.inner_text()
    grandchildren.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".breadcrumbs")).to_contain_text("Exempelkommun")
    # the new page shows the tree open down to the current unit
    expect(page.locator('.sidebar a[aria-current="page"]')).to_have_text(name)
    # collapsing hides the children without a new request
    top_toggle = page.locator(".sidebar .tree-toggle").first
    top_toggle.click()
    expect(top_toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator('.sidebar a[aria-current="page"]')).to_be_hidden()
    assert console_errors == []


def test_keyboard_skip_link_and_focus(page: Page, site: Site) -> None:
    login(page, site, "analytiker")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip).to_be_focused()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_manager_cannot_reach_another_unit(page: Page, site: Site) -> None:
    login(page, site, "chef")
    page.goto(f"{site.url}/org/{site.org_id}")
    # the tree starts at the manager's own unit
    top_links = page.locator(".sidebar > ul.tree > li > .tree-node a")
    expect(top_links).to_have_count(1)
    response = page.goto(f"{site.url}/org/{site.org_id}/unit/{site.foreign_unit}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("finns inte eller så saknar du behörighet")
    api = page.goto(f"{site.url}/api/org/{site.org_id}/unit/{site.foreign_unit}/staff")
    assert api is not None and api.status == 404
    own = page.goto(f"{site.url}/org/{site.org_id}/unit/{site.manager_unit}/staff")
    assert own is not None and own.status == 200


def test_upload_bad_then_good_files(page: Page, site: Site, tmp_path: Path) -> None:
    login(page, site, "hr")
    page.goto(f"{site.url}/org/{site.org_id}/imports")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importer för Exempelkommun")
    files = sorted(site.export_dir.glob("*.csv"))
    # bad: a broken date in the employments file
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    for f in files:
        text = f.read_text(encoding="utf-8-sig")
        if f.name == "anstallningar.csv":
            lines = text.splitlines()
            header = lines[0].split(";")
            cells = lines[1].split(";")
            cells[header.index("startdatum")] = "2025-13-45"
            lines[1] = ";".join(cells)
            text = "\n".join(lines) + "\n"
        (bad_dir / f.name).write_text(text, encoding="utf-8")
    page.get_by_label("Filer (CSV eller Excel)").set_input_files(sorted(bad_dir.glob("*.csv")))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("heading", name="Valideringsrapport")).to_be_visible()
    report = page.locator(".report table")
    expect(report).to_contain_text("anstallningar.csv")
    expect(report).to_contain_text("startdatum")
    imports_before = len(site.hb.store.list_imports(site.org_id))
    # good: the untouched export
    page.get_by_label("Filer (CSV eller Excel)").set_input_files(files)
    page.get_by_label("Uttagsdatum").fill("2025-12-31")
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"Importen sparades som import \d+")
    )
    assert len(site.hb.store.list_imports(site.org_id)) == imports_before + 1
    expect(page.locator("section[aria-labelledby=history-heading] tbody tr").first).to_contain_text(
        "hr"
    )


def test_a_kept_page_carries_the_users_own_name_and_token(page: Page, site: Site) -> None:
    # The second visit is served from the page kept for HR's scope (``web.pagecache``):
    # the name shown and the token the logout form and HTMX send are this session's.
    login(page, site, "hr")
    for _ in range(2):
        page.goto(f"{site.url}/figures/{site.org_id}")
        expect(page.locator(".account .who")).to_contain_text("hr (HR)")
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
