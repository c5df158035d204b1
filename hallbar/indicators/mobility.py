"""Staff mobility: permanent staff who left (turnover), new permanent hires,
internal moves, and expected retirements in the coming years.

Turnover and new hires follow SKR's November statistics behind Kolada N00216 and
N00215 as a cohort comparison of two November snapshots (documented in
docs/key-figures.md): the reference date is ``Params.snapshot`` (1 November of the
year) and the comparison date the same day one year earlier.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.codes import EmploymentForm
from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData
from hallbar.core.population import MONTHLY_PAID_FORMS, active_on
from hallbar.indicators import kolada_ids
from hallbar.indicators.frames import grouped_by_hash, key_changes, key_hash
from hallbar.indicators.params import Params
from hallbar.indicators.registry import register
from hallbar.indicators.views import attach_dimensions, person_view

PERMANENT = EmploymentForm.PERMANENT.value


def _year_before(d: date) -> date:
    return (
        d.replace(year=d.year - 1, day=28)
        if (d.month, d.day) == (2, 29)
        else d.replace(year=d.year - 1)
    )


def _persons(data: HRData, on: date, forms: tuple[str, ...]) -> pl.DataFrame:
    return (
        active_on(data.employments, on)
        .filter(pl.col("employment_form").is_in(forms))
        .select("org_id", "person_id")
        .unique()
    )


def _with_dims(people: pl.DataFrame, data: HRData, params: Params, on: date) -> pl.DataFrame:
    if not params.by:
        return people
    view = person_view(data, on, params.year, monthly_paid_only=True)
    view = attach_dimensions(view, data, params.with_(on=on))
    return people.join(
        view.select("org_id", "person_id", *params.by), on=["org_id", "person_id"], how="left"
    )


def _cohort_share(cohort: pl.DataFrame, flag: pl.Expr, params: Params, name: str) -> pl.DataFrame:
    keys = ["org_id", *params.by]
    return (
        cohort.with_columns(flag.alias("_flag"))
        .group_by(keys)
        .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("_flag").sum().cast(pl.Int64).alias(name))
        .with_columns(value=100.0 * pl.col(name) / pl.col("n"))
        .sort(keys)
    )


def _require(frame: pl.DataFrame, on: date) -> None:
    if frame.height == 0:
        raise InsufficientData(
            f"Det finns inga tillsvidareanställda som pågår {on.isoformat()} i underlaget. Personalrörligheten "
            "kräver anställningar för både årets och föregående års november."
        )


@register(
    id="turnover",
    name_sv="Tillsvidareanställda som slutat",
    definition_sv=(
        "Andel av de tillsvidareanställda månadsavlönade i november föregående år som inte längre har någon "
        "månadsavlönad anställning hos arbetsgivaren i november i år. Byte av enhet eller befattning inom "
        "arbetsgivaren räknas inte som att sluta."
    ),
    population_sv="Tillsvidareanställda månadsavlönade på mätdagen föregående år.",
    unit="%",
    formula="antal i kohorten utan anställning på mätdagen / antal tillsvidareanställda mätdagen föregående år × 100",
    source=f"{kolada_ids.source_text(kolada_ids.TURNOVER)} (SKR:s novemberstatistik)",
    kolada_ids=kolada_ids.TURNOVER,
    value_columns=("left", "value"),
    higher_is_better=False,
)
def turnover(data: HRData, params: Params) -> pl.DataFrame:
    on, before = params.snapshot, _year_before(params.snapshot)
    cohort = _persons(data, before, (PERMANENT,))
    _require(cohort, before)
    stayed = _persons(data, on, MONTHLY_PAID_FORMS).with_columns(_stayed=pl.lit(True))
    cohort = cohort.join(stayed, on=["org_id", "person_id"], how="left")
    cohort = _with_dims(cohort, data, params, before)
    return _cohort_share(cohort, pl.col("_stayed").is_null(), params, "left")


@register(
    id="new_permanent_hires",
    name_sv="Nyanställda tillsvidareanställda",
    definition_sv=(
        "Andel av de tillsvidareanställda månadsavlönade i november i år som inte var tillsvidareanställda hos "
        "arbetsgivaren i november föregående år (också visstidsanställda som fått tillsvidareanställning)."
    ),
    population_sv="Tillsvidareanställda månadsavlönade på mätdagen.",
    unit="%",
    formula="antal nya tillsvidareanställda / antal tillsvidareanställda på mätdagen × 100",
    source=f"{kolada_ids.source_text(kolada_ids.NEW_PERMANENT_HIRES)} (SKR:s novemberstatistik)",
    kolada_ids=kolada_ids.NEW_PERMANENT_HIRES,
    value_columns=("new", "value"),
)
def new_permanent_hires(data: HRData, params: Params) -> pl.DataFrame:
    on, before = params.snapshot, _year_before(params.snapshot)
    cohort = _persons(data, on, (PERMANENT,))
    _require(cohort, on)
    earlier = _persons(data, before, (PERMANENT,)).with_columns(_earlier=pl.lit(True))
    cohort = _with_dims(
        cohort.join(earlier, on=["org_id", "person_id"], how="left"), data, params, on
    )
    return _cohort_share(cohort, pl.col("_earlier").is_null(), params, "new")


def unit_moves(data: HRData, start: date, end: date) -> pl.DataFrame:
    """Moves between units within the organisation in ``[start, end]``.

    A move is an employment period (of any of the person's monthly-paid
    employments) that starts in the period in another unit than the person's
    previous period, which ended at most one day before it started.
    """
    keys = ["org_id", "person_id"]
    emps = data.employments.filter(pl.col("employment_form").is_in(MONTHLY_PAID_FORMS)).select(
        *keys, "employment_id", "unit_id", "start_date", "end_date"
    )
    # Only persons with a period starting in the period can have moved: order their
    # periods alone, each person's together (by a hash of the person, not a string
    # sort). Persons are picked by hash too: a person sharing a hash with a starter has
    # no period starting in the period, so no move, whatever is kept of theirs.
    starting = (pl.col("start_date") >= start) & (pl.col("start_date") <= end)
    starters = emps.filter(starting).select(key_hash(keys)).to_series().implode()
    emps = grouped_by_hash(
        emps.filter(key_hash(keys).is_in(starters)), keys, ["start_date", "employment_id"]
    )
    same_person = ~key_changes(keys)
    emps = emps.with_columns(
        _prev_unit=pl.when(same_person).then(pl.col("unit_id").shift(1)),
        _prev_end=pl.when(same_person).then(pl.col("end_date").shift(1)),
    )
    gap = pl.col("start_date").cast(pl.Int32) - pl.col("_prev_end").cast(pl.Int32)
    return emps.filter(
        starting
        & pl.col("_prev_unit").is_not_null()
        & (pl.col("_prev_unit") != pl.col("unit_id"))
        & pl.col("_prev_end").is_not_null()
        & (gap >= 0)
        & (gap <= 1)
    ).select(
        "org_id",
        "person_id",
        "employment_id",
        pl.col("_prev_unit").alias("from_unit_id"),
        pl.col("unit_id").alias("to_unit_id"),
        pl.col("start_date").alias("move_date"),
    )


@register(
    id="internal_moves",
    name_sv="Interna förflyttningar",
    definition_sv=(
        "Andel av de månadsavlönade på mätdagen som bytt enhet inom arbetsgivaren under året (en ny "
        "anställningsperiod i en annan enhet som börjar högst en dag efter att den förra slutade)."
    ),
    population_sv="Månadsavlönade anställda; förflyttningar under kalenderåret.",
    unit="%",
    formula="antal månadsavlönade på mätdagen med enhetsbyte under året / antal månadsavlönade på mätdagen × 100",
    source="Lokal definition (personalrörlighet inom organisationen)",
    value_columns=("moved", "value"),
)
def internal_moves(data: HRData, params: Params) -> pl.DataFrame:
    on = params.snapshot
    people = _persons(data, on, MONTHLY_PAID_FORMS)
    if people.height == 0:
        raise InsufficientData(
            f"Det finns inga månadsavlönade anställningar som pågår {on.isoformat()} i underlaget."
        )
    moved = (
        unit_moves(data, params.year_start, params.year_end).select("org_id", "person_id").unique()
    )
    # A share of the staff on the snapshot date: a person who moved and then left before
    # it is in neither the numerator nor the denominator.
    people = people.join(
        moved.with_columns(_moved=pl.lit(True)), on=["org_id", "person_id"], how="left"
    )
    people = _with_dims(people, data, params, on)
    return _cohort_share(people, pl.col("_moved").fill_null(False), params, "moved")


@register(
    id="expected_retirements",
    name_sv="Förväntade pensionsavgångar",
    definition_sv=(
        "Antal månadsavlönade anställda på mätdagen som når riktåldern för pension (inställning, standard 67 år) "
        "under vart och ett av de kommande fem åren. Den som redan nått riktåldern räknas det första året."
    ),
    population_sv="Månadsavlönade anställda på mätdagen.",
    unit="personer",
    formula="antal med födelseår + riktålder = år, för år = redovisningsår + 1 … + 5",
    source="Riktålder för pension 67 år 2026–2030 (domain-rules §6)",
    value_columns=("retirements", "value"),
)
def expected_retirements(data: HRData, params: Params) -> pl.DataFrame:
    on = params.snapshot
    view = person_view(data, on, params.year, monthly_paid_only=True)
    if view.height == 0:
        raise InsufficientData(
            f"Det finns inga månadsavlönade anställningar som pågår {on.isoformat()} i underlaget."
        )
    view = attach_dimensions(view, data, params)
    first = params.year + 1
    last = params.year + params.retirement_horizon_years
    view = view.with_columns(
        retirement_year=pl.max_horizontal(
            pl.col("birth_date").dt.year() + params.target_pension_age, pl.lit(first)
        ).cast(pl.Int32)
    )
    keys = ["org_id", *params.by]
    totals = view.group_by(keys).agg(pl.len().cast(pl.Int64).alias("n"))
    years = pl.DataFrame(
        {"retirement_year": list(range(first, last + 1))}, schema={"retirement_year": pl.Int32}
    )
    counts = (
        view.filter(pl.col("retirement_year") <= last)
        .group_by([*keys, "retirement_year"])
        .agg(pl.len().cast(pl.Int64).alias("retirements"))
    )
    grid = totals.join(years, how="cross")
    return (
        grid.join(counts, on=[*keys, "retirement_year"], how="left")
        .with_columns(pl.col("retirements").fill_null(0))
        .with_columns(value=pl.col("retirements").cast(pl.Float64))
        .sort([*keys, "retirement_year"])
    )
