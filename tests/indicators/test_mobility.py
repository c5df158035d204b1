"""Turnover, new permanent hires, internal moves and expected retirements."""

from datetime import date

import polars as pl
import pytest
from indicator_factory import data, employment, person

from hallbar.core.errors import InsufficientData
from hallbar.indicators import Params, compute

P = Params(year=2025)  # cohort 2024-11-01 -> 2025-11-01


def mobility_data():
    persons = [person(p, 1970 + i) for i, p in enumerate("ABCDEFG")]
    emps = [
        employment("a", "A"),  # stays
        employment("b", "B", end=date(2025, 3, 31), end_reason="egen begäran"),  # left
        # C moves unit: one period ends 2025-05-31, the next starts 2025-06-01 -> stays, one move
        employment("c", "C", end=date(2025, 5, 31), end_reason="intern förflyttning"),
        employment("c2", "C", unit="U2", start=date(2025, 6, 1)),
        employment("d", "D", end=date(2025, 6, 30)),  # permanent -> fixed-term: still employed
        employment("d2", "D", form="visstid", start=date(2025, 7, 1)),
        employment("e", "E", start=date(2025, 2, 1)),  # new permanent hire
        employment("f", "F", form="visstid", end=date(2025, 1, 31)),  # fixed-term ...
        employment("f2", "F", start=date(2025, 2, 1)),  # ... made permanent: a new permanent
        employment(
            "g", "G", start=date(2024, 12, 1), end=date(2025, 8, 31)
        ),  # hired and left inside the year
    ]
    return data(persons=persons, employments=emps)


def row(fid, params=P):
    return compute(fid, mobility_data(), params).frame.row(0, named=True)


def test_turnover_is_the_share_of_last_novembers_permanent_staff_no_longer_employed():
    # Cohort 2024-11-01 (permanent): A B C D = 4. Not monthly-paid on 2025-11-01: B -> 1 of 4.
    r = row("turnover")
    assert (r["n"], r["left"]) == (4, 1)
    assert r["value"] == pytest.approx(25.0)


def test_new_permanent_hires():
    # Permanent on 2025-11-01: A C E F = 4; not permanent on 2024-11-01: E, F -> 2 of 4.
    r = row("new_permanent_hires")
    assert (r["n"], r["new"]) == (4, 2)
    assert r["value"] == pytest.approx(50.0)


def test_internal_moves():
    # Monthly-paid on 2025-11-01: A C D E F = 5; C moved U1 -> U2 on 2025-06-01.
    # D's change of form stays in U1; F's new employment is in the same unit.
    r = row("internal_moves")
    assert (r["n"], r["moved"]) == (5, 1)
    assert r["value"] == pytest.approx(20.0)


def test_who_moved_and_then_left_is_not_in_the_share_of_the_staff() -> None:
    # H moves U1 -> U2 on 2025-03-01 and leaves on 2025-09-30: not on staff on 2025-11-01,
    # so neither a mover nor counted. Still 1 mover (C) of 5 staff: 20 %.
    base = mobility_data()
    extra = data(
        persons=[person("H", 1990)],
        employments=[
            employment("h", "H", end=date(2025, 2, 28)),
            employment("h2", "H", unit="U2", start=date(2025, 3, 1), end=date(2025, 9, 30)),
        ],
    )
    both = base.with_frames(
        persons=pl.concat([base.persons, extra.persons]),
        employments=pl.concat([base.employments, extra.employments]),
    )
    r = compute("internal_moves", both, P).frame.row(0, named=True)
    assert (r["n"], r["moved"]) == (5, 1)
    assert r["value"] == pytest.approx(20.0)


def test_expected_retirements_per_year():
    # Monthly-paid on 2025-11-01: A 1970, C 1972, D 1973, E 1974, F 1975. Riktålder 67:
    # A 2037 ... all beyond 2030 -> zero in every year 2026–2030. With pension age 57:
    # A 2027, C 2029, D 2030, E 2031 (outside), F 2032 (outside).
    frame = compute("expected_retirements", mobility_data(), P).frame
    assert frame["retirement_year"].to_list() == [2026, 2027, 2028, 2029, 2030]
    assert frame["retirements"].to_list() == [0, 0, 0, 0, 0]
    frame = compute("expected_retirements", mobility_data(), P.with_(target_pension_age=57)).frame
    assert frame["retirements"].to_list() == [0, 1, 0, 1, 1]


def test_someone_already_past_the_pension_age_counts_the_first_year():
    d = data(persons=[person("O", 1955)], employments=[employment("o", "O")])
    frame = compute("expected_retirements", d, P).frame
    assert frame["retirements"].to_list() == [1, 0, 0, 0, 0]


def test_turnover_without_last_november_raises():
    with pytest.raises(InsufficientData, match="2014-11-01"):
        compute("turnover", mobility_data(), Params(year=2015))
