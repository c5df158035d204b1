"""Browser tests: the real app under uvicorn on 127.0.0.1, driven by Debian's Chromium.

The site holds Exempelkommun (300 employees) imported through the real import
service and one demo user per role. Chromium must exist (``.ci/run`` installs
it); a missing browser fails the tests rather than skipping them.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import uvicorn

from hallbar import exampleorg
from hallbar.core.access import SYSTEM
from hallbar.services import auth
from hallbar.services.context import Hallbar
from hallbar.services.importing import import_export
from hallbar.services.unitstats import unit_index
from hallbar.settings import Settings
from hallbar.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AS_OF = date(2025, 12, 31)


@dataclass
class Site:
    url: str
    hb: Hallbar
    org_id: str
    passwords: dict[str, str]
    manager_unit: str
    foreign_unit: str  # a unit outside the manager's subtree
    export_dir: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    users = auth.create_demo_users(hb, export.org_id)
    passwords = {name: pw for name, _, pw in users}
    chef = auth.principal_for(hb, next(u.id for u in auth.list_users(hb, SYSTEM) if u.username == "chef"))
    assert chef is not None
    manager_unit = next(iter(chef.unit_ids))
    index = unit_index(hb.dataset(export.org_id))
    foreign = next(u for u in index.names if u not in index.subtree[manager_unit] and index.parent[u] is not None)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, hb=hb), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield Site(
        f"http://127.0.0.1:{port}",
        hb,
        export.org_id,
        passwords,
        manager_unit,
        foreign,
        export_dir,
    )
    server.should_exit = True
    thread.join(timeout=10)
    hb.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
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


def login(page: object, site: Site, username: str) -> None:
    page.goto(site.url + "/login")  # type: ignore[attr-defined]
    page.get_by_label("Användarnamn").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Lösenord").fill(site.passwords[username])  # type: ignore[attr-defined]
    page.get_by_role("button", name="Logga in").click()  # type: ignore[attr-defined]
    page.wait_for_url(site.url + "/")  # type: ignore[attr-defined]
