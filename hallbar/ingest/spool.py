"""A table too large to hold in memory, checked batch by batch and spooled to Parquet parts.

Working time (50 million rows for every municipal and regional employee in
Sweden) and pay components are read in batches; each batch is parsed and
checked row by row like any table, then written as one Parquet part to a
folder the caller gives (``ImportRequest.spool_dir``). What the checks across
the whole table need is gathered on the way, in memory that grows with the
number of rows by 4 bytes at most:

* duplicates of the table's key: a 32-bit hash of the key per row; only the
  rows whose hash occurs twice are read back and checked exactly (with 50
  million rows about one in a hundred shares its hash by chance, so a few hundred
  thousand rows are read back: half the memory of a 64-bit hash for little work);
* references to employments: the first failing rows and their count;
* the latest month (the export date when the user gives none);
* texts that may hold a personnummer (few distinct values).

``lazy`` is the finished table (personnummer replaced, row numbers dropped,
canonical columns) as a Polars query over the parts, which the store writes
as the snapshot's file without holding it in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy
import polars as pl

from hallbar.core import schema
from hallbar.ingest.problems import MAX_ROWS_PER_CHECK, ROW_COLUMN

# Tables read in batches and spooled; every other table is small enough to hold.
STREAMED_TABLES = ("working_time", "pay_components")


@dataclass
class Head:
    """The first failing rows of a check run batch by batch, and how many failed in all."""

    frame: pl.DataFrame | None = None
    total: int = 0

    def add(self, bad: pl.DataFrame) -> None:
        if bad.height == 0:
            return
        self.total += bad.height
        if self.frame is None:
            self.frame = bad.head(MAX_ROWS_PER_CHECK)
        elif self.frame.height < MAX_ROWS_PER_CHECK:
            self.frame = pl.concat([self.frame, bad]).head(MAX_ROWS_PER_CHECK)


@dataclass(frozen=True)
class KnownIds:
    """Ids that millions of rows are checked against, batch after batch.

    Polars' ``is_in`` builds its hash table of the ids again on every call (1,3 s a
    batch against the 2,5 million employment ids of a national export). Here the ids
    are sorted by a 64-bit hash once; a row is then one binary search and one
    comparison of texts, so the answer is exact. Should two ids share a hash, the
    search could land on the other one: then ``is_in`` is used.
    """

    ids: pl.Series  # distinct, non-null, in the order of ``hashes``
    hashes: numpy.ndarray  # sorted
    collide: bool

    @staticmethod
    def of(ids: pl.Series) -> KnownIds:
        distinct = ids.drop_nulls().unique()
        hashes = distinct.hash().to_numpy()
        order = numpy.argsort(hashes, kind="stable")
        hashes = hashes[order]
        collide = bool((hashes[1:] == hashes[:-1]).any())
        return KnownIds(distinct.gather(order), hashes, collide)

    def contains(self, values: pl.Series) -> pl.Series:
        """Whether each value is one of the ids (False for null)."""
        if self.collide:
            return values.is_in(self.ids.implode()).fill_null(False)
        if self.ids.len() == 0:
            return pl.Series(values.name, [False] * values.len(), dtype=pl.Boolean)
        wanted = values.hash().to_numpy()
        at = numpy.searchsorted(self.hashes, wanted).clip(0, len(self.hashes) - 1)
        same = (self.ids.gather(at) == values).fill_null(False).to_numpy()
        return pl.Series(values.name, same & (self.hashes[at] == wanted), dtype=pl.Boolean)


@dataclass
class Spooled:
    """One streamed table: where its parts are and what the whole-table checks need."""

    table: schema.Table
    file: str
    folder: Path
    duplicate_keys: tuple[str, ...] = ()  # validate.DUPLICATE_KEYS of the table, if any
    header_of: dict[str, str] = field(default_factory=dict)
    parts: list[Path] = field(default_factory=list)
    rows: int = 0
    max_month: date | None = None
    unknown_employments: Head | None = None  # None: the reference check does not run
    candidates: dict[str, list[pl.Series]] = field(default_factory=dict)
    transforms: list[pl.Expr] = field(default_factory=list)
    replacements: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> texts
    _hashes: list[numpy.ndarray] = field(default_factory=list)

    def header(self, column: str) -> str:
        return self.header_of.get(column, self.table.column(column).sv)

    def add(
        self, typed: pl.DataFrame, employment_ids: KnownIds | None, candidate_columns: list[str]
    ) -> None:
        """Gather what the whole-table checks need from one parsed batch and write it."""
        self.rows += typed.height
        if typed.height == 0:
            return
        if "month" in typed.columns:
            month = typed["month"].max()
            if isinstance(month, date) and (self.max_month is None or month > self.max_month):
                self.max_month = month
        keys = self.duplicate_keys
        if keys and all(k in typed.columns for k in keys):
            hashed = typed.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
            self._hashes.append(hashed.select(key_hash(keys)).to_series().to_numpy())
        if employment_ids is not None and "employment_id" in typed.columns:
            if self.unknown_employments is None:
                self.unknown_employments = Head()
            bad = typed.filter(~employment_ids.contains(typed["employment_id"]))
            bad = bad.filter(pl.col("employment_id").is_not_null())
            self.unknown_employments.add(bad.select(ROW_COLUMN, "employment_id"))
        for name in candidate_columns:
            found = typed.get_column(name).drop_nulls().unique()
            found = found.filter(found.str.contains(CANDIDATE))
            if found.len():
                self.candidates.setdefault(name, []).append(found)
        path = self.folder / f"{self.table.name}-{len(self.parts):05d}.parquet"
        # Parts live for one import: fast beats small.
        typed.write_parquet(path, compression="lz4", statistics=False)
        self.parts.append(path)

    def scan(self) -> pl.LazyFrame:
        """The parts as one table with the row numbers, as parsed (before any transform)."""
        if not self.parts:
            return self.table.empty().lazy().with_columns(pl.lit(None, pl.Int64).alias(ROW_COLUMN))
        return pl.scan_parquet(self.parts)

    def duplicate_candidates(self) -> pl.DataFrame | None:
        """Rows whose key's hash occurs more than once (every duplicate is among them), with
        their keys and row numbers, in file order; None when no hash repeats."""
        keys = self.duplicate_keys
        if not keys or not self._hashes:
            return None
        hashes = numpy.concatenate(self._hashes)
        self._hashes = []
        hashes.sort()
        repeated = numpy.unique(hashes[1:][hashes[1:] == hashes[:-1]])
        del hashes
        if repeated.size == 0:
            return None
        wanted = pl.Series(repeated, dtype=pl.UInt32)
        return (
            self.scan()
            .filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
            .filter(key_hash(keys).is_in(wanted.implode()))
            .select(ROW_COLUMN, *keys)
            .collect()
            .sort(ROW_COLUMN)
        )

    def distinct_candidates(self, column: str) -> list[str]:
        found = self.candidates.get(column)
        if not found:
            return []
        return pl.concat(found).unique().to_list()

    def lazy(self, org_id: str) -> pl.LazyFrame:
        """The finished table: replacements applied, canonical columns, no row numbers."""
        frame = self.scan()
        for transform in self.transforms:
            frame = frame.with_columns(transform)
        present = frame.collect_schema().names()
        return frame.select(
            pl.lit(org_id, pl.String).alias(c)
            if c == "org_id"
            else (pl.col(c).cast(dt) if c in present else pl.lit(None, dt).alias(c))
            for c, dt in self.table.polars_schema.items()
        )


def key_hash(keys: tuple[str, ...]) -> pl.Expr:
    """32 bits of Polars' 64-bit hash of the key (equal keys, equal hashes)."""
    return (pl.struct(keys).hash() & 0xFFFFFFFF).cast(pl.UInt32)


# A 10- or 12-digit number with an optional - or + before the last four (``embedded``).
CANDIDATE = r"[0-9]{6}([0-9]{2})?[-+]?[0-9]{4}"
