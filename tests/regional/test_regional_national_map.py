"""The maps of all Sweden: 290 municipalities and 21 regions, as pages with JSON twins.

Expected numbers come from Statistics Sweden's lists (290 municipalities, 21 counties
with the codes below) and from the network's membership (Skånes Kommuner: 33
municipalities of which the regional test installation imports three), not from the
code under test.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from regionalenv import MEMBERS, login, make_regional, user_id

from hallbar.ingest.boundaries import county_areas
from hallbar.regional.geo import CLASS_COLOURS, HIDDEN_FILL, NO_MEMBER_FILL
from hallbar.regional.networks import Network, NetworkKind
from hallbar.services.context import Hallbar
from hallbar.store import regional
from hallbar.web.app import create_app

# SCB's county codes (län): 21 counties, each the code of its region.
SCB_COUNTIES = {
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
}  # fmt: skip
IMPORTED = {code for code, _, _ in MEMBERS}  # 1262, 1282, 1281


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hallbar, object]]:
    hb, _ = make_regional(tmp_path_factory.mktemp("regionalmap"))
    yield hb, create_app(hb.settings, hb=hb)
    hb.close()


def _fills(svg: str) -> dict[str, str]:
    return dict(
        (code, fill)
        for fill, code in re.findall(r'<path d="[^"]*" fill="([^"]+)"[^>]*data-code="(\d+)"', svg)
    )


def test_counties_are_scbs_21() -> None:
    areas = county_areas()
    assert {a.code for a in areas} == SCB_COUNTIES
    assert next(a.name for a in areas if a.code == "12") == "Skåne län"
    assert all(a.polygons for a in areas)


def test_municipality_map_draws_all_290_with_members_by_class(env: tuple[Hallbar, object]) -> None:
    _, app = env
    client = login(app, "regional")
    page = client.get("/regional/skanes-kommuner/karta?ar=2024")
    assert page.status_code == 200
    fills = _fills(page.text)
    assert len(fills) == 290
    coloured = {c for c, f in fills.items() if f in CLASS_COLOURS}
    hidden = {c for c, f in fills.items() if f == HIDDEN_FILL}
    grey = {c for c, f in fills.items() if f == NO_MEMBER_FILL}
    assert coloured == IMPORTED  # the three members with data and consent
    assert len(hidden) == 33 - 3 and all(c.startswith("12") for c in hidden)
    assert len(grey) == 290 - 33
    # The legend names the classes and the hatched and grey areas.
    assert "Medlem som inte visas" in page.text and "Ingår inte i nätverket" in page.text
    # The regional analyst has no consent to open members' own pages: a click leads to
    # the member's row in the network's table.
    assert (
        '<a href="/regional/skanes-kommuner?nyckeltal=sick_leave_total&amp;ar=2024#medlem-1281">'
        in page.text
    )
    twin = client.get("/api/regional/skanes-kommuner/karta?ar=2024").json()
    assert twin["sida"] == "regional.map"
    assert twin["karta"]["omraden"] == 290 and len(twin["karta"]["medlemmar_pa_kartan"]) == 33
    assert set(twin["karta"]["lankar"]) == IMPORTED
    # The same numbers as the network's figure page.
    figure = client.get("/api/regional/skanes-kommuner?ar=2024").json()
    assert twin["medlemmar"] == figure["medlemmar"] and twin["vagt_medel"] == figure["vagt_medel"]


def test_hr_of_a_member_clicks_through_to_its_own_figures(env: tuple[Hallbar, object]) -> None:
    _, app = env
    page = login(app, "hrlund").get("/regional/skanes-kommuner/karta?ar=2024")
    assert page.status_code == 200
    assert '<a href="/figures/1281">' in page.text  # the own organisation
    assert '<a href="/figures/1282">' not in page.text  # Landskrona: no consent to open it
    assert 'stroke="#c05a00"' in page.text  # the own organisation outlined


def test_region_map_draws_21_regions(env: tuple[Hallbar, object]) -> None:
    hb, app = env
    net = Network("skane-samverkan", "Samverkan i Skåne", NetworkKind.USER, ("12", "1281"))
    regional.save_network(hb.store, net, created_by="test")
    regional.add_viewer(hb.store, user_id(hb, "regional"), net.id)
    client = login(app, "regional")
    page = client.get("/regional/skane-samverkan/karta?niva=regioner&ar=2024")
    assert page.status_code == 200
    fills = _fills(page.text)
    assert set(fills) == SCB_COUNTIES
    assert fills["12"] == HIDDEN_FILL  # Region Skåne: a member without consent or data
    assert sum(f == NO_MEMBER_FILL for f in fills.values()) == 20
    # The same network on the municipality map: Lund has not consented to this network.
    lund = _fills(client.get("/regional/skane-samverkan/karta?ar=2024").text)["1281"]
    assert lund == HIDDEN_FILL


def test_map_messages(env: tuple[Hallbar, object]) -> None:
    _, app = env
    client = login(app, "regional")
    none = client.get("/regional/skanes-kommuner/karta?niva=regioner&ar=2024")
    assert none.status_code == 200
    assert "Nätverket har inga regioner att visa på kartan." in none.text
    bad = client.get("/regional/skanes-kommuner/karta?niva=lan")
    assert bad.status_code == 400
    assert "Okänd kartnivå 'lan'. Välj 'kommuner' eller 'regioner'." in html.unescape(bad.text)
    assert login(app, "regional2").get("/regional/skanes-kommuner/karta").status_code == 404
