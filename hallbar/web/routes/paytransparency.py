"""Pay transparency (Directive (EU) 2023/970): the workflows' pages under /transparency/ and
their JSON twins under /api/transparency/, in the one envelope (``hallbar.services.twin``;
page ids ``paytransparency.*``).

Access rules, audit entries and every computation live in the service layer
(``hallbar.services.paytransparency``); these routes parse forms and render.
A form that the service rejects is shown again with the Swedish message.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from hallbar.core.access import Principal, Resource, may
from hallbar.core.errors import HallbarError
from hallbar.paytransparency.leave import GROUPS_SV
from hallbar.paytransparency.report import MEASURES_SV, POINTS_SV
from hallbar.reports import paytransparency_documents
from hallbar.services.paytransparency import criteria, joint, overview, ranges, report, requests
from hallbar.web.deps import ApiUser, Csrf, Hb, PageUser
from hallbar.web.rendering import TEMPLATES_DIR, download, render, twin

pages = APIRouter()
api = APIRouter(tags=["lönetransparens"])

Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=20_000)]
REPORT_STATUS_SV = {"utkast": "Utkast", "fastställd": "Fastställd av ledningen"}
ASSESSMENT_STATUS_SV = {"pågående": "Pågående", "klar": "Avslutad"}
EXPORTS = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "json": ("json", "application/json"),
}


def _base(org_id: str) -> str:
    return f"/transparency/{org_id}"


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, f"paytransparency/{template}", context, status)


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document(doc: paytransparency_documents.Document, fmt: str, filename: str) -> Response:
    """A document as printable HTML (print to PDF in the browser) or as a Word file."""
    if fmt == "docx":
        return download(paytransparency_documents.render_docx(doc), f"{filename}.docx", DOCX)
    return HTMLResponse(paytransparency_documents.render_html(doc))


CSS_FILE = TEMPLATES_DIR / "paytransparency" / "paytransparency.css"


@pages.get("/transparency-assets/paytransparency.css")
def css() -> Response:
    return Response(CSS_FILE.read_text("utf-8"), media_type="text/css")


# --- overview -------------------------------------------------------------------------


def _overview_page(
    request: Request, hb: Hb, user: Principal, org_id: str, status: int = 200, **extra: Any
) -> Response:
    o = overview.overview(hb, user, org_id)
    return _page(request, "index.html", {"o": o, "section": "overview", **extra}, status)


@pages.get("/transparency/{org_id}")
def overview_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    return _overview_page(request, hb, user, org_id)


@api.get("/transparency/{org_id}", summary="Lönetransparens: frister, rapporter, bedömningar")
def overview_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return twin("paytransparency.overview", overview.overview(hb, user, org_id))


# --- Art. 7: requests -----------------------------------------------------------------


@pages.post("/transparency/{org_id}/requests", dependencies=[Csrf])
def register(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    person: Text,
    received_on: Text,
    requested_by: Text,
    job: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        r = requests.register(
            hb, user, org_id, person=person, received_on=received_on,
            requested_by=requested_by, job=job,
        )  # fmt: skip
    except HallbarError as err:
        form = {"person": person, "received_on": received_on, "requested_by": requested_by,
                "job": job}  # fmt: skip
        return _overview_page(request, hb, user, org_id, 400, error=err.message, form=form)
    return _see_other(f"{_base(org_id)}/requests/{r.id}")


def _request_page(
    request: Request, hb: Hb, user: Principal, org_id: str, request_id: int, status: int = 200,
    **extra: Any,
) -> Response:  # fmt: skip
    r = requests.get_request(hb, user, org_id, request_id)
    template = "_draft.html" if request.headers.get("HX-Request") else "request.html"
    return _page(request, template, {"r": r, "org_id": org_id, "section": "requests", **extra},
                 status)  # fmt: skip


@pages.get("/transparency/{org_id}/requests/{request_id}")
def request_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, request_id: int
) -> Response:
    return _request_page(request, hb, user, org_id, request_id)


@pages.post("/transparency/{org_id}/requests/{request_id}/draft", dependencies=[Csrf])
def draft(request: Request, hb: Hb, user: PageUser, org_id: str, request_id: int) -> Response:
    try:
        requests.draft(hb, user, org_id, request_id)
    except HallbarError as err:
        return _request_page(request, hb, user, org_id, request_id, 400, error=err.message)
    if request.headers.get("HX-Request"):
        return _request_page(request, hb, user, org_id, request_id)
    return _see_other(f"{_base(org_id)}/requests/{request_id}")


@pages.post("/transparency/{org_id}/requests/{request_id}/answer", dependencies=[Csrf])
def answer(
    request: Request, hb: Hb, user: PageUser, org_id: str, request_id: int, answered_on: Text
) -> Response:
    try:
        requests.answer(hb, user, org_id, request_id, answered_on)
    except HallbarError as err:
        return _request_page(request, hb, user, org_id, request_id, 400, error=err.message)
    return _see_other(f"{_base(org_id)}/requests/{request_id}")


def _letter(hb: Hb, user: Principal, org_id: str, request_id: int, fmt: str) -> Response:
    doc = paytransparency_documents.answer_letter(requests.letter(hb, user, org_id, request_id))
    return _document(doc, fmt, f"svar-loneinformation-{request_id}")


@pages.get("/transparency/{org_id}/requests/{request_id}/letter.html")
def letter(hb: Hb, user: PageUser, org_id: str, request_id: int) -> Response:
    return _letter(hb, user, org_id, request_id, "html")


@pages.get("/transparency/{org_id}/requests/{request_id}/letter.docx")
def letter_docx(hb: Hb, user: PageUser, org_id: str, request_id: int) -> Response:
    return _letter(hb, user, org_id, request_id, "docx")


@api.get("/transparency/{org_id}/requests", summary="Begäranden om löneinformation (HR)")
def requests_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return twin("paytransparency.requests", requests.list_requests(hb, user, org_id))


@api.get("/transparency/{org_id}/requests/{request_id}", summary="En begäran och dess svar (HR)")
def request_api(hb: Hb, user: ApiUser, org_id: str, request_id: int) -> JSONResponse:
    return twin("paytransparency.request", requests.get_request(hb, user, org_id, request_id))


@pages.get("/transparency/{org_id}/notice")
def notice_page(
    request: Request, hb: Hb, user: PageUser, org_id: str,
    year: Annotated[int | None, Query(alias="ar", ge=2026, le=2100)] = None,
) -> Response:  # fmt: skip
    o = overview.overview(hb, user, org_id)
    chosen = year or o.as_of.year
    text = requests.yearly_notice(hb, user, org_id, chosen)
    return _page(request, "notice.html", {"o": o, "text": text, "year": chosen,
                                          "section": "notice"})  # fmt: skip


@api.get(
    "/transparency/{org_id}/notice", summary="Årlig information om rätten till löneinformation"
)
def notice_api(
    hb: Hb, user: ApiUser, org_id: str,
    year: Annotated[int, Query(alias="ar", ge=2026, le=2100)] = 2026,
) -> JSONResponse:  # fmt: skip
    return twin(
        "paytransparency.notice",
        {"ar": year, "text": requests.yearly_notice(hb, user, org_id, year)},
    )


# --- Art. 5: starting pay ---------------------------------------------------------------


def _ranges_page(
    request: Request, hb: Hb, user: Principal, org_id: str, status: int = 200, **extra: Any
) -> Response:
    v = ranges.ranges_view(hb, user, org_id)
    return _page(request, "ranges.html", {"v": v, "org_id": org_id, "section": "ranges",
                                          **extra}, status)  # fmt: skip


@pages.get("/transparency/{org_id}/ranges")
def ranges_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    return _ranges_page(request, hb, user, org_id)


@pages.post("/transparency/{org_id}/ranges", dependencies=[Csrf])
def save_range(
    request: Request, hb: Hb, user: PageUser, org_id: str, job: Text, low: Text, high: Text,
    reason: Annotated[str, Form(max_length=2000)] = "",
    agreement: Annotated[str, Form(max_length=300)] = "",
) -> Response:  # fmt: skip
    try:
        ranges.save_range(hb, user, org_id, job=job, low=low, high=high, reason=reason,
                          agreement=agreement)  # fmt: skip
    except HallbarError as err:
        return _ranges_page(request, hb, user, org_id, 400, error=err.message, error_job=job)
    return _see_other(f"{_base(org_id)}/ranges")


@pages.post("/transparency/{org_id}/recruitments", dependencies=[Csrf])
def recruitment(
    request: Request, hb: Hb, user: PageUser, org_id: str, job: Text, reference: Text,
    given_on: Text,
) -> Response:  # fmt: skip
    try:
        ranges.record_recruitment(hb, user, org_id, job=job, reference=reference,
                                  given_on=given_on)  # fmt: skip
    except HallbarError as err:
        return _ranges_page(request, hb, user, org_id, 400, error=err.message)
    return _see_other(f"{_base(org_id)}/ranges")


@api.get("/transparency/{org_id}/ranges", summary="Ingångslöner per befattning (HR)")
def ranges_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return twin("paytransparency.ranges", ranges.ranges_view(hb, user, org_id))


# --- Art. 6: criteria -------------------------------------------------------------------


def _criteria_page(
    request: Request, hb: Hb, user: Principal, org_id: str, status: int = 200, **extra: Any
) -> Response:
    versions = criteria.list_criteria(hb, user, org_id)
    return _page(request, "criteria.html", {"versions": versions, "org_id": org_id,
                 "may_edit": may(user, Resource.PT_WORKFLOWS), "section": "criteria", **extra},
                 status)  # fmt: skip


@pages.get("/transparency/{org_id}/criteria")
def criteria_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    return _criteria_page(request, hb, user, org_id)


@pages.post("/transparency/{org_id}/criteria", dependencies=[Csrf])
def save_criteria(
    request: Request, hb: Hb, user: PageUser, org_id: str, job_family: Text, text: LongText,
    valid_from: Text,
) -> Response:  # fmt: skip
    try:
        criteria.save_criteria(hb, user, org_id, job_family=job_family, text=text,
                               valid_from=valid_from)  # fmt: skip
    except HallbarError as err:
        form = {"job_family": job_family, "text": text, "valid_from": valid_from}
        return _criteria_page(request, hb, user, org_id, 400, error=err.message, form=form)
    return _see_other(f"{_base(org_id)}/criteria")


def _criteria_doc(hb: Hb, user: Principal, org_id: str, criteria_id: int, fmt: str) -> Response:
    name, v = criteria.get_version(hb, user, org_id, criteria_id)
    doc = paytransparency_documents.criteria_document(
        name, v.job_family, v.version, v.valid_from, [(c.name, c.description) for c in v.criteria]
    )
    return _document(doc, fmt, f"lonekriterier-{v.version}")


@pages.get("/transparency/{org_id}/criteria/{criteria_id}/document.html")
def criteria_document(hb: Hb, user: PageUser, org_id: str, criteria_id: int) -> Response:
    return _criteria_doc(hb, user, org_id, criteria_id, "html")


@pages.get("/transparency/{org_id}/criteria/{criteria_id}/document.docx")
def criteria_docx(hb: Hb, user: PageUser, org_id: str, criteria_id: int) -> Response:
    return _criteria_doc(hb, user, org_id, criteria_id, "docx")


@api.get("/transparency/{org_id}/criteria", summary="Lönekriterier per yrkesfamilj, alla versioner")
def criteria_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return twin("paytransparency.criteria", criteria.list_criteria(hb, user, org_id))


# --- the method -------------------------------------------------------------------------


@pages.get("/transparency/{org_id}/method")
def method_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    m = report.method(hb, user, org_id)
    return _page(request, "method.html", {"m": m, "org_id": org_id, "section": "method",
                                          "points": POINTS_SV})  # fmt: skip


@api.get("/transparency/{org_id}/method", summary="Metoden: lönebegrepp, kategorier, gränser")
def method_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return twin("paytransparency.method", report.method(hb, user, org_id))


# --- Art. 9: the report -----------------------------------------------------------------


@pages.post("/transparency/{org_id}/reports", dependencies=[Csrf])
def draft_report(
    request: Request, hb: Hb, user: PageUser, org_id: str, report_date: Text
) -> Response:
    try:
        r = report.draft_report(hb, user, org_id, report_date)
    except HallbarError as err:
        return _overview_page(request, hb, user, org_id, 400, report_error=err.message,
                              report_date=report_date)  # fmt: skip
    return _see_other(f"{_base(org_id)}/reports/{r.id}")


def _report_page(
    request: Request, hb: Hb, user: Principal, org_id: str, report_id: int, status: int = 200,
    **extra: Any,
) -> Response:  # fmt: skip
    r = report.get_report(hb, user, org_id, report_id)
    context = {"r": r, "org_id": org_id, "section": "reports", "points": POINTS_SV,
               "measures": MEASURES_SV, "status_sv": REPORT_STATUS_SV, **extra}  # fmt: skip
    return _page(request, "report.html", context, status)


@pages.get("/transparency/{org_id}/reports/{report_id}")
def report_page(request: Request, hb: Hb, user: PageUser, org_id: str, report_id: int) -> Response:
    return _report_page(request, hb, user, org_id, report_id)


@pages.post("/transparency/{org_id}/reports/{report_id}/confirm", dependencies=[Csrf])
def confirm(
    request: Request, hb: Hb, user: PageUser, org_id: str, report_id: int,
    consulted_with: Annotated[str, Form(max_length=2000)], consulted_on: Text,
) -> Response:  # fmt: skip
    try:
        report.confirm(hb, user, org_id, report_id, consulted_with=consulted_with,
                       consulted_on=consulted_on)  # fmt: skip
    except HallbarError as err:
        return _report_page(request, hb, user, org_id, report_id, 400, error=err.message)
    return _see_other(f"{_base(org_id)}/reports/{report_id}")


def _report_document(view: report.ReportView) -> paytransparency_documents.Document:
    consulted = (
        f"{view.consulted_with} ({view.consulted_on.isoformat()})" if view.consulted_on else ""
    )
    confirmed = f"{view.confirmed_by} {view.confirmed_on.isoformat()}" if view.confirmed_on else ""
    return paytransparency_documents.report_document(
        view.snapshot, points_sv=POINTS_SV, measures_sv=MEASURES_SV,
        status_sv=REPORT_STATUS_SV[view.status], consulted=consulted, confirmed=confirmed,
    )  # fmt: skip


@pages.get("/transparency/{org_id}/reports/{report_id}/document.html")
def report_document(hb: Hb, user: PageUser, org_id: str, report_id: int) -> Response:
    view = report.get_report(hb, user, org_id, report_id)
    return _document(_report_document(view), "html", "")


@pages.get("/transparency/{org_id}/reports/{report_id}/document.docx")
def report_docx(hb: Hb, user: PageUser, org_id: str, report_id: int) -> Response:
    view = report.get_report(hb, user, org_id, report_id)
    return _document(_report_document(view), "docx", f"lonerapport-{view.report_date}")


def _export(hb: Hb, user: Principal, org_id: str, report_id: int, fmt: str) -> Response:
    """The report's values keyed by article point and category (docs/pay-transparency.md)."""
    view = report.get_report(hb, user, org_id, report_id)
    rows = report.export_rows(view)
    meta = {
        "organisation": view.snapshot["org_name"],
        "rapportdatum": view.report_date.isoformat(),
        "status": REPORT_STATUS_SV[view.status],
        "antal_arbetstagare": view.snapshot["headcount"],
        "kategorier": view.snapshot["category_kind_sv"],
        "samråd": view.consulted_with,
        "samrådsdatum": view.consulted_on.isoformat() if view.consulted_on else None,
        "fastställd_av": view.confirmed_by,
        "källa": paytransparency_documents.LAW_SV,
    }
    writers = {
        "xlsx": paytransparency_documents.export_excel,
        "json": paytransparency_documents.export_json,
    }
    content = (
        paytransparency_documents.export_csv(rows) if fmt == "csv" else writers[fmt](meta, rows)
    )
    report.record_export(hb, user, view, fmt)
    ext, media = EXPORTS[fmt]
    return download(content, f"lonerapport-{org_id}-{view.report_date.isoformat()}.{ext}", media)


@pages.get("/transparency/{org_id}/reports/{report_id}/lonerapport.xlsx")
def export_xlsx(hb: Hb, user: PageUser, org_id: str, report_id: int) -> Response:
    return _export(hb, user, org_id, report_id, "xlsx")


@pages.get("/transparency/{org_id}/reports/{report_id}/lonerapport.csv")
def export_csv(hb: Hb, user: PageUser, org_id: str, report_id: int) -> Response:
    return _export(hb, user, org_id, report_id, "csv")


@pages.get("/transparency/{org_id}/reports/{report_id}/lonerapport.json")
def export_json(hb: Hb, user: PageUser, org_id: str, report_id: int) -> Response:
    return _export(hb, user, org_id, report_id, "json")


@api.get("/transparency/{org_id}/reports", summary="Lönerapporter enligt artikel 9")
def reports_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    reports = report.list_reports(hb, user, org_id)
    return twin("paytransparency.reports", reports, [c for r in reports for c in r.counts])


@api.get("/transparency/{org_id}/reports/{report_id}", summary="En lönerapport, nycklad per punkt")
def report_api(hb: Hb, user: ApiUser, org_id: str, report_id: int) -> JSONResponse:
    view = report.get_report(hb, user, org_id, report_id)
    body = {"rapport": view, "värden": report.export_rows(view)}
    return twin("paytransparency.report", body, view.counts)


# --- Art. 10: joint pay assessment ------------------------------------------------------


@pages.post("/transparency/{org_id}/reports/{report_id}/assessments", dependencies=[Csrf])
def open_assessment(
    request: Request, hb: Hb, user: PageUser, org_id: str, report_id: int,
    representatives: Annotated[str, Form(max_length=2000)],
) -> Response:  # fmt: skip
    try:
        a = joint.open_assessment(hb, user, org_id, report_id, representatives=representatives)
    except HallbarError as err:
        return _report_page(request, hb, user, org_id, report_id, 400, error=err.message)
    return _see_other(f"{_base(org_id)}/assessments/{a.id}")


def _assessment_page(
    request: Request, hb: Hb, user: Principal, org_id: str, assessment_id: int,
    status: int = 200, **extra: Any,
) -> Response:  # fmt: skip
    a = joint.get_assessment(hb, user, org_id, assessment_id)
    return _page(request, "assessment.html", {"a": a, "org_id": org_id, "section": "reports",
                 "status_sv": ASSESSMENT_STATUS_SV, **extra}, status)  # fmt: skip


@pages.get("/transparency/{org_id}/assessments/{assessment_id}")
def assessment_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, assessment_id: int
) -> Response:
    return _assessment_page(request, hb, user, org_id, assessment_id)


@pages.post("/transparency/{org_id}/assessments/{assessment_id}", dependencies=[Csrf])
async def save_assessment(
    request: Request, hb: Hb, user: PageUser, org_id: str, assessment_id: int
) -> Response:
    form = await request.form()
    reasons = {
        str(form.get(f"cat_{k[7:]}", "")): str(v)
        for k, v in form.items()
        if k.startswith("reason_")
    }
    complete = form.get("complete") == "1"
    try:
        joint.save_assessment(
            hb, user, org_id, assessment_id, reasons=reasons,
            measures=str(form.get("measures", ""))[:20_000],
            evaluation=str(form.get("evaluation", ""))[:20_000], complete=complete,
        )  # fmt: skip
    except HallbarError as err:
        return _assessment_page(request, hb, user, org_id, assessment_id, 400, error=err.message)
    return _see_other(f"{_base(org_id)}/assessments/{assessment_id}")


def _assessment_doc(hb: Hb, user: Principal, org_id: str, assessment_id: int, fmt: str) -> Response:
    a = joint.get_assessment(hb, user, org_id, assessment_id)
    doc = paytransparency_documents.assessment_document(
        a.org_name, report_date=a.report_date.isoformat(), opened_on=a.opened_on.isoformat(),
        representatives=a.representatives, categories=a.content, reasons=a.reasons,
        measures=a.measures, evaluation=a.evaluation, status_sv=ASSESSMENT_STATUS_SV[a.status],
        remedy_due=a.remedy.due.isoformat() if a.remedy else "–",
    )  # fmt: skip
    return _document(doc, fmt, f"gemensam-lonebedomning-{assessment_id}")


@pages.get("/transparency/{org_id}/assessments/{assessment_id}/document.html")
def assessment_document(hb: Hb, user: PageUser, org_id: str, assessment_id: int) -> Response:
    return _assessment_doc(hb, user, org_id, assessment_id, "html")


@pages.get("/transparency/{org_id}/assessments/{assessment_id}/document.docx")
def assessment_docx(hb: Hb, user: PageUser, org_id: str, assessment_id: int) -> Response:
    return _assessment_doc(hb, user, org_id, assessment_id, "docx")


@api.get("/transparency/{org_id}/assessments", summary="Gemensamma lönebedömningar")
def assessments_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    return twin("paytransparency.assessments", joint.list_assessments(hb, user, org_id))


@api.get("/transparency/{org_id}/assessments/{assessment_id}", summary="En gemensam lönebedömning")
def assessment_api(hb: Hb, user: ApiUser, org_id: str, assessment_id: int) -> JSONResponse:
    return twin("paytransparency.assessment", joint.get_assessment(hb, user, org_id, assessment_id))


# --- pay development after parental leave -----------------------------------------------


@pages.get("/transparency/{org_id}/leave")
def leave_page(
    request: Request, hb: Hb, user: PageUser, org_id: str,
    end: Annotated[str, Query(alias="datum", max_length=20)] = "",
) -> Response:  # fmt: skip
    v = joint.leave_view(hb, user, org_id, end)
    return _page(request, "leave.html", {"v": v, "org_id": org_id, "section": "leave",
                                         "groups": GROUPS_SV})  # fmt: skip


@api.get("/transparency/{org_id}/leave", summary="Löneutveckling efter lång föräldraledighet")
def leave_api(
    hb: Hb, user: ApiUser, org_id: str,
    end: Annotated[str, Query(alias="datum", max_length=20)] = "",
) -> JSONResponse:  # fmt: skip
    return twin("paytransparency.leave", joint.leave_view(hb, user, org_id, end))
