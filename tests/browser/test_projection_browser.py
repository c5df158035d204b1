"""End-to-end: a workforce projection and the competence-supply plan in Chromium.

On Exempelkommun (300 employees, imported through the import service) HR runs a
projection, changes levers and sees the result change without a reload,
uploads a population forecast (a bad one first), saves two scenarios, compares
them and exports the plan as printable HTML and as Excel. Screenshots of the
key pages go to $HALLBAR_SCREENSHOTS (if set) for a human look.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsersite import Site, login, shot
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _need(page: Page) -> str:
    return page.locator("#kf-need").inner_text()


def _population_csv(path: Path, region: str) -> Path:
    """SCB's wide layout: a title line, then region; ålder; one column per year."""
    years = list(range(2024, 2037))
    lines = ["Folkmängd efter region, ålder och år", "region;ålder;" + ";".join(map(str, years))]
    for age in range(0, 101):
        label = "100+ år" if age == 100 else f"{age} år"
        base = 1000 - 5 * age if age < 100 else 40
        values = [round(base * (1.02 if age >= 80 else 1.0) ** i) for i in range(len(years))]
        lines.append(f"{region} Exempelkommun;{label};" + ";".join(map(str, values)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_projection_levers_scenarios_and_plan(page: Page, site: Site, tmp_path: Path) -> None:
    login(page, site, "hr")
    page.get_by_role("link", name="Personalframskrivning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personalframskrivning")
    expect(page.locator("#proj-summary")).to_contain_text("rekryteringsbehov")
    # the uncertainty band is fetched after the page is shown
    expect(page.locator("#uncertainty")).to_contain_text("P50 (median)", timeout=30_000)
    shot(page, "01-projection")
    base_need = _need(page)
    # one age pyramid, for all occupations, in the key figures' age bands
    pyramid = page.locator("figure.pyramid")
    expect(pyramid).to_have_count(1)
    pyramid.get_by_text("Visa som tabell").click()
    expect(pyramid.locator("table")).to_contain_text("30–49")
    expect(pyramid.locator("table")).to_contain_text("≥50")

    # a lever: retirement two years later lowers the need, without a page load
    page.evaluate("window.__same_page = true")
    page.get_by_label("Senare pension").select_option("2")
    expect(page.locator("#kf-need")).not_to_have_text(base_need, timeout=20_000)
    later_need = _need(page)
    assert page.evaluate("window.__same_page") is True
    expect(page.locator("#wf-heading + figure svg > title")).to_contain_text("åtgärd")
    expect(
        page.get_by_role("table", name=re.compile("Rekryteringsbehov utan åtgärder"))
    ).to_contain_text("Senare pensionering")

    # growth plus 30 % met by other solutions: the other-solutions step appears
    page.get_by_label("Efterfrågan").select_option("growth")
    page.get_by_label("Årlig tillväxt (%)").fill("2")
    page.get_by_label("Andel av ökningen som täcks av andra lösningar (%)").fill("30")
    page.get_by_label("Andel av ökningen som täcks av andra lösningar (%)").press("Tab")
    expect(page.locator("#proj-summary")).to_be_visible()
    expect(
        page.get_by_role("table", name=re.compile("Rekryteringsbehov utan åtgärder"))
    ).to_contain_text("Andra lösningar", timeout=20_000)
    assert _need(page) != later_need
    shot(page, "02-levers")

    # save this as a scenario
    page.get_by_label("Namn", exact=True).fill("Åtgärdspaket")
    page.get_by_label("Beskrivning").fill("Senare pension, 2 % tillväxt, 30 % andra lösningar")
    page.get_by_role("button", name="Spara scenario").click()
    expect(page.get_by_role("status")).to_contain_text("Scenariot Åtgärdspaket är sparat")

    # a second scenario: the defaults
    page.goto(f"{site.url}/projection/{site.org_id}")
    page.get_by_label("Namn", exact=True).fill("Utan åtgärder")
    page.get_by_role("button", name="Spara scenario").click()
    expect(page.get_by_role("table", name=re.compile("Sparade scenarier"))).to_contain_text(
        "Åtgärdspaket"
    )
    shot(page, "03-scenarios")

    # compare the two
    page.get_by_label("Jämför Åtgärdspaket").check()
    page.get_by_label("Jämför Utan åtgärder").check()
    page.get_by_role("button", name="Jämför valda scenarier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämförelse av scenarier")
    totals = page.get_by_role("table").first
    expect(totals).to_contain_text("Åtgärdspaket")
    expect(totals).to_contain_text("Utan åtgärder")
    shot(page, "04-compare")

    # open a saved scenario: the form shows its levers
    page.get_by_role("link", name="Öppna Åtgärdspaket").click()
    expect(page.get_by_label("Senare pension")).to_have_value("2")
    expect(page.get_by_label("Andel av ökningen som täcks av andra lösningar (%)")).to_have_value(
        "30"
    )

    # the plan: choose the scenario, add an activity, export
    page.get_by_role("link", name="Kompetensförsörjningsplan").first.click()
    page.get_by_label("Scenario i planen").select_option(label="Åtgärdspaket")
    page.get_by_role("button", name="Visa").click()
    page.get_by_label("Aktivitet", exact=True).fill("Utbilda vårdbiträden till undersköterskor")
    page.get_by_label("Ansvarig").fill("HR-chef")
    page.get_by_label("Tidsram").fill("2026–2027")
    page.get_by_role("button", name="Spara aktivitet").click()
    expect(page.get_by_role("table", name=re.compile("Aktiviteter"))).to_contain_text("HR-chef")
    shot(page, "05-plan")
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner som Excel").click()
    xlsx = tmp_path / "plan.xlsx"
    info.value.save_as(xlsx)
    sheets = load_workbook(xlsx).sheetnames
    assert sheets[0] == "Definitioner"
    assert "Planerade aktiviteter" in sheets
    with page.context.expect_page() as popup:
        page.get_by_role("link", name="Öppna utskriftsvänlig plan").click()
    doc = popup.value
    doc.wait_for_load_state()
    expect(doc.get_by_role("heading", level=1)).to_contain_text("Kompetensförsörjningsplan")
    expect(doc.get_by_role("heading", name="Planerade aktiviteter", level=2)).to_be_visible()
    expect(doc.locator("body")).to_contain_text("Utbilda vårdbiträden till undersköterskor")
    shot(doc, "06-plan-document")


def test_population_upload_errors_then_success(page: Page, site: Site, tmp_path: Path) -> None:
    login(page, site, "hr")
    page.goto(f"{site.url}/projection/{site.org_id}")
    bad = tmp_path / "befolkning.csv"
    bad.write_text("kommun;år\n9999;2025\n", encoding="utf-8")
    page.get_by_label("Fil med befolkningsprognos").set_input_files(str(bad))
    page.get_by_role("button", name="Ladda upp prognos").click()
    expect(page.locator("#form-error")).to_contain_text("ålder")
    other = _population_csv(tmp_path / "annan.csv", "0114")
    page.get_by_label("Fil med befolkningsprognos").set_input_files(str(other))
    page.get_by_role("button", name="Ladda upp prognos").click()
    expect(page.locator("#form-error")).to_contain_text("inte organisationen")
    good = _population_csv(tmp_path / "prognos.csv", site.org_id)
    page.get_by_label("Fil med befolkningsprognos").set_input_files(str(good))
    page.get_by_role("button", name="Ladda upp prognos").click()
    expect(page.get_by_label("Efterfrågan")).to_have_value("population")
    expect(page.locator("#proj-summary")).to_contain_text("rekryteringsbehov")
    expect(page.get_by_text(re.compile("Befolkningsprognos: 9999"))).to_be_visible()


def test_analyst_sees_results_but_cannot_save(page: Page, site: Site) -> None:
    login(page, site, "analytiker")
    page.goto(f"{site.url}/projection/{site.org_id}")
    expect(page.locator("#proj-summary")).to_contain_text("rekryteringsbehov")
    expect(page.get_by_role("button", name="Spara scenario")).to_have_count(0)
    expect(page.get_by_role("button", name="Ladda upp prognos")).to_have_count(0)
