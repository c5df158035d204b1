"""Workforce projection and competence-supply planning: pure computations.

Entry points: ``project`` (a ``ProjectionResult`` of frames), ``stock_from_main_employments``,
``history_rates_from_hrdata``, ``Scenario`` (with ``Levers``) and ``compare_scenarios``.
Method: docs/projection.md.
"""

from hallbar.projection.errors import ProjectionInputError
from hallbar.projection.population import DEFAULT_SERVED_AGES, POPULATION_SCHEMA
from hallbar.projection.project import (
    LABELS_SV,
    ProjectionResult,
    compare_scenarios,
    project,
)
from hallbar.projection.rates import Rates, history_rates_from_hrdata
from hallbar.projection.scenario import Levers, Scenario, TaskShift
from hallbar.projection.stock import (
    STOCK_SCHEMA,
    normalise_stock,
    stock_from_main_employments,
)

__all__ = [
    "DEFAULT_SERVED_AGES",
    "LABELS_SV",
    "POPULATION_SCHEMA",
    "STOCK_SCHEMA",
    "Levers",
    "ProjectionInputError",
    "ProjectionResult",
    "Rates",
    "Scenario",
    "TaskShift",
    "compare_scenarios",
    "history_rates_from_hrdata",
    "normalise_stock",
    "project",
    "stock_from_main_employments",
]
