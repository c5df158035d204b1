"""Parameters of the key figures: the reporting year, snapshot dates and local rules.

Defaults follow ``docs/key-figures.md`` and the settings in ``hallbar.settings``
(domain-rules.md §3). This package may not import the settings module (it sits
below it in the layer contract), so ``Params.from_settings`` reads any object
with the same attribute names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

# SKR: sick leave is not published for a group of ten or fewer employees (domain-rules §1).
# The statutory floor: a local setting may raise it, never lower it.
SKR_NOTE_MIN_GROUP = 11

# Dimensions every figure can be cut by (see hallbar.indicators.views.attach_dimensions).
DIMENSIONS: tuple[str, ...] = (
    "unit_id",
    "aid_code",
    "ssyk",
    "gender",
    "age_band",
    "employment_form",
    "occupation_type",
)


@dataclass(frozen=True)
class Params:
    """Everything a key figure may depend on besides the data."""

    year: int
    on: date | None = (
        None  # snapshot date; default 1 November of ``year`` (SKR's November statistics)
    )
    as_of: date | None = None  # date of individual lists; default the data's as_of
    by: tuple[str, ...] = ()  # dimensions to cut by (see DIMENSIONS)
    unit_id: str | None = None  # restrict to this unit and every unit below it
    occupation_key: str = "ssyk"  # "ssyk" or "aid_code": occupational group for types and pay
    min_group_size: int = 5
    sick_leave_min_group: int = SKR_NOTE_MIN_GROUP
    short_term_days: int = 14  # short-term sick leave: days 1–14 of a spell
    # Whether the exported ordinary hours (arbetstid.ordinarie_timmar) already leave out
    # hours of full leave of absence. False (default): Hållbar deducts full parental
    # leave, leave of absence and leave without pay from them for the sick-leave note.
    # The import profile of a payroll system says which its export does.
    ordinary_hours_exclude_leave: bool = False
    repeated_short_absence_spells: int = 6
    repeated_short_absence_months: int = 12
    frisknarvaro_max_days: int = 5
    unit_sick_leave_flag: float = 10.0  # percent
    gender_dominance_threshold: float = 0.60
    dominance_min_group: int = 10
    payroll_overhead: float = 0.4015
    target_pension_age: int = 67
    retirement_horizon_years: int = 5
    span_limit: int = 30  # the 2017 state inquiry's proposed maximum per manager
    low_fulltime_working_share: float = 0.5  # units below this share of full-time working stand out

    @property
    def snapshot(self) -> date:
        return self.on or date(self.year, 11, 1)

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    def with_(self, **changes: Any) -> Params:
        return replace(self, **changes)

    @classmethod
    def from_settings(cls, settings: Any, year: int, **overrides: Any) -> Params:
        """Take the local rules from a ``hallbar.settings.Settings`` (or any look-alike)."""
        names = {
            "min_group_size": "min_group_size",
            "sick_leave_min_group": "sick_leave_min_group",
            "repeated_short_absence_spells": "repeated_short_absence_spells",
            "repeated_short_absence_months": "repeated_short_absence_months",
            "frisknarvaro_max_days": "frisknarvaro_max_days",
            "unit_sick_leave_flag": "unit_sick_leave_flag",
            "gender_dominance_threshold": "gender_dominance_threshold",
            "payroll_overhead": "payroll_overhead",
            "target_pension_age": "target_pension_age",
            "ordinary_hours_exclude_leave": "ordinary_hours_exclude_leave",
        }
        values = {
            ours: getattr(settings, theirs)
            for ours, theirs in names.items()
            if hasattr(settings, theirs)
        }
        values.update(overrides)
        return cls(year=year, **values)
