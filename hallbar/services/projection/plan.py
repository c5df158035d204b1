"""The competence-supply plan: HR's activities per occupation and the plan document.

The plan is a projection (the default scenario or a saved one) laid out per
occupation with the activities HR plans, as printable HTML and Excel
(``hallbar.reports.plan_document``). Everyone who may see results may read the
plan; HR and administrators add and remove activities. Exports are audited.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import InputError, NotFound
from hallbar.privacy.suppression import SUPPRESSED_COL
from hallbar.projection import descriptions
from hallbar.reports.formatting import format_number_unbroken
from hallbar.reports.json_export import table_to_json
from hallbar.reports.plan_document import (
    PlanActivity,
    PlanDocument,
    PlanOccupation,
    render_plan_html,
    write_plan_excel,
)
from hallbar.services.audit import Action, now, record
from hallbar.services.projection.access import may_edit
from hallbar.services.projection.figures import ALL_LABEL, OCC, STAFF_START, SURPLUS
from hallbar.services.projection.params import ProjectionRequest, default_request
from hallbar.services.projection.scenarios import (
    Comparison,
    SavedScenario,
    compare,
    get_scenario,
    list_scenarios,
    saved_request,
)
from hallbar.services.projection.views import ProjectionView, projection_view
from hallbar.services.scope import load
from hallbar.store import projections

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

ACTIVITY_NOT_FOUND = "Aktiviteten finns inte. Ladda om sidan."
GENERAL = "Alla yrken"

RETIREMENT_MODES_SV = {
    "target": "Riktåldern för pension",
    "las": "LAS-åldern",
    "observed": "Organisationens egna avgångsmönster",
}
DEMAND_MODES_SV = {
    "unchanged": "Oförändrat behov",
    "growth": "Årlig tillväxt",
    "population": "Styrs av befolkningsprognosen",
}
FIGURE_LABELS: tuple[tuple[str, str], ...] = (
    (STAFF_START.id, "Personal vid start"),
    (descriptions.RETIREMENTS.id, "Pensionsavgångar"),
    (descriptions.TURNOVER.id, "Personalomsättning"),
    (descriptions.DEMAND_CHANGE.id, "Förändrat behov"),
    (SURPLUS.id, "Justering för överskott"),
    (descriptions.NEED.id, "Rekryteringsbehov"),
    (descriptions.NEED_FTE.id, "Rekryteringsbehov (årsarbetare)"),
    (descriptions.COST_INCREASE.id, "Kostnad för personalökningen (kr)"),
)


class ActivityInputError(InputError):
    """A bad activity form; the message says what to correct."""


@dataclass(frozen=True)
class Activity:
    id: int
    occupation: str
    text: str
    responsible: str
    timeframe: str
    created_by: str


@dataclass(frozen=True)
class PlanView:
    org_id: str
    view: ProjectionView
    scenario: SavedScenario | None
    scenarios: tuple[SavedScenario, ...]
    activities: tuple[Activity, ...]
    groups: tuple[str, ...]  # occupation groups one can plan for (shown groups + "Alla yrken")
    document: PlanDocument
    may_edit: bool


# --- activities ----------------------------------------------------------------------


def activities(hb: Hallbar, principal: Principal, org_id: str) -> list[Activity]:
    load(hb, principal, org_id, Resource.PROJ_PLAN)
    return [
        Activity(r.id, r.occupation, r.text, r.responsible, r.timeframe, r.created_by)
        for r in projections.activities(hb.store, org_id)
    ]


def add_activity(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    *,
    occupation: str,
    text: str,
    responsible: str = "",
    timeframe: str = "",
) -> Activity:
    load(hb, principal, org_id, Resource.PROJ_EDIT)
    occupation, text = occupation.strip(), text.strip()
    responsible, timeframe = responsible.strip(), timeframe.strip()
    if not occupation:
        raise ActivityInputError("Välj vilket yrke aktiviteten gäller (eller Alla yrken).")
    if not text:
        raise ActivityInputError(
            "Beskriv aktiviteten, t.ex. ”Utbilda 10 vårdbiträden till undersköterskor”."
        )
    if len(text) > 2000 or len(responsible) > 200 or len(timeframe) > 100 or len(occupation) > 200:
        raise ActivityInputError(
            "Texten är för lång: högst 2 000 tecken för aktiviteten, 200 för ansvarig och 100 för tidsram."
        )
    row = projections.add_activity(
        hb.store,
        org_id,
        occupation=occupation,
        text=text,
        responsible=responsible,
        timeframe=timeframe,
        by=principal.username,
        at=now(),
    )
    return Activity(row.id, occupation, text, responsible, timeframe, principal.username)


def delete_activity(hb: Hallbar, principal: Principal, org_id: str, activity_id: int) -> None:
    load(hb, principal, org_id, Resource.PROJ_EDIT)
    if not projections.delete_activity(hb.store, org_id, activity_id):
        raise NotFound(ACTIVITY_NOT_FOUND)


# --- the plan --------------------------------------------------------------------------


def _pct(x: float) -> str:
    """0.4015 -> "40,15 %", 0.3 -> "30 %", -0.015 -> "−1,5 %" (at most two decimals, no
    trailing zeros)."""
    return format_number_unbroken(x * 100, 2).rstrip("0").rstrip(",") + "\u00a0%"


def scenario_settings(
    request: ProjectionRequest, view: ProjectionView
) -> tuple[tuple[str, str], ...]:
    """The scenario's assumptions and levers in Swedish, for the plan."""
    s, lev = request.scenario, request.scenario.levers
    out = [
        ("Period", f"{view.base_year + 1}–{view.last_year} ({s.horizon} år)"),
        ("Urval", view.scope_label),
        ("Yrkesindelning", "SSYK 2012" if request.occupation_key == "ssyk" else "AID-etikett"),
        (
            "Pensionsmodell",
            f"{RETIREMENT_MODES_SV[s.retirement_mode]} (riktålder {s.target_pension_age}, LAS {s.las_age} år)",
        ),
        (
            "Efterfrågan",
            DEMAND_MODES_SV[s.demand_mode]
            + (f" {_pct(s.growth_rate)} per år" if s.demand_mode == "growth" else ""),
        ),
        (
            "Personalomsättning",
            "organisationens egen historik"
            if s.turnover_rate is None
            else f"{_pct(s.turnover_rate)} per år (scenariots antagande)",
        ),
        ("Personalomkostnadspålägg", _pct(s.payroll_overhead)),
        (
            "Nya tjänster",
            "heltid" if s.new_positions_full_time else "yrkets genomsnittliga sysselsättningsgrad",
        ),
        ("Andel som täcks av andra lösningar", _pct(lev.other_solutions_share)),
        ("Senare pension", f"{lev.retirement_delay_years} år"),
        ("Lägre personalomsättning", _pct(lev.turnover_reduction)),
        ("Lägre sjukfrånvaro", f"{lev.sick_leave_reduction_pp:g} procentenheter".replace(".", ",")),
        ("Produktivitet", _pct(lev.productivity_gain) + " per år"),
    ]
    if lev.part_time_target_rate is not None or lev.part_time_extra_hours is not None:
        how = []
        if lev.part_time_target_rate is not None:
            how.append(f"upp till {lev.part_time_target_rate:g} %")
        if lev.part_time_extra_hours is not None:
            how.append(f"+{lev.part_time_extra_hours:g} timmar i veckan")
        out.append(
            (
                "Deltidare går upp i tid",
                f"{' och '.join(how)} ({_pct(lev.part_time_participation)} av deltidarna)",
            )
        )
    for t in lev.task_shifts:
        out.append(
            (
                "Uppgiftsväxling",
                f"{t.fte:g} årsarbetare från {t.from_occupation} till {t.to_occupation}",
            )
        )
    for occ, n in lev.graduates_per_year:
        out.append(("Examinerade per år", f"{occ}: {n:g}"))
    return tuple(out)


def _money(x: float) -> str:
    return f"{format_number_unbroken(x / 1e6, 1)} mnkr"


def _persons(x: float) -> str:
    return format_number_unbroken(x)


def build_document(
    view: ProjectionView,
    scenario: SavedScenario | None,
    acts: list[Activity],
    comparison: Comparison | None,
) -> PlanDocument:
    frame = view.occupations.frame
    rows = {r[OCC]: r for r in frame.to_dicts()}
    by_group: dict[str, list[PlanActivity]] = {}
    for a in acts:
        by_group.setdefault(a.occupation, []).append(
            PlanActivity(a.occupation, a.text, a.responsible, a.timeframe)
        )
    pyramids = {p.group: p for p in view.pyramids[1:]}
    occupations = []
    for group in frame[OCC].to_list():
        if group == ALL_LABEL:
            continue
        row = rows[group]
        acts_here = tuple(by_group.pop(group, ()))
        if row[SUPPRESSED_COL] and not acts_here:
            continue
        pyramid = pyramids.get(group)
        occupations.append(
            PlanOccupation(
                group,
                {fid: row.get(fid) for fid, _ in FIGURE_LABELS},
                pyramid.table if pyramid else None,
                pyramid.svg if pyramid else "",
                acts_here,
            )
        )
    # Activities for groups no longer in the data (or for all occupations) are kept.
    general = tuple(by_group.pop(GENERAL, ())) + tuple(
        a for rest in by_group.values() for a in rest
    )
    k = view.key_figures
    key = (
        ("Personal vid start", _persons(k[STAFF_START.id])),
        ("Rekryteringsbehov", _persons(k[descriptions.NEED.id])),
        ("varav pensionsavgångar", _persons(k[descriptions.RETIREMENTS.id])),
        ("varav personalomsättning", _persons(k[descriptions.TURNOVER.id])),
        ("Förändrat behov", _persons(k[descriptions.DEMAND_CHANGE.id])),
        ("Kostnad för personalökningen", _money(k[descriptions.COST_INCREASE.id])),
    )
    return PlanDocument(
        org_id=view.org_id,
        org_name=view.org_name,
        scope_label=view.scope_label,
        created=date.today(),
        period=f"{view.base_year + 1}–{view.last_year}",
        scenario_name=scenario.name if scenario else view.request.scenario.name,
        scenario_description=scenario.description
        if scenario
        else "Standardinställningar utan åtgärder.",
        settings=scenario_settings(view.request, view),
        key_figures=key,
        occupations_table=view.occupations,
        yearly_table=view.yearly,
        waterfall_table=view.waterfall,
        need_chart_svg=view.charts["need_by_year"],
        waterfall_svg=view.charts["waterfall"],
        occupations=tuple(occupations),
        general_activities=general,
        notices=view.notices,
        comparison_table=comparison.table if comparison else None,
        comparison_svg=comparison.svg if comparison else "",
        figure_labels=FIGURE_LABELS,
    )


def plan_view(
    hb: Hallbar, principal: Principal, org_id: str, scenario_id: int | None = None
) -> PlanView:
    load(hb, principal, org_id, Resource.PROJ_PLAN)
    saved = get_scenario(hb, principal, org_id, scenario_id) if scenario_id is not None else None
    request = saved_request(saved) if saved else default_request(hb.settings)
    view = projection_view(hb, principal, org_id, request, saved.import_id if saved else None)
    scenarios = list_scenarios(hb, principal, org_id)
    acts = activities(hb, principal, org_id)
    comparison = None
    if saved is not None and len(scenarios) >= 2:
        others = [s.id for s in scenarios if s.id != saved.id][:3]
        comparison = compare(hb, principal, org_id, [saved.id, *others])
    groups = (GENERAL, *(g for g in view.occupations.frame[OCC].to_list() if g != ALL_LABEL))
    return PlanView(
        org_id,
        view,
        saved,
        tuple(scenarios),
        tuple(acts),
        groups,
        build_document(view, saved, acts, comparison),
        may_edit(principal),
    )


def _record_export(
    hb: Hallbar, principal: Principal, plan: PlanView, fmt: str, client: str
) -> None:
    record(
        hb,
        principal.username,
        Action.EXPORT,
        org_id=plan.org_id,
        target=f"kompetensförsörjningsplan ({fmt})",
        detail=plan.document.scenario_name,
        client=client,
    )


def plan_html(
    hb: Hallbar, principal: Principal, org_id: str, scenario_id: int | None, client: str = ""
) -> str:
    plan = plan_view(hb, principal, org_id, scenario_id)
    _record_export(hb, principal, plan, "HTML", client)
    return render_plan_html(plan.document)


def plan_excel(
    hb: Hallbar, principal: Principal, org_id: str, scenario_id: int | None, client: str = ""
) -> bytes:
    plan = plan_view(hb, principal, org_id, scenario_id)
    with tempfile.TemporaryDirectory(prefix="hallbar-plan-") as tmp:
        path = write_plan_excel(plan.document, Path(tmp) / "plan.xlsx")
        content = path.read_bytes()
    _record_export(hb, principal, plan, "Excel", client)
    return content


def plan_json(plan: PlanView) -> dict[str, Any]:
    doc = plan.document
    return {
        "organisation": plan.org_id,
        "period": doc.period,
        "scenario": plan.scenario.to_json() if plan.scenario else None,
        "antaganden": [{"inställning": k, "värde": v} for k, v in doc.settings],
        "per_yrke": table_to_json(doc.occupations_table),
        "per_ar": table_to_json(doc.yearly_table),
        "atgarder": table_to_json(doc.waterfall_table),
        "yrken": [
            {
                "yrke": o.group,
                "nyckeltal": o.figures,
                "aldersstruktur": table_to_json(o.age_table) if o.age_table else None,
                "aktiviteter": [vars(a) for a in o.activities],
            }
            for o in doc.occupations
        ],
        "aktiviteter_alla_yrken": [vars(a) for a in doc.general_activities],
        "jamforelse": table_to_json(doc.comparison_table) if doc.comparison_table else None,
        "meddelanden": list(doc.notices),
    }
