"""Job evaluation of a survey: change the model, save scores row by row or as a whole grid.

Scores are validated against the survey's model before anything is saved
(``EvaluationInvalid`` lists every problem with row and column); a saved score
bumps the survey's ``updated_at`` so cached results are recomputed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import Problem
from hallbar.paysurvey import EvaluationModel, JobEvaluation, SubFactor
from hallbar.paysurvey.notices import EvaluationInvalid
from hallbar.services.access import require_org
from hallbar.services.paysurvey.survey import (
    SurveyInputError,
    jobs_in_data,
    load_stored,
    model_to_json,
    now,
)
from hallbar.store import paysurveys

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar


def save_model(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    year: int,
    *,
    weights: dict[str, str],
    levels: dict[str, str],
    breakpoints: str = "",
) -> EvaluationModel:
    """Change weights and number of levels of the sub-factors, and the band breakpoints.

    The model must pass ``EvaluationModel.validate`` and every stored score must
    still lie within its sub-factor's levels; otherwise nothing is saved.
    """
    require_org(principal, org_id, Resource.PAY_EDIT)
    stored = load_stored(hb, org_id, year)
    problems: list[Problem] = []
    subs = []
    for row, f in enumerate(stored.model.subfactors, start=2):
        w_text = weights.get(f.id, str(f.weight)).strip().replace(",", ".")
        l_text = levels.get(f.id, str(f.levels)).strip()
        try:
            w = float(w_text)
        except ValueError:
            problems.append(
                Problem("arbetsvärdering", row, "vikt", f"Vikten för '{f.name_sv}' är inget tal.")
            )
            w = f.weight
        try:
            lv = int(l_text)
        except ValueError:
            problems.append(
                Problem(
                    "arbetsvärdering",
                    row,
                    "nivaer",
                    f"Antalet nivåer för '{f.name_sv}' är inget heltal.",
                )
            )
            lv = f.levels
        subs.append(SubFactor(f.id, f.criterion, f.name_sv, w, lv))
    model = EvaluationModel(stored.model.name_sv, tuple(subs))
    problems += model.problems()
    bps: tuple[float, ...] = ()
    if breakpoints.strip():
        try:
            bps = tuple(
                float(b.strip().replace(",", "."))
                for b in breakpoints.replace(";", " ").split()
                if b.strip()
            )
        except ValueError:
            problems.append(
                Problem(
                    "arbetsvärdering",
                    None,
                    "brytpunkter",
                    "Brytpunkterna ska vara tal åtskilda med mellanslag, t.ex. 200 400 600 800.",
                )
            )
    if not problems:
        problems += JobEvaluation(model, stored.scores, bps).problems()
    if problems:
        raise EvaluationInvalid(problems)
    paysurveys.update(
        hb.store,
        org_id,
        year,
        at=now(),
        model_json=model_to_json(model),
        breakpoints_json=json.dumps(list(bps)),
    )
    return model


def parse_levels(
    model: EvaluationModel, job: str, levels: dict[str, str], row: int | None = None
) -> dict[str, int]:
    """Levels from a form or a spreadsheet row; every sub-factor needs a level 1..L."""
    out: dict[str, int] = {}
    problems: list[Problem] = []
    for f in model.subfactors:
        text = str(levels.get(f.id, "") or "").strip()
        if not text:
            problems.append(
                Problem(
                    "arbetsvärdering",
                    row,
                    f.id,
                    f"Befattningen '{job}' saknar nivå för '{f.name_sv}'. Ange 1–{f.levels}.",
                )
            )
            continue
        try:
            number = float(text.replace(",", "."))
            if number != int(number):
                raise ValueError
            level = int(number)
        except ValueError:
            problems.append(
                Problem(
                    "arbetsvärdering",
                    row,
                    f.id,
                    f"Nivån '{text}' för '{f.name_sv}' är inget heltal. Ange 1–{f.levels}.",
                )
            )
            continue
        if not 1 <= level <= f.levels:
            problems.append(
                Problem(
                    "arbetsvärdering",
                    row,
                    f.id,
                    f"Nivån {level} för '{f.name_sv}' ligger utanför 1–{f.levels}. Rätta nivån.",
                )
            )
            continue
        out[f.id] = level
    if problems:
        raise EvaluationInvalid(problems)
    return out


def save_job_levels(
    hb: Hallbar, principal: Principal, org_id: str, year: int, job: str, levels: dict[str, str]
) -> dict[str, int]:
    """Save one row of the scoring grid (all sub-factors at once)."""
    require_org(principal, org_id, Resource.PAY_EDIT)
    stored = load_stored(hb, org_id, year)
    known = set(jobs_in_data(hb, stored.info)["job"].to_list())
    if job not in known:
        raise SurveyInputError(
            f"Befattningen '{job}' finns inte i löneunderlaget för kartläggningsdagen."
        )
    parsed = parse_levels(stored.model, job, levels)
    _store_levels(hb, principal, stored.info.id, {job: parsed})
    return parsed


def _store_levels(
    hb: Hallbar, principal: Principal, survey_id: int, scores: dict[str, dict[str, int]]
) -> None:
    texts = {job: json.dumps(levels, ensure_ascii=False) for job, levels in scores.items()}
    paysurveys.save_scores(hb.store, survey_id, texts, principal.username, now())


def import_levels(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    year: int,
    scores: dict[str, dict[str, str]],
    rows: dict[str, int],
    sheet: str,
) -> int:
    """Save a whole imported grid; nothing is saved when any row is wrong.

    ``rows`` gives each job's spreadsheet row, so messages name sheet, row and column.
    """
    require_org(principal, org_id, Resource.PAY_EDIT)
    stored = load_stored(hb, org_id, year)
    known = set(jobs_in_data(hb, stored.info)["job"].to_list())
    problems: list[Problem] = []
    parsed: dict[str, dict[str, int]] = {}
    for job, levels in scores.items():
        row = rows.get(job)
        if job not in known:
            problems.append(
                Problem(
                    sheet,
                    row,
                    "befattning",
                    f"Befattningen '{job}' finns inte i löneunderlaget. Ta bort raden eller rätta namnet.",
                )
            )
            continue
        if not any(str(v or "").strip() for v in levels.values()):
            continue  # an empty row: the job is not evaluated yet
        try:
            parsed[job] = parse_levels(stored.model, job, levels, row)
        except EvaluationInvalid as err:
            problems += [Problem(sheet, p.row, p.column, p.message) for p in err.problems]
    if problems:
        raise EvaluationInvalid(problems)
    _store_levels(hb, principal, stored.info.id, parsed)
    return len(parsed)
