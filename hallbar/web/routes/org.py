"""Organisation tree, unit overview and (for HR and own managers) the staff list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, cast

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from jinja2 import Environment
from markupsafe import Markup

from hallbar.services.memo import ByIdentity
from hallbar.services.org import tree
from hallbar.web.deps import ApiUser, Hb, PageUser, client_of
from hallbar.web.i18n import Translator
from hallbar.web.pagecache import cached
from hallbar.web.rendering import render, twin

pages = APIRouter()
api = APIRouter(tags=["organisationsträd"])

Parent = Annotated[str | None, Query(max_length=100)]
# Each tree level's nodes as rendered closed and not current, per kept level
# (``tree._level``) and template environment: a unit page shows about 190 nodes of a
# region's tree, and only the open and the current one differ from page to page.
_closed_nodes: ByIdentity[tuple[Markup, ...]] = ByIdentity(1024)


def _closed(env: Environment) -> Callable[[tree.TreeLevel], tuple[Markup, ...]]:
    def closed(level: tree.TreeLevel) -> tuple[Markup, ...]:
        def build() -> tuple[Markup, ...]:
            node = env.get_template("org/_tree_node.html")
            quote, t = env.filters["urlencode"], cast(Translator, env.globals["t"])
            common = {
                "level": level,
                "levels": {},
                "current": None,
                "closed": closed,
                "org_q": quote(level.org_id),
                "hidden_sv": t("privacy.hidden"),
                "persons_sv": t("tree.persons"),
            }
            return tuple(
                Markup(node.render(common, n=n, index=i, unit_q=quote(n.unit_id)) + "\n")
                for i, n in enumerate(level.nodes, 1)
            )

        return _closed_nodes.get_or_compute(level, id(env), build)

    return closed


def _overview_page(
    request: Request, hb: Hb, user: PageUser, org_id: str, unit_id: str | None
) -> Response:
    overview, levels = tree.unit_page(hb, user, org_id, unit_id)
    age = overview.age_gender.frame.to_dicts()
    context = {
        "o": overview,
        "levels": levels,
        "age_rows": [r for r in age if r["åldersgrupp"] != tree.TOTAL],
        "age_total": next(r for r in age if r["åldersgrupp"] == tree.TOTAL),
        "sub_rows": overview.sub_units.frame.to_dicts(),
        "closed": _closed(request.app.state.jinja),
    }
    return render(request, "org/unit.html", context)


@pages.get("/org/{org_id}")
def org_page(request: Request, hb: Hb, user: PageUser, org_id: str) -> Response:
    return cached(
        request, hb, user, org_id, lambda: _overview_page(request, hb, user, org_id, None)
    )


@pages.get("/org/{org_id}/unit/{unit_id}")
def unit_page(request: Request, hb: Hb, user: PageUser, org_id: str, unit_id: str) -> Response:
    return cached(
        request, hb, user, org_id, lambda: _overview_page(request, hb, user, org_id, unit_id)
    )


@pages.get("/org/{org_id}/tree")
def tree_fragment(
    request: Request, hb: Hb, user: PageUser, org_id: str, parent: Parent = None
) -> Response:
    """One level of the tree as an HTML fragment (loaded by HTMX when a node opens)."""

    def build() -> Response:
        level = tree.tree_level(hb, user, org_id, parent)
        context: dict[str, object] = {
            "level": level,
            "current": None,
            "levels": {},
            "closed": _closed(request.app.state.jinja),
        }
        return render(request, "org/_tree_level.html", context)

    return cached(request, hb, user, org_id, build)


@pages.get("/org/{org_id}/unit/{unit_id}/staff")
def staff_page(request: Request, hb: Hb, user: PageUser, org_id: str, unit_id: str) -> Response:
    staff = tree.staff_list(hb, user, org_id, unit_id, client=client_of(request))
    return render(request, "org/staff.html", {"s": staff})


def _overview_twin(
    request: Request, hb: Hb, user: ApiUser, org_id: str, unit_id: str | None
) -> Response:
    # The view object as it is: its tables in the one table shape, its counts in the envelope.
    def build() -> JSONResponse:
        return twin("org.unit", tree.unit_overview(hb, user, org_id, unit_id))

    return cached(request, hb, user, org_id, build)


@api.get("/org/{org_id}", summary="Översikt för toppenheten")
def org_api(request: Request, hb: Hb, user: ApiUser, org_id: str) -> Response:
    return _overview_twin(request, hb, user, org_id, None)


@api.get(
    "/org/{org_id}/unit/{unit_id}",
    summary="Antal, årsarbetare, kön och ålder för en enhet (små grupper dolda)",
)
def unit_api(request: Request, hb: Hb, user: ApiUser, org_id: str, unit_id: str) -> Response:
    return _overview_twin(request, hb, user, org_id, unit_id)


@api.get("/org/{org_id}/tree", summary="En nivå i organisationsträdet")
def tree_api(hb: Hb, user: ApiUser, org_id: str, parent: Parent = None) -> JSONResponse:
    return twin("org.tree", tree.tree_level(hb, user, org_id, parent))


@api.get(
    "/org/{org_id}/unit/{unit_id}/staff",
    summary="Personal direkt på enheten (individnivå; loggas)",
)
def staff_api(request: Request, hb: Hb, user: ApiUser, org_id: str, unit_id: str) -> JSONResponse:
    return twin("org.staff", tree.staff_list(hb, user, org_id, unit_id, client=client_of(request)))
