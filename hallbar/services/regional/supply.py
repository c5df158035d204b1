"""Regional competence supply: consenting members' workforce projections added up per
occupation (stock, retirements, turnover, recruitment need), for the association's
dialogue on education supply and dimensioning (seed 002).

Each member's projection runs on its own data with its own assumptions: its most
recently saved scenario, or the default scenario when it has saved none. The sum
says which members it holds and which scenario each used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from hallbar.core.access import SYSTEM, Principal, Resource
from hallbar.core.errors import HallbarError, NotFound
from hallbar.core.population import PopulationCount
from hallbar.privacy.suppression import SuppressionRule
from hallbar.projection import ProjectionResult, project
from hallbar.projection.scenario import Scenario
from hallbar.regional.consent import DatasetKind, RecipientKind, valid_members
from hallbar.regional.supply import add_up
from hallbar.services import audit
from hallbar.services.audit import Action
from hallbar.services.context import Hallbar
from hallbar.services.projection.inputs import OrgInputs, org_inputs, population_frame, stock_for
from hallbar.services.projection.params import ProjectionRequest
from hallbar.services.projection.protection import StartCells, start_cells
from hallbar.services.projection.scenarios import list_scenarios, saved_request
from hallbar.services.projection.views import STOCK_POPULATION
from hallbar.services.regional.scope import NetworkScope, member_data, open_network
from hallbar.services.scope import open_scope
from hallbar.services.twin import ScopedCount
from hallbar.store import regional


@dataclass(frozen=True)
class SupplyView:
    scope: NetworkScope
    frame: pl.DataFrame  # occupation, label, year, stock, retirements, turnover, need, members
    members: tuple[str, ...]
    scenarios: dict[str, str]  # member code -> the scenario its projection used
    left_out: tuple[tuple[str, str, str], ...]  # (member name, occupation, reason)
    min_n: int
    counts: tuple[ScopedCount, ...] = ()  # each summed member's stock population


def _member_projection(
    hb: Hallbar, code: str, request: ProjectionRequest
) -> tuple[OrgInputs, ProjectionResult, StartCells]:
    """The member's whole-organisation projection, unprotected, and its start cells as
    the member's own disclosure models decide them: it is protected in the sum.

    Built the way ``services.projection.views`` runs one (the one scope opener, the
    organisation's inputs, its stock, the forecast when demand follows population),
    with the system principal: consent, not the viewer's role, admits the member.
    """
    opened = open_scope(hb, SYSTEM, code, Resource.PROJ_RESULTS, one_subtree=False)
    inputs = org_inputs(hb, opened.full, code, request.occupation_key)
    stock = stock_for(opened, inputs).stock
    population = (
        population_frame(hb, code) if request.scenario.demand_mode == "population" else None
    )
    result = project(
        stock,
        inputs.rates,
        request.scenario,
        population,
        base_year=inputs.as_of.year,
        region=code,
    )
    return inputs, result, start_cells(hb, opened, inputs, request.occupation_key)


HIDDEN_GROUP_SV = "yrken som döljs"
HIDDEN_REASON_SV = (
    "Utelämnade: yrken som medlemmens egen framskrivning inte visar var för sig (färre än "
    "{min_n} anställda vid start, eller dolda så att en mindre grupp inte kan räknas fram). "
    "Vilka och hur många sägs inte: det skulle avslöja att de har anställda."
)


def _hidden_occupations(code: str, cells: StartCells) -> dict[tuple[str, str], str]:
    """(member, occupation) -> why it stays out of the sum: the member's own projection
    hides the occupation's staff at the start (the same decision as on its own page).
    Every occupation of the organisation has staff, so the list is not shown as such
    (``regional_supply`` says one line per member)."""
    reason = HIDDEN_REASON_SV.format(min_n=cells.occupations.min_n)
    return {(code, o): reason for o, n in cells.occupation_counts().items() if n is None}


def _member_rows(hb: Hallbar, code: str) -> tuple[pl.DataFrame, str, dict[str, str], StartCells]:
    saved = sorted(list_scenarios(hb, SYSTEM, code), key=lambda s: s.updated_at)
    request = saved_request(saved[-1]) if saved else ProjectionRequest(scenario=Scenario())
    inputs, result, cells = _member_projection(hb, code, request)
    yearly = (
        result.yearly.group_by("occupation", "year")
        .agg(
            pl.col("staff_start").sum().alias("stock"),
            pl.col("retirements").sum(),
            pl.col("turnover").sum(),
            pl.col("need").sum(),
        )
        .with_columns(pl.lit(code).alias("code"))
    )
    return yearly, request.scenario.name, inputs.labels, cells


def regional_supply(
    hb: Hallbar,
    principal: Principal,
    network_id: str,
    *,
    occupations: tuple[str, ...] | None = None,
    on: date | None = None,
    client: str = "",
) -> SupplyView:
    scope = open_network(hb, principal, network_id)
    day = on or date.today()
    consenting = valid_members(
        regional.grants(hb.store, recipient=network_id),
        recipient_kind=RecipientKind.NETWORK,
        recipient=network_id,
        dataset=DatasetKind.PROJECTION,
        on=day,
    ) & set(scope.network.members)
    frames: list[pl.DataFrame] = []
    scenarios: dict[str, str] = {}
    labels: dict[str, str] = {}
    hidden: dict[tuple[str, str], str] = {}
    staff: dict[str, int | None] = {}
    for code in sorted(consenting):
        try:
            rows, scenario, member_labels, cells = _member_rows(hb, code)
        except (NotFound, HallbarError):
            continue  # no data, or too few staff for a projection: not in the sum
        frames.append(rows)
        scenarios[code] = scenario
        hidden |= _hidden_occupations(code, cells)
        staff[code] = cells.staff
        for occ, label in member_labels.items():
            labels.setdefault(occ, label)
    rule = SuppressionRule(hb.settings.min_group_size)
    empty = pl.DataFrame(
        schema={"code": pl.String, "occupation": pl.String, "year": pl.Int64, "stock": pl.Float64,
                "retirements": pl.Float64, "turnover": pl.Float64, "need": pl.Float64}
    )  # fmt: skip
    rows = (
        pl.concat([f.select(empty.columns).cast(empty.schema) for f in frames]) if frames else empty
    )
    summed = add_up(rows, consenting=frozenset(scenarios), hidden=hidden, occupations=occupations)
    names = {m.code: m.name for m in scope.members}
    frame = summed.frame.with_columns(
        pl.col("occupation").replace_strict(labels, default=pl.col("occupation")).alias("label")
    )
    audit.record(
        hb, principal.username, Action.REGIONAL_VIEW, target=network_id,
        detail=f"kompetensförsörjning: {', '.join(summed.members) or 'inga medlemmar'}",
        client=client,
    )  # fmt: skip
    return SupplyView(
        scope,
        frame,
        summed.members,
        scenarios,
        tuple(
            sorted(
                {
                    (names.get(c, c), HIDDEN_GROUP_SV, r)
                    if (c, o) in hidden
                    else (names.get(c, c), labels.get(o, o), r)
                    for c, o, r in summed.left_out
                }
            )
        ),
        rule.min_n,
        tuple(_stock_count(hb, code, staff[code]) for code in summed.members),
    )


def _stock_count(hb: Hallbar, code: str, staff: int | None) -> ScopedCount:
    """Whom a member's stock counts: the projection's stock population on its snapshot,
    its number as the member's key figures show it (hidden where they hide it)."""
    data = member_data(hb, code)
    count = PopulationCount(STOCK_POPULATION, data.as_of, staff or 0)
    return ScopedCount(count, hidden=staff is None, filter=f"organisation={code}")


def supply_json(view: SupplyView) -> dict[str, Any]:
    return {
        "natverk": view.scope.network.id,
        "medlemmar_i_summan": list(view.members),
        "scenarier": view.scenarios,
        "rader": [
            {
                "yrke": r["occupation"],
                "benamning": r["label"],
                "ar": r["year"],
                "personal": r["stock"],
                "pensionsavgangar": r["retirements"],
                "personalomsattning": r["turnover"],
                "rekryteringsbehov": r["need"],
                "medlemmar": r["members"],
            }
            for r in view.frame.iter_rows(named=True)
        ],
        "utelamnade": [{"medlem": m, "yrke": o, "skal": r} for m, o, r in view.left_out],
    }
