"""The four priority areas of the county board's programme (seed 000) for a network:
per area, its key figures (``hallbar.indicators.priority.AREAS``, the one home of which
figure belongs where) that can be compared across members, each with the network's
means and the own organisation's value and rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hallbar.core.access import Principal
from hallbar.indicators.priority import AREAS
from hallbar.services.context import Hallbar
from hallbar.services.regional.figures import REGIONAL_FIGURES, RegionalFigure, regional_figure
from hallbar.services.regional.scope import NetworkScope, open_network


@dataclass(frozen=True)
class AreaView:
    key: str
    title_sv: str
    figures: tuple[RegionalFigure, ...]
    note_sv: str  # when no figure of the area can be compared across members


@dataclass(frozen=True)
class PriorityView:
    scope: NetworkScope
    year: int | None
    areas: tuple[AreaView, ...]


def priority_overview(
    hb: Hallbar,
    principal: Principal,
    network_id: str,
    *,
    year: int | None = None,
    on: date | None = None,
    client: str = "",
) -> PriorityView:
    scope = open_network(hb, principal, network_id)
    areas = []
    chosen: int | None = year
    for key, title, figure_ids in AREAS:
        comparable = [f for f in figure_ids if f in REGIONAL_FIGURES]
        figures = tuple(
            regional_figure(hb, principal, network_id, f, year=chosen, on=on, client=client)
            for f in comparable
        )
        if figures and chosen is None:
            chosen = figures[0].year
        note = (
            ""
            if figures
            else "Området har inget nyckeltal som jämförs mellan medlemmarna ännu; "
            "lönekartläggningar delas som egna sammanställningar med samtycke."
        )
        areas.append(AreaView(key, title, figures, note))
    return PriorityView(scope, chosen, tuple(areas))


def priority_json(view: PriorityView) -> dict[str, Any]:
    return {
        "natverk": view.scope.network.id,
        "ar": view.year,
        "omraden": [
            {
                "id": a.key,
                "namn": a.title_sv,
                "kommentar": a.note_sv or None,
                "nyckeltal": [
                    {
                        "id": f.description.id,
                        "namn": f.description.name_sv,
                        "enhet": f.description.unit,
                        "ovagt_medel": f.view.unweighted_mean,
                        "vagt_medel": f.view.weighted_mean,
                        "antal_medlemmar": len(f.view.included),
                        "egen": next(
                            ({"varde": r.value, "rang": r.rank} for r in f.view.rows if r.own),
                            None,
                        ),
                    }
                    for f in a.figures
                ],
            }
            for a in view.areas
        ],
    }
