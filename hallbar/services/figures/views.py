"""Trend, the priority-area dashboard, women- vs men-dominated working conditions,
and the agency-staff table (see ``figures`` for the access and protection rules)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.dataset import HRData
from hallbar.core.describe import ChartSpec, Description, FigureTable
from hallbar.core.errors import InsufficientData
from hallbar.indicators import registry, series
from hallbar.indicators.dominance import DESCRIPTION, DominanceComparison
from hallbar.indicators.params import Params
from hallbar.indicators.priority import AREAS
from hallbar.indicators.registry import FigureResult
from hallbar.indicators.series import SERIES_FIGURES
from hallbar.privacy.model import Filters
from hallbar.privacy.suppression import REASON_COL, SECONDARY_REASON_SV, SUPPRESSED_COL
from hallbar.reports.formatting import format_count
from hallbar.services import disclosure
from hallbar.services.figures import charts
from hallbar.services.figures.filters import DOMINANCE_FILTERED_SV, apply_filter_or_empty
from hallbar.services.figures.overview import (
    FigureCard,
    ScopeInfo,
    figure_card,
    headline_frame,
    info_of,
    labels_for,
)
from hallbar.services.figures.request import (
    TOTAL,
    FigureInputError,
    FigureRequest,
    Selection,
    data_years,
    dimension_labels,
    figure_for_year,
    open_selection,
    pack_for,
)
from hallbar.services.figures.tables import (
    COUNT,
    CUBE_COLUMNS,
    min_group,
    protected_frame,
    to_table,
)
from hallbar.services.memo import HbCache

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

MAX_LINES = 8  # more groups than this make a line chart unreadable; the table has them all
# (eight is also the palette's size: no two lines share a colour)
FREQ_LABELS = {"month": "Månad", "year": "År"}

# --- trend --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendView:
    info: ScopeInfo
    figure_id: str
    figure_choices: tuple[tuple[str, str], ...]
    freq: str
    table: FigureTable | None
    svg: str
    message_sv: str | None
    # Not every period has its disclosure model yet: nothing of the series is shown.
    progress: TrendProgress | None = None

    def tables(self) -> list[FigureTable]:
        return [self.table] if self.table is not None else []


@dataclass(frozen=True)
class TrendProgress:
    """How many of a trend's periods have their disclosure model (built in the background)."""

    done: int
    total: int
    freq: str

    @property
    def message_sv(self) -> str:
        unit = "månader" if self.freq == "month" else "år"
        return (
            f"Tidsserien beräknas: {self.done} av {self.total} {unit} klara. Varje period "
            "skyddas mot röjande av små grupper innan den visas; sidan uppdateras av sig själv."
        )


def _period_label(d: date, freq: str) -> str:
    return f"{d.year}-{d.month:02d}" if freq == "month" else str(d.year)


def trend_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: FigureRequest,
    figure_id: str = "sick_leave_total",
    freq: str = "month",
) -> TrendView:
    """A monthly or yearly series of one figure, broken down by the chosen dimension."""
    if figure_id not in SERIES_FIGURES:
        raise FigureInputError(
            f"Tidsserie finns inte för '{figure_id}'. Välj ett av: {', '.join(SERIES_FIGURES)}."
        )
    if freq not in FREQ_LABELS:
        raise FigureInputError("Välj månad eller år för tidsserien.")
    # Every period is decided by its own model (``_protect_periods``), so the trend of an
    # answer the snapshot hides is computed too: its snapshot period stays hidden, since
    # that period's model is the snapshot's.
    scope = open_selection(hb, principal, org_id, request, hidden_ok=True, empty_ok=True)
    if not scope.in_cube:
        open_selection(hb, principal, org_id, request)  # raises HiddenAnswer: no one answer
    figure = registry.get(figure_id)
    choices = tuple((f, registry.get(f).description.name_sv) for f in SERIES_FIGURES)
    info = info_of(hb, scope)
    by = scope.request.by  # dropped by open_selection when the filter makes it meaningless
    years = scope.year_choices
    if figure_id in scope.inapplicable:
        return TrendView(info, figure_id, choices, freq, None, "", scope.inapplicable[figure_id])
    progress = _models_progress(hb, scope, figure_id, freq, years)
    if progress is not None:
        # No period is shown without its model: the page waits for the background build.
        return TrendView(info, figure_id, choices, freq, None, "", None, progress)
    if scope.hidden_sv is not None:
        scope = replace(
            scope, data=apply_filter_or_empty(scope.data, scope.request.population, scope.params)
        )
    try:
        total = series(figure_id, scope.data, freq, (), scope.params, years)
        cut = series(figure_id, scope.data, freq, (by,), scope.params, years) if by else None
    except InsufficientData as err:
        # Nobody counted in any period: zero rows, decided per period like any other. A
        # message ("no staff in the selection") would say every period is empty on its
        # own, also where a period's model hides a zero; it stays only when the
        # organisation has no period at all (no working time for sick leave).
        if not _periods(scope, figure_id, freq, years):
            return TrendView(info, figure_id, choices, freq, None, "", err.message)
        total = _empty_series(None)
        cut = _empty_series(by) if by else None
    total = _every_period(scope, figure_id, freq, years, total, None, ())
    if cut is not None and by in CUBE_COLUMNS and scope.model is not None:
        by_values = disclosure.model_values(scope.model, by)
        cut = _every_period(scope, figure_id, freq, years, cut, by, by_values)
    min_n = min_group(figure_id, hb.settings.min_group_size)
    res_total = FigureResult(figure.description, total, ("value",))
    res_cut = FigureResult(figure.description, cut, ("value",)) if cut is not None else res_total
    frame, groups = protected_frame(
        figure_id, res_cut, res_total if cut is not None else None, by, min_n
    )
    frame = _protect_periods(hb, scope, figure_id, freq, frame, groups, min_n)
    occupation = next((g for g in groups if g in disclosure.OCCUPATION_COLUMNS), None)
    if occupation is not None and scope.model is not None:
        # Sums per occupation are exploration's concern (services.disclosure); a series
        # has no perturbed head count per period, so its sums are hidden.
        frame = disclosure.explore_occupation_rows(frame, occupation, figure_id, TOTAL)
    frame = frame.with_columns(
        pl.col("period").map_elements(lambda d: _period_label(d, freq), return_dtype=pl.String)
    ).rename({"period": "_period"})
    labels = labels_for(scope, groups)
    table = to_table(figure_id, frame, groups, labels, min_n=min_n)
    table = FigureTable(
        f"trend_{figure_id}",
        f"{figure.description.name_sv} per {FREQ_LABELS[freq].lower()}",
        table.frame.rename({"_period": FREQ_LABELS[freq]}),
        table.descriptions,
        table.notes_sv,
        ChartSpec(FREQ_LABELS[freq], (figure_id,), "line", figure.description.name_sv)
        if not groups
        else None,
    )
    periods = sorted(set(frame["_period"].to_list()))
    lines: list[tuple[str, list[float | None]]] = []
    if groups:
        g = groups[0]
        names = labels.get(g, {})
        keys = [k for k in frame[g].unique(maintain_order=True).to_list()]
        for k in [TOTAL, *[k for k in keys if k != TOTAL]]:
            part = frame.filter(pl.col(g) == k)
            got = dict(zip(part["_period"].to_list(), part["value"].to_list(), strict=True))
            values = [got.get(p) for p in periods]
            # A group hidden in every period draws no line, so it gets no colour or name.
            if any(v is not None for v in values) and len(lines) < MAX_LINES:
                lines.append((TOTAL if k == TOTAL else names.get(k, k), values))
    else:
        got = dict(zip(frame["_period"].to_list(), frame["value"].to_list(), strict=True))
        lines.append((figure.description.name_sv, [got.get(p) for p in periods]))
    d = figure.description
    svg = charts.line_chart(
        "trend",
        periods,
        lines,
        title=f"{d.name_sv} per {FREQ_LABELS[freq].lower()} – {scope.label}",
        desc=f"Linjediagram. Enhet: {d.unit}. Dolda värden (små grupper) visas som avbrott i linjen.",
        unit=d.unit,
    )
    return TrendView(info, figure_id, choices, freq, table, svg, None)


def _zero(figure_id: str) -> float | None:
    """A series' value for a period without persons: a count or FTE is zero, a rate has
    no denominator."""
    return 0.0 if figure_id in ("headcount", "fte") else None


def _empty_series(by: str | None) -> pl.DataFrame:
    schema: dict[str, Any] = {"org_id": pl.String, "period": pl.Date}
    if by:
        schema[by] = pl.String
    return pl.DataFrame(schema={**schema, "n": pl.Int64, "value": pl.Float64})


def _periods(scope: Selection, figure_id: str, freq: str, years: Sequence[int]) -> list[date]:
    return _periods_of(scope.full, figure_id, freq, years)


def _periods_of(full: HRData, figure_id: str, freq: str, years: Sequence[int]) -> list[date]:
    """Every period a trend of the organisation can have: months (or years) of ``years``
    up to the data's date; for figures over working time, those with working time."""
    months = [date(y, m, 1) for y in years for m in range(1, 13) if date(y, m, 1) <= full.as_of]
    if figure_id not in ("headcount", "fte"):
        worked = set(full.working_time["month"].drop_nulls().unique().to_list())
        months = [m for m in months if m in worked]
    if freq == "month":
        return months
    return sorted({date(m.year, 1, 1) for m in months})


def _every_period(
    scope: Selection,
    figure_id: str,
    freq: str,
    years: Sequence[int],
    frame: pl.DataFrame,
    by: str | None,
    values: Sequence[str],
) -> pl.DataFrame:
    """``frame`` with a row for every period (and every value of ``by``), zero where
    nobody is counted. A missing row would say "zero" on its own, also where the
    period's model hides a zero to protect another cell; a row is decided by the model."""
    grid = pl.DataFrame(
        {"period": _periods(scope, figure_id, freq, years)}, schema={"period": pl.Date}
    )
    if by is not None:
        grid = grid.join(pl.DataFrame({by: list(values)}, schema={by: pl.String}), how="cross")
    on = ["period", *([by] if by else [])]
    present = frame.select(on).with_columns(pl.lit(True).alias("_present"))
    missing = grid.join(present, on=on, how="left").filter(pl.col("_present").is_null())
    if missing.height == 0:
        return frame
    zero = _zero(figure_id)
    filler = missing.select(on).with_columns(
        pl.lit(scope.org_id, pl.String).alias("org_id"),
        pl.lit(0, pl.Int64).alias("n"),
        pl.lit(zero, pl.Float64).alias("value"),
    )
    filler = filler.with_columns(
        [pl.lit(None).cast(t).alias(c) for c, t in frame.schema.items() if c not in filler.columns]
    ).select(frame.columns)
    return pl.concat([frame, filler], how="vertical_relaxed").sort(on)


def _period_span(params: Params, period: date, freq: str) -> tuple[date, date, date]:
    """(first day, last day, the day persons are placed in units) of a series' period:
    a month counts on its first day, a year on its snapshot date (``indicators.series``)."""
    if freq == "month":
        last = (period + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        return period, last, period
    snapshot = _year_snapshot(params, period.year)
    return period, date(period.year, 12, 31), snapshot


def _year_snapshot(params: Params, year: int) -> date:
    p = params
    return p.with_(year=year, on=None).snapshot if p.on is None else p.on.replace(year=year)


# --- the period models, built before a trend is shown ---------------------------------
#
# Each period of a trend has a disclosure model of its own (``_protect_periods``); a
# large organisation's takes many seconds (docs/benchmarks.md, "Disclosure models per
# period"). They are built after an import (``prepare_trend_models``); a page that
# finds some missing builds them itself only while that is quick, then leaves the rest
# to a background thread and says how far it has come (``TrendProgress``).

# Processor time a page spends building missing period models before it hands the
# rest to the background, and the organisation size (persons) up to which it tries:
# a larger one's single model already takes longer than a page may (docs/benchmarks.md).
WAIT_FOR_MODELS_S = 2.0
SMALL_ORGANISATION = 5000


def trend_models(
    hb: Hallbar,
    org_id: str,
    import_id: int | None,
    full: HRData,
    params: Params,
    figure_id: str,
    freq: str,
    years: Sequence[int],
) -> list[disclosure.PeriodModel]:
    """The model of every period of ``figure_id``'s trend (``_protect_periods``)."""
    min_n = min_group(figure_id, hb.settings.min_group_size)
    return [
        disclosure.period_entry(
            hb,
            org_id,
            import_id,
            full,
            figure_id,
            _period_span(params, period, freq),
            _year_snapshot(params, period.year),
            min_n,
        )
        for period in _periods_of(full, figure_id, freq, years)
    ]


def _models_progress(
    hb: Hallbar, scope: Selection, figure_id: str, freq: str, years: Sequence[int]
) -> TrendProgress | None:
    """None when every period's model is built (or was quick to build now); otherwise
    the missing ones are being built in the background and this says how many are done."""
    entries = trend_models(
        hb, scope.org_id, scope.import_id, scope.full, scope.params, figure_id, freq, years
    )
    missing = [e for e in entries if not e.ready(hb)]
    if not missing:
        return None
    # A build already under way holds the locks of its models: waiting for one of them
    # here could take as long as the build itself.
    quick = scope.full.persons.height <= SMALL_ORGANISATION and not disclosure.building(
        hb, scope.org_id, scope.import_id
    )
    started = time.thread_time()
    while missing and quick and time.thread_time() - started < WAIT_FOR_MODELS_S:
        missing.pop(0).get(hb)
    if not missing:
        return None
    disclosure.build_in_background(hb, scope.org_id, scope.import_id, missing)
    return TrendProgress(len(entries) - len(missing), len(entries), freq)


def prepare_trend_models(hb: Hallbar, org_id: str) -> int:
    """Build the period models of every trend of the organisation's active snapshot
    (every series figure, monthly and yearly; the default trend first), so its trend
    pages show at once after an import. Returns the number of distinct models."""
    record, full = hb.snapshot(org_id)
    years = data_years(full)
    params = Params.from_settings(hb.settings, years[-1])
    entries: dict[tuple[object, ...], disclosure.PeriodModel] = {}
    for freq in FREQ_LABELS:
        for figure_id in SERIES_FIGURES:
            for entry in trend_models(hb, org_id, record.id, full, params, figure_id, freq, years):
                entries.setdefault(entry.key, entry)
    disclosure.build_now(hb, org_id, record.id, list(entries.values()))
    return len(entries)


def _protect_periods(
    hb: Hallbar,
    scope: Selection,
    figure_id: str,
    freq: str,
    frame: pl.DataFrame,
    groups: Sequence[str],
    min_n: int,
) -> pl.DataFrame:
    """Every period's rows as that period's disclosure model decides them.

    The snapshot's model decides whether the answer may be shown at all, but a series
    counts other persons in every period (people come and go): a unit's months minus
    its sub-units' months, or the unfiltered months minus the filtered ones, would
    give small groups the snapshot does not have. Each period has a model of its own
    over the whole cube (``disclosure.period_model``), so a row of the answer's unit and
    filters (and a cube value of the breakdown, or a leaf unit of a unit breakdown)
    shows the period model's count and its magnitudes only where that model releases
    the count; a unit breakdown's row of a unit with sub-units (its own staff) is no
    answer of the cube and is hidden; rows of other breakdowns (occupation) keep the
    table's and exploration's rules, their "Totalt" row is the answer itself."""
    parents = disclosure.unit_parents(scope.full)
    leaves = frozenset(parents) - {p for p in parents.values() if p is not None}
    counts = [c for c in (COUNT,) if c in frame.columns]
    numeric = [
        c for c, t in frame.schema.items() if t.is_numeric() and c not in ("period", *groups)
    ]
    out: list[pl.DataFrame] = []
    for (period,), part in frame.group_by("period", maintain_order=True):
        assert isinstance(period, date)
        model = disclosure.period_model(
            hb,
            scope.org_id,
            scope.import_id,
            scope.full,
            figure_id,
            _period_span(scope.params, period, freq),
            _year_snapshot(scope.params, period.year),
            min_n,
        )
        shown: list[int | None] = []
        reasons: list[str | None] = []
        in_cube: list[bool] = []
        rows = part.select(list(groups)).to_dicts() if groups else [{}] * part.height
        for row in rows:
            cell = _cube_cell(scope, row, groups, leaves)
            in_cube.append(cell is not None)
            if cell is None:
                shown.append(None)
                reasons.append(None)
                continue
            unit, filters = cell
            if unit == _OWN_STAFF:
                shown.append(None)
                reasons.append(SECONDARY_REASON_SV)
                continue
            try:
                reasons.append(model.reason_sv(unit, filters))
                shown.append(model.count(unit, filters))
            except KeyError:  # a unit or value the period's persons do not hold
                reasons.append(SECONDARY_REASON_SV)
                shown.append(None)
        hidden = pl.Series([r is not None for r in reasons], dtype=pl.Boolean)
        cube = pl.Series(in_cube, dtype=pl.Boolean)
        model_n = pl.Series(shown, dtype=pl.Int64)
        part = part.with_columns(
            [pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in numeric]
        ).with_columns(
            (pl.col(SUPPRESSED_COL) | hidden).alias(SUPPRESSED_COL),
            pl.when(hidden & pl.col(REASON_COL).is_null())
            .then(pl.Series(reasons, dtype=pl.String))
            .otherwise(pl.col(REASON_COL))
            .alias(REASON_COL),
        )
        # The count of a row of the cube is the period model's (one row per person, the
        # main employment), never a second way of counting the same answer.
        replaced = [
            pl.when(cube & ~pl.col(SUPPRESSED_COL))
            .then(model_n.cast(part.schema[c]))
            .otherwise(pl.col(c))
            .alias(c)
            for c in counts
        ]
        if figure_id == "headcount" and "value" in part.columns:
            replaced.append(
                pl.when(cube & ~pl.col(SUPPRESSED_COL))
                .then(model_n.cast(pl.Float64))
                .otherwise(pl.col("value"))
                .alias("value")
            )
        out.append(part.with_columns(replaced))
    return pl.concat(out) if out else frame


_OWN_STAFF = "_own_staff"  # a unit breakdown's row of a unit with sub-units


def _cube_cell(
    scope: Selection,
    row: Mapping[str, object],
    groups: Sequence[str],
    leaves: frozenset[str],
) -> tuple[str | None, Filters] | None:
    """The cube cell a trend row counts (unit, filters), ``_OWN_STAFF`` as the unit for
    the own staff of a unit with sub-units, or None for a row outside the cube."""
    unit = scope.cube_unit
    filters = dict(scope.cube_filters)
    for g in groups:
        value = row[g]
        if value == TOTAL:
            continue
        if g in CUBE_COLUMNS:
            filters[g] = disclosure.UNKNOWN if value is None else str(value)
        elif g == "unit_id":
            if value is None or str(value) not in leaves:
                return _OWN_STAFF, filters
            unit = str(value)
        else:
            return None
    return unit, filters


# --- the four priority areas --------------------------------------------------------

# The figures drawn as a yearly trend in each area (column of the figure's frame).
_dashboards: HbCache[DashboardView] = HbCache(24)
AREA_TRENDS: dict[str, tuple[str, str]] = {
    "fulltime": ("fulltime_working", "value"),
    "health": ("sick_leave_total", "value"),
    "managers": ("span_of_control", "mean"),
    "pay": ("pay_ratio_women_men", "value"),
}
STANDOUT_KIND = {"enhet": "Enhet", "chef": "Chef", "yrke": "Yrke"}
STANDOUT_DESCRIPTION = Description(
    id="standouts",
    name_sv="Enheter och yrken som sticker ut",
    definition_sv=(
        "Enheter med sjukfrånvaro över gränsen (inställning, standard 10 %), enheter vars chef har "
        "fler än 30 medarbetare, enheter där färre än hälften arbetar heltid och yrken där kvinnors "
        "medianlön är under 95 % av mäns. Små grupper ingår inte."
    ),
    population_sv="Enheter och yrken i urvalet.",
    unit="se rad",
    source="Hållbara organisationer (seed 000); Statens utredning 2017; EU-direktivet 2023/970 art. 10",
)


@dataclass(frozen=True)
class PriorityView:
    key: str
    name_sv: str
    cards: tuple[FigureCard, ...]
    trend_figure: str
    trend_years: tuple[str, ...]
    trend_values: tuple[float | None, ...]
    trend_svg: str
    standouts: FigureTable
    notes_sv: tuple[str, ...]


@dataclass(frozen=True)
class DashboardView:
    info: ScopeInfo
    areas: tuple[PriorityView, ...]
    may_list_individuals: bool

    def tables(self) -> list[FigureTable]:
        out: list[FigureTable] = []
        for a in self.areas:
            frame = headline_frame(c for c in a.cards if c.table is None or c.headline is not None)
            out.append(
                FigureTable(
                    f"area_{a.key}", a.name_sv, frame, tuple(c.description for c in a.cards)
                )
            )
            trend = pl.DataFrame(
                {"År": list(a.trend_years), a.trend_figure: list(a.trend_values)},
                schema={"År": pl.String, a.trend_figure: pl.Float64},
            )
            desc = registry.get(a.trend_figure).description
            out.append(
                FigureTable(
                    f"trend_{a.key}",
                    f"{a.name_sv}: {desc.name_sv} per år",
                    trend,
                    (desc,),
                    chart=ChartSpec("År", (a.trend_figure,), "line", desc.name_sv),
                )
            )
            out.append(a.standouts)
        return out


def _yearly(hb: Hallbar, scope: Selection, figure_id: str, column: str) -> list[float | None]:
    out: list[float | None] = []
    min_n = min_group(figure_id, hb.settings.min_group_size)
    for y in scope.year_choices:
        # One figure per other year, not a whole pack per year (the page's own year's
        # pack is computed anyway).
        if y == scope.year:
            res = pack_for(hb, scope).results.get(figure_id)
        else:
            res, _ = figure_for_year(hb, scope, figure_id, y)
        if res is None or res.frame.height == 0 or not _year_released(hb, scope, figure_id, y):
            out.append(None)
            continue
        frame, _ = protected_frame(figure_id, res, None, None, min_n)
        v = frame[column][0] if column in frame.columns else None
        out.append(None if v is None else float(v))
    return out


def _year_released(hb: Hallbar, scope: Selection, figure_id: str, year: int) -> bool:
    """Whether the answer may be shown in ``year``: that year's snapshot model decides,
    as the overview of that year does (a trend's point counts that year's persons)."""
    if not scope.in_cube:
        return False
    build = disclosure.sick_leave_model if figure_id.startswith("sick_leave") else None
    model = (build or disclosure.key_figure_model)(
        hb, scope.org_id, scope.import_id, scope.full, _year_snapshot(scope.params, year), year
    )
    try:
        return model.released(scope.cube_unit, scope.cube_filters)
    except KeyError:  # a unit or value that year's persons do not hold
        return False


# Each area's standout value: (column, unit, worst first = highest first). The units and
# the direction follow the threshold: sick leave and span of control stand out above it,
# full-time work and women's pay below it, so the furthest past the threshold comes first.
STANDOUT_VALUES: dict[str, tuple[str, str, bool]] = {
    "health": ("Sjukfrånvaro (%)", "%", True),
    "managers": ("Medarbetare per chef", "medarbetare", True),
    "fulltime": ("Andel som arbetar heltid (%)", "%", False),
    "pay": ("Kvinnors medianlön i procent av mäns", "%", False),
}
STANDOUTS_SHOWN = 8  # a panel lists the worst eight; the rest are one link away


def _standouts_table(scope: Selection, frame: pl.DataFrame, name: str, key: str) -> FigureTable:
    """The units or occupations past the area's threshold, the furthest past it first."""
    names = dict(scope.index.names)
    occ = dimension_labels(scope, scope.params.occupation_key)
    column, unit, highest_first = STANDOUT_VALUES[key]
    counted = unit != "%"
    ordered = frame.sort("value", descending=highest_first, nulls_last=True)
    rows = [
        (
            STANDOUT_KIND.get(r["kind"], r["kind"]),
            (names.get(r["id"], r["id"]) if r["kind"] != "yrke" else occ.get(r["id"], r["id"])),
            None if r["value"] is None else (round(r["value"]) if counted else r["value"]),
            r["reason_sv"],
        )
        for r in ordered.iter_rows(named=True)
    ]
    out = pl.DataFrame(
        rows,
        schema={
            "Typ": pl.String,
            "Namn": pl.String,
            column: pl.Int64 if counted else pl.Float64,
            "Varför": pl.String,
        },
        orient="row",
    )
    return FigureTable(f"standouts_{key}", f"{name}: sticker ut", out, (STANDOUT_DESCRIPTION,))


def dashboard_view(
    hb: Hallbar, principal: Principal, org_id: str, request: FigureRequest
) -> DashboardView:
    """The four priority areas of 'Hållbara organisationer' (seed 000) on one page."""
    scope = open_selection(hb, principal, org_id, replace(request, by=None))
    # The cards, trends and charts cost more than the cached packs: cached per scope and
    # request like the overview (the role decides the links to individual lists).
    key = (
        "dashboard",
        scope.org_id,
        scope.import_id,
        scope.unit_id,
        scope.request,
        scope.unit_choices,
        principal.role,
        hb.settings.min_group_size,
        hb.settings.sick_leave_min_group,
    )
    return _dashboards.get_or_compute(hb, key, lambda: _build_dashboard(hb, principal, scope))


def _build_dashboard(hb: Hallbar, principal: Principal, scope: Selection) -> DashboardView:
    pack = pack_for(hb, scope)
    missing = dict(pack.missing)
    views = []
    years = tuple(str(y) for y in scope.year_choices)
    for area in pack.areas:
        ids = [i for i in area.figure_ids if not registry.get(i).individual]
        cards = tuple(
            figure_card(scope, i, pack.results, {}, missing, hb.settings.min_group_size)
            for i in ids
        )
        fid, col = AREA_TRENDS[area.key]
        values = _yearly(hb, scope, fid, col)
        desc = registry.get(fid).description
        svg = charts.sparkline(
            f"spark-{area.key}", years, values, title=f"{desc.name_sv} per år", unit=desc.unit
        )
        labels = {k: n for k, n, _ in AREAS}
        views.append(
            PriorityView(
                area.key,
                labels.get(area.key, area.name_sv),
                cards,
                fid,
                years,
                tuple(values),
                svg,
                _standouts_table(scope, area.standouts, area.name_sv, area.key),
                area.notes_sv,
            )
        )
    from hallbar.core.access import may

    return DashboardView(info_of(hb, scope), tuple(views), may(principal, Resource.FIG_INDIVIDUALS))


# --- women- vs men-dominated working conditions ---------------------------------------


@dataclass(frozen=True)
class DominanceView:
    info: ScopeInfo
    comparison: DominanceComparison | None
    women_label: str | None
    men_label: str | None
    table: FigureTable | None
    # One chart per unit (percent, hours, people, counts, kronor): quantities of different
    # kinds never share an axis. (caption, svg) in the order of the table's rows.
    charts: tuple[tuple[str, str], ...]
    notes_sv: tuple[str, ...]

    @property
    def svg_percent(self) -> str:
        return next((svg for caption, svg in self.charts if caption.endswith("(%)")), "")

    def tables(self) -> list[FigureTable]:
        return [self.table] if self.table is not None else []


# The caption and axis unit of each chart on the women/men page, by the rows' unit.
DOMINANCE_CHARTS: dict[str, tuple[str, str, int]] = {
    # row unit -> (caption, unit in the bars' tooltips, decimals)
    "%": ("Sjukfrånvaro, deltid och visstid (%)", "%", 1),
    "timmar": ("Övertid och OB-timmar per årsarbetare (timmar)", "timmar", 1),
    "personer": ("Medarbetare per chef (personer)", "personer", 1),
    "antal": ("Delade turer per årsarbetare (antal)", "st", 1),
    "kr": ("Medianlön, heltid (kr)", "kr", 0),
}


def dominance_view(
    hb: Hallbar, principal: Principal, org_id: str, request: FigureRequest
) -> DominanceView:
    """The most women-dominated beside the most men-dominated occupational group."""
    scope = open_selection(hb, principal, org_id, replace(request, by=None))
    if scope.request.population.active:
        # Which occupations are women- or men-dominated would be decided by the filter.
        info = info_of(hb, scope)
        return DominanceView(info, None, None, None, None, (), (DOMINANCE_FILTERED_SV,))
    pack = pack_for(hb, scope)
    info = info_of(hb, scope)
    if not pack.dominance:
        msg = pack.messages_sv or ("Det finns inga anställningar i urvalet att jämföra.",)
        return DominanceView(info, None, None, None, None, (), tuple(msg))
    comp = pack.dominance[0]
    occ = dimension_labels(scope, scope.params.occupation_key)
    w = (
        occ.get(comp.women_group.occupation, comp.women_group.occupation)
        if comp.women_group
        else None
    )
    m = occ.get(comp.men_group.occupation, comp.men_group.occupation) if comp.men_group else None
    wcol = f"Kvinnodominerat: {w}" if w else "Kvinnodominerat yrke"
    mcol = f"Mansdominerat: {m}" if m else "Mansdominerat yrke"
    frame = pl.DataFrame(
        {
            "Arbetsvillkor": [r.label_sv for r in comp.rows],
            "Enhet": [r.unit for r in comp.rows],
            wcol: [r.women_dominated for r in comp.rows],
            mcol: [r.men_dominated for r in comp.rows],
            "Kommentar": [r.note_sv for r in comp.rows],
        },
        schema={
            "Arbetsvillkor": pl.String,
            "Enhet": pl.String,
            wcol: pl.Float64,
            mcol: pl.Float64,
            "Kommentar": pl.String,
        },
    )
    notes = list(comp.notes_sv)
    # An occupation group's exact size and share of women would give its few men (or
    # women) by multiplication: the size is the cell key method's, the share the rule's.
    key = scope.params.occupation_key
    sizes = disclosure.perturbed_headcounts(
        scope.cell_key_secret,
        disclosure.headcount_persons(scope.data, scope.params, key),
        key,
        hb.settings.min_group_size,
    )
    least = f"{scope.params.gender_dominance_threshold:.0%}".replace("%", " %")
    if comp.women_group:
        size = sizes.get(str(comp.women_group.occupation), 0)
        notes.append(
            f"Kvinnodominerat: {w}, omkring {format_count(size, 'person', 'personer')}, minst {least} kvinnor."
        )
    if comp.men_group:
        size = sizes.get(str(comp.men_group.occupation), 0)
        notes.append(
            f"Mansdominerat: {m}, omkring {format_count(size, 'person', 'personer')}, minst {least} män."
        )
    notes.append(disclosure.PERTURBED_SV)
    table = FigureTable(
        "kvinnor_man",
        "Arbetsvillkor i kvinno- och mansdominerade yrken",
        frame,
        (DESCRIPTION,),
        tuple(notes),
        # No native chart: the rows have different units (%, hours, people, kronor) and
        # one chart would draw them on one axis; the page draws one chart per unit.
    )
    series_labels = (w or "Kvinnodominerat", m or "Mansdominerat")

    drawn: list[tuple[str, str]] = []
    for unit in dict.fromkeys(r.unit for r in comp.rows):
        rows = [r for r in comp.rows if r.unit == unit]
        if all(r.women_dominated is None and r.men_dominated is None for r in rows):
            continue
        caption, tip_unit, decimals = DOMINANCE_CHARTS.get(unit, (unit, unit, 1))
        cid = "dom-" + "".join(ch for ch in unit if ch.isalnum()) if unit != "%" else "dom-pct"
        svg = charts.grouped_bars(
            cid,
            [r.label_sv for r in rows],
            [
                (f"Kvinnodominerat: {series_labels[0]}", [r.women_dominated for r in rows]),
                (f"Mansdominerat: {series_labels[1]}", [r.men_dominated for r in rows]),
            ],
            title=caption,
            desc="Stapeldiagram: varje arbetsvillkor för de två yrkena. Saknade värden ritas inte.",
            unit=tip_unit,
            decimals=decimals,
        )
        drawn.append((caption, svg))
    return DominanceView(info, comp, w, m, table, tuple(drawn), tuple(notes))
