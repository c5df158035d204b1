"""The follow-up report (goals, activities, indicators, budget) printed to A4 in Chromium.

As for the competence-supply plan (``test_pages_browser.py``), the page is printed with
Chromium's own PDF writer and each page's text read back with pypdf: a column cut off at
the paper's edge is missing from the text. The example plans (``examples/followup``)
have three to four levels, live and manual indicators with charts, document links and a
budget whose summary table has six columns.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browsersite import Site, login, serve
from playwright.sync_api import Page
from pypdf import PdfReader

from hallbar import exampleorg
from hallbar.core.access import SYSTEM
from hallbar.reports.followup_document import BUDGET_COLUMNS
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar
from hallbar.services.followup.examples import EXAMPLES_DIR, load_example
from hallbar.services.imports.importing import import_export
from hallbar.settings import Settings
from hallbar.store import followup
from hallbar.web.app import create_app

pytestmark = pytest.mark.browser

AS_OF = date(2025, 12, 31)
A4_PORTRAIT = (595, 842)  # points
# The printable width: A4's 210 mm less the report's 14 mm margins, in CSS pixels.
PRINT_WIDTH_PX = (210 - 2 * 14) / 25.4 * 96


@pytest.fixture(scope="module")
def report_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Exempelkommun with the example plans (a site of its own: other tests count plans)."""
    tmp = tmp_path_factory.mktemp("followup-print")
    settings = Settings(data_dir=tmp / "data")
    hb = Hallbar(settings)
    export = exampleorg.generate(size=300, seed=2, as_of=AS_OF)
    exampleorg.write_csv_folder(export, tmp / "export")
    import_export(
        hb,
        folder=tmp / "export",
        org_id=export.org_id,
        org_name=export.org_name,
        as_of=AS_OF,
        principal=SYSTEM,
    )
    passwords = {name: pw for name, _, pw in auth.create_demo_users(hb, export.org_id)}
    with serve(create_app(settings, hb=hb)) as url:
        yield Site(url, hb, export.org_id, passwords, "", "", tmp / "export")
    hb.close()


def _flat(text: str) -> str:
    """Text as one line; a word broken after its hyphen (HR-|strateg) joined again."""
    return " ".join(re.sub(r"-\n", "-", text).split())


def _report_url(site: Site, example: Path) -> str:
    """The report of the example's last followed-up period."""
    spec = json.loads(example.read_text(encoding="utf-8"))
    plan = load_example(site.hb, SYSTEM, site.org_id, example)
    last = spec["uppföljning"][-1]["period"]
    [period] = [p.id for p in followup.periods(site.hb.store, plan.id) if p.name == last]
    return f"{site.url}/followup/{site.org_id}/plans/{plan.id}/report?period={period}"


@pytest.mark.parametrize("example", sorted(EXAMPLES_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_the_follow_up_report_prints_on_a4(page: Page, report_site: Site, example: Path) -> None:
    site = report_site
    url = _report_url(site, example)
    login(page, site, "hr")
    page.goto(url)
    page.emulate_media(media="print")
    # Groups as the browser lays them out for print: a node's heading and its last line.
    sections = [
        [line for line in s.split("\n") if line.strip()]
        for s in page.locator("section.node").all_inner_texts()
    ]
    budget_rows = [
        [_flat(t) for t in r.locator("td").all_inner_texts()]
        for r in page.locator("h2:has-text('sammandrag') + table tbody tr").all()
    ]
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    raw = [p.extract_text() for p in pdf.pages]
    texts = [_flat(text) for text in raw]
    assert sizes == {A4_PORTRAIT}
    # A date is never broken over two lines ("2025-11-" and "01" read as two dates).
    assert not [t for t in raw if re.search(r"\d{4}-(\d\d-)?\n\d", t)]
    assert sections, "the report shows the plan's rows"

    # Nothing wider than the paper: every box ends inside the printable width.
    page.set_viewport_size({"width": int(PRINT_WIDTH_PX), "height": 1000})
    too_wide = page.evaluate(
        """limit => [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > limit + 0.5)
            .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60))""",
        PRINT_WIDTH_PX,
    )
    assert too_wide == []

    # Each group (a goal, sub-goal or activity with its indicators, charts and budget) on
    # one page: its heading and its last line are printed on the same page.
    for lines in sections:
        heading, last = _flat(lines[0]), _flat(lines[-1])
        on = [i for i, text in enumerate(texts) if heading in text]
        assert len(on) == 1, (heading, on)
        assert last in texts[on[0]], (heading, last)

    # The budget summary: every column's header and every row whole, its last column too.
    if budget_rows:
        summary = next(i for i, t in enumerate(texts) if "sammandrag" in t)
        printed = " ".join(texts[summary:])
        for header in BUDGET_COLUMNS:
            assert header in texts[summary], header
        for title, *amounts in budget_rows:  # a title may wrap in its cell; amounts do not
            assert title in printed and " ".join(amounts) in printed, (title, amounts)
