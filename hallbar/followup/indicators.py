"""Indicators on plan nodes and their traffic light.

An indicator is either a registered key figure (its registry id, computed live for
a unit scope and population filter by the service layer) or a manual indicator
whose value is entered per follow-up period. Each has a baseline (year, value), a
target (value, year) and a direction.

The traffic light, from the distance to the target:

* green (*uppnått*): the target is reached (at or beyond it in the good direction);
* yellow (*på väg*): not reached, but better than the baseline;
* red (*ej på väg*): at the baseline or worse;
* without a baseline: yellow within ``NEAR_TARGET`` (10 %) of the target, else red;
* grey (*inget värde*): no value, or no target.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

NEAR_TARGET = 0.10  # without a baseline: within 10 % of the target counts as "på väg"


class Direction(StrEnum):
    UP = "högre är bättre"
    DOWN = "lägre är bättre"


class Light(StrEnum):
    GREEN = "grön"
    YELLOW = "gul"
    RED = "röd"
    GREY = "grå"


LIGHT_LABELS_SV: dict[Light, str] = {
    Light.GREEN: "Uppnått",
    Light.YELLOW: "På väg",
    Light.RED: "Ej på väg",
    Light.GREY: "Inget värde",
}

MANUAL = "manuell"  # the figure id of a manual indicator


@dataclass(frozen=True)
class IndicatorSpec:
    """What to measure on a node."""

    id: int
    node_id: int
    name: str
    figure_id: str  # a registry key figure id, or MANUAL
    unit_id: str | None = None  # scope of a key figure (None: the node's unit or the organisation)
    filters: str = ""  # population filter as query string, e.g. "kon=K&alder=50-"
    unit_label: str = ""  # "%", "kr", "st" …
    direction: Direction = Direction.UP
    baseline_year: int | None = None
    baseline: float | None = None
    target: float | None = None
    target_year: int | None = None
    kolada_kpi: str = ""  # the Kolada KPI for the same measure, where there is one

    @property
    def manual(self) -> bool:
        return self.figure_id == MANUAL


def reached(value: float, target: float, direction: Direction) -> bool:
    return value >= target if direction is Direction.UP else value <= target


def better(value: float, than: float, direction: Direction) -> bool:
    return value > than if direction is Direction.UP else value < than


def light(
    value: float | None,
    target: float | None,
    direction: Direction,
    baseline: float | None = None,
) -> Light:
    """The traffic light for ``value`` (rules in the module docstring)."""
    if value is None or target is None:
        return Light.GREY
    if reached(value, target, direction):
        return Light.GREEN
    if baseline is not None:
        return Light.YELLOW if better(value, baseline, direction) else Light.RED
    distance = abs(target - value) / abs(target) if target else abs(value)
    return Light.YELLOW if distance <= NEAR_TARGET else Light.RED


def light_label_sv(value: float | None, target: float | None, colour: Light) -> str:
    """The light in words; a value without a target says so instead of "no value"."""
    if colour is Light.GREY and value is not None and target is None:
        return "Inget mål satt"
    return LIGHT_LABELS_SV[colour]


def progress(value: float | None, baseline: float | None, target: float | None) -> float | None:
    """Share of the way from baseline to target (1 = reached; negative = worse than baseline)."""
    if value is None or baseline is None or target is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline)


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's value in one period, or why it has none."""

    spec: IndicatorSpec
    value: float | None
    reason_sv: str | None  # why there is no value (small group, no data for the year …)
    year: int | None = None
    kolada_value: float | None = None

    @property
    def light(self) -> Light:
        return light(self.value, self.spec.target, self.spec.direction, self.spec.baseline)
