"""Pay survey (lönekartläggning): one page per step and a JSON twin under /api/paysurvey/.

All access rules live in the service layer (``hallbar.services.paysurvey.access``);
these routes only parse the request and render.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from hallbar.core.access import Principal, Resource, may
from hallbar.core.describe import FigureTable
from hallbar.core.errors import HallbarError
from hallbar.paysurvey.notices import EvaluationInvalid
from hallbar.reports.html import render_html_table
from hallbar.reports.paysurvey_document import document_css, render_document_html
from hallbar.services.paysurvey import (
    actions,
    document,
    evaluation,
    excel,
    structure,
    survey,
    views,
)
from hallbar.web.deps import ApiUser, Csrf, Hb, PageUser, client_of
from hallbar.web.rendering import TEMPLATES_DIR, download, render, twin

pages = APIRouter()
api = APIRouter(tags=["lönekartläggning"])

CSS_FILE = TEMPLATES_DIR / "paysurvey" / "paysurvey.css"
Page = Annotated[int, Query(ge=1, le=100_000)]
Band = Annotated[str | None, Query(alias="niva", max_length=5)]  # "" = all bands
Job = Annotated[str, Query(alias="befattning", min_length=1, max_length=200)]


def _base(org_id: str, year: int) -> str:
    return f"/paysurvey/{org_id}/{year}"


STEP_RESOURCES: dict[str, Resource] = {
    "overview": Resource.PAY_SURVEYS,
    "evaluation": Resource.PAY_EVALUATION,
    "comparisons": Resource.PAY_COMPARISONS,
    "statistics": Resource.PAY_STATISTICS,
    "structure": Resource.PAY_STRUCTURE,
    "actions": Resource.PAY_ACTIONS,
    "transparency": Resource.PAY_TRANSPARENCY,
    "document": Resource.PAY_DOCUMENT,
}


def _page(
    request: Request, user: Principal, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    """Render a survey page; the step navigation shows only the steps the user may open."""
    allowed = {step for step, res in STEP_RESOURCES.items() if may(user, res)}
    return render(request, template, {**context, "allowed_steps": allowed}, status)


def _band(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _tables(*tables: FigureTable | None) -> list[str]:
    return [render_html_table(t) for t in tables if t is not None]


def _json(page: str, value: Any) -> JSONResponse:
    """The JSON twin; a view's ``counts`` (and a progress's) name whom it counts."""
    progress = value.get("progress") if isinstance(value, dict) else None
    counts = progress.counts if isinstance(progress, views.Progress) else ()
    return twin(f"paysurvey.{page}", value, counts)


def _comparison_query(
    band: Band = None,
    only: Annotated[bool, Query(alias="bara_skillnader")] = False,
    sort: Annotated[str, Query(alias="sortering", pattern="^(gap|namn)$")] = "gap",
    page: Page = 1,
    wd_page: Annotated[int, Query(alias="sida_kd", ge=1)] = 1,
) -> dict[str, Any]:
    """The comparisons' filters and pages from the query string (page and JSON twin)."""
    return {"band": _band(band), "only_gaps": only, "sort": sort, "page": page, "wd_page": wd_page}


ComparisonQuery = Annotated[dict[str, Any], Depends(_comparison_query)]


def _evaluation_page(
    request: Request,
    hb: Hb,
    user: Principal,
    org_id: str,
    year: int,
    status: int = 200,
    **extra: Any,
) -> Response:
    """The evaluation step; ``extra`` carries the errors of a rejected model or import."""
    ev = views.evaluation_view(hb, user, org_id, year)
    context = {"s": ev.survey, "ev": ev, "step": "evaluation", **extra}
    return _page(request, user, "paysurvey/evaluation.html", context, status)


def _actions_page(
    request: Request, user: Principal, av: actions.ActionsView, status: int = 200, **extra: Any
) -> Response:
    """The actions step; ``extra`` carries a rejected form and its error."""
    context = {
        "s": av.survey,
        "a": av,
        "step": "actions",
        "steps": actions.STEP_LABELS,
        "kinds": actions.KIND_LABELS,
        "scen_html": _tables(av.scenarios),
        "fu_html": render_html_table(av.follow_up),
        **extra,
    }
    return _page(request, user, "paysurvey/actions.html", context, status)


# --- assets -------------------------------------------------------------------------


@pages.get("/paysurvey-assets/paysurvey.css")
def css() -> Response:
    return Response(CSS_FILE.read_text("utf-8"), media_type="text/css")


@pages.get("/paysurvey-assets/document.css")
def doc_css() -> Response:
    return Response(document_css(), media_type="text/css")


# --- surveys ------------------------------------------------------------------------


@pages.get("/paysurvey/{org_id}")
def list_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    lst = survey.list_surveys(hb, user, org_id)
    return render(request, "paysurvey/list.html", {"l": lst, "job_keys": survey.JOB_KEYS})


@pages.post("/paysurvey/{org_id}", dependencies=[Csrf])
def create(
    hb: Hb,
    user: PageUser,
    org_id: str,
    year: Annotated[int, Form()],
    survey_date: Annotated[str, Form(max_length=20)],
    participants: Annotated[str, Form(max_length=5000)] = "",
    job_key: Annotated[str, Form(max_length=20)] = "title",
) -> Response:
    info = survey.create_survey(
        hb,
        user,
        org_id,
        year=year,
        survey_date=survey_date,
        participants=participants,
        job_key=job_key,
    )
    return RedirectResponse(_base(org_id, info.year), status_code=303)


@pages.get("/paysurvey/{org_id}/{year}")
def overview_page(request: Request, hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    info = survey.get_survey(hb, user, org_id, year, Resource.PAY_SURVEYS)
    prog = views.progress(hb, user, org_id, year) if may(user, Resource.PAY_COMPARISONS) else None
    return _page(
        request,
        user,
        "paysurvey/overview.html",
        {
            "s": info,
            "p": prog,
            "notices": prog.notices if prog else (),
            "statuses": survey.STATUSES,
            "step": "overview",
            "may_edit": may(user, Resource.PAY_EDIT),
        },
    )


@pages.post("/paysurvey/{org_id}/{year}/info", dependencies=[Csrf])
def update(
    hb: Hb,
    user: PageUser,
    org_id: str,
    year: int,
    survey_date: Annotated[str, Form(max_length=20)],
    status: Annotated[str, Form(max_length=30)],
    participants: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    survey.update_survey(
        hb, user, org_id, year, survey_date=survey_date, participants=participants, status=status
    )
    return RedirectResponse(_base(org_id, year) + "?sparad=1", status_code=303)


# --- evaluation ---------------------------------------------------------------------


@pages.get("/paysurvey/{org_id}/{year}/evaluation")
def evaluation_page(request: Request, hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    return _evaluation_page(request, hb, user, org_id, year)


@pages.post("/paysurvey/{org_id}/{year}/evaluation/model", dependencies=[Csrf])
async def save_model(request: Request, hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    form = await request.form()
    weights = {k[2:]: str(v) for k, v in form.items() if k.startswith("w_")}
    levels = {k[2:]: str(v) for k, v in form.items() if k.startswith("l_")}
    try:
        evaluation.save_model(
            hb,
            user,
            org_id,
            year,
            weights=weights,
            levels=levels,
            breakpoints=str(form.get("breakpoints", "")),
        )
    except EvaluationInvalid as err:
        errors = [str(p) for p in err.problems]
        return _evaluation_page(request, hb, user, org_id, year, 400, model_errors=errors)
    return RedirectResponse(_base(org_id, year) + "/evaluation?sparad=1", status_code=303)


@pages.post("/paysurvey/{org_id}/{year}/evaluation/job", dependencies=[Csrf])
async def save_job(request: Request, hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    """One row of the scoring grid; HTMX swaps the returned row in place."""
    form = await request.form()
    job = str(form.get("job", ""))
    levels = {k[2:]: str(v) for k, v in form.items() if k.startswith("s_")}
    errors: list[str] = []
    try:
        evaluation.save_job_levels(hb, user, org_id, year, job, levels)
    except EvaluationInvalid as err:
        errors = [p.message for p in err.problems]
    except HallbarError as err:
        errors = [err.message]
    ev = views.evaluation_view(hb, user, org_id, year)
    row = next((r for r in ev.rows if r.job == job), None)
    if row is None:
        return HTMLResponse(f"<tr><td colspan='99'>{errors[0] if errors else ''}</td></tr>", 400)
    if errors:
        row = views.GridRow(
            row.job, row.n, {k: int(v) for k, v in levels.items() if v.isdigit()}, None, None
        )
    return _page(
        request,
        user,
        "paysurvey/_grid_row.html",
        {
            "ev": ev,
            "r": row,
            "i": int(str(form.get("i", "0")) or 0),
            "errors": errors,
            "saved": not errors,
        },
    )


@pages.get("/paysurvey/{org_id}/{year}/evaluation.xlsx")
def evaluation_xlsx(hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    content = excel.export_grid(hb, user, org_id, year)
    return download(content, f"arbetsvardering-{org_id}-{year}.xlsx")


@pages.post("/paysurvey/{org_id}/{year}/evaluation/import", dependencies=[Csrf])
async def evaluation_import(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    year: int,
    file: Annotated[UploadFile, File()],
) -> Response:
    content = await file.read(hb.settings.max_file_bytes + 1)
    try:
        n = excel.import_grid(hb, user, org_id, year, content, file.filename or "fil.xlsx")
    except EvaluationInvalid as err:
        errors = [str(p) for p in err.problems]
        return _evaluation_page(request, hb, user, org_id, year, 400, import_errors=errors)
    return RedirectResponse(_base(org_id, year) + f"/evaluation?importerade={n}", status_code=303)


# --- results ------------------------------------------------------------------------


@pages.get("/paysurvey/{org_id}/{year}/comparisons")
def comparisons_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    year: int,
    query: ComparisonQuery,
) -> Response:
    cv = views.comparisons_view(hb, user, org_id, year, **query)
    return _page(
        request,
        user,
        "paysurvey/comparisons.html",
        {
            "s": cv.survey,
            "c": cv,
            "step": "comparisons",
            "equal_html": render_html_table(cv.equal.table),
            "equiv_html": _tables(cv.equivalent),
            "wd_html": render_html_table(cv.women_dominated.table) if cv.women_dominated else None,
            "ind_html": _tables(cv.individuals),
        },
    )


@pages.get("/paysurvey/{org_id}/{year}/statistics")
def statistics_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    year: int,
    reference: Annotated[str, Query(alias="referens", max_length=30)] = "pooled",
) -> Response:
    sv = views.statistics_view(hb, user, org_id, year, reference)
    return _page(
        request,
        user,
        "paysurvey/statistics.html",
        {"s": sv.survey, "v": sv, "step": "statistics", "detail_html": _tables(sv.detail)},
    )


@pages.get("/paysurvey/{org_id}/{year}/structure")
def structure_page(request: Request, hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    si = structure.structure_index(hb, user, org_id, year)
    return _page(
        request,
        user,
        "paysurvey/structure.html",
        {"s": si.survey, "si": si, "step": "structure", "table_html": render_html_table(si.table)},
    )


@pages.get("/paysurvey/{org_id}/{year}/structure/job")
def structure_job_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, year: int, job: Job
) -> Response:
    info = survey.get_survey(hb, user, org_id, year, Resource.PAY_STRUCTURE)
    ch = structure.structure_chart(hb, user, org_id, year, job, client=client_of(request))
    return _page(
        request, user, "paysurvey/structure_job.html", {"s": info, "ch": ch, "step": "structure"}
    )


@pages.get("/paysurvey/{org_id}/{year}/actions")
def actions_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    year: int,
    step: Annotated[str | None, Query(alias="steg", max_length=30)] = None,
    page: Page = 1,
    job: Annotated[str | None, Query(alias="befattning", max_length=200)] = None,
    diff: Annotated[str | None, Query(alias="skillnad", max_length=500)] = None,
) -> Response:
    av = actions.actions_view(
        hb, user, org_id, year, step=step or None, page=page, job=job, difference=diff
    )
    return _actions_page(request, user, av)


@pages.post("/paysurvey/{org_id}/{year}/actions", dependencies=[Csrf])
def record_action(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    year: int,
    difference_id: Annotated[str, Form(max_length=500)],
    kind: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=5000)] = "",
    amount: Annotated[str, Form(max_length=50)] = "",
    timetable: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        actions.record_action(
            hb,
            user,
            org_id,
            year,
            difference_id=difference_id,
            kind=kind,
            reason=reason,
            amount=amount,
            timetable=timetable,
        )
    except HallbarError as err:
        if isinstance(err, survey.SurveyInputError) or type(err).__name__ == "InvalidAction":
            av = actions.actions_view(hb, user, org_id, year, difference=difference_id)
            form = {"kind": kind, "reason": reason, "amount": amount, "timetable": timetable}
            return _actions_page(request, user, av, 400, form_error=err.message, form=form)
        raise
    return RedirectResponse(_base(org_id, year) + "/actions?sparad=1", status_code=303)


@pages.get("/paysurvey/{org_id}/{year}/transparency")
def transparency_page(request: Request, hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    tv = views.transparency_view(hb, user, org_id, year)
    return _page(
        request,
        user,
        "paysurvey/transparency.html",
        {
            "s": tv.survey,
            "tv": tv,
            "step": "transparency",
            "tables_html": _tables(tv.quartiles, tv.categories),
        },
    )


@pages.get("/paysurvey/{org_id}/{year}/document")
def document_page(request: Request, hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    doc = document.build_document(hb, user, org_id, year, client=client_of(request))
    base = _base(org_id, year)
    html = render_document_html(
        doc,
        stylesheet_href="/paysurvey-assets/document.css",
        links=(
            ("‹ Tillbaka till kartläggningen", base),
            ("Ladda ner som Excel", base + "/document.xlsx"),
        ),
    )
    return HTMLResponse(html)


@pages.get("/paysurvey/{org_id}/{year}/document.xlsx")
def document_xlsx(request: Request, hb: Hb, user: PageUser, org_id: str, year: int) -> Response:
    with tempfile.TemporaryDirectory() as tmp:
        path = document.document_excel(
            hb, user, org_id, year, Path(tmp) / "dok.xlsx", client=client_of(request)
        )
        content = path.read_bytes()
    return download(content, f"lonekartlaggning-{org_id}-{year}.xlsx")


# --- JSON twins -----------------------------------------------------------------------


@api.get("/paysurvey/{org_id}", summary="Organisationens lönekartläggningar")
def list_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return _json("list", survey.list_surveys(hb, user, org_id))


@api.get("/paysurvey/{org_id}/{year}", summary="En lönekartläggning med anmärkningar")
def overview_api(hb: Hb, user: ApiUser, org_id: str, year: int) -> JSONResponse:
    info = survey.get_survey(hb, user, org_id, year, Resource.PAY_SURVEYS)
    prog = views.progress(hb, user, org_id, year) if may(user, Resource.PAY_COMPARISONS) else None
    return _json("overview", {"survey": info, "progress": prog})


@api.get("/paysurvey/{org_id}/{year}/evaluation", summary="Arbetsvärdering: modell och rutnät")
def evaluation_api(hb: Hb, user: ApiUser, org_id: str, year: int) -> JSONResponse:
    return _json("evaluation", views.evaluation_view(hb, user, org_id, year))


@api.get("/paysurvey/{org_id}/{year}/comparisons", summary="Lika och likvärdigt arbete")
def comparisons_api(
    hb: Hb,
    user: ApiUser,
    org_id: str,
    year: int,
    query: ComparisonQuery,
) -> JSONResponse:
    return _json("comparisons", views.comparisons_view(hb, user, org_id, year, **query))


@api.get("/paysurvey/{org_id}/{year}/statistics", summary="Regression och Oaxaca–Blinder")
def statistics_api(
    hb: Hb,
    user: ApiUser,
    org_id: str,
    year: int,
    reference: Annotated[str, Query(alias="referens", max_length=30)] = "pooled",
) -> JSONResponse:
    v = views.statistics_view(hb, user, org_id, year, reference)
    return _json(
        "statistics",
        {
            "survey": v.survey,
            "regression": v.regression,
            "decomposition": v.decomposition.to_dict() if v.decomposition else None,
            "decomposition_error": v.decomposition_error,
            "reference": v.reference,
            "detail": v.detail,
            "notices": v.notices,
        },
    )


@api.get("/paysurvey/{org_id}/{year}/structure", summary="Lönestruktur per befattning")
def structure_api(hb: Hb, user: ApiUser, org_id: str, year: int) -> JSONResponse:
    return _json("structure", structure.structure_index(hb, user, org_id, year))


@api.get("/paysurvey/{org_id}/{year}/structure/job", summary="Lönebild för en befattning")
def structure_job_api(
    request: Request, hb: Hb, user: ApiUser, org_id: str, year: int, job: Job
) -> JSONResponse:
    return _json(
        "structure_job",
        structure.structure_chart(hb, user, org_id, year, job, client=client_of(request)),
    )


@api.get("/paysurvey/{org_id}/{year}/actions", summary="Flaggade skillnader och åtgärder")
def actions_api(
    hb: Hb,
    user: ApiUser,
    org_id: str,
    year: int,
    step: Annotated[str | None, Query(alias="steg", max_length=30)] = None,
    page: Page = 1,
) -> JSONResponse:
    return _json("actions", actions.actions_view(hb, user, org_id, year, step=step, page=page))


@api.get("/paysurvey/{org_id}/{year}/transparency", summary="EU-rapport enligt artikel 9")
def transparency_api(hb: Hb, user: ApiUser, org_id: str, year: int) -> JSONResponse:
    return _json("transparency", views.transparency_view(hb, user, org_id, year))


@api.get("/paysurvey/{org_id}/{year}/document", summary="Skriftlig dokumentation")
def document_api(request: Request, hb: Hb, user: ApiUser, org_id: str, year: int) -> JSONResponse:
    return _json(
        "document", document.build_document(hb, user, org_id, year, client=client_of(request))
    )
