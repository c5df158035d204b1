"""Sick-leave building blocks: continuous spells and sick hours per employment and month.

Spells. All sick-absence rows of a person are merged into continuous spells: a
row that starts on or before the day after the latest end so far belongs to the
same spell (adjacent and overlapping rows merge, whatever their extent or
employment). A spell's length is ``spell_to − spell_from + 1`` calendar days and
is the *whole* spell's length, also when it crosses the year boundary (SKR counts
the spell's total length; only the hours inside the year are counted).

Hours. A row's ``hours`` are used when present, spread over its calendar days.
Otherwise the hours are approximated per month as

    scheduled hours of the employment in the month
      × (calendar days of the month covered / calendar days of the month)
      × extent / 100.

A row without an employment id is spread over the person's employments in
proportion to their scheduled hours that month.

Ordinary hours. The note's denominator is the exported schedule minus hours of
full leave of absence (``ordinary_hours``): SKR requires that an employee's
time can enter both numerator and denominator, and a person on full-time
parental leave cannot be sick from work. The leave hours follow the same rule
as sick hours. ``Params.ordinary_hours_exclude_leave`` says when the export has
already left them out.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.codes import LEAVE_CAUSES_OUTSIDE_ORDINARY_HOURS, AbsenceCause
from hallbar.core.dataset import HRData
from hallbar.indicators.cache import memoised
from hallbar.indicators.frames import grouped_by_hash, in_key_order, key_changes

LONG_TERM_DAYS = 60  # SKR: continuous spells of 60 days or more
_DAY = pl.Int32
_PERSON_STRIDE = 10_000_000  # more days than any date in the data (year 2500 is day 194 000)


def _d(col: str) -> pl.Expr:
    return pl.col(col).cast(_DAY)


@memoised(lasting=True)
def sick_rows_with_spells(absences: pl.DataFrame) -> pl.DataFrame:
    """Sick-absence rows with their continuous spell: ``spell_id``, ``spell_from``,
    ``spell_to`` and ``spell_days`` (calendar days, inclusive). Each person's rows are
    together, by start and end; the persons in no particular order."""
    keys = ["org_id", "person_id"]
    sick = grouped_by_hash(
        absences.filter(pl.col("cause") == AbsenceCause.SICK.value),
        keys,
        ["from_date", "to_date"],
    )
    # The running maximum of to_date must restart for every person. Rather than a
    # windowed cum_max (slow), lift each person's days by a per-person offset larger
    # than any day number: a global running maximum then never leaks across persons.
    first = key_changes(keys)
    offset = (first.cum_sum().cast(pl.Int64) * _PERSON_STRIDE).alias("_offset")
    sick = sick.with_columns(first.alias("_first"), offset)
    reach = (_d("to_date").cast(pl.Int64) + pl.col("_offset")).cum_max()  # latest end so far
    sick = sick.with_columns(_reach=reach).with_columns(
        _new=pl.col("_first")
        | (_d("from_date").cast(pl.Int64) + pl.col("_offset") > pl.col("_reach").shift(1) + 1)
    )
    # A spell's rows are consecutive: it starts at its first row's start and ends at
    # the latest end reached by its last row (no group-by and join on the spell).
    last_of_spell = pl.col("_new").shift(-1).fill_null(True)
    spell_to = (pl.col("_reach") - pl.col("_offset")).cast(_DAY).cast(pl.Date)
    return (
        sick.with_columns(
            spell_id=pl.col("_new").cum_sum(),
            spell_from=pl.when("_new").then(pl.col("from_date")).forward_fill(),
            spell_to=pl.when(last_of_spell).then(spell_to).backward_fill(),
        )
        .drop("_first", "_offset", "_reach", "_new")
        .with_columns(spell_days=(_d("spell_to") - _d("spell_from") + 1))
    )


@memoised(lasting=True)
def spells(absences: pl.DataFrame) -> pl.DataFrame:
    """One row per continuous sick spell: org_id, person_id, spell_id, spell_from,
    spell_to, spell_days."""
    # A spell's rows are consecutive: keep each spell's first row.
    return (
        sick_rows_with_spells(absences)
        .filter(pl.col("spell_id").ne_missing(pl.col("spell_id").shift(1)))
        .select("spell_id", "org_id", "person_id", "spell_from", "spell_to", "spell_days")
    )


@memoised(lasting=True)
def employment_person_map(data: HRData) -> pl.DataFrame:
    return data.employments.select("org_id", "employment_id", "person_id").unique(
        ["org_id", "employment_id"]
    )


@memoised
def scheduled_hours(data: HRData, start: date, end: date) -> pl.DataFrame:
    """Ordinary hours per employment and month: org_id, person_id, employment_id, month,
    scheduled_hours (summed, so a duplicated row cannot multiply sick hours)."""
    # Lazy: only the four columns used are taken from the working-time table, and the
    # month filter runs before anything is copied.
    keys = ["org_id", "employment_id", "month"]
    rows = (
        data.working_time.lazy()
        .select(*keys, "scheduled_hours")
        .filter((pl.col("month") >= start.replace(day=1)) & (pl.col("month") <= end))
        .collect()
    )
    if in_key_order(rows, keys, strict=True):
        # One row per employment and month, in employment order (as the table is
        # usually exported and imported): nothing to sum, and each employment's
        # person is looked up once instead of joining every month by string keys.
        return with_person(
            rows.with_columns(pl.col("scheduled_hours").fill_null(0.0)), data, how="inner"
        ).select("org_id", "person_id", "employment_id", "month", "scheduled_hours")
    return (
        rows.lazy()
        .group_by(keys)
        .agg(pl.col("scheduled_hours").fill_null(0.0).sum())
        .join(employment_person_map(data).lazy(), on=["org_id", "employment_id"], how="inner")
        .select("org_id", "person_id", "employment_id", "month", "scheduled_hours")
        .collect()
    )


def with_person(rows: pl.DataFrame, data: HRData, *, how: str) -> pl.DataFrame:
    """``rows`` in employment order (org_id, employment_id) with the employment's
    ``person_id`` (``how``: "left" keeps rows without one, "inner" drops them), the
    same as a join with ``employment_person_map`` but looked up once per employment."""
    keys = ["org_id", "employment_id"]
    run = pl.struct(keys).rle_id()
    firsts = rows.filter(key_changes(keys)).select(keys)
    person = firsts.join(
        employment_person_map(data), on=keys, how="left", maintain_order="left"
    ).get_column("person_id")
    out = rows.with_columns(person_id=person.gather(rows.select(run).to_series()))
    return out.filter(pl.col("person_id").is_not_null()) if how == "inner" else out


def _month_pieces(
    rows: pl.LazyFrame, start: date, end: date, carry: tuple[str, ...]
) -> pl.LazyFrame:
    """Absence rows cut into one piece per calendar month inside ``[start, end]``.

    Columns: org_id, person_id, employment_id, extent, hours, the ``carry`` columns,
    month, _p_from/_p_to (the piece's first and last day as day numbers), _days
    (calendar days of the piece), _dim (days in the month), _row_days (days of the row).
    """
    start_i = (start - date(1970, 1, 1)).days
    end_i = (end - date(1970, 1, 1)).days
    rows = rows.filter((pl.col("from_date") <= end) & (pl.col("to_date") >= start)).select(
        "org_id",
        "person_id",
        "employment_id",
        "extent",
        "hours",
        *carry,
        _from=pl.max_horizontal(_d("from_date"), pl.lit(start_i, _DAY)),
        _to=pl.min_horizontal(_d("to_date"), pl.lit(end_i, _DAY)),
        _row_days=(_d("to_date") - _d("from_date") + 1),
    )

    # Month pieces by integer month index (year × 12 + month − 1): cheaper than date ranges.
    def month_index(day: pl.Expr) -> pl.Expr:
        d = day.cast(pl.Date)
        return d.dt.year().cast(pl.Int32) * 12 + d.dt.month().cast(pl.Int32) - 1

    rows = rows.with_columns(
        _m=pl.int_ranges(
            month_index(pl.col("_from")), month_index(pl.col("_to")) + 1, dtype=pl.Int32
        )
    ).explode("_m")
    rows = rows.with_columns(month=pl.date(pl.col("_m") // 12, pl.col("_m") % 12 + 1, 1)).drop("_m")
    m = _d("month")
    m_end = pl.col("month").dt.month_end().cast(_DAY)
    return rows.with_columns(
        _p_from=pl.max_horizontal(pl.col("_from"), m),
        _p_to=pl.min_horizontal(pl.col("_to"), m_end),
        _dim=(m_end - m + 1),
    ).with_columns(_days=(pl.col("_p_to") - pl.col("_p_from") + 1))


def _piece_hours(pieces: pl.LazyFrame, data: HRData, start: date, end: date) -> pl.LazyFrame:
    """Absence hours of each month piece (the rule in the module docstring): the row's
    ``hours`` spread over its days, else the employment's schedule that month × share
    of the month's days × extent / 100; a row without an employment id is spread over
    the person's employments by their share of the schedule. Adds ``absence_hours``."""
    wt = scheduled_hours(data, start, end).rename({"scheduled_hours": "_sched"})
    # Rows with an employment id: that employment's schedule.
    with_emp = (
        pieces.filter(pl.col("employment_id").is_not_null())
        .join(wt.lazy().drop("person_id"), on=["org_id", "employment_id", "month"], how="left")
        .with_columns(pl.col("_sched").fill_null(0.0), _share=pl.lit(1.0))
    )
    # Rows without: every employment of the person that month, by share of schedule
    # (only the schedules of persons who have such rows are looked at).
    no_emp = pieces.filter(pl.col("employment_id").is_null()).drop("employment_id")
    wt_person = (
        wt.lazy()
        .join(
            no_emp.select("org_id", "person_id").unique(),
            on=["org_id", "person_id"],
            how="semi",
        )
        .with_columns(_psched=pl.col("_sched").sum().over(["org_id", "person_id", "month"]))
    )
    without = (
        no_emp.join(wt_person, on=["org_id", "person_id", "month"], how="inner")
        .with_columns(
            _share=pl.when(pl.col("_psched") > 0)
            .then(pl.col("_sched") / pl.col("_psched"))
            .otherwise(0.0)
        )
        .drop("_psched")
    )
    cols = with_emp.collect_schema().names()
    both = pl.concat([with_emp.select(cols), without.select(cols)])
    hours = (
        pl.when(pl.col("hours").is_not_null())
        .then(pl.col("hours") * pl.col("_days") / pl.col("_row_days") * pl.col("_share"))
        .otherwise(pl.col("_sched") * pl.col("_days") / pl.col("_dim") * pl.col("extent") / 100.0)
    )
    return both.with_columns(absence_hours=hours)


@memoised
def sick_hours_monthly(
    data: HRData, start: date, end: date, short_term_days: int = 14
) -> pl.DataFrame:
    """Sick hours per employment and month in ``[start, end]``.

    Columns: org_id, person_id, employment_id, month, sick_hours, long_hours
    (hours in spells of ≥ 60 days), short_hours (hours on days 1–``short_term_days``
    of a spell).
    """
    # One lazy query from the rows to the sums: Polars' streaming engine joins and
    # groups by string keys for a fraction of the CPU time of the same steps on frames.
    rows = sick_rows_with_spells(data.absences).lazy().with_columns(_spell_from=_d("spell_from"))
    pieces = _month_pieces(rows, start, end, ("spell_days", "_spell_from")).with_columns(
        _short_days=(
            pl.min_horizontal(pl.col("_p_to"), pl.col("_spell_from") + (short_term_days - 1))
            - pl.max_horizontal(pl.col("_p_from"), pl.col("_spell_from"))
            + 1
        ).clip(lower_bound=0),
    )
    pieces_h = _piece_hours(pieces, data, start, end).with_columns(
        sick_hours=pl.col("absence_hours")
    )
    pieces_h = pieces_h.with_columns(
        long_hours=pl.when(pl.col("spell_days") >= LONG_TERM_DAYS)
        .then(pl.col("sick_hours"))
        .otherwise(0.0),
        short_hours=pl.col("sick_hours") * pl.col("_short_days") / pl.col("_days"),
    )
    return (
        pieces_h.group_by(["org_id", "person_id", "employment_id", "month"])
        .agg(pl.col("sick_hours").sum(), pl.col("long_hours").sum(), pl.col("short_hours").sum())
        .collect()
    )


@memoised
def leave_hours_monthly(data: HRData, start: date, end: date) -> pl.DataFrame:
    """Hours of full leave of absence per employment and month in ``[start, end]``.

    Full leave: an absence row of a cause in ``LEAVE_CAUSES_OUTSIDE_ORDINARY_HOURS``
    (parental leave, leave of absence, other leave without pay) with extent 100 %.
    Hours follow the same rule as sick hours. Columns: org_id, person_id,
    employment_id, month, leave_hours.
    """
    causes = [c.value for c in LEAVE_CAUSES_OUTSIDE_ORDINARY_HOURS]
    rows = data.absences.lazy().filter(pl.col("cause").is_in(causes) & (pl.col("extent") >= 100.0))
    pieces = _month_pieces(rows, start, end, ())
    return (
        _piece_hours(pieces, data, start, end)
        .group_by(["org_id", "person_id", "employment_id", "month"])
        .agg(pl.col("absence_hours").sum().alias("leave_hours"))
        .collect()
    )


@memoised
def ordinary_hours(
    data: HRData, start: date, end: date, exported_hours_exclude_leave: bool = False
) -> pl.DataFrame:
    """Ordinary working hours for the sick-leave note per employment and month.

    SKR: an employee's time must be able to enter both numerator and denominator,
    so hours of full leave of absence are not ordinary working hours (domain-rules
    §1). When the export's ordinary hours still include leave
    (``exported_hours_exclude_leave`` False, the default), the leave hours are
    deducted here, never below zero. Columns as ``scheduled_hours`` plus
    ``exported_hours`` (the schedule as exported, which decides who is in the
    population: ``hallbar.core.population.ORDINARY_HOURS``).
    """
    sched = scheduled_hours(data, start, end).with_columns(exported_hours=pl.col("scheduled_hours"))
    if exported_hours_exclude_leave:
        return sched
    keys = ["org_id", "person_id", "employment_id", "month"]
    leave = leave_hours_monthly(data, start, end)
    if leave.height == 0:
        return sched
    return (
        sched.lazy()
        .join(leave.lazy(), on=keys, how="left")
        .with_columns(
            scheduled_hours=(pl.col("scheduled_hours") - pl.col("leave_hours").fill_null(0.0)).clip(
                lower_bound=0.0
            )
        )
        .drop("leave_hours")
        .collect()
    )


@memoised
def sick_leave_by_employment(
    data: HRData,
    start: date,
    end: date,
    short_term_days: int = 14,
    exported_hours_exclude_leave: bool = False,
) -> pl.DataFrame:
    """Ordinary and sick hours per employment of the sick-leave population, summed over
    ``[start, end]``. The population is every employment with exported ordinary
    (scheduled) hours in the period; hourly-paid staff without a schedule have no
    denominator and fall outside, as do their sick hours (domain-rules §1). Summed
    before joining, which is much cheaper than a monthly join.
    ``scheduled_hours`` are the note's ordinary hours (full leave deducted)."""
    keys = ["org_id", "employment_id"]
    sched = (
        ordinary_hours(data, start, end, exported_hours_exclude_leave)
        .lazy()
        .group_by(["org_id", "person_id", "employment_id"])
        .agg(pl.col("scheduled_hours").sum(), pl.col("exported_hours").sum())
        .filter(pl.col("exported_hours") > 0)
        .drop("exported_hours")
    )
    sick = (
        sick_hours_monthly(data, start, end, short_term_days)
        .lazy()
        .group_by(keys)
        .agg(pl.col("sick_hours").sum(), pl.col("long_hours").sum(), pl.col("short_hours").sum())
    )
    return (
        sched.join(sick, on=keys, how="left")
        .with_columns(
            pl.col("sick_hours").fill_null(0.0),
            pl.col("long_hours").fill_null(0.0),
            pl.col("short_hours").fill_null(0.0),
        )
        .collect()
    )
