"""Queries for stored pay surveys: the survey rows, job-evaluation scores and actions.

JSON columns travel as text; ``services.paysurvey.survey`` parses them into the
evaluation model, scores and actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallbar.store.store import Store
from hallbar.store.tables_paysurvey import PaySurvey, PaySurveyAction, PaySurveyScore


@dataclass(frozen=True)
class SurveyRecord:
    id: int
    org_id: str
    year: int
    survey_date: date
    status: str
    participants: str
    job_key: str
    model_json: str
    breakpoints_json: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    import_id: int | None  # the snapshot the survey computes on (None: the active one)


@dataclass(frozen=True)
class ActionRecord:
    difference_id: str
    kind: str
    reason: str
    objective: bool
    job: str | None
    amount_per_month: float | None
    gap_before_kr: float | None
    timetable_json: str
    created_by: str
    created_at: datetime


def _record(r: PaySurvey) -> SurveyRecord:
    return SurveyRecord(
        r.id,
        r.org_id,
        r.year,
        r.survey_date,
        r.status,
        r.participants,
        r.job_key,
        r.model_json,
        r.breakpoints_json,
        r.created_by,
        r.created_at,
        r.updated_at,
        r.import_id,
    )


def _get(s: Session, org_id: str, year: int) -> PaySurvey | None:
    q = select(PaySurvey).where(PaySurvey.org_id == org_id, PaySurvey.year == year)
    return s.scalars(q).first()


def surveys(store: Store, org_id: str) -> list[SurveyRecord]:
    """The organisation's surveys, newest year first."""
    q = select(PaySurvey).where(PaySurvey.org_id == org_id).order_by(PaySurvey.year.desc())
    with Session(store.engine) as s:
        return [_record(r) for r in s.scalars(q)]


def survey(store: Store, org_id: str, year: int) -> SurveyRecord | None:
    with Session(store.engine) as s:
        rec = _get(s, org_id, year)
        return None if rec is None else _record(rec)


def create(
    store: Store,
    *,
    org_id: str,
    year: int,
    survey_date: date,
    participants: str,
    job_key: str,
    model_json: str,
    breakpoints_json: str,
    copy_scores_from: int | None,
    created_by: str,
    at: datetime,
    import_id: int | None = None,
) -> SurveyRecord:
    """Insert a survey tied to import ``import_id``, copying the scores of survey
    ``copy_scores_from`` when given."""
    with Session(store.engine) as s:
        rec = PaySurvey(
            org_id=org_id,
            year=year,
            survey_date=survey_date,
            status="pågående",
            participants=participants,
            job_key=job_key,
            model_json=model_json,
            breakpoints_json=breakpoints_json,
            created_by=created_by,
            created_at=at,
            updated_at=at,
            import_id=import_id,
        )
        s.add(rec)
        s.flush()
        if copy_scores_from is not None:
            q = select(PaySurveyScore).where(PaySurveyScore.survey_id == copy_scores_from)
            for score in s.scalars(q).all():
                s.add(
                    PaySurveyScore(
                        survey_id=rec.id,
                        job=score.job,
                        levels_json=score.levels_json,
                        updated_by=created_by,
                        updated_at=at,
                    )
                )
        s.commit()
        return _record(rec)


def update(
    store: Store,
    org_id: str,
    year: int,
    *,
    at: datetime,
    survey_date: date | None = None,
    participants: str | None = None,
    status: str | None = None,
    model_json: str | None = None,
    breakpoints_json: str | None = None,
) -> SurveyRecord | None:
    """Change the given fields (and ``updated_at``); None when there is no such survey."""
    with Session(store.engine) as s:
        rec = _get(s, org_id, year)
        if rec is None:
            return None
        if survey_date is not None:
            rec.survey_date = survey_date
        if participants is not None:
            rec.participants = participants
        if status is not None:
            rec.status = status
        if model_json is not None:
            rec.model_json = model_json
        if breakpoints_json is not None:
            rec.breakpoints_json = breakpoints_json
        rec.updated_at = at
        s.commit()
        return _record(rec)


def scores(store: Store, survey_id: int) -> dict[str, str]:
    """job -> the levels as JSON text, by job."""
    q = (
        select(PaySurveyScore)
        .where(PaySurveyScore.survey_id == survey_id)
        .order_by(PaySurveyScore.job)
    )
    with Session(store.engine) as s:
        return {r.job: r.levels_json for r in s.scalars(q)}


def save_scores(
    store: Store, survey_id: int, levels_json: dict[str, str], by: str, at: datetime
) -> None:
    """Insert or replace the scores of the given jobs; the survey's ``updated_at`` moves too."""
    with Session(store.engine) as s:
        for job, text in levels_json.items():
            rec = s.get(PaySurveyScore, (survey_id, job))
            if rec is None:
                s.add(
                    PaySurveyScore(
                        survey_id=survey_id, job=job, levels_json=text, updated_by=by, updated_at=at
                    )
                )
            else:
                rec.levels_json, rec.updated_by, rec.updated_at = text, by, at
        _touch(s, survey_id, at)
        s.commit()


def actions(store: Store, survey_id: int) -> list[ActionRecord]:
    q = (
        select(PaySurveyAction)
        .where(PaySurveyAction.survey_id == survey_id)
        .order_by(PaySurveyAction.id)
    )
    with Session(store.engine) as s:
        return [
            ActionRecord(
                r.difference_id,
                r.kind,
                r.reason,
                r.objective,
                r.job,
                r.amount_per_month,
                r.gap_before_kr,
                r.timetable_json,
                r.created_by,
                r.created_at,
            )
            for r in s.scalars(q)
        ]


def save_action(store: Store, survey_id: int, action: ActionRecord) -> None:
    """Insert or replace the action on one difference; the survey's ``updated_at`` moves too."""
    with Session(store.engine) as s:
        rec = s.scalars(
            select(PaySurveyAction).where(
                PaySurveyAction.survey_id == survey_id,
                PaySurveyAction.difference_id == action.difference_id,
            )
        ).first()
        if rec is None:
            rec = PaySurveyAction(survey_id=survey_id, difference_id=action.difference_id)
            s.add(rec)
        rec.kind = action.kind
        rec.reason = action.reason
        rec.objective = action.objective
        rec.job = action.job
        rec.amount_per_month = action.amount_per_month
        rec.gap_before_kr = action.gap_before_kr
        rec.timetable_json = action.timetable_json
        rec.created_by = action.created_by
        rec.created_at = action.created_at
        _touch(s, survey_id, action.created_at)
        s.commit()


def _touch(s: Session, survey_id: int, at: datetime) -> None:
    survey = s.get(PaySurvey, survey_id)
    if survey is not None:
        survey.updated_at = at
