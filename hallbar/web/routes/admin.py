"""Administration: users, the audit log and settings (admins only).

Which organisations share with regional analysts is the regional consent ledger
(``/regional/samtycke/{org}``), not an administration page."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from hallbar.core.access import Role
from hallbar.core.errors import HallbarError
from hallbar.services import audit
from hallbar.services.admin import auth
from hallbar.services.admin.settings import settings_overview
from hallbar.services.org import tree
from hallbar.web.deps import ApiUser, Csrf, Hb, PageUser
from hallbar.web.rendering import render, twin

pages = APIRouter()
api = APIRouter(tags=["administration"])

Text = Annotated[str | None, Query(max_length=100)]


def _audit_filters(
    username: Text = None,
    action: Text = None,
    org_id: Text = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """The audit log's filters from the query string (the page and its JSON twin)."""
    return {
        "username": username,
        "action": action,
        "org_id": org_id,
        "since": since,
        "until": until,
    }


AuditFilters = Annotated[dict[str, Any], Depends(_audit_filters)]


def _split(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


def _users_page(request: Request, hb: Hb, user: PageUser, **extra: object) -> Response:
    status = int(extra.pop("status", 200))  # type: ignore[call-overload]
    context = {
        "users": auth.list_users(hb, user),
        "roles": list(Role),
        "orgs": tree.organisations(hb, user),
        "error": None,
        "created": None,
        "form": {},
        **extra,
    }
    return render(request, "admin/users.html", context, status)


@pages.get("/admin/users")
def users_page(request: Request, hb: Hb, user: PageUser) -> Response:
    return _users_page(request, hb, user)


@pages.post("/admin/users", dependencies=[Csrf])
def create_user(
    request: Request,
    hb: Hb,
    user: PageUser,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[Role, Form()],
    display_name: Annotated[str, Form(max_length=200)] = "",
    org_ids: Annotated[str, Form(max_length=1000)] = "",
    unit_ids: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {
        "username": username,
        "display_name": display_name,
        "role": role.value,
        "org_ids": org_ids,
        "unit_ids": unit_ids,
    }
    try:
        created = auth.create_user(
            hb,
            user,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            org_ids=_split(org_ids),
            unit_ids=_split(unit_ids),
        )
    except HallbarError as err:
        return _users_page(request, hb, user, error=err.message, form=form, status=400)
    return _users_page(request, hb, user, created=created.username)


@pages.post("/admin/users/{user_id}/active", dependencies=[Csrf])
def set_active(hb: Hb, user: PageUser, user_id: int, active: Annotated[bool, Form()]) -> Response:
    auth.set_active(hb, user, user_id, active)
    return RedirectResponse("/admin/users", status_code=303)


@pages.get("/admin/audit")
def audit_page(request: Request, hb: Hb, user: PageUser, filters: AuditFilters) -> Response:
    rows = audit.entries(hb, user, **filters)
    shown = {k: v.isoformat() if isinstance(v, date) else v or "" for k, v in filters.items()}
    return render(
        request, "admin/audit.html", {"rows": rows, "filters": shown, "actions": audit.Action.ALL}
    )


@pages.get("/admin/settings")
def settings_page(request: Request, hb: Hb, user: PageUser) -> Response:
    return render(request, "admin/settings.html", {"rows": settings_overview(hb, user)})


@api.get("/admin/settings", summary="Inställningar (läsning)")
def settings_api(hb: Hb, user: ApiUser) -> JSONResponse:
    return twin("admin.settings", settings_overview(hb, user))


@api.get("/admin/users", summary="Användare")
def users_api(hb: Hb, user: ApiUser) -> JSONResponse:
    return twin("admin.users", auth.list_users(hb, user))


@api.get("/admin/audit", summary="Granskningslogg (filtrerbar)")
def audit_api(hb: Hb, user: ApiUser, filters: AuditFilters) -> JSONResponse:
    return twin("admin.audit", audit.entries(hb, user, **filters))
