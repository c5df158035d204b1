"""Request dependencies: the services root, the session, the user and the CSRF check.

Pages and their JSON twins use the same session cookie; pages send an
anonymous visitor to the login page, the API answers 401. Every state-changing
route depends on ``verify_csrf`` (a test walks all routes to make sure).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.exceptions import HTTPException

from hallbar.core.access import Principal
from hallbar.services.admin import auth
from hallbar.services.context import Hallbar

SESSION_COOKIE = "hallbar_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """Raised by page dependencies; the app turns it into a redirect to the login page."""


class CsrfFailed(Exception):
    """A state-changing request without a valid CSRF token."""


def get_hb(request: Request) -> Hallbar:
    hb: Hallbar = request.app.state.hb
    return hb


def client_of(request: Request) -> str:
    return request.client.host if request.client else "okänd"


def get_session(request: Request) -> auth.SessionState | None:
    """The request's session (looked up once per request)."""
    if not hasattr(request.state, "session"):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.session = auth.load_session(get_hb(request), token)
    state: auth.SessionState | None = request.state.session
    return state


def page_user(request: Request) -> Principal:
    state = get_session(request)
    if state is None or state.principal is None:
        raise LoginRequired()
    return state.principal


def api_user(request: Request) -> Principal:
    state = get_session(request)
    if state is None or state.principal is None:
        raise HTTPException(status_code=401, detail="Du behöver logga in.")
    return state.principal


async def verify_csrf(request: Request) -> None:
    """The token from the form field or the HTMX header must match the session's."""
    state = get_session(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if state is None or not sent or not hmac.compare_digest(sent, state.csrf_token):
        raise CsrfFailed()


Hb = Annotated[Hallbar, Depends(get_hb)]
PageUser = Annotated[Principal, Depends(page_user)]
ApiUser = Annotated[Principal, Depends(api_user)]
Csrf = Depends(verify_csrf)
