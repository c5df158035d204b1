"""Upload files through the import pipeline; confirm an import that differs a lot from the
active one; make an earlier import active again or undo the active one; the list of past imports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from hallbar.core.errors import HallbarError, ImportRejected
from hallbar.services.imports import importing, mapping, staging, uploads
from hallbar.web.deps import ApiUser, Csrf, Hb, PageUser
from hallbar.web.i18n import Translator
from hallbar.web.rendering import render, twin
from hallbar.web.schemas import ImportOut
from hallbar.web.uploads import save_uploads

pages = APIRouter()
api = APIRouter(tags=["import"])

MAX_FILES = 10


def _page(request: Request, hb: Hb, user: PageUser, org_id: str, **extra: object) -> Response:
    status = int(extra.pop("status", 200))  # type: ignore[call-overload]
    history = uploads.import_history(hb, user, org_id)
    name = uploads.organisation_name(hb, user, org_id)
    context = {
        "org_id": org_id,
        "org_name": name,
        "history": history,
        "outcome": None,
        "problems": None,
        "error": None,
        "pending": None,
        "token": None,
        "message": "",
        "mapping_url": None,  # column mapping (routes/mapping.py)
        "profiles": mapping.upload_profiles(hb, user, org_id),  # column mapping
        **extra,
    }
    return render(request, "imports/index.html", context, status)


@pages.get("/org/{org_id}/imports")
def imports_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    token = request.query_params.get("bekrafta")
    if token:  # files kept for the confirm step (e.g. after the column mapping)
        try:
            kept = uploads.pending(hb, user, org_id, token)
        except HallbarError as err:
            return _page(request, hb, user, org_id, error=err.message, status=err.status)
        return _page(request, hb, user, org_id, pending=kept.comparison, token=token)
    return _page(request, hb, user, org_id)


@pages.post("/org/{org_id}/imports", dependencies=[Csrf])
async def upload(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    tasks: BackgroundTasks,
    files: Annotated[list[UploadFile], File()],
    as_of: Annotated[str, Form()] = "",
    profil: Annotated[str, Form()] = "generic",  # column mapping: saved profiles too
) -> Response:
    uploads.organisation_name(hb, user, org_id)  # role and scope before touching any file
    try:
        # Empty: the import takes the latest date in the files (issue 10).
        export_date = date.fromisoformat(as_of) if as_of.strip() else None
    except ValueError:
        message = (
            f"'{as_of}' är inget datum. Skriv uttagsdatumet som ÅÅÅÅ-MM-DD eller lämna det tomt."
        )
        return _page(request, hb, user, org_id, error=message, status=400)
    settings = request.app.state.settings
    with staging.receiving(hb) as folder:
        try:
            saved = await save_uploads(
                files, folder, max_bytes=settings.max_file_bytes, max_files=MAX_FILES
            )
            profile = mapping.upload_profile(hb, user, org_id, profil)
            outcome = uploads.import_uploaded(
                hb,
                user,
                org_id=org_id,
                folder=folder,
                files=saved,
                as_of=export_date,
                profile=profile,
            )
        except importing.ImportNeedsConfirmation as err:
            # Keep the files until the user confirms or cancels; show the difference.
            token = uploads.keep_pending(
                hb, user, org_id, saved, export_date, profile, err.comparison
            )
            return _page(request, hb, user, org_id, pending=err.comparison, token=token)
        except ImportRejected as err:
            # The report file's server path in err.message is for the CLI, not for browsers.
            errors = sum(1 for p in err.problems if p.severity == "fel")
            message = Translator()("imports.rejected", n=errors)
            # Column mapping: files that match no profile stay staged for the mapping page.
            link = mapping.offer_mapping(hb, user, org_id, saved, profil)
            return _page(
                request,
                hb,
                user,
                org_id,
                problems=err.problems,
                error=message,
                mapping_url=link,
                status=422,
            )
        except HallbarError as err:
            return _page(request, hb, user, org_id, error=err.message, status=err.status)
    _after_new_snapshot(tasks, hb, org_id)
    return _page(request, hb, user, org_id, outcome=outcome)


def _after_new_snapshot(tasks: BackgroundTasks, hb: Hb, org_id: str) -> None:
    """A new snapshot is active: its regional results are prepared after the response is
    sent (FastAPI's background task), so the page does not wait for them."""
    tasks.add_task(importing.prepare_new_snapshot, hb, org_id)


def _rejected(
    request: Request, hb: Hb, user: PageUser, org_id: str, err: ImportRejected
) -> Response:
    # The report file's server path in err.message is for the CLI, not for browsers.
    errors = sum(1 for p in err.problems if p.severity == "fel")
    message = Translator()("imports.rejected", n=errors)
    return _page(request, hb, user, org_id, problems=err.problems, error=message, status=422)


@pages.post("/org/{org_id}/imports/confirm", dependencies=[Csrf])
def confirm_upload(
    request: Request,
    hb: Hb,
    user: PageUser,
    org_id: str,
    tasks: BackgroundTasks,
    token: Annotated[str, Form()],
    previous: Annotated[str, Form()] = "",
) -> Response:
    """Store an upload the user confirmed after seeing its comparison with import ``previous``."""
    uploads.organisation_name(hb, user, org_id)
    try:
        outcome = uploads.confirm_pending(
            hb, user, org_id, token, int(previous) if previous.isdigit() else None
        )
    except ImportRejected as err:
        return _rejected(request, hb, user, org_id, err)
    except HallbarError as err:
        return _page(request, hb, user, org_id, error=err.message, status=err.status)
    _after_new_snapshot(tasks, hb, org_id)
    return _page(request, hb, user, org_id, outcome=outcome)


@pages.post("/org/{org_id}/imports/cancel", dependencies=[Csrf])
def cancel_upload(
    request: Request, hb: Hb, user: PageUser, org_id: str, token: Annotated[str, Form()]
) -> Response:
    uploads.organisation_name(hb, user, org_id)
    try:
        uploads.discard_pending(hb, user, org_id, token)
    except HallbarError as err:
        return _page(request, hb, user, org_id, error=err.message, status=err.status)
    message = Translator()("imports.cancelled")
    return _page(request, hb, user, org_id, message=message)


@pages.post("/org/{org_id}/imports/{import_id}/activate", dependencies=[Csrf])
def activate_import(
    request: Request, hb: Hb, user: PageUser, org_id: str, import_id: int, tasks: BackgroundTasks
) -> Response:
    uploads.organisation_name(hb, user, org_id)  # role and scope first
    try:
        done = importing.activate(hb, user, org_id, import_id)
    except HallbarError as err:
        return _page(request, hb, user, org_id, error=err.message, status=err.status)
    _after_new_snapshot(tasks, hb, org_id)
    message = Translator()("imports.activated", id=done.active)
    return _page(request, hb, user, org_id, message=message)


@pages.post("/org/{org_id}/imports/{import_id}/undo", dependencies=[Csrf])
def undo_import(
    request: Request, hb: Hb, user: PageUser, org_id: str, import_id: int, tasks: BackgroundTasks
) -> Response:
    uploads.organisation_name(hb, user, org_id)  # role and scope first
    try:
        done = importing.undo(hb, user, org_id, import_id)
    except HallbarError as err:
        return _page(request, hb, user, org_id, error=err.message, status=err.status)
    _after_new_snapshot(tasks, hb, org_id)
    message = Translator()("imports.undone", id=import_id, active=done.active)
    return _page(request, hb, user, org_id, message=message)


@api.get("/org/{org_id}/imports", summary="Tidigare importer")
def imports_api(hb: Hb, user: ApiUser, org_id: str) -> JSONResponse:
    rows = [
        ImportOut.model_validate(r, from_attributes=True).model_dump(mode="json")
        for r in uploads.import_history(hb, user, org_id)
    ]
    return twin("imports", rows)
