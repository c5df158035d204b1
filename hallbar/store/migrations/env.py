"""Alembic environment, run programmatically by ``Store.migrate()`` (no alembic.ini needed).

Every module named ``hallbar.store.tables_*`` is imported so its tables join
``Base.metadata``; a new table module needs no edit here.
"""

from __future__ import annotations

import importlib
import pkgutil

from alembic import context
from sqlalchemy import create_engine

import hallbar.store
from hallbar.store.base import Base


def _import_table_modules() -> None:
    for module in pkgutil.iter_modules(hallbar.store.__path__):
        if module.name.startswith("tables_"):
            importlib.import_module(f"hallbar.store.{module.name}")


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]  # a sqlalchemy Connection
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only alter tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_import_table_modules()
config = context.config
_connection = config.attributes.get("connection")
if _connection is not None:
    _run(_connection)
else:
    _engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with _engine.connect() as _conn:
        _run(_conn)
    _engine.dispose()
