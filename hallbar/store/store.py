"""``Store``: save and load dated HR snapshots; metadata in SQLite (embedded) or PostgreSQL.

A snapshot's tables are Parquet files in the snapshot folder (``snapshots.py``);
the database keeps the import's metadata: organisation, date, row counts, the
snapshot's folder and each file's checksum. Saving is all or nothing: the files
are staged, the import row is written, the staged folder is published by one
rename just before the transaction commits, and a failure anywhere removes
both.

Every import stays until it is deleted; ``organisations.active_import_id`` says
which one the organisation's pages show. A new import becomes active only if the
import the caller compared it with is still the active one (``save_import``'s
``expected_active``), and HR can make an earlier one active again (``activate``).

Imports saved before snapshot files existed keep their rows in the ``hr_*``
row tables; ``migrate`` moves them to files (``move_rows_to_files``) when the
store knows its snapshot folder, and ``load`` still reads rows for any import
that has none. Those rows bypass the ORM and SQLAlchemy's per-value type
processing: SQLite's cursor for plain tuples, PostgreSQL's ``COPY``.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from hallbar.core import schema
from hallbar.core.dataset import HRData
from hallbar.core.errors import HallbarError, NotFound
from hallbar.core.private_files import ensure_private_file
from hallbar.store import tables_hr
from hallbar.store.snapshots import Snapshot, SnapshotFolder, Staged, default_root, sqlite_file
from hallbar.store.tables_paysurvey import PaySurvey
from hallbar.store.tables_projection import ProjectionScenario

STATUS_COMPLETE = "klar"

SaveProgress = Callable[[str, int, int], None]


class StoreError(HallbarError):
    """The database refused an operation; nothing was changed."""

    status: ClassVar[int] = 500


class ImportConflict(HallbarError):
    """Another import of the organisation was saved while this one was read; nothing was saved."""

    status: ClassVar[int] = 409


IMPORT_CONFLICT_SV = (
    "En annan import av organisationen {org} sparades medan den här lästes in, så den här "
    "importen sparades inte. Titta på den nya importen i importhistoriken och importera igen "
    "om filerna ska ersätta den; de jämförs då med den nya importen."
)


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
    active: bool  # the organisation's active import: the one its pages show


@dataclass(frozen=True)
class OrganisationRecord:
    org_id: str
    name: str
    kind: str
    import_count: int
    active_import_id: int | None
    active_as_of: date | None


# ``save_import(expected_active=ANY_ACTIVE)``: replace whatever import is active.
ANY_ACTIVE: Literal["any"] = "any"


def _prepare_sqlite_url(url: sa.URL) -> None:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        # Created owner-only before SQLite opens it: SQLite would create it world-readable
        # (0644 under the usual umask), and its -wal and -shm files copy its mode.
        ensure_private_file(Path(database).expanduser())


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
    @contextmanager
    def spool_folder(self) -> Iterator[Path]:
        """A scratch folder for an import's spooled tables, on the snapshot folder's file
        system, removed when the block ends (a crashed process's is cleared at migrate)."""
        folder = self._snapshots().scratch()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def save_import(
        self,
        data: HRData,
        *,
        created_by: str,
        profile: str,
        files: dict[str, str],
        row_counts: dict[str, int],
        progress: SaveProgress | None = None,
        spooled: Mapping[str, pl.LazyFrame] | None = None,
        expected_active: int | Literal["any"] | None = ANY_ACTIVE,
    ) -> int:
        """Store ``data`` (one organisation) as a new snapshot; return its id. All or nothing.

        ``spooled``: tables too large to hold, as queries (canonical columns) that are
        written to the snapshot's files batch by batch; their frames in ``data`` are
        ignored.

        The new import becomes the organisation's active one. ``expected_active`` is the
        import the caller compared the data with (None: the organisation had none); when
        another import became active in the meantime, or another first import of a new
        organisation won, ``ImportConflict`` is raised and nothing is stored. The check
        and the switch are one conditional UPDATE (or the organisation's INSERT), so two
        imports racing on either backend cannot both pass it.
        """
        data = data.conformed()
        org = _single_organisation(data)
        spooled = dict(spooled or {})
        frames = {
            tab.name: getattr(data, tab.name)
            for tab in tables_hr.SNAPSHOT_TABLES
            if tab.name not in spooled
        }
        _check_org_ids(org["org_id"], frames)
        _check_required(frames)
        folder = self._snapshots()
        total = sum(f.height for f in frames.values()) + sum(row_counts.get(n, 0) for n in spooled)
        if progress:
            progress("spara", 0, total)
        staged = folder.stage(org["org_id"], frames, spooled)
        try:
            _check_staged(org["org_id"], staged, spooled)
        except BaseException:
            folder.discard(staged)
            raise
        if progress:
            progress("spara", total, total)
        try:
            # The snapshot's lock is held until the commit (or the removal after a failed
            # one): an identical import or a delete of an import naming the same content
            # waits, so neither can remove files the other's committed import names.
            with folder.lock(staged.snapshot):
                published = False
                try:
                    with self.engine.connect() as conn, conn.begin():  # commits at the end
                        import_id = self._insert_import(
                            conn,
                            org,
                            data,
                            staged,
                            expected_active,
                            created_by=created_by,
                            profile=profile,
                            files=files,
                            row_counts=row_counts,
                        )
                        # Published last, just before the commit: readers find the files as
                        # soon as they can see the import. Identical content already there stays.
                        published = folder.publish(staged)
                except BaseException:
                    if published:  # the commit failed: take the files back
                        folder.remove(staged.snapshot)
                    raise
        except sa.exc.DBAPIError as err:
            first_line = (str(err.orig).splitlines() or [""])[0]
            raise StoreError(
                "Databasen kunde inte spara importen och inget sparades "
                f"({type(err.orig).__name__}: {first_line})."
            ) from err
        finally:
            folder.discard(staged)  # a no-op once published
        return import_id

    def _insert_import(
        self,
        conn: Connection,
        org: dict[str, str],
        data: HRData,
        staged: Staged,
        expected_active: int | Literal["any"] | None,
        *,
        created_by: str,
        profile: str,
        files: dict[str, str],
        row_counts: dict[str, int],
    ) -> int:
        _claim_organisation(conn, org, expected_active)
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
        conn.execute(
            tables_hr.organisations.update()
            .where(tables_hr.organisations.c.org_id == org["org_id"])
            .values(active_import_id=import_id)
        )
        return import_id

    def activate(self, org_id: str, import_id: int) -> int | None:
        """Make one of the organisation's imports the active one; return the one it replaces."""
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(tables_hr.imports.c.id).where(
                    tables_hr.imports.c.id == import_id, tables_hr.imports.c.org_id == org_id
                )
            ).first()
            if exists is None:
                raise NotFound(f"Importen {import_id} finns inte för organisationen {org_id}.")
            previous = conn.execute(
                sa.select(_active_id()).where(tables_hr.organisations.c.org_id == org_id)
            ).scalar()
            conn.execute(
                tables_hr.organisations.update()
                .where(tables_hr.organisations.c.org_id == org_id)
                .values(active_import_id=import_id)
            )
        return int(previous) if previous is not None else None

    def import_users(self, import_id: int) -> list[str]:
        """Swedish names of what is tied to an import: pay surveys and saved scenarios."""
        with self.engine.connect() as conn:
            years = conn.execute(
                sa.select(PaySurvey.year).where(PaySurvey.import_id == import_id)
            ).scalars()
            names = conn.execute(
                sa.select(ProjectionScenario.name).where(ProjectionScenario.import_id == import_id)
            ).scalars()
            return [f"lönekartläggningen {y}" for y in sorted(years)] + [
                f"scenariot {n}" for n in sorted(names)
            ]

    def delete_import(self, import_id: int) -> None:
        """Delete an import: its metadata, any old rows, and its files unless another import shares them.

        Deleting the active import makes the organisation's newest remaining import active.
        """
        with self.engine.connect() as conn:
            record = conn.execute(
                sa.select(
                    tables_hr.imports.c.org_id,
                    tables_hr.imports.c.snapshot,
                    tables_hr.imports.c.snapshot_files,
                ).where(tables_hr.imports.c.id == import_id)
            ).first()
        if record is None:
            raise NotFound(f"Importen {import_id} finns inte.")
        snapshot = (
            Snapshot.from_json(record.snapshot, record.snapshot_files)
            if record.snapshot is not None
            else None
        )
        folder = SnapshotFolder(self.snapshot_dir) if self.snapshot_dir is not None else None
        lock = (
            folder.lock(snapshot)
            if folder is not None and snapshot is not None
            else contextlib.nullcontext()
        )
        # The lock spans the delete, the count of imports sharing the files and their
        # removal, so an identical import saved meanwhile either is counted or publishes anew.
        with lock:
            with self.engine.begin() as conn:
                # Delete children explicitly: a PostgreSQL FK cascade would too, but being
                # explicit does not depend on SQLite's foreign_keys pragma.
                for sql_table in tables_hr.SNAPSHOTS.values():
                    conn.execute(sql_table.delete().where(sql_table.c.import_id == import_id))
                conn.execute(tables_hr.imports.delete().where(tables_hr.imports.c.id == import_id))
                newest = (
                    sa.select(sa.func.max(tables_hr.imports.c.id))
                    .where(tables_hr.imports.c.org_id == record.org_id)
                    .scalar_subquery()
                )
                conn.execute(
                    tables_hr.organisations.update()
                    .where(
                        tables_hr.organisations.c.org_id == record.org_id,
                        tables_hr.organisations.c.active_import_id == import_id,
                    )
                    .values(active_import_id=newest)
                )
                shared = (
                    snapshot is not None
                    and conn.execute(
                        sa.select(sa.func.count())
                        .select_from(tables_hr.imports)
                        .where(tables_hr.imports.c.snapshot == record.snapshot)
                    ).scalar_one()
                )
            # After the commit: a failed delete never loses files an import still names.
            if snapshot is not None and not shared and folder is not None:
                folder.remove(snapshot)

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

        ensure_private_file(target)  # a copy of personal data: owner-only like the original
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
        # The snapshot's lock, taken once the content is known, is released after the
        # commit or the removal (the stack closes last), as in ``save_import``.
        with contextlib.ExitStack() as locked:
            self._move_locked(folder, import_id, org_id, locked)

    def _move_locked(
        self, folder: SnapshotFolder, import_id: int, org_id: str, locked: contextlib.ExitStack
    ) -> None:
        published = False
        staged: Staged | None = None
        try:
            with self.engine.connect() as conn, conn.begin():
                frames = {
                    table.name: self._read_table(conn, table, import_id, org_id)
                    for table in tables_hr.SNAPSHOT_TABLES
                }
                staged = folder.stage(org_id, frames)
                locked.enter_context(folder.lock(staged.snapshot))
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
        return self._imports(org_id=org_id)

    def find_import(self, org_id: str, import_id: int | None = None) -> ImportRecord:
        """One import of the organisation (its active one when ``import_id`` is None)."""
        found = self._imports(org_id=org_id, import_id=import_id, active_only=import_id is None)
        if not found:
            raise NotFound(
                f"Det finns ingen import för organisationen {org_id}. "
                "Importera data med 'hallbar import' först."
                if import_id is None
                else f"Importen {import_id} finns inte för organisationen {org_id}."
            )
        return found[0]

    def _imports(
        self, *, org_id: str | None, import_id: int | None = None, active_only: bool = False
    ) -> list[ImportRecord]:
        imports, organisations = tables_hr.imports, tables_hr.organisations
        query = (
            sa.select(
                imports,
                organisations.c.name.label("org_name"),
                (_active_id() == imports.c.id).label("is_active"),
            )
            .join(organisations, organisations.c.org_id == imports.c.org_id)
            .order_by(imports.c.id)
        )
        if org_id is not None:
            query = query.where(imports.c.org_id == org_id)
        if import_id is not None:
            query = query.where(imports.c.id == import_id)
        if active_only:
            query = query.where(_active_id() == imports.c.id)
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
                    active=bool(r.is_active),
                )
                for r in conn.execute(query)
            ]

    def organisations(self) -> list[OrganisationRecord]:
        counts = (
            sa.select(tables_hr.imports.c.org_id, sa.func.count().label("n"))
            .group_by(tables_hr.imports.c.org_id)
            .subquery()
        )
        organisations = tables_hr.organisations
        active = _active_id()
        query = (
            sa.select(
                organisations, counts.c.n, active.label("active_id"), tables_hr.imports.c.as_of
            )
            .outerjoin(counts, counts.c.org_id == organisations.c.org_id)
            .outerjoin(tables_hr.imports, tables_hr.imports.c.id == active)
            .order_by(organisations.c.org_id)
        )
        with self.engine.connect() as conn:
            return [
                OrganisationRecord(r.org_id, r.name, r.kind, r.n or 0, r.active_id, r.as_of)
                for r in conn.execute(query)
            ]

    def active_import_id(self, org_id: str) -> int | None:
        """The id of the organisation's active import (the data its pages show), or None."""
        query = sa.select(_active_id()).where(tables_hr.organisations.c.org_id == org_id)
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
        """One organisation's snapshot (its active import when ``import_id`` is None)."""
        if import_id is None:
            import_id = self.find_import(org_id).id
        with self.engine.connect() as conn:
            query = sa.select(tables_hr.imports).where(
                tables_hr.imports.c.org_id == org_id, tables_hr.imports.c.id == import_id
            )
            record = conn.execute(query).first()
            if record is None:
                raise NotFound(f"Importen {import_id} finns inte för organisationen {org_id}.")
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
        """One table of a snapshot as a Polars ``LazyFrame`` over its file (the active import
        when ``import_id`` is None): a query reads only the columns and row groups it needs.

        Raises ``NotFound`` for an unknown import or an import still kept as rows."""
        if import_id is None:
            import_id = self.find_import(org_id).id
        query = sa.select(tables_hr.imports.c.snapshot, tables_hr.imports.c.snapshot_files).where(
            tables_hr.imports.c.org_id == org_id, tables_hr.imports.c.id == import_id
        )
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


def _active_id() -> sa.ColumnElement[Any]:
    """The organisation's active import id: its column, or its newest import when the
    column is empty (a row written before migration 0009 by an older process)."""
    newest = (
        sa.select(sa.func.max(tables_hr.imports.c.id))
        .where(tables_hr.imports.c.org_id == tables_hr.organisations.c.org_id)
        .correlate(tables_hr.organisations)
        .scalar_subquery()
    )
    return sa.func.coalesce(tables_hr.organisations.c.active_import_id, newest)


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


def _check_staged(org_id: str, staged: Staged, spooled: Mapping[str, pl.LazyFrame]) -> None:
    """``_check_org_ids`` and ``_check_required`` for tables written from queries, over their
    staged files (read lazily, column by column)."""
    for name in spooled:
        path = staged.folder / staged.snapshot.files[name].file
        table = schema.TABLES_BY_NAME[name]
        required = [c.name for c in table.columns if c.required and c.name != "org_id"]
        counts = (
            pl.scan_parquet(path)
            .select(
                (pl.col("org_id").is_not_null() & (pl.col("org_id") != org_id))
                .sum()
                .alias("_other"),
                *(pl.col(c).null_count() for c in required),
            )
            .collect()
            .row(0, named=True)
        )
        if counts.pop("_other"):
            raise StoreError(
                f"Tabellen {name} innehåller rader för en annan organisation än {org_id}. "
                "Importera en organisation i taget."
            )
        missing = [c for c, n in counts.items() if n]
        if missing:
            raise StoreError(
                f"Tabellen {name} saknar värde i den obligatoriska kolumnen {missing[0]}, så "
                "inget sparades. Rätta exporten och importera igen."
            )


def _claim_organisation(
    conn: Connection, org: dict[str, str], expected_active: int | Literal["any"] | None
) -> None:
    """Insert or update the organisation's row, checking its active import is still ``expected_active``.

    A new organisation is INSERTed: of two first imports racing, the second's INSERT
    waits for the first to commit and then fails on the primary key (PostgreSQL), or
    finds the row and fails the check below (SQLite serialises writers). An existing
    one is claimed by an UPDATE whose WHERE holds the check, evaluated under the row's
    write lock, so it can be true for one of two racing imports only.
    """
    table = tables_hr.organisations
    conflict = ImportConflict(IMPORT_CONFLICT_SV.format(org=org["org_id"]))
    exists = conn.execute(sa.select(table.c.org_id).where(table.c.org_id == org["org_id"])).first()
    if exists is None:
        if expected_active not in (None, ANY_ACTIVE):
            raise conflict  # the import compared with was deleted along with the organisation
        try:
            conn.execute(table.insert().values(**org))
        except sa.exc.IntegrityError:
            raise conflict from None
        return
    condition = table.c.org_id == org["org_id"]
    if expected_active is None:
        condition &= _active_id().is_(None)
    elif expected_active != ANY_ACTIVE:
        condition &= _active_id() == expected_active
    claimed = conn.execute(
        table.update().where(condition).values(name=org["name"], kind=org["kind"])
    ).rowcount
    if claimed != 1:
        raise conflict


def masked_url(url: str) -> str:
    """The database URL with any password replaced, for showing to administrators."""
    return sa.make_url(url).render_as_string(hide_password=True)
