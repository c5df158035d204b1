"""Login, logout and password change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from hallbar.core.errors import HallbarError
from hallbar.services.admin import auth
from hallbar.web.deps import (
    SESSION_COOKIE,
    ApiUser,
    Csrf,
    Hb,
    PageUser,
    client_of,
    get_session,
)
from hallbar.web.rendering import render, twin
from hallbar.web.schemas import me_out

pages = APIRouter()
api = APIRouter(tags=["konto"])


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_age_s,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def safe_next(target: str | None) -> str:
    """Only same-site paths: ``/x`` but not ``//evil.example`` or ``https://…``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@pages.get("/login")
def login_page(request: Request, hb: Hb, next: str = "/") -> Response:
    state = get_session(request)
    if state is not None and state.principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    fresh = None
    if state is None:
        fresh = auth.start_session(hb, None)
        request.state.session = fresh
    response = render(request, "login.html", {"next": safe_next(next), "error": None})
    if fresh is not None:
        set_session_cookie(request, response, fresh.token)
    return response


@pages.post("/login", dependencies=[Csrf])
def login_submit(
    request: Request,
    hb: Hb,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    old = get_session(request)
    try:
        state = auth.login(
            hb,
            username,
            password,
            client=client_of(request),
            old_token=old.token if old else None,
        )
    except HallbarError as err:
        status = 429 if isinstance(err, auth.LoginLocked) else 401
        return render(
            request,
            "login.html",
            {"next": safe_next(next), "error": err.message, "username": username},
            status,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, state.token)
    return response


@pages.post("/logout", dependencies=[Csrf])
def logout(request: Request, hb: Hb) -> Response:
    state = get_session(request)
    if state is not None:
        auth.logout(hb, state, client=client_of(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@pages.get("/account/password")
def password_page(request: Request, user: PageUser) -> Response:
    return render(request, "account/password.html", {"error": None, "done": False})


@pages.post("/account/password", dependencies=[Csrf])
def password_submit(
    request: Request,
    hb: Hb,
    user: PageUser,
    current: Annotated[str, Form(max_length=1000)],
    new: Annotated[str, Form(max_length=1000)],
    repeat: Annotated[str, Form(max_length=1000)],
) -> Response:
    state = get_session(request)
    assert state is not None  # page_user guarantees a session
    try:
        auth.change_password(hb, user, current, new, repeat, keep_token=state.token)
    except HallbarError as err:
        return render(request, "account/password.html", {"error": err.message, "done": False}, 400)
    return render(request, "account/password.html", {"error": None, "done": True})


@api.get("/me", summary="Inloggad användare och roll")
def me(user: ApiUser) -> JSONResponse:
    return twin("me", me_out(user).model_dump(mode="json"))
