"""Key figures (nyckeltal): pure computations on HRData frames.

Public API:

- ``registry.all()``, ``registry.get(id)``, ``registry.compute(id, data, params)``
- ``Params`` (year, snapshot date, dimensions, unit subtree, local rules)
- ``sick_leave_note(data, params)`` – the statutory note (SKR's seven figures)
- ``series(figure_id, data, freq, by)`` – monthly/yearly series
- ``compare_dominated_groups(data, params)`` – women- vs men-dominated occupations
- ``priority_areas(data, params)`` – the four priority areas of seed 000
- ``compute_pack(data, params)`` – all of the above for one year, sharing work
- ``agency_staff_monthly(data, params)`` – agency staff per occupation and month (hyrstopp)
"""

from hallbar.indicators import registry
from hallbar.indicators.agency import AgencyMonthly, agency_staff_monthly
from hallbar.indicators.dominance import DominanceComparison, compare_dominated_groups
from hallbar.indicators.pack import Pack, compute_pack
from hallbar.indicators.params import DIMENSIONS, Params
from hallbar.indicators.priority import PriorityArea, priority_areas
from hallbar.indicators.registry import FigureResult, compute
from hallbar.indicators.series import series
from hallbar.indicators.sick_leave_note import SickLeaveNote, sick_leave_note, sick_leave_notes
from hallbar.indicators.units import subtree

__all__ = [
    "DIMENSIONS",
    "AgencyMonthly",
    "DominanceComparison",
    "FigureResult",
    "Pack",
    "Params",
    "PriorityArea",
    "SickLeaveNote",
    "agency_staff_monthly",
    "compare_dominated_groups",
    "compute",
    "compute_pack",
    "priority_areas",
    "registry",
    "series",
    "sick_leave_note",
    "sick_leave_notes",
    "subtree",
]
