"""``Hallbar``: the services' composition root.

One object per process (CLI command or web app) holds the settings, the store
and a small cache of loaded datasets. Web pages ask ``hb.dataset(org_id)`` on
every request; the cache key includes the organisation's latest import id, so a
new import is picked up at once while unchanged data is never reloaded.

Snapshot files live beside a SQLite database (``<data_dir>/snapshots`` with the
default database) and in ``<data_dir>/snapshots`` for a server database, unless
a ``snapshot_dir`` setting names another folder.
"""

from __future__ import annotations

import threading
from pathlib import Path

from hallbar.core.dataset import HRData
from hallbar.ingest import load_or_create_key
from hallbar.settings import Settings
from hallbar.store import Store


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
        # org_id -> (import id, data): only the latest snapshot of each organisation is kept.
        self._datasets: dict[str, tuple[int, HRData]] = {}
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

    def dataset(self, org_id: str) -> HRData:
        """The organisation's current data (its latest import), cached until the next import.

        Raises ``NotFound`` when the organisation has no import.
        """
        store = self.store
        latest = store.latest_import_id(org_id)
        with self._lock:
            cached = self._datasets.get(org_id)
            if cached is not None and latest is not None and cached[0] == latest:
                return cached[1]
        data = store.load(org_id, latest)
        if latest is not None:
            with self._lock:
                self._datasets[org_id] = (latest, data)
        return data

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
