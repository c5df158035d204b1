"""Jinja2 environment, the ``render`` helper every page route uses, and file downloads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from hallbar.core.access import ROLE_LABELS_SV, Resource, may
from hallbar.core.population import PopulationCount
from hallbar.services.scope import shown_snapshots
from hallbar.services.twin import ScopedCount, success
from hallbar.web.deps import get_session
from hallbar.web.formatting import FILTERS
from hallbar.web.i18n import Translator
from hallbar.web.pagecache import CSRF_MARK, USER_MARK, placeholders

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
HTMX_FILE = "vendor/htmx-2.0.11.min.js"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_environment(language: str = "sv") -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(
        t=Translator(language),
        may=may,
        Resource=Resource,
        htmx_file=HTMX_FILE,
        role_labels=ROLE_LABELS_SV,
        shown_snapshots=shown_snapshots,
    )
    return env


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    env: Environment = request.app.state.jinja
    state = get_session(request)
    user = state.principal if state else None
    csrf_token = state.csrf_token if state else ""
    if user is not None and placeholders(request):
        # A page kept for every user of this scope (``pagecache``): the markers are
        # replaced by each requester's own name and token.
        user = replace(user, username=USER_MARK)
        csrf_token = CSRF_MARK
    ctx: dict[str, Any] = {
        "request": request,
        "user": user,
        "csrf_token": csrf_token,
        "path": request.url.path,
        **(context or {}),
    }
    html = env.get_template(template).render(ctx)
    return HTMLResponse(html, status_code=status_code)


def download(content: bytes, filename: str, media_type: str = XLSX) -> Response:
    """A file the browser saves as ``filename`` (an Excel workbook unless told otherwise)."""
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=headers)


def twin(
    page: str, body: Any, counts: Iterable[ScopedCount | PopulationCount] = ()
) -> JSONResponse:
    """A page's JSON twin in the one envelope (``hallbar.services.twin``), naming the
    snapshots the page's numbers come from as its page does (``ogonblicksbilder``)."""
    out = success(page, body, counts)
    shown = shown_snapshots()
    if shown and "ogonblicksbilder" not in out:
        out["ogonblicksbilder"] = [s.as_json() for s in shown]
    return JSONResponse(out)
