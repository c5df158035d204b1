"""Every count of one population, scope and reference date is the same on every page.

The guard of issue 9. A small generated Exempelkommun is imported through the
real import; then every page's JSON twin (organisation overview, tree, unit
pages, key figures with and without filters, the statutory note, priority
areas, women/men comparison, agency staff, pay survey, EU report, projection
stock) and the CLI's ``--json`` are read. Each must

* name the population of its counts in ``populationer`` (``hallbar.core.population``),
* show, where it shows the number itself, the number it declares, and
* agree with every other page on the same population, scope and reference.

The expected numbers are recounted here with plain Polars on the imported data,
independently of the population layer (the rule in docs/key-figures.md: a person
with an employment on the day, ``start <= d`` and ``end`` empty or ``>= d``, counted
once; monthly-paid = permanent or fixed-term; ordinary hours = scheduled hours > 0
in a month of the year).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner
from webtesting import WebEnv, make_env

from hallbar import exampleorg
from hallbar.cli.app import build_app
from hallbar.core.access import SYSTEM, Role
from hallbar.core.dataset import HRData
from hallbar.indicators.units import restrict_to_subtree
from hallbar.services.imports.importing import import_export
from hallbar.services.paysurvey import survey

AS_OF = date(2025, 12, 31)
NOVEMBER = date(2025, 11, 1)
YEAR = 2025
SIZE = 400


@dataclass
class Site:
    env: WebEnv
    org_id: str
    data: HRData
    root: str
    children: tuple[str, ...]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("consistency")
    export = exampleorg.generate(size=SIZE, seed=3, years=2, as_of=AS_OF)
    folder = tmp / "export"
    exampleorg.write_csv_folder(export, folder)
    users = {"hr": (Role.HR, (export.org_id,), ())}
    env = make_env(tmp / "data", {}, users=users)
    import_export(
        env.hb,
        folder=folder,
        org_id=export.org_id,
        org_name=export.org_name,
        as_of=AS_OF,
        principal=SYSTEM,
    )
    data = env.hb.dataset(export.org_id)
    units = data.units
    [root] = units.filter(pl.col("parent_id").is_null())["unit_id"].to_list()
    children = tuple(sorted(units.filter(pl.col("parent_id") == root)["unit_id"].to_list()))
    survey.create_survey(env.hb, SYSTEM, export.org_id, year=YEAR, survey_date=AS_OF.isoformat())
    yield Site(env, export.org_id, data, root, children)
    env.hb.close()


# --- independent recounts -----------------------------------------------------------------


def _persons_on(data: HRData, day: date, forms: tuple[str, ...]) -> int:
    emps = data.employments
    active = emps.filter(
        (pl.col("start_date") <= day)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= day))
        & pl.col("employment_form").is_in(list(forms))
    )
    return active.select("person_id").n_unique()


MONTHLY = ("tillsvidare", "visstid")


def _ordinary_hours(data: HRData, year: int) -> int:
    months = data.working_time.filter(
        (pl.col("month").dt.year() == year) & (pl.col("scheduled_hours").fill_null(0) > 0)
    )
    owners = data.employments.select("employment_id", "person_id").unique("employment_id")
    return months.join(owners, on="employment_id").select("person_id").n_unique()


def expected(site: Site, population: str, reference: str, unit: str | None) -> int:
    data = site.data if unit in (None, site.root) else restrict_to_subtree(site.data, unit)
    if population == "monthly_paid":
        return _persons_on(data, date.fromisoformat(reference), MONTHLY)
    if population == "employed":
        return _persons_on(data, date.fromisoformat(reference), (*MONTHLY, "timavlönad"))
    if population == "permanent":
        return _persons_on(data, date.fromisoformat(reference), ("tillsvidare",))
    assert population == "ordinary_hours", population
    return _ordinary_hours(data, int(reference))


# --- walking the pages --------------------------------------------------------------------


def _get(site: Site, path: str) -> dict[str, Any]:
    client = site.env.client("hr")
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    body = response.json()
    assert body["ok"] is True, path
    return body


def _pages(site: Site) -> dict[str, dict[str, Any]]:
    org = site.org_id
    first = site.children[0]
    paths = {
        "org": f"/api/org/{org}",
        "tree": f"/api/org/{org}/tree",
        "tree_children": f"/api/org/{org}/tree?parent={site.root}",
        "figures": f"/api/figures/{org}",
        "figures_women": f"/api/figures/{org}?kon=K",
        "figures_unit": f"/api/figures/{org}?enhet={first}",
        "figures_by_gender": f"/api/figures/{org}?dela=gender",
        "note": f"/api/figures/{org}/sjukfranvaro",
        "priority_areas": f"/api/figures/{org}/prioriterat",
        "women_men": f"/api/figures/{org}/kvinnor-man",
        "agency": f"/api/figures/{org}/inhyrd",
        "paysurvey": f"/api/paysurvey/{org}/{YEAR}",
        "eu_report": f"/api/paysurvey/{org}/{YEAR}/transparency",
        "projection": f"/api/projection/{org}",
        "paytransparency": f"/api/transparency/{org}",
    }
    for unit in site.children:
        paths[f"unit:{unit}"] = f"/api/org/{org}/unit/{unit}"
    return {name: _get(site, path) for name, path in paths.items()}


def _cli_note(site: Site) -> dict[str, Any]:
    data_dir = site.env.settings.data_dir
    db = site.env.settings.resolved_database_url()
    result = CliRunner().invoke(
        build_app(),
        [
            *("figures", "sjukfranvaro", "--org", site.org_id, "--ar", str(YEAR), "--json"),
            *("--datakatalog", str(data_dir), "--databas", db),
        ],
    )
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.output)
    assert body["ok"] is True
    return body


def _cli_projection(site: Site) -> dict[str, Any]:
    db = site.env.settings.resolved_database_url()
    args = ["projection", "run", "--org", site.org_id, "--databas", db, "--utan-osakerhet"]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.output)
    assert body["ok"] is True
    return body


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[str, dict[str, Any]]:
    out = _pages(site)
    out["cli_note"] = _cli_note(site)
    out["cli_projection"] = _cli_projection(site)
    return out


def _key(site: Site, count: dict[str, Any]) -> tuple[str, str, str | None, str | None]:
    """Population, reference, unit subtree (the root's is the whole organisation), filter."""
    unit = count["omfattning"]
    unit = None if unit == site.root else unit
    return count["population"], count["reference"], unit, count["urval"]


# --- the guarantees -----------------------------------------------------------------------


def test_every_page_names_the_population_of_its_counts(pages: dict[str, dict[str, Any]]) -> None:
    for name, body in pages.items():
        assert body["populationer"], f"{name} declares no population"
        for count in body["populationer"]:
            assert count["population"] in {
                "employed",
                "monthly_paid",
                "permanent",
                "ordinary_hours",
            }
            assert count["population_sv"], name
            # A number small-group protection hides still says whom it would count.
            assert isinstance(count["n"], int) or (count["n"] is None and count["dolt"]), name


def test_same_population_scope_and_date_give_the_same_number(
    site: Site, pages: dict[str, dict[str, Any]]
) -> None:
    seen: dict[tuple[str, str, str | None, str | None], dict[str, int]] = defaultdict(dict)
    for name, body in pages.items():
        for count in body["populationer"]:
            if not count["dolt"]:
                seen[_key(site, count)][name] = count["n"]
    for key, by_page in seen.items():
        assert len(set(by_page.values())) == 1, (key, by_page)
    # The same group counted by the organisation pages, the pay survey and the
    # projection on the snapshot date: one number, whichever page shows it.
    whole = seen[("monthly_paid", AS_OF.isoformat(), None, None)]
    assert {"org", "paysurvey", "projection", "cli_projection"} <= set(whole), whole
    # The EU Art. 9 report counts every worker with a contract, hourly-paid included
    # (Directive 2023/970; domain-rules §5): another population, declared as such.
    employed = seen[("employed", AS_OF.isoformat(), None, None)]
    assert {"eu_report", "paytransparency"} <= set(employed), employed


def test_declared_counts_are_true_recounts(site: Site, pages: dict[str, dict[str, Any]]) -> None:
    for name, body in pages.items():
        for count in body["populationer"]:
            population, reference, unit, _ = _key(site, count)
            if name == "figures_women" or count["dolt"]:
                continue  # a filtered selection is checked below; a hidden one shows nothing
            assert count["n"] == expected(site, population, reference, unit), (name, count)


def test_pages_show_the_numbers_they_declare(site: Site, pages: dict[str, dict[str, Any]]) -> None:
    def declared(name: str, population: str | None = None) -> int:
        counts = pages[name]["populationer"]
        if population is not None:
            counts = [c for c in counts if c["population"] == population]
        [count] = counts[:1]  # a page's first count is its main population
        return int(count["n"])

    # The organisation page's headcount and every unit page's.
    assert pages["org"]["headcount"] == declared("org")
    for unit in site.children:
        body = pages[f"unit:{unit}"]
        if body["headcount"] is not None:
            assert body["headcount"] == declared(f"unit:{unit}")
    # The tree shows the same per-unit numbers as the unit pages.
    tree_counts = {c["omfattning"]: c["n"] for c in pages["tree_children"]["populationer"]}
    for node in pages["tree_children"]["nodes"]:
        if node["headcount"] is not None:
            assert node["headcount"] == tree_counts[node["unit_id"]]
            assert pages[f"unit:{node['unit_id']}"]["headcount"] == node["headcount"]

    # Key figures: the headcount card counts the declared population.
    def card(name: str, figure: str) -> float:
        [c] = [c for c in pages[name]["nyckeltal"] if c["id"] == figure]
        return float(c["varde"])

    for name in ("figures", "figures_unit", "figures_by_gender", "figures_women"):
        assert card(name, "headcount") == declared(name, "monthly_paid"), name
    # The employment-form table counts everyone employed, hourly-paid too, a person once:
    # its rows add up to the EMPLOYED count the page declares beside MONTHLY_PAID.
    [forms] = [t for t in pages["figures"]["tabeller"] if t["id"] == "employment_forms"]
    rows = [r["values"] for r in forms["rows"]]
    [total] = [r["Antal personer"] for r in rows if "Totalt" in r.values()]
    per_form = [r["Antal personer"] for r in rows if "Totalt" not in r.values()]
    assert total == sum(per_form) == declared("figures", "employed")
    # The filter narrows the same population: women among monthly-paid on 1 November.
    women = site.data.persons.filter(pl.col("gender") == "K").select("person_id")
    only_women = site.data.with_frames(
        employments=site.data.employments.join(women, on="person_id", how="semi")
    )
    assert declared("figures_women") == _persons_on(only_women, NOVEMBER, MONTHLY)

    # The statutory note's total row counts ORDINARY_HOURS in the year, page and CLI alike.
    [note_year] = [y for y in pages["note"]["sjukfranvaro"] if y["ar"] == YEAR]
    [total] = [r for r in note_year["rader"] if r["nyckel"] == "total"]
    assert total["antal"] == declared("note")
    [cli_year] = [y for y in pages["cli_note"]["sjukfranvaro"] if y["ar"] == YEAR]
    [cli_total] = [r for r in cli_year["rader"] if r["nyckel"] == "total"]
    assert cli_total["antal"] == declared("cli_note")
    # The CLI's JSON is the web twin's: same fields, same counts; the percentages agree
    # to the last bits (the sums run in another order after a separate load).
    for cli_row, web_row in zip(cli_year["rader"], note_year["rader"], strict=True):
        assert cli_row.keys() == web_row.keys()
        assert {k: v for k, v in cli_row.items() if k != "procent"} == {
            k: v for k, v in web_row.items() if k != "procent"
        }
        assert cli_row["procent"] == pytest.approx(web_row["procent"], rel=1e-12)

    # Pay survey and EU report: employees on the survey date; projection: its stock.
    assert pages["paysurvey"]["progress"]["n_employees"] == declared("paysurvey")
    assert pages["eu_report"]["headcount"] == declared("eu_report")
    staff_start = pages["projection"]["nyckeltal"]["projection_staff_start"]
    assert staff_start == declared("projection")
