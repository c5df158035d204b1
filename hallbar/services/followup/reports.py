"""The follow-up report per committee and period: one view for the page, the JSON twin,
Word, printable HTML and Excel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from hallbar.core.access import Principal, Resource
from hallbar.followup.budget import BudgetLine, plan_total
from hallbar.followup.indicators import MANUAL, NEAR_TARGET, light_label_sv
from hallbar.followup.model import (
    NODE_KIND_LABELS_SV,
    ROLLUP_LABELS_SV,
    STATUS_LABELS_SV,
    Status,
)
from hallbar.followup.periods import Period, current_entries
from hallbar.followup.tree import Rolled
from hallbar.indicators import registry
from hallbar.reports.followup_document import (
    FollowupReport,
    ReportBudget,
    ReportIndicator,
    ReportRow,
    number,
    render_report_html,
    write_docx,
)
from hallbar.reports.formatting import format_msek
from hallbar.services.audit import Action, record
from hallbar.services.followup import indicators
from hallbar.services.followup.periods import previous_period
from hallbar.services.followup.plans import (
    PlanData,
    budget_lines,
    open_plan,
    rolled_statuses,
    tree_rows,
)
from hallbar.services.twin import ScopedCount

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

RULES_SV = (
    "Status för en rad med underliggande rader räknas fram enligt radens regel: "
    "”Sämsta status avgör” (en avvikelse ger avvikelse, annars en risk ger risk), "
    "”Andel klara jämfört med förfluten tid” eller ”Viktat medel av delarnas status”.",
    "En rad som inte följts upp i perioden behåller sin senaste status från en tidigare period.",
    "Trafikljus: grönt när målet är nått, gult när värdet är bättre än utgångsläget "
    f"(utan utgångsläge: inom {round(NEAR_TARGET * 100)} % från målet), rött annars, "
    "grått när värde eller mål saknas.",
    "Nyckeltal räknas direkt ur organisationens senaste uttag med samma definitioner och skydd "
    "av små grupper som på sidan Nyckeltal. Ett värde som inte kan visas ersätts av skälet.",
    "Budget i miljoner kronor (MSEK). Prognosen är utfallet hittills uppräknat till helår "
    "om ingen egen prognos är angiven. Avvikelse = budget − prognos.",
)


def _dates(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    return f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"


def _indicator(
    data: PlanData, measured: indicators.Measured, series: list[tuple[str, float | None]]
) -> ReportIndicator:
    v = measured.value
    s = v.spec
    unit = s.unit_label
    if s.figure_id == MANUAL:
        source = "Manuell indikator"
    else:
        d = registry.get(s.figure_id).description
        one = indicators.ONE_GROUP.get(s.figure_id)
        unit = unit or (one.unit if one else d.unit)
        where = data.unit_names.get(
            s.unit_id or data.owner_unit(data.node(s.node_id)) or "", "hela organisationen"
        )
        source = f"Nyckeltal: {d.name_sv}, {where}"
        if s.filters:
            source += f" ({s.filters})"
    kolada = s.kolada_kpi or _kolada_of(s.figure_id)
    if kolada:
        source += f"; jämförbart med Kolada {kolada}"
    if v.kolada_value is not None:
        source += f" (Koladas publicerade värde {v.year}: {number(v.kolada_value)} {unit})"
    baseline = ""
    if s.baseline is not None:
        baseline = number(s.baseline) + (f" ({s.baseline_year})" if s.baseline_year else "")
    target = ""
    if s.target is not None:
        target = number(s.target) + (f" ({s.target_year})" if s.target_year else "")
    return ReportIndicator(
        s.name,
        v.value,
        unit,
        v.reason_sv,
        baseline,
        target,
        v.light.value,
        light_label_sv(v.value, s.target, v.light),
        source,
        tuple(series),
        s.target,
        _counted_sv(measured.counted),
    )


def _counted_sv(count: ScopedCount | None) -> str:
    """Whom a live value counts, in the words every page uses under its counts."""
    if count is None:
        return ""
    return count.caption_sv(number(count.count.n))


def _kolada_of(figure_id: str) -> str:
    """The Kolada KPI ids of a registered figure (e.g. "N00090 / N60030", the registry's)."""
    if figure_id == MANUAL:
        return ""
    found = registry.kolada_reference(figure_id)
    if found is None:
        return ""
    (municipality, region), cut = found
    return f"{municipality} / {region}" + (f", kön {cut}" if cut != "T" else "")


def _budget(line: BudgetLine | None) -> ReportBudget | None:
    if line is None or (line.total_kr is None and line.outcome_kr is None):
        return None
    mismatch = None
    if line.mismatch_kr is not None:
        mismatch = (
            f"Delarna summerar till {format_msek(line.children_kr)} MSEK, inte {format_msek(line.own_kr)} MSEK "
            f"(skillnad {format_msek(line.mismatch_kr)} MSEK). Rätta budgeten för raden eller delarna."
        )
    return ReportBudget(
        format_msek(line.total_kr),
        format_msek(line.outcome_kr),
        format_msek(line.forecast_kr),
        format_msek(line.deviation_kr),
        mismatch,
        line.total_kr is not None,
    )


def _rolled_sv(r: Rolled, data: PlanData) -> str:
    if r.own:
        return ""
    rule = ROLLUP_LABELS_SV[data.node(r.node_id).rollup]
    share = (
        f", {round((r.share_done or 0) * 100)} % av delarna klara"
        if r.share_done is not None
        else ""
    )
    return f"{rule}{share}"


@dataclass(frozen=True)
class ReportView:
    """The report and whom its live key figures count (for ``populationer`` in the twin)."""

    report: FollowupReport
    counts: tuple[ScopedCount, ...]


def build_report(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    period_id: int,
    *,
    year: int | None = None,
) -> FollowupReport:
    """The report for one period: the tree with rolled-up status, comments, indicators, budget."""
    return report_view(hb, principal, org_id, plan_id, period_id, year=year).report


def report_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    period_id: int,
    *,
    year: int | None = None,
) -> ReportView:
    """``build_report`` with the counts of its live key figures."""
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_PLANS)
    period = data.period(period_id)
    return view_from(hb, principal, data, period, year=year)


def view_from(
    hb: Hallbar, principal: Principal, data: PlanData, period: Period, *, year: int | None = None
) -> ReportView:
    """The report for ``period`` of an opened plan, with whom its live figures count."""
    rolled = rolled_statuses(data, period)
    entries = current_entries(data.entries, period.id)
    before = previous_period(data, period)
    earlier = current_entries(data.entries, before.id) if before else {}
    measured = indicators.measured_for(hb, principal, data, period)
    per_node = indicators.by_node(data)
    budget_year = year or data.plan.year or period.end.year
    lines = budget_lines(data, budget_year, period)
    rows = []
    for node, depth in tree_rows(data):
        entry = entries.get(node.id)
        r = rolled[node.id]
        owner = ", ".join(
            x
            for x in (
                data.unit_names.get(node.owner_unit or "", node.owner_unit or ""),
                node.owner_role,
            )
            if x
        )
        rows.append(
            ReportRow(
                node.id,
                depth,
                NODE_KIND_LABELS_SV[node.kind],
                node.title,
                node.description,
                owner,
                node.responsible,
                _dates(node.start, node.end),
                STATUS_LABELS_SV[r.status],
                r.status.value,
                _rolled_sv(r, data),
                entry.comment if entry else "",
                earlier[node.id].comment if node.id in earlier else "",
                f"Uppföljd av {entry.by} {entry.at.date().isoformat()}"
                if entry
                else "Inte uppföljd i perioden",
                node.links,
                tuple(
                    _indicator(data, measured[i.id], indicators.series_for(hb, principal, data, i))
                    for i in per_node.get(node.id, [])
                ),
                _budget(lines.get(node.id)),
            )
        )
    leaf_ids = {n.id for n in data.nodes} - {n.parent_id for n in data.nodes}
    status_counts = tuple(  # rows, not persons: how many leaves have each status
        (STATUS_LABELS_SV[s], sum(1 for i in leaf_ids if rolled[i].status is s)) for s in Status
    )
    total = plan_total(lines, list(data.nodes))
    report = FollowupReport(
        data.org_name,
        data.plan.name,
        data.plan.committee,
        period.name,
        _dates(period.start, period.end),
        date.today(),
        budget_year,
        tuple(rows),
        status_counts,
        f"{format_msek(total)} MSEK" if total is not None else None,
        RULES_SV,
    )
    counts = [m.counted for m in measured.values() if m.counted is not None]
    return ReportView(report, tuple(dict.fromkeys(counts)))  # each population once, in order


def report_json(report: FollowupReport) -> dict[str, Any]:
    """The JSON twin: the same content as the page, with Swedish keys like the other twins."""
    return {
        "organisation": report.org_name,
        "plan": report.plan_name,
        "nämnd": report.committee,
        "period": report.period_name,
        "datum": report.period_sv,
        "budgetår": report.budget_year,
        "budget_totalt": report.budget_total_sv,
        "status_antal": dict(report.status_counts),
        "rader": [
            {
                "id": r.node_id,
                "nivå": r.depth,
                "typ": r.kind_sv,
                "rubrik": r.title,
                "ägare": r.owner_sv,
                "ansvarig": r.responsible,
                "status": r.status_key,
                "statusregel": r.rolled_sv,
                "kommentar": r.comment,
                "föregående_kommentar": r.previous_comment,
                "uppdaterad": r.updated_sv,
                "indikatorer": [
                    {
                        "namn": i.name,
                        "värde": i.value,
                        "enhet": i.unit,
                        "skäl": i.reason_sv,
                        "utgångsläge": i.baseline_sv,
                        "mål": i.target_sv,
                        "trafikljus": i.light,
                        "källa": i.source_sv,
                        "serie": [{"period": p, "värde": v} for p, v in i.series],
                    }
                    for i in r.indicators
                ],
                "budget": None
                if r.budget is None
                else {
                    "budget_msek": r.budget.allocation_sv,
                    "utfall_msek": r.budget.outcome_sv,
                    "prognos_msek": r.budget.forecast_sv,
                    "avvikelse_msek": r.budget.deviation_sv,
                    "summerar_inte": r.budget.mismatch_sv,
                },
            }
            for r in report.rows
        ],
        "regler": list(report.rules_sv),
    }


def _export(hb: Hallbar, principal: Principal, org_id: str, what: str) -> None:
    record(hb, principal.username, Action.EXPORT, org_id=org_id, target=what)


def report_docx(
    hb: Hallbar, principal: Principal, org_id: str, plan_id: int, period_id: int
) -> tuple[str, bytes]:
    """(file name, bytes) of the Word report."""
    report = build_report(hb, principal, org_id, plan_id, period_id)
    _export(hb, principal, org_id, f"uppföljning plan {plan_id} period {period_id} (Word)")
    return f"uppfoljning-{plan_id}-{_slug(report.period_name)}.docx", write_docx(report)


def report_html(
    hb: Hallbar, principal: Principal, org_id: str, plan_id: int, period_id: int
) -> str:
    report = build_report(hb, principal, org_id, plan_id, period_id)
    _export(hb, principal, org_id, f"uppföljning plan {plan_id} period {period_id} (HTML)")
    return render_report_html(report)


def _slug(text: str) -> str:
    table = str.maketrans("åäöÅÄÖ ", "aaoAAO-")
    return "".join(c for c in text.translate(table).lower() if c.isalnum() or c == "-")
