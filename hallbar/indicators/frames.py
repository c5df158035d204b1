"""Ordering rows by string keys without paying for a string sort.

Polars sorts by string columns (org_id, person_id, employment_id) by comparing
strings row by row: ordering 200 000 employment periods by organisation and person
took 0,4 s of CPU, a tenth of that by numbers. Building blocks that only need each
key's rows together, or rows that are already in key order (tables are usually
exported and imported in employment order), use these helpers instead.
"""

from __future__ import annotations

import polars as pl


def in_key_order(frame: pl.DataFrame, keys: list[str], *, strict: bool = False) -> bool:
    """True when the rows are in ascending order of ``keys`` (``strict``: and no two
    rows share them), shown by one pass of comparisons with the row before. The key
    columns must be free of nulls."""
    ok: pl.Expr = pl.lit(not strict)
    for key in reversed(keys):
        col, prev = pl.col(key), pl.col(key).shift(1)
        ok = (col > prev) | ((col == prev) & ok)
    return frame.height < 2 or bool(frame.select(ok.fill_null(True).all()).item())


def sorted_by(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """``frame`` sorted by ``keys`` (ascending, stable): the frame itself when it already
    is; key columns must be free of nulls."""
    if in_key_order(frame, keys):
        return frame
    return frame.lazy().sort(keys, maintain_order=True).collect()


def key_changes(keys: list[str], offset: int = 1) -> pl.Expr:
    """True on a row whose ``keys`` differ from the row ``offset`` away (``-1``: the next
    row) or that has no such row: in a frame sorted or grouped by ``keys``, the first
    (``-1``: the last) row of each key."""
    return pl.any_horizontal(pl.col(k).ne_missing(pl.col(k).shift(offset)) for k in keys)


def key_hash(keys: list[str]) -> pl.Expr:
    """A 64-bit hash of the ``keys`` columns (Polars' fixed seed: the same in every run)."""
    return pl.struct(keys).hash()


def grouped_by_hash(
    frame: pl.DataFrame, keys: list[str], then: list[str], descending: list[bool] | None = None
) -> pl.DataFrame:
    """``frame`` with the rows of each value of ``keys`` together, ordered by ``then``
    (``descending`` per column; stable) within it; the groups follow a 64-bit hash of
    the keys.

    Sorting by the hash and ``then`` compares only numbers. Should two keys share a
    hash, their rows could interleave: the adjacent rows show it, and then the keys
    themselves are sorted after the hash, as in a plain sort."""
    desc = [False, *(descending or [False] * len(then))]
    hashed = frame.with_columns(_h=key_hash(keys))
    out = hashed.sort(["_h", *then], descending=desc, maintain_order=True)
    same_hash = pl.col("_h") == pl.col("_h").shift(1)
    other_key = pl.any_horizontal(pl.col(k).ne_missing(pl.col(k).shift(1)) for k in keys)
    if out.select((same_hash & other_key).any()).item():
        by, desc = ["_h", *keys, *then], [False] * (len(keys) + 1) + desc[1:]
        out = hashed.sort(by, descending=desc, maintain_order=True)
    return out.drop("_h")
