"""Saved projection scenarios: save, list, open, delete and compare side by side.

A scenario is stored with its name, description and parameters (the page's
request as JSON). Anyone who may see projection results may list, open and
compare scenarios; only HR and administrators save and delete them.
A scenario is tied to the import it was saved from: opening or comparing it runs
on that snapshot, so a later import does not change a saved scenario.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.describe import FigureTable
from hallbar.core.errors import InputError, NotFound
from hallbar.privacy.suppression import SUPPRESSED_COL
from hallbar.projection import descriptions
from hallbar.reports import svgcharts
from hallbar.reports.json_export import table_to_json
from hallbar.services.audit import now
from hallbar.services.projection.figures import ALL_LABEL, OCC, STAFF_START
from hallbar.services.projection.params import ProjectionRequest, default_request
from hallbar.services.projection.views import ProjectionView, projection_view
from hallbar.services.scope import load, load_snapshot
from hallbar.store import projections
from hallbar.store.projections import ScenarioExists, ScenarioRecord

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

SCENARIO_NOT_FOUND = (
    "Scenariot finns inte eller så saknar du behörighet. Välj ett scenario i listan."
)
MAX_COMPARE = 4
SCENARIO_COL = "Scenario"


class ScenarioInputError(InputError):
    """A bad name, description or choice of scenarios; the message says what to do."""


@dataclass(frozen=True)
class SavedScenario:
    id: int
    org_id: str
    name: str
    description: str
    request: ProjectionRequest
    created_by: str
    created_at: datetime
    updated_at: datetime
    import_id: int | None  # the snapshot it runs on (None: the active import)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "namn": self.name,
            "beskrivning": self.description,
            "parametrar": self.request.to_params(),
            "skapad_av": self.created_by,
            "skapad": self.created_at.isoformat(),
            "ändrad": self.updated_at.isoformat(),
            "import": self.import_id,
        }


@dataclass(frozen=True)
class Compared:
    """One column of a comparison: a saved scenario, the base scenario or unsaved settings."""

    name: str
    description: str
    request: ProjectionRequest
    saved: SavedScenario | None = None  # None: not saved (the base or the page's settings)

    def to_json(self) -> dict[str, Any]:
        if self.saved is not None:
            return {**self.saved.to_json(), "sparat": True}
        return {
            "namn": self.name,
            "beskrivning": self.description,
            "parametrar": self.request.to_params(),
            "sparat": False,
        }


@dataclass(frozen=True)
class Comparison:
    org_id: str
    scenarios: tuple[Compared, ...]
    table: FigureTable  # one row per scenario: horizon totals, all occupations
    by_occupation: FigureTable  # need per occupation group (rows) × scenario (columns)
    svg: str
    views: tuple[ProjectionView, ...]


def _saved(row: ScenarioRecord) -> SavedScenario:
    return SavedScenario(
        row.id,
        row.org_id,
        row.name,
        row.description,
        ProjectionRequest.from_params(json.loads(row.params_json)),
        row.created_by,
        row.created_at,
        row.updated_at,
        row.import_id,
    )


def list_scenarios(hb: Hallbar, principal: Principal, org_id: str) -> list[SavedScenario]:
    load(hb, principal, org_id, Resource.PROJ_SCENARIOS)
    return [_saved(r) for r in projections.scenarios(hb.store, org_id)]


def get_scenario(hb: Hallbar, principal: Principal, org_id: str, scenario_id: int) -> SavedScenario:
    load(hb, principal, org_id, Resource.PROJ_SCENARIOS)
    row = projections.scenario(hb.store, org_id, scenario_id)
    if row is None:
        raise NotFound(SCENARIO_NOT_FOUND)
    return _saved(row)


def save_scenario(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    name: str,
    description: str,
    request: ProjectionRequest,
) -> SavedScenario:
    """Save a new scenario, or replace the parameters of the one with the same name.

    It is tied to the organisation's active import, the snapshot the page showed.
    """
    record, _ = load_snapshot(hb, principal, org_id, Resource.PROJ_EDIT)
    name, description = name.strip(), description.strip()
    if not name:
        raise ScenarioInputError("Ge scenariot ett namn, t.ex. ”30 % andra lösningar”.")
    if len(name) > 120:
        raise ScenarioInputError("Scenariots namn får vara högst 120 tecken.")
    if len(description) > 4000:
        raise ScenarioInputError("Beskrivningen får vara högst 4 000 tecken.")
    stamp = now()
    try:
        saved_id = projections.save_scenario(
            hb.store,
            org_id,
            name,
            description=description,
            params_json=request.params_json(),
            by=principal.username,
            at=stamp,
            import_id=record.id,
        )
    except ScenarioExists as err:  # two saves of the same name at the same moment
        raise ScenarioInputError(f"Det finns redan ett scenario som heter {name}.") from err
    return get_scenario(hb, principal, org_id, saved_id)


def delete_scenario(hb: Hallbar, principal: Principal, org_id: str, scenario_id: int) -> None:
    load(hb, principal, org_id, Resource.PROJ_EDIT)
    if not projections.delete_scenario(hb.store, org_id, scenario_id):
        raise NotFound(SCENARIO_NOT_FOUND)


def saved_request(saved: SavedScenario) -> ProjectionRequest:
    """The saved request, named after the scenario (so comparisons can tell them apart)."""
    return replace(saved.request, scenario=replace(saved.request.scenario, name=saved.name))


BASE_NAME = "Grundscenario (utan åtgärder)"
BASE_DESCRIPTION = (
    "Sidans standardinställningar utan åtgärder, i samma urval, yrkesindelning och horisont "
    "som det första scenariot."
)
CURRENT_NAME = "Aktuella inställningar (ej sparade)"


def base_request(hb: Hallbar, like: ProjectionRequest) -> ProjectionRequest:
    """The base scenario beside ``like``: the default settings and no levers, in the same
    unit, occupation key and horizon, so that the two differ only in their assumptions."""
    default = default_request(hb.settings)
    return replace(
        default,
        occupation_key=like.occupation_key,
        unit_id=like.unit_id,
        scenario=replace(default.scenario, horizon=like.scenario.horizon, name=BASE_NAME),
    )


def _unique_names(entries: list[Compared]) -> list[Compared]:
    # Names are the comparison's column headers; a saved scenario may be called like the base.
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        seen[e.name] = seen.get(e.name, 0) + 1
        if seen[e.name] > 1:
            e = replace(e, name=f"{e.name} ({seen[e.name]})")
        out.append(e)
    return out


def compare(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    scenario_ids: list[int],
    *,
    with_base: bool = False,
    current: ProjectionRequest | None = None,
) -> Comparison:
    """Run 2–4 scenarios and put their totals side by side.

    Besides saved scenarios (``scenario_ids``) a comparison may hold the page's unsaved
    settings (``current``) and the base scenario (``with_base``), so nothing has to be
    saved before it is compared with the base.
    """
    ids = list(dict.fromkeys(scenario_ids))
    n = len(ids) + (current is not None) + with_base
    if not 2 <= n <= MAX_COMPARE:
        raise ScenarioInputError(f"Välj mellan 2 och {MAX_COMPARE} olika scenarier att jämföra.")
    entries = []
    if current is not None:
        load(hb, principal, org_id, Resource.PROJ_SCENARIOS)
        named = replace(current, scenario=replace(current.scenario, name=CURRENT_NAME))
        entries.append(Compared(CURRENT_NAME, "", named))
    for i in ids:
        saved = get_scenario(hb, principal, org_id, i)
        entries.append(Compared(saved.name, saved.description, saved_request(saved), saved))
    if with_base:
        base = base_request(hb, entries[0].request if entries else default_request(hb.settings))
        entries.append(Compared(BASE_NAME, BASE_DESCRIPTION, base))
    entries = _unique_names(entries)
    views = [
        projection_view(
            hb, principal, org_id, e.request, e.saved.import_id if e.saved is not None else None
        )
        for e in entries
    ]
    terms = (
        (descriptions.DEMAND_CHANGE, "projection_demand_change"),
        (descriptions.RETIREMENTS, "projection_retirements"),
        (descriptions.TURNOVER, "projection_turnover"),
        (descriptions.NEED, "projection_need"),
        (descriptions.NEED_FTE, "projection_need_fte"),
        (descriptions.COST_INCREASE, "projection_cost_increase"),
    )
    rows = []
    for e, v in zip(entries, views, strict=True):
        total = v.occupations.frame.filter(pl.col(OCC) == ALL_LABEL).row(0, named=True)
        rows.append(
            {
                SCENARIO_COL: e.name,
                "Period": f"{v.base_year + 1}–{v.last_year}",
                STAFF_START.id: total[STAFF_START.id],
                **{col: total[col] for _, col in terms},
            }
        )
    table = FigureTable(
        "projection_comparison",
        "Jämförelse av scenarier",
        pl.DataFrame(rows),
        (STAFF_START, *(d for d, _ in terms)),
        ("Summor för respektive scenarios hela period, alla yrken i urvalet.",),
    )
    by_occ = _need_by_occupation(entries, views)
    svg = svgcharts.grouped_bars(
        "compare",
        [ALL_LABEL, *[g for g in by_occ.frame[OCC].to_list() if g != ALL_LABEL][:12]],
        [(s.name, _need_series(by_occ, s.name)) for s in entries],
        title="Rekryteringsbehov per scenario",
        desc="Rekryteringsbehovet under perioden för alla yrken och de största yrkena, en stapel "
        "per scenario. Siffrorna finns i tabellen.",
    )
    return Comparison(org_id, tuple(entries), table, by_occ, svg, tuple(views))


def _need_by_occupation(saved: list[Compared], views: list[ProjectionView]) -> FigureTable:
    frames = []
    for s, v in zip(saved, views, strict=True):
        f = v.occupations.frame
        need = pl.when(pl.col(SUPPRESSED_COL)).then(None).otherwise(pl.col(descriptions.NEED.id))
        frames.append(f.select(OCC, need.alias(s.name)))
    out = frames[0]
    for f in frames[1:]:
        out = out.join(f, on=OCC, how="full", coalesce=True)
    total = out.filter(pl.col(OCC) == ALL_LABEL)
    rest = out.filter(pl.col(OCC) != ALL_LABEL).sort(
        pl.col(OCC).str.starts_with("Övriga yrken"),
        pl.col(saved[0].name),
        descending=[False, True],
        nulls_last=True,
    )
    return FigureTable(
        "projection_comparison_occupations",
        "Rekryteringsbehov per yrke och scenario",
        pl.concat([total, rest]),
        (),
        ("Rekryteringsbehov (personer) under perioden. – = visas inte (liten grupp).",),
    )


def _need_series(table: FigureTable, name: str) -> list[float | None]:
    frame = table.frame
    order = [ALL_LABEL, *[g for g in frame[OCC].to_list() if g != ALL_LABEL][:12]]
    lookup = dict(zip(frame[OCC].to_list(), frame[name].to_list(), strict=True))
    return [lookup.get(g) for g in order]


def comparison_json(c: Comparison) -> dict[str, Any]:
    return {
        "organisation": c.org_id,
        "scenarier": [s.to_json() for s in c.scenarios],
        "summa": table_to_json(c.table),
        "per_yrke": table_to_json(c.by_occupation),
    }
