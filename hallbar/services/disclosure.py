"""The disclosure model of one organisation snapshot, built once and asked by every page.

``hallbar.privacy.model.DisclosureModel`` decides, for the whole organisation
and every filter combination at once, which answers may be shown (see
docs/privacy.md). This module builds it from an organisation's data, caches it
per organisation, import, snapshot date, year and minimum group size, and
translates a key-figure request (unit subtree × population filter) into the
model's coordinates.

The model is built for the whole organisation, never for one user's scope: a
manager's subtree is a part of the same cube, so every user sees the same
pattern of hidden answers and no two users' answers can be combined.

Two models: the key figures' (monthly-paid persons on the snapshot date,
``min_group_size``) and the sick-leave figures' (persons with ordinary working
time in the year, ``sick_leave_min_group``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.codes import EmploymentForm, Gender
from hallbar.core.dataset import HRData
from hallbar.core.population import ORDINARY_HOURS
from hallbar.indicators.views import AGE_BANDS, person_view, persons_with_age
from hallbar.privacy.model import DisclosureModel, Filters
from hallbar.privacy.queryspace import FilterDimension
from hallbar.services.memo import HbCache

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

# A person without a known value (no birth date, no gender, no form) is a value of its
# own: every person must have one of the dimension's values, or "all" minus the values
# would be an unshown remainder (hallbar.privacy.queryspace).
UNKNOWN = "okänd"
GENDER_VALUES = (Gender.WOMAN.value, Gender.MAN.value)
FORM_VALUES = tuple(f.value for f in EmploymentForm)
DIMENSION_COLUMNS = ("gender", "age_band", "employment_form")
# The reason a manager's answer over several separate subtrees is hidden: it is not
# one answer of the query space (docs/privacy.md).
SEVERAL_ROOTS_SV = (
    "Uppgiften visas inte för flera enheter tillsammans. Välj en av dina enheter i urvalet."
)

# Kept on disk per snapshot as well (services.memo): a region's model takes seconds to
# build, and the first page after a restart needs it.
_models: HbCache[DisclosureModel] = HbCache(16, persist="disclosure")


def dimensions(persons: pl.DataFrame) -> tuple[FilterDimension, ...]:
    """Gender (K, M), the key figures' age bands and the employment forms, each with
    ``UNKNOWN`` when some person has no value (so every person has one)."""

    def offered(column: str, values: tuple[str, ...]) -> tuple[str, ...]:
        extra = (UNKNOWN,) if (persons[column] == UNKNOWN).any() else ()
        return (*values, *extra)

    return (
        FilterDimension("gender", offered("gender", GENDER_VALUES)),
        FilterDimension("age_band", offered("age_band", AGE_BANDS)),
        FilterDimension("employment_form", offered("employment_form", FORM_VALUES)),
    )


def _with_known_values(frame: pl.DataFrame) -> pl.DataFrame:
    offered = {"gender": GENDER_VALUES, "age_band": AGE_BANDS, "employment_form": FORM_VALUES}
    return frame.with_columns(
        pl.when(pl.col(c).is_in(list(v))).then(pl.col(c)).otherwise(pl.lit(UNKNOWN)).alias(c)
        for c, v in offered.items()
    )


def key_figure_persons(data: HRData, snapshot: date, year: int) -> pl.DataFrame:
    """The key figures' persons: monthly-paid on the snapshot date, one row each, with
    the main employment's unit and form (``indicators.views.person_view``)."""
    view = person_view(data, snapshot, year, monthly_paid_only=True)
    return _with_known_values(view.select("person_id", "unit_id", *DIMENSION_COLUMNS))


def sick_leave_persons(data: HRData, snapshot: date, year: int) -> pl.DataFrame:
    """The sick-leave figures' persons: ordinary working time in ``year``; gender and age
    band as the note counts them, unit and form of the main employment on the snapshot
    date (a person who left before it is own staff of the organisation, form unknown)."""
    people = ORDINARY_HOURS.persons(data, year)
    ages = persons_with_age(data.persons, year).select("org_id", "person_id", "gender", "age_band")
    view = person_view(data, snapshot, year).select(
        "org_id", "person_id", "unit_id", "employment_form"
    )
    frame = people.join(ages, on=["org_id", "person_id"], how="left").join(
        view, on=["org_id", "person_id"], how="left"
    )
    return _with_known_values(frame.select("person_id", "unit_id", *DIMENSION_COLUMNS))


def unit_parents(data: HRData) -> dict[str, str | None]:
    return {
        str(u): (None if p is None else str(p))
        for u, p in data.units.select("unit_id", "parent_id").iter_rows()
    }


def _build(persons: pl.DataFrame, data: HRData, min_n: int) -> DisclosureModel:
    return DisclosureModel.build(persons, unit_parents(data), dimensions(persons), min_n)


def key_figure_model(
    hb: Hallbar, org_id: str, import_id: int | None, full: HRData, snapshot: date, year: int
) -> DisclosureModel:
    """The key figures' model for the whole organisation (cached per snapshot)."""
    min_n = hb.settings.min_group_size
    key = ("key", org_id, import_id, full.as_of, snapshot, year, min_n)
    return _models.get_or_compute(
        hb,
        key,
        lambda: _build(key_figure_persons(full, snapshot, year), full, min_n),
        snapshot=_snapshot_id(hb, import_id),
    )


def sick_leave_model(
    hb: Hallbar, org_id: str, import_id: int | None, full: HRData, snapshot: date, year: int
) -> DisclosureModel:
    """The sick-leave figures' model (minimum ``sick_leave_min_group``), cached the same way."""
    min_n = hb.settings.sick_leave_min_group
    key = ("sick", org_id, import_id, full.as_of, snapshot, year, min_n)
    return _models.get_or_compute(
        hb,
        key,
        lambda: _build(sick_leave_persons(full, snapshot, year), full, min_n),
        snapshot=_snapshot_id(hb, import_id),
    )


def _snapshot_id(hb: Hallbar, import_id: int | None) -> str | None:
    return hb.store.snapshot_id(import_id) if import_id is not None else None


def cube_filters(gender: str | None, age_band: str | None, form: str | None) -> Filters:
    """The model's coordinates of a population filter's canonical values."""
    return {"gender": gender, "age_band": age_band, "employment_form": form}


def answer_unit(
    unit_id: str | None, visible: frozenset[str], parents: Mapping[str, str | None], whole: bool
) -> tuple[bool, str | None]:
    """(is one answer of the cube, its unit) for a scope: the chosen unit; the whole
    organisation; or a manager's single visible root. Several roots are no one answer."""
    if unit_id is not None or whole:
        return True, unit_id
    roots = sorted(u for u in visible if parents.get(u) not in visible)
    if len(roots) == 1:
        return True, roots[0]
    return False, None
