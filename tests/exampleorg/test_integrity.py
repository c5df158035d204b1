"""Determinism, valid personnummer, referential integrity and the CSV files of Exempelkommun."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import personnummer.personnummer
import polars as pl
import pytest
from conftest import AS_OF

from hallbar.core import schema
from hallbar.core.codes import AbsenceCause, EmploymentForm, EndReason, PayKind
from hallbar.exampleorg import ExampleExport, generate, write_csv, write_csv_folder

WINDOW_START = date(2023, 1, 1)  # three whole years ending 2025-12-31


def _digest(export: ExampleExport) -> str:
    h = hashlib.sha256()
    for name in sorted(export.tables):
        frame = export.tables[name]
        h.update(name.encode())
        h.update(frame.write_csv().encode())
    return h.hexdigest()


def test_same_inputs_give_identical_output_and_another_seed_differs() -> None:
    a = generate(600, seed=3, years=2, as_of=date(2024, 12, 31))
    b = generate(600, seed=3, years=2, as_of=date(2024, 12, 31))
    c = generate(600, seed=4, years=2, as_of=date(2024, 12, 31))
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_headers_are_the_swedish_schema_names(export: ExampleExport) -> None:
    assert set(export.tables) == {t.name for t in schema.IMPORT_TABLES}
    for table in schema.IMPORT_TABLES:
        expected = [c.sv for c in table.columns if c.name != "org_id"]
        assert export.tables[table.name].columns == expected


def _luhn_ok(ten_digits: str) -> bool:
    # Luhn over YYMMDDNNNC: double every other digit from the left, sum digits, mod 10 == 0.
    total = 0
    for i, ch in enumerate(ten_digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


def test_every_personnummer_is_valid(export: ExampleExport) -> None:
    numbers = pl.concat(
        [
            export.tables["employments"]["personnummer"],
            export.tables["absences"]["personnummer"],
            export.tables["units"]["chef_personnummer"],
        ]
    ).unique()
    assert numbers.str.contains(r"^\d{8}-\d{4}$").all()
    assert all(_luhn_ok(n[2:8] + n[9:]) for n in numbers)
    # The established implementation agrees.
    assert all(personnummer.personnummer.valid(n) for n in numbers)
    # One person per number: birth date and gender do not vary within a number.
    people = (
        export.tables["employments"]
        .group_by("personnummer")
        .agg(pl.col("anstallnings_id").n_unique())
    )
    assert people["anstallnings_id"].max() == 1


def test_code_values_are_the_canonical_ones(export: ExampleExport) -> None:
    emp = export.tables["employments"]
    assert set(emp["anstallningsform"].unique()) == {f.value for f in EmploymentForm}
    assert set(emp["chefsansvar"].unique()) == {"ja", "nej"}
    assert set(emp["avgangsorsak"].drop_nulls().unique()) <= {r.value for r in EndReason}
    causes = set(export.tables["absences"]["orsak"].unique())
    assert causes == {"sjuk", "föräldraledig", "vab", "tjänstledig"}
    assert causes <= {c.value for c in AbsenceCause}
    assert set(export.tables["pay_components"]["typ"].unique()) <= {k.value for k in PayKind}
    assert emp["ssyk"].str.contains(r"^\d{4}$").all()
    assert emp["aid_kod"].str.contains(r"^\d{6}$").all()
    assert emp["sysselsattningsgrad"].is_between(0, 100).all()


def test_units_form_one_tree(export: ExampleExport) -> None:
    units = export.tables["units"]
    assert units["enhet_id"].is_unique().all()
    roots = units.filter(pl.col("overordnad_enhet_id").is_null())
    assert roots.height == 1
    assert units["overordnad_enhet_id"].drop_nulls().is_in(units["enhet_id"].implode()).all()


def test_references_exist(export: ExampleExport, employments: pl.DataFrame) -> None:
    unit_ids = export.tables["units"]["enhet_id"].implode()
    assert employments["enhet_id"].is_in(unit_ids).all()
    assert export.tables["agency_staff"]["enhet_id"].is_in(unit_ids).all()
    ids = employments["anstallnings_id"].implode()
    for name in ("absences", "working_time", "pay_components"):
        assert export.tables[name]["anstallnings_id"].is_in(ids).all(), name
    pairs = employments.select("personnummer", "anstallnings_id").unique()
    absences = export.tables["absences"].select("personnummer", "anstallnings_id").unique()
    assert absences.join(pairs, on=["personnummer", "anstallnings_id"], how="anti").height == 0


def test_employment_rows_are_consecutive_and_consistent(employments: pl.DataFrame) -> None:
    rows = employments.sort("anstallnings_id", "startdatum").with_columns(
        pl.col("startdatum").shift(-1).over("anstallnings_id").alias("next_start")
    )
    inner = rows.filter(pl.col("next_start").is_not_null())
    # A later row of the same employment starts the day after the earlier one ends,
    # and only the last row carries an end reason.
    assert inner.select(
        (pl.col("slutdatum") + pl.duration(days=1) == pl.col("next_start")).all()
    ).item()
    assert inner["avgangsorsak"].null_count() == inner.height
    assert (rows["slutdatum"].is_null() | (rows["slutdatum"] >= rows["startdatum"])).all()
    ended = rows.filter(pl.col("avgangsorsak").is_not_null())
    assert ended["slutdatum"].null_count() == 0
    hourly = employments.filter(pl.col("anstallningsform") == "timavlönad")
    assert hourly["manadslon"].null_count() == hourly.height
    assert (hourly["sysselsattningsgrad"] == 0).all()


def test_absences_within_employment_and_no_overlaps(
    absences: pl.DataFrame, employments: pl.DataFrame
) -> None:
    # An employment's span: first start to last end (as_of while ongoing).
    spans = employments.group_by("anstallnings_id").agg(
        pl.col("startdatum").min().alias("first_day"),
        pl.col("slutdatum").fill_null(AS_OF).max().alias("last_day"),
    )
    joined = absences.join(spans, on="anstallnings_id")
    assert joined.height == absences.height
    assert (joined["from_datum"] >= joined["first_day"]).all()
    assert (joined["tom_datum"] <= joined["last_day"]).all()
    assert (joined["tom_datum"] >= WINDOW_START).all()
    assert (absences["tom_datum"] >= absences["from_datum"]).all()
    assert absences["omfattning"].is_in([25, 50, 75, 100]).all()
    ordered = absences.sort("personnummer", "orsak", "from_datum").with_columns(
        pl.col("tom_datum").shift(1).over("personnummer", "orsak").alias("previous_end")
    )
    assert (
        ordered["previous_end"].is_null() | (ordered["from_datum"] > ordered["previous_end"])
    ).all()


def test_working_time_one_row_per_employment_and_month(
    working_time: pl.DataFrame, employments: pl.DataFrame
) -> None:
    assert working_time.select("anstallnings_id", "manad").is_duplicated().sum() == 0
    assert working_time["month_start"].min() == WINDOW_START
    assert working_time["month_start"].max() == date(2025, 12, 1)
    # A monthly-paid employee employed all of 2025 at one rate has 165 h × rate / 100 a month.
    rows_2025 = employments.filter(
        (pl.col("anstallningsform") != "timavlönad")
        & (pl.col("slutdatum").is_null() | (pl.col("slutdatum") >= date(2025, 1, 1)))
    )
    steady = (
        rows_2025.group_by("anstallnings_id")
        .agg(
            pl.col("startdatum").min(),
            pl.col("slutdatum").null_count().alias("open"),
            pl.col("sysselsattningsgrad").n_unique().alias("rates"),
            pl.col("sysselsattningsgrad").first(),
        )
        .filter(
            (pl.col("startdatum") <= date(2025, 1, 1))
            & (pl.col("open") == 1)
            & (pl.col("rates") == 1)
        )
    )
    wt = working_time.filter(pl.col("month_start") >= date(2025, 1, 1)).join(
        steady.select("anstallnings_id", "sysselsattningsgrad"), on="anstallnings_id"
    )
    assert wt.height > 0
    expected = 165.0 * wt["sysselsattningsgrad"] / 100  # e.g. 75 % → 123.75 h
    assert ((wt["ordinarie_timmar"] - expected).abs() < 0.01).all()
    hourly_ids = employments.filter(pl.col("anstallningsform") == "timavlönad")["anstallnings_id"]
    hourly = working_time.filter(pl.col("anstallnings_id").is_in(hourly_ids.implode()))
    assert hourly.height > 0 and (hourly["ordinarie_timmar"] == 0).all()
    assert hourly["mertid_timmar"].sum() > 0


def test_pay_components_are_supplements_and_variable_pay(export: ExampleExport) -> None:
    pay = export.tables["pay_components"]
    assert (pay["belopp"] > 0).all()
    fixed = pay.filter(pl.col("typ") == "fast")
    assert set(fixed["lonart"].unique()) == {
        "TIMLÖN"
    }  # only hourly pay; monthly pay is in anstallningar
    assert {"OB", "ÖVERTID", "MERTID"} <= set(pay["lonart"].unique())


@pytest.mark.parametrize("decimal_comma", [True, False])
def test_csv_files_reread_to_the_same_values(
    export: ExampleExport, tmp_path: Path, decimal_comma: bool
) -> None:
    separator = ";" if decimal_comma else ","
    paths = write_csv_folder(export, tmp_path, separator=separator, decimal_comma=decimal_comma)
    assert {p.name for p in paths.values()} == {f"{t.sv}.csv" for t in schema.IMPORT_TABLES}
    for name, path in paths.items():
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, as Excel writes
        frame = export.tables[name]
        back = pl.read_csv(
            path, separator=separator, decimal_comma=decimal_comma, schema=frame.schema
        )
        assert back.equals(frame), name


def test_small_organisation_works() -> None:
    small = generate(50, seed=1, years=1)
    emp = small.tables["employments"]
    active = emp.filter(
        (pl.col("startdatum") <= "2025-12-31")
        & (pl.col("slutdatum").is_null() | (pl.col("slutdatum") >= "2025-12-31"))
        & (pl.col("anstallningsform") != "timavlönad")
    )
    assert active["personnummer"].n_unique() == 50
    assert small.tables["units"]["chef_personnummer"].null_count() == 0


def test_write_csv_in_slices_writes_the_same_bytes(tmp_path: Path) -> None:
    """``write_csv`` (tables built and written slice by slice) gives byte for byte the files
    ``write_csv_folder(generate(...))`` gives, with slices far smaller than the tables."""
    whole = write_csv_folder(generate(size=300, seed=4), tmp_path / "whole")
    rows = write_csv(tmp_path / "sliced", size=300, seed=4, slice_rows=997)
    for name, path in whole.items():
        assert (tmp_path / "sliced" / path.name).read_bytes() == path.read_bytes(), name
    assert rows["working_time"] > 997 * 3  # more than three slices
