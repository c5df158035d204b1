"""Tables for imported HR data: organisations, imports and one snapshot table per canonical table.

Every import stores a full, dated snapshot of one organisation's data; the
organisation's active import (``organisations.active_import_id``, normally the
newest) is its current data, and earlier imports stay so HR can go back. Row tables therefore
carry ``import_id`` (not ``org_id``: the import says which organisation it
belongs to) plus ``row_no``, the row's position in the imported frame, so a
load returns rows in the order they were saved. ``(import_id, row_no)`` is the
primary key, whose index also serves every lookup by ``import_id``.

The row tables are derived from ``hallbar.core.schema`` so the store can never
drift from the canonical model; migration ``0001_hr`` spells the same tables out
and a test checks that the two agree.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa

from hallbar.core import schema
from hallbar.store.base import Base

metadata = Base.metadata

organisations = sa.Table(
    "organisations",
    metadata,
    sa.Column("org_id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    # The import every page shows (``Store.activate``); NULL before the first import.
    # No foreign key: imports already point here, and the store keeps the two consistent.
    sa.Column("active_import_id", sa.Integer, nullable=True),
)

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "org_id",
        sa.String(32),
        sa.ForeignKey("organisations.org_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("profile", sa.String(500), nullable=False),
    sa.Column("files", sa.JSON, nullable=False),  # canonical table name -> source file name
    sa.Column("row_counts", sa.JSON, nullable=False),  # canonical table name -> rows
    sa.Column("status", sa.String(32), nullable=False),
    # The snapshot's Parquet folder relative to the snapshot folder, and per table its
    # file, SHA-256, rows and bytes. NULL for an import still kept in the row tables below.
    sa.Column("snapshot", sa.String(200), nullable=True),
    sa.Column("snapshot_files", sa.JSON, nullable=True),
)

# The canonical tables stored per import ("organisations" has its own table above).
SNAPSHOT_TABLES: tuple[schema.Table, ...] = tuple(
    t for t in schema.ALL_TABLES if t.name != schema.ORGANISATIONS.name
)


def sql_type(dtype: type[pl.DataType] | pl.DataType) -> sa.types.TypeEngine[Any]:
    """The SQL column type for a canonical Polars dtype."""
    dt = dtype if isinstance(dtype, pl.DataType) else dtype()
    if dt == pl.String:
        return sa.Text()
    if dt == pl.Float64:
        return sa.Double()
    if dt == pl.Int64:
        return sa.BigInteger()
    if dt == pl.Date:
        return sa.Date()
    if dt == pl.Boolean:
        return sa.Boolean()
    raise TypeError(f"no SQL type for {dt}")


def _snapshot_table(table: schema.Table) -> sa.Table:
    columns = [
        sa.Column(
            "import_id",
            sa.Integer,
            sa.ForeignKey("imports.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("row_no", sa.Integer, primary_key=True, autoincrement=False),
    ]
    columns += [
        sa.Column(c.name, sql_type(c.dtype), nullable=not c.required)
        for c in table.columns
        if c.name != "org_id"
    ]
    return sa.Table(f"hr_{table.name}", metadata, *columns)


# Canonical table name -> SQL table. SQL names get an ``hr_`` prefix so they never
# collide with tables other modules add (users, audit, surveys …).
SNAPSHOTS: dict[str, sa.Table] = {t.name: _snapshot_table(t) for t in SNAPSHOT_TABLES}


def stored_columns(table: schema.Table) -> list[str]:
    """The canonical columns a snapshot table stores (all but ``org_id``)."""
    return [c.name for c in table.columns if c.name != "org_id"]
