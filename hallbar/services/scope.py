"""The one way into an organisation's data: role check, unit visibility, load, unit index.

Every capability (organisation pages, key figures, pay survey, projection,
imports) opens its data with ``open_scope`` and nothing else, so the rules are
the same everywhere:

1. the role may use the resource at all, and the organisation is in the user's
   scope (``services.access.require_org``);
2. the organisation's active import is loaded (``Hallbar.dataset``), or the
   import a pay survey or saved scenario was made from;
3. the unit index (``services.units``) says which units the user may see: a
   manager the units they manage and every unit below them, every other data
   role the whole organisation;
4. a chosen unit outside that set answers as if it did not exist.

``Scope.data`` is the data cut to the chosen unit's subtree, so a figure can
never count outside what the user may see.

Which snapshot a page shows is noted here too: every load (``Hallbar.dataset``)
calls ``note_shown`` in the request's context, and the page header
(``base.html``) and the JSON twin read ``shown_snapshots`` so every page names
its import without each page passing it on.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.core.dataset import HRData
from hallbar.core.errors import NotFound
from hallbar.indicators.units import restrict_to_subtree
from hallbar.services import access
from hallbar.services.memo import ByIdentity
from hallbar.services.units import UnitIndex, unit_index

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar
    from hallbar.store.store import ImportRecord

WHOLE_ORGANISATION_SV = "Hela organisationen"
# Unit subtrees' data kept while their dataset is loaded: the units people are looking
# at now (a manager's own, the ones an analyst goes through).
_subtrees: ByIdentity[HRData] = ByIdentity(32)


@dataclass(frozen=True)
class Scope:
    """What one principal may compute on in one organisation, cut to one unit subtree."""

    org_id: str
    org_name: str
    kind: str  # kommun / region / förbund
    as_of: date  # the snapshot date of the import shown
    full: HRData  # the whole organisation: for labels and organisation-wide rates only
    index: UnitIndex
    visible: frozenset[str]  # every unit the principal may see
    unit_id: str | None  # None: everything visible
    units: frozenset[str]  # the units in scope: the chosen subtree, or everything visible
    label: str  # "Hela organisationen", the unit's name, or the visible roots' names
    import_id: int  # the import shown: the active one unless the page asked for another
    snapshot_id: str | None = None  # the import's snapshot content id: caches key by it

    @cached_property
    def unit_choices(self) -> tuple[tuple[str, str], ...]:
        """(id, indented name) of every unit the user may choose (a region: thousands)."""
        return unit_choices(self.index, self.visible)

    @cached_property
    def unit_picker(self) -> tuple[tuple[str, str], ...]:
        """The few units a page offers beside its unit search (``search_units``)."""
        return unit_picker(self.index, self.visible, self.unit_id)

    @property
    def whole(self) -> bool:
        """Whether the scope is the whole organisation (no unit chosen, every unit visible)."""
        return self.unit_id is None and len(self.visible) == len(self.index.names)

    @cached_property
    def data(self) -> HRData:
        """The organisation's data cut to the scope's units."""
        if self.whole:
            return self.full
        if self.unit_id is None:
            # A principal who sees several separate subtrees and chose none: only
            # unit-level stocks (``units``) are defined; figures open one subtree.
            raise NotFound(access.UNIT_NOT_FOUND)
        unit_id = self.unit_id
        # Cut once per loaded dataset and unit: every request opens a new Scope, and the
        # cut reads every table (working time included).
        return _subtrees.get_or_compute(
            self.full,
            unit_id,
            lambda: restrict_to_subtree(self.full, unit_id, self.index.subtree[unit_id]),
        )

    @property
    def roots(self) -> tuple[str, ...]:
        """The top units of what the principal may see, sorted by name."""
        return roots_of(self.index, self.visible)


@dataclass(frozen=True)
class ShownSnapshot:
    """One organisation's snapshot a page shows: which import, of what date, active or not."""

    org_id: str
    org_name: str
    import_id: int
    as_of: date
    active: bool
    pinned: bool  # asked for by id (a pay survey's or a scenario's own import)

    @property
    def caption_sv(self) -> str:
        """'Uppgifter från import 12 (uttag 2025-12-31), den aktiva importen.'"""
        head = f"Uppgifter från import {self.import_id} (uttag {self.as_of.isoformat()})"
        if self.active:
            return f"{head}, den aktiva importen."
        return f"{head}, inte den aktiva importen."

    def as_json(self) -> dict[str, object]:
        return {
            "organisation": self.org_id,
            "import": self.import_id,
            "uttagsdatum": self.as_of.isoformat(),
            "aktiv": self.active,
        }


_SHOWN: ContextVar[tuple[ShownSnapshot, ...]] = ContextVar("hallbar_shown", default=())


def note_shown(record: ImportRecord, *, pinned: bool) -> None:
    """Note that the current request (or command) uses this import (``Hallbar.dataset``).

    Each request runs in its own copy of the context (Starlette runs sync routes in a
    copied context), so what one request notes never reaches another.
    """
    shown = ShownSnapshot(
        record.org_id, record.org_name, record.id, record.as_of, record.active, pinned
    )
    noted = _SHOWN.get()
    if shown not in noted:
        _SHOWN.set((*noted, shown))


def shown_snapshots() -> tuple[ShownSnapshot, ...]:
    """The snapshots the current request shows, one per organisation and import.

    An organisation whose page asked for a particular import (a pay survey's own)
    shows that one; the active import loaded for the access check is not named too.
    """
    noted = _SHOWN.get()
    pinned_orgs = {s.org_id for s in noted if s.pinned}
    out: dict[tuple[str, int], ShownSnapshot] = {}
    for s in noted:
        if s.org_id in pinned_orgs and not s.pinned:
            continue
        out.setdefault((s.org_id, s.import_id), s)
    return tuple(out.values())


def roots_of(index: UnitIndex, visible: frozenset[str]) -> tuple[str, ...]:
    roots = [u for u in visible if index.parent.get(u) not in visible]
    return tuple(sorted(roots, key=lambda u: (index.names[u], u)))


def unit_choices(index: UnitIndex, visible: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(id, name indented by depth) for every visible unit, depth first, siblings by name."""
    out: list[tuple[str, str]] = []

    def walk(unit: str, depth: int) -> None:
        out.append((unit, "\u2003" * depth + index.names[unit]))
        for child in index.children.get(unit, ()):
            if child in visible:
                walk(child, depth + 1)

    for root in roots_of(index, visible):
        walk(root, 0)
    return tuple(out)


def unit_picker(
    index: UnitIndex, visible: frozenset[str], chosen: str | None
) -> tuple[tuple[str, str], ...]:
    """(id, indented name) of the units near ``chosen``: the way up to it, it, and the
    units right below it; without a chosen unit the top units and the level below them.

    A page lists these few and finds any other unit by search, instead of listing
    every unit of a region (1 472 in the example region) in every page."""
    out: list[tuple[str, str]] = []
    if chosen is None or chosen not in visible:
        for root in roots_of(index, visible):
            out.append((root, index.names[root]))
            out += [
                (c, "\u2003" + index.names[c]) for c in index.children.get(root, ()) if c in visible
            ]
        return tuple(out)
    chain = [chosen]
    while (up := index.parent.get(chain[-1])) is not None and up in visible and up not in chain:
        chain.append(up)
    for depth, unit in enumerate(reversed(chain)):
        out.append((unit, "\u2003" * depth + index.names[unit]))
    below = "\u2003" * len(chain)
    out += [(c, below + index.names[c]) for c in index.children.get(chosen, ()) if c in visible]
    return tuple(out)


@dataclass(frozen=True)
class UnitHit:
    unit_id: str
    name: str
    path_sv: str  # the units above it, "Förvaltning › Avdelning"; empty for a top unit


@dataclass(frozen=True)
class UnitSearch:
    """The unit picker's answer: the first ``limit`` hits of ``total``."""

    org_id: str
    query: str
    hits: tuple[UnitHit, ...]
    total: int
    limit: int


SEARCH_LIMIT = 25


def search_units(
    hb: Hallbar, principal: Principal, org_id: str, query: str, limit: int = SEARCH_LIMIT
) -> UnitSearch:
    """The visible units whose name (or id) contains ``query``, and how many matched.

    Case is ignored; names that start with the query come first, then shallower
    units, then by name. An empty query gives the top units."""
    scope = open_scope(hb, principal, org_id, Resource.UNIT_TREE, one_subtree=False)
    index, visible = scope.index, scope.visible
    needle = " ".join(query.split()).casefold()
    if not needle:
        found = list(roots_of(index, visible))
    else:
        found = [
            u for u in visible if needle in index.names[u].casefold() or needle == u.casefold()
        ]

    def depth(unit: str) -> int:
        n, current = 0, index.parent.get(unit)
        while current is not None and n < len(index.names):
            n, current = n + 1, index.parent.get(current)
        return n

    found.sort(
        key=lambda u: (
            not index.names[u].casefold().startswith(needle),
            depth(u),
            index.names[u],
            u,
        )
    )
    hits = []
    for unit in found[:limit]:
        above: list[str] = []
        current = index.parent.get(unit)
        while current is not None and current in visible and len(above) < len(index.names):
            above.append(index.names[current])
            current = index.parent.get(current)
        hits.append(UnitHit(unit, index.names[unit], " › ".join(reversed(above))))
    return UnitSearch(org_id, query, tuple(hits), len(found), limit)


def load(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    resource: Resource,
    import_id: int | None = None,
) -> HRData:
    """Role and organisation check, then the organisation's data (no unit cut).

    For what is organisation-wide by nature: a pay survey's job list, a
    projection's history rates. Everything unit-level goes through ``open_scope``.
    ``import_id`` None: the active import.
    """
    return load_snapshot(hb, principal, org_id, resource, import_id)[1]


def load_snapshot(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    resource: Resource,
    import_id: int | None = None,
) -> tuple[ImportRecord, HRData]:
    """``load``, with the import record of the snapshot loaded (which import, active or not)."""
    access.require_org(principal, org_id, resource)
    try:
        return hb.snapshot(org_id, import_id)
    except NotFound as err:
        raise NotFound(access.ORG_NOT_FOUND) from err


def open_scope(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    resource: Resource,
    unit_id: str | None = None,
    *,
    one_subtree: bool = True,
    import_id: int | None = None,
) -> Scope:
    """Check role and scope, load the data and the unit index, and choose the units.

    ``unit_id`` None means everything the principal may see. With ``one_subtree``
    (the default) a principal who cannot see the whole organisation gets the
    first of their visible subtrees instead, so ``Scope.data`` is always defined.
    ``import_id`` None: the organisation's active import.
    """
    record, full = load_snapshot(hb, principal, org_id, resource, import_id)
    index = unit_index(full)
    visible = access.visible_units(principal, index.names, index.subtree)
    if unit_id is not None:
        access.require_unit(principal, unit_id, visible)
    elif len(visible) != len(index.names) and one_subtree:
        roots = roots_of(index, visible)
        if not roots:
            raise NotFound(access.UNIT_NOT_FOUND)
        unit_id = roots[0]  # the first unit of ``unit_choices``: its walk starts there
    orgs = full.organisations
    org_name = str(orgs["name"][0]) if orgs.height else org_id
    kind = str(orgs["kind"][0]) if orgs.height else "kommun"
    if unit_id is not None:
        units, label = index.subtree[unit_id] & visible, index.names[unit_id]
    elif len(visible) == len(index.names):
        units, label = visible, WHOLE_ORGANISATION_SV
    else:
        units = visible
        label = ", ".join(index.names[u] for u in roots_of(index, visible))
    return Scope(
        org_id=org_id,
        org_name=org_name,
        kind=kind,
        as_of=full.as_of,
        full=full,
        index=index,
        visible=visible,
        unit_id=unit_id,
        units=units,
        label=label,
        import_id=record.id,
        snapshot_id=hb.store.snapshot_id(record.id),
    )
