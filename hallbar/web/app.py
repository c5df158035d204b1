"""``create_app(settings)``: the web application's composition root.

Every page is backed by a data function in ``hallbar.services`` and has a JSON
twin under ``/api/`` (same path, same access rules), documented at
``/api/openapi.json``. Adding an area is one module in ``hallbar.web.routes``
with a ``pages`` and an ``api`` router, listed in ``ROUTE_MODULES``.
"""

from __future__ import annotations

import importlib
import json
import os
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from hallbar.core.errors import HallbarError
from hallbar.services.context import Hallbar
from hallbar.services.twin import failure
from hallbar.settings import Settings
from hallbar.web.deps import CsrfFailed, LoginRequired
from hallbar.web.i18n import Translator
from hallbar.web.middleware import BodySizeLimit, ForwardedFor, SecurityHeaders
from hallbar.web.pagecache import PageCache
from hallbar.web.rendering import STATIC_DIR, build_environment, render

ROUTE_MODULES: tuple[str, ...] = (
    "auth",
    "home",
    "org",
    "imports",
    "admin",
    "paysurvey",
    "projection",
    "figures",
    "followup",
    "paytransparency",
    "regional",
    "mapping",
    "units",
)
# Room for the form fields and multipart framing around the largest allowed files.
MAX_FILES_PER_UPLOAD = 10
# ``hallbar serve --workers N``: each worker process builds its app from these settings (JSON).
SETTINGS_ENV = "HALLBAR_SERVE_SETTINGS"
# Pages and JSON twins are text and compress 5–10×; tiny answers are not worth it.
GZIP_MIN_BYTES = 1000
# Level 5 compresses pages almost as well as 9 at about half the processor time,
# which the server shares with every other request.
GZIP_LEVEL = 5


def create_app(settings: Settings, hb: Hallbar | None = None) -> FastAPI:
    """Build the app. ``hb`` lets tests and the demo share an existing services root."""
    app = FastAPI(
        title="Hållbar",
        summary="Kompetensförsörjning och personalanalys – JSON-tvillingar till varje sida.",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads scripts from a CDN; the schema is enough offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.hb = hb or Hallbar(settings)
    app.state.settings = settings
    app.state.jinja = build_environment()
    app.state.page_cache = PageCache()
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.max_file_bytes * MAX_FILES_PER_UPLOAD + 1_000_000
    )
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    app.add_middleware(ForwardedFor, trusted=settings.trusted_proxies)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    table: dict[str, tuple[tuple[str, str], ...]] = {}
    for name in ROUTE_MODULES:
        module = importlib.import_module(f"hallbar.web.routes.{name}")
        app.include_router(module.pages, include_in_schema=False)
        app.include_router(module.api, prefix="/api")
        table[name] = tuple(_routes_of(module.pages, "") + _routes_of(module.api, "/api"))
    app.state.route_table = table
    _register_error_handlers(app)
    return app


def create_app_from_environment() -> FastAPI:
    """The app of one ``hallbar serve --workers N`` worker process (uvicorn's factory)."""
    raw = os.environ.get(SETTINGS_ENV)
    values: dict[str, Any] = json.loads(raw) if raw else {}
    return create_app(Settings(**values))


def _routes_of(router: APIRouter, prefix: str) -> list[tuple[str, str]]:
    return [
        (method, prefix + route.path)
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in sorted(route.methods or ())
    ]


def route_table(
    app: FastAPI, modules: tuple[str, ...] | None = None
) -> tuple[tuple[str, str], ...]:
    """(method, path template) of the page and API routes of ``modules`` (default: all)."""
    table: dict[str, tuple[tuple[str, str], ...]] = app.state.route_table
    chosen = table if modules is None else {m: table[m] for m in modules}
    return tuple(sorted({route for routes in chosen.values() for route in routes}))


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str, kind: str = "error") -> Response:
    """JSON twins get the error shape; HTMX requests a fragment; pages the error page."""
    if _is_api(request):
        return JSONResponse(failure(status, kind, message), status_code=status)
    if request.headers.get("hx-request") == "true" and status < 500:
        # 200 so that HTMX swaps the message in where the answer would have gone.
        return render(request, "error_fragment.html", {"status": status, "message": message})
    return render(request, "error.html", {"status": status, "message": message}, status)


def _register_error_handlers(app: FastAPI) -> None:
    t = Translator()

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return _error(request, 403, t("error.csrf"))

    @app.exception_handler(HallbarError)
    async def user_error(request: Request, exc: HallbarError) -> Response:
        """The one handler of the exception tree (``hallbar.core.errors``)."""
        return _error(request, exc.status, exc.message, exc.kind())

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            body = failure(
                422, "invalid_request", t("error.invalid_request"), errors=jsonable_errors(exc)
            )
            return JSONResponse(body, status_code=422)
        return _error(request, 422, t("error.invalid_request"))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages: dict[int, Any] = {
            401: t("error.login_required"),
            404: t("error.not_found"),
            405: t("error.method"),
            413: t("error.too_large"),
        }
        message = messages.get(exc.status_code, str(exc.detail))
        response = _error(request, exc.status_code, message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
