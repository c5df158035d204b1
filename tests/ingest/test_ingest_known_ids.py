"""``KnownIds.contains`` answers exactly what Polars' ``is_in`` answers."""

from __future__ import annotations

import random

import polars as pl

from hallbar.ingest.spool import KnownIds


def _texts(count: int, seed: int) -> list[str | None]:
    rng = random.Random(seed)
    return [None if rng.random() < 0.02 else str(rng.randrange(10_000)) for _ in range(count)]


def test_contains_agrees_with_is_in() -> None:
    known = pl.Series([*_texts(3000, seed=1), "", "1000001-01"], dtype=pl.String)
    values = pl.Series([*_texts(20000, seed=2), "", "1000001-01", "1000001-02"], dtype=pl.String)
    expected = values.is_in(known.drop_nulls().implode()).fill_null(False)
    ids = KnownIds.of(known)
    assert not ids.collide
    assert ids.contains(values).to_list() == expected.to_list()
    # Two ids with one hash: the answer comes from is_in, the same.
    forced = KnownIds(ids.ids, ids.hashes, collide=True)
    assert forced.contains(values).to_list() == expected.to_list()


def test_no_ids_contain_nothing() -> None:
    ids = KnownIds.of(pl.Series([None], dtype=pl.String))
    assert ids.contains(pl.Series(["1", None], dtype=pl.String)).to_list() == [False, False]
