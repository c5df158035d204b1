"""Organisation tree and unit overview: the data functions behind the tree pages.

Every function takes the principal, checks role and scope first
(``hallbar.services.access``), and returns plain dataclasses whose figures are
already small-group suppressed, so the HTML page, the JSON twin and any export
show the same, safe numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource, Role
from hallbar.core.describe import Description, FigureTable
from hallbar.core.errors import NotFound
from hallbar.core.population import MONTHLY_PAID, PopulationCount
from hallbar.privacy.model import DisclosureModel
from hallbar.services import access, audit, disclosure
from hallbar.services.disclosure import model_values
from hallbar.services.figures.request import default_year
from hallbar.services.memo import ByIdentity
from hallbar.services.scope import Scope, open_scope
from hallbar.services.twin import ScopedCount
from hallbar.services.units import TOTAL, UnitIndex, unit_index

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

SOURCE = "Organisationens HR-export (senaste import)"
# Every headcount on the organisation pages: monthly-paid staff on the snapshot date.
POPULATION = MONTHLY_PAID
_unit_counts: ByIdentity[dict[tuple[str, str], int | None]] = ByIdentity(16)
_unit_roots: ByIdentity[tuple[str, ...]] = ByIdentity(64)
# Tree levels per model (snapshot), visible units and parent: every unit page shows the
# levels above its unit again, and a region's upper levels hold hundreds of nodes.
_tree_levels: ByIdentity[TreeLevel] = ByIdentity(1024)

HEADCOUNT = Description(
    id="headcount",
    name_sv="Antal anställda",
    definition_sv="Antal personer med en pågående månadsavlönad anställning (tillsvidare eller visstid) "
    "på uttagsdagen i enheten eller någon underenhet. En person räknas en gång.",
    population_sv="Månadsavlönade anställda; timavlönade ingår inte.",
    unit="personer",
    source=SOURCE,
)
FTE = Description(
    id="fte",
    name_sv="Årsarbetare",
    definition_sv="Summan av personernas avtalade sysselsättningsgrad delat med 100; "
    "varje person räknas med högst 100 %.",
    population_sv="Som antal anställda.",
    unit="årsarbetare",
    source=SOURCE,
)
GENDER = Description(
    id="gender",
    name_sv="Kvinnor och män",
    definition_sv="Antal personer per juridiskt kön (härlett ur personnumret).",
    population_sv="Som antal anställda.",
    unit="personer",
    source=SOURCE,
)
AGE = Description(
    id="age_structure",
    name_sv="Åldersstruktur",
    definition_sv="Antal personer per åldersgrupp och kön, i nyckeltalens åldersgrupper "
    "(ålder = redovisningsåret minus födelseåret).",
    population_sv="Som antal anställda.",
    unit="personer",
    source=SOURCE,
)
SUPPRESSION_NOTE = (
    "Värden för grupper med färre än {n} personer visas inte (–), och ibland döljs ytterligare "
    "ett värde så att ett dolt värde inte kan räknas fram ur summorna."
)


@dataclass(frozen=True)
class OrgSummary:
    org_id: str
    name: str
    kind: str
    as_of: date | None
    import_count: int


@dataclass(frozen=True)
class TreeNode:
    unit_id: str
    name: str
    has_children: bool
    headcount: int | None  # None: suppressed


@dataclass(frozen=True)
class TreeLevel:
    org_id: str
    parent_id: str | None
    nodes: tuple[TreeNode, ...]
    min_group_size: int
    counts: tuple[ScopedCount, ...] = ()  # whom each shown headcount counts, per node


@dataclass(frozen=True)
class Crumb:
    unit_id: str
    name: str


@dataclass(frozen=True)
class UnitOverview:
    org_id: str
    org_name: str
    as_of: date
    unit_id: str
    unit_name: str
    breadcrumbs: tuple[Crumb, ...]  # from the top of the user's scope down to the parent
    headcount: int | None
    fte: float | None
    sub_units: FigureTable  # one row per direct sub-unit (and staff placed directly on the unit)
    age_gender: FigureTable  # age band × women, men
    may_list_staff: bool
    notes_sv: tuple[str, ...]
    # Whom ``headcount`` counts (MONTHLY_PAID on the snapshot date); empty when hidden.
    counts: tuple[ScopedCount, ...] = ()


@dataclass(frozen=True)
class StaffRow:
    employment_id: str
    title: str | None
    employment_form: str
    rate: float
    start_date: date
    end_date: date | None
    gender: str
    age: int


@dataclass(frozen=True)
class StaffList:
    org_id: str
    unit_id: str
    unit_name: str
    as_of: date
    rows: tuple[StaffRow, ...]


# --- organisations ------------------------------------------------------------


def organisations(hb: Hallbar, principal: Principal) -> list[OrgSummary]:
    """Organisations the user may open; admins see all (metadata only)."""
    access.require(principal, Resource.ORGANISATIONS)
    out = []
    for rec in hb.store.organisations():
        if principal.role is Role.ADMIN or rec.org_id in principal.org_ids:
            out.append(
                OrgSummary(rec.org_id, rec.name, rec.kind, rec.active_as_of, rec.import_count)
            )
    return out


def _min_n(hb: Hallbar) -> int:
    return hb.settings.min_group_size


# --- the tree -------------------------------------------------------------------


def tree_level(
    hb: Hallbar, principal: Principal, org_id: str, parent_id: str | None = None
) -> TreeLevel:
    """The children of ``parent_id`` (or the top of the user's scope) with headcounts."""
    scope = open_scope(hb, principal, org_id, Resource.UNIT_TREE, one_subtree=False)
    if parent_id is not None:
        access.require_unit(principal, parent_id, scope.visible)
    return _level(hb, scope, _key_model(hb, scope), parent_id)


def _level(hb: Hallbar, scope: Scope, model: DisclosureModel, parent_id: str | None) -> TreeLevel:
    key = (scope.org_id, scope.as_of, _min_n(hb), scope.visible, parent_id)
    return _tree_levels.get_or_compute(
        model, key, lambda: _build_level(hb, scope, _model_counts(model, scope), parent_id)
    )


def _build_level(
    hb: Hallbar,
    scope: Scope,
    protected: dict[tuple[str, str], int | None],
    parent_id: str | None,
) -> TreeLevel:
    index, visible = scope.index, scope.visible
    if parent_id is None:
        ids = _roots(scope)
    else:
        ids = tuple(u for u in index.children.get(parent_id, ()) if u in visible)
    counts = {u: protected.get((u, TOTAL)) for u in ids}
    nodes = tuple(TreeNode(u, index.names[u], bool(index.children.get(u)), counts[u]) for u in ids)
    declared = tuple(
        ScopedCount(PopulationCount(POPULATION, scope.as_of, n or 0), u, hidden=n is None)
        for u, n in counts.items()
    )
    return TreeLevel(scope.org_id, parent_id, nodes, _min_n(hb), declared)


def _roots(scope: Scope) -> tuple[str, ...]:
    # Once per unit index and set of visible units: finding the top units goes through
    # every unit of a region, and every unit page shows the top level.
    return _unit_roots.get_or_compute(scope.index, scope.visible, lambda: scope.roots)


def _open_to(
    hb: Hallbar, scope: Scope, model: DisclosureModel, unit_id: str
) -> dict[str | None, TreeLevel]:
    """The levels to show with ``unit_id`` revealed: the top, and the children of the unit
    and of every ancestor inside the user's scope (keyed by parent; None = the top)."""
    index, visible = scope.index, scope.visible
    chain: list[str | None] = [None]
    current: str | None = unit_id
    opened: list[str] = []
    while current is not None and current in visible:
        opened.append(current)
        current = index.parent.get(current)
    chain += [u for u in reversed(opened) if index.children.get(u)]
    # One scope and one model for every level (each unit on the chain is visible).
    return {parent: _level(hb, scope, model, parent) for parent in chain}


def unit_page(
    hb: Hallbar, principal: Principal, org_id: str, unit_id: str | None = None
) -> tuple[UnitOverview, dict[str | None, TreeLevel]]:
    """``unit_overview`` and the tree opened to its unit, from one load of the scope: the
    unit page shows both, and opening the scope twice was a fifth of its cost."""
    scope = open_scope(hb, principal, org_id, Resource.UNIT_OVERVIEW, unit_id, one_subtree=False)
    # The tree's own check (open_scope for UNIT_TREE): the same scope, another resource.
    access.require_org(principal, org_id, Resource.UNIT_TREE)
    model = _key_model(hb, scope)
    overview = _overview(hb, principal, scope, model, unit_id)
    return overview, _open_to(hb, scope, model, overview.unit_id)


def _key_model(hb: Hallbar, scope: Scope) -> DisclosureModel:
    """The key figures' model (``services.disclosure``: the whole organisation's
    monthly-paid staff on the snapshot date), so the tree, the unit pages and the key
    figures hide the same answers."""
    full = scope.full
    return disclosure.key_figure_model(
        hb, scope.org_id, scope.import_id, full, full.as_of, default_year(full.as_of)
    )


def _model_counts(model: DisclosureModel, scope: Scope) -> dict[tuple[str, str], int | None]:
    """Headcount per unit (its subtree) and gender, as the disclosure model shows them."""

    def count_all() -> dict[tuple[str, str], int | None]:
        out: dict[tuple[str, str], int | None] = {}
        for unit in scope.index.names:
            for key, gender in ((TOTAL, None), ("K", "K"), ("M", "M")):
                out[(unit, key)] = model.count(unit, {"gender": gender})
        return out

    # Once per model (that is, per snapshot): every tree level and unit page asks, and a
    # region has thousands of units.
    return _unit_counts.get_or_compute(model, tuple(scope.index.names), count_all)


# --- the overview ---------------------------------------------------------------


def unit_overview(
    hb: Hallbar, principal: Principal, org_id: str, unit_id: str | None = None
) -> UnitOverview:
    """Headcount, FTE, sub-units and age/gender structure of one unit (default: top of scope)."""
    scope = open_scope(hb, principal, org_id, Resource.UNIT_OVERVIEW, unit_id, one_subtree=False)
    return _overview(hb, principal, scope, _key_model(hb, scope), unit_id)


def _overview(
    hb: Hallbar,
    principal: Principal,
    scope: Scope,
    model: DisclosureModel,
    unit_id: str | None,
) -> UnitOverview:
    org_id = scope.org_id
    data, index, visible = scope.full, scope.index, scope.visible
    if unit_id is None:
        if not scope.roots:
            raise NotFound(access.UNIT_NOT_FOUND)
        unit_id = scope.roots[0]
    min_n = _min_n(hb)
    crumbs = []
    parent = index.parent.get(unit_id)
    while parent is not None and parent in visible:
        crumbs.append(Crumb(parent, index.names[parent]))
        parent = index.parent.get(parent)
    protected = _model_counts(model, scope)
    headcount = protected.get((unit_id, TOTAL))
    fte = index.fte.get(unit_id, 0.0) if headcount is not None else None
    return UnitOverview(
        org_id=org_id,
        org_name=scope.org_name,
        as_of=data.as_of,
        unit_id=unit_id,
        unit_name=index.names[unit_id],
        breadcrumbs=tuple(reversed(crumbs)),
        headcount=headcount,
        fte=round(fte, 1) if fte is not None else None,
        sub_units=_sub_unit_table(index, unit_id, min_n, protected),
        age_gender=_age_gender_table(model, unit_id, min_n),
        may_list_staff=access.may(principal, Resource.STAFF_LIST)
        and access.may_list_individuals(principal, unit_id),
        notes_sv=(SUPPRESSION_NOTE.format(n=min_n),),
        counts=(
            ScopedCount(
                PopulationCount(POPULATION, data.as_of, headcount or 0),
                unit_id,
                hidden=headcount is None,
            ),
        ),
    )


def _sub_unit_table(
    index: UnitIndex, unit_id: str, min_n: int, protected: dict[tuple[str, str], int | None]
) -> FigureTable:
    """Direct sub-units with the disclosure model's counts (the same hidden pattern)."""
    children = list(index.children.get(unit_id, ()))
    fte = index.fte
    rows = []
    for child in children:
        total = protected.get((child, TOTAL))
        rows.append(
            {
                "enhet_id": child,
                "enhet": index.names[child],
                "antal": total,
                "årsarbetare": round(fte.get(child, 0.0), 1) if total is not None else None,
                "kvinnor": protected.get((child, "K")),
                "män": protected.get((child, "M")),
            }
        )
    frame = pl.DataFrame(
        rows,
        schema={
            "enhet_id": pl.String,
            "enhet": pl.String,
            "antal": pl.Int64,
            "årsarbetare": pl.Float64,
            "kvinnor": pl.Int64,
            "män": pl.Int64,
        },
    )
    return FigureTable(
        id="unit_sub_units",
        title_sv="Underenheter",
        frame=frame,
        descriptions=(HEADCOUNT, FTE, GENDER),
        notes_sv=(SUPPRESSION_NOTE.format(n=min_n),),
    )


def _age_gender_table(model: DisclosureModel, unit_id: str, min_n: int) -> FigureTable:
    """Age band × gender with margins: every cell is an answer of the disclosure model
    (the unit's subtree with a gender and an age-band filter), so the table shows
    exactly what the key figures show for the same filters and hides the same cells.

    The bands are the key figures' (≤29, 30–49, ≥50): finer bands here would be
    answers outside the model, and a ten-year band beside the key figures' three
    gives a hidden group by subtraction (docs/privacy.md). A person without a known
    gender or birth date counts in the total column or row only."""
    bands = model_values(model, "age_band")
    rows = []
    for band in (*bands, None):
        rows.append(
            {
                "åldersgrupp": TOTAL if band is None else band,
                "kvinnor": model.count(unit_id, {"gender": "K", "age_band": band}),
                "män": model.count(unit_id, {"gender": "M", "age_band": band}),
                "totalt": model.count(unit_id, {"age_band": band}),
            }
        )
    frame = pl.DataFrame(
        rows,
        schema={
            "åldersgrupp": pl.String,
            "kvinnor": pl.Int64,
            "män": pl.Int64,
            "totalt": pl.Int64,
        },
    )
    return FigureTable(
        id="unit_age_gender",
        title_sv="Åldersstruktur",
        frame=frame,
        descriptions=(AGE, GENDER),
        notes_sv=(SUPPRESSION_NOTE.format(n=min_n),),
    )


# --- individual level -----------------------------------------------------------


def staff_list(
    hb: Hallbar, principal: Principal, org_id: str, unit_id: str, *, client: str = ""
) -> StaffList:
    """Employees placed directly on the unit. HR, and managers for their own units; audited."""
    scope = open_scope(hb, principal, org_id, Resource.STAFF_LIST, unit_id)
    data, index = scope.full, scope.index
    if not access.may_list_individuals(principal, unit_id):
        raise NotFound(access.UNIT_NOT_FOUND)
    frame = index.active.filter(pl.col("unit_id") == unit_id).sort("employment_id")
    rows = tuple(
        StaffRow(
            r["employment_id"],
            r["title"],
            r["employment_form"],
            float(r["rate"]),
            r["start_date"],
            r["end_date"],
            r["gender"],
            int(r["age"]),
        )
        for r in frame.iter_rows(named=True)
    )
    audit.record(
        hb,
        principal.username,
        audit.Action.VIEW_INDIVIDUALS,
        org_id=org_id,
        target=f"enhet {unit_id}",
        detail=f"{len(rows)} anställningar",
        client=client,
    )
    return StaffList(org_id, unit_id, index.names[unit_id], data.as_of, rows)


def demo_manager_unit(hb: Hallbar, org_id: str) -> str:
    """A unit for the demo manager: the first unit below the top that has sub-units."""
    index = unit_index(hb.dataset(org_id))
    roots = sorted(u for u, p in index.parent.items() if p is None)
    for root in roots:
        for child in index.children.get(root, ()):
            if index.children.get(child):
                return child
    if not roots:
        raise NotFound("Organisationen har inga enheter. Importera enheter först.")
    return roots[0]
