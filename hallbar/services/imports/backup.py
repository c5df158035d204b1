"""Backups: the database and the snapshot folder, copied together and checked file by file.

A backup folder holds ``hallbar.db`` (a SQLite database; a PostgreSQL database
is backed up with ``pg_dump``, see the README), ``snapshots/`` (the snapshot
files the imports name) and ``manifest.json`` (every file's SHA-256), written
last so a backup without it is known to be incomplete. Snapshot files are
immutable, so copying them while the web app runs is safe; the SQLite copy uses
SQLite's online backup.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from hallbar.core.errors import HallbarError, InputError
from hallbar.core.private_files import ensure_private_file, make_private_dir
from hallbar.services.context import Hallbar, snapshot_dir
from hallbar.store import Store
from hallbar.store.snapshots import Snapshot, SnapshotFolder, file_sha256

MANIFEST = "manifest.json"
DATABASE = "hallbar.db"
SNAPSHOTS = "snapshots"
FORMAT = 1


class ChecksumMismatch(HallbarError):
    """A file of the installation or of a backup is missing or changed."""

    status: ClassVar[int] = 500

    def __init__(self, action: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:5]) + (
            f" (och {len(problems) - 5} till)" if len(problems) > 5 else ""
        )
        super().__init__(
            f"{action} avbröts: {len(problems)} fil(er) stämmer inte med sina kontrollsummor: "
            f"{shown}. Använd en annan säkerhetskopia eller importera exporten igen."
        )
        self.problems = problems


@dataclass(frozen=True)
class BackupOutcome:
    folder: Path
    database_copied: bool  # False for a server database (pg_dump, see the README)
    snapshots: int
    files: int
    bytes: int


def _copy_checked(source: Path, target: Path, sha256: str, problems: list[str]) -> int:
    # Copies of personal data: owner-only folders and files whatever the umask.
    make_private_dir(target.parent)
    ensure_private_file(target)
    shutil.copyfile(source, target)
    if file_sha256(target) != sha256:
        problems.append(f"kopian {target} har fel kontrollsumma")
    return target.stat().st_size


def backup(hb: Hallbar, target: Path) -> BackupOutcome:
    """Copy the database (SQLite) and every snapshot file to ``target``, checking each file."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(
            f"Mappen {target} är inte tom. Välj en ny eller tom mapp för säkerhetskopian."
        )
    store = hb.store
    folder = store.snapshot_dir
    make_private_dir(target)
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat()}
    problems: list[str] = []
    # The database first: the snapshots it names are then all copied (newer ones do no harm).
    copied_db = store.sqlite_file is not None
    listing = store
    if copied_db:
        store.backup_database(target / DATABASE)
        manifest["database"] = {"file": DATABASE, "sha256": file_sha256(target / DATABASE)}
        listing = Store(f"sqlite:///{target / DATABASE}", snapshot_dir=folder)
    snapshots = listing.snapshots()
    if listing is not store:
        listing.dispose()
    total = files = 0
    if snapshots and folder is None:
        raise InputError("Hållbar vet inte var ögonblicksbilderna ligger; ange --datakatalog.")
    for snapshot in snapshots:
        assert folder is not None
        live = SnapshotFolder(folder)
        found = live.mismatches(snapshot)
        problems += found
        if found:
            continue
        for entry in snapshot.files.values():
            total += _copy_checked(
                live.folder(snapshot) / entry.file,
                target / SNAPSHOTS / snapshot.path / entry.file,
                entry.sha256,
                problems,
            )
            files += 1
    if problems:
        raise ChecksumMismatch("Säkerhetskopieringen", problems)
    manifest["snapshots"] = [{"path": s.path, "files": s.files_json()} for s in snapshots]
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    return BackupOutcome(target, copied_db, len(snapshots), files, total)


@dataclass(frozen=True)
class RestoreOutcome:
    database_restored: bool
    snapshots: int
    files: int


def _read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not path.is_file():
        raise InputError(
            f"{path} saknas: mappen är ingen fullständig säkerhetskopia från 'hallbar backup'."
        )
    manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return manifest


def restore(hb: Hallbar, source: Path, *, replace: bool = False) -> RestoreOutcome:
    """Check every file of the backup in ``source``, then copy it into this installation.

    Nothing is copied unless every checksum matches. A SQLite database is put where
    the settings name it (an existing one only with ``replace``); for PostgreSQL only
    the snapshot files are restored and the database comes from ``pg_restore``.
    """
    manifest = _read_manifest(source)
    snapshots = [Snapshot.from_json(s["path"], s["files"]) for s in manifest.get("snapshots", [])]
    problems: list[str] = []
    database = manifest.get("database")
    if (
        database is not None
        and file_sha256_or_none(source / database["file"]) != database["sha256"]
    ):
        problems.append(f"{source / database['file']} saknas eller har fel kontrollsumma")
    backup_folder = SnapshotFolder(source / SNAPSHOTS)
    for snapshot in snapshots:
        problems += backup_folder.mismatches(snapshot)
    if problems:
        raise ChecksumMismatch("Återställningen", problems)

    store = Store(hb.settings.resolved_database_url(), snapshot_dir=snapshot_dir(hb.settings))
    db_file = store.sqlite_file
    if database is not None and db_file is None:
        raise InputError(
            "Säkerhetskopian innehåller en SQLite-databas men inställningarna pekar på en "
            "databasserver. Återställ till en datakatalog utan HALLBAR_DATABASE_URL."
        )
    if db_file is not None and database is not None and db_file.exists() and not replace:
        raise InputError(
            f"Databasen {db_file} finns redan. Ange --ersatt för att skriva över den, "
            "eller återställ till en ny datakatalog."
        )
    if store.snapshot_dir is None:
        raise InputError("Hållbar vet inte var ögonblicksbilderna ska ligga; ange --datakatalog.")
    target = SnapshotFolder(store.snapshot_dir)
    files = 0
    for snapshot in snapshots:
        final = target.folder(snapshot)
        if final.exists() and not target.mismatches(snapshot):
            continue  # immutable: an identical, intact copy is already in place
        staging = store.snapshot_dir / ".staging" / f"återställd-{snapshot.path.replace('/', '-')}"
        shutil.rmtree(staging, ignore_errors=True)
        for entry in snapshot.files.values():
            _copy_checked(
                backup_folder.folder(snapshot) / entry.file,
                staging / entry.file,
                entry.sha256,
                problems,
            )
            files += 1
        if final.exists():
            shutil.rmtree(final)
        make_private_dir(final.parent)
        staging.rename(final)
    if problems:
        raise ChecksumMismatch("Återställningen", problems)
    if db_file is not None and database is not None:
        make_private_dir(db_file.parent)
        partial = db_file.with_name(db_file.name + ".återställs")
        partial.unlink(missing_ok=True)
        ensure_private_file(partial)
        shutil.copyfile(source / database["file"], partial)
        for leftover in (
            db_file.with_name(db_file.name + "-wal"),
            db_file.with_name(db_file.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)  # the old database's journal must not replay
        partial.replace(db_file)
    hb.invalidate()
    return RestoreOutcome(database is not None and db_file is not None, len(snapshots), files)


def file_sha256_or_none(path: Path) -> str | None:
    return file_sha256(path) if path.is_file() else None
