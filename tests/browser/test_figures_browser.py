"""End-to-end: the key figures in Chromium on Exempelkommun (300 employees).

HR opens the four priority areas, the statutory sick-leave note, downloads its Excel
file, and the women/men comparison; a manager cannot open another unit's figures.
Screenshots of the dashboard and the note go to $HALLBAR_SCREENSHOTS (if set).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browsersite import Site, login, shot
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_hr_dashboard_note_excel_and_women_men(page: Page, site: Site, tmp_path: Path) -> None:
    login(page, site, "hr")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Nyckeltal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyckeltal")
    page.get_by_role("link", name="Fyra prioriterade områden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fyra prioriterade områden")
    for area in (
        "Hållbart heltidsarbete",
        "Hälsa och stressrelaterad ohälsa",
        "Chefers förutsättningar",
    ):
        expect(page.get_by_role("heading", name=area)).to_be_visible()
    expect(page.locator(".fig-panel svg").first).to_be_visible()
    shot(page, "figures-01-dashboard")

    page.get_by_role("link", name="Sjukfrånvaro enligt lag").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sjukfrånvaro enligt lag 2025")
    table = page.locator("#arsredovisning")
    expect(table).to_contain_text("Total sjukfrånvaro")
    expect(table).to_contain_text("N00091")
    expect(table.locator("tbody tr")).to_have_count(7)
    shot(page, "figures-02-note")

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel").click()
    path = tmp_path / "sjukfranvaro.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["Definitioner", "Sjukfrånvaro 2025"]
    labels = [r[0] for r in book["Sjukfrånvaro 2025"].iter_rows(values_only=True)]
    assert "Total sjukfrånvaro" in labels

    page.get_by_role("link", name="Kvinno- och mansdominerat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvinno- och mansdominerade yrken")
    expect(page.locator(".fig-versus-card.women")).to_contain_text("Kvinnodominerat")
    expect(page.locator("table.fig-table")).to_contain_text("Sjukfrånvaro")
    shot(page, "figures-03-women-men")

    page.get_by_role("link", name="Utveckling").click()
    page.get_by_label("Dela upp efter").select_option("gender")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("figure.fig-chart svg polyline").first).to_be_visible()
    shot(page, "figures-04-trend")


def test_manager_cannot_open_another_units_figures(page: Page, site: Site) -> None:
    login(page, site, "chef")
    page.goto(f"{site.url}/figures/{site.org_id}/prioriterat")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fyra prioriterade områden")
    options = page.get_by_label("Enhet (med underenheter)").locator("option")
    values = options.evaluate_all("els => els.map(e => e.value)")
    assert site.foreign_unit not in values and site.manager_unit in values
    response = page.goto(f"{site.url}/figures/{site.org_id}/sjukfranvaro?enhet={site.foreign_unit}")
    assert response is not None and response.status == 404
    expect(page.locator("main")).to_contain_text("Enheten finns inte eller så saknar du behörighet")
    response = page.goto(
        f"{site.url}/figures/{site.org_id}/export/nyckeltal.json?enhet={site.foreign_unit}"
    )
    assert response is not None and response.status == 404
