"""The Article 9 report: draft on a report date, management confirmation after consulting the
representatives (Art. 9(6)), export keyed by article point and category, and the method.

HR drafts and confirms; HR and representatives see the report, the method and
the export. Values of a category with fewer than ``settings.min_group_size``
women or men are withheld (null, ``suppressed``) in the stored snapshot, so
no export or page can show a group so small that one person's pay could be
inferred. The draft can be recomputed until it is confirmed; the confirmed
snapshot is what was reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from hallbar.core.access import Principal, Resource, may
from hallbar.core.dataset import HRData
from hallbar.core.errors import NotFound
from hallbar.core.population import EMPLOYED, PopulationCount
from hallbar.paysurvey import article9_report, pay_frame_from_hrdata
from hallbar.paysurvey.evaluation import CRITERIA
from hallbar.paysurvey.survey import eu_rows
from hallbar.paysurvey.transparency import POPULATION_SV
from hallbar.paytransparency import keyed_values, next_report_due, remedy_due
from hallbar.paytransparency.deadlines import Clock, clock
from hallbar.paytransparency.errors import InvalidInput
from hallbar.paytransparency.information import PAY_INCLUDED_SV
from hallbar.paytransparency.report import MEASURES_SV, POINTS_SV
from hallbar.services import audit, scope
from hallbar.services.access import require_org
from hallbar.services.paysurvey.survey import load_stored
from hallbar.services.paytransparency.common import (
    Actions,
    checked,
    now,
    org_name,
    parse_date,
    pay_basis,
    record,
    required,
    today,
    with_band,
)
from hallbar.services.twin import ScopedCount
from hallbar.store import paytransparency

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

REPORT_NOT_FOUND = "Rapporten finns inte eller så saknar du behörighet. Välj en rapport i listan."
NO_EVALUATION = "Utan arbetsvärdering"
CATEGORY_KIND_SV = {
    "band": "Värdenivå i arbetsvärderingen (likvärdigt arbete)",
    "job": "Befattning (lika arbete)",
}


@dataclass(frozen=True)
class ReportView:
    id: int
    org_id: str
    report_date: date
    status: str
    snapshot: dict[str, Any]
    consulted_with: str
    consulted_on: date | None
    confirmed_by: str | None
    confirmed_on: date | None
    remedy: Clock | None  # six months from confirmation, when a category is flagged
    may_edit: bool

    @property
    def flagged(self) -> list[dict[str, Any]]:
        return list(self.snapshot.get("flagged", []))

    @property
    def counts(self) -> tuple[ScopedCount, ...]:
        """Whom the stored headcount counts: everyone employed on the report date (Art. 9)."""
        n = int(self.snapshot["headcount"])
        return (ScopedCount(PopulationCount(EMPLOYED, self.report_date, n)),)


def _view(row: paytransparency.ReportRow, may_edit: bool) -> ReportView:
    snapshot: dict[str, Any] = json.loads(row.values_json)
    snapshot["flagged"] = json.loads(row.flagged_json)
    confirmed = row.confirmed_at.date() if row.confirmed_at else None
    remedy = clock(remedy_due(confirmed), today()) if confirmed and snapshot["flagged"] else None
    return ReportView(
        row.id,
        row.org_id,
        row.report_date,
        row.status,
        snapshot,
        row.consulted_with,
        row.consulted_on,
        row.confirmed_by,
        confirmed,
        remedy,
        may_edit,
    )


def _row(hb: Hallbar, org_id: str, report_id: int) -> paytransparency.ReportRow:
    row = paytransparency.get_report(hb.store.engine, org_id, report_id)
    if row is None:
        raise NotFound(REPORT_NOT_FOUND)
    return row


def _may_edit(principal: Principal) -> bool:
    return may(principal, Resource.PT_WORKFLOWS)


def report_frame(
    hb: Hallbar, data: HRData, org_id: str, at: date
) -> tuple[pl.DataFrame, str, list[str], str]:
    """(the Art. 9 rows with a ``category`` column, category kind, unvalued jobs, org name).

    The rows are every worker with a contract on ``at`` (``core.population.EMPLOYED``):
    the checked monthly-paid frame, plus the hourly-paid with pay and hours of the
    reference period, taken as the pay survey's Art. 9 report takes them
    (``paysurvey.survey.eu_rows``). A worker without a job title has no category and
    is left out, as ``check_pay_frame`` leaves out the monthly-paid without one.
    """
    basis = pay_basis(hb, data, org_id, at)
    everyone = pay_frame_from_hrdata(data, at=at, job_key=basis.job_key, include_hourly=True)
    rows = eu_rows(everyone, checked(basis, include_supplements=False), None)
    frame = with_band(rows.filter(pl.col("job").is_not_null()), basis.job_values)
    if basis.job_values is None:
        return frame.with_columns(pl.col("job").alias("category")), "job", [], basis.org_name
    labels = basis.job_values.select("band", "band_label").unique("band")
    frame = frame.join(labels, on="band", how="left").with_columns(
        pl.col("band_label").fill_null(NO_EVALUATION).alias("category")
    )
    unvalued = sorted(frame.filter(pl.col("band").is_null())["job"].unique().to_list())
    return frame, "band", unvalued, basis.org_name


def list_reports(hb: Hallbar, principal: Principal, org_id: str) -> list[ReportView]:
    require_org(principal, org_id, Resource.PT_REPORT)
    edit = _may_edit(principal)
    return [_view(r, edit) for r in paytransparency.list_reports(hb.store.engine, org_id)]


def draft_report(hb: Hallbar, principal: Principal, org_id: str, report_date: str) -> ReportView:
    data = scope.load(hb, principal, org_id, Resource.PT_WORKFLOWS)
    at = parse_date(report_date, "Rapportdatum")
    frame, kind, unvalued, name = report_frame(hb, data, org_id, at)
    headcount = EMPLOYED.count(data, at)
    report = article9_report(
        frame,
        "category",
        gap_threshold=hb.settings.pay_gap_threshold,
        headcount=headcount.n,
    )
    minimum = hb.settings.min_group_size
    small = set(
        report.categories.filter((pl.col("n_women") < minimum) | (pl.col("n_men") < minimum))[
            "category"
        ].to_list()
    )
    values = [
        {
            "point": v.point,
            "category": v.category,
            "measure": v.measure,
            "value": None if v.point == "g" and v.category in small else v.value,
            "suppressed": v.point == "g" and v.category in small,
        }
        for v in keyed_values(report)
    ]
    counts = [
        {
            "category": str(c["category"]),
            "n_women": int(c["n_women"]) if c["category"] not in small else None,
            "n_men": int(c["n_men"]) if c["category"] not in small else None,
        }
        for c in report.categories.iter_rows(named=True)
    ]
    # A small category stays flagged (the duty to justify or remedy holds), but its gap
    # is not shown.
    flagged = [
        {
            "category": str(c["category"]),
            "gap_pct": None if c["category"] in small else c["gap_pct"],
        }
        for c in report.categories.filter(pl.col("joint_assessment")).iter_rows(named=True)
    ]
    notices = [n.message_sv for n in report.notices]
    if unvalued:
        notices.append(
            f"{len(unvalued)} befattningar saknar arbetsvärdering ({', '.join(unvalued[:10])}) "
            f"och redovisas i kategorin '{NO_EVALUATION}'. Värdera dem i lönekartläggningen så "
            "att de jämförs med arbete av lika värde, och räkna om rapporten."
        )
    if small:
        notices.append(
            f"{len(small)} kategorier har färre än {minimum} kvinnor eller män. Deras skillnader "
            "visas inte, så att ingen enskild persons lön kan räknas fram."
        )
    snapshot = {
        "org_name": name,
        "report_date": at.isoformat(),
        "headcount": headcount.n,
        "headcount_caption": headcount.caption_sv(),
        "reporting_sv": report.reporting_sv,
        "next_due": _iso(next_report_due(headcount.n, at)),
        "category_kind": kind,
        "category_kind_sv": CATEGORY_KIND_SV[kind],
        "min_group_size": minimum,
        "gap_threshold_pct": 100.0 * hb.settings.pay_gap_threshold,
        "values": values,
        "counts": counts,
        "notices": notices,
    }
    try:
        row = paytransparency.save_report(
            hb.store.engine,
            org_id=org_id,
            report_date=at,
            headcount=headcount.n,
            category_kind=kind,
            values_json=json.dumps(snapshot, ensure_ascii=False),
            flagged_json=json.dumps(flagged, ensure_ascii=False),
            created_by=principal.username,
            at=now(),
        )
    except paytransparency.Conflict as err:
        raise InvalidInput(err.message) from err
    record(hb, principal, Actions.CHANGE, org_id, f"rapport/{row.id}", "utkast beräknat")
    return _view(row, True)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def get_report(hb: Hallbar, principal: Principal, org_id: str, report_id: int) -> ReportView:
    require_org(principal, org_id, Resource.PT_REPORT)
    view = _view(_row(hb, org_id, report_id), _may_edit(principal))
    record(hb, principal, Actions.VIEW, org_id, f"rapport/{report_id}", "rapport visad")
    return view


def confirm(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    report_id: int,
    *,
    consulted_with: str,
    consulted_on: str,
) -> ReportView:
    """Management confirms the report's accuracy after consulting the representatives."""
    require_org(principal, org_id, Resource.PT_WORKFLOWS)
    who = required(consulted_with, "vilka företrädare som har hörts", "Kommunal och Vision")
    day = parse_date(consulted_on, "Datum för samrådet")
    if day > today():
        raise InvalidInput("Datum för samrådet ligger i framtiden. Bekräfta efter samrådet.")
    try:
        row = paytransparency.confirm_report(
            hb.store.engine,
            org_id,
            report_id,
            consulted_with=who,
            consulted_on=day,
            confirmed_by=principal.username,
            at=now(),
        )
    except paytransparency.Conflict as err:
        raise InvalidInput(err.message) from err
    record(
        hb, principal, Actions.CHANGE, org_id, f"rapport/{report_id}", f"fastställd; hörda: {who}"
    )
    return _view(row, True)


def export_rows(view: ReportView) -> list[dict[str, Any]]:
    """One row per value: the documented export shape (docs/pay-transparency.md)."""
    return [
        {
            "artikelpunkt": v["point"],
            "punkt_beskrivning": POINTS_SV[v["point"]],
            "kategori": v["category"],
            "mått": v["measure"],
            "mått_beskrivning": MEASURES_SV[v["measure"]],
            "värde": v["value"],
            "enhet": "%",
            "dolt_liten_grupp": v["suppressed"],
        }
        for v in view.snapshot["values"]
    ]


def record_export(hb: Hallbar, principal: Principal, view: ReportView, fmt: str) -> None:
    audit.record(
        hb,
        principal.username,
        audit.Action.EXPORT,
        org_id=view.org_id,
        target=f"lönetransparens/rapport/{view.id}",
        detail=fmt,
    )


@dataclass(frozen=True)
class MethodView:
    org_id: str
    org_name: str
    pay_included_sv: str
    survey_year: int | None
    criterion_weights: dict[str, float]  # criterion label -> weight, from the pay survey
    breakpoints: tuple[float, ...]
    category_kind_sv: str
    min_group_size: int
    min_per_sex: int
    gap_threshold_pct: float
    report_population_sv: str = POPULATION_SV  # whom the Art. 9 report covers


def method(hb: Hallbar, principal: Principal, org_id: str) -> MethodView:
    """How the figures are made: open to HR and representatives (Art. 9(6), 10)."""
    data = scope.load(hb, principal, org_id, Resource.PT_METHOD)
    year: int | None = None
    weights: dict[str, float] = {}
    breakpoints: tuple[float, ...] = ()
    for y in (data.as_of.year, data.as_of.year - 1):
        try:
            stored = load_stored(hb, org_id, y)
        except NotFound:
            continue
        year = y
        weights = {CRITERIA[k]: w for k, w in stored.model.criterion_weights().items()}
        breakpoints = stored.breakpoints
        break
    record(hb, principal, Actions.VIEW, org_id, "metod", "metod visad")
    return MethodView(
        org_id,
        org_name(data, org_id),
        PAY_INCLUDED_SV,
        year,
        weights,
        breakpoints,
        CATEGORY_KIND_SV["band" if weights else "job"],
        hb.settings.min_group_size,
        hb.settings.pay_min_gender_group,
        100.0 * hb.settings.pay_gap_threshold,
    )
