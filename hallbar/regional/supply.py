"""Regional competence supply: consenting members' projections added up per occupation.

Each member's projection runs on its own data with its own assumptions (its saved
scenario); only the yearly results per occupation leave it: stock at the start of
the year, retirements, turnover and the recruitment need. A member's occupation
enters the sum only when the member's own disclosure model shows its staff at the
start (the caller passes the ones it hides, with the reason; the same network rule
as ``disclosure``: all of the member's rows for the occupation, or none), and the
sum lists the members it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

MEMBER_COLUMNS = ("code", "occupation", "year", "stock", "retirements", "turnover", "need")
TERMS = ("stock", "retirements", "turnover", "need")


@dataclass(frozen=True)
class SupplySum:
    """``frame``: occupation, year, the four terms summed, ``members`` (codes, sorted)."""

    frame: pl.DataFrame
    members: tuple[str, ...]  # every member in at least one occupation's sum
    left_out: tuple[tuple[str, str, str], ...]  # (code, occupation, Swedish reason)


def add_up(
    rows: pl.DataFrame,
    *,
    consenting: frozenset[str],
    hidden: Mapping[tuple[str, str], str],
    occupations: Sequence[str] | None = None,
) -> SupplySum:
    """Sum ``rows`` (columns ``MEMBER_COLUMNS``) over consenting members per occupation and
    year, leaving out every (member, occupation) in ``hidden`` (-> the Swedish reason)."""
    missing = [c for c in MEMBER_COLUMNS if c not in rows.columns]
    if missing:
        raise ValueError(f"add_up: missing columns {missing}")
    if occupations is not None:
        rows = rows.filter(pl.col("occupation").is_in(list(occupations)))
    left_out: list[tuple[str, str, str]] = []
    for code in sorted(set(rows["code"].to_list()) - consenting):
        for occ in sorted(set(rows.filter(pl.col("code") == code)["occupation"].to_list())):
            left_out.append((code, occ, "Har inte samtyckt till att dela sin prognos"))
    rows = rows.filter(pl.col("code").is_in(sorted(consenting)))
    present = set(rows.select("code", "occupation").unique().iter_rows())
    small = {key for key in hidden if key in present}
    for code, occ in sorted(small):
        left_out.append((code, occ, hidden[(code, occ)]))
    kept = rows.filter(
        ~pl.struct("code", "occupation").is_in(
            [{"code": c, "occupation": o} for c, o in sorted(small)]
        )
        if small
        else pl.lit(True)
    )
    frame = (
        kept.group_by("occupation", "year")
        .agg(
            *(pl.col(t).sum() for t in TERMS),
            pl.col("code").unique().sort().alias("members"),
        )
        .sort("occupation", "year")
    )
    return SupplySum(
        frame,
        tuple(sorted(set(kept["code"].to_list()))),
        tuple(sorted(left_out)),
    )
