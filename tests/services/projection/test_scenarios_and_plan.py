"""Saved scenarios (round trip, compare), the population upload, HTMX fragments and the plan."""

from __future__ import annotations

import io
import re
import zipfile

import polars as pl
import pytest
from openpyxl import load_workbook
from webtesting import HR, WebEnv

from hallbar.core.errors import NotFound
from hallbar.projection.errors import ProjectionInputError
from hallbar.reports.plan_document import SECTIONS
from hallbar.services.projection import plan, scenarios, views
from hallbar.services.projection.figures import ALL_LABEL, OCC
from hallbar.services.projection.params import parse_form


def _population_csv(region: str = "9999 Testkommun") -> bytes:
    """SCB wide layout, Latin-1, 2025–2028: 80+ (21 single ages incl. 100+) grow 10 % a
    year (1 000 → 1 100 → 1 210 → 1 331 each), every other age stays at 500."""
    lines = ["Folkmängd efter region, ålder och år", "region;ålder;2025;2026;2027;2028"]
    for age in range(101):
        label = "100+ år" if age == 100 else f"{age} år"
        values = (1000, 1100, 1210, 1331) if age >= 80 else (500, 500, 500, 500)
        lines.append(f"{region};{label};" + ";".join(map(str, values)))
    return ("\n".join(lines) + "\n").encode("latin-1")


def test_scenario_round_trip_and_compare(env: WebEnv) -> None:
    settings = env.hb.settings
    req = parse_form(
        {
            "horisont": ["3"],
            "efterfragan": ["growth"],
            "tillvaxt": ["10"],
            "andra_losningar": ["30"],
            "vaxling_fran": ["5321"],
            "vaxling_till": ["2341"],
            "vaxling_aa": ["0,5"],
            "examinerade_yrke": ["5321"],
            "examinerade_antal": ["2"],
        },
        settings,
    )
    saved = scenarios.save_scenario(env.hb, HR, "9999", "Tillväxt", "10 % om året", req)
    again = scenarios.get_scenario(env.hb, HR, "9999", saved.id)
    assert again.request == req
    assert again.description == "10 % om året"
    # saving under the same name replaces the parameters
    base = parse_form({"horisont": ["3"]}, settings)
    replaced = scenarios.save_scenario(env.hb, HR, "9999", "Tillväxt", "ny", base)
    assert replaced.id == saved.id and replaced.request == base
    scenarios.save_scenario(env.hb, HR, "9999", "Tillväxt", "10 % om året", req)
    other = scenarios.save_scenario(env.hb, HR, "9999", "Bas", "", base)
    assert [s.name for s in scenarios.list_scenarios(env.hb, HR, "9999")] == ["Bas", "Tillväxt"]
    comparison = scenarios.compare(env.hb, HR, "9999", [saved.id, other.id])
    rows = {r["Scenario"]: r for r in comparison.table.frame.to_dicts()}
    # Bas: 4 retirements replaced, nothing else (see test_projection_service)
    assert rows["Bas"]["projection_need"] == pytest.approx(4.0)
    single = views.projection_view(env.hb, HR, "9999", scenarios.saved_request(saved))
    assert rows["Tillväxt"]["projection_need"] == pytest.approx(
        single.key_figures["projection_need"]
    )
    with pytest.raises(scenarios.ScenarioInputError, match="mellan 2 och 4"):
        scenarios.compare(env.hb, HR, "9999", [saved.id])
    scenarios.delete_scenario(env.hb, HR, "9999", other.id)
    with pytest.raises(NotFound):
        scenarios.get_scenario(env.hb, HR, "9999", other.id)


def test_save_scenario_through_the_form(env: WebEnv) -> None:
    client = env.client("hr")
    page = client.get("/projection/9999?horisont=3&pension_senare=1")
    assert page.status_code == 200
    params = re.search(r'name="params" value="([^"]+)"', page.text)
    assert params is not None
    query = params.group(1).replace("&amp;", "&")
    saved = client.post(
        "/projection/9999/scenarios",
        data={
            "name": "Senare pension",
            "description": "+1 år",
            "params": query,
            "csrf_token": env.csrf(client),
        },
    )
    assert saved.status_code == 303
    listing = client.get(saved.headers["location"])
    assert "Scenariot Senare pension är sparat." in listing.text
    stored = scenarios.list_scenarios(env.hb, HR, "9999")[0]
    assert stored.request.scenario.horizon == 3
    assert stored.request.scenario.levers.retirement_delay_years == 1
    empty = client.post(
        "/projection/9999/scenarios",
        data={"name": " ", "params": query, "csrf_token": env.csrf(client)},
    )
    assert empty.status_code == 400 and "Ge scenariot ett namn" in empty.text


def test_result_fragment_and_errors(env: WebEnv) -> None:
    client = env.client("analytiker")
    fragment = client.get("/projection/9999/result?horisont=3&pension_senare=2")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "proj-summary" in fragment.text
    assert "Senare pensionering" in fragment.text
    bad = client.get("/projection/9999/result?andra_losningar=abc")
    assert bad.status_code == 200 and "ska vara ett tal" in bad.text  # shown in place by HTMX
    page = client.get("/projection/9999?horisont=99")
    assert page.status_code == 400 and "horisonten" in page.text
    api = client.get("/api/projection/9999?horisont=99")
    assert api.status_code == 400 and "horisonten" in api.json()["detail"]
    data = client.get("/api/projection/9999?horisont=3").json()
    rows = data["per_yrke"]["rows"]
    total = next(r["values"] for r in rows if r["values"][OCC] == ALL_LABEL)
    assert total["projection_need"] == pytest.approx(4.0)
    # 2343 is hidden with the 3 administrators (the occupation model), both pooled; the
    # pyramid's hidden cells are hidden in the JSON as on the page
    groups = [r["values"][OCC] for r in rows]
    assert "2343 Förskollärare" not in groups and any(g.startswith("Övriga") for g in groups)
    start = data["aldersstruktur"][0]["rows"]
    assert any(r["values"]["Män 2025"] is None for r in start)


def test_population_upload_and_population_driven_demand(env: WebEnv) -> None:
    client = env.client("hr")
    token = env.csrf(client)
    bad = client.post(
        "/projection/9999/population",
        data={"csrf_token": token},
        files={"file": ("befolkning.csv", b"kommun;ar\n9999;2025\n", "text/csv")},
    )
    assert bad.status_code == 400 and "ålder" in bad.text
    other = client.post(
        "/projection/9999/population",
        data={"csrf_token": token},
        files={"file": ("annan.csv", _population_csv("0114 Upplands Väsby"), "text/csv")},
    )
    assert other.status_code == 400 and "inte organisationen 9999" in other.text
    good = client.post(
        "/projection/9999/population",
        data={"csrf_token": token},
        files={"file": ("prognos.csv", _population_csv(), "text/csv")},
    )
    assert good.status_code == 303, good.text[:500]
    req = parse_form({"horisont": ["3"], "efterfragan": ["population"]}, env.hb.settings)
    view = views.projection_view(env.hb, HR, "9999", req)
    usk = view.occupations.frame.filter(pl.col(OCC) == "5321 Undersköterska").row(0, named=True)
    # 5321 serves 80+: demand 10 × 1.331 = 13.31 → +3.31, plus 3 retirements
    assert usk["projection_demand_change"] == pytest.approx(3.31)
    assert usk["projection_need"] == pytest.approx(6.31)
    gsk = view.occupations.frame.filter(pl.col(OCC) == "2341 Grundskollärare").row(0, named=True)
    if gsk["projection_demand_change"] is not None:  # may be hidden by secondary suppression
        assert gsk["projection_demand_change"] == pytest.approx(0.0)  # 6–15 year-olds constant
    beyond = parse_form({"horisont": ["5"], "efterfragan": ["population"]}, env.hb.settings)
    with pytest.raises(ProjectionInputError, match="sträcker sig till 2028"):
        views.projection_view(env.hb, HR, "9999", beyond)


def test_plan_document_html_and_excel(env: WebEnv) -> None:
    settings = env.hb.settings
    chosen = scenarios.save_scenario(
        env.hb,
        HR,
        "9999",
        "Plan 2026",
        "Med 30 %",
        parse_form(
            {
                "horisont": ["3"],
                "efterfragan": ["growth"],
                "tillvaxt": ["5"],
                "andra_losningar": ["30"],
            },
            settings,
        ),
    )
    scenarios.save_scenario(
        env.hb, HR, "9999", "Bas", "", parse_form({"horisont": ["3"]}, settings)
    )
    plan.add_activity(
        env.hb,
        HR,
        "9999",
        occupation="5321 Undersköterska",
        text="Utbilda vårdbiträden",
        responsible="Enhetschef",
        timeframe="2026",
    )
    plan.add_activity(env.hb, HR, "9999", occupation="Alla yrken", text="Heltid som norm")
    with pytest.raises(plan.ActivityInputError, match="Beskriv aktiviteten"):
        plan.add_activity(env.hb, HR, "9999", occupation="Alla yrken", text=" ")
    client = env.client("hr")
    html = client.get(f"/projection/9999/plan/document?scenario={chosen.id}")
    assert html.status_code == 200
    assert "script" not in html.text.lower()
    for section in SECTIONS:
        assert re.search(rf"<h2[^>]*>{re.escape(section)}</h2>", html.text), section
    for text in (
        "Plan 2026",
        "Utbilda vårdbiträden",
        "Heltid som norm",
        "Enhetschef",
        "5321 Undersköterska",
        "Jämförelse med andra sparade scenarier",
        "@media print",
        "<title id=",
        "Rekryteringsbehov",
    ):
        assert text in html.text, text
    assert "Personalomkostnadspålägg" in html.text and "40,15\u00a0%" in html.text
    xlsx = client.get(f"/projection/9999/plan/excel?scenario={chosen.id}")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(xlsx.content))
    names = book.sheetnames
    assert names[0] == "Definitioner"
    for sheet in ("Sammanfattning", "Scenario och antaganden", "Planerade aktiviteter"):
        assert sheet in names
    defs = [row[1].value for row in book["Definitioner"].iter_rows(min_row=5) if row[1].value]
    assert "Rekryteringsbehov" in defs and "Pensionsavgångar" in defs
    acts = [c.value for row in book["Planerade aktiviteter"].iter_rows() for c in row]
    assert "Utbilda vårdbiträden" in acts
    charts = [
        n
        for n in zipfile.ZipFile(io.BytesIO(xlsx.content)).namelist()
        if n.startswith("xl/charts/chart")
    ]
    assert len(charts) >= 3  # need by year, lever steps, per occupation (+ comparison)
    data = client.get(f"/api/projection/9999/plan?scenario={chosen.id}").json()
    assert data["scenario"]["namn"] == "Plan 2026"
    assert data["aktiviteter_alla_yrken"][0]["text"] == "Heltid som norm"
    # the audit log has both exports
    from hallbar.core.access import SYSTEM
    from hallbar.services import audit

    targets = [e.target for e in audit.entries(env.hb, SYSTEM)]
    assert "kompetensförsörjningsplan (HTML)" in targets
    assert "kompetensförsörjningsplan (Excel)" in targets
