"""Regional competence supply: consenting members' projections added up per occupation.

Each member's projection runs on its own data with its own assumptions (its saved
scenario); only the yearly results per occupation leave it: stock at the start of
the year, retirements, turnover and the recruitment need. A member's occupation
enters the sum only when its staff in the base year is not a small group (the
same network rule as ``disclosure``: all of the member's rows for the occupation,
or none), and the sum lists the members it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from hallbar.privacy.suppression import SuppressionRule, is_small

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
    rule: SuppressionRule,
    occupations: Sequence[str] | None = None,
) -> SupplySum:
    """Sum ``rows`` (columns ``MEMBER_COLUMNS``) over consenting members per occupation and year."""
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
    base = (
        rows.sort("year")
        .group_by("code", "occupation", maintain_order=True)
        .agg(pl.col("stock").first().alias("base_stock"))
    )
    small = {
        (r["code"], r["occupation"])
        for r in base.iter_rows(named=True)
        if is_small(r["base_stock"], rule)
    }
    for code, occ in sorted(small):
        left_out.append(
            (code, occ, f"Utelämnad: färre än {rule.min_n} anställda i yrket vid start")
        )
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
