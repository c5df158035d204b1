"""The projection on a 390 px wide phone: the settings panel does not cover the result, the
page does not scroll sideways, and "Årlig tillväxt" is only open when demand grows."""

from __future__ import annotations

import pytest
from browsersite import Site, login, shot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Elements that stick out of the page and sit in no box that scrolls or clips them.
WIDE_ELEMENTS = """() => {
  const w = document.documentElement.clientWidth;
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') { return true; }
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > w + 1 && !clipped(e))
    .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id
      + ' ' + Math.round(e.getBoundingClientRect().right));
}"""


def _covered(page: Page, selector: str) -> bool:
    """Whether the form lies on top of the element's centre (scrolled into view)."""
    page.locator(selector).scroll_into_view_if_needed()
    return bool(
        page.evaluate(
            """(sel) => {
                const r = document.querySelector(sel).getBoundingClientRect();
                const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return top !== null && top.closest('#proj-form') !== null;
            }""",
            selector,
        )
    )


def test_projection_fits_a_phone(browser: object, site: Site) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")  # type: ignore[attr-defined]
    page = context.new_page()
    login(page, site, "hr")
    page.goto(f"{site.url}/projection/{site.org_id}")
    expect(page.locator("#proj-summary")).to_contain_text("rekryteringsbehov")
    expect(page.locator("#uncertainty")).to_contain_text("P50 (median)", timeout=30_000)

    # No sideways scrolling: wide tables scroll inside their own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (width, page.evaluate(WIDE_ELEMENTS))

    # The settings come first and scroll away with the page; the result is not under them.
    form = page.locator("#proj-form").bounding_box()
    result = page.locator("#result").bounding_box()
    assert form is not None and result is not None
    assert form["y"] + form["height"] <= result["y"] + 1
    for selector in ("#proj-summary", "#kf-need", "#year-heading", "#occ-heading"):
        assert not _covered(page, selector), selector
    shot(page, "projection-phone")

    # "Årlig tillväxt" is only open when demand is "growth".
    growth = page.locator("#f-tillvaxt")
    expect(growth).to_be_disabled()
    page.locator("#f-efterfragan").select_option("growth")
    expect(growth).to_be_enabled()
    growth.fill("3")
    growth.press("Tab")
    expect(page.locator("#proj-summary")).to_be_visible()
    page.locator("#f-efterfragan").select_option("unchanged")
    expect(growth).to_be_disabled()

    # Compare the unsaved settings with the base scenario: nothing needs saving first.
    page.get_by_role("link", name="Jämför med grundscenariot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämförelse av scenarier")
    expect(page.locator("main")).to_contain_text("Grundscenario (utan åtgärder)")
    expect(page.locator("main")).to_contain_text("Aktuella inställningar (ej sparade)")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, ("compare", width, page.evaluate(WIDE_ELEMENTS))

    # The plan and the scenario list fit too.
    for path in ("plan", "scenarios"):
        page.goto(f"{site.url}/projection/{site.org_id}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width, page.evaluate(WIDE_ELEMENTS))
    context.close()
