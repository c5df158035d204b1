"""Snapshot files: each table of an import as one Parquet file (zstd), immutable and content-addressed.

Layout under the snapshot folder (``<root>``)::

    <root>/<org>/<content hash>/<table>.parquet     a published snapshot, never changed
    <root>/.staging/<random>/                       a snapshot being written or deleted

The content hash is the SHA-256 of the tables' names and file checksums, so a
snapshot's folder name says what it holds and two identical imports share one
folder. Files are written to a staging folder on the same file system and
published by one ``rename``, so a reader sees a snapshot whole or not at all.
The database records, per import, the folder (relative to ``<root>``, so the
folder can move with a backup) and each file's checksum and row count.

Because identical imports share a folder, deciding whether a folder may be
published or removed depends on which imports name it. ``SnapshotFolder.lock``
serialises that decision per content hash across threads and processes (an
advisory ``flock`` on ``<root>/.locks/<org>-<hash>.lock``): the store holds it
from publishing until its transaction commits, and while it deletes an import
and counts who else names its files.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl
import sqlalchemy as sa

from hallbar.core.errors import HallbarError
from hallbar.core.private_files import make_private_dir

STAGING = ".staging"
LOCKS = ".locks"
COMPRESSION: Literal["zstd"] = "zstd"
ROW_GROUP_ROWS = 1_000_000  # rows per row group of a table written from a query
STALE_AFTER_S = 24 * 3600  # no import stages for a day: older staging folders are leftovers
_HASH_BLOCK = 1 << 20  # read files in 1 MiB blocks: constant memory whatever their size
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")


class SnapshotError(HallbarError):
    """A snapshot file is missing or does not match its recorded checksum."""

    status = 500


@dataclass(frozen=True)
class SnapshotFile:
    file: str  # file name inside the snapshot folder
    sha256: str
    rows: int
    bytes: int

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "rows": self.rows, "bytes": self.bytes}


@dataclass(frozen=True)
class Snapshot:
    path: str  # "<org>/<content hash>", relative to the snapshot folder
    files: dict[str, SnapshotFile]  # canonical table name -> its file

    def files_json(self) -> dict[str, dict[str, Any]]:
        return {name: f.as_json() for name, f in self.files.items()}

    @staticmethod
    def from_json(path: str, files: Mapping[str, Mapping[str, Any]]) -> Snapshot:
        return Snapshot(
            path=path,
            files={
                name: SnapshotFile(
                    str(f["file"]), str(f["sha256"]), int(f["rows"]), int(f["bytes"])
                )
                for name, f in files.items()
            },
        )


@dataclass(frozen=True)
class Staged:
    """A snapshot written to its staging folder, not yet visible."""

    folder: Path
    snapshot: Snapshot


def default_root(url: sa.URL) -> Path | None:
    """The snapshot folder beside a SQLite database file; None for other databases."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve().parent / "snapshots"


def sqlite_file(url: sa.URL) -> Path | None:
    """The database file of a SQLite URL (None for in-memory and server databases)."""
    root = default_root(url)
    return None if root is None or url.database is None else Path(url.database).expanduser()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _org_folder(org_id: str) -> str:
    # Organisation codes are short digits ("1280"); anything else is hashed so no
    # code can name a path outside the snapshot folder.
    if _SAFE_NAME.fullmatch(org_id):
        return org_id
    return "org-" + hashlib.sha256(org_id.encode("utf-8")).hexdigest()[:16]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# (absolute file, checksum) pairs verified in this process: files are immutable,
# so each is hashed once per process, not on every load.
_VERIFIED: set[tuple[str, str]] = set()
_VERIFIED_LOCK = threading.Lock()


class SnapshotFolder:
    """The snapshot files of one installation, under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, snapshot: Snapshot) -> Path:
        return self.root / snapshot.path

    # --- writing ---------------------------------------------------------------
    def scratch(self) -> Path:
        """A new empty folder under the staging folder (the caller removes it)."""
        folder = self.root / STAGING / f"import-{uuid.uuid4().hex}"
        make_private_dir(folder.parent)
        folder.mkdir(mode=0o700)
        return folder

    def stage(
        self,
        org_id: str,
        frames: Mapping[str, pl.DataFrame],
        queries: Mapping[str, pl.LazyFrame] | None = None,
    ) -> Staged:
        """Write every frame, and every query's result, as ``<table>.parquet`` to a new
        staging folder. A query is written by Polars' streaming engine, row group by row
        group, so a table larger than memory can be staged."""
        folder = self.root / STAGING / uuid.uuid4().hex
        make_private_dir(folder)  # and the snapshot folder itself, when this creates it
        try:
            files = {}
            for name, frame in frames.items():
                path = folder / f"{name}.parquet"
                frame.write_parquet(path, compression=COMPRESSION, statistics=True)
                _fsync(path)
                files[name] = SnapshotFile(
                    path.name, file_sha256(path), frame.height, path.stat().st_size
                )
            for name, query in (queries or {}).items():
                path = folder / f"{name}.parquet"
                query.sink_parquet(
                    path, compression=COMPRESSION, statistics=True, row_group_size=ROW_GROUP_ROWS
                )
                _fsync(path)
                rows = pl.scan_parquet(path).select(pl.len()).collect().item()
                files[name] = SnapshotFile(path.name, file_sha256(path), rows, path.stat().st_size)
            content = hashlib.sha256(
                "".join(f"{n}\t{f.sha256}\n" for n, f in sorted(files.items())).encode("ascii")
            ).hexdigest()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return Staged(folder, Snapshot(f"{_org_folder(org_id)}/{content}", files))

    @contextlib.contextmanager
    def lock(self, snapshot: Snapshot) -> Iterator[None]:
        """Hold the snapshot's lock: one holder at a time per content, across processes.

        ``flock`` locks belong to an open file description, so two threads of one
        process exclude each other as two processes do. The lock files are empty and
        stay (removing one while another process waits on it would split the lock).
        """
        locks = self.root / LOCKS
        make_private_dir(locks)
        path = locks / (snapshot.path.replace("/", "-") + ".lock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def publish(self, staged: Staged) -> bool:
        """Make a staged snapshot visible by one rename; False if identical content was there.

        Callers hold ``lock(staged.snapshot)``. Without it (an older process) a rename
        onto a folder another process has just published fails with ENOTEMPTY/EEXIST:
        that folder holds the same content, so it is kept and the staged copy dropped.
        """
        final = self.folder(staged.snapshot)
        if final.exists():  # the same content is already published (content-addressed)
            self.discard(staged)
            return False
        for attempt in range(3):
            make_private_dir(final.parent)
            try:
                os.replace(staged.folder, final)
                break
            except FileNotFoundError:
                # ``remove`` of the organisation's last other snapshot took the (empty)
                # organisation folder away between the mkdir and the rename: make it again.
                if attempt == 2:
                    raise
            except OSError as err:
                if err.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not final.exists():
                    raise
                self.discard(staged)
                return False
        _fsync(final.parent)
        return True

    def clear_stale(self, older_than_s: float = STALE_AFTER_S) -> int:
        """Remove staging folders a crashed process left behind; return how many.

        Only folders untouched for ``older_than_s`` go: an import running in another
        process right now keeps its own.
        """
        staging = self.root / STAGING
        if not staging.is_dir():
            return 0
        cutoff = time.time() - older_than_s
        stale = [p for p in staging.iterdir() if p.stat().st_mtime < cutoff]
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)
        return len(stale)

    def discard(self, staged: Staged) -> None:
        shutil.rmtree(staged.folder, ignore_errors=True)

    def remove(self, snapshot: Snapshot) -> None:
        """Delete a published snapshot: renamed away first, so it disappears at once."""
        final = self.folder(snapshot)
        if not final.exists():
            return
        trash = self.root / STAGING / f"borttagen-{uuid.uuid4().hex}"
        make_private_dir(trash.parent)
        os.replace(final, trash)
        shutil.rmtree(trash, ignore_errors=True)
        with contextlib.suppress(OSError):  # the organisation's folder, if now empty
            final.parent.rmdir()

    # --- reading ---------------------------------------------------------------
    def verify_file(self, snapshot: Snapshot, table: str) -> Path:
        """The table's file, checked against its recorded checksum once per process."""
        entry = snapshot.files[table]
        path = self.folder(snapshot) / entry.file
        key = (str(path.resolve()), entry.sha256)
        with _VERIFIED_LOCK:
            if key in _VERIFIED:
                return path
        if not path.is_file():
            raise SnapshotError(
                f"Filen {path} saknas i ögonblicksbilden. Återställ mappen med ögonblicksbilder "
                "från en säkerhetskopia ('hallbar restore') eller importera exporten igen."
            )
        actual = file_sha256(path)
        if actual != entry.sha256:
            raise SnapshotError(
                f"Filen {path} har ändrats sedan importen (kontrollsumman stämmer inte). "
                "Återställ den från en säkerhetskopia ('hallbar restore') eller importera igen."
            )
        with _VERIFIED_LOCK:
            _VERIFIED.add(key)
        return path

    def read(
        self, snapshot: Snapshot, table: str, target: Mapping[str, pl.DataType]
    ) -> pl.DataFrame:
        """One table, read lazily: only the canonical columns, cast to the canonical dtypes."""
        path = self.verify_file(snapshot, table)
        frame = pl.scan_parquet(path)
        present = frame.collect_schema().names()
        return frame.select(
            pl.col(c).cast(dt) if c in present else pl.lit(None, dt).alias(c)
            for c, dt in target.items()
        ).collect()

    def mismatches(self, snapshot: Snapshot, folder: Path | None = None) -> list[str]:
        """Swedish descriptions of every missing or changed file (empty when all match)."""
        base = folder if folder is not None else self.folder(snapshot)
        problems = []
        for entry in snapshot.files.values():
            path = base / entry.file
            if not path.is_file():
                problems.append(f"{path} saknas")
            elif file_sha256(path) != entry.sha256:
                problems.append(f"{path} har fel kontrollsumma")
        return problems
