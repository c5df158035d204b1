"""The linear absence-overlap check finds exactly what the earlier window version found."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl

from hallbar.core import schema
from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN
from hallbar.ingest.validate import (
    Parsed,
    check_references,
    previous_running_max,
    sort_within_keys,
)


def old_overlaps(frame: pl.DataFrame) -> list[tuple[int, int]]:
    """The check as it was before (a window per person and cause), kept as the reference:
    (row, earlier row it overlaps) for every overlapping spell."""
    keys = ["person_id", "cause"]
    f = (
        frame.select(ROW_COLUMN, *keys, "from_date", "to_date")
        .drop_nulls()
        # The old sort left the order of identical spells unspecified (it happened to keep
        # the file order on small frames); keeping it makes the reference deterministic.
        .sort([*keys, "from_date", "to_date"], maintain_order=True)
    )
    f = f.with_columns(
        pl.col("to_date").cum_max().shift(1).over(keys).alias("_prev_end"),
        pl.when(pl.col("to_date") == pl.col("to_date").cum_max().over(keys))
        .then(pl.col(ROW_COLUMN))
        .forward_fill()
        .shift(1)
        .over(keys)
        .alias("_prev_row"),
    )
    bad = f.filter(pl.col("from_date") <= pl.col("_prev_end")).sort(ROW_COLUMN)
    return list(zip(bad[ROW_COLUMN].to_list(), bad["_prev_row"].to_list(), strict=True))


def _generated(seed: int, persons: int) -> pl.DataFrame:
    """Spells of a few causes per person with many overlaps, ties and equal end dates."""
    rng = random.Random(seed)
    rows = []
    for person in range(persons):
        for _ in range(rng.randint(0, 8)):
            start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 200))
            rows.append(
                {
                    "person_id": f"p{person}",
                    "cause": rng.choice(["sjuk", "vab", "semester"]),
                    "from_date": start,
                    "to_date": start + timedelta(days=rng.choice([0, 0, 1, 3, 10, 40])),
                }
            )
    rng.shuffle(rows)
    return (
        pl.DataFrame(rows)
        .with_row_index(ROW_COLUMN, offset=2)
        .with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
    )


def _reported(frame: pl.DataFrame) -> tuple[list[tuple[int, int]], str]:
    """Run the import's reference checks on the spells (and employments of every person);
    return the located (row, earlier row) findings and the summary line."""
    persons = frame["person_id"].unique().sort()
    employments = pl.DataFrame(
        {
            ROW_COLUMN: list(range(2, persons.len() + 2)),
            "employment_id": [f"e{p}" for p in persons],
            "person_id": persons,
            "unit_id": ["u"] * persons.len(),
        },
        schema_overrides={ROW_COLUMN: pl.Int64},
    )
    units = pl.DataFrame(
        {ROW_COLUMN: [2], "unit_id": ["u"], "parent_id": [None]},
        schema_overrides={ROW_COLUMN: pl.Int64, "parent_id": pl.String},
    )
    tables = {
        "units": Parsed(schema.UNITS, units, "enheter.csv", {"unit_id": "enhet_id"}),
        "employments": Parsed(schema.EMPLOYMENTS, employments, "anstallningar.csv", {}),
        "absences": Parsed(schema.ABSENCES, frame, "franvaro.csv", {"person_id": "personnummer"}),
    }
    problems = ProblemList()
    check_references(tables, problems)
    located = [
        (p.row, int(p.message.split("rad ")[1].split(")")[0]))
        for p in problems.items
        if p.row is not None
    ]
    summaries = [p.message for p in problems.items if p.row is None]
    assert len(summaries) == 1, summaries
    return located, summaries[0]


def test_reported_findings_equal_the_window_version() -> None:
    for seed in range(5):
        frame = _generated(seed, persons=300)
        old = old_overlaps(frame)
        assert len(old) > 20  # the generated case has plenty of overlaps to compare
        located, summary = _reported(frame)
        # report_rows names the first 20 rows and counts the rest.
        assert located == old[:20]
        assert f"ytterligare {len(old) - 20} rader" in summary


def test_all_findings_equal_on_a_large_case() -> None:
    """The full list of (row, earlier row), not only the reported head."""
    for seed in range(3):
        frame = _generated(seed + 10, persons=3000)
        keys = ["person_id", "cause"]
        f = sort_within_keys(
            frame.select(ROW_COLUMN, *keys, "from_date", "to_date"),
            keys,
            ["from_date", "to_date", ROW_COLUMN],
        )
        f = previous_running_max(f, keys, "to_date")
        bad = f.filter(pl.col("from_date") <= pl.col("_prev_end")).sort(ROW_COLUMN)
        new = list(zip(bad[ROW_COLUMN].to_list(), bad["_prev_row"].to_list(), strict=True))
        assert new == old_overlaps(frame)
