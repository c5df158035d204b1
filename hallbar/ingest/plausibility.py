"""Plausibility rules across the parsed tables: values that parse but cannot be true.

These rules run after pseudonymisation (birth dates come from the personnummer)
and before the tables are assembled. Limits that are a local judgement live in
``PlausibilityLimits`` so that an installation can set them (the caller maps its
settings onto this object); the defaults are documented in ``docs/data-format.md``.

Severity follows one principle: an error where the value cannot be true for any
employer (a birth date after the export, absence 14 years before the job began,
a total of 200 % employment), a warning where the value is unusual but can
happen (a total of 120 %, pay outside the local band, absence that starts a few
days before the employment).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN, report_rows
from hallbar.ingest.validate import (
    Parsed,
    previous_running_max,
    sort_within_keys,
    sv_number,
)

# Employments that continue are open-ended; an open end counts as after every date.
_OPEN_END = date(9999, 12, 31)
_RATE_SCALE = 10_000


@dataclass(frozen=True)
class PayBand:
    """Plausible full-time monthly pay in kronor for one occupation (inclusive)."""

    low: float
    high: float


@dataclass(frozen=True)
class PlausibilityLimits:
    """Local limits of the plausibility rules; every field has a documented default.

    ``pay_bands`` is keyed by AID code (six digits) or SSYK code (four digits);
    an employment's AID code is looked up first, then its SSYK code, then
    ``default_pay_band``. Pay outside the band is a warning.
    """

    max_age: int = 100  # years at the export date; older is a warning (check the number)
    max_age_error: int = 120  # older than anyone alive: an error
    total_rate_warning: float = 100.0  # one person's summed rate above this: warning
    total_rate_error: float = 150.0  # above this: error
    default_pay_band: PayBand | None = PayBand(10_000.0, 250_000.0)
    pay_bands: Mapping[str, PayBand] = field(default_factory=dict)


def check_plausibility(
    tables: dict[str, Parsed],
    persons: pl.DataFrame,
    as_of: date,
    limits: PlausibilityLimits,
    problems: ProblemList,
) -> None:
    """Run every cross-table plausibility rule; findings go to ``problems``."""
    employments = _complete(tables.get("employments"))
    if employments is not None and employments.frame.height:
        _birth_dates(employments, "person_id", persons, as_of, limits, problems)
        _fraction_rates(employments, problems)
        _pay_band(employments, limits, problems)
        _employment_rows_overlap(employments, problems)
        _total_rate(employments, limits, problems)
        absences = _complete(tables.get("absences"))
        if absences is not None:
            _absence_employment(absences, employments, problems)
    units = tables.get("units")
    if units is not None and "manager_person_id" in units.header_of:
        _birth_dates(units, "manager_person_id", persons, as_of, limits, problems)


def _complete(p: Parsed | None) -> Parsed | None:
    """A view of ``p`` with every canonical column (optional ones absent from the file are
    null), so that rules need not ask which columns the export had."""
    if p is None:
        return None
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in p.table.polars_schema.items()
        if name not in p.frame.columns
    ]
    return Parsed(p.table, p.frame.with_columns(missing), p.file, p.header_of)


def _birth_dates(
    p: Parsed,
    column: str,
    persons: pl.DataFrame,
    as_of: date,
    limits: PlausibilityLimits,
    problems: ProblemList,
) -> None:
    """A birth date after the export date (error), or an age above ``max_age`` on it
    (a warning; the classic test number 19121212-1212 is 113 in 2025) or above
    ``max_age_error`` (an error: older than anyone alive)."""
    born = p.frame.select(ROW_COLUMN, column).join(
        persons.select(pl.col("person_id").alias(column), "birth_date"), on=column, how="inner"
    )
    # Completed years on the export date: years between, minus one before the birthday.
    before_birthday = (pl.col("birth_date").dt.month() > as_of.month) | (
        (pl.col("birth_date").dt.month() == as_of.month)
        & (pl.col("birth_date").dt.day() > as_of.day)
    )
    born = born.with_columns(
        (pl.lit(as_of.year) - pl.col("birth_date").dt.year() - before_birthday.cast(pl.Int32))
        .cast(pl.Int64)
        .alias("_age")
    )
    header = p.header(column)
    future = born.filter(pl.col("birth_date") > as_of).sort(ROW_COLUMN)
    report_rows(
        problems,
        p.file,
        future,
        header,
        lambda r: (
            f"Födelsedatumet i personnumret ({r['birth_date'].isoformat()}) är efter "
            f"uttagsdatumet {as_of.isoformat()}. Kontrollera personnumret i HR-systemet."
        ),
    )
    old = born.filter(pl.col("_age") > limits.max_age).sort(ROW_COLUMN)

    def message(r: dict[str, Any]) -> str:
        return (
            f"Personen är {r['_age']} år vid uttagsdatumet {as_of.isoformat()} (födelsedatum "
            f"{r['birth_date'].isoformat()}); gränsen är {limits.max_age} år "
            f"(fel över {limits.max_age_error} år). Kontrollera personnumret i HR-systemet."
        )

    impossible = pl.col("_age") > limits.max_age_error
    report_rows(problems, p.file, old.filter(impossible), header, message)
    report_rows(problems, p.file, old.filter(~impossible), header, message, severity="varning")


def _fraction_rates(p: Parsed, problems: ProblemList) -> None:
    """A rate of 0,75 is 0,75 %: almost always a share (75 %) written as a fraction.

    Excel shows the fraction 0,75 formatted as "75 %" but stores 0,75, so an
    XLSX export with percent-formatted cells gives fractions. A value strictly
    between 0 and 1 is an error; when a file has such values, a rate of exactly
    1 in the same file is the fraction 1 (100 %) and is reported too.
    """
    if "rate" not in p.header_of:
        return
    rate = pl.col("rate")
    fraction = (rate > 0) & (rate < 1)
    has_fractions = p.frame.select(fraction.any()).item()
    if not has_fractions:
        return
    bad = p.frame.filter(fraction | (rate == 1)).select(ROW_COLUMN, "rate").sort(ROW_COLUMN)
    report_rows(
        problems,
        p.file,
        bad,
        p.header("rate"),
        lambda r: (
            f"Sysselsättningsgraden {sv_number(r['rate'])} ser ut att vara en andel, inte "
            f"procent ({sv_number(r['rate'])} % av heltid är inte rimligt). Skriv den i procent, "
            f"t.ex. {sv_number(r['rate'] * 100)} för {sv_number(r['rate'] * 100)} %."
        ),
    )


def _pay_band(p: Parsed, limits: PlausibilityLimits, problems: ProblemList) -> None:
    """Full-time monthly pay outside the band for the occupation (a warning)."""
    if "monthly_pay" not in p.header_of:
        return
    frame = p.frame.filter(pl.col("monthly_pay").is_not_null() & pl.col("monthly_pay").is_finite())
    codes = [c for c in ("aid_code", "ssyk") if c in frame.columns]
    band_of = dict(limits.pay_bands)
    default = limits.default_pay_band
    occupation = (
        pl.coalesce(
            [pl.when(pl.col(c).is_in(list(band_of))).then(pl.col(c)) for c in codes]
            + [pl.lit(None, dtype=pl.String)]
        )
        if codes and band_of
        else pl.lit(None, dtype=pl.String)
    )
    frame = frame.with_columns(occupation.alias("_occupation"))
    lows = {k: b.low for k, b in band_of.items()}
    highs = {k: b.high for k, b in band_of.items()}
    default_low = default.low if default else None
    default_high = default.high if default else None
    frame = frame.with_columns(
        pl.col("_occupation")
        .replace_strict(lows, default=default_low, return_dtype=pl.Float64)
        .alias("_low"),
        pl.col("_occupation")
        .replace_strict(highs, default=default_high, return_dtype=pl.Float64)
        .alias("_high"),
    )
    bad = frame.filter(
        (pl.col("monthly_pay") < pl.col("_low")) | (pl.col("monthly_pay") > pl.col("_high"))
    ).sort(ROW_COLUMN)

    def message(r: dict[str, Any]) -> str:
        low, high, pay = float(r["_low"]), float(r["_high"]), float(r["monthly_pay"])
        whose = f"för yrket {r['_occupation']}" if r["_occupation"] else "för alla yrken"
        return (
            f"Månadslönen {sv_number(pay)} kr ligger utanför det rimliga intervallet "
            f"{sv_number(low)}–{sv_number(high)} kr {whose}. Kontrollera att lönen är "
            "omräknad till heltid och i kronor per månad."
        )

    report_rows(problems, p.file, bad, p.header("monthly_pay"), message, severity="varning")


def _employment_rows_overlap(p: Parsed, problems: ProblemList) -> None:
    """Rows of one employment are consecutive periods; two that overlap cannot both hold.

    Rows with the same id and start date are reported as duplicates already.
    """
    f = (
        p.frame.select(ROW_COLUMN, "employment_id", "start_date", "end_date")
        .drop_nulls(["employment_id", "start_date"])
        .with_columns(pl.col("end_date").fill_null(_OPEN_END).alias("_end"))
    )
    f = sort_within_keys(f, ["employment_id"], ["start_date", ROW_COLUMN])
    f = previous_running_max(f, ["employment_id"], "_end")
    duplicate = (pl.col("employment_id") == pl.col("employment_id").shift(1)) & (
        pl.col("start_date") == pl.col("start_date").shift(1)
    )
    bad = f.filter(
        (pl.col("start_date") <= pl.col("_prev_end")) & ~duplicate.fill_null(False)
    ).sort(ROW_COLUMN)
    report_rows(
        problems,
        p.file,
        bad,
        p.header("start_date"),
        lambda r: (
            f"Perioden överlappar en annan rad för samma anställning "
            f"({r['employment_id']}, rad {r['_prev_row']}). Raderna för en anställning ska "
            "avlösa varandra; rätta start- eller slutdatum."
        ),
    )


def _total_rate(p: Parsed, limits: PlausibilityLimits, problems: ProblemList) -> None:
    """One person's employments that run at the same time add up; above the limits is wrong.

    A sweep over start and end events per person: the running sum after each
    start is the person's total on that day. Reported on the row whose start
    brings the total over the limit.
    """
    f = p.frame.select(ROW_COLUMN, "person_id", "rate", "start_date", "end_date").drop_nulls(
        ["person_id", "rate", "start_date"]
    )
    f = f.filter(pl.col("rate").is_finite() & (pl.col("rate") > 0))
    if f.height == 0:
        return
    starts = f.select(
        ROW_COLUMN,
        "person_id",
        pl.col("start_date").alias("_day"),
        pl.col("rate").alias("_delta"),
        pl.lit(1, dtype=pl.Int8).alias("_order"),
    )
    ends = f.filter(pl.col("end_date").is_not_null()).select(
        ROW_COLUMN,
        "person_id",
        (pl.col("end_date") + pl.duration(days=1)).alias("_day"),
        (-pl.col("rate")).alias("_delta"),
        pl.lit(0, dtype=pl.Int8).alias("_order"),  # an end frees the rate before a start that day
    )
    events = sort_within_keys(
        pl.concat([starts, ends]), ["person_id"], ["_day", "_order", ROW_COLUMN]
    )
    # Rates in ten-thousandths of a percent as integers, so that sums are exact, and a
    # running sum over the whole frame less its value before each person's first event
    # (linear, unlike a window per person).
    delta = (pl.col("_delta") * _RATE_SCALE).round(0).cast(pl.Int64)
    first = (pl.col("person_id") != pl.col("person_id").shift(1)).fill_null(True)
    events = events.with_columns(delta.cum_sum().alias("_cum"), delta.alias("_d"))
    base = pl.when(first).then(pl.col("_cum") - pl.col("_d")).forward_fill()
    events = events.with_columns(((pl.col("_cum") - base) / _RATE_SCALE).alias("_total"))
    over = events.filter((pl.col("_order") == 1) & (pl.col("_total") > limits.total_rate_warning))
    if over.height == 0:
        return
    # The other rows running on that day, named in the message (few persons; a join is fine).
    rows = f.select(pl.col(ROW_COLUMN).alias("_other"), "person_id", "start_date", "end_date")
    others = (
        over.select(ROW_COLUMN, "person_id", "_day")
        .join(rows, on="person_id")
        .filter(
            (pl.col("start_date") <= pl.col("_day"))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("_day")))
            & (pl.col("_other") != pl.col(ROW_COLUMN))
        )
        .group_by(ROW_COLUMN)
        .agg(pl.col("_other").sort().alias("_others"))
    )
    over = over.join(others, on=ROW_COLUMN, how="left").sort(ROW_COLUMN)
    header = p.header("rate")

    def message(r: dict[str, Any]) -> str:
        total = float(r["_total"])
        day = r["_day"].isoformat()
        other = list(r["_others"] or [])
        with_rows = f" (tillsammans med rad {', '.join(str(o) for o in other)})" if other else ""
        return (
            f"Personens anställningar har tillsammans sysselsättningsgraden {sv_number(total)} % "
            f"den {day}{with_rows}. Gränsen är {sv_number(limits.total_rate_warning)} % "
            f"(fel över {sv_number(limits.total_rate_error)} %). Kontrollera att anställningen "
            "inte är listad två gånger och att sysselsättningsgraden är rätt."
        )

    errors = over.filter(pl.col("_total") > limits.total_rate_error)
    warnings = over.filter(pl.col("_total") <= limits.total_rate_error)
    report_rows(problems, p.file, errors, header, message)
    report_rows(problems, p.file, warnings, header, message, severity="varning")


def _absence_employment(absences: Parsed, employments: Parsed, problems: ProblemList) -> None:
    """Absence belongs to the person's employment and falls within its dates.

    With an employment id: the employment must be the same person's, and the
    spell must lie within that employment's first start and last end. Without
    one: within the span of the person's employments. Entirely outside is an
    error (absence from a job not yet begun); partly outside is a warning (a
    spell registered from the day before the start happens).
    """
    a = absences.frame.select(
        ROW_COLUMN,
        "person_id",
        *(["employment_id"] if "employment_id" in absences.header_of else []),
        "from_date",
        "to_date",
    ).drop_nulls(["person_id", "from_date", "to_date"])
    e = employments.frame.select(
        "employment_id",
        "person_id",
        "start_date",
        pl.col("end_date").fill_null(_OPEN_END),
    ).drop_nulls(["employment_id", "person_id", "start_date"])
    if "employment_id" in a.columns:
        owners = e.group_by("employment_id").agg(
            pl.col("person_id").unique().alias("_owners"),
            pl.col("start_date").min().alias("_first"),
            pl.col("end_date").max().alias("_last"),
        )
        with_id = a.filter(pl.col("employment_id").is_not_null()).join(
            owners, on="employment_id", how="inner"
        )
        not_theirs = with_id.filter(~pl.col("person_id").is_in(pl.col("_owners"))).sort(ROW_COLUMN)
        report_rows(
            problems,
            absences.file,
            not_theirs.select(ROW_COLUMN, "employment_id"),
            absences.header("employment_id"),
            lambda r: (
                f"Anställningen '{r['employment_id']}' tillhör en annan person än frånvaron. "
                "Kontrollera personnummer och anställnings-id på raden."
            ),
        )
        in_span = with_id.filter(pl.col("person_id").is_in(pl.col("_owners")))
        _outside(absences, in_span, "anställningen", problems)
        a = a.filter(pl.col("employment_id").is_null())
    spans = e.group_by("person_id").agg(
        pl.col("start_date").min().alias("_first"), pl.col("end_date").max().alias("_last")
    )
    _outside(
        absences, a.join(spans, on="person_id", how="inner"), "personens anställningar", problems
    )


def _outside(absences: Parsed, f: pl.DataFrame, what: str, problems: ProblemList) -> None:
    def text(r: dict[str, Any]) -> str:
        last = r["_last"]
        end = "pågår" if last == _OPEN_END else f"slutar {last.isoformat()}"
        return (
            f"Frånvaron {r['from_date'].isoformat()}–{r['to_date'].isoformat()} ligger "
            f"{{where}} {what} (börjar {r['_first'].isoformat()}, {end}). "
            "Kontrollera datumen och att frånvaron hör till rätt person och anställning."
        )

    entirely = (pl.col("to_date") < pl.col("_first")) | (pl.col("from_date") > pl.col("_last"))
    partly = ~entirely & (
        (pl.col("from_date") < pl.col("_first")) | (pl.col("to_date") > pl.col("_last"))
    )
    report_rows(
        problems,
        absences.file,
        f.filter(entirely).sort(ROW_COLUMN),
        absences.header("from_date"),
        lambda r: text(r).replace("{where}", "helt utanför"),
    )
    report_rows(
        problems,
        absences.file,
        f.filter(partly).sort(ROW_COLUMN),
        absences.header("from_date"),
        lambda r: text(r).replace("{where}", "delvis utanför"),
        severity="varning",
    )
