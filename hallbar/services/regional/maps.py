"""One figure across a network's members on a map of all Sweden.

Two levels, both drawn whole from the boundary package (``hallbar.ingest.boundaries``,
no tiles, nothing fetched): Sweden's 290 municipalities (members with a four-digit
municipality code) and its 21 regions (members with a two-digit county code, e.g.
12 Region Skåne). The values are exactly those of the figure page
(``services.regional.figures.regional_figure``): members in the means are coloured by
class, members left out (no consent, no data, a small group) are hatched, and
everyone else is light grey. A click leads to a member's own key figures where its
consent admits the viewer, else to its row in the network's table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlencode

from hallbar.core.access import Principal
from hallbar.core.errors import HallbarError
from hallbar.ingest.boundaries import county_areas, municipality_areas
from hallbar.regional.errors import RegionalInputError
from hallbar.regional.geo import Area, choropleth
from hallbar.reports.svgcharts import fmt_number
from hallbar.services.context import Hallbar
from hallbar.services.regional.figures import (
    DEFAULT_FIGURE,
    RegionalFigure,
    member_links,
    regional_figure,
    regional_figure_json,
)


class Level(StrEnum):
    MUNICIPALITIES = "kommuner"
    REGIONS = "regioner"


LEVEL_LABELS_SV = {
    Level.MUNICIPALITIES: "Sveriges 290 kommuner",
    Level.REGIONS: "Sveriges 21 regioner",
}
_CODE_LENGTH = {Level.MUNICIPALITIES: 4, Level.REGIONS: 2}


def parse_level(value: str | None) -> Level:
    try:
        return Level(value or Level.MUNICIPALITIES.value)
    except ValueError:
        raise RegionalInputError(
            f"Okänd kartnivå '{value}'. Välj 'kommuner' eller 'regioner'."
        ) from None


@dataclass(frozen=True)
class NationalMap:
    figure: RegionalFigure
    level: Level
    svg: str  # the map with its legend, or "" with ``message`` saying why
    message: str
    areas: int  # municipalities or regions drawn
    members_on_map: tuple[str, ...]  # the network's members at this level
    links: dict[str, str]  # member code -> where a click leads

    def query(self, level: Level | None = None) -> str:
        """The query string of the same figure, year and occupation: on the map at
        ``level``, or (None) on the network's figure page."""
        query = {"nyckeltal": self.figure.description.id, "ar": str(self.figure.year)}
        if self.figure.occupation:
            query["yrke"] = self.figure.occupation
        return urlencode(query | ({"niva": level.value} if level else {}))


def _areas(level: Level) -> tuple[Area, ...]:
    return municipality_areas("") if level is Level.MUNICIPALITIES else county_areas()


def national_map(
    hb: Hallbar,
    principal: Principal,
    network_id: str,
    figure_id: str = DEFAULT_FIGURE,
    *,
    level: Level = Level.MUNICIPALITIES,
    year: int | None = None,
    occupation: str | None = None,
    on: date | None = None,
    client: str = "",
) -> NationalMap:
    figure = regional_figure(
        hb, principal, network_id, figure_id, year=year, occupation=occupation, on=on,
        client=client,
    )  # fmt: skip
    view, scope = figure.view, figure.scope
    length = _CODE_LENGTH[level]
    on_map = tuple(c for c in scope.network.members if len(c) == length and c.isdigit())
    row_page = f"/regional/{quote(network_id)}?" + urlencode(
        {"nyckeltal": figure_id, "ar": figure.year} | ({"yrke": occupation} if occupation else {})
    )
    links = member_links(principal, view, row_page=row_page)
    title = f"Karta, {LEVEL_LABELS_SV[level].lower()}: {figure.description.name_sv} {figure.year}"
    if not on_map:
        kind = "kommuner" if level is Level.MUNICIPALITIES else "regioner"
        return NationalMap(
            figure, level, "", f"Nätverket har inga {kind} att visa på kartan.", 0, (), links
        )
    try:
        areas = _areas(level)
    except HallbarError as err:
        return NationalMap(figure, level, "", err.message, 0, on_map, links)
    values = {r.code: r.value for r in view.rows if r.included and r.value is not None}
    svg = choropleth(
        areas,
        values,
        members=frozenset(on_map),
        own_code=scope.own_code,
        title=title,
        unit=figure.description.unit,
        links={c: h for c, h in links.items() if c in on_map},
        width=400,
        fmt=lambda v: fmt_number(v, 1),
    )
    return NationalMap(figure, level, svg, "", len(areas), on_map, links)


def national_map_json(result: NationalMap) -> dict[str, Any]:
    """The twin: the figure's numbers, and which members are on the map and where they link."""
    return regional_figure_json(result.figure) | {
        "karta": {
            "niva": result.level.value,
            "omraden": result.areas,
            "medlemmar_pa_kartan": list(result.members_on_map),
            "lankar": dict(sorted(result.links.items())),
            "meddelande": result.message or None,
        }
    }
