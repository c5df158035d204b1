"""One generated Exempelkommun shared by the example-organisation tests, parsed with plain Polars.

The helpers here deliberately re-derive everything from the exported strings
(personnummer digits, ISO dates, 'YYYY-MM' months) instead of using the
generator's internals, so the calibration tests check what a user would import.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from hallbar.exampleorg import ExampleExport, generate

SIZE = 5000
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="session")
def export() -> ExampleExport:
    return generate(SIZE, seed=7, years=3, as_of=AS_OF)


@pytest.fixture(scope="session")
def employments(export: ExampleExport) -> pl.DataFrame:
    """Employment rows with parsed dates, gender and birth date from the personnummer."""
    return export.tables["employments"].with_columns(
        pl.col("startdatum").str.to_date(),
        pl.col("slutdatum").str.to_date(),
        pl.col("personnummer").str.slice(0, 8).str.to_date("%Y%m%d").alias("birth"),
        # The ninth digit of the ten-digit number (serial's last digit): odd = man.
        (pl.col("personnummer").str.slice(11, 1).cast(pl.Int64) % 2 == 0).alias("woman"),
    )


def active_on(employments: pl.DataFrame, day: date) -> pl.DataFrame:
    """Employment rows in force on ``day``."""
    return employments.filter(
        (pl.col("startdatum") <= day)
        & (pl.col("slutdatum").is_null() | (pl.col("slutdatum") >= day))
    )


@pytest.fixture(scope="session")
def monthly_paid_now(employments: pl.DataFrame) -> pl.DataFrame:
    return active_on(employments, AS_OF).filter(pl.col("anstallningsform") != "timavlönad")


@pytest.fixture(scope="session")
def absences(export: ExampleExport) -> pl.DataFrame:
    return export.tables["absences"].with_columns(
        pl.col("from_datum").str.to_date(), pl.col("tom_datum").str.to_date()
    )


@pytest.fixture(scope="session")
def working_time(export: ExampleExport) -> pl.DataFrame:
    return export.tables["working_time"].with_columns(
        pl.col("manad").str.to_date("%Y-%m").alias("month_start")
    )
