"""Repository of the pay-transparency workflows: every SQL statement they need.

Functions take the engine and plain values and return frozen row dataclasses,
so the service layer never holds an ORM object or a session. Each function is
one transaction. Rows are always looked up within an organisation: an id of
another organisation is the same as no row (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hallbar.core.errors import HallbarError
from hallbar.store.tables_paytransparency import (
    PtAssessment,
    PtCriteria,
    PtRange,
    PtRecruitment,
    PtReport,
    PtRequest,
)


class Conflict(HallbarError):
    """The row is in a state that does not allow the change (e.g. a confirmed report)."""


# --- requests for information (Art. 7) ---------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    id: int
    org_id: str
    person_id: str
    job: str
    requested_by: str
    received_on: date
    due_on: date
    status: str
    answer_json: str | None
    answered_on: date | None
    answered_by: str | None
    created_by: str
    created_at: datetime


def _request(r: PtRequest) -> RequestRow:
    return RequestRow(
        r.id,
        r.org_id,
        r.person_id,
        r.job,
        r.requested_by,
        r.received_on,
        r.due_on,
        r.status,
        r.answer_json,
        r.answered_on,
        r.answered_by,
        r.created_by,
        r.created_at,
    )


def add_request(
    engine: Engine,
    *,
    org_id: str,
    person_id: str,
    job: str,
    requested_by: str,
    received_on: date,
    due_on: date,
    created_by: str,
    at: datetime,
) -> RequestRow:
    with Session(engine) as s:
        rec = PtRequest(
            org_id=org_id,
            person_id=person_id,
            job=job,
            requested_by=requested_by,
            received_on=received_on,
            due_on=due_on,
            status="registrerad",
            created_by=created_by,
            created_at=at,
            updated_at=at,
        )
        s.add(rec)
        s.commit()
        return _request(rec)


def list_requests(engine: Engine, org_id: str) -> list[RequestRow]:
    with Session(engine) as s:
        q = (
            select(PtRequest)
            .where(PtRequest.org_id == org_id)
            .order_by(PtRequest.due_on, PtRequest.id)
        )
        return [_request(r) for r in s.scalars(q)]


def get_request(engine: Engine, org_id: str, request_id: int) -> RequestRow | None:
    with Session(engine) as s:
        rec = s.get(PtRequest, request_id)
        return _request(rec) if rec is not None and rec.org_id == org_id else None


def save_draft(
    engine: Engine, org_id: str, request_id: int, answer_json: str, at: datetime
) -> RequestRow:
    """Store a drafted answer; an answered request keeps the answer that was sent."""
    with Session(engine) as s:
        rec = s.get(PtRequest, request_id)
        if rec is None or rec.org_id != org_id:
            raise Conflict("Begäran finns inte.")
        if rec.status == "besvarad":
            raise Conflict("Begäran är redan besvarad; svaret kan skrivas ut igen men inte ändras.")
        rec.answer_json = answer_json
        rec.status = "utkast"
        rec.updated_at = at
        s.commit()
        return _request(rec)


def mark_answered(
    engine: Engine, org_id: str, request_id: int, answered_on: date, answered_by: str, at: datetime
) -> RequestRow:
    with Session(engine) as s:
        rec = s.get(PtRequest, request_id)
        if rec is None or rec.org_id != org_id:
            raise Conflict("Begäran finns inte.")
        if rec.status != "utkast" or rec.answer_json is None:
            raise Conflict("Skapa och granska ett utkast innan begäran markeras som besvarad.")
        rec.status = "besvarad"
        rec.answered_on = answered_on
        rec.answered_by = answered_by
        rec.updated_at = at
        s.commit()
        return _request(rec)


# --- starting-pay ranges and recruitments (Art. 5) ----------------------------------


@dataclass(frozen=True)
class RangeRow:
    id: int
    org_id: str
    job: str
    low: float
    high: float
    p10: float | None
    p90: float | None
    n_starters: int
    agreement: str
    reason: str
    created_by: str
    created_at: datetime


def _range(r: PtRange) -> RangeRow:
    return RangeRow(
        r.id,
        r.org_id,
        r.job,
        r.low,
        r.high,
        r.p10,
        r.p90,
        r.n_starters,
        r.agreement,
        r.reason,
        r.created_by,
        r.created_at,
    )


def add_range(
    engine: Engine,
    *,
    org_id: str,
    job: str,
    low: float,
    high: float,
    p10: float | None,
    p90: float | None,
    n_starters: int,
    agreement: str,
    reason: str,
    created_by: str,
    at: datetime,
) -> RangeRow:
    with Session(engine) as s:
        rec = PtRange(
            org_id=org_id,
            job=job,
            low=low,
            high=high,
            p10=p10,
            p90=p90,
            n_starters=n_starters,
            agreement=agreement,
            reason=reason,
            created_by=created_by,
            created_at=at,
        )
        s.add(rec)
        s.commit()
        return _range(rec)


def current_ranges(engine: Engine, org_id: str) -> dict[str, RangeRow]:
    """The newest range per job."""
    with Session(engine) as s:
        q = select(PtRange).where(PtRange.org_id == org_id).order_by(PtRange.id)
        return {r.job: _range(r) for r in s.scalars(q)}


@dataclass(frozen=True)
class RecruitmentRow:
    id: int
    org_id: str
    reference: str
    given_on: date
    range: RangeRow
    created_by: str


def add_recruitment(
    engine: Engine,
    *,
    org_id: str,
    range_id: int,
    reference: str,
    given_on: date,
    created_by: str,
    at: datetime,
) -> RecruitmentRow:
    with Session(engine) as s:
        rng = s.get(PtRange, range_id)
        if rng is None or rng.org_id != org_id:
            raise Conflict("Löneintervallet finns inte.")
        rec = PtRecruitment(
            org_id=org_id,
            range_id=range_id,
            reference=reference,
            given_on=given_on,
            created_by=created_by,
            created_at=at,
        )
        s.add(rec)
        s.commit()
        return RecruitmentRow(rec.id, org_id, reference, given_on, _range(rng), created_by)


def list_recruitments(engine: Engine, org_id: str) -> list[RecruitmentRow]:
    with Session(engine) as s:
        q = (
            select(PtRecruitment, PtRange)
            .join(PtRange, PtRange.id == PtRecruitment.range_id)
            .where(PtRecruitment.org_id == org_id)
            .order_by(PtRecruitment.given_on.desc(), PtRecruitment.id.desc())
        )
        return [
            RecruitmentRow(r.id, r.org_id, r.reference, r.given_on, _range(g), r.created_by)
            for r, g in s.execute(q).all()
        ]


# --- criteria (Art. 6) -------------------------------------------------------------


@dataclass(frozen=True)
class CriteriaRow:
    id: int
    org_id: str
    job_family: str
    version: int
    criteria_json: str
    valid_from: date
    created_by: str
    created_at: datetime


def _criteria(r: PtCriteria) -> CriteriaRow:
    return CriteriaRow(
        r.id,
        r.org_id,
        r.job_family,
        r.version,
        r.criteria_json,
        r.valid_from,
        r.created_by,
        r.created_at,
    )


def add_criteria_version(
    engine: Engine,
    *,
    org_id: str,
    job_family: str,
    criteria_json: str,
    valid_from: date,
    created_by: str,
    at: datetime,
) -> CriteriaRow:
    """Store the next version (1, 2, …) of a job family's criteria; old versions stay."""
    with Session(engine) as s:
        last = s.scalar(
            select(func.max(PtCriteria.version)).where(
                PtCriteria.org_id == org_id, PtCriteria.job_family == job_family
            )
        )
        rec = PtCriteria(
            org_id=org_id,
            job_family=job_family,
            version=(last or 0) + 1,
            criteria_json=criteria_json,
            valid_from=valid_from,
            created_by=created_by,
            created_at=at,
        )
        s.add(rec)
        s.commit()
        return _criteria(rec)


def list_criteria(engine: Engine, org_id: str) -> list[CriteriaRow]:
    """Every version, by job family, newest version first."""
    with Session(engine) as s:
        q = (
            select(PtCriteria)
            .where(PtCriteria.org_id == org_id)
            .order_by(PtCriteria.job_family, PtCriteria.version.desc())
        )
        return [_criteria(r) for r in s.scalars(q)]


def get_criteria(engine: Engine, org_id: str, criteria_id: int) -> CriteriaRow | None:
    with Session(engine) as s:
        rec = s.get(PtCriteria, criteria_id)
        return _criteria(rec) if rec is not None and rec.org_id == org_id else None


# --- reports (Art. 9) ---------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    id: int
    org_id: str
    report_date: date
    headcount: int
    category_kind: str
    values_json: str
    flagged_json: str
    status: str
    consulted_with: str
    consulted_on: date | None
    confirmed_by: str | None
    confirmed_at: datetime | None
    created_by: str
    created_at: datetime


def _report(r: PtReport) -> ReportRow:
    return ReportRow(
        r.id,
        r.org_id,
        r.report_date,
        r.headcount,
        r.category_kind,
        r.values_json,
        r.flagged_json,
        r.status,
        r.consulted_with,
        r.consulted_on,
        r.confirmed_by,
        r.confirmed_at,
        r.created_by,
        r.created_at,
    )


def save_report(
    engine: Engine,
    *,
    org_id: str,
    report_date: date,
    headcount: int,
    category_kind: str,
    values_json: str,
    flagged_json: str,
    created_by: str,
    at: datetime,
) -> ReportRow:
    """Create the draft of a report date, or refresh it while it is still a draft."""
    with Session(engine) as s:
        rec = s.scalars(
            select(PtReport).where(PtReport.org_id == org_id, PtReport.report_date == report_date)
        ).first()
        if rec is not None and rec.status != "utkast":
            raise Conflict(
                "Rapporten för det datumet är redan fastställd och kan inte räknas om. "
                "Välj ett annat rapportdatum."
            )
        if rec is None:
            rec = PtReport(org_id=org_id, report_date=report_date, status="utkast")
            s.add(rec)
        rec.headcount = headcount
        rec.category_kind = category_kind
        rec.values_json = values_json
        rec.flagged_json = flagged_json
        rec.created_by = created_by
        rec.created_at = at
        s.commit()
        return _report(rec)


def list_reports(engine: Engine, org_id: str) -> list[ReportRow]:
    with Session(engine) as s:
        q = select(PtReport).where(PtReport.org_id == org_id).order_by(PtReport.report_date.desc())
        return [_report(r) for r in s.scalars(q)]


def get_report(engine: Engine, org_id: str, report_id: int) -> ReportRow | None:
    with Session(engine) as s:
        rec = s.get(PtReport, report_id)
        return _report(rec) if rec is not None and rec.org_id == org_id else None


def confirm_report(
    engine: Engine,
    org_id: str,
    report_id: int,
    *,
    consulted_with: str,
    consulted_on: date,
    confirmed_by: str,
    at: datetime,
) -> ReportRow:
    with Session(engine) as s:
        rec = s.get(PtReport, report_id)
        if rec is None or rec.org_id != org_id:
            raise Conflict("Rapporten finns inte.")
        if rec.status != "utkast":
            raise Conflict("Rapporten är redan fastställd.")
        rec.status = "fastställd"
        rec.consulted_with = consulted_with
        rec.consulted_on = consulted_on
        rec.confirmed_by = confirmed_by
        rec.confirmed_at = at
        s.commit()
        return _report(rec)


# --- joint pay assessments (Art. 10) ------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    org_id: str
    report_id: int
    opened_on: date
    representatives: str
    content_json: str
    reasons_json: str
    measures: str
    evaluation: str
    status: str
    completed_on: date | None
    completed_by: str | None
    created_by: str


def _assessment(r: PtAssessment) -> AssessmentRow:
    return AssessmentRow(
        r.id,
        r.org_id,
        r.report_id,
        r.opened_on,
        r.representatives,
        r.content_json,
        r.reasons_json,
        r.measures,
        r.evaluation,
        r.status,
        r.completed_on,
        r.completed_by,
        r.created_by,
    )


def open_assessment(
    engine: Engine,
    *,
    org_id: str,
    report_id: int,
    opened_on: date,
    representatives: str,
    content_json: str,
    created_by: str,
    at: datetime,
) -> AssessmentRow:
    with Session(engine) as s:
        report = s.get(PtReport, report_id)
        if report is None or report.org_id != org_id:
            raise Conflict("Rapporten finns inte.")
        rec = PtAssessment(
            org_id=org_id,
            report_id=report_id,
            opened_on=opened_on,
            representatives=representatives,
            content_json=content_json,
            status="pågående",
            created_by=created_by,
            created_at=at,
            updated_at=at,
        )
        s.add(rec)
        s.commit()
        return _assessment(rec)


def list_assessments(engine: Engine, org_id: str) -> list[AssessmentRow]:
    with Session(engine) as s:
        q = (
            select(PtAssessment)
            .where(PtAssessment.org_id == org_id)
            .order_by(PtAssessment.opened_on.desc(), PtAssessment.id.desc())
        )
        return [_assessment(r) for r in s.scalars(q)]


def get_assessment(engine: Engine, org_id: str, assessment_id: int) -> AssessmentRow | None:
    with Session(engine) as s:
        rec = s.get(PtAssessment, assessment_id)
        return _assessment(rec) if rec is not None and rec.org_id == org_id else None


def save_assessment(
    engine: Engine,
    org_id: str,
    assessment_id: int,
    *,
    reasons_json: str,
    measures: str,
    evaluation: str,
    at: datetime,
    completed_on: date | None = None,
    completed_by: str | None = None,
) -> AssessmentRow:
    """Save the written parts; with ``completed_on`` the assessment is closed for changes."""
    with Session(engine) as s:
        rec = s.get(PtAssessment, assessment_id)
        if rec is None or rec.org_id != org_id:
            raise Conflict("Lönebedömningen finns inte.")
        if rec.status == "klar":
            raise Conflict("Lönebedömningen är avslutad och kan inte ändras.")
        rec.reasons_json = reasons_json
        rec.measures = measures
        rec.evaluation = evaluation
        rec.updated_at = at
        if completed_on is not None:
            rec.status = "klar"
            rec.completed_on = completed_on
            rec.completed_by = completed_by
        s.commit()
        return _assessment(rec)
