"""Shared fixtures: a ``store`` parametrised over SQLite and PostgreSQL.

PostgreSQL comes from ``HALLBAR_TEST_DATABASE_URL`` (the Makefile and ``.ci/run``
set it). Each test gets its own uniquely named database, created through an
AUTOCOMMIT connection to the URL's database and dropped afterwards, so parallel
runs never collide. Without the variable the PostgreSQL case is skipped, but in
CI (``CI=true``) an unreachable server fails the test instead: the store must be
tested against both backends there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from hallbar.core import schema
from hallbar.core.dataset import HRData
from hallbar.store import Store

POSTGRES_ENV = "HALLBAR_TEST_DATABASE_URL"


def _postgres_admin_url() -> sa.URL | None:
    raw = os.environ.get(POSTGRES_ENV)
    return sa.make_url(raw) if raw else None


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI but {reason}")
    pytest.skip(reason)


def _create_postgres_database() -> tuple[sa.URL, sa.URL, str]:
    admin_url = _postgres_admin_url()
    if admin_url is None:
        _postgres_unavailable(f"{POSTGRES_ENV} is not set")
        raise AssertionError("unreachable")
    name = f"hallbar_t_{uuid.uuid4().hex[:16]}"
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
    except sa.exc.OperationalError as err:
        _postgres_unavailable(f"PostgreSQL at {admin_url.render_as_string()} is unreachable: {err}")
    return admin_url, admin_url.set(database=name), name


def _drop_postgres_database(admin_url: sa.URL, name: str) -> None:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL: a SQLite file, or a fresh PostgreSQL database."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'hallbar.db'}"
        return
    admin_url, url, name = _create_postgres_database()
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _drop_postgres_database(admin_url, name)


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty ``Store`` on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'data' / 'hallbar.db'}")
        s.migrate()
        yield s
        s.dispose()
        return
    admin_url, url, name = _create_postgres_database()
    s = Store(url.render_as_string(hide_password=False), snapshot_dir=tmp_path / "snapshots")
    try:
        s.migrate()
        yield s
    finally:
        s.dispose()
        _drop_postgres_database(admin_url, name)


# --- a small hand-made HRData: every table, nulls, dates, booleans, Swedish text ---


def sample_data(
    org_id: str = "1280", name: str = "Malmö stad", as_of: date | None = None
) -> HRData:
    def frame(table: schema.Table, rows: list[dict[str, object]]) -> pl.DataFrame:
        return pl.DataFrame(
            [{"org_id": org_id, **r} for r in rows], schema=table.polars_schema, orient="row"
        )

    return HRData(
        as_of=as_of or date(2025, 12, 31),
        organisations=frame(schema.ORGANISATIONS, [{"name": name, "kind": "kommun"}]),
        units=frame(
            schema.UNITS,
            [
                {
                    "unit_id": "U1",
                    "parent_id": None,
                    "name": "Vård- och omsorgsförvaltningen",
                    "manager_person_id": "p-ä1",
                },
                {
                    "unit_id": "U2",
                    "parent_id": "U1",
                    "name": "Hemtjänst Öster",
                    "manager_person_id": None,
                },
            ],
        ),
        persons=frame(
            schema.PERSONS,
            [
                {"person_id": "p-ä1", "birth_date": date(1970, 2, 28), "gender": "K"},
                {"person_id": "p-å2", "birth_date": date(1999, 12, 31), "gender": "M"},
            ],
        ),
        employments=frame(
            schema.EMPLOYMENTS,
            [
                {
                    "employment_id": "E1",
                    "person_id": "p-ä1",
                    "unit_id": "U1",
                    "aid_code": "011010",
                    "ssyk": "1510",
                    "title": "Förvaltningschef",
                    "employment_form": "tillsvidare",
                    "rate": 100.0,
                    "monthly_pay": 78_500.5,
                    "start_date": date(2010, 1, 1),
                    "end_date": None,
                    "is_manager": True,
                    "end_reason": None,
                },
                {
                    "employment_id": "E2",
                    "person_id": "p-å2",
                    "unit_id": "U2",
                    "aid_code": None,
                    "ssyk": "5321",
                    "title": "",
                    "employment_form": "visstid",
                    "rate": 75.5,
                    "monthly_pay": None,
                    "start_date": date(2024, 3, 1),
                    "end_date": date(2025, 8, 31),
                    "is_manager": False,
                    "end_reason": "Visstidens slut – övergång",
                },
            ],
        ),
        absences=frame(
            schema.ABSENCES,
            [
                {
                    "person_id": "p-å2",
                    "employment_id": "E2",
                    "cause": "sjuk",
                    "from_date": date(2025, 1, 7),
                    "to_date": date(2025, 1, 10),
                    "extent": 100.0,
                    "hours": 32.0,
                },
                {
                    "person_id": "p-ä1",
                    "employment_id": None,
                    "cause": "föräldraledig",
                    "from_date": date(2024, 6, 1),
                    "to_date": date(2024, 6, 30),
                    "extent": 25.0,
                    "hours": None,
                },
            ],
        ),
        working_time=frame(
            schema.WORKING_TIME,
            [
                {
                    "employment_id": "E1",
                    "month": date(2025, 1, 1),
                    "scheduled_hours": 168.0,
                    "overtime_hours": 2.25,
                    "additional_hours": None,
                    "unsocial_hours": 0.0,
                    "split_shifts": None,
                },
                {
                    "employment_id": "E2",
                    "month": date(2025, 1, 1),
                    "scheduled_hours": 126.0,
                    "overtime_hours": None,
                    "additional_hours": 8.5,
                    "unsocial_hours": 40.0,
                    "split_shifts": 3,
                },
            ],
        ),
        pay_components=frame(
            schema.PAY_COMPONENTS,
            [
                {
                    "employment_id": "E1",
                    "month": date(2025, 1, 1),
                    "kind": "fast",
                    "code": "100",
                    "amount": 78_500.5,
                },
                {
                    "employment_id": "E2",
                    "month": date(2025, 1, 1),
                    "kind": "tillägg",
                    "code": None,
                    "amount": 1_234.75,
                },
            ],
        ),
        agency_staff=frame(
            schema.AGENCY_STAFF,
            [
                {
                    "unit_id": "U2",
                    "occupation": "Undersköterska",
                    "month": date(2025, 1, 1),
                    "hours": 160.0,
                    "cost": 104_000.0,
                },
            ],
        ),
    )


@pytest.fixture
def make_hrdata() -> Callable[..., HRData]:
    """``make_hrdata(org_id="1280", name="Malmö stad", as_of=None)`` builds the sample."""
    return sample_data


# --- a tiny export folder in the generic import layout -----------------------------------
# Personnummer checked as valid by the personnummer package (Luhn): 19121212-1212 and
# 19800101-0019 are men (odd second-to-last digit), 19750315-2345 and 19850612-2384 women.
ENHETER_CSV = """enhet_id;overordnad_enhet_id;enhetsnamn;chef_personnummer
U1;;Vård- och omsorgsförvaltningen;19750315-2345
U2;U1;Hemtjänst Öster;19121212-1212
"""
ANSTALLNINGAR_CSV = """anstallnings_id;personnummer;enhet_id;ssyk;befattning;anstallningsform;sysselsattningsgrad;manadslon;startdatum;slutdatum;chefsansvar
A1;19750315-2345;U1;1510;Förvaltningschef;tillsvidare;100;78500;2010-01-01;;ja
A2;19121212-1212;U2;1520;Enhetschef;tillsvidare;100;52000;2015-05-01;;ja
A3;19800101-0019;U2;5321;Undersköterska;tillsvidare;75,5;31200;2018-03-01;;nej
A4;19850612-2384;U2;5321;Undersköterska;visstid;50;29800;2025-01-01;2025-06-30;nej
"""
FRANVARO_CSV = """personnummer;orsak;from_datum;tom_datum;omfattning
19800101-0019;sjuk;2025-02-03;2025-02-07;100
19850612-2384;sjuk;2025-03-10;2025-03-11;50
"""


def write_export(folder: Path, *, bad_rate: bool = False) -> Path:
    """Write the tiny export; ``bad_rate`` puts a rate of 150 % in anstallningar.csv row 4."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "enheter.csv").write_text(ENHETER_CSV, encoding="utf-8")
    employments = ANSTALLNINGAR_CSV.replace(";75,5;", ";150;") if bad_rate else ANSTALLNINGAR_CSV
    (folder / "anstallningar.csv").write_text(employments, encoding="utf-8")
    (folder / "franvaro.csv").write_text(FRANVARO_CSV, encoding="utf-8")
    return folder


@pytest.fixture
def export_folder(tmp_path: Path) -> Path:
    return write_export(tmp_path / "export")


@pytest.fixture
def bad_export_folder(tmp_path: Path) -> Path:
    return write_export(tmp_path / "export_fel", bad_rate=True)
