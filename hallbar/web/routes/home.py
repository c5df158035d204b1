"""The start page: the organisations the user may open."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from hallbar.services.org import tree
from hallbar.services.paytransparency.overview import start_page_due
from hallbar.web.deps import ApiUser, Hb, PageUser
from hallbar.web.rendering import render, twin

pages = APIRouter()
api = APIRouter(tags=["organisationer"])


@pages.get("/")
def start(request: Request, hb: Hb, user: PageUser) -> Response:
    orgs = tree.organisations(hb, user)
    return render(request, "start.html", {"orgs": orgs, "pt_due": start_page_due(hb, user)})


@api.get("/", summary="Organisationer du har tillgång till")
def start_api(hb: Hb, user: ApiUser) -> JSONResponse:
    return twin("start", tree.organisations(hb, user))
