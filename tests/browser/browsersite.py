"""Browser test helpers: Chromium settings, the running site, logging in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hallbar.services.context import Hallbar

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Site:
    url: str
    hb: Hallbar
    org_id: str
    passwords: dict[str, str]
    manager_unit: str
    foreign_unit: str  # a unit outside the manager's subtree
    export_dir: Path


def login(page: object, site: Site, username: str) -> None:
    page.goto(site.url + "/login")  # type: ignore[attr-defined]
    page.get_by_label("Användarnamn").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Lösenord").fill(site.passwords[username])  # type: ignore[attr-defined]
    page.get_by_role("button", name="Logga in").click()  # type: ignore[attr-defined]
    page.wait_for_url(site.url + "/")  # type: ignore[attr-defined]
