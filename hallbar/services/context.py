"""``Hallbar``: the services' composition root.

One object per process (CLI command or web app) holds the settings, the store
and a small cache of loaded datasets. Web pages ask ``hb.dataset(org_id)`` on
every request; the cache key is the import id of the organisation's active
import, so a new import or a reactivated earlier one is picked up at once while
unchanged data is never reloaded.

Snapshot files live beside a SQLite database (``<data_dir>/snapshots`` with the
default database) and in ``<data_dir>/snapshots`` for a server database, unless
a ``snapshot_dir`` setting names another folder.
"""

from __future__ import annotations

import threading
from pathlib import Path

from hallbar.core.dataset import HRData
from hallbar.ingest import load_or_create_key
from hallbar.services.scope import note_shown
from hallbar.settings import Settings
from hallbar.store import Store
from hallbar.store.store import ImportRecord


def snapshot_dir(settings: Settings) -> Path | None:
    """The configured snapshot folder; None lets a SQLite store use the folder beside its file."""
    configured = settings.snapshot_dir
    if configured is not None:
        return configured
    if settings.resolved_database_url().startswith("sqlite"):
        return None
    return settings.data_dir / "snapshots"


class Hallbar:
    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self._store = store
        self._migrated = False
        self._lock = threading.RLock()
        # org_id -> import id -> data, oldest first: at most two snapshots per organisation.
        self._datasets: dict[str, dict[int, HRData]] = {}
        self._key: bytes | None = None

    @property
    def store(self) -> Store:
        """The store, created from the settings on first use and migrated to the newest schema."""
        with self._lock:
            if self._store is None:
                self._store = Store(
                    self.settings.resolved_database_url(),
                    snapshot_dir=snapshot_dir(self.settings),
                )
            if not self._migrated:
                self._store.migrate()
                self._migrated = True
            return self._store

    def dataset(self, org_id: str, import_id: int | None = None) -> HRData:
        """The data of ``snapshot(org_id, import_id)``."""
        return self.snapshot(org_id, import_id)[1]

    def snapshot(self, org_id: str, import_id: int | None = None) -> tuple[ImportRecord, HRData]:
        """One snapshot of the organisation: its active import, or the import ``import_id``.

        Cached per import (the active one and the latest other one asked for, per
        organisation), and noted as shown by the current request
        (``services.scope.note_shown``) so the page can say which snapshot it shows.
        Raises ``NotFound`` when the organisation has no such import.
        """
        record = self.store.find_import(org_id, import_id)
        note_shown(record, pinned=import_id is not None)
        with self._lock:
            cached = self._datasets.get(org_id, {}).get(record.id)
            if cached is not None:
                return record, cached
        data = self.store.load(org_id, record.id)
        with self._lock:
            kept = self._datasets.setdefault(org_id, {})
            kept[record.id] = data
            for other in [i for i in kept if i != record.id][:-1]:  # keep at most two
                del kept[other]
        return record, data

    def invalidate(self, org_id: str | None = None) -> None:
        """Forget cached datasets (all, or one organisation's), e.g. after an import."""
        with self._lock:
            if org_id is None:
                self._datasets.clear()
            else:
                self._datasets.pop(org_id, None)

    def pseudonym_key(self) -> bytes:
        """The secret HMAC key for pseudonyms, kept outside the database (created on first use)."""
        with self._lock:
            if self._key is None:
                self._key = load_or_create_key(self.settings.resolved_key_file())
            return self._key

    def close(self) -> None:
        with self._lock:
            self._datasets.clear()
            if self._store is not None:
                self._store.dispose()
