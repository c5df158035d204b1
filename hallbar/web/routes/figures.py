"""Key figures (nyckeltal): overview, the statutory sick-leave note, trend, the four
priority areas, women- vs men-dominated working conditions and individual lists.

Every page is a GET form (year, unit, breakdown, classification and population
filters in the address), so a view can be bookmarked and works without JavaScript. Every page has a JSON
twin under ``/api/`` with the same access rules; every table can be downloaded
as Excel, CSV, JSON, Kolada long format or (the annual report) HTML.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from hallbar.core.access import Principal
from hallbar.core.describe import FigureTable
from hallbar.reports.columns import columns, rows
from hallbar.reports.json_export import table_to_json
from hallbar.services.figures import agency, exports, filters, overview, people, views
from hallbar.services.figures.request import DIMENSION_LABELS, FigureRequest, parse_request
from hallbar.services.memo import ByIdentity
from hallbar.web.deps import ApiUser, Hb, PageUser, client_of
from hallbar.web.pagecache import cached
from hallbar.web.rendering import TEMPLATES_DIR, render, twin

pages = APIRouter()
api = APIRouter(tags=["nyckeltal"])

CSS_PATH = "/figures-assets/figures.css"
# The annual-report table is a standalone printable page with its own inline styles.
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
Figure = Annotated[str, Query(alias="nyckeltal", max_length=50)]
Freq = Annotated[str, Query(alias="frekvens", max_length=10)]
Occupation = Annotated[str | None, Query(alias="valt_yrke", max_length=40)]
# The filter form's choices: (query value, Swedish label).
FILTER_CHOICES = {
    "kon": [(k, v[1]) for k, v in filters.GENDERS.items()],
    "alder": [(k, v[1]) for k, v in filters.AGES.items()],
    "anstallning": [(k, v[1]) for k, v in filters.FORMS.items()],
    "yrkestyp": [(k, v[1]) for k, v in filters.TYPES.items()],
}


async def _css(request: Request) -> Response:
    css = (TEMPLATES_DIR / "figures" / "figures.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=300"})


pages.add_route(CSS_PATH, _css, methods=["GET"], include_in_schema=False)


def _request(request: Request) -> FigureRequest:
    q = request.query_params
    return parse_request({k: q.get(k) for k in ("ar", "enhet", "dela", "yrke", *filters.FIELDS)})


# A page shows at most this many rows of a table (totals always); a region has over a
# thousand units, and the whole table is one click away in every download format.
PAGE_ROWS = 60
_grids: ByIdentity[tuple[list[Any], list[list[Any]], int]] = ByIdentity(512)


def grid(table: FigureTable) -> tuple[list[Any], list[list[Any]]]:
    """Columns and rendered cells of a table (Swedish numbers, hidden/missing marks)."""
    cols = columns(table)
    return cols, [list(zip(cols, cells, strict=True)) for cells in rows(table, cols)]


def page_grid(table: FigureTable) -> tuple[list[Any], list[list[Any]], int]:
    """``grid`` cut to ``PAGE_ROWS`` body rows for a page, and how many rows were left out."""
    # Once per table: the tables live in cached views, and formatting a region's
    # thousands of rows cost more than the rest of the page.
    return _grids.get_or_compute(table, "page", lambda: _page_grid(table))


def _page_grid(table: FigureTable) -> tuple[list[Any], list[list[Any]], int]:
    cols, cells = grid(table)
    if len(cells) <= PAGE_ROWS:
        return cols, cells, 0
    total = [row for row in cells[PAGE_ROWS:] if row[0][1].text == "Totalt"]
    return cols, cells[:PAGE_ROWS] + total, len(cells) - PAGE_ROWS - len(total)


def _page(
    request: Request, template: str, tab: str, info: overview.ScopeInfo, **context: Any
) -> Response:
    query = info.request.query()
    # The same page without the population filters (the active-filter box links to it).
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in filters.FIELDS]
    base = {
        "info": info,
        "tab": tab,
        "css": CSS_PATH,
        "grid": page_grid,
        "dimensions": list(DIMENSION_LABELS.items()),
        "filter_choices": FILTER_CHOICES,
        "query": query,
        "qs": urlencode(query),
        "unfiltered_url": request.url.path + ("?" + urlencode(kept) if kept else ""),
    }
    return render(request, template, {**base, **context})


def _json_tables(
    page: str, info: overview.ScopeInfo, tables: list[FigureTable], **extra: Any
) -> JSONResponse:
    return twin(
        f"figures.{page}",
        {
            **overview.info_json(info),
            **extra,
            "tabeller": [table_to_json(t) for t in tables],
        },
        info.counts,
    )


# --- pages ----------------------------------------------------------------------------


@pages.get("/figures/{org_id}")
def overview_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    def build() -> Response:
        view = overview.overview(hb, user, org_id, _request(request))
        return _page(request, "figures/index.html", "overview", view.info, v=view)

    return cached(request, hb, user, org_id, build)


@pages.get("/figures/{org_id}/sjukfranvaro")
def note_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    def build() -> Response:
        view = overview.sick_leave_note_view(hb, user, org_id, _request(request))
        chart = overview.note_chart(view)
        return _page(request, "figures/note.html", "note", view.info, v=view, note_chart=chart)

    return cached(request, hb, user, org_id, build)


# Seconds between two looks at a trend whose period models are being built.
TREND_RETRY_S = 3


@pages.get("/figures/{org_id}/trend")
def trend_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    figure: Figure = "sick_leave_total",
    freq: Freq = "month",
) -> Response:
    def build() -> Response:
        view = views.trend_view(hb, user, org_id, _request(request), figure, freq)
        response = _page(
            request, "figures/trend.html", "trend", view.info, v=view, retry_s=TREND_RETRY_S
        )
        if view.progress is not None:
            # Accepted, not done: the page cache keeps only 200 answers, so the progress
            # page is never served again once the series is ready; htmx swaps it in like
            # any 2xx answer while the page polls.
            response.status_code = 202
        return response

    return cached(request, hb, user, org_id, build)


@pages.get("/figures/{org_id}/prioriterat")
def dashboard_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    def build() -> Response:
        view = views.dashboard_view(hb, user, org_id, _request(request))
        return _page(
            request,
            "figures/dashboard.html",
            "dashboard",
            view.info,
            v=view,
            # The panel named by ``sticker_ut`` lists every unit that stands out, not the first few.
            show_all=request.query_params.get("sticker_ut"),
            shown=views.STANDOUTS_SHOWN,
        )

    return cached(request, hb, user, org_id, build)


@pages.get("/figures/{org_id}/kvinnor-man")
def dominance_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    def build() -> Response:
        view = views.dominance_view(hb, user, org_id, _request(request))
        return _page(request, "figures/dominance.html", "dominance", view.info, v=view)

    return cached(request, hb, user, org_id, build)


@pages.get("/figures/{org_id}/inhyrd")
def agency_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, occupation: Occupation = None
) -> Response:
    def build() -> Response:
        view = agency.agency_view(hb, user, org_id, _request(request), occupation or None)
        return _page(request, "figures/agency.html", "agency", view.info, v=view)

    return cached(request, hb, user, org_id, build)


@pages.get("/figures/{org_id}/individer/{kind}")
def people_page(request: Request, hb: Hb, user: PageUser, org_id: str, kind: str) -> Response:
    view = people.people_list(hb, user, org_id, _request(request), kind, client=client_of(request))
    return _page(
        request,
        "figures/people.html",
        "people",
        view.info,
        v=view,
        rule_spells=hb.settings.repeated_short_absence_spells,
        rule_months=hb.settings.repeated_short_absence_months,
    )


# --- downloads --------------------------------------------------------------------------


def _download(
    request: Request, hb: Hb, user: Principal, org_id: str, view: str, fmt: str
) -> Response:
    q = request.query_params
    out = exports.export(
        hb,
        user,
        org_id,
        _request(request),
        view,
        fmt,
        figure_id=q.get("nyckeltal") or "sick_leave_total",
        freq=q.get("frekvens") or "month",
        occupation=q.get("valt_yrke") or None,
        client=client_of(request),
    )
    headers = {"content-disposition": f'attachment; filename="{out.filename}"'}
    if fmt == "html":
        headers = {"content-security-policy": DOCUMENT_CSP}
        return HTMLResponse(out.content.decode("utf-8"), headers=headers)
    return Response(out.content, media_type=out.media_type, headers=headers)


# The Kolada route comes before the plain CSV one, which would also match "x.kolada.csv".
@pages.get("/figures/{org_id}/export/{view}.kolada.csv")
def export_kolada(request: Request, hb: Hb, user: PageUser, org_id: str, view: str) -> Response:
    return _download(request, hb, user, org_id, view, "kolada")


@pages.get("/figures/{org_id}/export/{view}.xlsx")
def export_excel(request: Request, hb: Hb, user: PageUser, org_id: str, view: str) -> Response:
    return _download(request, hb, user, org_id, view, "xlsx")


@pages.get("/figures/{org_id}/export/{view}.csv")
def export_csv(request: Request, hb: Hb, user: PageUser, org_id: str, view: str) -> Response:
    return _download(request, hb, user, org_id, view, "csv")


@pages.get("/figures/{org_id}/export/{view}.json")
def export_json(request: Request, hb: Hb, user: PageUser, org_id: str, view: str) -> Response:
    return _download(request, hb, user, org_id, view, "json")


@pages.get("/figures/{org_id}/export/{view}.html")
def export_html(request: Request, hb: Hb, user: PageUser, org_id: str, view: str) -> Response:
    return _download(request, hb, user, org_id, view, "html")


# --- JSON twins -------------------------------------------------------------------------


@api.get("/figures/{org_id}", summary="Nyckeltal för år och urval (små grupper dolda)")
def overview_api(request: Request, hb: Hb, user: ApiUser, org_id: str) -> Response:
    # Half a megabyte for a region, built and compressed once per scope and snapshot.
    return cached(
        request,
        hb,
        user,
        org_id,
        lambda: _overview_json(overview.overview(hb, user, org_id, _request(request))),
    )


def _overview_json(view: overview.Overview) -> JSONResponse:
    cards = [
        {
            "id": c.id,
            "namn": c.name_sv,
            "omrade": a.name_sv,
            "enhet": c.unit,
            "varde": c.headline,
            "dolt": c.hidden,
            "dolt_skal": c.hidden_sv,
            "saknas": c.missing_sv,
            "definition": c.description.as_text(),
            "formel": c.formula,
        }
        for a in view.areas
        for c in a.cards
    ]
    return _json_tables(
        "overview", view.info, view.tables(), nyckeltal=cards, meddelanden=list(view.messages_sv)
    )


@api.get("/figures/{org_id}/sjukfranvaro", summary="Sjukfrånvaro enligt lag (SKR:s sju nyckeltal)")
def note_api(request: Request, hb: Hb, user: ApiUser, org_id: str) -> Response:
    def build() -> Response:
        view = overview.sick_leave_note_view(hb, user, org_id, _request(request))
        return _json_tables("note", view.info, view.tables(), **overview.note_json(view))

    return cached(request, hb, user, org_id, build)


@api.get("/figures/{org_id}/trend", summary="Månads- eller årsserie med uppdelning")
def trend_api(
    request: Request,
    hb: Hb,
    user: ApiUser,
    org_id: str,
    figure: Figure = "sick_leave_total",
    freq: Freq = "month",
) -> JSONResponse:
    view = views.trend_view(hb, user, org_id, _request(request), figure, freq)
    if view.progress is not None:
        # No half-protected series: ask again once the periods' models are built.
        # The error envelope of every twin (services.twin), with the progress beside it.
        return JSONResponse(
            {
                "ok": False,
                "status": 202,
                "fel": "not_ready",
                "detail": view.progress.message_sv,
                "klara": view.progress.done,
                "totalt": view.progress.total,
            },
            status_code=202,
            headers={"Retry-After": str(TREND_RETRY_S)},
        )
    return _json_tables(
        "trend",
        view.info,
        view.tables(),
        nyckeltal=view.figure_id,
        frekvens=view.freq,
        meddelande=view.message_sv,
    )


@api.get(
    "/figures/{org_id}/prioriterat",
    summary="De fyra prioriterade områdena (Hållbara organisationer)",
)
def dashboard_api(request: Request, hb: Hb, user: ApiUser, org_id: str) -> Response:
    return cached(request, hb, user, org_id, lambda: _dashboard_json(hb, user, org_id, request))


def _dashboard_json(hb: Hb, user: Principal, org_id: str, request: Request) -> JSONResponse:
    view = views.dashboard_view(hb, user, org_id, _request(request))
    areas = [
        {
            "nyckel": a.key,
            "namn": a.name_sv,
            "trend": {
                "nyckeltal": a.trend_figure,
                "ar": list(a.trend_years),
                "varden": list(a.trend_values),
            },
            "kommentarer": list(a.notes_sv),
        }
        for a in view.areas
    ]
    return _json_tables("priority_areas", view.info, view.tables(), omraden=areas)


@api.get("/figures/{org_id}/kvinnor-man", summary="Kvinno- och mansdominerade yrken jämförda")
def dominance_api(request: Request, hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    view = views.dominance_view(hb, user, org_id, _request(request))
    return _json_tables(
        "women_men",
        view.info,
        view.tables(),
        kvinnodominerat=view.women_label,
        mansdominerat=view.men_label,
        kommentarer=list(view.notes_sv),
    )


@api.get(
    "/figures/{org_id}/inhyrd",
    summary="Inhyrd personal per yrke och månad (hyrstopp), egen personalkostnad skyddad",
)
def agency_api(
    request: Request, hb: Hb, user: ApiUser, org_id: str, occupation: Occupation = None
) -> JSONResponse:
    view = agency.agency_view(hb, user, org_id, _request(request), occupation or None)
    return _json_tables(
        "agency",
        view.info,
        view.tables(),
        valt_yrke=view.occupation,
        yrken=[{"kod": c, "namn": n} for c, n in view.occupation_choices],
        meddelande=view.message_sv,
    )


@api.get(
    "/figures/{org_id}/individer/{kind}",
    summary="Individlistor (endast HR och närmaste chef; loggas)",
)
def people_api(request: Request, hb: Hb, user: ApiUser, org_id: str, kind: str) -> JSONResponse:
    view = people.people_list(hb, user, org_id, _request(request), kind, client=client_of(request))
    return _json_tables(
        "people", view.info, view.tables(), lista=view.kind, uttagsdatum=view.as_of.isoformat()
    )
