"""The unit picker's search: pages list a few units and find the others by name.

``/org/{org}/enheter?q=…`` answers an HTMX request with the hits as links (the
picker's results under its search field) and any other request with a whole page
that works without JavaScript. Each hit links back to the page the picker sits on
(``till``) with the same query fields and ``enhet`` set to the unit.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from hallbar.services.scope import UnitSearch, search_units
from hallbar.web.deps import ApiUser, Hb, PageUser
from hallbar.web.pagecache import cached
from hallbar.web.rendering import render, twin

pages = APIRouter()
api = APIRouter(tags=["organisationsträd"])

SearchText = Annotated[str, Query(max_length=100)]
# Fields the search itself uses; every other query field is the picker's form, kept in the links.
_OWN_FIELDS = ("q", "till", "enhet")


def _target(org_id: str, till: str | None) -> str:
    # Only a path on this site: never another host ("//host", "https://…").
    if till and till.startswith("/") and not till.startswith("//") and "\\" not in till:
        return till
    return f"/figures/{org_id}"


def _links(request: Request, search: UnitSearch, target: str) -> list[tuple[str, str, str]]:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in _OWN_FIELDS and v]
    return [
        (f"{target}?{urlencode([*kept, ('enhet', hit.unit_id)])}", hit.name, hit.path_sv)
        for hit in search.hits
    ]


@pages.get("/org/{org_id}/enheter")
def unit_search_page(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    q: SearchText = "",
    till: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    def build() -> Response:
        search = search_units(hb, user, org_id, q)
        target = _target(org_id, till)
        context = {
            "s": search,
            "links": _links(request, search, target),
            "target": target,
            "kept": [
                (k, v) for k, v in request.query_params.multi_items() if k not in _OWN_FIELDS and v
            ],
        }
        if request.headers.get("hx-request") == "true":
            return render(request, "units/_hits.html", context)
        return render(request, "units/search.html", context)

    return cached(request, hb, user, org_id, build)


@api.get("/org/{org_id}/enheter", summary="Sök enheter du får se, på namn eller id")
def unit_search_api(hb: Hb, user: ApiUser, org_id: str, q: SearchText = "") -> JSONResponse:
    return twin("org.unit_search", search_units(hb, user, org_id, q))
