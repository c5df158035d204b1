"""The trend in Chromium: a filtered monthly trend of a unit hides the same months in the
page as in its JSON twin (each month decided by that month's disclosure model)."""

from __future__ import annotations

import json

import pytest
from browsersite import Site, login
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_filtered_trend_hides_the_same_months_in_the_page_and_the_json(
    page: Page, site: Site
) -> None:
    login(page, site, "analytiker")
    query = f"enhet={site.manager_unit}&kon=M&nyckeltal=headcount&frekvens=month&ar=2025"
    page.goto(f"{site.url}/api/figures/{site.org_id}/trend?{query}")
    body = json.loads(page.locator("body").inner_text())
    rows = body["tabeller"][0]["rows"]
    months = [r["values"]["Månad"] for r in rows]
    hidden = {r["values"]["Månad"] for r in rows if r["values"]["Antal personer"] is None}
    # Every month of the three years of working time has a row (the example data's).
    assert months == [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]

    page.goto(f"{site.url}/figures/{site.org_id}/trend?{query}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    table = page.locator("table.fig-table").first
    expect(table.locator("tbody tr")).to_have_count(36)
    for row in table.locator("tbody tr").all():
        text = row.inner_text()
        month = text.split()[0]
        assert (".." in text) == (month in hidden), (month, text)
    if len(hidden) < len(months):  # some month shown: the line is drawn
        expect(page.locator("figure.fig-chart svg polyline").first).to_be_visible()
