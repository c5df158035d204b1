"""Browser test fixtures: the real app under uvicorn on 127.0.0.1, driven by Debian's Chromium.

The site holds Exempelkommun (300 employees) imported through the real import
service and one demo user per role. Chromium must exist (``.ci/run`` installs
it); a missing browser fails the tests rather than skipping them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browsersite import CHROMIUM, CHROMIUM_ARGS, Site, serve

from hallbar import exampleorg
from hallbar.core.access import SYSTEM
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import import_export, prepare_new_snapshot
from hallbar.services.units import unit_index
from hallbar.settings import Settings
from hallbar.web.app import create_app

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("site")
    settings = Settings(data_dir=tmp / "data")
    hb = Hallbar(settings)
    export = exampleorg.generate(size=300, seed=2, as_of=AS_OF)
    export_dir = tmp / "export"
    exampleorg.write_csv_folder(export, export_dir)
    import_export(
        hb,
        folder=export_dir,
        org_id=export.org_id,
        org_name=export.org_name,
        as_of=AS_OF,
        principal=SYSTEM,
    )
    # What the browser's import runs next as a background task: the key-figure pages and
    # every trend's period models, so a trend shows at once (not "being computed").
    prepare_new_snapshot(hb, export.org_id)
    users = auth.create_demo_users(hb, export.org_id)
    passwords = {name: pw for name, _, pw in users}
    chef = auth.principal_for(
        hb, next(u.id for u in auth.list_users(hb, SYSTEM) if u.username == "chef")
    )
    assert chef is not None
    manager_unit = next(iter(chef.unit_ids))
    index = unit_index(hb.dataset(export.org_id))
    foreign = next(
        u
        for u in index.names
        if u not in index.subtree[manager_unit] and index.parent[u] is not None
    )
    with serve(create_app(settings, hb=hb)) as url:
        yield Site(url, hb, export.org_id, passwords, manager_unit, foreign, export_dir)
    hb.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Module scope: Playwright's sync API allows one running instance per thread, and
    # other browser test modules may start their own.
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")  # type: ignore[attr-defined]
    p = context.new_page()
    yield p
    context.close()
