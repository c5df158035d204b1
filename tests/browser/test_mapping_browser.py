"""End-to-end: an upload whose columns match no profile, mapped by HR on a page, saved as a
profile and imported; the page fits a 390 px phone with the preview scrolling in its box.

The files are the site's own export with two files renamed and a few headers changed
the way a report generator writes them, so the import replaces the organisation with
the same people and other browser tests see the same data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsersite import Site, login, shot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

UNITS_FILE = "Kostnadsstallen.csv"
EMPLOYMENTS_FILE = "Personalrapport_2025-12.csv"
RENAMED = {
    "enheter.csv": (UNITS_FILE, {"enhet_id": "Kst", "enhetsnamn": "Benämning"}),
    "anstallningar.csv": (
        EMPLOYMENTS_FILE,
        {
            "anstallnings_id": "Löpnr",
            "personnummer": "Pers.nr",
            "enhet_id": "Kst",
            "anstallningsform": "Form",
        },
    ),
}
# The payroll system's own codes for the employment form: TV is known (forkortad.toml),
# Vikarie is not; HR translates it on the page.
FORMS = {"tillsvidare": "TV", "visstid": "Vikarie"}


def _odd_export(site: Site, folder: Path) -> list[Path]:
    folder.mkdir()
    for source in sorted(site.export_dir.glob("*.csv")):
        name, headers = RENAMED.get(source.name, (source.name, {}))
        lines = source.read_text(encoding="utf-8-sig").splitlines()
        header = lines[0].split(";")
        if "anstallningsform" in header and source.name == "anstallningar.csv":
            at = header.index("anstallningsform")
            for n, line in enumerate(lines[1:], start=1):
                cells = line.split(";")
                cells[at] = FORMS.get(cells[at], cells[at])
                lines[n] = ";".join(cells)
        lines[0] = ";".join(headers.get(h, h) for h in header)
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(folder.iterdir())


def _file_section(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("section.mapping-file").filter(
        has=page.get_by_role("heading", name=f"Fil: {name}")
    )


def test_map_unknown_columns_save_profile_and_import(
    page: Page, site: Site, tmp_path: Path
) -> None:
    files = _odd_export(site, tmp_path / "odd")
    imports_before = len(site.hb.store.list_imports(site.org_id))
    login(page, site, "hr")
    page.goto(f"{site.url}/org/{site.org_id}/imports")
    page.get_by_label("Filer (CSV eller Excel)").set_input_files(files)
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("heading", name="Valideringsrapport")).to_be_visible()
    page.get_by_role("link", name="Koppla kolumner").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Koppla kolumner")
    units = _file_section(page, UNITS_FILE)
    employments = _file_section(page, EMPLOYMENTS_FILE)
    # first rows shown, personnummer without their last four digits
    first_rows = employments.get_by_role("region", name=f"De första raderna i {EMPLOYMENTS_FILE}")
    expect(first_rows.locator("thead")).to_contain_text("Löpnr")
    expect(first_rows.locator("tbody tr")).to_have_count(5)
    expect(first_rows.locator("tbody tr").first).to_contain_text(re.compile(r"\d{8}-\*\*\*\*"))
    # the proposal: tables from the file name and the headers, synonyms preselected
    expect(units.get_by_label("Tabell")).to_have_value("units")
    expect(employments.get_by_label("Tabell")).to_have_value("employments")
    expect(units.get_by_label("Enhetens namn")).to_have_value("Benämning")
    expect(employments.get_by_label("Personnummer")).to_have_value("Pers.nr")

    # saving before the ids are mapped names the file and the column
    page.get_by_label("Profilens namn").fill("rapportgenerator")
    page.get_by_role("button", name="Spara profil och importera").click()
    problems = page.locator("#mapping-problems")
    expect(problems).to_contain_text(f"{UNITS_FILE}, kolumn 'enhet_id'")
    expect(problems).to_contain_text(f"{EMPLOYMENTS_FILE}, kolumn 'anstallnings_id'")

    # the page fits a phone: only the preview scrolls sideways, inside its box
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    box = first_rows.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert box[0] > box[1], box  # the wide table scrolls in its container
    shot(page, "mapping-01-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    units = _file_section(page, UNITS_FILE)
    employments = _file_section(page, EMPLOYMENTS_FILE)
    units.get_by_label("Enhetens id i HR-systemet").select_option("Kst")
    employments.get_by_label("Anställningens id").select_option("Löpnr")
    employments.get_by_label("Enhet (enhet_id)").select_option("Kst")
    employments.get_by_label("tillsvidare, visstid eller timavlönad").select_option("Form")
    page.get_by_role("button", name="Spara profil och importera").click()
    # the employment form's own codes: TV is proposed, Vikarie must be translated by hand
    expect(page.locator("#mapping-problems")).to_contain_text(
        f"{EMPLOYMENTS_FILE}, kolumn 'Form': Värdet 'Vikarie' behöver översättas"
    )
    employments = _file_section(page, EMPLOYMENTS_FILE)
    expect(employments.get_by_label("'TV' betyder")).to_have_value("tillsvidare")
    employments.get_by_label("'Vikarie' betyder").select_option("visstid")
    expect(page.get_by_label("Profilens namn")).to_have_value("rapportgenerator")
    page.get_by_role("button", name="Spara profil och importera").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text("Profilen rapportgenerator sparades.")
    expect(status).to_contain_text(re.compile(r"Importen sparades som import \d+"))
    expect(page.locator("pre")).to_contain_text("--profil rapportgenerator")
    assert len(site.hb.store.list_imports(site.org_id)) == imports_before + 1
    assert site.hb.dataset(site.org_id).employments.height > 0
    shot(page, "mapping-02-done")

    # next month: the same export imports directly with the saved profile
    page.get_by_role("link", name="Tillbaka till importerna").click()
    page.get_by_label("Filer (CSV eller Excel)").set_input_files(files)
    page.get_by_label("Importprofil").select_option("rapportgenerator")
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"Importen sparades som import \d+")
    )
    assert len(site.hb.store.list_imports(site.org_id)) == imports_before + 2
