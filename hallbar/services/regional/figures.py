"""One key figure across the members of a network, computed only from consenting members.

Each consenting member's figure is computed on its own data (``hallbar.indicators``)
and protected by its own rule before it is pooled (``hallbar.regional.disclosure``);
the page then shows the table, rank, unweighted and weighted means and the trend.
A member whose consent has ended is left out and the page says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

import polars as pl

from hallbar.core.access import Principal, Resource, may
from hallbar.core.describe import Description
from hallbar.core.errors import HallbarError, InsufficientData, NotFound
from hallbar.core.population import (
    MONTHLY_PAID,
    ORDINARY_HOURS,
    PERMANENT,
    Population,
    PopulationCount,
)
from hallbar.indicators import registry
from hallbar.indicators.cache import shared_cache
from hallbar.indicators.params import Params
from hallbar.ingest.boundaries import municipality_areas
from hallbar.privacy.suppression import Dimension, SuppressionRule, hidden_cells
from hallbar.regional.across import Across, TrendPoint, across, trend
from hallbar.regional.consent import DatasetKind, Grant, RecipientKind, valid_members
from hallbar.regional.disclosure import REASON_SMALL, MemberCell
from hallbar.regional.errors import RegionalInputError
from hallbar.regional.geo import choropleth
from hallbar.reports.svgcharts import fmt_number
from hallbar.services import audit
from hallbar.services.audit import Action
from hallbar.services.context import Hallbar
from hallbar.services.figures.filters import PopulationFilter, apply_filter
from hallbar.services.projection.inputs import occupation_labels
from hallbar.services.regional import persisted
from hallbar.services.regional.charts import member_bars, trend_lines
from hallbar.services.regional.scope import NetworkScope, member_data, open_network
from hallbar.services.twin import ScopedCount
from hallbar.store import regional

TREND_YEARS = 3


@dataclass(frozen=True)
class Counted:
    """Whom a figure's persons ("personer") count, in ``hallbar.core.population``'s words."""

    population: Population
    gender: str | None = None  # a key of services.figures.filters.GENDERS
    previous_year: bool = False  # counted on the previous year's snapshot (turnover)


@dataclass(frozen=True)
class Pooling:
    """How a figure's members are pooled: numerator and denominator columns and a scale;
    without them the weighted mean weights each member's value by its persons."""

    numerator: str | None
    denominator: str | None  # a column, or "n" for persons
    scale: float = 1.0
    value: str = "value"  # the column holding the figure's value
    # Whom ``n`` counts; None when ``n`` counts something else than persons of a named
    # population (overtime: employments with hours; span of control: managers).
    counted: Counted | None = None


_YEAR = Counted(ORDINARY_HOURS)  # the statutory sick-leave note's population
_PERMANENT = Counted(PERMANENT)


# Figures shown across members (one value per organisation), with their pooling.
REGIONAL_FIGURES: dict[str, Pooling] = {
    "sick_leave_total": Pooling("numerator", "denominator", 100.0, counted=_YEAR),
    "sick_leave_women": Pooling("numerator", "denominator", 100.0,
                                counted=Counted(ORDINARY_HOURS, gender="K")),
    "sick_leave_men": Pooling("numerator", "denominator", 100.0,
                              counted=Counted(ORDINARY_HOURS, gender="M")),
    "sick_leave_long_term_share": Pooling("numerator", "denominator", 100.0, counted=_YEAR),
    "sick_leave_short_term": Pooling("numerator", "denominator", 100.0, counted=_YEAR),
    "frisknarvaro": Pooling("healthy", "n", 100.0, counted=_YEAR),
    "permanent_share": Pooling("permanent", "n", 100.0, counted=Counted(MONTHLY_PAID)),
    "fulltime_employed": Pooling("full_time", "n", 100.0, counted=_PERMANENT),
    "fulltime_working": Pooling("full_time", "n", 100.0, counted=_PERMANENT),
    "turnover": Pooling("left", "n", 100.0,
                        counted=Counted(PERMANENT, previous_year=True)),
    "new_permanent_hires": Pooling("new", "n", 100.0, counted=_PERMANENT),
    "overtime_per_fte": Pooling("hours", "fte"),
    "average_rate": Pooling(None, None, counted=_PERMANENT),
    "span_of_control": Pooling(None, None, value="mean"),  # persons = managers
}  # fmt: skip
DEFAULT_FIGURE = "sick_leave_total"
# Figures that are parts of one table: the total is women plus men (hours), so a member
# enters any of them only when all of its cells in the family are released. Otherwise
# total − women would give a hidden men's group back (docs/regional.md).
_SICK_BY_GENDER = ("sick_leave_total", "sick_leave_women", "sick_leave_men")
FAMILIES: dict[str, tuple[str, ...]] = {fid: _SICK_BY_GENDER for fid in _SICK_BY_GENDER}


@dataclass(frozen=True)
class RegionalFigure:
    scope: NetworkScope
    description: Description
    year: int
    view: Across
    trend: tuple[TrendPoint, ...]
    min_n: int
    notices: tuple[str, ...]  # e.g. a consent that has ended
    bars_svg: str
    trend_svg: str
    choices: tuple[tuple[str, str], ...]  # (figure id, Swedish name)
    map_svg: str = ""  # the choropleth, or "" with ``map_message`` saying why
    map_message: str = ""
    occupation: str | None = None  # SSYK code when the view is one occupation
    occupations: tuple[tuple[str, str], ...] = ()  # (SSYK code, label) to choose from
    counts: tuple[ScopedCount, ...] = ()  # whom each member's persons count (the twin)


def figure_choices() -> tuple[tuple[str, str], ...]:
    return tuple((fid, registry.get(fid).description.name_sv) for fid in REGIONAL_FIGURES)


def _rule(hb: Hallbar, *descriptions: Description) -> SuppressionRule:
    """The strictest smallest group of the figures in one table (and the setting)."""
    return SuppressionRule(
        max(hb.settings.min_group_size, *(d.min_group_size for d in descriptions))
    )


def _encode(cell: MemberCell | None) -> list[Any] | None:
    if cell is None:
        return None
    return [list(cell.key), cell.value, cell.n, cell.numerator, cell.denominator, cell.released]


def _decode(code: str, raw: list[Any] | None) -> MemberCell | None:
    if raw is None:
        return None
    key, value, n, numerator, denominator, released = raw
    return MemberCell(code, tuple(key), value, n, numerator, denominator, released=released)


def member_cells(
    hb: Hallbar, code: str, figure_ids: Sequence[str], years: Sequence[int]
) -> dict[tuple[str, int], MemberCell | None]:
    """The member's figures for the years (None: no data for the year), computed once per
    snapshot (``persisted``) and together, so the figures share their building blocks."""
    min_n = hb.settings.min_group_size
    wanted = {(f, y): f"cell|{f}|{y}|{min_n}" for f in figure_ids for y in years}
    which = {key: fy for fy, key in wanted.items()}

    def compute(missing: list[str]) -> dict[str, Any]:
        with shared_cache():
            return {k: _encode(_compute_cell(hb, code, *which[k])) for k in missing}

    found = persisted.results(hb, code, list(wanted.values()), compute)
    return {fy: _decode(code, found[key]) for fy, key in wanted.items()}


def _member_cell(hb: Hallbar, code: str, figure_id: str, year: int) -> MemberCell | None:
    """The member's figure for ``year`` (None when it has no data for the year)."""
    return member_cells(hb, code, (figure_id,), (year,))[(figure_id, year)]


def _compute_cell(hb: Hallbar, code: str, figure_id: str, year: int) -> MemberCell | None:
    try:
        data = member_data(hb, code)
    except NotFound:
        return None
    if data.as_of < date(year, 12, 31):
        return None  # the year is not complete in the member's data
    try:
        result = registry.compute(figure_id, data, Params.from_settings(hb.settings, year))
    except InsufficientData:
        return None  # e.g. no ordinary hours imported for the year
    frame = result.frame
    if frame.height != 1 or "n" not in frame.columns:
        return None
    row = frame.row(0, named=True)
    pooling = REGIONAL_FIGURES[figure_id]
    value = row.get(pooling.value)
    num = row.get(pooling.numerator) if pooling.numerator else None
    den = row.get(pooling.denominator) if pooling.denominator else None
    return MemberCell(
        code,
        (figure_id,),
        None if value is None else float(value),
        None if row["n"] is None else int(row["n"]),
        None if num is None else float(num) * pooling.scale,
        None if den is None else float(den),
        released=not bool(row.get("suppressed", False)),
    )


OCCUPATION_TOTAL = "Totalt"


def member_occupation_cells(
    hb: Hallbar, code: str, figure_ids: Sequence[str], years: Sequence[int], rule: SuppressionRule
) -> dict[tuple[str, int], dict[str, MemberCell]]:
    """The member's figures per occupation (SSYK) for the years, each protected as one
    table (``_compute_occupations``), computed once per snapshot."""
    wanted = {(f, y): f"occ|{f}|{y}|{rule.min_n}" for f in figure_ids for y in years}
    which = {key: fy for fy, key in wanted.items()}

    def compute(missing: list[str]) -> dict[str, Any]:
        out = {}
        with shared_cache():
            for k in missing:
                cells = _compute_occupations(hb, code, *which[k], rule)
                out[k] = {occ: _encode(cell) for occ, cell in cells.items()}
        return out

    found = persisted.results(hb, code, list(wanted.values()), compute)
    return {
        fy: {occ: c for occ, raw in found[key].items() if (c := _decode(code, raw)) is not None}
        for fy, key in wanted.items()
    }


def _occupation_cells(
    hb: Hallbar, code: str, figure_id: str, year: int, rule: SuppressionRule
) -> dict[str, MemberCell]:
    """The member's figure per occupation (SSYK) for ``year``, protected as one table.

    The member's occupations and its total form a table (total = sum of occupations);
    small occupations are hidden and, by ``hallbar.privacy``'s secondary suppression,
    so are the cells that would give them back. Only the cells left visible are
    released to the network.
    """
    return member_occupation_cells(hb, code, (figure_id,), (year,), rule)[(figure_id, year)]


def _compute_occupations(
    hb: Hallbar, code: str, figure_id: str, year: int, rule: SuppressionRule
) -> dict[str, MemberCell]:
    total = _member_cell(hb, code, figure_id, year)
    if total is None:
        return {}
    params = replace(Params.from_settings(hb.settings, year), by=("ssyk",))
    frame = registry.compute(figure_id, member_data(hb, code), params).frame
    if "ssyk" not in frame.columns:  # a figure with its own breakdown (span of control)
        name = registry.get(figure_id).description.name_sv
        raise RegionalInputError(
            f"{name} kan inte visas per yrke. Välj ett annat nyckeltal eller visa alla yrken."
        )
    frame = frame.with_columns(pl.col("ssyk").fill_null("okänd"), pl.col("n").fill_null(0))
    table = pl.concat(
        [
            frame.select("ssyk", "n"),
            pl.DataFrame({"ssyk": [OCCUPATION_TOTAL], "n": [total.n or 0]}),
        ],
        how="vertical_relaxed",
    )
    primary, secondary, exposed = hidden_cells(
        table, count_col="n", rule=rule, dimensions=[Dimension("ssyk", total=OCCUPATION_TOTAL)]
    )
    hidden = primary | secondary | exposed
    pooling = REGIONAL_FIGURES[figure_id]
    out = {}
    for i, row in enumerate(frame.iter_rows(named=True)):
        num = row.get(pooling.numerator) if pooling.numerator else None
        den = row.get(pooling.denominator) if pooling.denominator else None
        value = row.get(pooling.value)
        out[row["ssyk"]] = MemberCell(
            code,
            (figure_id, row["ssyk"]),
            None if value is None else float(value),
            int(row["n"]),
            None if num is None else float(num) * pooling.scale,
            None if den is None else float(den),
            released=i not in hidden and not bool(row.get("suppressed", False)),
        )
    return out


def _member_facts(hb: Hallbar, code: str) -> dict[str, Any] | None:
    """The member snapshot's date and occupations (None without data), kept per snapshot."""

    def compute(missing: list[str]) -> dict[str, Any]:
        try:
            data = member_data(hb, code)
        except NotFound:
            return {"facts": None}
        labels = occupation_labels(data, "ssyk")
        return {"facts": {"as_of": data.as_of.isoformat(), "occupations": labels}}

    facts: dict[str, Any] | None = persisted.results(hb, code, ["facts"], compute)["facts"]
    return facts


def occupation_choices(hb: Hallbar, codes: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(SSYK code, "code title") of the occupations in the members' data."""
    labels: dict[str, str] = {}
    for code in sorted(codes):
        facts = _member_facts(hb, code)
        for occ, label in (facts or {}).get("occupations", {}).items():
            labels.setdefault(occ, label)
    return tuple(sorted(labels.items()))


def _member_count(
    hb: Hallbar, code: str, counted: Counted, year: int, occupation: str | None, hidden: bool
) -> ScopedCount:
    """Whom a member's "personer" count, counted through ``hallbar.core.population``
    (once per snapshot)."""
    params = Params.from_settings(hb.settings, year - 1 if counted.previous_year else year)
    narrowed = PopulationFilter(gender=counted.gender, occupation=occupation)
    reference = params.year if counted.population.by_year else params.snapshot
    key = f"count|{counted.population.id}|{sorted(narrowed.query().items())}|{reference}"

    def compute(missing: list[str]) -> dict[str, Any]:
        try:
            data = apply_filter(member_data(hb, code), narrowed, params)
            return {key: counted.population.count(data, reference).n}
        except InsufficientData:
            # Nobody in the member's selection (e.g. no women in the occupation): the
            # member's cell is empty, so its count is zero, not an error for the page.
            return {key: 0}

    n = persisted.results(hb, code, [key], compute)[key]
    count = PopulationCount(counted.population, reference, n)
    query = {"organisation": code, **narrowed.query()}
    return ScopedCount(
        count,
        hidden=hidden,
        filter=urlencode(sorted(query.items())),
    )


def _counts(
    hb: Hallbar, view: Across, figure_id: str, year: int, occupation: str | None
) -> tuple[ScopedCount, ...]:
    """One count per member in the view or hidden from it by its smallest group."""
    counted = REGIONAL_FIGURES[figure_id].counted
    if counted is None:
        return ()
    return tuple(
        _member_count(hb, r.code, counted, year, occupation, hidden=not r.included)
        for r in view.rows
        if r.included or r.reason == REASON_SMALL
    )


def ended_notices(
    grants: list[Grant],
    scope: NetworkScope,
    day: date,
    dataset: DatasetKind = DatasetKind.KEY_FIGURES,
) -> tuple[str, ...]:
    """ "X har återkallat sitt samtycke …" for each member whose consent to ``dataset`` ended."""
    names = {m.code: m.name for m in scope.members}
    valid = valid_members(
        grants,
        recipient_kind=RecipientKind.NETWORK,
        recipient=scope.network.id,
        dataset=dataset,
        on=day,
    )
    latest: dict[str, date] = {}  # organisation -> its latest revocation
    for g in grants:
        ended = g.revoked_on is not None and g.revoked_on <= day
        if ended and g.dataset is dataset and g.org_code not in valid:
            assert g.revoked_on is not None
            latest[g.org_code] = max(latest.get(g.org_code, g.revoked_on), g.revoked_on)
    return tuple(
        f"{names.get(code, code)} har återkallat sitt samtycke ({on.isoformat()}) och ingår "
        "inte längre i jämförelsen."
        for code, on in sorted(latest.items())
    )


def member_links(principal: Principal, view: Across, *, row_page: str = "") -> dict[str, str]:
    """Where a click on a member in the means leads: the member's own key figures when
    its consent admits the viewer (``principal.org_ids``: the consent ledger for a
    regional analyst, the own organisation for HR), else its row in the table."""
    allowed = may(principal, Resource.FIG_FIGURES)
    return {
        r.code: f"/figures/{quote(r.code)}"
        if allowed and r.code in principal.org_ids
        else f"{row_page}#medlem-{quote(r.code)}"
        for r in view.rows
        if r.included and r.value is not None
    }


def _map(
    principal: Principal, view: Across, scope: NetworkScope, title: str, unit: str
) -> tuple[str, str]:
    """The members' counties as a choropleth (values only for members in the means)."""
    counties = {code[:2] for code in scope.network.members if len(code) == 4}
    if not counties:
        return "", "Nätverket har inga kommuner att visa på en karta."
    try:
        areas = [a for c in sorted(counties) for a in municipality_areas(c)]
    except HallbarError as err:
        return "", err.message
    values = {r.code: r.value for r in view.rows if r.included and r.value is not None}
    svg = choropleth(
        areas,
        values,
        members=frozenset(scope.network.members),
        own_code=scope.own_code,
        title=title,
        unit=unit,
        links=member_links(principal, view),
        fmt=lambda v: fmt_number(v, 1),
    )
    return svg, ""


def default_year(hb: Hallbar, codes: frozenset[str]) -> int:
    """The newest complete year in any consenting member's data (last year when none)."""
    years = []
    for code in codes:
        facts = _member_facts(hb, code)
        if facts is None:
            continue
        as_of = date.fromisoformat(facts["as_of"])
        years.append(as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1)
    return max(years) if years else date.today().year - 1


def prepare_member(hb: Hallbar, code: str) -> None:
    """Compute and keep a member's default view (total sick leave and its gender family,
    the trend years, its count) for its snapshot, so the network's first page after the
    member consents does not wait for it. Without data there is nothing to prepare."""
    if _member_facts(hb, code) is None:
        return
    year = default_year(hb, frozenset({code}))
    family = FAMILIES[DEFAULT_FIGURE]
    member_cells(hb, code, family, range(year - TREND_YEARS + 1, year + 1))
    counted = REGIONAL_FIGURES[DEFAULT_FIGURE].counted
    if counted is not None:
        _member_count(hb, code, counted, year, None, hidden=False)


def regional_figure(
    hb: Hallbar,
    principal: Principal,
    network_id: str,
    figure_id: str = DEFAULT_FIGURE,
    *,
    year: int | None = None,
    occupation: str | None = None,
    on: date | None = None,
    client: str = "",
) -> RegionalFigure:
    scope = open_network(hb, principal, network_id)
    if figure_id not in REGIONAL_FIGURES:
        names = ", ".join(f"{fid} ({name})" for fid, name in figure_choices())
        raise RegionalInputError(
            f"Nyckeltalet '{figure_id}' kan inte jämföras mellan organisationer. "
            f"Välj ett av: {names}."
        )
    description = registry.get(figure_id).description
    day = on or date.today()
    grants = regional.grants(hb.store, recipient=network_id)
    consenting = valid_members(
        grants,
        recipient_kind=RecipientKind.NETWORK,
        recipient=network_id,
        dataset=DatasetKind.KEY_FIGURES,
        on=day,
    ) & set(scope.network.members)
    chosen_year = year or default_year(hb, consenting)
    family = FAMILIES.get(figure_id, (figure_id,))
    rule = _rule(hb, *(registry.get(f).description for f in family))
    years = range(chosen_year - TREND_YEARS + 1, chosen_year + 1)
    cells_by_year: dict[int, list[MemberCell]] = {y: [] for y in years}
    for c in sorted(consenting):  # one look-up per member: all figures, all years
        if occupation:
            tables = member_occupation_cells(hb, c, family, years, rule)
            found = {fy: table.get(occupation) for fy, table in tables.items()}
        else:
            found = member_cells(hb, c, family, years)
        for (_, y), cell in found.items():
            if cell is not None:
                cells_by_year[y].append(cell)
    cell_key = (figure_id, occupation) if occupation else (figure_id,)
    view = across(
        cells_by_year[chosen_year],
        key=cell_key,
        members=scope.member_pairs,
        consenting=consenting,
        rule=rule,
        own_code=scope.own_code,
        higher_is_better=description.higher_is_better,
        on=day,
    )
    points = trend(
        cells_by_year,
        key=cell_key,
        members=scope.member_pairs,
        consenting=consenting,
        rule=rule,
        own_code=scope.own_code,
    )
    audit.record(
        hb,
        principal.username,
        Action.REGIONAL_VIEW,
        target=network_id,
        detail=f"{figure_id} {occupation or ''} {chosen_year}: "
        f"{', '.join(view.included) or 'inga medlemmar'}",
        client=client,
    )
    occupations = occupation_choices(hb, consenting)
    label = dict(occupations).get(occupation or "", occupation or "")
    title = f"{description.name_sv} {chosen_year}" + (f", {label}" if occupation else "")
    map_svg, map_message = _map(principal, view, scope, f"Karta: {title}", description.unit)
    return RegionalFigure(
        scope,
        description,
        chosen_year,
        view,
        points,
        rule.min_n,
        ended_notices(grants, scope, day),
        member_bars(view, title=title, unit=description.unit),
        trend_lines(points, title=f"{description.name_sv}, utveckling", unit=description.unit),
        figure_choices(),
        map_svg,
        map_message,
        occupation,
        occupations,
        _counts(hb, view, figure_id, chosen_year, occupation),
    )


def regional_figure_json(result: RegionalFigure) -> dict[str, Any]:
    """The JSON twin of the page: the same numbers, no markup."""
    view = result.view
    return {
        "natverk": {"id": result.scope.network.id, "namn": result.scope.network.name},
        "egen_organisation": result.scope.own_code,
        "nyckeltal": {
            "id": result.description.id,
            "namn": result.description.name_sv,
            "enhet": result.description.unit,
            "definition": result.description.definition_sv,
        },
        "ar": result.year,
        "yrke": result.occupation,
        "minsta_grupp": result.min_n,
        "medlemmar": [
            {
                "kod": r.code,
                "namn": r.name,
                "varde": r.value,
                "personer": r.n,
                "rang": r.rank,
                "ingar": r.included,
                "skal": r.reason or None,
                "egen": r.own,
            }
            for r in view.rows
        ],
        "ingar_i_medel": list(view.included),
        "ovagt_medel": view.unweighted_mean,
        "vagt_medel": view.weighted_mean,
        "rangordning": view.rank_order_sv,
        "utveckling": [
            {
                "ar": p.year,
                "ovagt_medel": p.unweighted_mean,
                "vagt_medel": p.weighted_mean,
                "egen": p.own_value,
                "antal_medlemmar": p.member_count,
            }
            for p in result.trend
        ],
        "meddelanden": list(result.notices),
    }
