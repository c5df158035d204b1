"""Article 5: the starting pay range for a job, given to applicants before the interview.

Derived from the pay structure: the monthly pay at full time (``monthly_pay``,
base pay only, as advertised) of the job's *recent starters* — workers whose
first employment began less than ``recent_years`` years before the date
(``tenure_years`` of the pay frame). P10 and P90 use linear interpolation
between order statistics, as ``hallbar.paysurvey.structure`` does; the
advertised range rounds P10 down and P90 up to whole hundreds of kronor.
A job with fewer than ``min_starters`` recent starters gets no computed range
(the range would reveal the pay of a few named newcomers): HR sets it by hand,
with a reason (``adjust_range``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from hallbar.paytransparency.errors import InvalidInput

ROUND_TO = 100.0


@dataclass(frozen=True)
class StartingRange:
    job: str
    n_starters: int
    p10: float | None
    p90: float | None
    low: float | None
    high: float | None
    reason: str = ""  # HR's reason when the range differs from the computed one

    @property
    def adjusted(self) -> bool:
        return bool(self.reason)


def starting_ranges(
    frame: pl.DataFrame, *, recent_years: float = 2.0, min_starters: int = 5
) -> pl.DataFrame:
    """One row per job: job, n_starters, p10, p90, low, high (nulls below ``min_starters``)."""
    starters = frame.filter((pl.col("tenure_years") < recent_years) & (pl.col("monthly_pay") > 0))
    pay = pl.col("monthly_pay")
    enough = pl.col("n_starters") >= min_starters
    return (
        starters.group_by("job")
        .agg(
            pl.len().cast(pl.Int64).alias("n_starters"),
            pay.quantile(0.10, interpolation="linear").alias("p10"),
            pay.quantile(0.90, interpolation="linear").alias("p90"),
        )
        .with_columns(
            pl.when(enough).then(pl.col("p10")).alias("p10"),
            pl.when(enough).then(pl.col("p90")).alias("p90"),
        )
        .with_columns(
            ((pl.col("p10") / ROUND_TO).floor() * ROUND_TO).alias("low"),
            ((pl.col("p90") / ROUND_TO).ceil() * ROUND_TO).alias("high"),
        )
        .sort("job")
    )


def computed_range(ranges: pl.DataFrame, job: str) -> StartingRange:
    rows = ranges.filter(pl.col("job") == job)
    if rows.height == 0:
        return StartingRange(job, 0, None, None, None, None)
    r = rows.row(0, named=True)
    return StartingRange(job, int(r["n_starters"]), r["p10"], r["p90"], r["low"], r["high"])


def _amount(text: str, field: str) -> float:
    try:
        value = float(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError as err:
        raise InvalidInput(f"{field} '{text}' är inget belopp. Skriv t.ex. 32500.") from err
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput(f"{field} måste vara ett belopp större än 0 kronor.")
    return value


def adjust_range(computed: StartingRange, low: str, high: str, reason: str) -> StartingRange:
    """HR's range for the job: must be a valid interval; a change needs a written reason."""
    lo, hi = _amount(low, "Lägsta ingångslön"), _amount(high, "Högsta ingångslön")
    if lo > hi:
        raise InvalidInput(
            "Lägsta ingångslön är högre än den högsta. Byt plats på beloppen eller rätta dem."
        )
    changed = (lo, hi) != (computed.low, computed.high)
    if changed and not reason.strip():
        raise InvalidInput(
            "Intervallet skiljer sig från det som räknats fram ur lönestrukturen. Skriv skälet "
            "(sakligt och könsneutralt, t.ex. marknadsläge eller nytt kollektivavtal)."
        )
    return StartingRange(
        computed.job,
        computed.n_starters,
        computed.p10,
        computed.p90,
        lo,
        hi,
        reason.strip() if changed else "",
    )
