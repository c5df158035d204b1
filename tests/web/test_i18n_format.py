"""Swedish formats, the text catalogue and basic accessibility of every page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from webtesting import WebEnv

from hallbar.core import schema
from hallbar.core.access import ROLE_LABELS_SV, Role
from hallbar.services.audit import Action
from hallbar.web.formatting import date_time, iso_date, number, percent
from hallbar.web.i18n import CATALOGUES, Translator
from hallbar.web.rendering import TEMPLATES_DIR

NNBSP, NBSP = "\u202f", "\u00a0"


def test_numbers() -> None:
    assert number(1234.5, 1) == f"1{NNBSP}234,5"
    assert number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert number(-1234) == f"−1{NNBSP}234"
    assert number(0.05, 2) == "0,05"
    assert number(None) == "–"


def test_percent_and_dates() -> None:
    assert percent(7.3) == f"7,3{NBSP}%"
    assert percent(100, 0) == f"100{NBSP}%"
    assert iso_date(date(2025, 11, 1)) == "2025-11-01"
    # 23:30 UTC on 31 October is 00:30 on 1 November in Stockholm (CET, UTC+1)
    assert date_time(datetime(2025, 10, 31, 23, 30, tzinfo=UTC)) == "2025-11-01 00:30"


def _keys_used() -> set[str]:
    keys: set[str] = set()
    for path in TEMPLATES_DIR.rglob("*.html"):
        found = re.findall(r"""\bt\(\s*["']([a-z_.A-Z]+)["']""", path.read_text())
        # "role." ~ value style keys are prefixes; their full keys are listed below
        keys |= {k for k in found if not k.endswith(".")}
    keys |= {f"start.intro.{r.value}" for r in Role}
    keys |= {f"action.{a}" for a in Action.ALL} | {"gender.K", "gender.M"}
    keys |= {f"table.{t.name}" for t in schema.ALL_TABLES}
    keys |= {"error.csrf", "error.login_required", "error.not_found", "error.method"}
    keys |= {"error.too_large", "error.invalid_request"}
    return keys


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_key_exists_in_every_catalogue(language: str) -> None:
    missing = _keys_used() - set(CATALOGUES[language])
    assert not missing


def test_role_names_have_one_home() -> None:
    # Role names live in hallbar.core.access only; the catalogue does not restate them.
    assert not [k for k in CATALOGUES["sv"] if k.startswith("role.")]
    assert set(ROLE_LABELS_SV) == set(Role)


def test_translator_fills_fields() -> None:
    assert Translator()("unit.as_of", date="2025-11-01") == "Uttagsdatum 2025-11-01"


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("hr", "/"),
        ("hr", "/org/9999/unit/A"),
        ("hr", "/org/9999/unit/A/staff"),
        ("hr", "/org/9999/imports"),
        ("admin", "/admin/users"),
        ("admin", "/admin/audit"),
        ("hr", "/account/password"),
    ],
)
def test_pages_have_accessibility_basics(shared_env: WebEnv, user: str, path: str) -> None:
    html = shared_env.client(user).get(path).text
    assert '<html lang="sv">' in html
    assert 'class="skip-link" href="#main"' in html and 'id="main"' in html
    assert "<h1>" in html
    # every header cell says what it heads
    assert not re.search(r"<th(?=[\s>])(?![^>]*scope=)[^>]*>", html)
    # every visible form control has a label
    for control_id in re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*id="([^"]+)"', html):
        assert f'for="{control_id}"' in html, control_id
    # nothing is loaded from another site
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_counts_on_pages_agree_with_their_number() -> None:
    from hallbar.web.formatting import count

    assert count(1, "person", "personer") == f"1{NBSP}person"
    assert count(31, "medarbetare", "medarbetare") == f"31{NBSP}medarbetare"
    assert count(1234, "befattning", "befattningar") == f"1{NNBSP}234{NBSP}befattningar"
    assert count(None, "person", "personer") == "–"
