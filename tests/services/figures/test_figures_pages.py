"""The pages in HTML: Swedish numbers, definitions, hidden marks, messages for bad data."""

from __future__ import annotations

from webtesting import WebEnv

from hallbar.core.access import SYSTEM
from hallbar.services import audit


def test_overview_page_shows_values_and_definitions(shared_env: WebEnv) -> None:
    html = shared_env.client("hr").get("/figures/9999").text
    assert "Andel heltidsanställda" in html and "95,2\u00a0%" in html  # 20 of 21
    assert '<details class="fig-def">' in html and "Kolada N00206" in html
    assert "Fyll i kolumnen chef_personnummer" in html  # span of control: why it is missing
    assert "/figures/9999/export/nyckeltal.xlsx" in html


def test_note_page(shared_env: WebEnv) -> None:
    html = shared_env.client("hr").get("/figures/9999/sjukfranvaro").text
    assert "Sjukfrånvaro enligt lag 2025" in html
    assert "1,0\u00a0%" in html  # total 240 / 25 200 = 0,95 %
    assert "1,6\u00a0%" in html  # women 210 / 13 200
    assert "N00091" in html and "<svg" in html
    assert html.count('class="num suppressed"') >= 4  # men, 30–49, ≥50 (three years each) …
    assert "/figures/9999/export/sjukfranvaro.html" in html


def test_insufficient_data_pages(shared_env: WebEnv) -> None:
    client = shared_env.client("hr")
    no_hours = client.get("/figures/7777/sjukfranvaro")
    assert no_hours.status_code == 200 and "Importera filen arbetstid" in no_hours.text
    overview = client.get("/figures/7777")
    assert overview.status_code == 200 and "ordinarie arbetstid" in overview.text
    no_november = client.get("/figures/6666")
    assert no_november.status_code == 200 and "2025-11-01" in no_november.text
    empty_unit = client.get("/figures/9999?enhet=C")
    assert empty_unit.status_code == 400 and "ingen personal" in empty_unit.text
    api = client.get("/api/figures/7777/sjukfranvaro").json()
    assert api["sjukfranvaro"] == [] and "arbetstid" in api["meddelande"]
    bad = client.get("/figures/9999?ar=tjugo")
    assert bad.status_code == 400 and "årtal" in bad.text


def test_trend_dashboard_dominance_pages(shared_env: WebEnv) -> None:
    client = shared_env.client("analytiker")
    trend = client.get("/figures/9999/trend?dela=gender&nyckeltal=headcount&frekvens=year")
    assert trend.status_code == 200 and "<polyline" in trend.text
    dash = client.get("/figures/9999/prioriterat").text
    for name in (
        "Hållbart heltidsarbete",
        "Hälsa och stressrelaterad ohälsa",
        "Chefers förutsättningar",
    ):
        assert name in dash
    assert "Individlistor" not in dash  # analysts see no individual lists
    dom = client.get("/figures/9999/kvinnor-man").text
    assert "5321 Undersköterska" in dom and "2341 Grundskollärare" in dom


def test_people_page_is_audited_and_pseudonymous(shared_env: WebEnv) -> None:
    html = shared_env.client("chef").get("/figures/9999/individer/rehab").text
    # the employment id from the payroll system, the title and the unit; not the pseudonym
    assert ">EW01<" in html and "Undersköterska" in html and "Hemtjänst" in html
    assert ">W01<" not in html and "1\u00a0person i listan" in html
    assert "1996" not in html  # no birth dates (W01 was born 1996-03-01)
    log = audit.entries(
        shared_env.hb, SYSTEM, action=audit.Action.VIEW_INDIVIDUALS, username="chef"
    )
    assert log and log[0].target == "nyckeltal rehab_day30 enhet A1" and log[0].client


def test_demo_writes_the_annual_report_table(tmp_path: object) -> None:
    from pathlib import Path

    from hallbar.services.context import Hallbar
    from hallbar.services.imports.demo import run_demo
    from hallbar.settings import Settings

    hb = Hallbar(Settings(data_dir=Path(str(tmp_path)) / "data"))
    run = run_demo(hb, size=300, seed=3)
    names = {p.name for p in run.outputs}
    year = run.as_of.year
    assert {
        f"sjukfranvaro-{run.org_id}-{year}.html",
        f"nyckeltal-{run.org_id}-{year}.xlsx",
    } <= names
    html = (run.output_dir / f"sjukfranvaro-{run.org_id}-{year}.html").read_text(encoding="utf-8")
    assert "Total sjukfrånvaro" in html and "N00090" in html
    hb.close()
