"""End-to-end in Chromium: an organisation grants consent, the regional analyst sees the
figure and the maps (Skåne, and Sweden's 290 municipalities on a phone), the grant is
revoked and the member disappears from the view, saying so; HR of a member compares its
figure with Kolada on recorded API responses.

Three example municipalities of Skånes Kommuner (imported through the real import
by the regional demo hook); Lund (1281) starts without consent to share key figures.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browsersite import serve, shot
from playwright.sync_api import Page, expect

from hallbar.core.access import SYSTEM
from hallbar.regional.consent import DatasetKind
from hallbar.services.regional import consents
from hallbar.web.app import create_app

sys.path.insert(0, str(Path(__file__).parents[1] / "regional"))
from kolada_recorded import RecordedTransport
from regionalenv import PASSWORD, make_regional

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def regional_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    hb, _ = make_regional(tmp_path_factory.mktemp("regional-site"))
    for grant in consents.consent_page(hb, SYSTEM, "1281").grants:
        if grant.dataset is DatasetKind.KEY_FIGURES:
            consents.revoke_consent(hb, SYSTEM, grant.id, on=date(2025, 6, 30))
    app = create_app(hb.settings, hb=hb)
    app.state.kolada_transport = RecordedTransport()  # never the network
    with serve(app) as url:
        yield url
    hb.close()


def _login(page: Page, url: str, username: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(url + "/")


def _lund_row(page: Page):  # type: ignore[no-untyped-def]
    return page.locator('#rg-members tr[data-code="1281"]')


def _lund_left_out(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("#rg-excluded p").filter(has=page.locator('[data-code="1281"]'))


def test_consent_given_seen_and_revoked(browser: object, regional_site: str) -> None:
    url = regional_site
    regional = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")  # type: ignore[attr-defined]
    hr = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")  # type: ignore[attr-defined]
    analyst, lund_hr = regional.new_page(), hr.new_page()

    # Before: Lund does not share, and Lomma's men in 2025 are too few to show, so only
    # Landskrona is in the means (Lomma is left out of the whole sick-leave table).
    _login(analyst, url, "regional")
    analyst.get_by_role("link", name="Regionalt").click()
    analyst.get_by_role("link", name="Skånes Kommuner").click()
    expect(analyst.get_by_role("heading", level=1)).to_have_text("Total sjukfrånvaro 2025")
    expect(_lund_row(analyst)).to_have_count(0)
    expect(_lund_left_out(analyst)).to_contain_text("Har inte samtyckt")
    expect(analyst.locator(".rg-meta")).to_contain_text("1 av 33 medlemmar ingår")
    expect(
        analyst.locator("#rg-excluded p").filter(has=analyst.locator('[data-code="1262"]'))
    ).to_contain_text("för liten")

    # Lund's HR grants consent for key figures.
    _login(lund_hr, url, "hrlund")
    lund_hr.goto(url + "/regional/samtycke/1281")
    expect(lund_hr.get_by_role("heading", level=1)).to_have_text("Samtycke att dela – Lund")
    lund_hr.get_by_label("Nätverk").select_option("skanes-kommuner")
    lund_hr.get_by_label("Uppgifter").select_option("nyckeltal")
    lund_hr.get_by_role("button", name="Ge samtycke").click()
    expect(lund_hr.get_by_role("status")).to_contain_text("Samtycket är registrerat")
    shot(lund_hr, "regional-01-consent")

    # The regional analyst sees Lund's figure, with a rank, in the table and the chart.
    analyst.reload()
    expect(analyst.locator(".rg-meta")).to_contain_text("2 av 33 medlemmar ingår")
    expect(_lund_row(analyst).locator("td").first).not_to_have_text("–")
    expect(_lund_left_out(analyst)).to_have_count(0)
    expect(analyst.locator('svg rect[data-code="1281"]')).to_have_count(1)
    # on the map Lund is drawn in a class colour and links to its row
    lund_area = analyst.locator('svg.rg-map path[data-code="1281"]')
    expect(lund_area).not_to_have_attribute("fill", "url(#rg-hidden)")
    expect(analyst.locator('svg.rg-map a[href="#medlem-1281"]')).to_have_count(1)
    shot(analyst, "regional-02-figure-phone")

    # The map of Sweden's 290 municipalities, on the phone: Lund in a class colour, the
    # members without consent hatched, the map no wider than the screen.
    analyst.get_by_role("link", name="Visa på kartan över Sveriges 290 kommuner").click()
    national = analyst.locator("figure.rg-national-map svg")
    expect(national.locator("path[data-code]")).to_have_count(290)
    expect(national.locator('path[data-code="1281"]')).not_to_have_attribute(
        "fill", "url(#rg-hidden)"
    )
    expect(national.locator('path[data-code="1280"]')).to_have_attribute("fill", "url(#rg-hidden)")
    expect(national).to_contain_text("Medlem som inte visas")  # the legend
    box = national.bounding_box()
    assert box is not None and box["width"] <= 390
    assert analyst.evaluate("document.documentElement.scrollWidth") <= 390
    shot(analyst, "regional-02b-sweden-phone")
    # a click on Lund leads to its row in the network's table
    national.locator('a:has(path[data-code="1281"])').click()
    expect(_lund_row(analyst)).to_be_visible()

    # HR revokes; the member disappears from the view and the page says why.
    lund_hr.locator("#rg-ledger tbody tr").filter(has_text="Gäller").filter(
        has_text="Nyckeltal"
    ).get_by_role("button", name="Återkalla").click()
    expect(lund_hr.get_by_role("status")).to_contain_text("Samtycket är återkallat")
    analyst.reload()
    expect(analyst.locator(".rg-meta")).to_contain_text("1 av 33 medlemmar ingår")
    expect(_lund_row(analyst)).to_have_count(0)
    expect(_lund_left_out(analyst)).to_contain_text("Har inte samtyckt")
    expect(analyst.locator('svg rect[data-code="1281"]')).to_have_count(0)
    expect(analyst.locator('svg.rg-map path[data-code="1281"]')).to_have_attribute(
        "fill", "url(#rg-hidden)"
    )
    expect(analyst.locator(".rg-notice")).to_contain_text(
        f"Lund har återkallat sitt samtycke ({date.today().isoformat()})"
    )
    shot(analyst, "regional-03-revoked")
    analyst.goto(url + "/regional/skanes-kommuner/karta")
    expect(analyst.locator('figure.rg-national-map svg path[data-code="1281"]')).to_have_attribute(
        "fill", "url(#rg-hidden)"
    )
    regional.close()
    hr.close()


def test_kolada_side_by_side_on_recorded_responses(browser: object, regional_site: str) -> None:
    url = regional_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")  # type: ignore[attr-defined]
    page = context.new_page()
    _login(page, url, "hrlund")
    page.goto(url + "/regional/kolada/1281?ar=2024&nyckeltal=sick_leave_total")
    expect(page.locator("#rg-kolada-missing")).to_be_visible()  # nothing fetched yet
    page.get_by_role("button", name="Hämta och jämför").click()
    table = page.locator("#rg-kolada")
    expect(table).to_be_visible()
    # The recorded answers (tests/regional/recorded): Lund 6,6, Skåne's unweighted mean
    # 7,3 and similar municipalities 6,2 for N00090, total, 2024.
    expect(table.locator("tr").filter(has_text="Koladas publicerade värde")).to_contain_text("6,6")
    expect(table.locator("tr").filter(has_text="Skånes kommuner (ovägt medel)")).to_contain_text(
        "7,3"
    )
    expect(table.locator("tr").filter(has_text="Liknande kommuner")).to_contain_text("6,2")
    expect(table.locator("caption")).to_contain_text("N00090")
    expect(page.locator(".note")).to_contain_text("Skillnader i definition")
    shot(page, "regional-04-kolada-phone")
    context.close()


def test_competence_supply_leaves_hidden_occupations_out_unnamed(
    browser: object, regional_site: str
) -> None:
    """The supply page sums the members' projections per occupation; an occupation a
    member's own projection hides is left out with one line per member, not named."""
    url = regional_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")  # type: ignore[attr-defined]
    page = context.new_page()
    _login(page, url, "regional")
    page.goto(url + "/regional/skanes-kommuner/kompetensforsorjning")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kompetensförsörjning")
    expect(page.locator("#rg-supply")).to_contain_text("Rekryteringsbehov")
    page.get_by_text("Utelämnade yrken").click()
    lines = page.locator("details li")
    expect(lines.first).to_contain_text("yrken som döljs")
    for text in lines.all_inner_texts():
        assert "yrken som döljs" in text and not any(ch.isdigit() for ch in text.split(":")[0])
    context.close()  # type: ignore[attr-defined]
