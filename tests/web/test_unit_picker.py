"""The unit picker: a few units near the chosen one, any other by search; compressed pages.

Test data: tests/web/orgdata.py (Testkommun 9999: TOP › A › A1, A2 and TOP › B › B1).
The manager ``chef`` manages A and sees A, A1 and A2.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from webtesting import HR, MANAGER, WebEnv

from hallbar.core.access import Resource
from hallbar.services.scope import open_scope, search_units, unit_picker


def test_the_picker_lists_the_way_up_the_unit_and_its_children(shared_env: WebEnv) -> None:
    scope = open_scope(shared_env.hb, HR, "9999", Resource.FIG_FIGURES)
    # No unit chosen: the top unit and the level below it (children sorted by name).
    assert [u for u, _ in scope.unit_picker] == ["TOP", "A", "B"]
    index, visible = scope.index, scope.visible
    chosen = unit_picker(index, visible, "A")
    assert chosen == (
        ("TOP", "Kommunledning"),
        ("A", "\u2003Förvaltning A"),
        ("A1", "\u2003\u2003Hemtjänst Norr"),
        ("A2", "\u2003\u2003Hemtjänst Syd"),
    )
    # A manager's picker starts at the own unit, never above it.
    own = open_scope(shared_env.hb, MANAGER, "9999", Resource.FIG_FIGURES)
    assert [u for u, _ in own.unit_picker] == ["A", "A1", "A2"]


def test_search_finds_visible_units_by_name_only(shared_env: WebEnv) -> None:
    hb = shared_env.hb
    found = search_units(hb, HR, "9999", "hemtjänst")
    assert [h.unit_id for h in found.hits] == ["A1", "A2"]  # "Hemtjänst Norr" < "… Syd"
    assert found.hits[0].path_sv == "Kommunledning › Förvaltning A"
    assert found.total == 2
    # Case and spacing are ignored; names starting with the words come first.
    assert [h.unit_id for h in search_units(hb, HR, "9999", "  FÖRVALTNING  ").hits] == ["A", "B"]
    # The manager sees A's subtree only: Skola Väst (B1) is not found, and the path
    # stops at the manager's own unit.
    assert search_units(hb, MANAGER, "9999", "skola").hits == ()
    hits = search_units(hb, MANAGER, "9999", "norr").hits
    assert [(h.unit_id, h.path_sv) for h in hits] == [("A1", "Förvaltning A")]
    # An empty search gives the top of what the user may see.
    assert [h.unit_id for h in search_units(hb, MANAGER, "9999", "").hits] == ["A"]


def test_search_fragment_links_back_with_the_page_fields(shared_env: WebEnv) -> None:
    client = shared_env.client("hr")
    r = client.get(
        "/org/9999/enheter",
        params={"q": "skola", "till": "/figures/9999/sjukfranvaro", "ar": "2025", "enhet": "A"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert "<html" not in r.text  # a fragment for HTMX
    (href,) = [part.split('"')[0] for part in r.text.split('href="')[1:]]
    url = urlsplit(href.replace("&amp;", "&"))
    assert url.path == "/figures/9999/sjukfranvaro"
    assert parse_qs(url.query) == {"ar": ["2025"], "enhet": ["B1"]}


def test_search_page_works_without_javascript_and_refuses_other_sites(
    shared_env: WebEnv,
) -> None:
    client = shared_env.client("hr")
    page = client.get("/org/9999/enheter", params={"q": "norr", "till": "//evil.example/x"})
    assert page.status_code == 200 and "<form" in page.text
    assert 'href="/figures/9999?enhet=A1"' in page.text  # not the other host
    assert "evil.example" not in page.text


def test_search_has_a_json_twin(shared_env: WebEnv) -> None:
    body = shared_env.client("hr").get("/api/org/9999/enheter", params={"q": "syd"}).json()
    assert body["ok"] is True
    assert [h["unit_id"] for h in body["hits"]] == ["A2"]
    assert body["total"] == 1


def test_figure_pages_list_a_few_units_not_all(shared_env: WebEnv) -> None:
    page = shared_env.client("hr").get("/figures/9999", params={"enhet": "B"}).text
    picker = page.split('id="f-enhet"')[1].split("</select>")[0]
    options = [part.split('"')[0] for part in picker.split('<option value="')[1:]]
    assert options == ["", "TOP", "B", "B1"]  # "" = the whole organisation
    assert 'hx-get="/org/9999/enheter"' in page


def test_pages_are_compressed_when_the_browser_accepts_it(shared_env: WebEnv) -> None:
    r = shared_env.client("hr").get("/org/9999", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
