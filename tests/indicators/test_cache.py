"""Nested ``shared_cache`` blocks: an inner block sees the outer one's entries, its own
die with it, and a ``lasting`` building block is kept by the outermost block."""

import polars as pl

from hallbar.indicators.cache import memoised, shared_cache

calls: list[str] = []


@memoised
def per_year(frame: pl.DataFrame, year: int) -> int:
    calls.append(f"year {year}")
    return frame.height + year


@memoised(lasting=True)
def spells(frame: pl.DataFrame) -> int:
    calls.append("spells")
    return frame.height


def test_nested_blocks_share_lasting_entries_and_drop_their_own():
    calls.clear()
    frame = pl.DataFrame({"a": [1, 2, 3]})
    assert spells(frame) == 3 and spells(frame) == 3  # outside a block: computed each time
    assert calls == ["spells", "spells"]
    calls.clear()
    with shared_cache():
        with shared_cache():
            assert per_year(frame, 2025) == 2028
            assert per_year(frame, 2025) == 2028
            assert spells(frame) == 3
        with shared_cache():
            assert spells(frame) == 3  # kept by the outer block
            assert per_year(frame, 2025) == 2028  # the first inner block's entry is gone
    assert calls == ["year 2025", "spells", "year 2025"]


def test_an_inner_block_sees_the_outer_blocks_entries():
    calls.clear()
    frame = pl.DataFrame({"a": [1]})
    with shared_cache():
        per_year(frame, 2024)
        with shared_cache():
            per_year(frame, 2024)
        per_year(frame, 2024)
    assert calls == ["year 2024"]


def test_another_frame_with_equal_content_is_another_key():
    calls.clear()
    with shared_cache():
        spells(pl.DataFrame({"a": [1]}))
        spells(pl.DataFrame({"a": [1]}))
    assert calls == ["spells", "spells"]
