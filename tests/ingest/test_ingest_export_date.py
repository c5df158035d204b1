"""The export date defaults to the latest date in the files; organisation codes are checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl
import pytest

from hallbar.ingest import IngestResult
from hallbar.ingest.export_date import latest_export_date
from hallbar.ingest.organisation import (
    InvalidOrgCode,
    guess_org_kind,
    is_test_org,
    validate_org_code,
)


def test_export_date_of_the_base_export(run_import: Callable[..., IngestResult]) -> None:
    # Base export (tests/ingest/corpus/base): working time in 2025-01 and 2025-02 (last
    # day 2025-02-28), pay and agency staff in 2025-01 (2025-01-31), latest employment
    # start 2025-01-07 (A4), latest absence start 2025-03-10. The latest is 2025-03-10;
    # A3's end 2025-05-31 and the absence's last day 2025-04-20 do not count.
    result = run_import(as_of=None)
    assert result.ok and result.data is not None, [str(p) for p in result.errors]
    assert result.as_of == date(2025, 3, 10)
    assert result.data.as_of == date(2025, 3, 10)


def test_a_given_date_wins(run_import: Callable[..., IngestResult]) -> None:
    result = run_import(as_of=date(2025, 11, 1))
    assert result.as_of == date(2025, 11, 1)


def test_month_tables_count_to_their_last_day() -> None:
    frames = {
        "working_time": pl.DataFrame({"month": [date(2024, 1, 1), date(2024, 2, 1)]}),
        "employments": pl.DataFrame(
            {"start_date": [date(2023, 5, 1)], "end_date": [date(2026, 1, 1)]}
        ),
    }
    # February 2024 has 29 days (a leap year); the end date 2026-01-01 does not count.
    assert latest_export_date(frames) == date(2024, 2, 29)
    assert latest_export_date({}) is None


@pytest.mark.parametrize(
    ("code", "kind"),
    [("1280", "kommun"), ("12", "region"), ("9999", "kommun"), ("222000-1234", "förbund")],
)
def test_valid_org_codes(code: str, kind: str) -> None:
    assert validate_org_code(f" {code} ") == code
    assert guess_org_kind(code) == kind


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("../../x", "innehåller snedstreck eller '..'"),
        ("12/80", "innehåller snedstreck"),
        ("..", "innehåller snedstreck eller '..'"),
        ("C:\\data", "innehåller snedstreck"),
        ("", "är tom"),
        ("128", "har fel form"),
        ("Malmö", "har fel form"),
    ],
)
def test_invalid_org_codes(code: str, reason: str) -> None:
    with pytest.raises(InvalidOrgCode) as raised:
        validate_org_code(code)
    assert reason in str(raised.value)
    assert "Ange kommunkoden med fyra siffror" in str(raised.value)


def test_test_org_codes() -> None:
    # SCB municipality codes begin with the county, 01-25: 9xxx and region 99 are free.
    assert is_test_org("9999") and is_test_org("9000") and is_test_org("99")
    assert not is_test_org("1280") and not is_test_org("12")
