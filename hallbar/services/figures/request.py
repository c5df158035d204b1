"""Inputs of the key-figure pages: the request, the user's scope and cached packs.

A request names the year, the unit subtree, one dimension to break down by,
the occupational classification and population filters (``filters``:
gender, age band, employment form, occupation, occupation type). The scope check happens here, before any
data is touched: a manager only reaches the units they manage and the units
below them (a unit outside that scope answers as if it did not exist).

Computing the whole pack for a region takes a second or two, so packs are
cached per services root, organisation, import and parameters; a new import
changes the key and the next request computes afresh.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource, Role
from hallbar.core.codes import Gender
from hallbar.core.dataset import HRData
from hallbar.core.errors import HallbarError, InputError
from hallbar.indicators import DIMENSIONS, Params, compute_pack, registry
from hallbar.indicators.cache import shared_cache
from hallbar.indicators.pack import Pack
from hallbar.indicators.registry import FigureResult
from hallbar.indicators.sick_leave_note import SickLeaveNote, sick_leave_notes
from hallbar.privacy.model import DisclosureModel, Filters
from hallbar.services import disclosure
from hallbar.services.figures.filters import (
    AGES,
    BY_TYPE_FILTERED_SV,
    FORMS,
    GENDERS,
    PopulationFilter,
    apply_filter,
    apply_filter_or_empty,
    inapplicable,
    parse_filter,
)
from hallbar.services.memo import ByIdentity, HbCache
from hallbar.services.projection.inputs import occupation_labels
from hallbar.services.scope import Scope, open_scope
from hallbar.services.units import UnitIndex

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

_CACHE_SIZE = 24
# Packs and breakdowns are also kept on disk per snapshot (services.memo), so a restart
# or another web worker reads them instead of computing them again.
_packs: HbCache[Pack] = HbCache(_CACHE_SIZE, persist="packs")
_figure_sets: HbCache[tuple[dict[str, FigureResult], dict[str, str]]] = HbCache(
    _CACHE_SIZE, persist="figure-sets"
)
_single: HbCache[tuple[FigureResult | None, str | None]] = HbCache(
    4 * _CACHE_SIZE, persist="figures"
)
_notes: HbCache[tuple[tuple[SickLeaveNote, ...], str | None]] = HbCache(
    _CACHE_SIZE, persist="notes"
)
_occupations: HbCache[dict[str, str]] = HbCache(_CACHE_SIZE)
_years: ByIdentity[tuple[int, ...]] = ByIdentity()
_codes: ByIdentity[list[str]] = ByIdentity()

# Dimension -> Swedish label (the overview's and the trend's "Dela upp efter").
DIMENSION_LABELS: dict[str, str] = {
    "unit_id": "Enhet",
    "ssyk": "Yrke (SSYK)",
    "aid_code": "Yrke (AID)",
    "gender": "Kön",
    "age_band": "Åldersgrupp",
    "employment_form": "Anställningsform",
    "occupation_type": "Kvinno-/mansdominerat yrke",
}
GENDER_LABELS = {Gender.WOMAN.value: "Kvinnor", Gender.MAN.value: "Män"}
TOTAL = "Totalt"


class FigureInputError(InputError):
    """A request field the user can correct (year, dimension, classification)."""


class HiddenAnswer(InputError):
    """The disclosure model hides the whole answer (unit subtree × filter) the request
    asks for; every view but the overview (which shows each figure as hidden) says so."""


# Roles entitled to exact values outside the query space: HR (the statutory note, the
# pay survey, occupation filters) and the administrator.
ENTITLED = frozenset({Role.HR, Role.ADMIN})
OCCUPATION_FILTER_REFUSED_SV = (
    "Filtren på yrke och yrkestyp finns bara för HR: de ligger utanför det skydd för små "
    "grupper som gäller alla svar (se dokumentationen om röjandeskydd). Ta bort filtret."
)


@dataclass(frozen=True)
class FigureRequest:
    """What the user asked for. ``None`` fields take their defaults from the data."""

    year: int | None = None
    unit_id: str | None = None
    by: str | None = None  # one of DIMENSIONS
    occupation_key: str = "ssyk"  # "ssyk" or "aid_code"
    population: PopulationFilter = field(default_factory=PopulationFilter)

    def query(self) -> dict[str, str]:
        """The request as query-string fields (the names the pages use)."""
        out: dict[str, str] = {}
        if self.year is not None:
            out["ar"] = str(self.year)
        if self.unit_id:
            out["enhet"] = self.unit_id
        if self.by:
            out["dela"] = self.by
        if self.occupation_key != "ssyk":
            out["yrke"] = "aid"
        out.update(self.population.query())
        return out


def parse_request(values: Mapping[str, str | None]) -> FigureRequest:
    """The request from query-string fields ``ar``, ``enhet``, ``dela``, ``yrke`` and the
    filter fields (``filters.FIELDS``)."""
    year_text = (values.get("ar") or "").strip()
    year: int | None = None
    if year_text:
        if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
            raise FigureInputError(f"Året '{year_text}' är inte ett årtal. Skriv t.ex. 2025.")
        year = int(year_text)
    by = (values.get("dela") or "").strip() or None
    if by is not None and by not in DIMENSIONS:
        raise FigureInputError(
            f"Okänd uppdelning '{by}'. Välj en av: {', '.join(DIMENSION_LABELS.values())}."
        )
    key = (values.get("yrke") or "ssyk").strip()
    if key not in ("ssyk", "aid", "aid_code"):
        raise FigureInputError(f"Okänd yrkesindelning '{key}'. Välj ssyk eller aid.")
    unit = (values.get("enhet") or "").strip() or None
    return FigureRequest(
        year, unit, by, "ssyk" if key == "ssyk" else "aid_code", parse_filter(values)
    )


@dataclass(frozen=True)
class Selection:
    """A key-figure request applied to a ``Scope``: year, parameters and population filter.

    The organisation, unit and visibility come from the one ``services.scope.Scope``;
    ``data`` is that scope's data narrowed by the population filter.
    """

    scope: Scope
    data: HRData  # the scope's subtree, then filtered
    year: int
    year_choices: tuple[int, ...]
    params: Params
    request: FigureRequest  # ``by`` dropped when the filter makes it meaningless
    occupation_choices: tuple[tuple[str, str], ...] = ()  # (code, label) in the units
    filter_label_sv: str = ""  # "Urval: Kvinnor, 30–49 år" or ""
    inapplicable: Mapping[str, str] = field(default_factory=dict)  # figure id -> reason
    notices_sv: tuple[str, ...] = ()  # what the filter changed on the page
    # The disclosure models of the organisation's snapshot (services.disclosure) and
    # this answer's coordinates in them; ``cube_unit`` None with ``in_cube`` False: a
    # manager's several subtrees, which are no one answer.
    model: DisclosureModel | None = None
    sick_model: DisclosureModel | None = None
    in_cube: bool = True
    cube_unit: str | None = None
    cube_filters: Filters = field(default_factory=dict)
    # The cell key method's secret for occupation breakdowns (services.disclosure).
    cell_key_secret: bytes = b""

    @property
    def hidden_sv(self) -> str | None:
        """Why the key figures' answer is hidden, or None when it may be shown."""
        return self.reason_sv(self.model)

    def reason_sv(self, model: DisclosureModel | None) -> str | None:
        if model is None:
            return None
        if not self.in_cube:
            return disclosure.SEVERAL_ROOTS_SV
        return model.reason_sv(self.cube_unit, self.cube_filters)

    @property
    def org_id(self) -> str:
        return self.scope.org_id

    @property
    def org_name(self) -> str:
        return self.scope.org_name

    @property
    def kind(self) -> str:
        return self.scope.kind

    @property
    def as_of(self) -> date:
        return self.scope.as_of

    @property
    def full(self) -> HRData:
        return self.scope.full

    @property
    def index(self) -> UnitIndex:
        return self.scope.index

    @property
    def unit_id(self) -> str | None:
        return self.scope.unit_id

    @property
    def label(self) -> str:
        return self.scope.label

    @property
    def unit_choices(self) -> tuple[tuple[str, str], ...]:
        """The few units the unit picker lists beside its search (``Scope.unit_picker``)."""
        return self.scope.unit_picker

    @property
    def snapshot_id(self) -> str | None:
        return self.scope.snapshot_id

    @property
    def import_id(self) -> int | None:
        return self.scope.import_id


def default_year(as_of: date) -> int:
    """The latest year whose snapshot date (1 November) the data reaches."""
    return as_of.year if as_of >= date(as_of.year, 11, 1) else as_of.year - 1


def data_years(data: HRData) -> tuple[int, ...]:
    """Years with working-time data, else the years up to the data's snapshot."""
    # Once per loaded dataset: every key-figure request asks, and it reads every month.
    return _years.get_or_compute(data, "years", lambda: _data_years(data))


def _data_years(data: HRData) -> tuple[int, ...]:
    last = default_year(data.as_of)
    if data.working_time.height:
        years = {d.year for d in data.working_time["month"].drop_nulls().unique().to_list()}
        years = {y for y in years if y <= last} or {last}
        return tuple(sorted(years))
    return (last,)


def open_selection(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: FigureRequest,
    resource: Resource = Resource.FIG_FIGURES,
    *,
    hidden_ok: bool = False,
    statutory: bool = False,
    individual: bool = False,
    empty_ok: bool = False,
) -> Selection:
    """Open the scope (``services.scope.open_scope``) and apply the request to it.

    The disclosure model decides whether the answer (unit subtree × filter) may be
    shown: when it is hidden, ``HiddenAnswer`` is raised unless ``hidden_ok`` (the
    overview shows every figure as hidden itself; the data is then left unfiltered and
    must not be shown). ``statutory``: a statutory report (the sick-leave note) for a
    role entitled to it (HR), which keeps its own rules instead. ``individual``: a
    list of named persons (access and the audit log govern those, not aggregates).
    ``empty_ok``: nobody in the filtered population gives empty data, not the message
    (the trend, ``filters.apply_filter_or_empty``).
    """
    scope = open_scope(hb, principal, org_id, resource, request.unit_id)
    full = scope.full
    years = data_years(full)
    year = request.year if request.year is not None else years[-1]
    if year not in years:
        raise FigureInputError(
            f"Det finns inga uppgifter för {year}. Välj ett av åren {', '.join(map(str, years))}."
        )
    population = request.population
    notices: list[str] = []
    if request.by == "occupation_type" and population.changes_composition:
        request = replace(request, by=None)
        notices.append(BY_TYPE_FILTERED_SV)
    params = Params.from_settings(
        hb.settings,
        year,
        by=(request.by,) if request.by else (),
        occupation_key=request.occupation_key,
        as_of=full.as_of if year == default_year(full.as_of) else date(year, 12, 31),
    )
    entitled = principal.role in ENTITLED or principal.local_operator
    if (population.occupation or population.occupation_type) and not entitled:
        raise FigureInputError(OCCUPATION_FILTER_REFUSED_SV)
    model = sick_model = None
    if not (statutory and entitled) and not individual:
        model = disclosure.key_figure_model(
            hb, org_id, scope.import_id, full, params.snapshot, year
        )
        sick_model = disclosure.sick_leave_model(
            hb, org_id, scope.import_id, full, params.snapshot, year
        )
    in_cube, cube_unit = disclosure.answer_unit(
        scope.unit_id, scope.visible, disclosure.unit_parents(full), scope.whole
    )
    cube = disclosure.cube_filters(
        GENDERS[population.gender][0] if population.gender else None,
        AGES[population.age_band][0] if population.age_band else None,
        FORMS[population.employment_form][0] if population.employment_form else None,
    )
    hidden = None
    if model is not None:
        hidden = disclosure.SEVERAL_ROOTS_SV if not in_cube else model.reason_sv(cube_unit, cube)
    if hidden is not None and not hidden_ok:
        raise HiddenAnswer(
            f"Uppgifterna för urvalet visas inte: {hidden}. Välj en större enhet eller "
            "färre filter."
        )
    # The filter runs after the unit scope, so it can only narrow what the user may see.
    base = scope.data
    # A hidden answer is never computed: an empty filtered population would say so.
    narrow = apply_filter_or_empty if empty_ok else apply_filter
    data = base if hidden is not None else narrow(base, population, params)
    occ_labels = _occupation_names(hb, org_id, scope.import_id, full, request.occupation_key)
    codes = _codes.get_or_compute(
        full,
        (scope.unit_id, scope.whole, request.occupation_key),
        lambda: base.employments[request.occupation_key].drop_nulls().unique().sort().to_list(),
    )
    occupation_choices = tuple((str(c), occ_labels.get(str(c), str(c))) for c in codes)
    return Selection(
        scope,
        data,
        year,
        years,
        params,
        request,
        occupation_choices,
        population.label_sv(occ_labels),
        inapplicable(population),
        tuple(notices),
        model,
        sick_model,
        in_cube,
        cube_unit,
        cube,
        disclosure.cell_key_secret(hb),
    )


def _occupation_names(
    hb: Hallbar, org_id: str, import_id: int | None, full: HRData, key: str
) -> dict[str, str]:
    """Code -> "code title" for the classification, cached per import."""
    cache_key = ("occupations", org_id, import_id, key)
    hit = _occupations.get(hb, cache_key)
    if hit is None:
        hit = occupation_labels(full, "ssyk" if key == "ssyk" else "aid")
        _occupations.put(hb, cache_key, hit)
    return hit


def _data_key(scope: Selection) -> tuple[object, ...]:
    """What a computation on ``scope.data`` depends on besides its parameters."""
    return (scope.org_id, scope.import_id, scope.unit_id, scope.request.population)


def pack_for(hb: Hallbar, scope: Selection, params: Params | None = None) -> Pack:
    """The whole pack (totals, note, comparison, priority areas) for the scope, cached."""
    p = (params or scope.params).with_(by=())
    key = ("pack", *_data_key(scope), p)
    return _packs.get_or_compute(
        hb, key, lambda: compute_pack(scope.data, p), snapshot=scope.snapshot_id
    )


def _cached_pack(hb: Hallbar, scope: Selection, p: Params) -> Pack | None:
    return _packs.get(hb, ("pack", *_data_key(scope), p.with_(by=())))


def figure_for_year(
    hb: Hallbar, scope: Selection, figure_id: str, year: int
) -> tuple[FigureResult | None, str | None]:
    """One figure for another year (a trend's point): the result, or why it is missing.

    Equal to ``pack_for(…, year=year).results[figure_id]``, without computing the
    rest of that year's pack: a page showing three years computes one pack, not three."""
    p = scope.params.with_(year=year, by=())
    pack = _cached_pack(hb, scope, p)
    if pack is not None:
        return pack.results.get(figure_id), pack.missing.get(figure_id)

    def compute() -> tuple[FigureResult | None, str | None]:
        # Its own block: inside a page's block the year's frames go when it is done.
        with shared_cache():
            try:
                return registry.compute(figure_id, scope.data, p), None
            except HallbarError as err:
                return None, str(err)

    key = ("figure", *_data_key(scope), figure_id, p)
    return _single.get_or_compute(hb, key, compute, snapshot=scope.snapshot_id)


def notes_for_year(
    hb: Hallbar, scope: Selection, year: int
) -> tuple[tuple[SickLeaveNote, ...], str | None]:
    """The statutory note of a year (and why it is missing): ``pack_for``'s ``notes`` and
    first message without the rest of the pack."""
    p = scope.params.with_(year=year, by=())
    pack = _cached_pack(hb, scope, p)
    if pack is not None:
        return pack.notes, (pack.messages_sv[0] if not pack.notes and pack.messages_sv else None)

    def compute() -> tuple[tuple[SickLeaveNote, ...], str | None]:
        # Its own block: inside a page's block the year's frames go when it is done.
        with shared_cache():
            try:
                return sick_leave_notes(scope.data, p), None
            except HallbarError as err:
                return (), str(err)

    key = ("notes", *_data_key(scope), p)
    return _notes.get_or_compute(hb, key, compute, snapshot=scope.snapshot_id)


def figures_by(
    hb: Hallbar, scope: Selection, by: tuple[str, ...]
) -> tuple[dict[str, FigureResult], dict[str, str]]:
    """Every aggregate figure cut by ``by`` (results, and the reasons of missing ones)."""
    if not by:
        pack = pack_for(hb, scope)
        return pack.results, pack.missing
    p = scope.params.with_(by=by)
    key = ("by", *_data_key(scope), p)

    def compute() -> tuple[dict[str, FigureResult], dict[str, str]]:
        results: dict[str, FigureResult] = {}
        missing: dict[str, str] = {}
        with shared_cache():
            for figure in registry.all():
                if figure.individual:
                    continue
                try:
                    results[figure.id] = registry.compute(figure.id, scope.data, p)
                except HallbarError as err:
                    missing[figure.id] = str(err)
        return results, missing

    return _figure_sets.get_or_compute(hb, key, compute, snapshot=scope.snapshot_id)


def dimension_labels(scope: Selection, dimension: str) -> dict[str, str]:
    """Value -> Swedish label for a dimension's values (unit names, occupation titles …)."""
    if dimension == "unit_id":
        return dict(scope.index.names)
    if dimension == "gender":
        return dict(GENDER_LABELS)
    if dimension in ("ssyk", "aid_code"):
        return occupation_labels(scope.full, "ssyk" if dimension == "ssyk" else "aid")
    return {}


def label_column(frame: pl.DataFrame, column: str, labels: Mapping[str, str]) -> pl.Series:
    values = frame[column].cast(pl.String).to_list()
    return pl.Series(
        column,
        [TOTAL if v == TOTAL else labels.get(v, v) if v is not None else "okänt" for v in values],
        dtype=pl.String,
    )
