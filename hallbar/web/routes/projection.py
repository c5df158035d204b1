"""Workforce projection and the competence-supply plan (personalframskrivning).

The projection page is a GET form: every field is in the address, so a result
can be bookmarked and the page works without JavaScript. With HTMX a changed
lever fetches only the result fragment (``/result``), and the uncertainty band
is fetched after the result is shown (``/uncertainty``). Saving scenarios,
uploading a population forecast and planning activities are POST forms with
the CSRF token. Every GET page has a JSON twin under ``/api/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from hallbar.core.errors import AccessDenied, HallbarError, ImportRejected, NotFound
from hallbar.services.projection import plan, scenarios, views
from hallbar.services.projection.inputs import (
    delete_population,
    population_info,
    save_population,
)
from hallbar.services.projection.params import (
    MAX_GRADUATE_ROWS,
    MAX_TASK_SHIFTS,
    ProjectionRequest,
    default_request,
    parse_form,
)
from hallbar.services.twin import success
from hallbar.web.deps import ApiUser, Csrf, Hb, PageUser, client_of
from hallbar.web.pagecache import cached
from hallbar.web.rendering import TEMPLATES_DIR, download, render
from hallbar.web.uploads import UploadRejected, safe_filename

pages = APIRouter()
api = APIRouter(tags=["personalframskrivning"])

CSS_PATH = "/projection-assets/projection.css"
JS_PATH = "/projection-assets/projection.js"
# The plan is a standalone printable page with its own inline styles and no scripts.
PLAN_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
Ids = Annotated[list[int], Query()]
ScenarioId = Annotated[int | None, Query(alias="scenario")]


async def _css(request: Request) -> Response:
    css = (TEMPLATES_DIR / "projection" / "projection.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=300"})


async def _js(request: Request) -> Response:
    js = (TEMPLATES_DIR / "projection" / "projection.js").read_text(encoding="utf-8")
    return Response(js, media_type="text/javascript", headers={"cache-control": "max-age=300"})


pages.add_route(CSS_PATH, _css, methods=["GET"], include_in_schema=False)
pages.add_route(JS_PATH, _js, methods=["GET"], include_in_schema=False)


def _values(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def _request_from(request: Request, hb: Hb) -> ProjectionRequest:
    return parse_form(_values(request), hb.settings)


def _form_context(view: views.ProjectionView, form: dict[str, list[str]]) -> dict[str, Any]:
    def pad(name: str, n: int) -> list[str]:
        got = list(form.get(name) or [])
        return got + [""] * (n - len(got))

    return {
        "form": {k: (v[0] if v else "") for k, v in form.items()},
        "shifts": list(
            zip(
                pad("vaxling_fran", MAX_TASK_SHIFTS),
                pad("vaxling_till", MAX_TASK_SHIFTS),
                pad("vaxling_aa", MAX_TASK_SHIFTS),
                strict=True,
            )
        ),
        "grads": list(
            zip(
                pad("examinerade_yrke", MAX_GRADUATE_ROWS),
                pad("examinerade_antal", MAX_GRADUATE_ROWS),
                strict=True,
            )
        ),
        "css": CSS_PATH,
        "js": JS_PATH,
    }


def _page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    req: ProjectionRequest | None,
    *,
    form: dict[str, list[str]] | None = None,
    error: str | None = None,
    status: int = 200,
    import_id: int | None = None,
    **extra: Any,
) -> Response:
    """The projection page; with a bad request it shows the error and the default result.

    ``import_id``: a saved scenario's own snapshot (None: the active import).
    """
    view_error = None
    try:
        view = views.projection_view(
            hb, user, org_id, req or default_request(hb.settings), import_id
        )
    except HallbarError as err:
        if req is None or isinstance(err, AccessDenied | NotFound):
            raise
        view_error = err.message
        view = views.projection_view(hb, user, org_id, default_request(hb.settings))
    values = form if form is not None else (req or view.request).form_values()
    context = {
        "v": view,
        "error": error or view_error,
        "saved": None,
        "upload_problems": None,
        **_form_context(view, values),
        **extra,
    }
    return render(request, "projection/index.html", context, 400 if view_error else status)


@pages.get("/projection/{org_id}")
def projection_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    values = _values(request)
    try:
        req = parse_form(values, hb.settings)
    except HallbarError as err:
        views.projection_view(hb, user, org_id, default_request(hb.settings))  # access first
        return _page(request, hb, user, org_id, None, form=values, error=err.message, status=400)
    return _page(request, hb, user, org_id, req)


def _fragment(request: Request, template: str, context: Callable[[], dict[str, Any]]) -> Response:
    """A part of the page that HTMX swaps in; a bad lever shows its message in its place."""
    try:
        values = context()
    except (AccessDenied, NotFound):
        raise
    except HallbarError as err:
        # 200 so that HTMX swaps the message in where the result was.
        return render(request, "projection/_error.html", {"message": err.message})
    return render(request, template, values)


@pages.get("/projection/{org_id}/result")
def result_fragment(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    """The result part of the page (HTMX swaps it in when a lever changes)."""
    return cached(
        request,
        hb,
        user,
        org_id,
        lambda: _fragment(
            request,
            "projection/_result.html",
            lambda: {
                "v": views.projection_view(hb, user, org_id, _request_from(request, hb)),
                "css": CSS_PATH,
            },
        ),
        # The result names the stored population forecast, which an upload replaces.
        extra=population_info(hb, org_id),
    )


@pages.get("/projection/{org_id}/uncertainty")
def uncertainty_fragment(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    return _fragment(
        request,
        "projection/_uncertainty.html",
        lambda: {"u": views.uncertainty_view(hb, user, org_id, _request_from(request, hb))},
    )


@pages.post("/projection/{org_id}/population", dependencies=[Csrf])
async def upload_population(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    file: Annotated[UploadFile, File()],
) -> Response:
    settings = request.app.state.settings
    try:
        name = safe_filename(file.filename)
        content = await file.read(settings.max_file_bytes + 1)
        if len(content) > settings.max_file_bytes:
            raise UploadRejected(
                f"Filen är större än {settings.max_file_bytes // 1_000_000} MB. Ladda upp en mindre fil."
            )
        save_population(hb, user, org_id, name, content, client=client_of(request))
    except ImportRejected as err:
        problems = [str(p) for p in err.problems]
        return _page(
            request,
            hb,
            user,
            org_id,
            None,
            upload_problems=problems,
            error="Befolkningsprognosen kunde inte läsas och sparades inte.",
            status=400,
        )
    except (AccessDenied, NotFound):
        raise
    except HallbarError as err:
        return _page(request, hb, user, org_id, None, error=err.message, status=400)
    return RedirectResponse(f"/projection/{quote(org_id)}?efterfragan=population", status_code=303)


@pages.post("/projection/{org_id}/population/delete", dependencies=[Csrf])
def remove_population(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    delete_population(hb, user, org_id)
    return RedirectResponse(f"/projection/{quote(org_id)}", status_code=303)


# --- scenarios ------------------------------------------------------------------------


def _scenarios_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, status: int = 200, **extra: Any
) -> Response:
    items = scenarios.list_scenarios(hb, user, org_id)
    context = {
        "org_id": org_id,
        "items": items,
        "error": None,
        "message": None,
        "may_edit": plan.may_edit(user),
        "css": CSS_PATH,
        **extra,
    }
    return render(request, "projection/scenarios.html", context, status)


@pages.get("/projection/{org_id}/scenarios")
def scenarios_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, saved: int | None = None
) -> Response:
    message = None
    if saved is not None:
        try:
            message = f"Scenariot {scenarios.get_scenario(hb, user, org_id, saved).name} är sparat."
        except NotFound:
            message = None
    return _scenarios_page(request, hb, user, org_id, message=message)


@pages.post("/projection/{org_id}/scenarios", dependencies=[Csrf])
def save_scenario(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    name: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    params: Annotated[str, Form()] = "",
) -> Response:
    try:
        req = parse_form(parse_qs(params, keep_blank_values=True), hb.settings)
        saved = scenarios.save_scenario(hb, user, org_id, name, description, req)
    except HallbarError as err:
        if isinstance(err, AccessDenied | NotFound):
            raise
        return _scenarios_page(request, hb, user, org_id, status=400, error=err.message)
    return RedirectResponse(
        f"/projection/{quote(org_id)}/scenarios?saved={saved.id}", status_code=303
    )


@pages.get("/projection/{org_id}/scenarios/{scenario_id}")
def scenario_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, scenario_id: int
) -> Response:
    saved = scenarios.get_scenario(hb, user, org_id, scenario_id)
    return _page(
        request,
        hb,
        user,
        org_id,
        scenarios.saved_request(saved),
        saved=saved,
        import_id=saved.import_id,
    )


@pages.post("/projection/{org_id}/scenarios/{scenario_id}/delete", dependencies=[Csrf])
def delete_scenario(
    request: Request, hb: Hb, user: PageUser, org_id: str, scenario_id: int
) -> Response:
    scenarios.delete_scenario(hb, user, org_id, scenario_id)
    return RedirectResponse(f"/projection/{quote(org_id)}/scenarios", status_code=303)


def _compare(
    hb: Hb, user: Any, org_id: str, ids: list[int], grund: bool, aktuellt: str
) -> scenarios.Comparison:
    """Saved scenarios, the base scenario (``grund``) and unsaved settings (``aktuellt``, the
    page's query string) side by side: nothing needs saving before it is compared."""
    current = (
        parse_form(parse_qs(aktuellt, keep_blank_values=True), hb.settings) if aktuellt else None
    )
    return scenarios.compare(hb, user, org_id, ids, with_base=grund, current=current)


Base = Annotated[bool, Query(alias="grund")]
Current = Annotated[str, Query(alias="aktuellt", max_length=4000)]


@pages.get("/projection/{org_id}/compare")
def compare_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    ids: Ids = [],  # noqa: B006
    grund: Base = False,
    aktuellt: Current = "",
) -> Response:
    try:
        comparison = _compare(hb, user, org_id, ids, grund, aktuellt)
    except HallbarError as err:
        if isinstance(err, AccessDenied | NotFound):
            raise
        return _scenarios_page(request, hb, user, org_id, status=400, error=err.message)
    context = {
        "c": comparison,
        "pairs": list(zip(comparison.scenarios, comparison.views, strict=True)),
        "scen_cols": [(s.name, s.name, 0) for s in comparison.scenarios],
        "query": request.url.query,
        "css": CSS_PATH,
    }
    return render(request, "projection/compare.html", context)


# --- the plan -------------------------------------------------------------------------


def _plan_page(request: Request, p: plan.PlanView, error: str | None = None) -> Response:
    return render(
        request,
        "projection/plan.html",
        {"p": p, "error": error, "css": CSS_PATH},
        400 if error is not None else 200,
    )


@pages.get("/projection/{org_id}/plan")
def plan_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, scenario_id: ScenarioId = None
) -> Response:
    return _plan_page(request, plan.plan_view(hb, user, org_id, scenario_id))


@pages.post("/projection/{org_id}/plan/activities", dependencies=[Csrf])
def add_activity(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    occupation: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    responsible: Annotated[str, Form()] = "",
    timeframe: Annotated[str, Form()] = "",
    scenario: Annotated[str, Form()] = "",
) -> Response:
    sid = int(scenario) if scenario.isdigit() else None
    try:
        plan.add_activity(
            hb,
            user,
            org_id,
            occupation=occupation,
            text=text,
            responsible=responsible,
            timeframe=timeframe,
        )
    except plan.ActivityInputError as err:
        return _plan_page(request, plan.plan_view(hb, user, org_id, sid), err.message)
    suffix = f"?scenario={sid}" if sid is not None else ""
    return RedirectResponse(
        f"/projection/{quote(org_id)}/plan{suffix}#aktiviteter", status_code=303
    )


@pages.post("/projection/{org_id}/plan/activities/{activity_id}/delete", dependencies=[Csrf])
def delete_activity(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    activity_id: int,
    scenario: Annotated[str, Form()] = "",
) -> Response:
    plan.delete_activity(hb, user, org_id, activity_id)
    suffix = f"?scenario={scenario}" if scenario.isdigit() else ""
    return RedirectResponse(
        f"/projection/{quote(org_id)}/plan{suffix}#aktiviteter", status_code=303
    )


def _document(hb: Hb, user: Any, org_id: str, sid: int | None, request: Request) -> Response:
    html = plan.plan_html(hb, user, org_id, sid, client=client_of(request))
    return HTMLResponse(html, headers={"content-security-policy": PLAN_CSP})


def _excel(hb: Hb, user: Any, org_id: str, sid: int | None, request: Request) -> Response:
    content = plan.plan_excel(hb, user, org_id, sid, client=client_of(request))
    return download(content, f"kompetensforsorjningsplan-{org_id}.xlsx")


@pages.get("/projection/{org_id}/plan/document")
def plan_document(
    request: Request, hb: Hb, user: PageUser, org_id: str, scenario_id: ScenarioId = None
) -> Response:
    return _document(hb, user, org_id, scenario_id, request)


@pages.get("/projection/{org_id}/plan/excel")
def plan_excel(
    request: Request, hb: Hb, user: PageUser, org_id: str, scenario_id: ScenarioId = None
) -> Response:
    return _excel(hb, user, org_id, scenario_id, request)


# --- JSON twins -----------------------------------------------------------------------


def _json(page: str, data: Any) -> JSONResponse:
    """The JSON twin; a projection result's own ``populationer`` become the envelope's."""
    counts: list[Any] = []
    if isinstance(data, dict):
        data = dict(data)
        counts = data.pop("populationer", [])
        inner = data.get("resultat")
        if isinstance(inner, dict) and "populationer" in inner:
            data["resultat"] = {k: v for k, v in inner.items() if k != "populationer"}
            counts = inner["populationer"]
    return JSONResponse({**success(f"projection.{page}", data), "populationer": counts})


@api.get("/projection/{org_id}", summary="Kör en personalframskrivning (samma fält som sidan)")
def projection_api(request: Request, hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return _json(
        "projection",
        views.view_json(views.projection_view(hb, user, org_id, _request_from(request, hb))),
    )


@api.get("/projection/{org_id}/result", summary="Resultatet av en framskrivning")
def result_api(request: Request, hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return projection_api(request, hb, user, org_id)


@api.get("/projection/{org_id}/uncertainty", summary="P10/P50/P90 för rekryteringsbehovet")
def uncertainty_api(request: Request, hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    view = views.uncertainty_view(hb, user, org_id, _request_from(request, hb))
    return _json("uncertainty", views.uncertainty_json(view))


@api.get("/projection/{org_id}/scenarios", summary="Sparade scenarier")
def scenarios_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return _json("scenarios", [s.to_json() for s in scenarios.list_scenarios(hb, user, org_id)])


@api.get("/projection/{org_id}/scenarios/{scenario_id}", summary="Ett sparat scenario med resultat")
def scenario_api(hb: Hb, user: ApiUser, org_id: str, scenario_id: int) -> JSONResponse:
    saved = scenarios.get_scenario(hb, user, org_id, scenario_id)
    view = views.projection_view(hb, user, org_id, scenarios.saved_request(saved), saved.import_id)
    return _json("scenario", {"scenario": saved.to_json(), "resultat": views.view_json(view)})


@api.get(
    "/projection/{org_id}/compare",
    summary="Jämför 2–4 scenarier: sparade, grundscenariot och osparade inställningar",
)
def compare_api(
    hb: Hb,
    user: ApiUser,
    org_id: str,
    ids: Ids = [],  # noqa: B006
    grund: Base = False,
    aktuellt: Current = "",
) -> JSONResponse:
    comparison = _compare(hb, user, org_id, ids, grund, aktuellt)
    return _json("compare", scenarios.comparison_json(comparison))


@api.get("/projection/{org_id}/plan", summary="Kompetensförsörjningsplanen")
def plan_api(hb: Hb, user: ApiUser, org_id: str, scenario_id: ScenarioId = None) -> JSONResponse:
    return _json("plan", plan.plan_json(plan.plan_view(hb, user, org_id, scenario_id)))


@api.get("/projection/{org_id}/plan/document", summary="Planen som utskriftsvänlig HTML")
def plan_document_api(
    request: Request, hb: Hb, user: ApiUser, org_id: str, scenario_id: ScenarioId = None
) -> Response:
    return _document(hb, user, org_id, scenario_id, request)


@api.get("/projection/{org_id}/plan/excel", summary="Planen som Excelfil")
def plan_excel_api(
    request: Request, hb: Hb, user: ApiUser, org_id: str, scenario_id: ScenarioId = None
) -> Response:
    return _excel(hb, user, org_id, scenario_id, request)
