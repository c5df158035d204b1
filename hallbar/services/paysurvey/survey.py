"""Pay survey (lönekartläggning): surveys, job evaluation and running the analysis.

Every function takes the principal and checks the pay-survey access rules
(``hallbar.services.paysurvey.access``) before it touches data. The pure
computations are in ``hallbar.paysurvey``; this module stores a survey's
settings, scores and actions and feeds ``run_survey`` the import the survey was
made from (stored with it), so a later import does not change a survey in progress. Views of the results are in ``views``; the written
documentation in ``paysurvey_document``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource, may
from hallbar.core.dataset import HRData
from hallbar.core.errors import InputError, NotFound
from hallbar.paysurvey import (
    Adjustment,
    EvaluationModel,
    JobEvaluation,
    SubFactor,
    SurveyParams,
    SurveyResult,
    TimetableStep,
    pay_frame_from_hrdata,
    run_survey,
)
from hallbar.services import access
from hallbar.services.access import require_org
from hallbar.services.memo import HbCache
from hallbar.services.scope import load, load_snapshot
from hallbar.store import paysurveys
from hallbar.store.paysurveys import ActionRecord, SurveyRecord

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

STATUSES: dict[str, str] = {
    "planerad": "Planerad",
    "pågående": "Pågående",
    "klar": "Klar",
}
JOB_KEYS: dict[str, str] = {"title": "Lokal befattning", "aid_code": "AID-etikett"}
SURVEY_NOT_FOUND = (
    "Lönekartläggningen finns inte eller så saknar du behörighet. Välj en kartläggning i listan."
)


class SurveyInputError(InputError):
    """Bad input in a survey form; the message says what to correct."""


@dataclass(frozen=True)
class SurveyInfo:
    id: int
    org_id: str
    year: int
    survey_date: date
    status: str
    participants: str
    job_key: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    import_id: int | None  # the snapshot the survey was made from (None: the active one)

    @property
    def status_sv(self) -> str:
        return STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class SurveyList:
    org_id: str
    org_name: str
    as_of: date | None
    surveys: tuple[SurveyInfo, ...]
    may_edit: bool


def now() -> datetime:
    return datetime.now(UTC)


def _info(rec: SurveyRecord) -> SurveyInfo:
    return SurveyInfo(
        rec.id,
        rec.org_id,
        rec.year,
        rec.survey_date,
        rec.status,
        rec.participants,
        rec.job_key,
        rec.created_by,
        rec.created_at,
        rec.updated_at,
        rec.import_id,
    )


def _dataset(hb: Hallbar, org_id: str, import_id: int | None) -> HRData:
    try:
        return hb.dataset(org_id, import_id)
    except NotFound as err:
        raise NotFound(access.ORG_NOT_FOUND) from err


def org_name(data: HRData, org_id: str) -> str:
    return str(data.organisations["name"][0]) if data.organisations.height else org_id


# --- surveys ------------------------------------------------------------------------


def list_surveys(hb: Hallbar, principal: Principal, org_id: str) -> SurveyList:
    data = load(hb, principal, org_id, Resource.PAY_SURVEYS)
    surveys = tuple(_info(r) for r in paysurveys.surveys(hb.store, org_id))
    return SurveyList(
        org_id, org_name(data, org_id), data.as_of, surveys, may(principal, Resource.PAY_EDIT)
    )


def get_record(hb: Hallbar, org_id: str, year: int) -> SurveyRecord:
    rec = paysurveys.survey(hb.store, org_id, year)
    if rec is None:
        raise NotFound(SURVEY_NOT_FOUND)
    return rec


def get_survey(
    hb: Hallbar, principal: Principal, org_id: str, year: int, resource: Resource
) -> SurveyInfo:
    require_org(principal, org_id, resource)
    return _info(get_record(hb, org_id, year))


def _parse_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as err:
        raise SurveyInputError(
            f"{field} '{text}' är inget datum. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2025-11-01."
        ) from err


def create_survey(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    *,
    year: int,
    survey_date: str,
    participants: str = "",
    job_key: str = "title",
) -> SurveyInfo:
    """Start the survey of ``year``: last year's evaluation model and scores, or the default model.

    The survey is tied to the organisation's active import: it computes on that
    snapshot until it is done, whatever is imported later.
    """
    record, data = load_snapshot(hb, principal, org_id, Resource.PAY_EDIT)
    if not 2000 <= year <= 2100:
        raise SurveyInputError("Ange ett år mellan 2000 och 2100.")
    day = _parse_date(survey_date, "Kartläggningsdagen")
    if day > data.as_of:
        raise SurveyInputError(
            f"Kartläggningsdagen {day.isoformat()} är efter det senaste uttaget "
            f"({data.as_of.isoformat()}). Välj ett datum senast {data.as_of.isoformat()} eller "
            "importera nyare uppgifter."
        )
    if job_key not in JOB_KEYS:
        raise SurveyInputError("Välj om befattningar ska vara lokala titlar eller AID-etiketter.")
    stamp = now()
    if paysurveys.survey(hb.store, org_id, year) is not None:
        raise SurveyInputError(
            f"Det finns redan en lönekartläggning för {year}. Öppna den i listan i stället."
        )
    # Carry over last year's model, band breakpoints and scores: the evaluation is
    # reviewed each year, not redone from scratch.
    last = paysurveys.survey(hb.store, org_id, year - 1)
    rec = paysurveys.create(
        hb.store,
        org_id=org_id,
        year=year,
        survey_date=day,
        participants=participants.strip(),
        job_key=job_key,
        model_json=last.model_json if last else model_to_json(EvaluationModel.default()),
        breakpoints_json=last.breakpoints_json if last else "[]",
        copy_scores_from=last.id if last is not None and last.job_key == job_key else None,
        created_by=principal.username,
        at=stamp,
        import_id=record.id,
    )
    return _info(rec)


def update_survey(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    year: int,
    *,
    survey_date: str,
    participants: str,
    status: str,
) -> SurveyInfo:
    require_org(principal, org_id, Resource.PAY_EDIT)
    data = _dataset(hb, org_id, get_record(hb, org_id, year).import_id)
    day = _parse_date(survey_date, "Kartläggningsdagen")
    if day > data.as_of:
        raise SurveyInputError(
            f"Kartläggningsdagen {day.isoformat()} är efter kartläggningens uttag "
            f"({data.as_of.isoformat()}). Välj ett tidigare datum."
        )
    if status not in STATUSES:
        raise SurveyInputError(f"Välj status: {', '.join(STATUSES.values())}.")
    rec = paysurveys.update(
        hb.store,
        org_id,
        year,
        at=now(),
        survey_date=day,
        participants=participants.strip(),
        status=status,
    )
    if rec is None:
        raise NotFound(SURVEY_NOT_FOUND)
    return _info(rec)


# --- the evaluation model and scores -------------------------------------------------


def model_to_json(model: EvaluationModel) -> str:
    return json.dumps(
        {
            "name": model.name_sv,
            "subfactors": [
                {
                    "id": f.id,
                    "criterion": f.criterion,
                    "name": f.name_sv,
                    "weight": f.weight,
                    "levels": f.levels,
                }
                for f in model.subfactors
            ],
        },
        ensure_ascii=False,
    )


def model_from_json(text: str) -> EvaluationModel:
    data = json.loads(text)
    return EvaluationModel(
        name_sv=str(data["name"]),
        subfactors=tuple(
            SubFactor(
                str(f["id"]),
                str(f["criterion"]),
                str(f["name"]),
                float(f["weight"]),
                int(f["levels"]),
            )
            for f in data["subfactors"]
        ),
    )


def _scores(hb: Hallbar, survey_id: int) -> dict[str, dict[str, int]]:
    rows = paysurveys.scores(hb.store, survey_id)
    return {job: {k: int(v) for k, v in json.loads(text).items()} for job, text in rows.items()}


@dataclass(frozen=True)
class Stored:
    """Everything stored for one survey."""

    info: SurveyInfo
    model: EvaluationModel
    breakpoints: tuple[float, ...]
    scores: dict[str, dict[str, int]]
    actions: tuple[PaySurveyActionRow, ...]


@dataclass(frozen=True)
class PaySurveyActionRow:
    difference_id: str
    kind: str  # förklaring | justering
    reason: str
    objective: bool
    job: str | None
    amount_per_month: float | None
    gap_before_kr: float | None
    timetable: tuple[tuple[date, float], ...]
    created_by: str
    created_at: datetime

    def adjustment(self) -> Adjustment | None:
        if self.kind != "justering" or self.amount_per_month is None:
            return None
        return Adjustment(
            self.difference_id,
            self.amount_per_month,
            tuple(TimetableStep(d, a) for d, a in self.timetable),
            job=self.job,
            gap_before_kr=self.gap_before_kr,
        )


def _action_row(r: ActionRecord) -> PaySurveyActionRow:
    steps = tuple((date.fromisoformat(d), float(a)) for d, a in json.loads(r.timetable_json))
    return PaySurveyActionRow(
        r.difference_id,
        r.kind,
        r.reason,
        r.objective,
        r.job,
        r.amount_per_month,
        r.gap_before_kr,
        steps,
        r.created_by,
        r.created_at,
    )


def load_stored(hb: Hallbar, org_id: str, year: int) -> Stored:
    """Read a survey without access checks (callers have checked)."""
    rec = get_record(hb, org_id, year)
    return Stored(
        _info(rec),
        model_from_json(rec.model_json),
        tuple(float(b) for b in json.loads(rec.breakpoints_json)),
        _scores(hb, rec.id),
        tuple(_action_row(a) for a in paysurveys.actions(hb.store, rec.id)),
    )


def jobs_in_data(hb: Hallbar, info: SurveyInfo) -> pl.DataFrame:
    """job, n: the jobs of the survey's pay frame (the rows of the scoring grid)."""
    frame = pay_frame(hb, info)
    return (
        frame.filter(pl.col("job").is_not_null())
        .group_by("job")
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .sort("job")
    )


# --- running the survey -----------------------------------------------------------


def pay_frame(hb: Hallbar, info: SurveyInfo) -> pl.DataFrame:
    data = _dataset(hb, info.org_id, info.import_id)
    return pay_frame_from_hrdata(data, at=info.survey_date, job_key=info.job_key)


@dataclass(frozen=True)
class Computed:
    stored: Stored
    org_name: str
    as_of: date
    frame: pl.DataFrame
    evaluation: JobEvaluation | None
    params: SurveyParams
    result: SurveyResult
    last_year: tuple[PaySurveyActionRow, ...]


_computed: HbCache[Computed] = HbCache(8)


def last_year_actions(hb: Hallbar, org_id: str, year: int) -> tuple[PaySurveyActionRow, ...]:
    try:
        return load_stored(hb, org_id, year - 1).actions
    except NotFound:
        return ()


def compute(
    hb: Hallbar, principal: Principal, org_id: str, year: int, resource: Resource
) -> Computed:
    """Run the whole survey on its own snapshot (cached until anything changes)."""
    require_org(principal, org_id, resource)
    stored = load_stored(hb, org_id, year)
    last = last_year_actions(hb, org_id, year)
    # Loaded (from the dataset cache) even when the result is cached: the load notes
    # which snapshot the page shows (``services.scope.note_shown``).
    try:
        record, data = hb.snapshot(org_id, stored.info.import_id)
    except NotFound as err:
        raise NotFound(access.ORG_NOT_FOUND) from err
    key = (
        stored.info.id,
        org_id,
        stored.info.updated_at,
        record.id,
        hash(tuple((a.difference_id, a.amount_per_month, a.created_at) for a in last)),
    )
    hit = _computed.get(hb, key)
    if hit is not None and hit.stored == stored:
        return hit
    return _run(hb, stored, last, key, data)


def _run(
    hb: Hallbar,
    stored: Stored,
    last: tuple[PaySurveyActionRow, ...],
    key: tuple[int, str, datetime, int | None, int],
    data: HRData,
) -> Computed:
    # Every worker with a contract on the survey date, hourly-paid included: the EU Art. 9
    # report and its headcount need them all; run_survey keeps the comparisons to the
    # monthly-paid rows (issue 11 item 3).
    frame = pay_frame_from_hrdata(
        data, at=stored.info.survey_date, job_key=stored.info.job_key, include_hourly=True
    )
    evaluation = (
        JobEvaluation(stored.model, stored.scores, stored.breakpoints) if stored.scores else None
    )
    adjustments = tuple(a for a in (r.adjustment() for r in last) if a is not None)
    params = SurveyParams.from_settings(hb.settings, last_year_adjustments=adjustments)
    result = run_survey(frame, evaluation, params)
    out = Computed(
        stored,
        org_name(data, stored.info.org_id),
        data.as_of,
        frame,
        evaluation,
        params,
        result,
        last,
    )
    _computed.put(hb, key, out)
    return out
