"""Every export format of the statutory note keeps small-group protection: the ten men
are hidden, the eleven women shown, definitions included; every export is audited."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from pathlib import Path

import figdata
import polars as pl
import pytest
from figweb import CHEF, HR
from openpyxl import load_workbook
from webtesting import WebEnv, make_env, principal

from hallbar.core.access import SYSTEM, Role
from hallbar.core.errors import HallbarError
from hallbar.services import audit
from hallbar.services.figures import exports
from hallbar.services.figures.request import FigureRequest

Y = FigureRequest(year=2025)
WOMEN = 210 / 13200 * 100  # 11 women: 210 sick hours of 11 × 1 200 scheduled hours
TOTAL = 240 / 25200 * 100


def _export(env: WebEnv, view: str, fmt: str, request: FigureRequest = Y) -> exports.Export:
    return exports.export(env.hb, HR, "9999", request, view, fmt, client="test")


def test_excel_note(shared_env: WebEnv) -> None:
    out = _export(shared_env, "sjukfranvaro", "xlsx")
    book = load_workbook(io.BytesIO(out.content))
    assert book.sheetnames[0] == "Definitioner"
    defs = [
        [c for c in row if c is not None]
        for row in book["Definitioner"].iter_rows(values_only=True)
    ]
    assert any("Sjukfrånvarotimmar i procent av ordinarie arbetstid" in str(r) for r in defs)
    sheet = book["Sjukfrånvaro 2025"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    # Columns as on the page: figure, 2025, 2024, 2023, head counts 2025, Kolada id.
    assert rows["Sjukfrånvaro kvinnor"][1] == pytest.approx(WOMEN / 100)  # a percent cell
    assert rows["Sjukfrånvaro män"][1] == ".."  # hidden, marked
    assert rows["Sjukfrånvaro män"][4] == ".."
    assert rows["Total sjukfrånvaro"][1] == pytest.approx(TOTAL / 100)
    assert sheet._charts, "the annual-report table has a native chart"
    assert "Sjukfrånvaro per år" in book.sheetnames


def test_csv_json_html_kolada_note(shared_env: WebEnv) -> None:
    archive = zipfile.ZipFile(io.BytesIO(_export(shared_env, "sjukfranvaro", "csv").content))
    name = next(n for n in archive.namelist() if n.startswith("01_") and "definitioner" not in n)
    rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";"))
    by_label = {r[0]: r for r in rows[1:]}
    assert by_label["Sjukfrånvaro män"][1] == ".."
    assert by_label["Sjukfrånvaro kvinnor"][1].startswith("1,59")
    assert any("definitioner" in n for n in archive.namelist())

    data = json.loads(_export(shared_env, "sjukfranvaro", "json").content)
    table = data["tables"][0]
    men = next(r for r in table["rows"] if r["values"]["Nyckeltal"] == "Sjukfrånvaro män")
    women = next(r for r in table["rows"] if r["values"]["Nyckeltal"] == "Sjukfrånvaro kvinnor")
    assert men["suppressed"] and men["values"]["Sjukfrånvaro 2025"] is None
    assert men["marks"]["Sjukfrånvaro 2025"] == ".."
    assert women["values"]["Sjukfrånvaro 2025"] == pytest.approx(WOMEN)
    assert table["definitions"][0]["definition_sv"].startswith("Sjukfrånvarotimmar")
    kolada_json = {(k["kpi"], k["gender"], k["period"]): k["value"] for k in data["kolada"]}
    assert kolada_json[("N00090", "M", 2025)] is None

    html = _export(shared_env, "sjukfranvaro", "html").content.decode()
    assert "Sjukfrånvaro män" in html and "Definitioner" in html
    assert "1,6 %" in html  # women, Swedish format
    assert "0,25" not in html  # the men's 0,25 % never leaves the service

    kolada = list(
        csv.DictReader(io.StringIO(_export(shared_env, "sjukfranvaro", "kolada").content.decode()))
    )
    cells = {(r["kpi"], r["gender"], r["period"]): r for r in kolada}
    assert (
        cells[("N00090", "M", "2025")]["value"] == ""
        and cells[("N00090", "M", "2025")]["status"] == "Missing"
    )
    assert float(cells[("N00090", "K", "2025")]["value"]) == pytest.approx(WOMEN)
    assert float(cells[("N00090", "T", "2025")]["value"]) == pytest.approx(TOTAL)
    assert float(cells[("N00091", "T", "2025")]["value"]) == pytest.approx(50.0)
    assert cells[("N00092", "T", "2025")]["municipality"] == "9999"


def test_annual_report_exports_carry_the_pages_three_years(shared_env: WebEnv) -> None:
    """The page shows 2025, 2024 and 2023 side by side; Excel and HTML show the same.

    figdata: sick leave only in 2025 (total 240 h of 21 × 1 200 h), none in 2024 and 2023
    (0 %); eleven women every year (shown), ten men (hidden every year)."""
    page = shared_env.client("hr").get("/figures/9999/sjukfranvaro", params={"ar": "2025"}).text
    head = page.split('id="arsredovisning"')[1].split("</thead>")[0]
    assert [y for y in ("2025", "2024", "2023") if f'class="num">{y}</th>' in head] == [
        "2025",
        "2024",
        "2023",
    ]

    book = load_workbook(io.BytesIO(_export(shared_env, "sjukfranvaro", "xlsx").content))
    sheet = book["Sjukfrånvaro 2025"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Nyckeltal")
    assert list(header[:6]) == [
        "Nyckeltal",
        "Sjukfrånvaro 2025 (%)",
        "Sjukfrånvaro 2024 (%)",
        "Sjukfrånvaro 2023 (%)",
        "Antal anställda 2025",
        "Kolada-id",
    ]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Total sjukfrånvaro"][1:4] == (pytest.approx(TOTAL / 100), 0, 0)
    # The women's head count (11) is hidden too: 21 − 11 would give the ten men.
    assert rows["Sjukfrånvaro kvinnor"][1:5] == (pytest.approx(WOMEN / 100), 0, 0, "..")
    assert rows["Total sjukfrånvaro"][4] == 21
    assert rows["Sjukfrånvaro män"][1:4] == ("..", "..", "..")  # ten men: hidden each year

    html = _export(shared_env, "sjukfranvaro", "html").content.decode()
    table = html.split("<table")[1].split("</table>")[0]
    assert all(f"Sjukfrånvaro {y} (%)" in table for y in (2025, 2024, 2023))
    women = table.split("Sjukfrånvaro kvinnor")[1].split("</tr>")[0]
    assert women.count("1,6 %") == 1 and women.count("0,0 %") == 2


def test_overview_exports_keep_secondary_suppression(shared_env: WebEnv) -> None:
    request = FigureRequest(2025, by="gender")
    data = json.loads(_export(shared_env, "nyckeltal", "json", request).content)
    sick = next(t for t in data["tables"] if t["id"] == "sick_leave_total")
    rows = {r["values"]["Kön"]: r for r in sick["rows"]}
    assert rows["Män"]["suppressed"] and rows["Kvinnor"]["suppressed"]
    assert rows["Totalt"]["values"]["sick_leave_total"] == pytest.approx(TOTAL)
    # overview without breakdown: the Kolada file has the figures with Kolada ids
    kolada = _export(shared_env, "nyckeltal", "kolada").content.decode()
    # N00951 is women's median monthly pay minus men's (figdata: every woman 30 000 kr,
    # every man 40 000 kr): 30 000 − 40 000 = −10 000 kr, and it has no K/M cut.
    assert "N00206,9999,2025,T," in kolada and "N00951,9999,2025,T,-10000.0" in kolada
    assert "N00951,9999,2025,K" not in kolada and "N00951,9999,2025,M" not in kolada
    with pytest.raises(HallbarError, match="Koladaformat"):
        _export(shared_env, "kvinnor-man", "kolada")


def test_every_view_exports_in_every_format(shared_env: WebEnv) -> None:
    for view in (
        "nyckeltal",
        "sjukfranvaro",
        "trend",
        "prioriterat",
        "kvinnor-man",
        "rehab",
        "upprepad",
    ):
        for fmt in ("xlsx", "csv", "json", "html"):
            out = _export(shared_env, view, fmt)
            assert out.content and out.filename.startswith(view)


def test_excel_sheets_have_short_unique_names(shared_env: WebEnv) -> None:
    """Every sheet name fits Excel's 31 characters and names its table; the dashboard's
    twelve tables (three per area) are told apart by short names."""
    for view in ("nyckeltal", "sjukfranvaro", "trend", "prioriterat", "kvinnor-man", "rehab"):
        names = load_workbook(io.BytesIO(_export(shared_env, view, "xlsx").content)).sheetnames
        assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)
    book = load_workbook(io.BytesIO(_export(shared_env, "prioriterat", "xlsx").content))
    areas = ("Heltid", "Hälsa", "Chefer", "Lön")
    assert book.sheetnames == [
        "Definitioner",
        *[n for a in areas for n in (a, f"{a} per år", f"{a} sticker ut")],
    ]
    # the sheet's first cell keeps the whole title
    assert book["Hälsa per år"]["A1"].value == (
        "Hälsa och stressrelaterad ohälsa: Total sjukfrånvaro per år"
    )


def test_exports_are_audited(shared_env: WebEnv) -> None:
    exports.export(shared_env.hb, CHEF, "9999", Y, "sjukfranvaro", "xlsx", client="test")
    exports.export(shared_env.hb, CHEF, "9999", Y, "rehab", "csv", client="test")
    log = audit.entries(shared_env.hb, SYSTEM, action=audit.Action.EXPORT, username="chef")
    targets = {e.target for e in log}
    assert "nyckeltal sjukfranvaro.xlsx" in targets and "nyckeltal rehab.csv" in targets
    assert any(e.target == "nyckeltal rehab_day30 enhet A1" for e in log)  # the list itself


def test_pack_files(shared_env: WebEnv, tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path)) / "utdata"
    written = exports.write_pack(shared_env.hb, HR, "9999", Y, folder)
    names = {p.name for p in written}
    assert {
        "nyckeltal-9999-2025.xlsx",
        "sjukfranvaro-9999-2025.html",
        "sjukfranvaro-9999-2025.kolada.csv",
    } <= names
    assert all(p.exists() and p.stat().st_size > 0 for p in written)


def test_kolada_files_of_a_region(tmp_path: Path) -> None:
    """A region coded 12 is written as 0012 (Kolada's code) with the region ids; the age
    groups' region ids are not in age order (≤29 N60027, 30–49 N60029, ≥50 N60028)."""
    base = figdata.build("12", "Testregion")
    data = dataclasses.replace(
        base, organisations=base.organisations.with_columns(pl.lit("region").alias("kind"))
    )
    env = make_env(tmp_path, {"12": data}, users={"hr": (Role.HR, ("12",), ())})
    try:
        hr = principal("hr", {"hr": (Role.HR, ("12",), ())})
        note = exports.export(env.hb, hr, "12", Y, "sjukfranvaro", "kolada").content.decode()
        rows = list(csv.DictReader(io.StringIO(note)))
        assert {r["municipality"] for r in rows} == {"0012"}
        assert {r["kpi"] for r in rows} == {"N60027", "N60028", "N60029", "N60030", "N60031"}
        table = exports.collect(env.hb, hr, "12", Y, "sjukfranvaro").tables[0].frame
        ids = dict(zip(table["Nyckeltal"], table["Kolada-id"], strict=True))
        assert ids["Sjukfrånvaro 29 år och yngre"] == "N60027"
        assert ids["Sjukfrånvaro 30–49 år"] == "N60029"
        assert ids["Sjukfrånvaro 50 år och äldre"] == "N60028"
        pack = exports.export(env.hb, hr, "12", Y, "nyckeltal", "kolada").content.decode()
        assert "N60953,0012,2025,T,-10000.0" in pack  # 30 000 − 40 000 kr, as above
        assert "N00951" not in pack and "N60953,0012,2025,K" not in pack
    finally:
        env.hb.close()


def test_a_hidden_answer_is_hidden_in_page_json_and_every_export(shared_env: WebEnv) -> None:
    # 30–49 år: 6 persons, hidden by the disclosure model (the organisation's age line,
    # see test_figures_filters): the same in the API, the page and every export.
    from hallbar.services.figures.filters import PopulationFilter

    request = FigureRequest(2025, population=PopulationFilter(age_band="30-49"))
    client = shared_env.client("hr")
    api = client.get("/api/figures/9999", params={"ar": "2025", "alder": "30-49"}).json()
    card = next(c for c in api["nyckeltal"] if c["id"] == "headcount")
    assert card["varde"] is None and card["dolt"] and card["dolt_skal"]
    assert all(p["n"] is None for p in api["populationer"])
    page = client.get("/figures/9999", params={"ar": "2025", "alder": "30-49"}).text
    assert "Uppgifterna för urvalet visas inte" in page
    data = json.loads(_export(shared_env, "nyckeltal", "json", request).content)
    head = next(t for t in data["tables"] if t["id"] == "nyckeltal")
    row = next(r for r in head["rows"] if r["values"]["Nyckeltal"] == "Antal anställda")
    assert row["suppressed"] and row["values"]["Värde"] is None
    book = load_workbook(io.BytesIO(_export(shared_env, "nyckeltal", "xlsx", request).content))
    sheet = next(book[n] for n in book.sheetnames if n != "Definitioner")
    cells = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert cells["Antal anställda"][2] == ".."
