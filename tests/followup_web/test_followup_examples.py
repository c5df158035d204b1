"""The example plans in examples/followup load through the services (as the demo does)."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from webtesting import WebEnv

from hallbar.core.access import SYSTEM
from hallbar.services.followup import examples, reports
from hallbar.services.imports.demo import DemoRun
from hallbar.store import followup


def test_example_plans_load_with_two_periods_followed_up(env: WebEnv) -> None:
    hb = env.hb
    plans = examples.load_examples(hb, SYSTEM, "9999")
    assert [p.name for p in plans] == [
        "Tio strategier för kompetensförsörjning 2025",
        "Personalnämndens mål, uppdrag och budget 2025",
        "Aktivitetsplan vård och omsorg 2025–2026",
    ]
    strategies = followup.nodes(hb.store, plans[0].id)
    assert sum(1 for n in strategies if n.kind.value == "strategi") == 10  # seed 001's ten
    budget = plans[1]
    periods = {p.name: p.id for p in followup.periods(hb.store, budget.id)}
    report = reports.build_report(hb, SYSTEM, "9999", budget.id, periods["Tertial 2 2025"])
    rows = {r.title: r for r in report.rows}
    goal = rows["Attraktiv arbetsgivare, professionell verksamhet"]
    # seed 003: 40,6 + 3,2 + 168 + 5,4 = 217,2 MSEK, and the goal's own 217,2 agrees
    assert goal.budget is not None and goal.budget.allocation_sv == "217,2"
    assert goal.budget.mismatch_sv is None
    assert report.budget_total_sv == "217,2 MSEK"
    # outcome to date in tertial 2: 2,9 + 16,5 (d1) + 96 (d3) + 2,4 (d4) = 117,8 MSEK
    assert goal.budget.outcome_sv == "117,8"
    for name, entered in (("Tertial 1 2025", 13), ("Tertial 2 2025", 8)):
        period_id = periods[name]
        followed = {
            e.node_id for e in followup.entries(hb.store, budget.id) if e.period_id == period_id
        }
        assert len(followed) == entered
    table_plan = followup.nodes(hb.store, plans[2].id)
    # nine activities under seven areas, read by the Excel/CSV importer
    assert sum(1 for n in table_plan if n.parent_id is None) == 7
    assert sum(1 for n in table_plan if n.parent_id is not None) == 9
    # loading again replaces the plans instead of adding copies
    examples.load_examples(hb, SYSTEM, "9999")
    assert len(followup.list_plans(hb.store, "9999")) == 3


def test_word_report_reproduces_the_budget_summary(env: WebEnv) -> None:
    hb = env.hb
    plan = examples.load_examples(hb, SYSTEM, "9999")[1]
    periods = {p.name: p.id for p in followup.periods(hb.store, plan.id)}
    _, content = reports.report_docx(hb, SYSTEM, "9999", plan.id, periods["Tertial 1 2025"])
    table = Document(io.BytesIO(content)).tables[-1]
    lines = [tuple(c.text.strip() for c in r.cells[:2]) for r in table.rows]
    # seed 003, Bilaga 1: the sub-goals' grants and the total, in MSEK
    assert lines == [
        ("Rad", "Budget (MSEK)"),
        ("Attraktiv arbetsgivare, professionell verksamhet", "217,2"),
        ("Säkra en hållbar och långsiktig kompetensförsörjning", "40,6"),
        ("Attraktiv arbetsplats", "3,2"),
        ("Stöd medarbetarutveckling", "168"),
        ("Använd kompetensen rätt", "5,4"),
    ]


def test_demo_step(env: WebEnv) -> None:
    run = DemoRun(env.hb, size=0, seed=1, as_of=date(2025, 12, 31), org_id="9999")
    examples.demo_step(run)
    assert run.notes[-1].startswith("Exempelplaner för uppföljning: Tio strategier")
    assert len(followup.list_plans(env.hb.store, "9999")) == 3
