"""``Store``: save and load dated HR snapshots; metadata in SQLite (embedded) or PostgreSQL.

A snapshot's tables are Parquet files in the snapshot folder (``snapshots.py``);
the database keeps the import's metadata: organisation, date, row counts, the
snapshot's folder and each file's checksum. Saving is all or nothing: the files
are staged, the import row is written, the staged folder is published by one
rename just before the transaction commits, and a failure anywhere removes
both.

Imports saved before snapshot files existed keep their rows in the ``hr_*``
row tables; ``migrate`` moves them to files (``move_rows_to_files``) when the
store knows its snapshot folder, and ``load`` still reads rows for any import
that has none. Those rows bypass the ORM and SQLAlchemy's per-value type
processing: SQLite's cursor for plain tuples, PostgreSQL's ``COPY``.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from hallbar.core import schema
from hallbar.core.dataset import HRData
from hallbar.core.errors import HallbarError, NotFound
from hallbar.store import tables_hr
from hallbar.store.snapshots import Snapshot, SnapshotFolder, Staged, default_root, sqlite_file

STATUS_COMPLETE = "klar"

SaveProgress = Callable[[str, int, int], None]


class StoreError(HallbarError):
    """The database refused an operation; nothing was changed."""

    status: ClassVar[int] = 500


@dataclass(frozen=True)
class ImportRecord:
    id: int
    org_id: str
    org_name: str
    as_of: date
    created_at: datetime
    created_by: str
    profile: str
    files: dict[str, str]
    row_counts: dict[str, int]
    status: str


@dataclass(frozen=True)
class OrganisationRecord:
    org_id: str
    name: str
    kind: str
    import_count: int
    latest_import_id: int | None
    latest_as_of: date | None


def _prepare_sqlite_url(url: sa.URL) -> None:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (web) never block the importer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster bulk writes
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Store:
    """The database of one Hållbar installation: many organisations, many imports each.

    ``snapshot_dir`` is the folder of snapshot files; by default the ``snapshots``
    folder beside a SQLite database file. A server database has no default: without
    a folder the store can list imports and read old row-backed ones, but not save.
    """

    def __init__(self, url: str, *, snapshot_dir: Path | None = None) -> None:
        self.url = sa.make_url(url)
        self.snapshot_dir = snapshot_dir if snapshot_dir is not None else default_root(self.url)
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None

    @property
    def sqlite_file(self) -> Path | None:
        """The database file (SQLite) or None (in-memory SQLite, server databases)."""
        return sqlite_file(self.url)

    def _snapshots(self) -> SnapshotFolder:
        if self.snapshot_dir is None:
            raise StoreError(
                "Hållbar vet inte var ögonblicksbilderna ska ligga. Ange en datakatalog "
                "(--datakatalog eller HALLBAR_DATA_DIR) när databasen ligger på en server."
            )
        return SnapshotFolder(self.snapshot_dir)

    # --- connection ------------------------------------------------------------
    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.is_sqlite:
                _prepare_sqlite_url(self.url)
                engine = sa.create_engine(self.url)
                sa.event.listen(engine, "connect", _sqlite_on_connect)
            else:
                engine = sa.create_engine(self.url, pool_pre_ping=True)
            self._engine = engine
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM session; commits when the block ends without error, else rolls back."""
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def migrate(self) -> None:
        """Bring the schema to the newest migration and move old imports' rows to files."""
        from hallbar.store.migrate import upgrade_head

        upgrade_head(self.engine)
        if self.snapshot_dir is not None:
            SnapshotFolder(self.snapshot_dir).clear_stale()
            self.move_rows_to_files()

    # --- writing ---------------------------------------------------------------
    def save_import(
        self,
        data: HRData,
        *,
        created_by: str,
        profile: str,
        files: dict[str, str],
        row_counts: dict[str, int],
        progress: SaveProgress | None = None,
    ) -> int:
        """Store ``data`` (one organisation) as a new snapshot in ONE transaction; return its id."""
        data = data.conformed()
        org = _single_organisation(data)
        frames = {tab.name: getattr(data, tab.name) for tab in tables_hr.SNAPSHOT_TABLES}
        _check_org_ids(org["org_id"], frames)
        _check_required(frames)
        folder = self._snapshots()
        total = sum(f.height for f in frames.values())
        staged = folder.stage(org["org_id"], frames)
        if progress:
            progress("spara", total, total)
        published = False
        try:
            with self.engine.connect() as conn, conn.begin():  # commits when the block ends
                _upsert_organisation(conn, org)
                import_id = int(
                    conn.execute(
                        tables_hr.imports.insert().returning(tables_hr.imports.c.id),
                        {
                            "org_id": org["org_id"],
                            "as_of": data.as_of,
                            "created_at": datetime.now(UTC),
                            "created_by": created_by,
                            "profile": profile,
                            "files": dict(files),
                            "row_counts": {k: int(v) for k, v in row_counts.items()},
                            "status": STATUS_COMPLETE,
                            "snapshot": staged.snapshot.path,
                            "snapshot_files": staged.snapshot.files_json(),
                        },
                    ).scalar_one()
                )
                # Published last, just before the commit: readers find the files as soon
                # as they can see the import. Identical content already published stays.
                published = folder.publish(staged)
        except BaseException as err:
            if published:  # the commit failed: take the files back
                folder.remove(staged.snapshot)
            if isinstance(err, sa.exc.DBAPIError):
                first_line = (str(err.orig).splitlines() or [""])[0]
                raise StoreError(
                    "Databasen kunde inte spara importen och inget sparades "
                    f"({type(err.orig).__name__}: {first_line})."
                ) from err
            raise
        finally:
            folder.discard(staged)  # a no-op once published
        return import_id

    def delete_import(self, import_id: int) -> None:
        """Delete an import: its metadata, any old rows, and its files unless another import shares them."""
        with self.engine.begin() as conn:
            record = conn.execute(
                sa.select(tables_hr.imports.c.snapshot, tables_hr.imports.c.snapshot_files).where(
                    tables_hr.imports.c.id == import_id
                )
            ).first()
            if record is None:
                raise NotFound(f"Importen {import_id} finns inte.")
            # Delete children explicitly: a PostgreSQL FK cascade would too, but being
            # explicit does not depend on SQLite's foreign_keys pragma.
            for sql_table in tables_hr.SNAPSHOTS.values():
                conn.execute(sql_table.delete().where(sql_table.c.import_id == import_id))
            conn.execute(tables_hr.imports.delete().where(tables_hr.imports.c.id == import_id))
            shared = (
                record.snapshot is not None
                and conn.execute(
                    sa.select(sa.func.count())
                    .select_from(tables_hr.imports)
                    .where(tables_hr.imports.c.snapshot == record.snapshot)
                ).scalar_one()
            )
        # After the commit: a failed delete never loses files an import still names.
        if record.snapshot is not None and not shared and self.snapshot_dir is not None:
            SnapshotFolder(self.snapshot_dir).remove(
                Snapshot.from_json(record.snapshot, record.snapshot_files)
            )

    def snapshots(self) -> list[Snapshot]:
        """Every distinct snapshot the imports name (for backups and checks)."""
        query = (
            sa.select(tables_hr.imports.c.snapshot, tables_hr.imports.c.snapshot_files)
            .where(tables_hr.imports.c.snapshot.is_not(None))
            .order_by(tables_hr.imports.c.id)
        )
        with self.engine.connect() as conn:
            found = {r.snapshot: r.snapshot_files for r in conn.execute(query)}
        return [Snapshot.from_json(path, files) for path, files in found.items()]

    def backup_database(self, target: Path) -> None:
        """Copy a SQLite database to ``target`` with SQLite's online backup (consistent while in use)."""
        if self.sqlite_file is None:
            raise StoreError(
                "Bara en SQLite-databas kan kopieras av Hållbar. Säkerhetskopiera en "
                "PostgreSQL-databas med pg_dump (se README, avsnittet Säkerhetskopior)."
            )
        import sqlite3

        with self.engine.connect() as conn:
            source = conn.connection.driver_connection
            destination = sqlite3.connect(target)
            try:
                source.backup(destination)  # type: ignore[union-attr]
            finally:
                destination.close()

    def move_rows_to_files(self) -> list[int]:
        """Move every row-backed import to snapshot files, one import per transaction.

        Each import's tables are read from the row tables, written and read back
        from Parquet, and the row counts compared before the rows are deleted; a
        mismatch stops with ``StoreError`` and leaves that import as it was.
        Returns the ids moved.
        """
        with self.engine.connect() as conn:
            pending = [
                (r.id, r.org_id)
                for r in conn.execute(
                    sa.select(tables_hr.imports.c.id, tables_hr.imports.c.org_id)
                    .where(tables_hr.imports.c.snapshot.is_(None))
                    .order_by(tables_hr.imports.c.id)
                )
            ]
        folder = self._snapshots() if pending else None
        for import_id, org_id in pending:
            assert folder is not None
            self._move_one(folder, import_id, org_id)
        if pending and self.is_sqlite:
            with self.engine.connect() as conn:  # give the rows' pages back to the file system
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")
        return [import_id for import_id, _ in pending]

    def _move_one(self, folder: SnapshotFolder, import_id: int, org_id: str) -> None:
        published = False
        staged: Staged | None = None
        try:
            with self.engine.connect() as conn, conn.begin():
                frames = {
                    table.name: self._read_table(conn, table, import_id, org_id)
                    for table in tables_hr.SNAPSHOT_TABLES
                }
                staged = folder.stage(org_id, frames)
                for table in tables_hr.SNAPSHOT_TABLES:
                    sql_table = tables_hr.SNAPSHOTS[table.name]
                    in_rows = conn.execute(
                        sa.select(sa.func.count())
                        .select_from(sql_table)
                        .where(sql_table.c.import_id == import_id)
                    ).scalar_one()
                    in_file = (
                        pl.scan_parquet(staged.folder / f"{table.name}.parquet")
                        .select(pl.len())
                        .collect()
                        .item()
                    )
                    if not in_rows == in_file == staged.snapshot.files[table.name].rows:
                        raise StoreError(
                            f"Importen {import_id} kunde inte flyttas till filer: tabellen "
                            f"{table.name} har {in_rows} rader i databasen men {in_file} i filen. "
                            "Inget ändrades; kontakta den som driftar Hållbar."
                        )
                    conn.execute(sql_table.delete().where(sql_table.c.import_id == import_id))
                conn.execute(
                    tables_hr.imports.update()
                    .where(tables_hr.imports.c.id == import_id)
                    .values(
                        snapshot=staged.snapshot.path, snapshot_files=staged.snapshot.files_json()
                    )
                )
                published = folder.publish(staged)
        except BaseException:
            if published and staged is not None:
                folder.remove(staged.snapshot)
            raise
        finally:
            if staged is not None:
                folder.discard(staged)

    # --- reading ---------------------------------------------------------------
    def list_imports(self, org_id: str | None = None) -> list[ImportRecord]:
        query = (
            sa.select(tables_hr.imports, tables_hr.organisations.c.name.label("org_name"))
            .join(
                tables_hr.organisations,
                tables_hr.organisations.c.org_id == tables_hr.imports.c.org_id,
            )
            .order_by(tables_hr.imports.c.id)
        )
        if org_id is not None:
            query = query.where(tables_hr.imports.c.org_id == org_id)
        with self.engine.connect() as conn:
            return [
                ImportRecord(
                    id=r.id,
                    org_id=r.org_id,
                    org_name=r.org_name,
                    as_of=r.as_of,
                    # SQLite keeps no zone; values are written in UTC.
                    created_at=r.created_at
                    if r.created_at.tzinfo
                    else r.created_at.replace(tzinfo=UTC),
                    created_by=r.created_by,
                    profile=r.profile,
                    files=dict(r.files),
                    row_counts={k: int(v) for k, v in r.row_counts.items()},
                    status=r.status,
                )
                for r in conn.execute(query)
            ]

    def organisations(self) -> list[OrganisationRecord]:
        latest = (
            sa.select(
                tables_hr.imports.c.org_id,
                sa.func.count().label("n"),
                sa.func.max(tables_hr.imports.c.id).label("latest_id"),
            )
            .group_by(tables_hr.imports.c.org_id)
            .subquery()
        )
        query = (
            sa.select(
                tables_hr.organisations, latest.c.n, latest.c.latest_id, tables_hr.imports.c.as_of
            )
            .outerjoin(latest, latest.c.org_id == tables_hr.organisations.c.org_id)
            .outerjoin(tables_hr.imports, tables_hr.imports.c.id == latest.c.latest_id)
            .order_by(tables_hr.organisations.c.org_id)
        )
        with self.engine.connect() as conn:
            return [
                OrganisationRecord(r.org_id, r.name, r.kind, r.n or 0, r.latest_id, r.as_of)
                for r in conn.execute(query)
            ]

    def latest_import_id(self, org_id: str) -> int | None:
        """The id of the organisation's newest import (its current data), or None."""
        query = sa.select(sa.func.max(tables_hr.imports.c.id)).where(
            tables_hr.imports.c.org_id == org_id
        )
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        return int(value) if value is not None else None

    def snapshot_id(self, import_id: int) -> str | None:
        """The content id of an import's snapshot (``<org>/<content hash>``); None for an
        import still kept as rows. Caches key computed values by it (``services.memo``)."""
        query = sa.select(tables_hr.imports.c.snapshot).where(tables_hr.imports.c.id == import_id)
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        return str(value) if value is not None else None

    def load(self, org_id: str, import_id: int | None = None) -> HRData:
        """One organisation's snapshot (the latest import when ``import_id`` is None)."""
        with self.engine.connect() as conn:
            query = sa.select(tables_hr.imports).where(tables_hr.imports.c.org_id == org_id)
            if import_id is None:
                query = query.order_by(tables_hr.imports.c.id.desc()).limit(1)
            else:
                query = query.where(tables_hr.imports.c.id == import_id)
            record = conn.execute(query).first()
            if record is None:
                raise NotFound(
                    f"Det finns ingen import för organisationen {org_id}. "
                    "Importera data med 'hallbar import' först."
                    if import_id is None
                    else f"Importen {import_id} finns inte för organisationen {org_id}."
                )
            org = conn.execute(
                sa.select(tables_hr.organisations).where(tables_hr.organisations.c.org_id == org_id)
            ).one()
            if record.snapshot is None:  # saved before snapshot files, not yet moved
                frames = {
                    table.name: self._read_table(conn, table, record.id, org_id)
                    for table in tables_hr.SNAPSHOT_TABLES
                }
        organisations = pl.DataFrame(
            {"org_id": [org.org_id], "name": [org.name], "kind": [org.kind]},
            schema=schema.ORGANISATIONS.polars_schema,
        )
        if record.snapshot is not None:
            # Each table is read from its file when first used (already canonical: the
            # reader selects and casts the canonical columns), so an organisation page
            # never reads the working-time or pay files.
            snapshot = Snapshot.from_json(record.snapshot, record.snapshot_files)
            return SnapshotData.open(record.as_of, organisations, self._snapshots(), snapshot)
        return HRData(as_of=record.as_of, organisations=organisations, **frames).conformed()

    def scan(self, org_id: str, table: str, import_id: int | None = None) -> pl.LazyFrame:
        """One table of a snapshot as a Polars ``LazyFrame`` over its file (latest import
        when ``import_id`` is None): a query reads only the columns and row groups it needs.

        Raises ``NotFound`` for an unknown import or an import still kept as rows."""
        query = sa.select(tables_hr.imports.c.snapshot, tables_hr.imports.c.snapshot_files).where(
            tables_hr.imports.c.org_id == org_id
        )
        if import_id is None:
            query = query.order_by(tables_hr.imports.c.id.desc()).limit(1)
        else:
            query = query.where(tables_hr.imports.c.id == import_id)
        with self.engine.connect() as conn:
            record = conn.execute(query).first()
        if record is None or record.snapshot is None:
            raise NotFound(f"Det finns ingen ögonblicksbild i filer för organisationen {org_id}.")
        snapshot = Snapshot.from_json(record.snapshot, record.snapshot_files)
        target = schema.TABLES_BY_NAME[table].polars_schema
        if table not in snapshot.files:
            return schema.TABLES_BY_NAME[table].empty().lazy()
        frame = pl.scan_parquet(self._snapshots().verify_file(snapshot, table))
        present = frame.collect_schema().names()
        return frame.select(
            pl.col(c).cast(dt) if c in present else pl.lit(None, dt).alias(c)
            for c, dt in target.items()
        )

    def _read_table(
        self, conn: Connection, table: schema.Table, import_id: int, org_id: str
    ) -> pl.DataFrame:
        columns = tables_hr.stored_columns(table)
        target = table.polars_schema
        sql_table = tables_hr.SNAPSHOTS[table.name].name
        select = f"SELECT {', '.join(columns)} FROM {sql_table} WHERE import_id = {int(import_id)} ORDER BY row_no"
        raw = conn.connection.driver_connection
        # Dates and booleans arrive as text (SQLite stores them so; COPY writes them so)
        # and are parsed by Polars in bulk rather than one Python object at a time.
        is_copy = self.url.get_driver_name() == "psycopg"
        text_bool = pl.String if is_copy else pl.Int64
        transport: dict[str, Any] = {
            c: pl.String
            if target[c] == pl.Date
            else text_bool
            if target[c] == pl.Boolean
            else target[c]
            for c in columns
        }
        if is_copy:
            buffer = io.BytesIO()
            copy_sql = f"COPY ({select}) TO STDOUT WITH (FORMAT csv)"
            with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:  # type: ignore[union-attr]
                for block in copy:
                    buffer.write(block)
            frame = (
                pl.read_csv(buffer.getvalue(), has_header=False, schema=transport)
                if buffer.tell()
                else pl.DataFrame(schema=transport)
            )
        else:
            # The DBAPI cursor's plain tuples: SQLAlchemy's Row objects would triple the time.
            cursor = raw.cursor()  # type: ignore[union-attr]
            try:
                rows = cursor.execute(select).fetchall()
            finally:
                cursor.close()
            frame = pl.DataFrame(rows, schema=transport, orient="row")
            del rows
        frame = frame.with_columns(
            _parse_text_column(c, target[c]) for c in columns if target[c] != transport[c]
        )
        return frame.with_columns(pl.lit(org_id, pl.String).alias("org_id")).select(list(target))


class SnapshotData(HRData):
    """An ``HRData`` whose tables are read from the snapshot's files on first use.

    ``Store.load`` returns one: a page that needs the unit tree reads the units,
    employments and persons, not the working-time and pay files, and a web worker
    holds in memory only the tables its pages have used. Every other ``HRData``
    operation works unchanged (``with_frames`` and ``conformed`` read what they
    touch and return ordinary ``HRData``).
    """

    @classmethod
    def open(
        cls, as_of: date, organisations: pl.DataFrame, folder: SnapshotFolder, snapshot: Snapshot
    ) -> SnapshotData:
        for table in snapshot.files:  # checked now (once per process), read when used
            folder.verify_file(snapshot, table)
        data = object.__new__(cls)
        # Frozen dataclass: the fields are set as ``HRData.__init__`` would set them.
        object.__setattr__(data, "as_of", as_of)
        object.__setattr__(data, "organisations", organisations)
        object.__setattr__(data, "_source", (folder, snapshot, threading.Lock()))
        return data

    def __getattr__(self, name: str) -> pl.DataFrame:
        # Called only for attributes not yet set: a table read for the first time.
        source = self.__dict__.get("_source")
        table = schema.TABLES_BY_NAME.get(name) if source is not None else None
        if source is None or table is None or name == "organisations":
            raise AttributeError(name)
        folder, snapshot, lock = source
        with lock:  # two requests asking at once read the file once
            frame = self.__dict__.get(name)
            if frame is None:
                frame = (
                    folder.read(snapshot, name, table.polars_schema)
                    if name in snapshot.files
                    else table.empty()
                )
                object.__setattr__(self, name, frame)
        return frame  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[Any, ...]:
        # A copy (pickle, deepcopy) is an ordinary, fully read HRData.
        return (_plain, (self.frames(), self.as_of))


def _plain(frames: dict[str, pl.DataFrame], as_of: date) -> HRData:
    return HRData(as_of=as_of, **frames)


def _parse_text_column(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Date:
        return pl.col(name).str.to_date("%Y-%m-%d")
    # SQLite stores booleans as 0/1, PostgreSQL's COPY writes t/f.
    col = pl.col(name)
    value = col.cast(pl.String).is_in(["1", "t", "true"])
    return pl.when(col.is_null()).then(None).otherwise(value).cast(pl.Boolean).alias(name)


def _single_organisation(data: HRData) -> dict[str, str]:
    orgs = data.organisations.unique(subset="org_id", maintain_order=True)
    if orgs.height != 1:
        raise StoreError(
            "En import ska innehålla exakt en organisation, men den här innehåller "
            f"{orgs.height}. Importera en organisation i taget."
        )
    row = orgs.row(0, named=True)
    if not row["org_id"] or not row["name"] or not row["kind"]:
        raise StoreError("Organisationen saknar id, namn eller typ och kan inte sparas.")
    return {"org_id": row["org_id"], "name": row["name"], "kind": row["kind"]}


def _check_org_ids(org_id: str, frames: dict[str, pl.DataFrame]) -> None:
    for name, frame in frames.items():
        others = frame.filter(pl.col("org_id").is_not_null() & (pl.col("org_id") != org_id))
        if others.height:
            raise StoreError(
                f"Tabellen {name} innehåller rader för organisationen {others['org_id'][0]}, "
                f"men importen gäller {org_id}. Importera en organisation i taget."
            )


def _check_required(frames: dict[str, pl.DataFrame]) -> None:
    """Required canonical columns hold a value in every row (the files have no NOT NULL)."""
    for name, frame in frames.items():
        table = schema.TABLES_BY_NAME[name]
        for column in table.columns:
            if not column.required or column.name == "org_id":
                continue
            missing = frame.select(pl.col(column.name).is_null().arg_max()).item()
            if frame.height and frame[column.name][missing] is None:
                raise StoreError(
                    f"Tabellen {name} saknar värde i den obligatoriska kolumnen {column.name} "
                    f"på rad {missing + 1}, så inget sparades. Rätta exporten och importera igen."
                )


def _upsert_organisation(conn: Connection, org: dict[str, str]) -> None:
    exists = conn.execute(
        sa.select(tables_hr.organisations.c.org_id).where(
            tables_hr.organisations.c.org_id == org["org_id"]
        )
    ).first()
    if exists:
        conn.execute(
            tables_hr.organisations.update()
            .where(tables_hr.organisations.c.org_id == org["org_id"])
            .values(name=org["name"], kind=org["kind"])
        )
    else:
        conn.execute(tables_hr.organisations.insert().values(**org))


def masked_url(url: str) -> str:
    """The database URL with any password replaced, for showing to administrators."""
    return sa.make_url(url).render_as_string(hide_password=True)
