"""Regional pages and their JSON twins through the web app (TestClient)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from regionalenv import PASSWORD, make_regional

from hallbar.services.context import Hallbar
from hallbar.services.regional.scope import NETWORK_NOT_FOUND
from hallbar.services.twin import failure
from hallbar.web.app import create_app

ENVELOPE = {"ok", "sida", "populationer"}  # tests/web/test_json_twin.py
COUNT_KEYS = {"population", "population_sv", "reference", "n", "omfattning", "urval", "dolt"}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hallbar, object]]:
    hb, _ = make_regional(tmp_path_factory.mktemp("regionalweb"))
    yield hb, create_app(hb.settings, hb=hb)
    hb.close()


def _login(app: object, username: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303
    return client


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_regional_user_sees_the_network_page_and_its_twin(env: tuple[Hallbar, object]) -> None:
    _, app = env
    client = _login(app, "regional")
    listing = client.get("/regional")
    assert listing.status_code == 200
    assert 'href="/regional/skanes-kommuner"' in listing.text
    page = client.get("/regional/skanes-kommuner")
    assert page.status_code == 200
    assert "<h1>Total sjukfrånvaro 2025</h1>" in page.text
    assert "Räknas: personer är med ordinarie arbetstid under 2025 hos varje medlem" in page.text
    assert 'lang="sv"' in page.text and "<svg" in page.text
    twin = client.get("/api/regional/skanes-kommuner?ar=2024").json()
    assert twin["ingar_i_medel"] == ["1262", "1281", "1282"]
    assert len(twin["medlemmar"]) == 33
    assert set(twin) >= ENVELOPE and twin["sida"] == "regional.figure"
    # Each member in the means names whom its persons count: total sick leave counts the
    # statutory note's population (ordinary hours during 2024), and the count through
    # hallbar.core.population is the member's own "personer" in the table.
    persons = {m["kod"]: m["personer"] for m in twin["medlemmar"] if m["ingar"]}
    counts = {c["urval"]: c for c in twin["populationer"]}
    assert set(counts) == {f"organisation={code}" for code in persons}
    for code, n in persons.items():
        count = counts[f"organisation={code}"]
        assert set(count) == COUNT_KEYS
        assert (count["population"], count["reference"], count["n"], count["dolt"]) == (
            "ordinary_hours",
            "2024",
            n,
            False,
        )
    listing_twin = client.get("/api/regional").json()
    assert (listing_twin["ok"], listing_twin["sida"]) == (True, "regional.networks")
    assert listing_twin["data"][0]["id"] == "skanes-kommuner"
    usk = client.get("/regional/skanes-kommuner?nyckeltal=permanent_share&yrke=5321")
    assert usk.status_code == 200 and "<h1>Andel tillsvidareanställda 2025, 5321 " in usk.text
    assert client.get("/api/regional/skanes-kommuner?yrke=5321").json()["yrke"] == "5321"
    # One occupation: the counts narrow to it (yrkeskod) and still equal each member's persons.
    by_occupation = client.get(
        "/api/regional/skanes-kommuner?nyckeltal=permanent_share&yrke=5321&ar=2024"
    ).json()
    persons = {m["kod"]: m["personer"] for m in by_occupation["medlemmar"] if m["ingar"]}
    assert persons and {
        (c["urval"], c["population"], c["n"]) for c in by_occupation["populationer"]
    } == {(f"organisation={code}&yrkeskod=5321", "monthly_paid", n) for code, n in persons.items()}
    span = client.get("/regional/skanes-kommuner?nyckeltal=span_of_control&yrke=5321")
    assert span.status_code == 400 and "kan inte visas per yrke" in span.text
    bad = client.get("/regional/skanes-kommuner?nyckeltal=headcount")
    assert bad.status_code == 400 and "kan inte jämföras" in bad.text


def test_other_users_do_not_see_the_network(env: tuple[Hallbar, object]) -> None:
    _, app = env
    assert _login(app, "regional2").get("/regional/skanes-kommuner").status_code == 404
    hidden = _login(app, "hr9999").get("/api/regional/skanes-kommuner")
    assert hidden.status_code == 404
    assert hidden.json() == failure(404, "not_found", NETWORK_NOT_FOUND)
    assert _login(app, "hr9999").get("/regional/samtycke/1281").status_code == 404
    assert _login(app, "analytiker").get("/regional/samtycke/1281").status_code == 403


def test_hr_grants_and_revokes_on_the_consent_page(env: tuple[Hallbar, object]) -> None:
    _, app = env
    hr = _login(app, "hrlund")
    page = hr.get("/regional/samtycke/1281")
    assert page.status_code == 200 and "Samtycke att dela – Lund" in page.text
    bad = hr.post(
        "/regional/samtycke/1281",
        data={"natverk": "skanes-kommuner", "uppgifter": "nyckeltal", "fran": "2026-13-01",
              "csrf_token": _csrf(page.text)},
    )  # fmt: skip
    assert bad.status_code == 400 and "ska skrivas ÅÅÅÅ-MM-DD" in bad.text
    done = hr.post(
        "/regional/samtycke/1281",
        data={"natverk": "skanes-kommuner", "uppgifter": "lonekartlaggning",
              "csrf_token": _csrf(page.text)},
    )  # fmt: skip
    assert done.status_code == 303
    ledger = hr.get("/api/regional/samtycke/1281").json()["samtycken"]
    newest = ledger[0]
    assert (newest["uppgifter"], newest["status"]) == ("lonekartlaggning", "Gäller")
    revoked = hr.post(
        f"/regional/samtycke/1281/{newest['id']}/aterkalla", data={"csrf_token": _csrf(page.text)}
    )
    assert revoked.status_code == 303
    again = hr.get("/api/regional/samtycke/1281").json()["samtycken"][0]
    assert again["status"].startswith("Återkallat")
    twice = hr.post(
        f"/regional/samtycke/1281/{newest['id']}/aterkalla", data={"csrf_token": _csrf(page.text)}
    )
    assert twice.status_code == 400 and "återkallades redan" in twice.text


def test_pages_fit_a_phone(env: tuple[Hallbar, object]) -> None:
    _, app = env
    client = _login(app, "regional")
    css = client.get("/regional-assets/regional.css")
    assert css.status_code == 200 and "@media (max-width: 40rem)" in css.text
    page = client.get("/regional/skanes-kommuner").text
    assert 'name="viewport"' in page and 'class="rg-scroll"' in page


def test_kolada_page_fetches_through_the_injected_transport(env: tuple[Hallbar, object]) -> None:
    from kolada_recorded import RecordedTransport

    _, app = env
    app.state.kolada_transport = RecordedTransport()  # type: ignore[attr-defined]
    hr = _login(app, "hrlund")
    empty = hr.get("/regional/kolada/1281?ar=2024")
    assert (
        empty.status_code == 200 and "Det finns inga Kolada-värden för N00090 år 2024" in empty.text
    )
    done = hr.post("/regional/kolada/1281", data={"ar": "2024", "nyckeltal": "sick_leave_total",
                                                  "csrf_token": _csrf(empty.text)})  # fmt: skip
    assert done.status_code == 303
    page = hr.get("/regional/kolada/1281?ar=2024")
    assert "Koladas publicerade värde" in page.text and "Skillnader i definition" in page.text
    twin = hr.get("/api/regional/kolada/1281?ar=2024").json()
    assert [r["varde"] for r in twin["rader"][1:]] == [6.6, 7.3, 6.2]  # the recorded answers
    bad = hr.post(
        "/regional/kolada/1281",
        data={"ar": "2024", "nyckeltal": "sick_leave_total", "csrf_token": _csrf(empty.text)},
        files={"fil": ("kolada.csv", b"a;b\n", "text/csv")},
    )
    assert bad.status_code == 400 and "varken JSON eller Excel" in bad.text
    assert _login(app, "hr9999").get("/regional/kolada/1281?ar=2024").status_code == 404


def test_supply_page_and_twin(env: tuple[Hallbar, object]) -> None:
    _, app = env
    client = _login(app, "regional")
    page = client.get("/regional/skanes-kommuner/kompetensforsorjning")
    assert page.status_code == 200 and 'id="rg-supply"' in page.text and "I summan:" in page.text
    assert "Räknas: personalen är månadsavlönade anställda på varje medlems mätdag" in page.text
    twin = client.get("/api/regional/skanes-kommuner/kompetensforsorjning").json()
    assert twin["medlemmar_i_summan"] == ["1262", "1281", "1282"]
    # The stock counts each summed member's monthly-paid staff on its snapshot date.
    assert [(c["urval"], c["population"]) for c in twin["populationer"]] == [
        (f"organisation={code}", "monthly_paid") for code in ("1262", "1281", "1282")
    ]
    assert {"personal", "pensionsavgangar", "personalomsattning", "rekryteringsbehov"} <= set(
        twin["rader"][0]
    )
    assert (
        _login(app, "regional2").get("/regional/skanes-kommuner/kompetensforsorjning").status_code
        == 404
    )


def test_admin_creates_a_network_and_opens_it(env: tuple[Hallbar, object]) -> None:
    _, app = env
    admin = _login(app, "admin")
    page = admin.get("/regional/admin/natverk")
    assert page.status_code == 200 and "Hållbara organisationer (Länsstyrelsen Skåne)" in page.text
    bad = admin.post("/regional/admin/natverk", data={"namn": "Fel", "medlemmar": "1283 9999",
                                                       "csrf_token": _csrf(page.text)})  # fmt: skip
    assert bad.status_code == 400 and "Kommunkoden &#39;9999&#39; finns inte" in bad.text
    made = admin.post("/regional/admin/natverk", data={
        "namn": "Familjen Helsingborg", "medlemmar": "1283, 1284, 1292", "csrf_token": _csrf(page.text)
    })  # fmt: skip
    assert made.status_code == 303
    opened = admin.post("/regional/admin/natverk/visning", data={
        "anvandare": "regional2", "natverk": "familjen-helsingborg", "egen": "1283",
        "csrf_token": _csrf(page.text)})  # fmt: skip
    assert opened.status_code == 303
    seen = _login(app, "regional2").get("/api/regional").json()["data"]
    assert [(n["id"], n["egen_organisation"], n["medlemmar"]) for n in seen] == [
        ("familjen-helsingborg", "1283", ["1283", "1284", "1292"])
    ]
    assert _login(app, "hrlund").get("/regional/admin/natverk").status_code == 403


def test_women_and_men_dominated_per_member(env: tuple[Hallbar, object]) -> None:
    from hallbar.indicators.dominance import compare_dominated_groups
    from hallbar.indicators.params import Params

    hb, app = env
    client = _login(app, "regional")
    page = client.get("/regional/skanes-kommuner/kvinno-mansdominerat")
    assert page.status_code == 200 and 'id="rg-dominance"' in page.text
    twin = client.get("/api/regional/skanes-kommuner/kvinno-mansdominerat?ar=2025").json()
    landskrona = next(m for m in twin["medlemmar"] if m["kod"] == "1282")
    # the member's own comparison, as its own key-figure page computes it
    own = compare_dominated_groups(hb.dataset("1282"), Params.from_settings(hb.settings, 2025))[0]
    assert landskrona["kvinnodominerat_yrke"] == (
        own.women_group.occupation if own.women_group else None
    )
    assert (
        landskrona["villkor"]["sick_leave"]["kvinnodominerat"]
        # the same sums; polars may add them in another order (last-digit differences)
        == pytest.approx(own.row("sick_leave").women_dominated, rel=1e-12)
    )
    assert next(m for m in twin["medlemmar"] if m["kod"] == "1214")["skal"].startswith("Har inte")


def test_priority_areas_for_the_network(env: tuple[Hallbar, object]) -> None:
    from hallbar.indicators.priority import AREAS

    _, app = env
    hr = _login(app, "hrlund")  # HR of a member: sees its own value and rank
    page = hr.get("/regional/skanes-kommuner/prioriterade-omraden?ar=2024")
    assert page.status_code == 200
    assert all(title in page.text for _, title, _ in AREAS)
    twin = hr.get("/api/regional/skanes-kommuner/prioriterade-omraden?ar=2024").json()
    assert [a["id"] for a in twin["omraden"]] == [key for key, _, _ in AREAS]
    fulltime = twin["omraden"][0]["nyckeltal"]
    assert fulltime and all(f["egen"] is not None for f in fulltime)
    managers = twin["omraden"][2]["nyckeltal"]
    assert [f["id"] for f in managers] == ["span_of_control"]
    # the pay area has no figure compared across members yet, and says so
    assert twin["omraden"][3]["nyckeltal"] == [] and twin["omraden"][3]["kommentar"]


def test_audit_page_filters_the_regional_actions(env: tuple[Hallbar, object]) -> None:
    _, app = env
    admin = _login(app, "admin")
    page = admin.get("/admin/audit?action=samtycke_givet")
    assert page.status_code == 200
    # every regional action can be chosen, under its Swedish name
    for action, name in (
        ("samtycke_givet", "Samtycke att dela givet"),
        ("samtycke_återkallat", "Samtycke att dela återkallat"),
        ("regional_visning", "Regional visning"),
        ("kolada_hämtad", "Kolada-värden hämtade"),
        ("nätverk_ändrat", "Nätverk ändrat"),
    ):
        assert f'<option value="{action}"' in page.text and name in page.text
    # make_regional gives consents through grant_consent: the filtered log lists them
    assert page.text.count("<td>Samtycke att dela givet</td>") >= 1
    # ... and nothing else, although the earlier tests viewed the network
    assert "<td>Regional visning</td>" not in page.text
    shown = admin.get("/admin/audit?action=regional_visning").text
    assert "<td>Regional visning</td>" in shown
