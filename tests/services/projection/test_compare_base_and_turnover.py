"""Comparing with the base scenario without saving, the growth field and the scenario's
turnover on the page. Facts of the data (projdata, see test_projection_service): 24 staff at
100 %, nobody ever left (history turnover 0); in 2026 two assistant nurses and one teacher
reach 67."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from webtesting import HR, WebEnv

from hallbar.services.projection import scenarios
from hallbar.services.projection.params import parse_form


def _req(env: WebEnv, **fields: str):  # type: ignore[no-untyped-def]
    return parse_form({k: [v] for k, v in fields.items()}, env.hb.settings)


def _need(comparison: scenarios.Comparison) -> dict[str, float]:
    return {r["Scenario"]: r["projection_need"] for r in comparison.table.frame.to_dicts()}


def test_unsaved_settings_against_the_base_scenario(shared_env: WebEnv) -> None:
    current = _req(shared_env, horisont="1", omsattning="10")
    comparison = scenarios.compare(shared_env.hb, HR, "9999", [], with_base=True, current=current)
    need = _need(comparison)
    # Base (history: nobody leaves): 3 retirements replaced, need 3.
    # Current: 3 retire, 21 remain, 10 % of them leave = 2.1; need 3 + 2.1 = 5.1.
    assert need == pytest.approx({scenarios.CURRENT_NAME: 5.1, scenarios.BASE_NAME: 3.0})
    turnover = {r["Scenario"]: r["projection_turnover"] for r in comparison.table.frame.to_dicts()}
    assert turnover[scenarios.CURRENT_NAME] == pytest.approx(2.1)
    # The base takes the horizon of the scenario it is compared with.
    assert {v.last_year for v in comparison.views} == {2026}
    assert scenarios.list_scenarios(shared_env.hb, HR, "9999") == []  # nothing was saved


def test_base_alone_is_not_a_comparison(shared_env: WebEnv) -> None:
    with pytest.raises(scenarios.ScenarioInputError, match="mellan 2 och 4"):
        scenarios.compare(shared_env.hb, HR, "9999", [], with_base=True)


def test_a_saved_scenario_against_the_base_on_the_page(env: WebEnv) -> None:
    saved = scenarios.save_scenario(
        env.hb, HR, "9999", "Grundscenario (utan åtgärder)", "", _req(env, horisont="1")
    )
    client = env.client("hr")
    # The saved scenario's page links to its comparison with the base.
    opened = client.get(f"/projection/9999/scenarios/{saved.id}")
    assert f"/projection/9999/compare?grund=true&amp;ids={saved.id}" in opened.text
    page = client.get(f"/projection/9999/compare?ids={saved.id}&grund=true")
    assert page.status_code == 200, page.text
    # The saved scenario has the base's name; the columns get told apart.
    assert "Grundscenario (utan åtgärder) (2)" in page.text
    api = client.get(f"/api/projection/9999/compare?ids={saved.id}&grund=true").json()
    assert [s["sparat"] for s in api["scenarier"]] == [True, False]
    assert [r["values"]["projection_need"] for r in api["summa"]["rows"]] == pytest.approx(
        [3.0, 3.0]
    )


def test_the_result_links_to_the_comparison_with_the_base(env: WebEnv) -> None:
    client = env.client("hr")
    page = client.get("/projection/9999?horisont=1&omsattning=10")
    href = re.search(r'href="([^"]+)" id="compare-base"', page.text)
    assert href is not None
    target = href.group(1).replace("&amp;", "&")
    assert target.startswith("/projection/9999/compare?grund=true&aktuellt=")
    compared = client.get(target)
    assert compared.status_code == 200
    assert scenarios.BASE_NAME in compared.text and scenarios.CURRENT_NAME in compared.text
    bad = client.get("/projection/9999/compare?grund=true&aktuellt=" + quote("horisont=99"))
    assert bad.status_code == 400 and "horisonten" in bad.text


def test_growth_field_is_disabled_unless_demand_grows(env: WebEnv) -> None:
    client = env.client("hr")
    flat = client.get("/projection/9999").text
    grows = client.get("/projection/9999?efterfragan=growth&tillvaxt=2").text
    field = re.compile(r'<input id="f-tillvaxt"[^>]*>')
    assert " disabled" in field.search(flat).group(0)  # type: ignore[union-attr]
    assert " disabled" not in field.search(grows).group(0)  # type: ignore[union-attr]
    assert "Används bara när efterfrågan är ”Årlig tillväxt”" in flat


def test_the_scenario_turnover_from_the_form_is_honoured(shared_env: WebEnv) -> None:
    req = _req(shared_env, horisont="1", omsattning="10")
    assert req.scenario.turnover_rate == pytest.approx(0.10)
    assert parse_form(req.form_values(), shared_env.hb.settings) == req
    assert _req(shared_env).scenario.turnover_rate is None  # empty field: the history
