"""The packaged Alembic migrations build exactly the schema the table modules declare."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import hallbar.store
from hallbar.store import Store
from hallbar.store.base import Base

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _all_table_modules() -> None:
    for module in pkgutil.iter_modules(hallbar.store.__path__):
        if module.name.startswith("tables_"):
            importlib.import_module(f"hallbar.store.{module.name}")


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_migrated_schema_matches_the_metadata(database_url: str) -> None:
    _all_table_modules()
    store = Store(database_url)
    store.migrate()
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    store.dispose()
    assert diff == []


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_migrate_twice_is_harmless_and_records_the_head(database_url: str) -> None:
    store = Store(database_url)
    store.migrate()
    store.migrate()
    with store.engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    tables = set(sa.inspect(store.engine).get_table_names())
    store.dispose()
    assert len(versions) == 1
    assert {"organisations", "imports", "hr_employments", "hr_working_time"} <= tables


def test_sqlite_store_creates_its_data_directory_and_uses_wal(tmp_path) -> None:
    db = tmp_path / "ny" / "katalog" / "hallbar.db"
    store = Store(f"sqlite:///{db}")
    with store.engine.connect() as conn:
        journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    store.dispose()
    assert db.parent.is_dir()
    assert (journal, foreign_keys) == ("wal", 1)
