"""Article 10: the joint pay assessment, and pay development after long parental leave.

An assessment is opened on a confirmed report with at least one flagged
category (a gap of 5 % or more). Its computed content (shares, average pay
and complementary pay by sex, their differences, the share with a pay rise
after parental leave) is stored as a snapshot when it is opened; the employer
and the representatives then write the reasons per category, the measures and
the evaluation of earlier measures, and close it. Averages over fewer than
``settings.min_group_size`` women or men are withheld.

Pay development after parental leave compares the twelve months before a date:
the pay frames at the start and the end, and parental-leave absences between.
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
from hallbar.paytransparency import (
    add_months,
    assessment_content,
    leave_summary,
    parental_leave_days,
    pay_development,
    raise_after_leave,
)
from hallbar.paytransparency.deadlines import Clock, clock, remedy_due
from hallbar.paytransparency.errors import InvalidInput, NoPayData
from hallbar.paytransparency.leave import DEFAULT_MIN_LEAVE_DAYS
from hallbar.services import scope
from hallbar.services.access import require_org
from hallbar.services.paytransparency.common import (
    Actions,
    now,
    parse_date,
    pay_basis,
    record,
    required,
    today,
)
from hallbar.services.paytransparency.report import report_frame
from hallbar.store import paytransparency

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

ASSESSMENT_NOT_FOUND = "Lönebedömningen finns inte eller så saknar du behörighet. Välj en i listan."
_SEX_COLUMNS = {
    "n_women": ("base_women", "complementary_women", "share_raised_women"),
    "n_men": ("base_men", "complementary_men", "share_raised_men"),
}


@dataclass(frozen=True)
class AssessmentView:
    id: int
    org_id: str
    report_id: int
    report_date: date
    opened_on: date
    representatives: str
    content: list[dict[str, Any]]
    reasons: dict[str, str]
    measures: str
    evaluation: str
    status: str
    completed_on: date | None
    completed_by: str | None
    remedy: Clock | None
    may_edit: bool
    org_name: str
    notes: tuple[str, ...] = ()


def _view(hb: Hallbar, principal: Principal, row: paytransparency.AssessmentRow) -> AssessmentView:
    report = paytransparency.get_report(hb.store.engine, row.org_id, row.report_id)
    assert report is not None  # the foreign key holds
    confirmed = report.confirmed_at.date() if report.confirmed_at else report.report_date
    snapshot = json.loads(row.content_json)
    return AssessmentView(
        row.id,
        row.org_id,
        row.report_id,
        report.report_date,
        row.opened_on,
        row.representatives,
        snapshot["categories"],
        json.loads(row.reasons_json),
        row.measures,
        row.evaluation,
        row.status,
        row.completed_on,
        row.completed_by,
        clock(remedy_due(confirmed), today(), row.completed_on),
        may(principal, Resource.PT_WORKFLOWS) and row.status != "klar",
        snapshot["org_name"],
        tuple(snapshot.get("notes", ())),
    )


def development(
    hb: Hallbar, data: HRData, org_id: str, end: date, category_of: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Per-person pay development over the twelve months to ``end`` (see module docstring)."""
    start = add_months(end, -12)
    before = pay_basis(hb, data, org_id, start).raw
    after = pay_basis(hb, data, org_id, end).raw
    leave = parental_leave_days(data.conformed().absences, start, end)
    dev = pay_development(before, after, leave, end, min_leave_days=DEFAULT_MIN_LEAVE_DAYS)
    if category_of is not None:
        dev = dev.join(category_of, on="job", how="left")
    return dev


def _suppress(rows: list[dict[str, Any]], minimum: int) -> list[dict[str, Any]]:
    for r in rows:
        for n_col, cols in _SEX_COLUMNS.items():
            if r[n_col] < minimum:
                for c in cols:
                    r[c] = None
        if r["base_women"] is None or r["base_men"] is None:
            r["base_gap_pct"] = None
        if r["complementary_women"] is None or r["complementary_men"] is None:
            r["complementary_gap_pct"] = None
    return rows


def open_assessment(
    hb: Hallbar, principal: Principal, org_id: str, report_id: int, *, representatives: str
) -> AssessmentView:
    data = scope.load(hb, principal, org_id, Resource.PT_WORKFLOWS)
    report = paytransparency.get_report(hb.store.engine, org_id, report_id)
    if report is None:
        raise NotFound("Rapporten finns inte. Välj en rapport i listan.")
    if report.status != "fastställd":
        raise InvalidInput(
            "Rapporten är inte fastställd. Fastställ rapporten efter samråd med företrädarna "
            "innan en gemensam lönebedömning öppnas."
        )
    flagged = [f["category"] for f in json.loads(report.flagged_json)]
    if not flagged:
        raise InvalidInput(
            "Rapporten har ingen kategori med en genomsnittlig löneskillnad på minst 5 %, så "
            "ingen gemensam lönebedömning krävs."
        )
    who = required(representatives, "vilka företrädare som deltar", "Kommunal och Vision")
    frame, _kind, _unvalued, name = report_frame(hb, data, org_id, report.report_date)
    category_of = frame.select("job", "category").unique("job")
    minimum = hb.settings.min_group_size
    notes: list[str] = []
    raises: pl.DataFrame | None = None
    try:
        dev = development(hb, data, org_id, report.report_date, category_of)
        raises = raise_after_leave(dev, "category", min_n=minimum)
    except NoPayData as err:
        # Without last year's pay the rest of the assessment can still go ahead.
        notes.append(f"Löneutvecklingen efter föräldraledighet kunde inte beräknas. {err.message}")
    content = assessment_content(frame, flagged, category="category", raises=raises).to_dicts()
    snapshot = {"org_name": name, "categories": _suppress(content, minimum), "notes": notes}
    row = paytransparency.open_assessment(
        hb.store.engine,
        org_id=org_id,
        report_id=report_id,
        opened_on=today(),
        representatives=who,
        content_json=json.dumps(snapshot, ensure_ascii=False),
        created_by=principal.username,
        at=now(),
    )
    record(hb, principal, Actions.CHANGE, org_id, f"lönebedömning/{row.id}", "öppnad")
    return _view(hb, principal, row)


def _row(hb: Hallbar, org_id: str, assessment_id: int) -> paytransparency.AssessmentRow:
    row = paytransparency.get_assessment(hb.store.engine, org_id, assessment_id)
    if row is None:
        raise NotFound(ASSESSMENT_NOT_FOUND)
    return row


def list_assessments(hb: Hallbar, principal: Principal, org_id: str) -> list[AssessmentView]:
    require_org(principal, org_id, Resource.PT_ASSESSMENT)
    return [
        _view(hb, principal, r) for r in paytransparency.list_assessments(hb.store.engine, org_id)
    ]


def get_assessment(
    hb: Hallbar, principal: Principal, org_id: str, assessment_id: int
) -> AssessmentView:
    require_org(principal, org_id, Resource.PT_ASSESSMENT)
    view = _view(hb, principal, _row(hb, org_id, assessment_id))
    record(hb, principal, Actions.VIEW, org_id, f"lönebedömning/{assessment_id}", "visad")
    return view


def save_assessment(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    assessment_id: int,
    *,
    reasons: dict[str, str],
    measures: str,
    evaluation: str,
    complete: bool = False,
) -> AssessmentView:
    """Save reasons per category, measures and evaluation; ``complete`` closes the assessment
    and needs a reason for every category and the measures."""
    require_org(principal, org_id, Resource.PT_WORKFLOWS)
    row = _row(hb, org_id, assessment_id)
    categories = [c["category"] for c in json.loads(row.content_json)["categories"]]
    kept = {c: reasons.get(c, "").strip() for c in categories}
    if complete:
        missing = [c for c, text in kept.items() if not text]
        if missing:
            raise InvalidInput(
                f"Skriv skälen till skillnaden för {', '.join(missing)} innan lönebedömningen "
                "avslutas (skriv 'saknas sakliga skäl' om skillnaden ska åtgärdas)."
            )
        if not measures.strip():
            raise InvalidInput("Beskriv åtgärderna (vad, vem, när) innan lönebedömningen avslutas.")
    try:
        saved = paytransparency.save_assessment(
            hb.store.engine,
            org_id,
            assessment_id,
            reasons_json=json.dumps(kept, ensure_ascii=False),
            measures=measures.strip(),
            evaluation=evaluation.strip(),
            at=now(),
            completed_on=today() if complete else None,
            completed_by=principal.username if complete else None,
        )
    except paytransparency.Conflict as err:
        raise InvalidInput(err.message) from err
    what = "avslutad" if complete else "sparad"
    record(hb, principal, Actions.CHANGE, org_id, f"lönebedömning/{assessment_id}", what)
    return _view(hb, principal, saved)


@dataclass(frozen=True)
class LeaveView:
    org_id: str
    start: date
    end: date
    by_job: pl.DataFrame  # leave_summary
    raises: pl.DataFrame  # raise_after_leave, one row
    min_n: int
    min_leave_days: int


def leave_view(hb: Hallbar, principal: Principal, org_id: str, end: str = "") -> LeaveView:
    """Pay development with and without long parental leave, per job (aggregates only)."""
    data = scope.load(hb, principal, org_id, Resource.PT_ASSESSMENT)
    day = parse_date(end, "Slutdatum") if end.strip() else data.as_of
    dev = development(hb, data, org_id, day)
    minimum = hb.settings.min_group_size
    record(hb, principal, Actions.VIEW, org_id, "föräldraledighet", day.isoformat())
    return LeaveView(
        org_id,
        add_months(day, -12),
        day,
        leave_summary(dev, "job", min_n=minimum),
        raise_after_leave(dev, None, min_n=minimum),
        minimum,
        DEFAULT_MIN_LEAVE_DAYS,
    )
