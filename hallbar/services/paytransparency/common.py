"""What every pay-transparency workflow shares: the pay frame on a date, the job evaluation
of the pay survey, form parsing and the audit entries.

The pay frame and the job values come from the pay survey (``hallbar.paysurvey``
and its stored job evaluation), so the law's answers use the same pay model as
the yearly pay survey. The obligations are the employer's, so every workflow
opens the whole organisation through ``hallbar.services.scope.load`` (role and
organisation check, then the data; no unit cut).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal
from hallbar.core.dataset import HRData
from hallbar.core.errors import NotFound
from hallbar.paysurvey import JobEvaluation, check_pay_frame, pay_frame_from_hrdata
from hallbar.paysurvey.notices import PaySurveyError
from hallbar.paytransparency.errors import InvalidInput, NoPayData
from hallbar.services import audit
from hallbar.services.paysurvey.survey import load_stored

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar


class Actions:
    """Audit actions of the pay-transparency workflows (stored values)."""

    VIEW = "visning_lönetransparens"  # a page or document was shown
    ANSWER = "lönetransparens_svar"  # an answer was drafted, sent or reprinted
    CHANGE = "lönetransparens_ändring"  # a request, range, criteria, report or assessment saved


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def record(
    hb: Hallbar, principal: Principal, action: str, org_id: str, target: str, detail: str = ""
) -> None:
    audit.record(hb, principal.username, action, org_id=org_id, target=target, detail=detail)


def org_name(data: HRData, org_id: str) -> str:
    return str(data.organisations["name"][0]) if data.organisations.height else org_id


def parse_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as err:
        raise InvalidInput(
            f"{field} '{text}' är inget datum. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-09-15."
        ) from err


def required(text: str, field: str, example: str) -> str:
    value = text.strip()
    if not value:
        raise InvalidInput(f"Fyll i {field}, t.ex. {example}.")
    return value


@dataclass(frozen=True)
class PayBasis:
    """The pay frame of an organisation on a date, with the pay survey's job values."""

    org_name: str
    at: date
    raw: pl.DataFrame  # pay_frame_from_hrdata
    job_key: str
    job_values: pl.DataFrame | None  # job, value, band, band_label (None: no job evaluation)
    survey_year: int | None


def _evaluation(hb: Hallbar, org_id: str, at: date) -> tuple[str, pl.DataFrame | None, int | None]:
    """The job key and job values of the pay survey of ``at``'s year (or the year before)."""
    for year in (at.year, at.year - 1):
        try:
            stored = load_stored(hb, org_id, year)
        except NotFound:
            continue
        if not stored.scores:
            return stored.info.job_key, None, year
        try:
            values = JobEvaluation(stored.model, stored.scores, stored.breakpoints).job_values()
        except PaySurveyError:
            return stored.info.job_key, None, year
        return stored.info.job_key, values, year
    return "title", None, None


def pay_basis(hb: Hallbar, data: HRData, org_id: str, at: date) -> PayBasis:
    """The monthly-paid pay frame on ``at``; ``NoPayData`` when there is no pay that day.

    ``data`` is the organisation as ``services.scope.load`` opened it for the caller."""
    if at > data.as_of:
        raise NoPayData(
            f"Det finns inga löneuppgifter för {at.isoformat()}: det senaste uttaget gäller "
            f"{data.as_of.isoformat()}. Välj ett datum senast {data.as_of.isoformat()} eller "
            "importera nyare uppgifter."
        )
    job_key, values, year = _evaluation(hb, org_id, at)
    raw = pay_frame_from_hrdata(data, at=at, job_key=job_key)
    if raw.filter(pl.col("monthly_pay") > 0).height == 0:
        raise NoPayData(
            f"Det finns inga löner den {at.isoformat()} i underlaget. Välj ett datum då "
            "organisationen hade månadsavlönade anställda, eller importera löneuppgifter för "
            "perioden."
        )
    return PayBasis(org_name(data, org_id), at, raw, job_key, values, year)


def checked(basis: PayBasis, *, include_supplements: bool) -> pl.DataFrame:
    frame, _notices = check_pay_frame(basis.raw, include_supplements=include_supplements)
    return frame


def with_band(frame: pl.DataFrame, job_values: pl.DataFrame | None) -> pl.DataFrame:
    if job_values is None:
        return frame.with_columns(pl.lit(None, pl.Int64).alias("band"))
    return frame.join(job_values.select("job", "band"), on="job", how="left")
