"""The registry of key figures: each figure is registered once, with its description.

A figure is a ``Description`` (what, for whom, definition, source, smallest group,
direction), a formula in words and a compute function
``(HRData, Params) -> pl.DataFrame``. The frame has ``org_id``, the requested
dimension columns, ``n`` (persons in the group) when the figure is an aggregate,
and the value columns. ``compute`` wraps it into a ``FigureResult`` that flags
small groups; ``FigureResult.to_table`` blanks their values.

Adding a figure is one ``@register(...)`` on its compute function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.describe import Description, FigureTable
from hallbar.core.errors import NotFound
from hallbar.indicators.params import Params
from hallbar.indicators.sick_leave_note import NOTE_FIGURES

ComputeFn = Callable[[HRData, Params], pl.DataFrame]


@dataclass(frozen=True)
class Figure:
    description: Description
    formula: str  # the formula in words/symbols, shown beside the definition
    compute_fn: ComputeFn
    value_columns: tuple[str, ...]  # columns blanked when a group is too small
    individual: bool = False  # a person-level list (rehab triggers …), never aggregated
    title_sv: str = ""

    @property
    def id(self) -> str:
        return self.description.id


@dataclass(frozen=True)
class FigureResult:
    """A computed figure: its description and a frame with ``suppressed`` per group."""

    description: Description
    frame: pl.DataFrame
    value_columns: tuple[str, ...]
    notes_sv: tuple[str, ...] = ()

    def to_table(self, title_sv: str | None = None) -> FigureTable:
        frame = self.frame
        if "suppressed" in frame.columns:
            cols = [c for c in self.value_columns if c in frame.columns]
            frame = frame.with_columns(
                pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c) for c in cols
            )
        notes = self.notes_sv
        if "suppressed" in frame.columns and frame["suppressed"].any():
            notes = (
                *notes,
                f"Grupper med färre än {self.description.min_group_size} personer visas inte.",
            )
        return FigureTable(
            id=self.description.id,
            title_sv=title_sv or self.description.name_sv,
            frame=frame,
            descriptions=(self.description,),
            notes_sv=notes,
        )


_FIGURES: dict[str, Figure] = {}


def register(
    *,
    id: str,
    name_sv: str,
    definition_sv: str,
    population_sv: str,
    unit: str,
    formula: str,
    source: str,
    value_columns: tuple[str, ...] = ("value",),
    min_group_size: int = 5,
    higher_is_better: bool | None = None,
    individual: bool = False,
    kolada_ids: tuple[str, str] | None = None,
) -> Callable[[ComputeFn], ComputeFn]:
    """Register a compute function as a key figure (decorator)."""

    def decorate(fn: ComputeFn) -> ComputeFn:
        if id in _FIGURES:
            raise ValueError(f"key figure {id!r} registered twice")
        description = Description(
            id=id,
            name_sv=name_sv,
            definition_sv=definition_sv,
            population_sv=population_sv,
            unit=unit,
            source=source,
            min_group_size=min_group_size,
            higher_is_better=higher_is_better,
            kolada_ids=kolada_ids,
        )
        _FIGURES[id] = Figure(description, formula, fn, value_columns, individual, name_sv)
        return fn

    return decorate


def _load() -> None:
    # The figure modules register themselves on import; import them on first use so
    # that ``registry.all()`` is complete however the registry was reached.
    from hallbar.indicators import catalog  # noqa: F401


def all() -> tuple[Figure, ...]:
    _load()
    return tuple(_FIGURES.values())


def ids() -> tuple[str, ...]:
    return tuple(f.id for f in all())


def kolada_figures() -> dict[str, tuple[str, str]]:
    """Figure id -> (municipality id, region id) for every figure whose value is a
    Kolada KPI's total (gender is a cut of the id). The one list exports use."""
    return {f.id: f.description.kolada_ids for f in all() if f.description.kolada_ids}


def kolada_reference(figure_id: str) -> tuple[tuple[str, str], str] | None:
    """The Kolada KPI a figure can be compared with: ((municipality id, region id),
    gender cut "T", "K" or "M"), or None. A gender figure of the note is a cut of
    the total's id (``NOTE_FIGURES``), so it names that id and its cut."""
    description = get(figure_id).description
    if description.kolada_ids:
        return description.kolada_ids, "T"
    for figure in NOTE_FIGURES:
        if figure.figure_id == figure_id and figure.cut:
            return figure.kolada, figure.cut
    return None


def get(figure_id: str) -> Figure:
    _load()
    try:
        return _FIGURES[figure_id]
    except KeyError:
        raise NotFound(
            f"Nyckeltalet '{figure_id}' finns inte. Välj ett av: {', '.join(_FIGURES)}."
        ) from None


def compute(figure_id: str, data: HRData, params: Params) -> FigureResult:
    """Compute one registered figure for ``params`` (unit subtree, dimensions, year)."""
    from hallbar.indicators.units import restrict_to_subtree

    figure = get(figure_id)
    if params.unit_id is not None:
        data = restrict_to_subtree(data, params.unit_id)
    frame = figure.compute_fn(data, params)
    notes: tuple[str, ...] = ()
    if "note_sv" in frame.columns:
        notes = tuple(n for n in frame["note_sv"].unique().drop_nulls().to_list())
        frame = frame.drop("note_sv")
    if "n" in frame.columns and not figure.individual:
        # A setting may raise the smallest group, never lower it below the figure's own rule.
        min_n = max(figure.description.min_group_size, params.min_group_size)
        frame = frame.with_columns(suppressed=pl.col("n") < min_n)
    return FigureResult(figure.description, frame, figure.value_columns, notes)
