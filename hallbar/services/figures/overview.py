"""Key figures (nyckeltal) for the web pages, the JSON API, the exports and the CLI.

Data functions take ``(hb, principal, org_id, request)``, check the role and the
unit scope first (``request.open_selection``), compute with
``hallbar.indicators`` (cached per import and parameters), cut to the units the
user may see (a manager: the own subtree), protect small groups
(``tables``) and return view objects whose tables carry each figure's
``Description``. Data that cannot support a figure gives a Swedish message in
its place, never a number.

This module: the overview and the statutory sick-leave note. The trend, the
priority-area dashboard and the women/men comparison are in ``views``;
individual lists in ``people``; exports in ``exports``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import polars as pl

from hallbar.core.access import SYSTEM, Principal
from hallbar.core.codes import EmploymentForm
from hallbar.core.describe import ChartSpec, Description, FigureTable
from hallbar.core.population import (
    EMPLOYED,
    MONTHLY_PAID,
    ORDINARY_HOURS,
    Population,
    PopulationCount,
)
from hallbar.indicators import registry
from hallbar.indicators.cache import shared_cache
from hallbar.indicators.registry import FigureResult
from hallbar.indicators.sick_leave_note import NOTE_DESCRIPTION, SickLeaveNote
from hallbar.privacy.model import DisclosureModel
from hallbar.privacy.shares import group_released, share_released
from hallbar.privacy.suppression import (
    REASON_COL,
    SECONDARY_REASON_SV,
    SUPPRESSED_COL,
    Dimension,
    SuppressionRule,
    hidden_cells,
)
from hallbar.reports.columns import cell_flag_column
from hallbar.services import disclosure
from hallbar.services.figures.filters import (
    FILTERED_NOTE_SV,
    PopulationFilter,
    note_inapplicable,
)
from hallbar.services.figures.request import (
    DIMENSION_LABELS,
    TOTAL,
    FigureRequest,
    Selection,
    dimension_labels,
    figures_by,
    notes_for_year,
    open_selection,
    pack_for,
    parse_request,
)
from hallbar.services.figures.tables import (
    AREAS,
    min_group,
    protect_with_model,
    protected_frame,
    spec,
    to_table,
)
from hallbar.services.memo import ByIdentity, HbCache
from hallbar.services.twin import ScopedCount

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

KEY_FIGURE_POPULATION = MONTHLY_PAID  # SKR's November statistics: monthly-paid on 1 Nov
# Figures on the overview that count another population than KEY_FIGURE_POPULATION.
# (The registry describes each figure's population in words; until it names a
# ``Population`` per figure, this is where a page learns which one to show.)
OTHER_POPULATIONS: dict[str, Population] = {"employment_forms": EMPLOYED}
NOTE_POPULATION = ORDINARY_HOURS  # the statutory note: ordinary working time in the year
_overviews: HbCache[Overview] = HbCache(24)
_counts: ByIdentity[PopulationCount] = ByIdentity()
INTRINSIC_NOTE = "Nyckeltalet har en egen uppdelning och visas utan den valda uppdelningen."


@dataclass(frozen=True)
class FigureCard:
    """One key figure on a page: its one number (if it has one), its table, its definition."""

    id: str
    name_sv: str
    description: Description
    formula: str
    unit: str
    headline: float | None  # None: hidden (small group) or no single number
    hidden: bool  # the headline was hidden by small-group protection
    table: FigureTable | None  # the breakdown, protected
    missing_sv: str | None  # why the data cannot support the figure
    hidden_sv: str | None = None  # why the disclosure model hides the whole figure


@dataclass(frozen=True)
class AreaBlock:
    key: str
    name_sv: str
    cards: tuple[FigureCard, ...]


@dataclass(frozen=True)
class ScopeInfo:
    """What every page says about where its numbers come from."""

    org_id: str
    org_name: str
    kind: str
    as_of: date
    year: int
    unit_id: str | None
    label: str
    by: str | None
    by_label: str | None
    occupation_key: str
    year_choices: tuple[int, ...]
    unit_choices: tuple[tuple[str, str], ...]
    min_group_size: int
    request: FigureRequest
    population: PopulationFilter = field(default_factory=PopulationFilter)
    filter_label_sv: str = ""  # "Urval: Kvinnor, 30–49 år"; empty without filters
    notices_sv: tuple[str, ...] = ()  # what the filter changed or made meaningless
    occupation_choices: tuple[tuple[str, str], ...] = ()  # for the filter form
    counts: tuple[ScopedCount, ...] = ()  # whom the page counts, shown under its counts
    sick_leave_min_group_size: int = 0  # settings.sick_leave_min_group

    @property
    def scope_sv(self) -> str:
        """The units and the filter in one phrase, for headers and exports."""
        return f"{self.label} · {self.filter_label_sv}" if self.filter_label_sv else self.label


@dataclass(frozen=True)
class Overview:
    info: ScopeInfo
    areas: tuple[AreaBlock, ...]
    messages_sv: tuple[str, ...]

    def tables(self) -> list[FigureTable]:
        """Every table (for exports): the headline figures, then each breakdown."""
        out = [headline_table(self)]
        out += [c.table for a in self.areas for c in a.cards if c.table is not None]
        return out


def counted(scope: Selection, population: Population = KEY_FIGURE_POPULATION) -> ScopedCount:
    """Whom the page's counts count: the population in the selection on its reference.

    Key figures count MONTHLY_PAID on the snapshot date (1 November, SKR's and
    Kolada's reference); the statutory note ORDINARY_HOURS during the year.
    """
    reference = scope.params.year if population.by_year else scope.params.snapshot
    narrowed = urlencode(sorted(scope.request.population.query().items()))
    # The number is shown only where the disclosure model shows the answer's count (the
    # statutory note's own population: the sick-leave model); a hidden answer's data is
    # left unfiltered by open_selection, so it is never counted.
    model = scope.sick_model if population is ORDINARY_HOURS else scope.model
    hidden = scope.hidden_sv is not None or scope.reason_sv(model) is not None
    # Counted once per loaded dataset and selection: a page asks on every request, and
    # the year population reads every working-time row.
    key = (
        scope.unit_id,
        scope.scope.whole,
        scope.request.population,
        scope.params,
        population.id,
        reference,
        hidden,
    )

    def count() -> PopulationCount:
        return population.count(scope.scope.data if hidden else scope.data, reference)

    n = _counts.get_or_compute(scope.full, key, count)
    return ScopedCount(n, scope.unit_id, hidden=hidden, filter=narrowed)


def info_of(
    hb: Hallbar,
    scope: Selection,
    *notices: str,
    population: Population = KEY_FIGURE_POPULATION,
) -> ScopeInfo:
    by = scope.request.by
    return ScopeInfo(
        scope.org_id,
        scope.org_name,
        scope.kind,
        scope.as_of,
        scope.year,
        scope.unit_id,
        scope.label,
        by,
        DIMENSION_LABELS.get(by) if by else None,
        scope.request.occupation_key,
        scope.year_choices,
        scope.unit_choices,
        hb.settings.min_group_size,
        scope.request,
        scope.request.population,
        scope.filter_label_sv,
        (*scope.notices_sv, *notices),
        scope.occupation_choices,
        (counted(scope, population),),
        hb.settings.sick_leave_min_group,
    )


def labels_for(scope: Selection, groups: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for g in groups:
        key = g if g != "occupation" else scope.params.occupation_key
        out[g] = dimension_labels(scope, key)
    return out


# --- the overview -----------------------------------------------------------------


def _headline(figure_id: str, total: FigureResult, min_n: int) -> tuple[float | None, bool]:
    s = spec(figure_id)
    if s.headline is None or s.intrinsic is not None:
        return None, False
    frame, _ = protected_frame(figure_id, total, None, None, min_n)
    if frame.height == 0 or s.headline not in frame.columns:
        return None, False
    value = frame[s.headline][0]
    hidden = bool(frame[SUPPRESSED_COL][0])
    return (None if value is None else float(value)), hidden


def _intrinsic_total(figure_id: str, totals: dict[str, FigureResult]) -> pl.DataFrame | None:
    """The organisation's sick leave beside the units' (a unit table's total row)."""
    if figure_id != "sick_leave_unit" or "sick_leave_total" not in totals:
        return None
    return totals["sick_leave_total"].frame.drop(SUPPRESSED_COL, strict=False)


def figure_card(
    scope: Selection,
    figure_id: str,
    totals: dict[str, FigureResult],
    cuts: dict[str, FigureResult],
    missing: dict[str, str],
    settings_min: int,
) -> FigureCard:
    figure = registry.get(figure_id)
    d = figure.description
    if figure_id in scope.inapplicable:
        reason = scope.inapplicable[figure_id]
        return FigureCard(
            figure_id, d.name_sv, d, figure.formula, d.unit, None, False, None, reason
        )
    if figure_id not in totals:
        reason = missing.get(figure_id, "Uppgift saknas i underlaget.")
        return FigureCard(
            figure_id, d.name_sv, d, figure.formula, d.unit, None, False, None, reason
        )
    model = disclosure_model(scope, figure_id)
    hidden_sv = scope.reason_sv(model) or _sub_population_hidden(scope, figure_id, model)
    if hidden_sv is not None:
        return hidden_card(figure_id, hidden_sv)
    min_n = min_group(figure_id, settings_min)
    by = scope.request.by
    headline, hidden = _headline(figure_id, totals[figure_id], min_n)
    outside = scope.request.population.occupation or scope.request.population.occupation_type
    if figure_id == HEADCOUNT and model is not None and not outside:
        # The one head count of the answer is the model's (docs/privacy.md).
        count = model.count(scope.cube_unit, scope.cube_filters)
        headline, hidden = (None if count is None else float(count)), count is None
    s = spec(figure_id)
    table = None
    if figure_id == "agency_staff":
        from hallbar.services.figures.agency import agency_table

        table = agency_table(scope, totals, settings_min)
    elif s.intrinsic is not None:
        # A figure with its own breakdown (gender, age band, unit …) is shown without the
        # chosen one: a cross table of units × occupations is unreadable and its exact
        # secondary suppression grows with the square of the cells.
        frame, groups = protected_frame(
            figure_id, totals[figure_id], None, None, min_n, _intrinsic_total(figure_id, totals)
        )
        extra = (INTRINSIC_NOTE,) if by is not None else ()
        frame = _model_protected(scope, model, frame, groups)
        frame, explored = _explored(scope, model, figure_id, frame, groups, min_n)
        extra = (*extra, *explored)
        table = to_table(
            figure_id, frame, groups, labels_for(scope, groups), notes=extra, min_n=min_n
        )
    elif by is not None:
        frame, groups = protected_frame(
            figure_id, cuts.get(figure_id, totals[figure_id]), totals[figure_id], by, min_n
        )
        frame = _model_protected(scope, model, frame, groups)
        frame, explored = _explored(scope, model, figure_id, frame, groups, min_n)
        table = to_table(
            figure_id, frame, groups, labels_for(scope, groups), notes=explored, min_n=min_n
        )
    notes = totals[figure_id].notes_sv
    if table is not None and notes:
        table = FigureTable(
            table.id,
            table.title_sv,
            table.frame,
            table.descriptions,
            (*notes, *table.notes_sv),
            table.chart,
        )
    return FigureCard(
        figure_id, d.name_sv, d, figure.formula, d.unit, headline, hidden, table, None
    )


HEADCOUNT = "headcount"
# Figures over the permanent staff only: shown only where the permanent count of the
# answer follows from released counts (privacy.shares.group_released).
PERMANENT_ONLY = frozenset(
    {"fulltime_employed", "fulltime_working", "average_rate", "turnover", "new_permanent_hires"}
)


def disclosure_model(scope: Selection, figure_id: str) -> DisclosureModel | None:
    """The model deciding a figure: the sick-leave figures' (minimum 11) or the key figures'."""
    return scope.sick_model if spec(figure_id).area == "health" else scope.model


def hidden_card(figure_id: str, reason_sv: str) -> FigureCard:
    figure = registry.get(figure_id)
    d = figure.description
    return FigureCard(
        figure_id, d.name_sv, d, figure.formula, d.unit, None, True, None, None, reason_sv
    )


def _sub_population_hidden(
    scope: Selection, figure_id: str, model: DisclosureModel | None
) -> str | None:
    """Why a share or a figure over a sub-population is hidden although the answer is
    shown: its numerator or its population would give a hidden count (privacy.shares)."""
    if model is None or not scope.in_cube or scope.cube_filters.get("employment_form"):
        return None
    permanent, fixed = EmploymentForm.PERMANENT.value, EmploymentForm.FIXED_TERM.value
    unit, filters = scope.cube_unit, scope.cube_filters
    if figure_id == "permanent_share":
        shown = share_released(
            model, unit, filters, "employment_form", [permanent], [permanent, fixed]
        )
    elif figure_id in PERMANENT_ONLY:
        shown = group_released(model, unit, filters, "employment_form", [permanent])
    else:
        return None
    return None if shown else SECONDARY_REASON_SV


def _model_protected(
    scope: Selection, model: DisclosureModel | None, frame: pl.DataFrame, groups: list[str]
) -> pl.DataFrame:
    """A breakdown with every row the disclosure model hides hidden too."""
    if model is None or not groups:
        return frame
    skip = {*groups, SUPPRESSED_COL, REASON_COL, "org_id"}
    values = [c for c, t in frame.schema.items() if c not in skip and t.is_numeric()]
    return protect_with_model(
        frame, groups, values, model, scope.cube_unit, scope.cube_filters, leaf_units(scope)
    )


def _explored(
    scope: Selection,
    model: DisclosureModel | None,
    figure_id: str,
    frame: pl.DataFrame,
    groups: list[str],
    min_n: int,
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Occupation rows as exploration shows them (services.disclosure: cell key method),
    wherever the disclosure model applies; and the note that says so."""
    column = next((g for g in groups if g in disclosure.OCCUPATION_COLUMNS), None)
    if model is None or column is None:
        return frame, ()
    counts = None
    if figure_id == HEADCOUNT:
        persons = disclosure.headcount_persons(scope.data, scope.params, column)
        counts = disclosure.perturbed_headcounts(scope.cell_key_secret, persons, column, min_n)
    out = disclosure.explore_occupation_rows(frame, column, figure_id, TOTAL, counts)
    return out, (disclosure.PERTURBED_SV,)


def leaf_units(scope: Selection) -> frozenset[str]:
    """Units without sub-units: their own staff is their whole subtree."""
    units = scope.full.units
    parents = set(units["parent_id"].drop_nulls().cast(pl.String).to_list())
    return frozenset(u for u in units["unit_id"].cast(pl.String).to_list() if u not in parents)


def overview(hb: Hallbar, principal: Principal, org_id: str, request: FigureRequest) -> Overview:
    """Every aggregate key figure for the year and scope, optionally broken down.

    The disclosure model (``services.disclosure``) decides for the answer (unit
    subtree × filter) as a whole, for shares and sub-populations and for each row of
    a breakdown; a hidden answer shows every figure as hidden, with the reason."""
    scope = open_selection(hb, principal, org_id, request, hidden_ok=True)
    # The cards (suppression, labels) cost more than a cached pack: cache the view per
    # scope and request. The unit choices differ between managers, hence the principal.
    key = (
        "overview",
        scope.org_id,
        scope.import_id,
        scope.unit_id,
        request,  # as asked: open_selection may drop a breakdown and say so in a notice
        scope.request,
        scope.unit_choices,
        hb.settings.min_group_size,
        hb.settings.sick_leave_min_group,  # the sick-leave figures' disclosure model
    )
    return _overviews.get_or_compute(hb, key, lambda: _build_overview(hb, scope))


def _build_overview(hb: Hallbar, scope: Selection) -> Overview:
    if scope.hidden_sv is not None:
        return _hidden_overview(hb, scope, scope.hidden_sv)
    pack = pack_for(hb, scope)
    totals, missing = pack.results, dict(pack.missing)
    cuts: dict[str, FigureResult] = {}
    by = scope.request.by  # dropped by open_selection when the filter makes it meaningless
    if by:
        cuts, cut_missing = figures_by(hb, scope, (by,))
        for k, v in cut_missing.items():
            missing.setdefault(k, v)
    settings_min = hb.settings.min_group_size
    blocks = []
    for key, name in AREAS:
        ids = [f.id for f in registry.all() if not f.individual and spec(f.id).area == key]
        cards = tuple(figure_card(scope, i, totals, cuts, missing, settings_min) for i in ids)
        blocks.append(AreaBlock(key, name, cards))
    info = info_of(hb, scope)
    shown = {c.id for b in blocks for c in b.cards if c.table is not None or c.headline is not None}
    others = tuple(
        counted(scope, population)
        for figure_id, population in OTHER_POPULATIONS.items()
        if figure_id in shown
    )
    return Overview(replace(info, counts=(*info.counts, *others)), tuple(blocks), pack.messages_sv)


def _hidden_overview(hb: Hallbar, scope: Selection, reason_sv: str) -> Overview:
    """Every figure hidden: the model hides the answer itself (nothing is computed)."""
    blocks = []
    for key, name in AREAS:
        cards = []
        for f in registry.all():
            if f.individual or spec(f.id).area != key:
                continue
            if f.id in scope.inapplicable:
                d = f.description
                reason = scope.inapplicable[f.id]
                cards.append(
                    FigureCard(f.id, d.name_sv, d, f.formula, d.unit, None, False, None, reason)
                )
            else:
                cards.append(hidden_card(f.id, reason_sv))
        blocks.append(AreaBlock(key, name, tuple(cards)))
    message = (
        f"Uppgifterna för urvalet visas inte: {reason_sv}. Välj en större enhet eller färre filter."
    )
    return Overview(info_of(hb, scope), tuple(blocks), (message,))


def headline_frame(cards: Iterable[FigureCard]) -> pl.DataFrame:
    """One row per card with its one number, hidden or missing marked (pages and exports)."""
    rows = [
        (
            c.name_sv,
            c.unit,
            c.headline,
            c.hidden,
            (c.hidden_sv or "Dold: för liten grupp") if c.hidden else None,
            c.missing_sv,
        )
        for c in cards
    ]
    return pl.DataFrame(
        rows,
        schema={
            "Nyckeltal": pl.String,
            "Enhet": pl.String,
            "Värde": pl.Float64,
            SUPPRESSED_COL: pl.Boolean,
            REASON_COL: pl.String,
            "Kommentar": pl.String,
        },
        orient="row",
    )


def headline_table(view: Overview) -> FigureTable:
    """One row per figure with its one number (hidden or missing marked)."""
    frame = headline_frame(
        c
        for a in view.areas
        for c in a.cards
        if spec(c.id).headline is not None and spec(c.id).intrinsic is None
    )
    descriptions = tuple(c.description for a in view.areas for c in a.cards)
    return FigureTable(
        id="nyckeltal",
        title_sv=f"Nyckeltal {view.info.year} – {view.info.label}",
        frame=frame,
        descriptions=descriptions,
        notes_sv=(
            f"Uppgifter för grupper under minsta gruppstorlek ({view.info.min_group_size} "
            f"personer, sjukfrånvaro {view.info.sick_leave_min_group_size}) visas inte.",
        ),
    )


# --- the statutory sick-leave note ----------------------------------------------------


@dataclass(frozen=True)
class NoteLine:
    key: str
    label_sv: str
    kolada_id: str
    n: int | None  # None: hidden so a small group's size cannot be worked out
    value: float | None  # None: the group has ten or fewer employees, or no hours
    suppressed: bool
    inapplicable_sv: str | None = None  # the filter leaves the line without meaning


@dataclass(frozen=True)
class NoteYear:
    year: int
    lines: tuple[NoteLine, ...]
    # The employer is exempt (ten or fewer employees on average over two years):
    # the note says so (``NoteExemption.text_sv``) instead of a table.
    exemption_sv: str | None = None

    @property
    def exempt(self) -> bool:
        return self.exemption_sv is not None


@dataclass(frozen=True)
class NoteView:
    info: ScopeInfo
    current: NoteYear | None
    previous: tuple[NoteYear, ...]  # earlier years the data has, newest first
    description: Description
    message_sv: str | None  # why the note cannot be computed
    min_group_size: int  # settings.sick_leave_min_group (SKR: more than ten)

    def years(self) -> tuple[NoteYear, ...]:
        return ((self.current,) if self.current else ()) + self.previous

    def tables(self) -> list[FigureTable]:
        return [note_table(self), note_history_table(self)]


def protect_note(note: SickLeaveNote, min_n: int) -> NoteYear:
    """Hide each group of ten or fewer; hide further head counts so that a hidden
    group's size cannot be worked out from the total and the other groups.

    Only percentages and head counts are published (no hours), and a percentage is
    not additive, so a hidden group's percentage cannot be recovered from the others.
    """
    rows = {r.key: r for r in note.rows}
    hidden_n: set[str] = set()
    rule = SuppressionRule(min_n)
    for keys in (("total", "women", "men"), ("total", "age_29", "age_30_49", "age_50")):
        frame = pl.DataFrame(
            {"grupp": list(keys), "n": [rows[k].n for k in keys]},
            schema={"grupp": pl.String, "n": pl.Int64},
        )
        primary, secondary, _ = hidden_cells(
            frame, count_col="n", rule=rule, dimensions=[Dimension("grupp", total="total")]
        )
        hidden_n |= {keys[i] for i in primary | secondary}
    if "total" in hidden_n:
        hidden_n.add("long_term_share")
    lines = tuple(
        NoteLine(
            r.key,
            r.label_sv,
            r.kolada_id,
            None if r.key in hidden_n else r.n,
            None if r.n < min_n else r.value,
            r.n < min_n,
        )
        for r in note.rows
    )
    if note.exemption is not None:
        # An exempt employer reports nothing: every line hidden, the reason instead.
        lines = tuple(replace(ln, n=None, value=None, suppressed=True) for ln in lines)
        return NoteYear(note.year, lines, note.exemption.text_sv)
    return NoteYear(note.year, lines)


def sick_leave_note_view(
    hb: Hallbar, principal: Principal, org_id: str, request: FigureRequest
) -> NoteView:
    """The seven SKR figures for the year, beside the earlier years the data has.

    The statutory note keeps exact values for those entitled to it (HR), with its own
    rule (ten or fewer not shown); for others the disclosure model guards the answer."""
    scope = open_selection(hb, principal, org_id, request, statutory=True)
    years = [y for y in scope.year_choices if y <= scope.year]
    found: list[NoteYear] = []
    message = None
    not_applicable = note_inapplicable(scope.request.population)
    # One block for the three years: the sick spells and the person map do not depend on
    # the year, so the earlier years' notes reuse the pack's (``memoised(lasting=True)``).
    with shared_cache():
        for y in sorted(years, reverse=True)[:3]:
            # Earlier years: only their note, not their whole pack.
            if y == scope.year:
                pack = pack_for(hb, scope, scope.params.with_(year=y))
                notes = pack.notes
            else:
                notes, _ = notes_for_year(hb, scope, y)
            if notes:
                protected = protect_note(notes[0], hb.settings.sick_leave_min_group)
                found.append(_without_inapplicable(protected, not_applicable))
            elif y == scope.year:
                message = (
                    pack.messages_sv[0]
                    if pack.messages_sv
                    else ("Sjukfrånvaron kan inte beräknas för året. Importera filen arbetstid.")
                )
    current = found[0] if found and found[0].year == scope.year else None
    previous = tuple(f for f in found if f.year != scope.year)
    extra = (FILTERED_NOTE_SV,) if scope.request.population.active else ()
    info = info_of(hb, scope, *extra, population=NOTE_POPULATION)
    return NoteView(
        info, current, previous, NOTE_DESCRIPTION, message, hb.settings.sick_leave_min_group
    )


def prepare_pages(hb: Hallbar, org_id: str) -> None:
    """Compute the organisation's default key-figure page and statutory note (the whole
    organisation, the latest year), so that their first visit after an import reads kept
    results instead of computing the pack (docs/benchmarks.md, "The first figure page").

    The packs and notes are kept on disk per snapshot (``pack_for``), and a user whose
    scope is the whole organisation asks for the same keys, whatever their role."""
    request = parse_request({})
    overview(hb, SYSTEM, org_id, request)
    sick_leave_note_view(hb, SYSTEM, org_id, request)


def _without_inapplicable(year: NoteYear, reasons: dict[str, str]) -> NoteYear:
    """Blank the lines a filter leaves without meaning (men's sick leave among women)."""
    if not reasons:
        return year
    lines = tuple(
        replace(ln, n=None, value=None, suppressed=False, inapplicable_sv=reasons[ln.key])
        if ln.key in reasons
        else ln
        for ln in year.lines
    )
    return NoteYear(year.year, lines)


def note_table(view: NoteView) -> FigureTable:
    """The annual-report table as on the page: one row per figure, the year and the two
    before it side by side (newest first), the year's head counts and the Kolada id.

    A value hidden in one year but shown in another is marked per cell
    (``hallbar.reports.columns.cell_flag_column``), so every export marks the same cells
    as the page."""
    lines = view.current.lines if view.current else ()
    years = view.years() if view.current else ()
    year_cols = [f"Sjukfrånvaro {y.year}" for y in years] or [f"Sjukfrånvaro {view.info.year}"]
    pct_col = year_cols[0]
    n_col = f"Antal anställda {view.info.year}"
    descs = tuple(
        Description(
            id=col,
            name_sv=col,
            definition_sv=NOTE_DESCRIPTION.definition_sv,
            population_sv=NOTE_DESCRIPTION.population_sv,
            unit="%",
            source=NOTE_DESCRIPTION.source,
            min_group_size=view.min_group_size,
            higher_is_better=False,
        )
        for col in year_cols
    )
    hidden_reason = "Tio eller färre anställda i gruppen (SKR)"
    data: dict[str, list[object]] = {"Nyckeltal": [ln.label_sv for ln in lines]}
    schema: dict[str, pl.DataType] = {"Nyckeltal": pl.String()}
    for col, year in zip(year_cols, years, strict=False):
        data[col] = [year.lines[i].value for i in range(len(lines))]
        data[cell_flag_column(col)] = [
            year.lines[i].suppressed and year.lines[i].inapplicable_sv is None
            for i in range(len(lines))
        ]
        schema[col] = pl.Float64()
        schema[cell_flag_column(col)] = pl.Boolean()
    if not years:
        data[pct_col], schema[pct_col] = [], pl.Float64()
    data[n_col] = [ln.n for ln in lines]
    data[cell_flag_column(n_col)] = [ln.n is None and ln.inapplicable_sv is None for ln in lines]
    data["Kolada-id"] = [ln.kolada_id for ln in lines]
    data[REASON_COL] = [
        ln.inapplicable_sv
        or (
            hidden_reason
            if ln.suppressed
            else ("Dold så att en mindre grupp inte kan räknas fram" if ln.n is None else None)
        )
        for ln in lines
    ]
    schema.update(
        {
            n_col: pl.Int64(),
            cell_flag_column(n_col): pl.Boolean(),
            "Kolada-id": pl.String(),
            REASON_COL: pl.String(),
        }
    )
    frame = pl.DataFrame({k: data.get(k, []) for k in schema}, schema=schema)
    notes = ["Grupper med tio eller färre anställda redovisas inte (SKR)."]
    notes[:0] = [n for n in view.info.notices_sv if n == FILTERED_NOTE_SV]
    if view.current is not None and view.current.exemption_sv is not None:
        frame = frame.clear()
        notes.insert(0, view.current.exemption_sv)
    if view.message_sv:
        notes.insert(0, view.message_sv)
    return FigureTable(
        id="sjukfranvaro",
        title_sv=f"Sjukfrånvaro {view.info.year}",
        frame=frame,
        descriptions=descs,
        notes_sv=tuple(notes),
        chart=ChartSpec("Nyckeltal", (pct_col,), "bar", f"Sjukfrånvaro {view.info.year} (%)"),
    )


def note_history_table(view: NoteView) -> FigureTable:
    """Every year the data has, one row per figure and year (long format)."""
    rows = [
        (
            ln.label_sv,
            str(y.year),
            ln.kolada_id,
            ln.n,
            ln.value,
            ln.suppressed,
            ln.inapplicable_sv
            or ("Tio eller färre anställda i gruppen (SKR)" if ln.suppressed else None),
        )
        for y in view.years()
        for ln in y.lines
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            "Nyckeltal": pl.String,
            "År": pl.String,
            "Kolada-id": pl.String,
            "Antal anställda": pl.Int64,
            "sick_leave_note": pl.Float64,
            SUPPRESSED_COL: pl.Boolean,
            REASON_COL: pl.String,
        },
        orient="row",
    )
    return FigureTable(
        id="sjukfranvaro_ar",
        title_sv="Sjukfrånvaro per år",
        frame=frame,
        descriptions=(NOTE_DESCRIPTION,),
        notes_sv=("Grupper med tio eller färre anställda redovisas inte (SKR).",),
    )


def note_kolada_rows(view: NoteView) -> list[tuple[str, str, int, float | None]]:
    """(kpi, gender T/K/M, year, value) per figure and year: gender is a cut of the id."""
    out: list[tuple[str, str, int, float | None]] = []
    for y in view.years():
        for ln in y.lines:
            kpi, _, cut = ln.kolada_id.partition(" ")
            gender = cut.strip("()") if cut else "T"
            out.append((kpi, gender, y.year, ln.value))
    return out


def note_chart(view: NoteView) -> str:
    """The six sick-leave rates (not the long-term share, whose base differs) per year."""
    from hallbar.services.figures.charts import grouped_bars

    years = view.years()
    if not years:
        return ""
    keys = [ln.key for ln in years[0].lines if ln.key != "long_term_share"]
    labels = [
        ln.label_sv.replace("Sjukfrånvaro ", "").capitalize()
        for ln in years[0].lines
        if ln.key in keys
    ]
    series = [
        (str(y.year), [next((ln.value for ln in y.lines if ln.key == k), None) for k in keys])
        for y in years
    ]
    return grouped_bars(
        "note-chart",
        labels,
        series,
        title=f"Sjukfrånvaro i procent av ordinarie arbetstid – {view.info.label}",
        desc="Stapeldiagram per grupp och år. Grupper med tio eller färre anställda ritas inte.",
        unit="%",
    )


# --- the JSON twin's fields (pages, API and the CLI's --json alike) ----------------------


def info_json(info: ScopeInfo) -> dict[str, object]:
    """Where a key-figure page's numbers come from: organisation, year, selection, filter."""
    return {
        "organisation": {"id": info.org_id, "namn": info.org_name, "typ": info.kind},
        "ar": info.year,
        "urval": {"enhet": info.unit_id, "namn": info.label},
        "uppdelning": info.by,
        "yrkesindelning": info.occupation_key,
        "filter": info.population.query(),
        "filter_text": info.filter_label_sv or None,
        "filter_meddelanden": list(info.notices_sv),
        "underlag_per": info.as_of.isoformat(),
        "minsta_grupp": info.min_group_size,
    }


def note_json(view: NoteView) -> dict[str, object]:
    """The statutory note's own fields: one entry per year, one row per figure (stable keys)."""
    years = [
        {
            "ar": y.year,
            "undantag": y.exemption_sv,
            "rader": [
                {
                    "nyckel": ln.key,
                    "namn": ln.label_sv,
                    "kolada_id": ln.kolada_id,
                    "antal": ln.n,
                    "procent": ln.value,
                    "dolt": ln.suppressed,
                    "ej_tillampligt": ln.inapplicable_sv,
                }
                for ln in y.lines
            ],
        }
        for y in view.years()
    ]
    return {
        "sjukfranvaro": years,
        "meddelande": view.message_sv,
        "definition": view.description.as_text(),
        "minsta_grupp_sjukfranvaro": view.min_group_size,
    }
