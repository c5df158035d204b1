"""Pages in Chromium: the competence-supply plan printed to A4, the trend's legend against
its lines, and narrow (390 px) screens.

The plan is printed with Chromium's own PDF writer (``page.pdf``) and each page's text is
read back with pypdf: a column cut off at the paper's edge is missing from the text.
"""

from __future__ import annotations

import io
import re

import pytest
from browsersite import Site, login
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from hallbar.core.access import SYSTEM
from hallbar.services.admin import auth
from hallbar.services.paysurvey import survey

pytestmark = pytest.mark.browser

A4 = {(595, 842), (842, 595)}  # points, portrait and landscape


def _pdf_pages(page: Page) -> list[tuple[tuple[int, int], str]]:
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    return [
        ((round(float(p.mediabox.width)), round(float(p.mediabox.height))), p.extract_text())
        for p in pdf.pages
    ]


def test_the_plan_prints_on_a4(page: Page, site: Site) -> None:
    login(page, site, "hr")
    page.goto(f"{site.url}/projection/{site.org_id}/plan/document")
    groups = page.locator("section.occ h3").all_inner_texts()
    yearly_cols = page.locator("#tabell-projection_yearly thead th").all_inner_texts()
    assert groups and len(yearly_cols) == 8
    pages = _pdf_pages(page)

    assert {size for size, _ in pages} <= A4
    # Two groups share a page; the summary, settings, yearly, waterfall, occupation table,
    # activities and definitions take a page or two each.
    assert len(pages) <= 12 + (len(groups) + 1) // 2, len(pages)

    # The yearly table: every column (need and cost included) and every year's row whole.
    yearly = next(text for _, text in pages if "Rekryteringsbehov per år och orsak" in text)
    flat = " ".join(yearly.split())
    for header in yearly_cols:
        assert " ".join(header.split()) in flat, header
    # A year's row: the year, five counts, the need in FTE (decimal comma), the cost in kr.
    row = re.compile(
        r"20\d\d( −?[\d\u00a0\u202f]+){5} −?[\d\u00a0\u202f]+,\d −?[\d\u00a0\u202f]+ kr"
    )
    assert len([line for line in yearly.splitlines() if row.fullmatch(line)]) == 10

    # The per-occupation table on landscape paper, its last column (the gap) present.
    wide = [text for size, text in pages if size == (842, 595)]
    assert wide and "Gap (behov" in " ".join(wide) and "Alla yrken" in " ".join(wide)

    # Each occupation group whole on one page: heading, figures and activities together.
    for group in groups:
        (text,) = [t for _, t in pages if re.search(rf"^{re.escape(group)}$", t, re.M)]
        after = text.split(group, 1)[1]
        assert "Personal vid start" in after and "Planerade aktiviteter" in after, group


def test_trend_legend_names_the_lines_in_their_colours(page: Page, site: Site) -> None:
    login(page, site, "hr")
    page.goto(f"{site.url}/figures/{site.org_id}/trend?dela=unit_id")
    # Until every month has its disclosure model the page says how far it has come and
    # refreshes itself (docs/privacy.md, "Time series"); the chart comes after.
    svg = page.locator("figure.fig-chart svg").first
    expect(svg).to_be_visible(timeout=120_000)
    legend = {
        g.get_attribute("data-serie"): g.locator("rect").get_attribute("fill")
        for g in svg.locator("g.hb-legend-item").all()
    }
    lines = svg.locator("polyline[data-serie], circle[data-serie]").all()
    drawn: dict[str, set[str]] = {}
    for el in lines:
        name = el.get_attribute("data-serie") or ""
        colour = el.get_attribute("stroke") or el.get_attribute("fill") or ""
        drawn.setdefault(name, set()).add(colour)
        title = el.locator("title")
        if title.count():
            assert (title.text_content() or "").startswith(f"{name}, ")
    assert len(legend) >= 3 and "Totalt" in legend
    assert set(drawn) == set(legend)  # every name in the legend has a line, and back
    assert all(colours == {legend[name]} for name, colours in drawn.items())
    assert len(set(legend.values())) == len(legend)  # no two series share a colour
    # No legend name runs past the chart's right edge.
    width = float((svg.get_attribute("viewBox") or "0 0 0 0").split()[2])
    right = svg.evaluate(
        "s => Math.max(...Array.from(s.querySelectorAll('g.hb-legend-item text'))"
        ".map(t => t.getBBox().x + t.getBBox().width))"
    )
    assert right <= width


NARROW_PAGES = (
    "/figures/{org}",
    "/figures/{org}/kvinnor-man",
    "/figures/{org}/sjukfranvaro",
    "/figures/{org}/prioriterat",
    "/paysurvey/{org}/{year}/comparisons",
    "/org/{org}",
    "/org/{org}/unit/{unit}",
)


def _pay_survey(site: Site, year: int) -> None:
    """A started pay survey, so that its comparisons page has tables."""
    hr = auth.principal_for(
        site.hb, next(u.id for u in auth.list_users(site.hb, SYSTEM) if u.username == "hr")
    )
    assert hr is not None
    if year not in {s.year for s in survey.list_surveys(site.hb, hr, site.org_id).surveys}:
        survey.create_survey(
            site.hb, hr, site.org_id, year=year, survey_date=f"{year}-12-31", participants=""
        )


def test_narrow_screens_scroll_inside_tables(browser: object, site: Site) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        _pay_survey(site, 2025)
        login(page, site, "hr")
        for path in NARROW_PAGES:
            url = site.url + path.format(org=site.org_id, year=2025, unit=site.manager_unit)
            response = page.goto(url)
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"{path}: {width} px"
    finally:
        context.close()
