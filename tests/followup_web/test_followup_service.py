"""The follow-up services on figdata's Testkommun: live key figures with their protection,
roles, audit, budget and the report. Key-figure values are worked out in ``figdata``."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import pytest
from docx import Document
from fuweb import ANALYST, CHEF, CHEF_B, COMMITTEE, HR
from webtesting import WebEnv

from hallbar.core.access import SYSTEM
from hallbar.core.errors import AccessDenied, InputError, NotFound
from hallbar.core.population import MONTHLY_PAID
from hallbar.followup.indicators import MANUAL, Direction, IndicatorSpec, Light
from hallbar.followup.model import NodeKind, RollupRule, Status
from hallbar.regional.kolada_compare import KOLADA_FRAME
from hallbar.regional.organisations import Organisation, OrgKind
from hallbar.reports.followup_document import docx_text
from hallbar.services import audit
from hallbar.services.followup import indicators, periods, plans, reports, views
from hallbar.store import regional


def _plan(env: WebEnv) -> tuple[int, dict[str, int], dict[str, int]]:
    hb = env.hb
    plan = plans.create_plan(hb, HR, "9999", "Personalplan", committee="Personalnämnden", year=2025)
    goal = plans.add_node(
        hb, HR, "9999", plan.id, plans.NodeInput("Attraktiv arbetsgivare", NodeKind.GOAL)
    )
    sub = plans.add_node(
        hb,
        HR,
        "9999",
        plan.id,
        plans.NodeInput(
            "Hälsofrämjande arbetssätt", NodeKind.SUB_GOAL, goal.id, rollup=RollupRule.WORST
        ),
    )
    care = plans.add_node(
        hb,
        HR,
        "9999",
        plan.id,
        plans.NodeInput(
            "Minska sjukfrånvaron i omsorgen", NodeKind.ACTIVITY, sub.id, owner_unit="A1"
        ),
    )
    school = plans.add_node(
        hb,
        HR,
        "9999",
        plan.id,
        plans.NodeInput("Friskvård i skolan", NodeKind.ACTIVITY, sub.id, owner_unit="B"),
    )
    data = plans.open_plan(hb, HR, "9999", plan.id, plans.Resource.FOLLOWUP_PLANS)
    ids = {"goal": goal.id, "sub": sub.id, "care": care.id, "school": school.id}
    return plan.id, ids, {p.name: p.id for p in data.periods}


def test_live_indicators_use_the_key_figures_and_their_protection(env: WebEnv) -> None:
    hb = env.hb
    plan_id, ids, period_ids = _plan(env)
    org = indicators.add_indicator(
        hb,
        HR,
        "9999",
        plan_id,
        IndicatorSpec(
            0,
            ids["goal"],
            "",
            "sick_leave_total",
            direction=Direction.DOWN,
            baseline=1.5,
            baseline_year=2024,
            target=1.0,
            target_year=2025,
        ),
    )
    school = indicators.add_indicator(
        hb, HR, "9999", plan_id, IndicatorSpec(0, ids["school"], "", "sick_leave_total")
    )
    heads = indicators.add_indicator(
        hb, HR, "9999", plan_id, IndicatorSpec(0, ids["care"], "", "headcount")
    )
    data = plans.open_plan(hb, HR, "9999", plan_id, plans.Resource.FOLLOWUP_PLANS)
    year_end = data.period(period_ids["Helår 2025"])
    values = indicators.values_for(hb, HR, data, year_end)
    # figdata: 240 sick hours of 21 × 1 200 = 25 200 scheduled hours in 2025
    assert values[org.id].value == pytest.approx(round(240 / 25200 * 100, 2))
    # 0,95 % is below the target 1,0 (lower is better): green
    assert values[org.id].light is Light.GREEN
    assert org.name == "Total sjukfrånvaro"  # the registry's name when none is given
    # Skola has ten men: below SKR's eleven, so the value is hidden and the reason shown
    assert values[school.id].value is None
    assert values[school.id].reason_sv == indicators.HIDDEN_SV
    # Hemtjänst (the activity's own unit) has 11 women
    assert values[heads.id].value == 11
    # Each live value names whom it counts: the key figures' population (monthly-paid on
    # 1 November, SKR's date) in the row's unit subtree.
    counted = {k: m.counted for k, m in indicators.measured_for(hb, HR, data, year_end).items()}
    whole, school_count, care_count = counted[org.id], counted[school.id], counted[heads.id]
    assert whole is not None and school_count is not None and care_count is not None
    # the goal has no unit: the whole organisation, 11 women + 10 men = 21
    assert (whole.count.population, whole.count.reference) == (MONTHLY_PAID, date(2025, 11, 1))
    assert (whole.count.n, whole.unit_id, whole.hidden) == (21, None, False)
    # Skola's ten men: the value is hidden, so is the number, not whom it counts
    assert (school_count.unit_id, school_count.hidden) == ("B", True)
    assert school_count.as_json()["n"] is None
    assert (care_count.count.n, care_count.unit_id) == (11, "A1")
    # a year without data gives the key-figure pages' own reason
    later = plans.add_period(
        hb,
        HR,
        "9999",
        plan_id,
        "Tertial 1 2026",
        date(2026, 1, 1),
        date(2026, 4, 30),
        date(2026, 5, 15),
    )
    data = plans.open_plan(hb, HR, "9999", plan_id, plans.Resource.FOLLOWUP_PLANS)
    missing = indicators.values_for(hb, HR, data, later)[org.id]
    assert missing.value is None and "2026" in (missing.reason_sv or "")


def test_manual_indicator_follow_up_roll_up_and_report(env: WebEnv) -> None:
    hb = env.hb
    plan_id, ids, period_ids = _plan(env)
    manual = indicators.add_indicator(
        hb,
        HR,
        "9999",
        plan_id,
        IndicatorSpec(0, ids["care"], "Antal hälsosamtal", MANUAL, target=40.0),
    )
    t1, t2 = period_ids["Tertial 1 2025"], period_ids["Tertial 2 2025"]
    periods.follow_up(
        hb,
        CHEF,
        "9999",
        plan_id,
        ids["care"],
        t1,
        Status.ON_TRACK,
        "Hälsosamtal startade i mars.",
        {manual.id: 12.0},
        150_000,
    )
    periods.follow_up(hb, HR, "9999", plan_id, ids["school"], t1, Status.RISK, "Få anmälda.")
    periods.follow_up(
        hb,
        CHEF,
        "9999",
        plan_id,
        ids["care"],
        t2,
        Status.DONE,
        "Alla har erbjudits samtal.",
        {manual.id: 41.0},
    )
    plans.set_budget(hb, HR, "9999", plan_id, ids["sub"], 2025, 3_200_000)
    plans.set_budget(hb, HR, "9999", plan_id, ids["care"], 2025, 2_000_000)
    plans.set_budget(hb, HR, "9999", plan_id, ids["school"], 2025, 1_000_000)
    r1 = reports.build_report(hb, HR, "9999", plan_id, t1)
    rows = {r.node_id: r for r in r1.rows}
    # worst of (enligt plan, risk) is risk, and it rolls up to the goal
    assert rows[ids["sub"]].status_key == "risk"
    assert rows[ids["goal"]].status_key == "risk"
    assert rows[ids["care"]].indicators[0].value == 12.0
    # 12 of 40 with no baseline: |40 − 12| / 40 = 0,7 > 0,1 -> red
    assert rows[ids["care"]].indicators[0].light == "röd"
    # 2,0 + 1,0 = 3,0 MSEK of the sub-goal's 3,2: flagged
    sub_budget = rows[ids["sub"]].budget
    assert sub_budget is not None and sub_budget.mismatch_sv is not None
    assert "3 MSEK, inte 3,2 MSEK" in sub_budget.mismatch_sv
    r2 = reports.build_report(hb, HR, "9999", plan_id, t2)
    rows2 = {r.node_id: r for r in r2.rows}
    assert rows2[ids["care"]].status_key == "klar"
    assert rows2[ids["care"]].previous_comment == "Hälsosamtal startade i mars."
    # the school was not followed up in T2: it keeps T1's risk
    assert rows2[ids["school"]].status_key == "risk"
    assert rows2[ids["school"]].updated_sv == "Inte uppföljd i perioden"
    assert [v for _, v in rows2[ids["care"]].indicators[0].series] == [12.0, 41.0, None]
    content = reports.report_docx(hb, COMMITTEE, "9999", plan_id, t2)[1]
    # the manual indicator's small chart (12 and 41 in the two tertials) is a picture
    assert len(Document(io.BytesIO(content)).inline_shapes) == 1
    text = docx_text(content)
    assert "Uppföljning Tertial 2 2025" in text and "Alla har erbjudits samtal." in text
    logged = [e.detail for e in audit.entries(hb, SYSTEM, action=audit.Action.FOLLOWUP_CHANGED)]
    assert "uppföljning Tertial 2 2025: klar" in logged


def test_roles(env: WebEnv) -> None:
    hb = env.hb
    plan_id, ids, period_ids = _plan(env)
    t1 = period_ids["Tertial 1 2025"]
    # the manager of Omsorg may follow up Hemtjänst's activity, not Skola's
    periods.follow_up(hb, CHEF, "9999", plan_id, ids["care"], t1, Status.ON_TRACK)
    with pytest.raises(AccessDenied):
        periods.follow_up(hb, CHEF, "9999", plan_id, ids["school"], t1, Status.ON_TRACK)
    periods.follow_up(hb, CHEF_B, "9999", plan_id, ids["school"], t1, Status.RISK)
    # managers do not edit plans; analysts and committee members only read
    with pytest.raises(AccessDenied):
        plans.add_node(hb, CHEF, "9999", plan_id, plans.NodeInput("x"))
    for reader in (ANALYST, COMMITTEE):
        with pytest.raises(AccessDenied):
            periods.follow_up(hb, reader, "9999", plan_id, ids["care"], t1, Status.DONE)
        view = views.plan_view(hb, reader, "9999", plan_id, t1)
        assert not view.may_edit and not view.updatable
    # another organisation's plan id looks like no plan at all
    with pytest.raises(NotFound):
        plans.open_plan(hb, HR, "8888", plan_id, plans.Resource.FOLLOWUP_PLANS)


def test_copy_down_and_next_period(env: WebEnv) -> None:
    hb = env.hb
    plan_id, _ids, period_ids = _plan(env)
    top = plans.add_node(
        hb, HR, "9999", plan_id, plans.NodeInput("Medarbetarsamtal", owner_unit="A")
    )
    copies = plans.copy_to_sub_units(hb, HR, "9999", plan_id, top.id)
    assert [(c.title, c.owner_unit) for c in copies] == [("Medarbetarsamtal – Hemtjänst", "A1")]
    year_end = period_ids["Helår 2025"]
    nxt = periods.ensure_next_period(hb, HR, "9999", plan_id, year_end)
    assert (nxt.name, nxt.start, nxt.end, nxt.due) == (
        "Tertial 1 2026",
        date(2026, 1, 1),
        date(2026, 4, 30),
        date(2026, 5, 15),
    )
    assert (
        periods.ensure_next_period(hb, HR, "9999", plan_id, period_ids["Tertial 1 2025"]).name
        == "Tertial 2 2025"
    )


def test_one_occupation_figures(env: WebEnv) -> None:
    hb = env.hb
    plan_id, ids, period_ids = _plan(env)
    spread = indicators.add_indicator(
        hb,
        HR,
        "9999",
        plan_id,
        IndicatorSpec(0, ids["goal"], "", "pay_percentiles", filters="yrkeskod=5321"),
    )
    agency = indicators.add_indicator(
        hb,
        HR,
        "9999",
        plan_id,
        IndicatorSpec(0, ids["goal"], "", "agency_staff", filters="yrkeskod=5321"),
    )
    with pytest.raises(plans.FollowupInputError, match="yrkeskod=2221"):
        indicators.add_indicator(
            hb, HR, "9999", plan_id, IndicatorSpec(0, ids["goal"], "", "pay_percentiles")
        )
    # a filter the key-figure pages refuse is refused with their own message (an InputError)
    with pytest.raises(InputError, match="tjugo"):
        indicators.add_indicator(
            hb,
            HR,
            "9999",
            plan_id,
            IndicatorSpec(0, ids["goal"], "", "sick_leave_total", filters="ar=tjugo"),
        )
    data = plans.open_plan(hb, HR, "9999", plan_id, plans.Resource.FOLLOWUP_PLANS)
    values = indicators.values_for(hb, HR, data, data.period(period_ids["Helår 2025"]))
    # figdata: all eleven undersköterskor (5321) earn 30 000 kr, so P90/P10 = 30 000 / 30 000
    assert values[spread.id].value == 1.0
    assert spread.name == "Lönespridning P90/P10 för ett yrke"
    # figdata has no agency staff: the key-figure page's own reason is shown
    assert values[agency.id].value is None
    assert "inhyrd personal" in (values[agency.id].reason_sv or "")


def test_kolada_value_beside_the_own_value(env: WebEnv) -> None:
    """A stored Kolada download (the regional view's) gives the published value for the
    whole organisation; a unit's value has nothing to compare with in Kolada."""
    hb = env.hb
    plan_id, ids, period_ids = _plan(env)
    regional.save_organisation(hb.store, Organisation("9999", "Testkommun", OrgKind.MUNICIPALITY))
    published = pl.DataFrame(
        {
            "kpi": ["N00090", "N00090"],
            "municipality": ["9999", "9999"],
            "period": [2025, 2025],
            "gender": ["T", "K"],
            "value": [6.4, 7.2],
            "status": [None, None],
        },
        schema=KOLADA_FRAME,
    )
    regional.save_kolada(
        hb.store,
        published,
        kpi="N00090",
        period=2025,
        source="kolada.se (fil)",
        downloaded_on=date(2026, 3, 1),
        stored_by="hr",
    )
    whole = indicators.add_indicator(
        hb, HR, "9999", plan_id, IndicatorSpec(0, ids["goal"], "", "sick_leave_total")
    )
    unit = indicators.add_indicator(
        hb, HR, "9999", plan_id, IndicatorSpec(0, ids["care"], "", "sick_leave_total")
    )
    data = plans.open_plan(hb, HR, "9999", plan_id, plans.Resource.FOLLOWUP_PLANS)
    values = indicators.values_for(hb, HR, data, data.period(period_ids["Helår 2025"]))
    assert values[whole.id].kolada_value == 6.4  # the total (T), not the women's cut
    assert values[unit.id].kolada_value is None  # Hemtjänst: a unit, not the municipality
    report = reports.report_view(hb, HR, "9999", plan_id, period_ids["Helår 2025"]).report
    sources = [i.source_sv for row in report.rows for i in row.indicators]
    assert any("Koladas publicerade värde 2025: 6,4 %" in s for s in sources), sources
