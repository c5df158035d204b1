"""The column-mapping step: map staged upload files to the data model, save a profile, import.

Page and JSON twin share the path ``/org/{org_id}/imports/mapping/{token}``; the
token names files staged by a rejected upload (``hallbar.services.imports.mapping``).
One form posts both "show the columns of the chosen table" and "save and import".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from hallbar.core.errors import ImportRejected, Problem
from hallbar.ingest.mapping import (
    InvalidProfileName,
    MappingRejected,
    check_profile_name,
    model_columns,
)
from hallbar.ingest.profiles import CODE_LISTS
from hallbar.services.imports import importing, mapping, uploads
from hallbar.web.deps import ApiUser, Csrf, Hb, PageUser
from hallbar.web.i18n import Translator
from hallbar.web.rendering import TEMPLATES_DIR, render, twin

pages = APIRouter()
api = APIRouter(tags=["import"])

PATH = "/org/{org_id}/imports/mapping/{token}"
CSS_PATH = "/mapping-assets/mapping.css"
SAVE = "spara"


async def _css(request: Request) -> Response:
    css = (TEMPLATES_DIR / "mapping" / "mapping.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=300"})


pages.add_route(CSS_PATH, _css, methods=["GET"], include_in_schema=False)


def _page(request: Request, view: mapping.MappingView, status: int = 200, **extra: Any) -> Response:
    context = {"view": view, "css_path": CSS_PATH, "notice": None, **extra}
    return render(request, "mapping/page.html", context, status)


@pages.get(PATH)
def mapping_page(request: Request, hb: Hb, user: PageUser, org_id: str, token: str) -> Response:
    return _page(request, mapping.mapping_view(hb, user, org_id, token))


def _choice(
    form: Mapping[str, str], view: mapping.MappingView
) -> tuple[mapping.MappingChoice, list[str]]:
    """The user's choice from the form, and the files whose table changed since the page
    showed their columns (their posted columns belong to another table)."""
    tables: dict[int, str] = {}
    columns: dict[int, dict[str, str]] = {}
    values: dict[int, dict[str, dict[str, str]]] = {}
    changed: list[str] = []
    known = {name for name, _ in view.tables} | {""}
    for f in view.files:
        i = f.index
        table = form.get(f"tabell-{i}", f.table or "")
        tables[i] = table
        shown = form.get(f"visad-{i}", "")
        if table not in known:
            tables[i] = ""  # not a table: the file is not read, and the page says so
        elif table and table == shown:
            columns[i] = {
                c.name: form.get(f"kolumn-{i}-{c.name}", "") for c in model_columns(table)
            }
        elif table != shown:
            changed.append(f.preview.file)
        if i in columns:
            values[i] = _values(form, i, f, columns[i])
    return mapping.MappingChoice(tables, columns, values), changed


def _values(
    form: Mapping[str, str], i: int, shown: mapping.MappingFile, columns: Mapping[str, str]
) -> dict[str, dict[str, str]]:
    """Translations posted for the code columns the page showed, when the column still
    has the header whose values were shown (else the page proposes the new header's).
    The values are numbered as the page listed them: the header's distinct values."""
    out: dict[str, dict[str, str]] = {}
    for column, header in columns.items():
        if column not in CODE_LISTS or header != form.get(f"vardekolumn-{i}-{column}"):
            continue
        raws = shown.preview.distinct.get(header, ())
        out[column] = {raw: form.get(f"varde-{i}-{column}-{k}", "") for k, raw in enumerate(raws)}
    return out


@pages.post(PATH, dependencies=[Csrf])
async def mapping_post(
    request: Request, hb: Hb, user: PageUser, org_id: str, token: str, tasks: BackgroundTasks
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    proposed = mapping.mapping_view(hb, user, org_id, token)
    choice, changed = _choice(form, proposed)
    name = form.get("profil", "")
    if form.get("atgard") != SAVE or changed:
        t = Translator()
        notice = " ".join(t("mapping.table_changed", file=f) for f in changed) or None
        view = mapping.mapping_view(hb, user, org_id, token, choice, profile_name=name)
        return _page(request, view, notice=notice if form.get("atgard") == SAVE else None)
    try:
        saved = mapping.save_and_import(hb, user, org_id, token, name, choice)
    except uploads.AwaitsConfirmation as err:  # a large difference: confirm on the imports page
        return RedirectResponse(err.url, status_code=303)
    except MappingRejected as err:
        view = mapping.mapping_view(hb, user, org_id, token, choice, err.problems, name)
        return _page(request, view, 422)
    except InvalidProfileName as err:
        problem = Problem("profil", None, None, err.message)
        view = mapping.mapping_view(hb, user, org_id, token, choice, [problem], name)
        return _page(request, view, 422)
    except ImportRejected as err:
        errors = sum(1 for p in err.problems if p.severity == "fel")
        profile = check_profile_name(name)
        context: dict[str, Any] = {
            "org_id": org_id,
            "org_name": proposed.org_name,
            "profile": profile,
            "saved": None,
            "problems": err.problems,
        }
        context["failed"] = Translator()("mapping.import_failed", name=profile, n=errors)
        return render(request, "mapping/done.html", context, 422)
    # After the response is sent, as after every upload (routes/imports.py).
    tasks.add_task(importing.prepare_new_snapshot, hb, org_id)
    context = {
        "org_id": org_id,
        "org_name": proposed.org_name,
        "profile": saved.profile,
        "saved": saved,
        "problems": None,
    }
    context["failed"] = None
    return render(request, "mapping/done.html", context)


def _view_json(view: mapping.MappingView) -> dict[str, Any]:
    return {
        "organisation": view.org_id,
        "tabeller": [{"tabell": name, "namn": label} for name, label in view.tables],
        "upptagna_profilnamn": list(view.profiles),
        "forslag_profilnamn": view.profile_name,
        "filer": [
            {
                "index": f.index,
                "fil": f.preview.file,
                "rubriker": list(f.preview.headers),
                "forsta_rader": [list(r) for r in f.preview.rows],
                "problem": [_problem(p) for p in f.preview.problems],
                "tabell": f.table,
                "tabell_foreslagen_efter": f.proposal.how_table or None,
                "kolumner": [
                    {
                        "kolumn": c.column,
                        "rubrik_generisk": c.header_sv,
                        "beskrivning": c.label_sv,
                        "obligatorisk": c.required,
                        "rubrik": c.header,
                        "matchning": c.how or None,
                    }
                    for c in f.columns
                ],
                "varden": [
                    {
                        "kolumn": v.column,
                        "rubrik": v.header,
                        "koder": list(v.codes),
                        "varden": [
                            {"varde": c.raw, "kod": c.code, "matchning": c.how or None}
                            for c in v.choices
                        ],
                    }
                    for v in f.values
                ],
            }
            for f in view.files
        ],
        "problem": [_problem(p) for p in view.problems],
    }


def _problem(p: Problem) -> dict[str, Any]:
    return {
        "fil": p.file,
        "rad": p.row,
        "kolumn": p.column,
        "meddelande": p.message,
        "typ": p.severity,
    }


@api.get(PATH, summary="Koppla kolumner: förslag och de första raderna")
def mapping_api(hb: Hb, user: ApiUser, org_id: str, token: str) -> JSONResponse:
    return twin("imports.mapping", _view_json(mapping.mapping_view(hb, user, org_id, token)))


class FileIn(BaseModel):
    tabell: str | None = Field(None, description="Tabellen filen innehåller; null: läs inte filen")
    kolumner: dict[str, str] = Field(
        default_factory=dict, description="Datamodellens kolumn → filens rubrik"
    )
    varden: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Kodkolumn → värde i filen → kod i kodlistan"
    )


class MappingIn(BaseModel):
    profil: str = Field(description="Profilens namn (a–z, 0–9, - och _)")
    filer: list[FileIn] = Field(description="En post per fil, i samma ordning som i GET-svaret")


@api.post(PATH, summary="Spara kopplingen som profil och importera", dependencies=[Csrf])
def mapping_save_api(
    hb: Hb, user: ApiUser, org_id: str, token: str, body: MappingIn, tasks: BackgroundTasks
) -> JSONResponse:
    choice = mapping.MappingChoice(
        {i: f.tabell or "" for i, f in enumerate(body.filer)},
        {i: dict(f.kolumner) for i, f in enumerate(body.filer)},
        {i: {c: dict(v) for c, v in f.varden.items()} for i, f in enumerate(body.filer)},
    )
    try:
        saved = mapping.save_and_import(hb, user, org_id, token, body.profil, choice)
    except (MappingRejected, ImportRejected) as err:
        # ImportRejected's message names the report's server path (for the CLI): not sent.
        kind = "mapping_rejected" if isinstance(err, MappingRejected) else "import_rejected"
        message = Translator()("mapping.api_rejected", n=len(err.problems))
        detail = {"ok": False, "status": 422, "fel": kind, "detail": message}
        return JSONResponse({**detail, "problem": [_problem(p) for p in err.problems]}, 422)
    tasks.add_task(importing.prepare_new_snapshot, hb, org_id)
    outcome = saved.outcome
    return twin(
        "imports.mapping",
        {
            "profil": saved.profile,
            "import_id": outcome.import_id,
            "uttagsdatum": outcome.as_of.isoformat(),
            "rader": outcome.row_counts,
            "varningar": len(outcome.warnings),
        },
    )
