"""Art. 5 starting ranges and Art. 6 criteria; percentiles by hand (linear interpolation)."""

from __future__ import annotations

import polars as pl
import pytest

from hallbar.paytransparency import adjust_range, parse_criteria, starting_ranges
from hallbar.paytransparency.errors import InvalidInput
from hallbar.paytransparency.starting_pay import computed_range

FRAME = pl.DataFrame(
    {
        "job": ["A"] * 6 + ["B", "B"],
        "monthly_pay": [30050.0, 31000.0, 32000.0, 33000.0, 34050.0, 50000.0, 28000.0, 29000.0],
        "tenure_years": [0.5, 1.0, 1.9, 0.1, 1.5, 10.0, 0.2, 0.3],
    }
)


def test_range_from_recent_starters() -> None:
    ranges = starting_ranges(FRAME, recent_years=2.0, min_starters=5)
    a = computed_range(ranges, "A")
    # starters of A (tenure < 2): 30050, 31000, 32000, 33000, 34050 (50000 is 10 years in)
    # P10: position 0.1 × 4 = 0.4 → 30050 + 0.4 × 950 = 30430; rounded down → 30400
    # P90: position 0.9 × 4 = 3.6 → 33000 + 0.6 × 1050 = 33630; rounded up → 33700
    assert a.n_starters == 5
    assert a.p10 == pytest.approx(30430.0)
    assert a.p90 == pytest.approx(33630.0)
    assert (a.low, a.high) == (30400.0, 33700.0)
    b = computed_range(ranges, "B")  # two starters: too few for a computed range
    assert (b.n_starters, b.low, b.high) == (2, None, None)


def test_adjusting_needs_a_reason() -> None:
    a = computed_range(starting_ranges(FRAME, min_starters=5), "A")
    assert adjust_range(a, "30400", "33700", "").reason == ""
    with pytest.raises(InvalidInput, match="skälet"):
        adjust_range(a, "31000", "34000", " ")
    r = adjust_range(a, "31 000", "34000", "Nytt avtal från 1 april")
    assert (r.low, r.high, r.adjusted) == (31000.0, 34000.0, True)
    with pytest.raises(InvalidInput, match="högre"):
        adjust_range(a, "35000", "34000", "x")
    with pytest.raises(InvalidInput, match="belopp"):
        adjust_range(a, "trettio", "34000", "x")


def test_criteria_parse_and_gender_neutral_check() -> None:
    got = parse_criteria(
        "Ansvar: budget och personal\n\nKompetens: utbildning och könsneutral bedömning"
    )
    assert [c.name for c in got] == ["Ansvar", "Kompetens"]
    with pytest.raises(InvalidInput, match="'ålder'"):
        parse_criteria("Erfarenhet: ålder och år i yrket")
    with pytest.raises(InvalidInput, match="Rad 2"):
        parse_criteria("Ansvar: budget\nKompetens")
    with pytest.raises(InvalidInput, match="minst ett"):
        parse_criteria("  \n")
