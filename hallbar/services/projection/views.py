"""Workforce projection for the web pages: run, suppress small groups, chart.

Every function takes the principal and checks the projection's access rules
(``hallbar.services.projection.access``) and the user's unit scope before it
touches data. The figures leave this module already protected: the start-year
counts are answers of the disclosure models built once per snapshot for the whole
organisation (``protection``: the key figures' model for the scope's staff and its
age × gender cells, a breakdown model over the unit tree for its occupations);
occupations that model does not show are pooled into one "Övriga yrken" row, and
projected values are shown only where their start group is. Pages, JSON twins and
exports show the same safe numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.describe import FigureTable
from hallbar.core.errors import InsufficientData
from hallbar.core.population import MONTHLY_PAID, PopulationCount
from hallbar.privacy.suppression import SUPPRESSED_COL
from hallbar.projection import ProjectionResult, descriptions, project
from hallbar.projection.errors import ProjectionInputError
from hallbar.reports import svgcharts
from hallbar.reports.json_export import table_to_json
from hallbar.services.projection.access import may_edit
from hallbar.services.projection.figures import (
    ALL_LABEL,
    OCC,
    STAFF_START,
    SURPLUS,
    WATERFALL_STEP,
    YEAR,
)
from hallbar.services.projection.inputs import (
    HbCache,
    OrgInputs,
    PopulationInfo,
    ProjectionStock,
    org_inputs,
    population_frame,
    population_info,
    stock_for,
)
from hallbar.services.projection.params import ProjectionRequest
from hallbar.services.projection.protection import StartCells, start_cells
from hallbar.services.projection.tables import (
    Pyramid,
    group_map,
    occupation_table,
    pyramid_for,
    waterfall_by_group_table,
    waterfall_table,
    yearly_table,
)
from hallbar.services.scope import open_scope
from hallbar.services.twin import ScopedCount

# The projection's starting stock: monthly-paid staff on the snapshot date, a person once
# in the main employment's unit and occupation as the key figures count it
# (``inputs.stock_at``).
STOCK_POPULATION = MONTHLY_PAID

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

_CACHE_SIZE = 16
_results: HbCache[ProjectionResult] = HbCache(_CACHE_SIZE)
_views: HbCache[ProjectionView] = HbCache(_CACHE_SIZE)
_HISTORY_NOTICE = re.compile(r"^Yrket (.+?) har för lite historik")
_OCCUPATION_NOTICE = re.compile(r"^Yrket (.+?) saknar ")


@dataclass(frozen=True)
class ProjectionView:
    org_id: str
    org_name: str
    as_of: date
    base_year: int
    last_year: int
    scope_label: str
    request: ProjectionRequest
    occupations: FigureTable  # one row per occupation group + all occupations (suppressed)
    yearly: FigureTable  # all occupations, one row per year
    waterfall: FigureTable  # the lever steps, summed over the horizon
    pyramids: tuple[Pyramid, ...]
    key_figures: dict[str, float]
    notices: tuple[str, ...]
    charts: dict[str, str]
    min_group_size: int
    occupation_choices: tuple[tuple[str, str], ...]
    unit_choices: tuple[tuple[str, str], ...]
    population: PopulationInfo | None
    may_edit: bool
    hidden_groups: frozenset[str]
    show_surplus: bool = True  # any surplus adjustment in the result
    show_supply: bool = True  # graduates per year were given
    counts: tuple[ScopedCount, ...] = ()  # whom the stock counts (STOCK_POPULATION on as_of)
    waterfall_by_occupation: FigureTable | None = None  # the lever steps per occupation group


@dataclass(frozen=True)
class UncertaintyView:
    org_id: str
    request: ProjectionRequest
    total: FigureTable  # all occupations per year: P10, P50, P90
    first_year: FigureTable  # per occupation group (shown ones only), the first year
    svg: str
    runs: int
    seed: int


# --- running ------------------------------------------------------------------


def _prepare(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: ProjectionRequest,
    import_id: int | None = None,
) -> tuple[OrgInputs, ProjectionStock, StartCells]:
    opened = open_scope(
        hb,
        principal,
        org_id,
        Resource.PROJ_RESULTS,
        request.unit_id,
        one_subtree=False,
        import_id=import_id,
    )
    inputs = org_inputs(hb, opened.full, org_id, request.occupation_key, import_id=opened.import_id)
    scope = stock_for(opened, inputs)
    if scope.stock.height < hb.settings.min_group_size:
        raise InsufficientData(
            f"Urvalet {scope.label} har färre än {hb.settings.min_group_size} månadsavlönade "
            "anställda, så ingen framskrivning visas. Välj en större enhet."
        )
    cells = start_cells(hb, opened, inputs, request.occupation_key)
    _check_lever_occupations(request, cells)
    return inputs, scope, cells


def _check_lever_occupations(request: ProjectionRequest, cells: StartCells) -> None:
    """A lever may name only an occupation shown on its own in the scope: the engine's
    error for an occupation without staff would otherwise tell a hidden occupation
    (with staff) from an absent one. One message for both."""
    levers = request.scenario.levers
    named = [
        *((t.from_occupation, t.to_occupation) for t in levers.task_shifts),
        *((o,) for o, _ in levers.graduates_per_year),
    ]
    shown = {o for o, n in cells.occupation_counts().items() if n}
    missing = sorted({o for group in named for o in group} - shown)
    if missing:
        raise ProjectionInputError(
            f"Åtgärden nämner yrket {missing[0]}, som inte visas för urvalet (inga anställda, "
            "eller en liten grupp). Välj ett yrke i listan."
        )


def _result_key(
    hb: Hallbar,
    org_id: str,
    inputs: OrgInputs,
    scope: ProjectionStock,
    request: ProjectionRequest,
    mc: bool,
) -> tuple[object, ...]:
    # A population-driven demand also depends on which forecast is uploaded.
    uploaded = None
    if request.scenario.demand_mode == "population":
        info = population_info(hb, org_id)
        uploaded = info.uploaded_at if info is not None else None
    return (
        org_id,
        inputs.import_id,
        uploaded,
        request.occupation_key,
        hash(tuple(scope.stock["unit_id"].unique().sort().to_list())),
        scope.stock.height,
        request.params_json(),
        mc,
    )


def _run(
    hb: Hallbar,
    org_id: str,
    inputs: OrgInputs,
    scope: ProjectionStock,
    request: ProjectionRequest,
    mc: bool,
) -> ProjectionResult:
    key = _result_key(hb, org_id, inputs, scope, request, mc)
    hit = _results.get(hb, key)
    if hit is not None:
        return hit
    population = (
        population_frame(hb, org_id) if request.scenario.demand_mode == "population" else None
    )
    result = project(
        scope.stock,
        inputs.rates,
        request.scenario,
        population,
        base_year=inputs.as_of.year,
        region=org_id,
        uncertainty=mc,
    )
    _results.put(hb, key, result)
    return result


def _condense_notices(notices: tuple[str, ...], shown: frozenset[str]) -> tuple[str, ...]:
    """The history notices as one count; a notice about one occupation of the scope
    ("Yrket … saknar månadslön") only for an occupation shown on its own, since naming a
    hidden one would say it has staff in the scope (docs/privacy.md, "The projection")."""
    thin = [m.group(1) for n in notices if (m := _HISTORY_NOTICE.match(n))]
    rest = tuple(
        n
        for n in notices
        if not _HISTORY_NOTICE.match(n)
        and not ((m := _OCCUPATION_NOTICE.match(n)) and m.group(1) not in shown)
    )
    if thin:
        rest += (
            f"{len(thin)} yrken har för lite historik i vissa åldersband (under 20 personår); där "
            "används organisationens personalomsättning för åldersbandet.",
        )
    return rest


def projection_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: ProjectionRequest,
    import_id: int | None = None,
) -> ProjectionView:
    """Run the projection in the user's scope and return protected tables and svgcharts.

    ``import_id``: a saved scenario's own snapshot; None for the active import.
    """
    inputs, scope, cells = _prepare(hb, principal, org_id, request, import_id)
    # The protected tables and pyramids cost more than the projection itself: the view
    # is cached too, per scope and parameters (the same key as the result).
    key = (*_result_key(hb, org_id, inputs, scope, request, mc=False), hb.settings.min_group_size)
    view = _views.get_or_compute(
        hb, key, lambda: _build_view(hb, org_id, inputs, scope, request, cells)
    )
    # What the user may do and which forecast is stored are read fresh on every request.
    return replace(view, may_edit=may_edit(principal), population=population_info(hb, org_id))


def _build_view(
    hb: Hallbar,
    org_id: str,
    inputs: OrgInputs,
    scope: ProjectionStock,
    request: ProjectionRequest,
    cells: StartCells,
) -> ProjectionView:
    result = _run(hb, org_id, inputs, scope, request, mc=False)
    min_n = hb.settings.min_group_size
    counts = cells.occupation_counts()
    groups = group_map(scope.stock, inputs.labels, counts)
    # Occupations shown on their own (staff at least one): the only ones the page names.
    shown_codes = frozenset(o for o, n in counts.items() if n)
    occ = occupation_table(result, scope.stock, groups, min_n)
    hidden = frozenset(
        g
        for g, flag in zip(
            occ.frame[OCC].to_list(), occ.frame[SUPPRESSED_COL].to_list(), strict=True
        )
        if flag
    )
    yearly = yearly_table(result)
    water = waterfall_table(result)
    water_by_group = waterfall_by_group_table(result, groups, hidden)
    total = occ.frame.filter(pl.col(OCC) == ALL_LABEL).row(0, named=True)
    last = result.base_year + result.scenario.horizon
    # One pyramid, for all occupations: occupation × age × gender is a cell of no model,
    # so no occupation group has a pyramid of its own (docs/privacy.md).
    pyramids = [pyramid_for(result, cells, ALL_LABEL.lower(), "alla")]
    y = yearly.frame
    svg = {
        "need_by_year": svgcharts.stacked_bars(
            "need-year",
            y[YEAR].to_list(),
            [
                ("Förändrat behov", y[descriptions.DEMAND_CHANGE.id].to_list()),
                ("Pensionsavgångar", y[descriptions.RETIREMENTS.id].to_list()),
                ("Personalomsättning", y[descriptions.TURNOVER.id].to_list()),
            ]
            + (
                [("Justering för överskott", y[SURPLUS.id].to_list())]
                if bool(y[SURPLUS.id].abs().max() or 0.0)
                else []
            ),
            title=f"Rekryteringsbehov per år och orsak {result.base_year + 1}–{last}",
            desc="Staplade staplar per år: förändrat behov, pensionsavgångar och "
            "personalomsättning (och justering när behovet minskar). Siffrorna finns i tabellen.",
        ),
        "waterfall": svgcharts.horizontal_bars(
            "waterfall",
            list(
                zip(
                    water.frame[WATERFALL_STEP].to_list(),
                    water.frame["Förändring av rekryteringsbehovet"].to_list(),
                    strict=True,
                )
            ),
            title="Rekryteringsbehov utan åtgärder och varje åtgärds effekt",
            desc="Första stapeln är behovet utan åtgärder; följande staplar visar hur mycket "
            "varje åtgärd ändrar behovet. Siffrorna finns i tabellen.",
            floating=True,
        ),
    }
    stock_count = PopulationCount(STOCK_POPULATION, inputs.as_of, scope.stock.height)
    return ProjectionView(
        counts=(ScopedCount(stock_count, scope.unit_id),),
        org_id=org_id,
        org_name=inputs.org_name,
        as_of=inputs.as_of,
        base_year=result.base_year,
        last_year=last,
        scope_label=scope.label,
        request=request,
        occupations=occ,
        yearly=yearly,
        waterfall=water,
        pyramids=tuple(pyramids),
        key_figures={
            k: float(total[k] or 0.0)
            for k in (
                STAFF_START.id,
                descriptions.NEED.id,
                descriptions.RETIREMENTS.id,
                descriptions.TURNOVER.id,
                descriptions.DEMAND_CHANGE.id,
                descriptions.COST_INCREASE.id,
                descriptions.NEED_FTE.id,
            )
        },
        notices=_condense_notices(result.notices, shown_codes),
        charts=svg,
        min_group_size=min_n,
        occupation_choices=tuple(
            sorted(((o, inputs.labels.get(o, o)) for o in shown_codes), key=lambda p: p[1])
        ),
        unit_choices=scope.units,
        population=population_info(hb, org_id),
        may_edit=False,  # set per request by projection_view
        hidden_groups=hidden,
        show_surplus=bool(yearly.frame[SURPLUS.id].abs().max() or 0.0),
        show_supply=bool(request.scenario.levers.graduates_per_year),
        waterfall_by_occupation=water_by_group,
    )


def uncertainty_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: ProjectionRequest,
    import_id: int | None = None,
) -> UncertaintyView:
    """P10/P50/P90 of the recruitment need from ``scenario.runs`` seeded random runs."""
    inputs, scope, cells = _prepare(hb, principal, org_id, request, import_id)
    result = _run(hb, org_id, inputs, scope, request, mc=True)
    assert result.uncertainty is not None
    min_n = hb.settings.min_group_size
    bands = result.uncertainty
    cols = {"need_p10": "P10", "need_p50": "P50 (median)", "need_p90": "P90"}
    total = (
        bands.filter(pl.col("occupation") == "Alla yrken")
        .sort("year")
        .select(
            pl.col("year").cast(pl.String).alias(YEAR),
            *(pl.col(c).alias(n) for c, n in cols.items()),
        )
    )
    shown = cells.occupation_counts()
    groups = {o: inputs.labels.get(o, o) for o, n in shown.items() if n is not None}
    own = list(groups)
    first = (
        bands.filter((pl.col("year") == result.base_year + 1) & pl.col("occupation").is_in(own))
        .with_columns(pl.col("occupation").replace_strict(groups, default=None).alias(OCC))
        .sort("need_p50", descending=True)
        .select(OCC, *(pl.col(c).alias(n) for c, n in cols.items()))
    )
    desc = replace(descriptions.PERCENTILES, min_group_size=min_n)
    svg = svgcharts.band_chart(
        "band",
        total[YEAR].to_list(),
        total["P10"].to_list(),
        total["P50 (median)"].to_list(),
        total["P90"].to_list(),
        title="Osäkerhet i rekryteringsbehovet per år (alla yrken)",
        desc="Skuggat område: 10:e till 90:e percentilen över slumpkörningarna; linje: medianen. "
        "Siffrorna finns i tabellen.",
    )
    return UncertaintyView(
        org_id,
        request,
        FigureTable("projection_uncertainty", "Osäkerhet per år, alla yrken", total, (desc,)),
        FigureTable(
            "projection_uncertainty_first",
            f"Osäkerhet {result.base_year + 1} per yrke",
            first,
            (desc,),
            (
                "Visas för yrken vars antal anställda visas i tabellen per yrke "
                f"(minst {min_n}, och inte dolt för att skydda en annan grupp).",
            ),
        ),
        svg,
        request.scenario.runs,
        request.scenario.seed,
    )


# --- JSON ------------------------------------------------------------------------


def view_json(view: ProjectionView) -> dict[str, Any]:
    return {
        "populationer": [c.as_json() for c in view.counts],
        "organisation": view.org_id,
        "urval": view.scope_label,
        "startar": view.base_year,
        "slutar": view.last_year,
        "parametrar": view.request.to_params(),
        "meddelanden": list(view.notices),
        "nyckeltal": dict(view.key_figures),
        "per_yrke": table_to_json(view.occupations),
        "per_ar": table_to_json(view.yearly),
        "atgarder": table_to_json(view.waterfall),
        "atgarder_per_yrke": (
            table_to_json(view.waterfall_by_occupation)
            if view.waterfall_by_occupation is not None
            else None
        ),
        "aldersstruktur": [table_to_json(p.table) for p in view.pyramids],
        "minsta_gruppstorlek": view.min_group_size,
    }


def uncertainty_json(view: UncertaintyView) -> dict[str, Any]:
    return {
        "organisation": view.org_id,
        "korningar": view.runs,
        "slumpfro": view.seed,
        "per_ar": table_to_json(view.total),
        "forsta_aret_per_yrke": table_to_json(view.first_year),
    }
