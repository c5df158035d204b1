"""Agency staff (inhyrd personal) per occupation and month: the page, its JSON twin and
the exports, on the hand-made organisation (figdata) with pay and agency files added.

Payroll overhead is set to 50 %. Own staff and pay components, every month of 2025:

    5321 Undersköterska   A1   11 women × 30 000 = 330 000 × 1,5 = 495 000 kr a month
    2341 Grundskollärare  B    10 men   × 40 000 = 400 000 × 1,5 = 600 000 kr
    2221 Sjuksköterska    A1    2 women × 45 000 =  90 000 × 1,5 = 135 000 kr (two persons)
    all                                                          1 230 000 kr

Agency staff: 5321 January 200 h 99 000 kr (20 %), 5321 February 100 h 49 500 kr (10 %),
2341 March 50 h 60 000 kr (10 %), 2221 January 30 h 27 000 kr (20 %).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import figdata
import openpyxl
import polars as pl
import pytest
from figweb import CHEF, HR, USERS
from handmade import employment, frame, person
from webtesting import WebEnv, make_env

from hallbar.core import schema
from hallbar.core.errors import HallbarError
from hallbar.services.figures import agency
from hallbar.services.figures.filters import PopulationFilter
from hallbar.services.figures.request import FigureRequest

ORG = "9999"
Y = FigureRequest(2025)
JAN_SHARE = 100 * (99000 + 27000) / 1230000  # 10,24 %


def _data():
    base = figdata.build(ORG, "Testkommun")
    nurses = [person(p, date(1985, 3, 1), "K") for p in ("W12", "W13")]
    nurse_emps = [
        employment(f"E{p}", p, "A1", title="Sjuksköterska", monthly_pay=45000.0, ssyk="2221")
        for p in ("W12", "W13")
    ]
    persons = pl.concat([base.persons, frame(schema.PERSONS, ORG, nurses)])
    emps = pl.concat([base.employments, frame(schema.EMPLOYMENTS, ORG, nurse_emps)])
    pays = [
        {"employment_id": eid, "month": date(2025, m, 1), "kind": "fast", "amount": pay}
        for eid, pay in emps.select("employment_id", "monthly_pay").iter_rows()
        for m in range(1, 13)
    ]
    hired = [
        ("A1", "5321", 1, 200.0, 99000.0),
        ("A1", "5321", 2, 100.0, 49500.0),
        ("B", "2341", 3, 50.0, 60000.0),
        ("A1", "2221", 1, 30.0, 27000.0),
    ]
    agency_rows = [
        {"unit_id": u, "occupation": o, "month": date(2025, m, 1), "hours": h, "cost": c}
        for u, o, m, h, c in hired
    ]
    return base.with_frames(
        persons=persons,
        employments=emps,
        pay_components=frame(schema.PAY_COMPONENTS, ORG, pays),
        agency_staff=frame(schema.AGENCY_STAFF, ORG, agency_rows),
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    web = make_env(
        tmp_path_factory.mktemp("agency"),
        {ORG: _data()},
        sharing=(ORG,),
        users=USERS,
        payroll_overhead=0.5,
    )
    yield web
    web.hb.close()


def _rows(table, key: str) -> dict[str, dict]:
    return {r[key]: r for r in table.frame.to_dicts()}


def test_whole_selection_per_month_by_hand(env: WebEnv) -> None:
    view = agency.agency_view(env.hb, HR, ORG, Y)
    assert view.message_sv is None and view.monthly_total is not None
    months = _rows(view.monthly_total, "Månad")
    assert len(months) == 12  # January to December 2025
    jan = months["2025-01"]
    assert (jan["inhyrda_timmar"], jan["inhyrd_kostnad"]) == (230.0, 126000.0)  # 200 + 30 h
    assert jan["egen_personalkostnad"] == pytest.approx(1230000.0)
    assert jan["andel"] == pytest.approx(JAN_SHARE)
    assert months["2025-02"]["andel"] == pytest.approx(100 * 49500 / 1230000)
    assert months["2025-03"]["andel"] == pytest.approx(100 * 60000 / 1230000)
    assert months["2025-04"]["andel"] == pytest.approx(0.0)  # no agency staff: zero


def test_occupation_by_month_hides_the_same_small_occupations_every_month(env: WebEnv) -> None:
    view = agency.agency_view(env.hb, HR, ORG, Y)
    assert view.monthly is not None and view.yearly is not None
    frame_ = view.monthly.frame
    assert frame_.height == (3 + 1) * 12  # three occupations and the total, twelve months
    nurses = frame_.filter(pl.col("Yrke").str.starts_with("2221"))
    # two nurses: own cost and share hidden in every month; the invoices are shown
    assert nurses["suppressed"].all() and nurses["egen_personalkostnad"].is_null().all()
    assert nurses.filter(pl.col("Månad") == "2025-01")["inhyrd_kostnad"][0] == 27000.0
    hidden = set(frame_.filter(pl.col("suppressed"))["Yrke"].to_list())
    # 2221 and one complement, so the total minus the shown rows never gives the nurses
    assert len(hidden) == 2 and "Totalt" not in hidden
    for occupation in hidden:  # the same occupations in all twelve months
        assert frame_.filter(pl.col("Yrke") == occupation)["suppressed"].all()
    yearly_hidden = set(view.yearly.frame.filter(pl.col("suppressed"))["Yrke"].to_list())
    assert yearly_hidden == hidden
    total_jan = frame_.filter((pl.col("Yrke") == "Totalt") & (pl.col("Månad") == "2025-01"))
    assert total_jan["andel"][0] == pytest.approx(JAN_SHARE)
    shown = frame_.filter(~pl.col("Yrke").is_in(list(hidden)) & (pl.col("Yrke") != "Totalt"))
    share = dict(zip(shown["Månad"], shown["andel"], strict=True))
    if shown["Yrke"][0].startswith("5321"):
        assert share["2025-01"] == pytest.approx(20.0) and share["2025-02"] == pytest.approx(10.0)
    else:  # 2341: 60 000 / 600 000 in March
        assert share["2025-03"] == pytest.approx(10.0) and share["2025-01"] == pytest.approx(0.0)


def test_chosen_occupation_beside_the_whole_selection(env: WebEnv) -> None:
    # Default: the costliest occupation, 5321 (99 000 + 49 500 = 148 500 kr).
    view = agency.agency_view(env.hb, HR, ORG, Y)
    assert view.occupation == "5321"
    assert [c for c, _ in view.occupation_choices] == ["5321", "2341", "2221"]
    assert view.shares is not None
    shares = _rows(view.shares, "Månad")
    assert shares["2025-01"]["andel_hela"] == pytest.approx(JAN_SHARE)
    if (
        view.monthly is not None
        and not view.monthly.frame.filter(pl.col("Yrke").str.starts_with("5321"))[
            "suppressed"
        ].any()
    ):
        assert shares["2025-01"]["andel_yrke"] == pytest.approx(20.0)
    else:  # 5321 is the complement hidden with the nurses: a gap, not a number
        assert shares["2025-01"]["andel_yrke"] is None
    assert "<polyline" in view.svg_cost and "<polyline" in view.svg_share
    teachers = agency.agency_view(env.hb, HR, ORG, Y, "2341")
    assert teachers.occupation_label == "2341 Grundskollärare"
    assert "2341 Grundskollärare" in teachers.svg_share
    with pytest.raises(HallbarError, match="Välj ett yrke i listan"):
        agency.agency_view(env.hb, HR, ORG, Y, "9999")


def test_manager_sees_the_own_subtree_only(env: WebEnv) -> None:
    view = agency.agency_view(env.hb, CHEF, ORG, Y)
    assert [c for c, _ in view.occupation_choices] == ["5321", "2221"]  # no teachers in A1
    assert view.monthly_total is not None
    jan = _rows(view.monthly_total, "Månad")["2025-01"]
    # (99 000 + 27 000) / (495 000 + 135 000) = 20 %; the subtree's 13 persons: shown
    assert jan["andel"] == pytest.approx(20.0)
    assert _rows(view.monthly_total, "Månad")["2025-03"]["inhyrd_kostnad"] == 0.0  # B's invoice
    other = env.client("chef").get("/figures/9999/inhyrd?enhet=B")
    assert other.status_code == 404 and "Skola" not in other.text


def test_filters_on_the_agency_page(env: WebEnv) -> None:
    women = agency.agency_view(
        env.hb, HR, ORG, FigureRequest(2025, population=PopulationFilter(gender="K"))
    )
    assert women.monthly is None and "inget kön" in (women.message_sv or "")
    one = agency.agency_view(
        env.hb, HR, ORG, FigureRequest(2025, population=PopulationFilter(occupation="5321"))
    )
    assert one.monthly_total is not None
    jan = _rows(one.monthly_total, "Månad")["2025-01"]
    assert jan["andel"] == pytest.approx(20.0)  # 99 000 / 495 000
    assert [c for c, _ in one.occupation_choices] == ["5321"]


def test_page_api_and_role_cells(env: WebEnv) -> None:
    expected = {"admin": 403, "hr": 200, "chef": 200, "analytiker": 200, "regional": 200}
    for role, status in expected.items():
        client = env.client(role)
        assert client.get("/figures/9999/inhyrd").status_code == status, role
        api = client.get("/api/figures/9999/inhyrd")
        assert api.status_code == (401 if status == 401 else status), role
    html = env.client("hr").get("/figures/9999/inhyrd?valt_yrke=2341").text
    assert "Inhyrd personal per månad" in html and 'name="valt_yrke"' in html
    assert 'value="2341" selected' in html and "<svg" in html
    assert "/figures/9999/export/inhyrd.xlsx?valt_yrke=2341" in html
    assert env.client("hr").get("/figures/9999/inhyrd?valt_yrke=0000").status_code == 400
    data = env.client("hr").get("/api/figures/9999/inhyrd").json()
    assert data["valt_yrke"] == "5321"
    ids = [t["id"] for t in data["tabeller"]]
    assert ids == ["inhyrd_manad", "inhyrd_andel", "inhyrd_yrke_manad", "agency_staff"]
    assert env.anonymous().get("/figures/9999/inhyrd").status_code == 303
    assert env.anonymous().get("/api/figures/9999/inhyrd").status_code == 401


def test_exports_with_a_native_line_chart(env: WebEnv, tmp_path: Path) -> None:
    client = env.client("hr")
    xlsx = client.get("/figures/9999/export/inhyrd.xlsx")
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as zf:
        charts = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/chart")]
        # cost per month, and the two shares per month; the yearly table keeps its bars
        assert sum("<c:lineChart>" in c for c in charts) == 2
        assert sum("<c:barChart>" in c for c in charts) == 1
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "Definitioner" and len(book.sheetnames) == 5
    csv = client.get("/figures/9999/export/inhyrd.csv")
    with zipfile.ZipFile(io.BytesIO(csv.content)) as zf:
        assert len([n for n in zf.namelist() if "definitioner" not in n]) == 4
    data = json.loads(client.get("/figures/9999/export/inhyrd.json?valt_yrke=2341").content)
    shares = next(t for t in data["tables"] if t["id"] == "inhyrd_andel")
    march = next(r for r in shares["rows"] if r["values"]["Månad"] == "2025-03")
    assert march["values"]["andel_hela"] == pytest.approx(100 * 60000 / 1230000)
    filtered = client.get("/figures/9999/export/inhyrd.json?yrkeskod=5321")
    assert "Urval: Yrke 5321 Undersköterska" in json.loads(filtered.content)["period"]
    assert client.get("/figures/9999/export/inhyrd.xlsx?kon=K").status_code == 400
