"""Duplicates of a streamed table are found by a 32-bit hash of the key per row; keys
that only share the hash are read back and are not duplicates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from hallbar.core import schema
from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN
from hallbar.ingest.spool import Spooled, key_hash
from hallbar.ingest.validate import Parsed, check_duplicates

KEYS = ("employment_id", "month")


def _colliding_pair(frame: pl.DataFrame) -> list[int]:
    """Row numbers of two different keys with the same 32-bit hash (with 300 000 keys about
    ten pairs are expected: 300 000² / 2³³)."""
    hashed = frame.with_columns(key_hash(KEYS).alias("_h"))
    shared = hashed.filter(pl.col("_h").is_duplicated()).sort("_h", ROW_COLUMN)
    return shared[ROW_COLUMN].head(2).to_list()


def test_shared_hash_is_no_duplicate_but_a_repeated_key_is(tmp_path: Path) -> None:
    count = 300_000
    frame = pl.DataFrame(
        {
            ROW_COLUMN: range(2, count + 2),
            "employment_id": [str(1_000_000 + i // 3) for i in range(count)],
            "month": [date(2025, 1 + i % 3, 1) for i in range(count)],
        },
        schema={ROW_COLUMN: pl.Int64, "employment_id": pl.String, "month": pl.Date},
    )
    pair = _colliding_pair(frame)
    assert len(pair) == 2  # the keys differ (each key is written once) but the hashes agree
    repeated = frame.filter(pl.col(ROW_COLUMN) == 100).with_columns(
        pl.lit(count + 2, pl.Int64).alias(ROW_COLUMN)
    )
    table = schema.TABLES_BY_NAME["working_time"]
    spooled = Spooled(table, "arbetstid.csv", tmp_path, KEYS)
    spooled.add(frame.head(count // 2), None, [])
    spooled.add(pl.concat([frame.tail(count - count // 2), repeated]), None, [])
    candidates = spooled.duplicate_candidates()
    assert candidates is not None
    assert set(pair) <= set(candidates[ROW_COLUMN].to_list())
    problems = ProblemList()
    header_of = {"employment_id": "anstallnings_id", "month": "manad"}
    check_duplicates(Parsed(table, candidates, "arbetstid.csv", header_of), problems)
    # Only the repeated key of row 100 (written again as the last row) is a duplicate.
    assert [(p.row, p.message) for p in problems.items] == [
        (
            count + 2,
            "Dubblett: samma 'anstallnings_id' och 'manad' som rad 100. Ta bort eller rätta raden.",
        )
    ]
