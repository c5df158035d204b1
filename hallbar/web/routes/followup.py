"""Goal and activity follow-up (målstyrning och uppföljning).

Plain GET pages and POST forms with the CSRF token (each POST redirects back to the
plan page, so the page works without JavaScript and on a phone). The report is
a printable page with its own strict policy, a Word document and an Excel
workbook. Every page has a JSON twin under ``/api/``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from hallbar.core.errors import ImportRejected, InputError
from hallbar.followup.budget import parse_amount_kr
from hallbar.followup.indicators import MANUAL, Direction, IndicatorSpec
from hallbar.followup.model import NodeKind, RollupRule, parse_status
from hallbar.services.followup import indicators, periods, plans, reports, transfer, views
from hallbar.web.deps import ApiUser, Csrf, Hb, PageUser
from hallbar.web.rendering import TEMPLATES_DIR, download, render, twin
from hallbar.web.uploads import UploadRejected, safe_filename

pages = APIRouter()
api = APIRouter(tags=["uppföljning"])

CSS_PATH = "/followup-assets/followup.css"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The report is a standalone printable page with its own inline styles and no scripts.
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
Text = Annotated[str, Form()]


class NodeForm(BaseModel):
    """The fields of the add-row and edit-row forms (one model, so both read alike)."""

    title: str = ""
    kind: str = ""
    parent: str = ""
    description: str = ""
    owner_unit: str = ""
    owner_role: str = ""
    responsible: str = ""
    start: str = ""
    end: str = ""
    rollup: str = ""
    weight: str = ""
    links: str = ""
    period: str = ""


NodeFields = Annotated[NodeForm, Form()]


async def _css(request: Request) -> Response:
    css = (TEMPLATES_DIR / "followup" / "followup.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=300"})


pages.add_route(CSS_PATH, _css, methods=["GET"], include_in_schema=False)


class FormError(InputError):
    """A field that could not be read; the message names it."""


def _date(text: str, label: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormError(f"{label} ska skrivas ÅÅÅÅ-MM-DD, t.ex. 2025-12-31.") from None


def _number(text: str, label: str) -> float | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise FormError(f"{label} ska vara ett tal, t.ex. 6,5.") from None


def _int(text: str, label: str) -> int | None:
    value = _number(text, label)
    if value is None:
        return None
    if not value.is_integer():
        raise FormError(f"{label} ska vara ett heltal, t.ex. 2026.")
    return int(value)


def _weight(text: str) -> float:
    value = _number(text, "Vikten")
    return 1.0 if value is None else value


def _msek(text: str, label: str) -> int | None:
    if not text.strip():
        return None
    try:
        return parse_amount_kr(text, in_msek=True)
    except ValueError:
        raise FormError(f"{label} ska vara ett belopp i miljoner kronor, t.ex. 40,6.") from None


def _plan_url(org_id: str, plan_id: int, period_id: int | None = None, anchor: str = "") -> str:
    url = f"/followup/{quote(org_id)}/plans/{plan_id}"
    if period_id:
        url += f"?period={period_id}"
    return url + (f"#{anchor}" if anchor else "")


def _index_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, status: int = 200, **extra: Any
) -> Response:
    view = views.plans_index(hb, user, org_id)
    context = {"v": view, "error": None, "problems": None, "css": CSS_PATH, **extra}
    return render(request, "followup/index.html", context, status)


def _plan_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    plan_id: int,
    period_id: int | None = None,
    status: int = 200,
    **extra: Any,
) -> Response:
    view = views.plan_view(hb, user, org_id, plan_id, period_id)
    context = {
        "v": view,
        "error": None,
        "message": None,
        "problems": None,
        "css": CSS_PATH,
        **extra,
    }
    return render(request, "followup/plan.html", context, status)


@pages.get("/followup/{org_id}")
def index_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    return _index_page(request, hb, user, org_id)


@pages.post("/followup/{org_id}/plans", dependencies=[Csrf])
def create_plan(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    name: Text = "",
    committee: Text = "",
    year: Text = "",
    description: Text = "",
) -> Response:
    try:
        plan = plans.create_plan(
            hb,
            user,
            org_id,
            name,
            committee=committee,
            year=_int(year, "Året"),
            description=description,
        )
    except InputError as err:  # anything else goes to the app's one error handler
        return _index_page(request, hb, user, org_id, 400, error=err.message)
    return RedirectResponse(_plan_url(org_id, plan.id), status_code=303)


@pages.post("/followup/{org_id}/import", dependencies=[Csrf])
async def import_plan(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    file: Annotated[UploadFile, File()],
    name: Text = "",
    committee: Text = "",
    year: Text = "",
) -> Response:
    settings = request.app.state.settings
    try:
        filename = safe_filename(file.filename)
        content = await file.read(settings.max_file_bytes + 1)
        if len(content) > settings.max_file_bytes:
            raise UploadRejected(
                f"Filen är större än {settings.max_file_bytes // 1_000_000} MB. Ladda upp en mindre fil."
            )
        plan = transfer.import_plan(
            hb,
            user,
            org_id,
            filename,
            content,
            name=name,
            committee=committee,
            year=_int(year, "Året"),
        )
    except ImportRejected as err:
        return _index_page(
            request,
            hb,
            user,
            org_id,
            400,
            error="Planen kunde inte läsas och ingenting sparades. Rätta felen nedan och försök igen.",
            problems=[str(p) for p in err.problems],
        )
    except InputError as err:  # anything else goes to the app's one error handler
        return _index_page(request, hb, user, org_id, 400, error=err.message)
    return RedirectResponse(_plan_url(org_id, plan.id), status_code=303)


@pages.post("/followup/{org_id}/plans/{plan_id}/outcomes", dependencies=[Csrf])
async def import_outcomes(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    plan_id: int,
    file: Annotated[UploadFile, File()],
    period: Text = "",
) -> Response:
    settings = request.app.state.settings
    period_id = _int(period, "Period")
    try:
        if period_id is None:
            raise FormError("Välj vilken period utfallet gäller.")
        filename = safe_filename(file.filename)
        content = await file.read(settings.max_file_bytes + 1)
        if len(content) > settings.max_file_bytes:
            raise UploadRejected(
                f"Filen är större än {settings.max_file_bytes // 1_000_000} MB. Ladda upp en mindre fil."
            )
        count = transfer.import_outcomes(hb, user, org_id, plan_id, period_id, filename, content)
    except ImportRejected as err:
        return _plan_page(
            request,
            hb,
            user,
            org_id,
            plan_id,
            period_id,
            400,
            error="Utfallet kunde inte läsas och ingenting sparades. Rätta felen och försök igen.",
            problems=[str(p) for p in err.problems],
        )
    except InputError as err:  # anything else goes to the app's one error handler
        return _plan_page(request, hb, user, org_id, plan_id, period_id, 400, error=err.message)
    return _plan_page(
        request,
        hb,
        user,
        org_id,
        plan_id,
        period_id,
        message=f"Utfall för {count} rader är inläst.",
    )


@pages.get("/followup/{org_id}/plans/{plan_id}")
def plan_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, period: int | None = None
) -> Response:
    return _plan_page(request, hb, user, org_id, plan_id, period)


@pages.post("/followup/{org_id}/plans/{plan_id}/delete", dependencies=[Csrf])
def delete_plan(request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int) -> Response:
    plans.delete_plan(hb, user, org_id, plan_id)
    return RedirectResponse(f"/followup/{quote(org_id)}", status_code=303)


def _node_input(form: NodeForm) -> plans.NodeInput:
    try:
        node_kind = NodeKind(form.kind) if form.kind else NodeKind.ACTIVITY
        rule = RollupRule(form.rollup) if form.rollup else RollupRule.WORST
    except ValueError:
        raise FormError("Välj typ och statusregel i listorna.") from None
    return plans.NodeInput(
        title=form.title,
        kind=node_kind,
        parent_id=_int(form.parent, "Överordnad rad"),
        description=form.description,
        owner_unit=form.owner_unit.strip() or None,
        owner_role=form.owner_role,
        responsible=form.responsible,
        start=_date(form.start, "Startdatum"),
        end=_date(form.end, "Slutdatum"),
        rollup=rule,
        weight=_weight(form.weight),
        links=tuple(x.strip() for x in form.links.splitlines() if x.strip()),
    )


@pages.post("/followup/{org_id}/plans/{plan_id}/nodes", dependencies=[Csrf])
def add_node(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    plan_id: int,
    form: NodeFields,
) -> Response:
    try:
        node = plans.add_node(
            hb,
            user,
            org_id,
            plan_id,
            _node_input(form),
        )
    except InputError as err:  # anything else goes to the app's one error handler
        return _plan_page(
            request, hb, user, org_id, plan_id, _int(form.period, "Period"), 400, error=err.message
        )
    return RedirectResponse(
        _plan_url(org_id, plan_id, _int(form.period, "Period"), f"rad-{node.id}"), status_code=303
    )


@pages.post("/followup/{org_id}/plans/{plan_id}/nodes/{node_id}/edit", dependencies=[Csrf])
def edit_node(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    plan_id: int,
    node_id: int,
    form: NodeFields,
) -> Response:
    try:
        plans.update_node(
            hb,
            user,
            org_id,
            plan_id,
            node_id,
            _node_input(form),
        )
    except InputError as err:  # anything else goes to the app's one error handler
        return _plan_page(
            request, hb, user, org_id, plan_id, _int(form.period, "Period"), 400, error=err.message
        )
    return RedirectResponse(
        _plan_url(org_id, plan_id, _int(form.period, "Period"), f"rad-{node_id}"), status_code=303
    )


@pages.post("/followup/{org_id}/plans/{plan_id}/nodes/{node_id}/delete", dependencies=[Csrf])
def delete_node(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, node_id: int
) -> Response:
    plans.delete_node(hb, user, org_id, plan_id, node_id)
    return RedirectResponse(_plan_url(org_id, plan_id), status_code=303)


@pages.post("/followup/{org_id}/plans/{plan_id}/nodes/{node_id}/copy", dependencies=[Csrf])
def copy_node(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, node_id: int
) -> Response:
    try:
        plans.copy_to_sub_units(hb, user, org_id, plan_id, node_id)
    except InputError as err:  # anything else goes to the app's one error handler
        return _plan_page(request, hb, user, org_id, plan_id, None, 400, error=err.message)
    return RedirectResponse(_plan_url(org_id, plan_id, None, f"rad-{node_id}"), status_code=303)


@pages.post("/followup/{org_id}/plans/{plan_id}/nodes/{node_id}/followup", dependencies=[Csrf])
async def follow_up(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, node_id: int
) -> Response:
    form = await request.form()
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    period_id = _int(fields.get("period", ""), "Period")
    try:
        if period_id is None:
            raise FormError("Välj vilken period uppföljningen gäller.")
        try:
            status = parse_status(fields.get("status", ""))
        except ValueError:
            raise FormError("Välj en status i listan.") from None
        values: dict[int, float] = {}
        for key, text in fields.items():
            if key.startswith("varde_") and text.strip():
                number = _number(text, "Värdet")
                if number is not None:
                    values[int(key.removeprefix("varde_"))] = number
        periods.follow_up(
            hb,
            user,
            org_id,
            plan_id,
            node_id,
            period_id,
            status,
            fields.get("comment", ""),
            values,
            _msek(fields.get("outcome", ""), "Utfallet"),
        )
    except InputError as err:  # anything else goes to the app's one error handler
        return _plan_page(request, hb, user, org_id, plan_id, period_id, 400, error=err.message)
    return RedirectResponse(
        _plan_url(org_id, plan_id, period_id, f"rad-{node_id}"), status_code=303
    )


@pages.post("/followup/{org_id}/plans/{plan_id}/nodes/{node_id}/indicators", dependencies=[Csrf])
def add_indicator(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    plan_id: int,
    node_id: int,
    figure: Text = "",
    name: Text = "",
    unit_id: Text = "",
    filters: Text = "",
    unit_label: Text = "",
    direction: Text = "",
    baseline_year: Text = "",
    baseline: Text = "",
    target: Text = "",
    target_year: Text = "",
    kolada: Text = "",
    period: Text = "",
) -> Response:
    try:
        figure_id = figure.strip() or MANUAL
        try:
            way = Direction(direction) if direction else indicators.default_direction(figure_id)
        except ValueError:
            raise FormError("Välj riktning i listan.") from None
        indicators.add_indicator(
            hb,
            user,
            org_id,
            plan_id,
            IndicatorSpec(
                0,
                node_id,
                name,
                figure_id,
                unit_id.strip() or None,
                filters.strip().lstrip("?"),
                unit_label.strip(),
                way,
                _int(baseline_year, "Utgångsårets år"),
                _number(baseline, "Utgångsläget"),
                _number(target, "Målvärdet"),
                _int(target_year, "Målåret"),
                kolada.strip()[:20],
            ),
        )
    except InputError as err:  # anything else goes to the app's one error handler
        return _plan_page(
            request, hb, user, org_id, plan_id, _int(period, "Period"), 400, error=err.message
        )
    return RedirectResponse(
        _plan_url(org_id, plan_id, _int(period, "Period"), f"rad-{node_id}"), status_code=303
    )


@pages.post(
    "/followup/{org_id}/plans/{plan_id}/indicators/{indicator_id}/delete", dependencies=[Csrf]
)
def delete_indicator(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, indicator_id: int
) -> Response:
    indicators.delete_indicator(hb, user, org_id, plan_id, indicator_id)
    return RedirectResponse(_plan_url(org_id, plan_id), status_code=303)


@pages.post("/followup/{org_id}/plans/{plan_id}/nodes/{node_id}/budget", dependencies=[Csrf])
def set_budget(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    plan_id: int,
    node_id: int,
    year: Text = "",
    allocation: Text = "",
    forecast: Text = "",
    period: Text = "",
) -> Response:
    try:
        budget_year = _int(year, "Budgetåret")
        if budget_year is None:
            raise FormError("Ange budgetåret, t.ex. 2025.")
        plans.set_budget(
            hb,
            user,
            org_id,
            plan_id,
            node_id,
            budget_year,
            _msek(allocation, "Budgeten"),
            _msek(forecast, "Prognosen"),
        )
    except InputError as err:  # anything else goes to the app's one error handler
        return _plan_page(
            request, hb, user, org_id, plan_id, _int(period, "Period"), 400, error=err.message
        )
    return RedirectResponse(
        _plan_url(org_id, plan_id, _int(period, "Period"), f"rad-{node_id}"), status_code=303
    )


@pages.post("/followup/{org_id}/plans/{plan_id}/periods", dependencies=[Csrf])
def add_period(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    plan_id: int,
    name: Text = "",
    start: Text = "",
    end: Text = "",
    due: Text = "",
) -> Response:
    try:
        first, last, report_by = (
            _date(start, "Periodens början"),
            _date(end, "Periodens slut"),
            _date(due, "Sista rapportdag"),
        )
        if first is None or last is None or report_by is None:
            raise FormError("Fyll i periodens början, slut och sista rapportdag.")
        period = plans.add_period(hb, user, org_id, plan_id, name, first, last, report_by)
    except InputError as err:  # anything else goes to the app's one error handler
        return _plan_page(request, hb, user, org_id, plan_id, None, 400, error=err.message)
    return RedirectResponse(_plan_url(org_id, plan_id, period.id), status_code=303)


@pages.post("/followup/{org_id}/plans/{plan_id}/periods/{period_id}/next", dependencies=[Csrf])
def next_period(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, period_id: int
) -> Response:
    """One click: the next period's report, made from this one."""
    following = periods.ensure_next_period(hb, user, org_id, plan_id, period_id)
    return RedirectResponse(_plan_url(org_id, plan_id, following.id), status_code=303)


@pages.get("/followup/{org_id}/plans/{plan_id}/report")
def report_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, period: int
) -> Response:
    html = reports.report_html(hb, user, org_id, plan_id, period)
    return HTMLResponse(html, headers={"content-security-policy": REPORT_CSP})


@pages.get("/followup/{org_id}/plans/{plan_id}/report.docx")
def report_docx(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, period: int
) -> Response:
    filename, content = reports.report_docx(hb, user, org_id, plan_id, period)
    return download(content, filename, DOCX)


@pages.get("/followup/{org_id}/plans/{plan_id}/plan.xlsx")
def plan_excel(
    request: Request, hb: Hb, user: PageUser, org_id: str, plan_id: int, period: int | None = None
) -> Response:
    filename, content = transfer.export_plan(hb, user, org_id, plan_id, period)
    return download(content, filename)


# --- JSON twins -------------------------------------------------------------------------


@api.get("/followup/{org_id}", summary="Organisationens planer för uppföljning")
def plans_json(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    view = views.plans_index(hb, user, org_id)
    return twin(
        "followup.plans",
        {
            "organisation": org_id,
            "planer": [
                {"id": p.id, "namn": p.name, "nämnd": p.committee, "år": p.year} for p in view.plans
            ],
        },
    )


@api.get("/followup/{org_id}/plans/{plan_id}", summary="En plan med status för perioden")
def plan_json(
    hb: Hb, user: ApiUser, org_id: str, plan_id: int, period: int | None = None
) -> JSONResponse:
    view = views.plan_view(hb, user, org_id, plan_id, period)
    out = reports.report_json(view.report)
    out["perioder"] = [
        {
            "id": p.id,
            "namn": p.name,
            "start": p.start.isoformat(),
            "slut": p.end.isoformat(),
            "rapportdag": p.due.isoformat(),
        }
        for p in view.data.periods
    ]
    out["vald_period"] = view.period.id if view.period else None
    out["historik"] = {
        str(node_id): [
            {
                "period": h.period,
                "status": h.status_sv,
                "kommentar": h.comment,
                "av": h.by,
                "när": h.at,
            }
            for h in lines
        ]
        for node_id, lines in view.history.items()
    }
    out["påminnelser"] = [
        {"ägare": owner, "rader": [{"rad": n, "period": p, "läge": s} for n, p, s in items]}
        for owner, items in view.reminders
    ]
    return twin("followup.plan", out, view.counts)


@api.get("/followup/{org_id}/plans/{plan_id}/report", summary="Uppföljningsrapporten för en period")
def report_json(hb: Hb, user: ApiUser, org_id: str, plan_id: int, period: int) -> JSONResponse:
    view = reports.report_view(hb, user, org_id, plan_id, period)
    return twin("followup.report", reports.report_json(view.report), view.counts)
