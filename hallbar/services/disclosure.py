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

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.codes import EmploymentForm, Gender
from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.core.population import ORDINARY_HOURS
from hallbar.indicators.params import Params
from hallbar.indicators.sickness import ordinary_hours
from hallbar.indicators.staff import snapshot_view
from hallbar.indicators.views import AGE_BANDS, person_view, persons_with_age
from hallbar.privacy.cellkey import PTable, perturbed_counts, record_keys
from hallbar.privacy.model import DisclosureModel, Filters
from hallbar.privacy.queryspace import FilterDimension
from hallbar.privacy.suppression import REASON_COL, SUPPRESSED_COL
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
log = logging.getLogger(__name__)
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


def _model_key(
    kind: str,
    org_id: str,
    import_id: int | None,
    full: HRData,
    on: date,
    year: int,
    min_n: int,
) -> tuple[object, ...]:
    """The cache key of a model of persons counted on ``on`` (``kind`` "key": the key
    figures' persons; "sick": the sick-leave figures'): the snapshot's own models and a
    trend's periods share it, so the same persons never get two models."""
    return (kind, org_id, import_id, full.as_of, on, year, min_n)


def key_figure_model(
    hb: Hallbar, org_id: str, import_id: int | None, full: HRData, snapshot: date, year: int
) -> DisclosureModel:
    """The key figures' model for the whole organisation (cached per snapshot)."""
    min_n = hb.settings.min_group_size
    key = _model_key("key", org_id, import_id, full, snapshot, year, min_n)
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
    key = _model_key("sick", org_id, import_id, full, snapshot, year, min_n)
    return _models.get_or_compute(
        hb,
        key,
        lambda: _build(sick_leave_persons(full, snapshot, year), full, min_n),
        snapshot=_snapshot_id(hb, import_id),
    )


def model_values(model: DisclosureModel, dimension: str) -> tuple[str, ...]:
    """The values of one of the model's dimensions, in order (without the unknown value:
    a person without one counts in "all" only)."""
    found = next(d for d in model.space.dimensions if d.column == dimension)
    return tuple(v for v in found.values if v != UNKNOWN)


# The one unit of a breakdown model: its answers are the organisation's (unit None).
_WHOLE = "_organisationen"


def breakdown_persons(persons: pl.DataFrame, column: str) -> pl.DataFrame:
    """One row per person with ``column`` (a job or an occupation; missing: ``UNKNOWN``)
    and gender (K, M or ``UNKNOWN``), placed in the breakdown model's one unit."""
    return (
        persons.unique("person_id", keep="first", maintain_order=True)
        .select(
            "person_id",
            pl.col(column).cast(pl.String).fill_null(UNKNOWN).alias(column),
            pl.when(pl.col("gender").is_in(list(GENDER_VALUES)))
            .then(pl.col("gender"))
            .otherwise(pl.lit(UNKNOWN))
            .alias("gender"),
        )
        .with_columns(pl.lit(_WHOLE).alias("unit_id"))
    )


def breakdown_model(
    hb: Hallbar, key: tuple[object, ...], persons: pl.DataFrame, column: str, min_n: int
) -> DisclosureModel:
    """The model of an organisation-wide breakdown by ``column`` × gender (the pay
    structure's jobs, occupations), cached under ``key`` (what identifies the persons:
    organisation, survey or snapshot, year) and the minimum.

    The breakdown's rows, their women and men, and the totals over all rows are the
    answers of one small cube (``column`` values + all) × (K, M + all), decided at once:
    "25 persons, 21 women, .. men" cannot happen, because hiding the 4 men hides the 21
    women too, and in a second row as well so that the column totals give nothing away.
    """
    frame = breakdown_persons(persons, column)

    def build() -> DisclosureModel:
        values = tuple(sorted(set(frame[column].to_list())))
        genders = (*GENDER_VALUES, *((UNKNOWN,) if (frame["gender"] == UNKNOWN).any() else ()))
        dims = (FilterDimension(column, values), FilterDimension("gender", genders))
        return DisclosureModel.build(frame, {_WHOLE: None}, dims, min_n)

    return _models.get_or_compute(hb, ("breakdown", *key, column, min_n), build)


def protect_breakdown(
    model: DisclosureModel,
    frame: pl.DataFrame,
    column: str,
    *,
    total_col: str = "n",
    gender_cols: Mapping[str, str] | None = None,
    value_cols: Sequence[str] = (),
) -> pl.DataFrame:
    """A breakdown table's counts as ``model`` (``breakdown_model``) releases them.

    Each row's ``total_col`` is the answer for its value of ``column``; ``gender_cols``
    (gender -> column, default K -> n_women, M -> n_men) the answers with a gender too.
    ``value_cols`` (percentiles, medians …) describe the whole row and are shown only
    where its total is. Adds ``suppressed`` and ``suppression_reason``."""
    genders = dict(gender_cols or {"K": "n_women", "M": "n_men"})
    keys = frame[column].cast(pl.String).fill_null(UNKNOWN).to_list()
    totals = [model.count(None, {column: k}) for k in keys]
    updates = [pl.Series(total_col, totals, dtype=pl.Int64)]
    reasons = [model.reason_sv(None, {column: k}) for k in keys]
    for gender, col in genders.items():
        if col in frame.columns:
            updates.append(
                pl.Series(
                    col, [model.count(None, {column: k, "gender": gender}) for k in keys], pl.Int64
                )
            )
            reasons = [
                r or model.reason_sv(None, {column: k, "gender": gender})
                for r, k in zip(reasons, keys, strict=True)
            ]
    hidden = pl.Series("_hidden", [n is None for n in totals], dtype=pl.Boolean)
    out = frame.with_columns(updates).with_columns(
        [pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in value_cols]
    )
    return out.with_columns(
        pl.Series(SUPPRESSED_COL, [r is not None for r in reasons], dtype=pl.Boolean),
        pl.Series(REASON_COL, reasons, dtype=pl.String),
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


# --- series: one model per period ----------------------------------------------------
#
# A trend counts other persons in every period (people come and go), so the snapshot's
# model cannot vouch for it: a unit's series minus its sub-units' series gives the
# unit's own staff in each month. Every period gets a model of its own over the whole
# cube (units × every filter), built from that period's persons, exactly as the
# snapshot's model is; the period whose persons are the snapshot's is the snapshot's
# own model (docs/privacy.md, "Time series").

# Figures counted on a date (the first day of a month, a year's snapshot date), and
# overtime per FTE of a month (its FTE are the rates on the month's first day); the
# others count the persons with ordinary working time during the period.
_COUNTED_ON_A_DATE = frozenset({"headcount", "fte"})
_MONTHLY_ON_A_DATE = frozenset({"overtime_per_fte"})
# A monthly series of 3 years needs 36 models, beside the snapshot's own.
_period_models: HbCache[DisclosureModel] = HbCache(48, persist="disclosure")


def span_persons(data: HRData, start: date, end: date, on: date, year: int) -> pl.DataFrame:
    """Persons with ordinary working time between ``start`` and ``end`` (the sick-leave
    series' population, ``indicators.sickness.ordinary_hours``), with gender and age band
    in ``year`` and the main employment's unit and form on ``on`` (none then: own staff
    of the organisation, form unknown), one row each."""
    hours = ordinary_hours(data, start, end)
    people = (
        hours.filter(pl.col("exported_hours") > 0)
        .select("org_id", "person_id")
        .unique()
        .sort("org_id", "person_id")
    )
    ages = persons_with_age(data.persons, year).select("org_id", "person_id", "gender", "age_band")
    view = person_view(data, on, year).select("org_id", "person_id", "unit_id", "employment_form")
    frame = people.join(ages, on=["org_id", "person_id"], how="left").join(
        view, on=["org_id", "person_id"], how="left"
    )
    return _with_known_values(frame.select("person_id", "unit_id", *DIMENSION_COLUMNS))


@dataclass(frozen=True)
class PeriodModel:
    """Where one period's model is kept: its cache, key and how it is built."""

    cache: HbCache[DisclosureModel]
    key: tuple[object, ...]
    build: Callable[[], DisclosureModel]
    snapshot_id: str | None

    def get(self, hb: Hallbar) -> DisclosureModel:
        return self.cache.get_or_compute(hb, self.key, self.build, snapshot=self.snapshot_id)

    def ready(self, hb: Hallbar) -> bool:
        """Built already (in memory or on disk): asking for it costs no computation."""
        return self.cache.holds(hb, self.key, snapshot=self.snapshot_id)


def period_entry(
    hb: Hallbar,
    org_id: str,
    import_id: int | None,
    full: HRData,
    figure_id: str,
    span: tuple[date, date, date],
    snapshot: date,
    min_n: int,
) -> PeriodModel:
    """The model of one period of ``figure_id``'s series, for the whole organisation
    (``period_model``), as a cache entry that can be asked whether it is built."""
    start, end, on = span
    key_min, sick_min = hb.settings.min_group_size, hb.settings.sick_leave_min_group
    snapshot_id = _snapshot_id(hb, import_id)
    one_month = start.day == 1 and end == (start + timedelta(days=31)).replace(day=1) - timedelta(
        days=1
    )
    if figure_id in _COUNTED_ON_A_DATE or (one_month and figure_id in _MONTHLY_ON_A_DATE):
        # The key figures' persons of ``on``; those of the snapshot date are the key
        # figures' own model (``key_figure_model``), kept with the snapshot's models.
        own = on == snapshot and min_n == key_min
        key = _model_key("key", org_id, import_id, full, on, on.year, min_n)
        return PeriodModel(
            _models if own else _period_models,
            key,
            lambda: _build(key_figure_persons(full, on, on.year), full, min_n),
            snapshot_id,
        )
    whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
    if whole_year and on == snapshot and min_n == sick_min:
        # The sick-leave figures' model (``sick_leave_model``).
        key = _model_key("sick", org_id, import_id, full, on, on.year, min_n)
        return PeriodModel(
            _models,
            key,
            lambda: _build(sick_leave_persons(full, on, on.year), full, min_n),
            snapshot_id,
        )
    span_key = ("span", org_id, import_id, full.as_of, start, end, on, start.year, min_n)
    return PeriodModel(
        _period_models,
        span_key,
        lambda: _build(span_persons(full, start, end, on, start.year), full, min_n),
        snapshot_id,
    )


def period_model(
    hb: Hallbar,
    org_id: str,
    import_id: int | None,
    full: HRData,
    figure_id: str,
    span: tuple[date, date, date],
    snapshot: date,
    min_n: int,
) -> DisclosureModel:
    """The model of one period of ``figure_id``'s series, for the whole organisation.

    ``span``: the period's first and last day and the day its persons are placed in
    units (the date a staff figure counts on). ``snapshot``: the snapshot date of the
    period's year; a period counting the snapshot's own persons gets the snapshot's
    own model (the same cache entry as ``key_figure_model``, ``sick_leave_model``), so
    the last point of a yearly trend and the key figures hide the same answers."""
    entry = period_entry(hb, org_id, import_id, full, figure_id, span, snapshot, min_n)
    return entry.get(hb)


# --- building the period models in the background -----------------------------------
#
# A period model of a large organisation takes seconds to tens of seconds of processor
# time (docs/benchmarks.md), and a monthly trend needs 36 of them: a page must not wait
# for them. They are built after an import (``services.imports.importing``) and, when a
# page finds some missing (a new code version, a deleted cache folder), by one thread
# per snapshot; the page says how far it has come until every period has its model.

_jobs_lock = threading.Lock()
_jobs: dict[tuple[int, str, int | None], threading.Thread] = {}


def build_in_background(
    hb: Hallbar, org_id: str, import_id: int | None, entries: Sequence[PeriodModel]
) -> None:
    """Build the models of ``entries`` that are not built yet, in one thread per snapshot
    (none is started while one for the snapshot runs: it builds what it was given, and
    the next page that still misses a model starts another)."""
    job = (id(hb), org_id, import_id)
    with _jobs_lock:
        running = _jobs.get(job)
        if running is not None and running.is_alive():
            return
        thread = threading.Thread(
            target=_build_all, args=(hb, entries), name=f"period-models-{org_id}", daemon=True
        )
        _jobs[job] = thread
    thread.start()


def building(hb: Hallbar, org_id: str, import_id: int | None) -> bool:
    """Whether a build of the snapshot's period models is under way."""
    with _jobs_lock:
        running = _jobs.get((id(hb), org_id, import_id))
    return running is not None and running.is_alive()


def build_now(
    hb: Hallbar, org_id: str, import_id: int | None, entries: Sequence[PeriodModel]
) -> None:
    """Build the models of ``entries`` in this thread, registered as the snapshot's job
    so that a page asking meanwhile waits for it instead of starting another."""
    job = (id(hb), org_id, import_id)
    with _jobs_lock:
        _jobs[job] = threading.current_thread()
    try:
        _build_all(hb, entries)
    finally:
        with _jobs_lock:
            if _jobs.get(job) is threading.current_thread():
                del _jobs[job]


def _build_all(hb: Hallbar, entries: Sequence[PeriodModel]) -> None:
    for entry in entries:
        try:
            entry.get(hb)
        except Exception:  # the page asks again and says what fails
            log.exception("could not build the disclosure model %s", entry.key)
            return


# --- occupation breakdowns: free exploration with the cell key method -----------------
#
# An occupation (SSYK, AID or women-/men-dominated) is no dimension of the key figures'
# cube: with every unit × filter × occupation the cube would be hundreds of times larger
# and suppression over it would hide almost everything. A breakdown by occupation is
# exploration, where exact counts are not needed, so its rows follow the cell key method
# (hallbar.privacy.cellkey; docs/privacy.md): the head count of a row is perturbed with
# noise that depends only on the persons in it, sums over the row's persons are not
# shown, and ratios, means, medians and percentiles keep the table's own group rules.
# The "Totalt" row is the answer itself and stays as the model decides it.

OCCUPATION_COLUMNS = frozenset({"ssyk", "aid_code", "occupation_type"})
# Exact sums over a row's persons: the difference of two rows would be a small group's
# sum, so an occupation row never shows them. (Hired staff's hours and costs are about
# an agency's invoices, not about the organisation's employees, and stay.)
SUM_COLUMNS = frozenset(
    {
        "n",
        "numerator",
        "denominator",
        "permanent",
        "full_time",
        "healthy",
        "left",
        "new",
        "moved",
        "retirements",
        "hours",
        "fte",
        "personnel_cost",
        "n_women",
        "n_men",
    }
)
# Figures whose value is itself a sum over persons.
SUM_FIGURES = frozenset({"headcount", "fte", "expected_retirements"})
PERTURBED_SV = (
    "Antalet per yrke är avrundat med ett litet slumpbidrag (cellnyckelmetoden) som är "
    "detsamma varje gång samma personer räknas; summor visas inte per yrke."
)
SUMS_HIDDEN_SV = "Summor visas inte per yrke: skillnaden mellan två svar vore en liten grupps summa"
_CELL_KEY_CONTEXT = b"hallbar:cellkey:v1"


def cell_key_secret(hb: Hallbar) -> bytes:
    """The record keys' secret: derived from the pseudonym key, so it never leaves the
    installation and differs from the pseudonyms themselves."""
    return hmac.new(hb.pseudonym_key(), _CELL_KEY_CONTEXT, hashlib.sha256).digest()


def headcount_persons(data: HRData, params: Params, column: str) -> pl.DataFrame:
    """The persons the head count counts (``indicators.staff.snapshot_view``), with
    ``column``; empty when there are none."""
    try:
        return snapshot_view(data, params.with_(by=(column,))).select("person_id", column)
    except InsufficientData:
        return pl.DataFrame(schema={"person_id": pl.String, column: pl.String})


def perturbed_headcounts(
    secret: bytes, persons: pl.DataFrame, column: str, min_n: int
) -> dict[str, int]:
    """Published head count per value of ``column`` for ``persons`` (one row per person):
    never 1 … min_n − 1, the same persons always give the same number."""
    if persons.height == 0:
        return {}
    keys = record_keys(persons["person_id"].cast(pl.String).to_list(), secret)
    frame = persons.select(pl.col(column).cast(pl.String), "person_id").with_columns(
        pl.Series("record_key", keys)
    )
    counts = perturbed_counts(frame, [column], table=PTable(small=min_n - 1))
    return dict(zip(counts[column].to_list(), counts["n"].to_list(), strict=True))


def explore_occupation_rows(
    frame: pl.DataFrame,
    column: str,
    figure_id: str,
    total: str,
    headcounts: Mapping[str, int] | None = None,
) -> pl.DataFrame:
    """An occupation breakdown's rows (all but ``total``) as exploration shows them:
    sums nulled, a head count replaced by its perturbed value (``headcounts``, None:
    hidden too), ratios as the table's own rules left them."""
    is_row = pl.col(column).cast(pl.String) != total
    sums = [c for c in frame.columns if c in SUM_COLUMNS]
    if figure_id in SUM_FIGURES and "value" in frame.columns:
        sums.append("value")
    perturbed: list[str] = []
    if figure_id == "headcount" and headcounts is not None:
        perturbed = [c for c in ("n", "value") if c in frame.columns]
    hidden = [c for c in sums if c not in perturbed]
    out = frame.with_columns(
        [pl.when(is_row).then(None).otherwise(pl.col(c)).alias(c) for c in hidden]
    )
    if perturbed:
        published = pl.col(column).cast(pl.String).replace_strict(dict(headcounts or {}), default=0)
        out = out.with_columns(
            pl.when(is_row).then(published.cast(out.schema[c])).otherwise(pl.col(c)).alias(c)
            for c in perturbed
        )
    if perturbed and not hidden and SUPPRESSED_COL in out.columns:
        # The published count replaces the table's own suppression of the row.
        out = out.with_columns(
            pl.when(is_row).then(False).otherwise(pl.col(SUPPRESSED_COL)).alias(SUPPRESSED_COL),
            pl.when(is_row).then(None).otherwise(pl.col(REASON_COL)).alias(REASON_COL),
        )
    if hidden and SUPPRESSED_COL in out.columns:
        # A nulled sum is hidden (".."), not missing ("–").
        out = out.with_columns(
            (pl.col(SUPPRESSED_COL) | is_row).alias(SUPPRESSED_COL),
            pl.when(is_row & pl.col(REASON_COL).is_null())
            .then(pl.lit(SUMS_HIDDEN_SV))
            .otherwise(pl.col(REASON_COL))
            .alias(REASON_COL),
        )
    return out


# --- breakdowns across the unit tree, linked to the key figures' model ---------------
#
# A table per unit broken down by a column that is no dimension of the key figures'
# cube (the projection's occupation rows, in every unit a user may choose) is one
# model of its own over units × (values + all), decided once for the whole
# organisation. The two cubes share their "all" cells (a unit's head count): a value
# row is shown only where this model shows it and both models show the unit's total,
# so the key figures' hidden totals stay hidden and this model's cycles (which move a
# person between two values inside the units, leaving totals alone) stay intact.


def build_unit_breakdown(
    persons: pl.DataFrame, unit_parent: Mapping[str, str | None], column: str, min_n: int
) -> DisclosureModel:
    """The model of ``persons`` (one row per person: ``unit_id`` and ``column``) over the
    unit tree × the values of ``column`` (missing: ``UNKNOWN``)."""
    frame = persons.select(
        pl.col("unit_id").cast(pl.String),
        pl.col(column).cast(pl.String).fill_null(UNKNOWN),
    )
    values = tuple(sorted(set(frame[column].to_list())))
    return DisclosureModel.build(frame, unit_parent, (FilterDimension(column, values),), min_n)


def unit_breakdown_model(
    hb: Hallbar,
    key: tuple[object, ...],
    persons: pl.DataFrame,
    unit_parent: Mapping[str, str | None],
    column: str,
    min_n: int,
) -> DisclosureModel:
    """``build_unit_breakdown``, cached under ``key`` (what identifies the persons) and
    the minimum: once per snapshot for the whole organisation, never per user."""
    return _models.get_or_compute(
        hb,
        ("unit_breakdown", *key, column, min_n),
        lambda: build_unit_breakdown(persons, unit_parent, column, min_n),
    )


def linked_breakdown_counts(
    breakdown: DisclosureModel, key_model: DisclosureModel, unit_id: str | None, column: str
) -> dict[str, int | None]:
    """Each value of ``column`` in ``unit_id`` (its subtree; None: the organisation): the
    count ``breakdown`` shows, or None when it or either model's unit total is hidden."""
    values = model_values(breakdown, column)
    total_shown = breakdown.released(unit_id) and key_model.released(unit_id)
    return {v: (breakdown.count(unit_id, {column: v}) if total_shown else None) for v in values}
