"""The trend in Chromium: a filtered monthly trend of a unit hides the same months in the
page as in its JSON twin (each month decided by that month's disclosure model); a trend
whose months' models are still being built says how far they are, refreshes itself and
shows the series once every month has its model."""

from __future__ import annotations

import json
import threading

import pytest
from browsersite import Site, login
from playwright.sync_api import Page, expect

from hallbar.privacy.model import DisclosureModel
from hallbar.services import disclosure
from hallbar.services.figures import views
from hallbar.services.memo import HbCache
from hallbar.web.routes.figures import TREND_RETRY_S

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


def test_a_trend_whose_models_are_being_built_says_so_and_then_shows_itself(
    page: Page, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No month's own model is built yet (a cache of this test's own), the page builds
    # none itself (as for a large organisation), and the background build waits for the
    # test: the page must show the progress, not a series.
    monkeypatch.setattr(disclosure, "_period_models", HbCache(48, persist="trend-browser-test"))
    monkeypatch.setattr(views, "WAIT_FOR_MODELS_S", 0.0)
    gate = threading.Event()
    build = disclosure._build

    def held(*args: object) -> DisclosureModel:
        if threading.current_thread().name.startswith("period-models"):
            assert gate.wait(60)
        return build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(disclosure, "_build", held)
    login(page, site, "analytiker")
    query = "nyckeltal=fte&frekvens=month&ar=2025"
    opened = page.goto(f"{site.url}/figures/{site.org_id}/trend?{query}")
    # Accepted, not done: a page cache keeps only 200 answers, so the poll gets news.
    assert opened is not None and opened.status == 202
    status = page.locator("#trend-body[role=status]")
    expect(status).to_contain_text("Tidsserien beräknas:")
    expect(status).to_contain_text("av 36 månader klara")
    expect(page.locator("table.fig-table")).to_have_count(0)
    answer = page.request.get(f"{site.url}/api/figures/{site.org_id}/trend?{query}")
    assert answer.status == 202
    assert answer.headers["retry-after"] == str(TREND_RETRY_S)
    body = answer.json()
    assert body["ok"] is False and body["fel"] == "not_ready"
    assert body["detail"].startswith("Tidsserien beräknas:")
    assert body["totalt"] == 36 and "tabeller" not in body
    gate.set()
    # The page asks again by itself and shows the series once every month has its model.
    table = page.locator("table.fig-table").first
    expect(table.locator("tbody tr")).to_have_count(36, timeout=60_000)
    expect(status).to_have_count(0)
    answer = page.request.get(f"{site.url}/api/figures/{site.org_id}/trend?{query}")
    assert answer.status == 200
