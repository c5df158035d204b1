"""Synthetic personnummer, vectorised.

A personnummer is YYYYMMDD-NNNC: birth date, a three-digit serial whose last
digit is odd for men and even for women (legal gender), and a Luhn check digit
over the ten-digit form YYMMDDNNN. Serials are made unique per birth date and
gender, so every generated person has a distinct number. The numbers are
synthetic: one may coincide with a real person's number but says nothing about
that person (and the import never stores it).
"""

from __future__ import annotations

import numpy as np
import polars as pl

SERIALS_PER_GENDER = 499  # three-digit serials 002–999 with a given parity (000 is never issued)


def luhn_check_digits(digits: np.ndarray) -> np.ndarray:
    """Luhn check digit for each row of a (n, 9) array of digits (YYMMDDNNN)."""
    weights = np.tile([2, 1], 5)[: digits.shape[1]]
    products = digits * weights
    sums = (products // 10 + products % 10).sum(axis=1)
    return (10 - sums % 10) % 10


def personnummer(birth: np.ndarray, woman: np.ndarray) -> pl.Series:
    """Unique personnummer 'YYYYMMDD-NNNC' for birth days (days since 1970-01-01) and genders."""
    n = birth.size
    if n == 0:
        return pl.Series("personnummer", [], dtype=pl.String)
    # Rank persons within (birth day, gender) to give each a distinct serial slot.
    key = birth.astype(np.int64) * 2 + woman.astype(np.int64)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    first = np.r_[0, np.flatnonzero(np.diff(sorted_key)) + 1]
    group_start = np.repeat(first, np.diff(np.r_[first, n]))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - group_start
    if rank.max() >= SERIALS_PER_GENDER:
        raise ValueError("too many persons share a birth date and gender")
    # A fixed stride co-prime with 499 scatters serials; the offset varies by date.
    slot = (rank * 97 + (birth.astype(np.int64) * 131) % SERIALS_PER_GENDER) % SERIALS_PER_GENDER
    serial = (slot + 1) * 2 + np.where(woman, 0, 1)  # 2..999, odd = man

    dates = birth.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    yy = years % 100
    digits = np.stack(
        [
            yy // 10,
            yy % 10,
            months // 10,
            months % 10,
            days // 10,
            days % 10,
            serial // 100,
            serial // 10 % 10,
            serial % 10,
        ],
        axis=1,
    )
    check = luhn_check_digits(digits)
    frame = pl.DataFrame({"y": years, "m": months, "d": days, "s": serial * 10 + check})
    return frame.select(
        pl.format(
            "{}{}{}-{}",
            pl.col("y").cast(pl.String),
            pl.col("m").cast(pl.String).str.zfill(2),
            pl.col("d").cast(pl.String).str.zfill(2),
            pl.col("s").cast(pl.String).str.zfill(4),
        ).alias("personnummer")
    ).to_series()
