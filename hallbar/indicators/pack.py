"""The whole key-figure pack for one year: every registered aggregate figure, the
statutory sick-leave note, the women/men-dominated comparison and the priority areas,
computed with shared building blocks (see ``cache.shared_cache``).

The lists of persons (``Figure.individual``: rehabilitation triggers, repeated short
absence) are not in it: they are shown only on their own audited page, which computes
them for the persons its user may see (``services.figures.people``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hallbar.core.dataset import HRData
from hallbar.core.errors import HallbarError
from hallbar.indicators import registry
from hallbar.indicators.cache import shared_cache
from hallbar.indicators.dominance import DominanceComparison, compare_dominated_groups
from hallbar.indicators.params import Params
from hallbar.indicators.priority import PriorityArea, priority_areas
from hallbar.indicators.registry import FigureResult
from hallbar.indicators.sick_leave_note import SickLeaveNote, sick_leave_notes
from hallbar.indicators.units import restrict_to_subtree


@dataclass(frozen=True)
class Pack:
    params: Params
    results: dict[str, FigureResult]
    missing: dict[str, str]  # figure id -> Swedish reason (InsufficientData message)
    notes: tuple[SickLeaveNote, ...] = ()
    dominance: tuple[DominanceComparison, ...] = ()
    areas: tuple[PriorityArea, ...] = ()
    messages_sv: tuple[str, ...] = field(default_factory=tuple)


def compute_pack(data: HRData, params: Params) -> Pack:
    """Compute every aggregate figure and the rest of the pack; a figure the data cannot
    support is listed in ``missing``."""
    if params.unit_id is not None:
        data = restrict_to_subtree(data, params.unit_id)
        params = params.with_(unit_id=None)
    results: dict[str, FigureResult] = {}
    missing: dict[str, str] = {}
    messages: list[str] = []
    with shared_cache():
        for figure in registry.all():
            if figure.individual:
                continue
            try:
                results[figure.id] = registry.compute(figure.id, data, params)
            except HallbarError as err:
                missing[figure.id] = str(err)
        notes: tuple[SickLeaveNote, ...] = ()
        try:
            notes = sick_leave_notes(data, params)
        except HallbarError as err:
            messages.append(str(err))
        dominance: tuple[DominanceComparison, ...] = ()
        try:
            dominance = compare_dominated_groups(data, params)
        except HallbarError as err:
            messages.append(str(err))
        areas = priority_areas(data, params)
    return Pack(params, results, missing, notes, dominance, areas, tuple(messages))
