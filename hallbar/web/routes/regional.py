"""The regional level: networks, one figure across members, and consent to share.

``/regional`` lists the networks the user sees; ``/regional/{nätverk}`` shows one
key figure across the members (table, bar chart with the own organisation
highlighted, rank, means, trend); ``/regional/samtycke/{org}`` is where an
organisation's HR or an administrator grants and revokes consent. Each page has a
JSON twin under ``/api``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

import polars as pl
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from hallbar.core.access import Principal, Role
from hallbar.core.errors import AccessDenied, HallbarError, NotFound
from hallbar.ingest.kolada_api import KoladaClient, urllib_transport
from hallbar.regional.consent import (
    ALL_ANALYSTS,
    ALL_ANALYSTS_LABEL_SV,
    DATASET_LABELS_SV,
    RecipientKind,
)
from hallbar.regional.errors import RegionalInputError
from hallbar.services.context import Hallbar
from hallbar.services.regional import (
    consents,
    dominance,
    kolada,
    maps,
    networks_admin,
    pay,
    priority,
    supply,
)
from hallbar.services.regional.figures import (
    DEFAULT_FIGURE,
    figure_choices,
    regional_figure,
    regional_figure_json,
)
from hallbar.services.regional.scope import organisation_names, visible_networks
from hallbar.web.deps import ApiUser, Csrf, Hb, PageUser, client_of
from hallbar.web.rendering import TEMPLATES_DIR, render, twin

pages = APIRouter()
api = APIRouter(tags=["regionalt"])

CSS_PATH = "/regional-assets/regional.css"
FigureId = Annotated[str, Query(alias="nyckeltal", max_length=50)]
Year = Annotated[int | None, Query(alias="ar", ge=2000, le=2100)]


async def _css(request: Request) -> Response:
    css = (TEMPLATES_DIR / "regional" / "regional.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=300"})


pages.add_route(CSS_PATH, _css, methods=["GET"], include_in_schema=False)


@pages.get("/regional")
def networks_page(request: Request, hb: Hb, user: PageUser) -> Response:
    scopes = [] if user.role is Role.ADMIN else visible_networks(hb, user)
    return render(
        request,
        "regional/networks.html",
        {
            "scopes": scopes,
            "consent_orgs": consents.consent_organisations(hb, user),
            "css": CSS_PATH,
        },
    )


@pages.get("/regional/{network_id}")
def figure_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    network_id: str,
    figure: FigureId = DEFAULT_FIGURE,
    year: Year = None,
    occupation: Annotated[str | None, Query(alias="yrke", max_length=40)] = None,
) -> Response:
    result = regional_figure(
        hb, user, network_id, figure, year=year, occupation=occupation or None,
        client=client_of(request),
    )  # fmt: skip
    return render(request, "regional/figure.html", {"r": result, "css": CSS_PATH})


def _consent_context(hb: Hallbar, user: Principal, org_code: str) -> dict[str, Any]:
    page = consents.consent_page(hb, user, org_code)
    names = organisation_names(hb)
    return {
        "page": page,
        "org_name": names[org_code].name if org_code in names else org_code,
        "datasets": list(DATASET_LABELS_SV.items()),
        "network_names": {n.id: n.name for n in page.networks}
        | {ALL_ANALYSTS: ALL_ANALYSTS_LABEL_SV},
        "analysts_value": RecipientKind.REGIONAL_ANALYSTS.value,
        "analysts_label": ALL_ANALYSTS_LABEL_SV,
        "css": CSS_PATH,
    }


@pages.get("/regional/samtycke/{org_code}")
def consent_page(request: Request, hb: Hb, user: PageUser, org_code: str) -> Response:
    return render(request, "regional/consent.html", _consent_context(hb, user, org_code))


@pages.post("/regional/samtycke/{org_code}", dependencies=[Csrf])
def grant_submit(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_code: str,
    network_id: Annotated[str, Form(alias="natverk", max_length=80)],
    dataset: Annotated[str, Form(alias="uppgifter", max_length=30)],
    valid_from: Annotated[str, Form(alias="fran", max_length=10)] = "",
    valid_to: Annotated[str, Form(alias="till", max_length=10)] = "",
) -> Response:
    try:
        consents.grant_consent(
            hb,
            user,
            org_code=org_code,
            network_id=network_id,
            dataset=consents.parse_dataset(dataset),
            valid_from=_date(valid_from, "Från"),
            valid_to=_date(valid_to, "Till"),
            client=client_of(request),
        )
    except HallbarError as err:
        context = _consent_context(hb, user, org_code) | {"error": err.message}
        return render(request, "regional/consent.html", context, 400)
    return RedirectResponse(f"/regional/samtycke/{org_code}?klart=givet", status_code=303)


@pages.post("/regional/samtycke/{org_code}/{grant_id}/aterkalla", dependencies=[Csrf])
def revoke_submit(
    request: Request, hb: Hb, user: PageUser, org_code: str, grant_id: int
) -> Response:
    try:
        consents.revoke_consent(hb, user, grant_id, client=client_of(request))
    except HallbarError as err:
        context = _consent_context(hb, user, org_code) | {"error": err.message}
        return render(request, "regional/consent.html", context, 400)
    return RedirectResponse(f"/regional/samtycke/{org_code}?klart=aterkallat", status_code=303)


def _date(value: str, label: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RegionalInputError(
            f"Datumet i fältet {label} ('{value}') ska skrivas ÅÅÅÅ-MM-DD, t.ex. 2026-01-01."
        ) from None


# --- JSON twins ------------------------------------------------------------------------


@api.get("/regional", summary="Nätverk som användaren ser")
def networks_api(hb: Hb, user: ApiUser) -> JSONResponse:
    scopes = [] if user.role is Role.ADMIN else visible_networks(hb, user)
    return twin(
        "regional.networks",
        [
            {
                "id": s.network.id,
                "namn": s.network.name,
                "typ": s.network.kind.value,
                "egen_organisation": s.own_code,
                "medlemmar": [m.code for m in s.members],
            }
            for s in scopes
        ],
    )


@api.get("/regional/{network_id}", summary="Ett nyckeltal över nätverkets medlemmar")
def figure_api(
    request: Request,
    hb: Hb,
    user: ApiUser,
    network_id: str,
    figure: FigureId = DEFAULT_FIGURE,
    year: Year = None,
    occupation: Annotated[str | None, Query(alias="yrke", max_length=40)] = None,
) -> JSONResponse:
    result = regional_figure(
        hb, user, network_id, figure, year=year, occupation=occupation or None,
        client=client_of(request),
    )  # fmt: skip
    return twin("regional.figure", regional_figure_json(result), result.counts)


@api.get("/regional/samtycke/{org_code}", summary="Organisationens samtycken att dela")
def consent_api(hb: Hb, user: ApiUser, org_code: str) -> JSONResponse:
    page = consents.consent_page(hb, user, org_code)
    return twin(
        "regional.consent",
        {
            "organisation": org_code,
            "natverk": [{"id": n.id, "namn": n.name} for n in page.networks],
            "samtycken": [
                {
                    "id": g.id,
                    "mottagare": g.recipient,
                    "uppgifter": g.dataset.value,
                    "fran": g.valid_from.isoformat(),
                    "till": g.valid_to.isoformat() if g.valid_to else None,
                    "givet_av": g.granted_by,
                    "aterkallat": g.revoked_on.isoformat() if g.revoked_on else None,
                    "status": g.status_sv(page.today),
                }
                for g in page.grants
            ],
        },
    )


# --- Kolada side by side ---------------------------------------------------------------

KoladaYear = Annotated[int, Query(alias="ar", ge=2000, le=2100)]


def _kolada_context(
    request: Request, hb: Hallbar, user: Principal, org_code: str, figure: str, year: int
) -> dict[str, Any]:
    view = kolada.kolada_view(hb, user, org_code, figure_id=figure, year=year)
    return {"v": view, "figure": figure, "choices": figure_choices(), "css": CSS_PATH}


@pages.get("/regional/kolada/{org_code}")
def kolada_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_code: str,
    year: KoladaYear,
    figure: FigureId = DEFAULT_FIGURE,
) -> Response:
    context = _kolada_context(request, hb, user, org_code, figure, year)
    return render(request, "regional/kolada.html", context)


def _file_name(raw: str | None) -> str:
    name = (raw or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[^A-Za-z0-9åäöÅÄÖ._-]+", "_", name).strip("._")[:120]
    if not name.lower().endswith((".json", ".xlsx")):
        raise RegionalInputError(
            f"Filen '{name or raw}' är varken JSON eller Excel (.xlsx). Spara data från "
            "kolada.se i ett av de formaten."
        )
    return name


@pages.post("/regional/kolada/{org_code}", dependencies=[Csrf])
async def kolada_submit(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_code: str,
    year: Annotated[int, Form(alias="ar", ge=2000, le=2100)],
    figure: Annotated[str, Form(alias="nyckeltal", max_length=50)] = DEFAULT_FIGURE,
    downloaded: Annotated[str, Form(alias="hamtad", max_length=10)] = "",
    file: Annotated[UploadFile | None, File(alias="fil")] = None,
) -> Response:
    try:
        if file is not None and file.filename:
            limit = request.app.state.settings.max_file_bytes
            content = await file.read(limit + 1)
            if len(content) > limit:
                raise RegionalInputError(f"Filen är större än {limit // 1_000_000} MB.")
            kolada.import_kolada_file(
                hb, user, org_code, figure_id=figure, year=year,
                filename=_file_name(file.filename), content=content,
                downloaded_on=_date(downloaded, "Hämtad") or date.today(),
                client=client_of(request),
            )  # fmt: skip
        else:
            transport = getattr(request.app.state, "kolada_transport", urllib_transport)
            kolada.fetch_kolada(
                hb, user, org_code, figure_id=figure, year=year,
                client=KoladaClient(transport), who=client_of(request),
            )  # fmt: skip
    except (AccessDenied, NotFound):
        raise
    except HallbarError as err:
        context = _kolada_context(request, hb, user, org_code, figure, year)
        return render(request, "regional/kolada.html", context | {"error": err.message}, 400)
    query = urlencode({"ar": year, "nyckeltal": figure})
    return RedirectResponse(f"/regional/kolada/{org_code}?{query}", status_code=303)


@api.get("/regional/kolada/{org_code}", summary="Eget värde bredvid Koladas")
def kolada_api(
    hb: Hb, user: ApiUser, org_code: str, year: KoladaYear, figure: FigureId = DEFAULT_FIGURE
) -> JSONResponse:
    view = kolada.kolada_view(hb, user, org_code, figure_id=figure, year=year)
    comparison = view.comparison
    return twin(
        "regional.kolada",
        {
            "organisation": org_code,
            "nyckeltal": figure,
            "ar": year,
            "kalla": view.source,
            "meddelande": view.message or None,
            "kpi": comparison.kpi if comparison else None,
            "kon": comparison.gender if comparison else None,
            "rader": [
                {
                    "rad": ln.label_sv,
                    "varde": ln.value,
                    "kalla": ln.source_sv,
                    "skillnad_mot_eget": ln.difference,
                }
                for ln in (comparison.lines if comparison else ())
            ],
            "definitioner": comparison.note_sv if comparison else "",
            "saknas": list(comparison.messages_sv) if comparison else [],
        },
    )


# --- regional competence supply ------------------------------------------------------

Occupation = Annotated[str | None, Query(alias="yrke", max_length=40)]


@pages.get("/regional/{network_id}/kompetensforsorjning")
def supply_page(
    request: Request, hb: Hb, user: PageUser, network_id: str, occupation: Occupation = None
) -> Response:
    view = supply.regional_supply(hb, user, network_id, client=client_of(request))
    occupations = (
        view.frame.group_by("occupation", "label")
        .agg(pl.col("stock").first())
        .sort("stock", descending=True)
    )
    chosen = occupation or (occupations["occupation"][0] if occupations.height else None)
    rows = view.frame.filter(pl.col("occupation") == chosen).sort("year").to_dicts()
    return render(
        request,
        "regional/supply.html",
        {
            "v": view,
            "rows": rows,
            "chosen": chosen,
            "occupations": occupations.select("occupation", "label").rows(),
            "css": CSS_PATH,
        },
    )


@api.get(
    "/regional/{network_id}/kompetensforsorjning",
    summary="Medlemmarnas framskrivningar summerade per yrke",
)
def supply_api(
    request: Request, hb: Hb, user: ApiUser, network_id: str, occupation: Occupation = None
) -> JSONResponse:
    view = supply.regional_supply(
        hb,
        user,
        network_id,
        occupations=(occupation,) if occupation else None,
        client=client_of(request),
    )
    return twin("regional.supply", supply.supply_json(view), view.counts)


# --- networks (administrators) -------------------------------------------------------

ADMIN_PATH = "/regional/admin/natverk"


def _admin_page(
    request: Request, hb: Hallbar, user: Principal, error: str = "", status: int = 200
) -> Response:
    networks_admin.ensure_standard_networks(hb, user)
    context = {"networks": networks_admin.networks(hb, user), "error": error, "css": CSS_PATH}
    return render(request, "regional/admin_networks.html", context, status)


@pages.get(ADMIN_PATH)
def admin_networks_page(request: Request, hb: Hb, user: PageUser) -> Response:
    return _admin_page(request, hb, user)


@pages.post(ADMIN_PATH, dependencies=[Csrf])
def admin_create_network(
    request: Request,
    hb: Hb,
    user: PageUser,
    name: Annotated[str, Form(alias="namn", max_length=200)],
    members: Annotated[str, Form(alias="medlemmar", max_length=2000)],
) -> Response:
    try:
        networks_admin.create_network(
            hb, user, name=name, members=members, client=client_of(request)
        )
    except (AccessDenied, NotFound):
        raise
    except HallbarError as err:
        return _admin_page(request, hb, user, err.message, 400)
    return RedirectResponse(ADMIN_PATH, status_code=303)


@pages.post(ADMIN_PATH + "/visning", dependencies=[Csrf])
def admin_open_network(
    request: Request,
    hb: Hb,
    user: PageUser,
    username: Annotated[str, Form(alias="anvandare", max_length=100)],
    network_id: Annotated[str, Form(alias="natverk", max_length=80)],
    own_code: Annotated[str, Form(alias="egen", max_length=50)] = "",
) -> Response:
    try:
        networks_admin.open_to_viewer(
            hb, user, username=username.strip(), network_id=network_id,
            own_code=own_code.strip() or None, client=client_of(request),
        )  # fmt: skip
    except (AccessDenied, NotFound):
        raise
    except HallbarError as err:
        return _admin_page(request, hb, user, err.message, 400)
    return RedirectResponse(ADMIN_PATH, status_code=303)


@api.get(ADMIN_PATH, summary="Nätverk och deras medlemmar (administratörer)")
def admin_networks_api(hb: Hb, user: ApiUser) -> JSONResponse:
    return twin(
        "regional.networks_admin",
        [
            {"id": n.id, "namn": n.name, "typ": n.kind.value, "medlemmar": list(n.members)}
            for n in networks_admin.networks(hb, user)
        ],
    )


# --- women- and men-dominated occupations per member ---------------------------------


@pages.get("/regional/{network_id}/kvinno-mansdominerat")
def dominance_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    network_id: str,
    year: Year = None,
    metric: Annotated[str, Query(alias="villkor", max_length=40)] = "sick_leave",
) -> Response:
    view = dominance.dominance_across(hb, user, network_id, year=year, client=client_of(request))
    return render(
        request, "regional/dominance.html", {"v": view, "metric": metric, "css": CSS_PATH}
    )


@api.get(
    "/regional/{network_id}/kvinno-mansdominerat",
    summary="Arbetsvillkor i kvinno- och mansdominerade yrken per medlem",
)
def dominance_api(
    request: Request, hb: Hb, user: ApiUser, network_id: str, year: Year = None
) -> JSONResponse:
    view = dominance.dominance_across(hb, user, network_id, year=year, client=client_of(request))
    return twin("regional.dominance", dominance.dominance_json(view))


# --- the four priority areas ---------------------------------------------------------


@pages.get("/regional/{network_id}/prioriterade-omraden")
def priority_page(
    request: Request, hb: Hb, user: PageUser, network_id: str, year: Year = None
) -> Response:
    view = priority.priority_overview(hb, user, network_id, year=year, client=client_of(request))
    return render(request, "regional/priority.html", {"v": view, "css": CSS_PATH})


@api.get(
    "/regional/{network_id}/prioriterade-omraden",
    summary="De fyra prioriterade områdena för nätverket",
)
def priority_api(
    request: Request, hb: Hb, user: ApiUser, network_id: str, year: Year = None
) -> JSONResponse:
    view = priority.priority_overview(hb, user, network_id, year=year, client=client_of(request))
    return twin("regional.priority", priority.priority_json(view))


MapLevel = Annotated[str | None, Query(alias="niva", max_length=20)]


@pages.get("/regional/{network_id}/karta")
def national_map_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    network_id: str,
    figure: FigureId = DEFAULT_FIGURE,
    year: Year = None,
    occupation: Occupation = None,
    level: MapLevel = None,
) -> Response:
    result = maps.national_map(
        hb, user, network_id, figure, level=maps.parse_level(level), year=year,
        occupation=occupation or None, client=client_of(request),
    )  # fmt: skip
    return render(
        request,
        "regional/map.html",
        {"m": result, "levels": list(maps.LEVEL_LABELS_SV.items()), "css": CSS_PATH},
    )


@api.get("/regional/{network_id}/karta", summary="Nyckeltal per medlem på Sverigekartan")
def national_map_api(
    request: Request,
    hb: Hb,
    user: ApiUser,
    network_id: str,
    figure: FigureId = DEFAULT_FIGURE,
    year: Year = None,
    occupation: Occupation = None,
    level: MapLevel = None,
) -> JSONResponse:
    result = maps.national_map(
        hb, user, network_id, figure, level=maps.parse_level(level), year=year,
        occupation=occupation or None, client=client_of(request),
    )  # fmt: skip
    return twin("regional.map", maps.national_map_json(result), result.figure.counts)


@pages.get("/regional/{network_id}/lonekartlaggning")
def pay_page(request: Request, hb: Hb, user: PageUser, network_id: str) -> Response:
    view = pay.pay_aggregates(hb, user, network_id, client=client_of(request))
    return render(
        request, "regional/pay.html", {"p": view, "counted": pay.COUNTED_SV, "css": CSS_PATH}
    )


@api.get(
    "/regional/{network_id}/lonekartlaggning",
    summary="Lönekartläggningens sammanställningar per medlem",
)
def pay_api(request: Request, hb: Hb, user: ApiUser, network_id: str) -> JSONResponse:
    view = pay.pay_aggregates(hb, user, network_id, client=client_of(request))
    return twin("regional.pay", pay.pay_aggregates_json(view))
