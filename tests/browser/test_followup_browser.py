"""End-to-end: a follow-up plan built, followed up and reported in Chromium.

On Exempelkommun (300 employees) HR creates a plan with three levels (goal,
sub-goal, activity), links two live key figures and one manual indicator,
follows the activity up in tertial 1, makes the next period's report with one
click, follows up tertial 2, and downloads the Word report, whose text is
compared with a snapshot. The page must also fit a 390 px wide phone.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from browsersite import Site, login, shot
from playwright.sync_api import Locator, Page, expect
from syrupy.assertion import SnapshotAssertion

from hallbar.reports.followup_document import docx_text

pytestmark = pytest.mark.browser


def _new_node(page: Page, base: str, title: str, kind: str, parent: str | None) -> None:
    form = page.locator(f'form[action="{base}/nodes"]')
    form.get_by_label("Rubrik").fill(title)
    form.get_by_label("Typ").select_option(label=kind)
    if parent:
        form.get_by_label("Ligger under").select_option(label=parent)
    form.get_by_role("button", name="Lägg till rad").click()
    expect(page.get_by_role("heading", name=title, level=3)).to_be_visible()


def _node(page: Page, title: str) -> Locator:
    return page.locator("li.fu-node").filter(has=page.get_by_role("heading", name=title, level=3))


def _indicator(page: Page, title: str, figure: str, name: str = "", target: str = "") -> None:
    card = _node(page, title)
    card.locator("summary", has_text="Nyckeltal eller indikator").click()
    card.get_by_label("Nyckeltal", exact=True).select_option(label=figure)
    if name:
        card.get_by_label("Namn (krävs för manuell indikator)").fill(name)
    if target:
        card.get_by_label("Mål: värde").fill(target)
    card.get_by_role("button", name="Lägg till indikator").click()


def _follow_up(page: Page, title: str, status: str, comment: str, value: str) -> None:
    card = _node(page, title)
    card.locator("summary", has_text="Följ upp").click()
    card.get_by_label(re.compile("^Status i")).select_option(label=status)
    card.get_by_label("Kommentar: vad har gjorts och vad planeras").fill(comment)
    card.get_by_label("Antal hälsosamtal (värde)").fill(value)
    card.get_by_role("button", name="Spara uppföljning").click()


def _stable(text: str) -> str:
    """Today's date (when the report was made and followed up) as a placeholder."""
    return text.replace(date.today().isoformat(), "ÅÅÅÅ-MM-DD")


def test_followup_plan_two_periods_and_word(
    page: Page, site: Site, tmp_path: Path, snapshot: SnapshotAssertion
) -> None:
    login(page, site, "hr")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning av mål och aktiviteter")
    create = page.locator('form[action$="/plans"]')
    create.get_by_label("Namn", exact=True).fill("Kompetensförsörjning 2025")
    create.get_by_label("Nämnd", exact=True).fill("Personalnämnden")
    create.get_by_label("Första året").fill("2025")
    create.get_by_role("button", name="Skapa plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetensförsörjning 2025")
    base = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]

    _new_node(page, base, "Attraktiv arbetsgivare", "Mål", None)
    _new_node(page, base, "Hälsofrämjande arbetssätt", "Delmål", "Attraktiv arbetsgivare")
    _new_node(page, base, "Hälsosamtal för alla", "Aktivitet", "– Hälsofrämjande arbetssätt")

    _indicator(page, "Attraktiv arbetsgivare", "Total sjukfrånvaro (%)")
    _indicator(page, "Hälsofrämjande arbetssätt", "Andel heltidsanställda (%)")
    _indicator(
        page,
        "Hälsosamtal för alla",
        "Manuell indikator (värde matas in per period)",
        name="Antal hälsosamtal",
        target="40",
    )
    expect(_node(page, "Attraktiv arbetsgivare").locator(".fu-value")).to_contain_text("%")

    # tertial 1
    page.get_by_label("Period", exact=True).select_option(
        label="Tertial 1 2025 (2025-01-01 – 2025-04-30)"
    )
    page.get_by_role("button", name="Visa").click()
    _follow_up(page, "Hälsosamtal för alla", "Risk", "Samtalen har börjat men få är bokade.", "12")
    expect(_node(page, "Hälsosamtal för alla").locator(".fu-status")).to_have_text("Risk")
    expect(_node(page, "Attraktiv arbetsgivare").locator(".fu-status")).to_have_text("Risk")
    shot(page, "followup-01-tertial1")

    # one click: the next period's report, made from this one
    page.get_by_role("button", name="Nästa periods rapport").click()
    expect(page.get_by_role("heading", name="Sammanfattning Tertial 2 2025")).to_be_visible()
    expect(_node(page, "Hälsosamtal för alla")).to_contain_text(
        "Föregående period: Samtalen har börjat men få är bokade."
    )
    _follow_up(page, "Hälsosamtal för alla", "Enligt plan", "Alla enheter har bokat samtal.", "41")
    expect(_node(page, "Attraktiv arbetsgivare").locator(".fu-status")).to_have_text("Enligt plan")

    # the page fits a phone
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.scrollWidth + '/' + e.clientWidth)"
    )
    assert width <= 390, (width, wide)
    shot(page, "followup-02-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as info:
        page.get_by_role("link", name="Rapport som Word").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = _stable(docx_text(io.BytesIO(target.read_bytes()).getvalue()))
    assert "Hälsosamtal för alla" in text and "Alla enheter har bokat samtal." in text
    # The sick leave and the counts in the snapshot are the key-figure overview's for the
    # same export (services.figures.overview: total sick leave 7,06 %, 300 monthly-paid
    # on 2025-11-01), not the follow-up's own computation.
    assert text == snapshot
