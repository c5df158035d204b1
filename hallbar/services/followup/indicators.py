"""Indicator values: registered key figures computed live, manual ones from the follow-ups.

A live value goes through the key-figure pages' own machinery
(``figures.request.open_selection`` → ``pack_for`` → ``figures.overview.figure_card``):
the same scope opener, population, small-group protection and Swedish reasons.
When the figure cannot be computed for the node's scope (a group too small, no
data for the year, a unit the user may not see) the reason is shown instead of a
value. Each live value names whom it counts (``figures.overview.counted``: the
key-figure population in the unit subtree on 1 November), so the page says
"Räknas: …" under it and the JSON twin lists it under ``populationer``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from hallbar.core.access import Principal, Resource
from hallbar.core.describe import FigureTable
from hallbar.core.errors import HallbarError, NotFound
from hallbar.followup.indicators import MANUAL, Direction, IndicatorSpec, IndicatorValue
from hallbar.followup.periods import Period, current_entries
from hallbar.indicators import registry
from hallbar.services.audit import Action, record
from hallbar.services.figures.overview import (
    KEY_FIGURE_POPULATION,
    OTHER_POPULATIONS,
    counted,
    figure_card,
)
from hallbar.services.figures.request import open_selection, pack_for, parse_request
from hallbar.services.figures.tables import spec
from hallbar.services.followup.plans import FollowupInputError, PlanData, open_plan
from hallbar.services.regional.kolada import organisation_value
from hallbar.services.twin import ScopedCount
from hallbar.store import followup

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

HIDDEN_SV = "Visas inte: gruppen är för liten för att redovisas (skydd av små grupper)."
NO_SINGLE_SV = "Nyckeltalet har inget enskilt värde för urvalet."


@dataclass(frozen=True)
class OneGroup:
    """A figure with its own breakdown per occupation, followed up for one occupation:
    the value is one column of the protected table's row for the occupation chosen with
    ``yrkeskod`` in the indicator's filter (the key-figure pages' own filter)."""

    column: str  # the column of ``figure_card(...).table``
    name_sv: str
    unit: str


ONE_GROUP: dict[str, OneGroup] = {
    "pay_percentiles": OneGroup("P90/P10", "Lönespridning P90/P10 för ett yrke", "kvot"),
    "agency_staff": OneGroup("inhyrd_kostnad", "Kostnad för inhyrd personal för ett yrke", "kr"),
}
ONE_GROUP_FILTER_SV = (
    "Nyckeltalet följs upp för ett yrke: skriv yrket i urvalet, t.ex. yrkeskod=2221."
)
TOTAL_LABEL = "Totalt"


def linkable_figures() -> list[tuple[str, str, str]]:
    """(id, Swedish name, unit) of every key figure with one number to follow up."""
    out = []
    for f in registry.all():
        s = spec(f.id)
        if f.id in ONE_GROUP:
            g = ONE_GROUP[f.id]
            out.append((f.id, g.name_sv, g.unit))
            continue
        if f.individual or s.headline is None or s.intrinsic is not None:
            continue
        out.append((f.id, f.description.name_sv, f.description.unit))
    return out


def _one_group_value(
    indicator: IndicatorSpec, table: FigureTable | None, year: int
) -> IndicatorValue:
    """The occupation's value from the protected table (its total row when there is one)."""
    group = ONE_GROUP[indicator.figure_id]
    if table is None or group.column not in table.frame.columns:
        return IndicatorValue(indicator, None, NO_SINGLE_SV, year)
    frame = table.frame
    label = frame.columns[0]
    total = frame.filter(frame[label] == TOTAL_LABEL)
    rows = total if total.height else frame
    if rows.height != 1:
        return IndicatorValue(indicator, None, NO_SINGLE_SV, year)
    row = rows.row(0, named=True)
    # The value itself: an occupation row may hide its sums (services.disclosure) and
    # still show its ratio.
    if row[group.column] is None:
        return IndicatorValue(indicator, None, HIDDEN_SV, year)
    return IndicatorValue(indicator, round(float(row[group.column]), 2), None, year)


def default_direction(figure_id: str) -> Direction:
    """The registry's own direction for the figure (lower sick leave is better …)."""
    if figure_id == MANUAL:
        return Direction.UP
    better = registry.get(figure_id).description.higher_is_better
    return Direction.DOWN if better is False else Direction.UP


@dataclass(frozen=True)
class Measured:
    """An indicator's value and, for a key figure, whom it counts (None: manual or no data)."""

    value: IndicatorValue
    counted: ScopedCount | None = None


def measure(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    indicator: IndicatorSpec,
    unit_id: str | None,
    year: int,
) -> Measured:
    """One key figure for the unit scope, filter and year; a reason instead of a value."""
    fields: dict[str, str | None] = dict(parse_qsl(indicator.filters))
    fields["ar"] = str(year)
    fields["enhet"] = unit_id or None
    try:
        request = parse_request(fields)
        selection = open_selection(hb, principal, org_id, request, Resource.FOLLOWUP_PLANS)
        pack = pack_for(hb, selection)
        card = figure_card(
            selection,
            indicator.figure_id,
            pack.results,
            {},
            dict(pack.missing),
            hb.settings.min_group_size,
        )
    except HallbarError as err:  # NotFound, a year without data, a filter that does not fit
        return Measured(IndicatorValue(indicator, None, err.message, year))
    if card.missing_sv:
        return Measured(IndicatorValue(indicator, None, card.missing_sv, year))
    population = OTHER_POPULATIONS.get(indicator.figure_id, KEY_FIGURE_POPULATION)
    count = counted(selection, population)
    if indicator.figure_id in ONE_GROUP:
        value = _one_group_value(indicator, card.table, year)
    elif card.hidden:
        value = IndicatorValue(indicator, None, HIDDEN_SV, year)
    elif card.headline is None:
        value = IndicatorValue(indicator, None, NO_SINGLE_SV, year)
    else:
        value = IndicatorValue(indicator, round(card.headline, 2), None, year)
    if unit_id is None and not indicator.filters:
        # Kolada publishes the whole organisation's value only: a unit or a filtered
        # group has nothing to compare with there.
        value = replace(
            value, kolada_value=organisation_value(hb, org_id, indicator.figure_id, year)
        )
    # A value hidden by small-group protection hides its count too, not whom it counts.
    return Measured(value, replace(count, hidden=value.reason_sv == HIDDEN_SV))


def live_value(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    indicator: IndicatorSpec,
    unit_id: str | None,
    year: int,
) -> IndicatorValue:
    """One key figure for the unit scope, filter and year; a reason instead of a value."""
    return measure(hb, principal, org_id, indicator, unit_id, year).value


def manual_value(data: PlanData, indicator: IndicatorSpec, period: Period) -> IndicatorValue:
    """The value entered with the node's newest follow-up in the period."""
    entry = current_entries(data.entries, period.id).get(indicator.node_id)
    if entry is None or indicator.id not in entry.manual_values:
        return IndicatorValue(
            indicator, None, f"Inget värde är inmatat för {period.name}.", period.end.year
        )
    return IndicatorValue(indicator, entry.manual_values[indicator.id], None, period.end.year)


def measured_for(
    hb: Hallbar, principal: Principal, data: PlanData, period: Period
) -> dict[int, Measured]:
    """Every indicator of the plan in ``period``: id -> value or reason, and whom it counts."""
    out: dict[int, Measured] = {}
    for ind in data.indicators:
        if ind.figure_id == MANUAL:
            out[ind.id] = Measured(manual_value(data, ind, period))
            continue
        unit = ind.unit_id or data.owner_unit(data.node(ind.node_id))
        out[ind.id] = measure(hb, principal, data.plan.org_id, ind, unit, period.end.year)
    return out


def values_for(
    hb: Hallbar, principal: Principal, data: PlanData, period: Period
) -> dict[int, IndicatorValue]:
    """Every indicator of the plan in ``period``: id -> value or reason."""
    return {k: m.value for k, m in measured_for(hb, principal, data, period).items()}


def series_for(
    hb: Hallbar, principal: Principal, data: PlanData, indicator: IndicatorSpec
) -> list[tuple[str, float | None]]:
    """The indicator over the plan's periods (for the small charts)."""
    out: list[tuple[str, float | None]] = []
    cache: dict[int, float | None] = {}
    for p in data.periods:
        if indicator.figure_id == MANUAL:
            out.append((p.name, manual_value(data, indicator, p).value))
            continue
        year = p.end.year
        if year not in cache:
            unit = indicator.unit_id or data.owner_unit(data.node(indicator.node_id))
            cache[year] = live_value(hb, principal, data.plan.org_id, indicator, unit, year).value
        out.append((p.name, cache[year]))
    return out


def add_indicator(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    plan_id: int,
    indicator: IndicatorSpec,
) -> IndicatorSpec:
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    data.node(indicator.node_id)
    name = indicator.name.strip()
    if indicator.figure_id != MANUAL:
        known = {f[0]: f for f in linkable_figures()}
        if indicator.figure_id not in known:
            raise FollowupInputError(
                "Välj ett nyckeltal i listan eller en manuell indikator. "
                f"”{indicator.figure_id}” kan inte följas upp som ett enskilt värde."
            )
        name = name or known[indicator.figure_id][1]
        # A filter the key-figure pages would refuse is refused here with their message.
        request = parse_request(dict(parse_qsl(indicator.filters)))
        if indicator.figure_id in ONE_GROUP and not request.population.occupation:
            raise FollowupInputError(ONE_GROUP_FILTER_SV)
    if not name:
        raise FollowupInputError("Ge den manuella indikatorn ett namn.")
    if len(name) > 200:
        raise FollowupInputError("Indikatorns namn får vara högst 200 tecken.")
    stored = followup.add_indicator(hb.store, replace(indicator, name=name))
    record(
        hb,
        principal.username,
        Action.FOLLOWUP_CHANGED,
        org_id=org_id,
        target=f"plan {plan_id} rad {indicator.node_id}",
        detail=f"ny indikator: {name} ({indicator.figure_id})",
    )
    return stored


def delete_indicator(
    hb: Hallbar, principal: Principal, org_id: str, plan_id: int, indicator_id: int
) -> None:
    data = open_plan(hb, principal, org_id, plan_id, Resource.FOLLOWUP_EDIT)
    found = [i for i in data.indicators if i.id == indicator_id]
    if not found:
        raise NotFound("Indikatorn finns inte i planen. Ladda om sidan.")
    followup.delete_indicator(hb.store, indicator_id)
    record(
        hb,
        principal.username,
        Action.FOLLOWUP_CHANGED,
        org_id=org_id,
        target=f"plan {plan_id} rad {found[0].node_id}",
        detail=f"indikator borttagen: {found[0].name}",
    )


def by_node(data: PlanData) -> dict[int, list[IndicatorSpec]]:
    out: dict[int, list[IndicatorSpec]] = {}
    for ind in data.indicators:
        out.setdefault(ind.node_id, []).append(ind)
    return out
