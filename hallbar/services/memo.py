"""Small caches that belong to one services root (``Hallbar``), optionally kept on disk.

Every service that caches a computation (a key-figure pack, a pay survey, a
projection) uses ``HbCache``: the entries live per root, so two roots in one
process (tests, a demo beside a real site) never see each other's data, and a
root that is closed and dropped takes its entries with it.

A cache created with ``persist=NAME`` also keeps what it computes as a file
under ``<data_dir>/cache/NAME/`` when the caller names the snapshot the value
was computed from (``snapshot=``, the snapshot's content id). The file's name is
a hash of the snapshot, the key and the code of the ``hallbar`` package, so a
restart (or a second ``hallbar serve`` worker) reads the value instead of
computing it again, a new import (another snapshot) or another version of the
code never finds an old value, and nothing ever needs invalidating. The folder
can be deleted at any time; it is rebuilt on demand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import pickle
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from enum import Enum
from pathlib import Path
from typing import Any, Generic, TypeVar

from hallbar.core.private_files import make_private_dir

V = TypeVar("V")
log = logging.getLogger(__name__)

CACHE_FOLDER = "cache"
_code_lock = threading.Lock()
_code: list[str] = []


def code_fingerprint() -> str:
    """SHA-256 of every Python file of the ``hallbar`` package (once per process).

    Part of every file name: a value computed by other code is never read back."""
    with _code_lock:
        if not _code:
            root = Path(__file__).resolve().parent.parent
            digest = hashlib.sha256()
            for path in sorted(root.rglob("*.py")):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
            _code.append(digest.hexdigest())
        return _code[0]


def stable_text(value: object) -> str:
    """A text of ``value`` that is the same in every process (``repr`` of a set is not)."""
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(
            f"{f.name}={stable_text(getattr(value, f.name))}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__qualname__}({fields})"
    if isinstance(value, tuple | list):
        return "(" + ",".join(stable_text(v) for v in value) + ")"
    if isinstance(value, frozenset | set):
        return "{" + ",".join(sorted(stable_text(v) for v in value)) + "}"
    if isinstance(value, dict):
        items = sorted(f"{stable_text(k)}:{stable_text(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    return repr(value)


def _cache_root(hb: object) -> Path | None:
    settings = getattr(hb, "settings", None)
    data_dir = getattr(settings, "data_dir", None)
    return None if data_dir is None else Path(data_dir) / CACHE_FOLDER


class HbCache(Generic[V]):
    """A small LRU cache per services root (``Hallbar``), so two roots in one process
    (tests, a demo next to a real site) never see each other's organisations.

    ``persist``: the folder name under ``<data_dir>/cache`` for values computed from a
    named snapshot (see the module docstring); None keeps values in memory only.
    """

    def __init__(self, size: int, *, persist: str | None = None) -> None:
        self._size = size
        self._persist = persist
        self._lock = threading.Lock()
        self._per_root: weakref.WeakKeyDictionary[object, OrderedDict[Hashable, V]] = (
            weakref.WeakKeyDictionary()
        )
        # One lock per key being computed, so concurrent first requests for the same
        # figures wait for one computation instead of each doing it again.
        self._computing: dict[tuple[int, Hashable], threading.Lock] = {}

    def get(self, hb: object, key: Hashable) -> V | None:
        with self._lock:
            entries = self._per_root.get(hb)
            if entries is None or key not in entries:
                return None
            entries.move_to_end(key)
            return entries[key]

    def put(self, hb: object, key: Hashable, value: V) -> None:
        with self._lock:
            entries = self._per_root.setdefault(hb, OrderedDict())
            entries[key] = value
            while len(entries) > self._size:
                entries.popitem(last=False)

    def holds(self, hb: object, key: Hashable, *, snapshot: str | None = None) -> bool:
        """Whether ``get_or_compute`` would answer without computing (memory or disk)."""
        if self.get(hb, key) is not None:
            return True
        path = self._file(hb, key, snapshot)
        return path is not None and path.is_file()

    def get_or_compute(
        self, hb: object, key: Hashable, compute: Callable[[], V], *, snapshot: str | None = None
    ) -> V:
        """The cached value, or ``compute()`` once however many requests ask at the same time.

        ``snapshot``: the content id of the snapshot ``compute`` reads; with it (and
        ``persist``) the value is also looked up in and written to the disk cache. In
        memory ``key`` alone decides, so it must name the data too (an import id).
        """
        hit = self.get(hb, key)
        if hit is not None:
            return hit
        flight = (id(hb), key)
        with self._lock:
            lock = self._computing.setdefault(flight, threading.Lock())
        with lock:
            hit = self.get(hb, key)
            if hit is None:
                path = self._file(hb, key, snapshot)
                hit = self._read(path) if path is not None else None
                if hit is None:
                    hit = compute()
                    if path is not None:
                        self._write(path, hit)
                self.put(hb, key, hit)
        with self._lock:
            self._computing.pop(flight, None)
        return hit

    # --- the disk cache ---------------------------------------------------------
    def _file(self, hb: object, key: Hashable, snapshot: str | None) -> Path | None:
        if self._persist is None or snapshot is None:
            return None
        root = _cache_root(hb)
        if root is None:
            return None
        name = hashlib.sha256(
            f"{code_fingerprint()}\n{snapshot}\n{stable_text(key)}".encode()
        ).hexdigest()
        return root / self._persist / name[:2] / f"{name}.pickle"

    @staticmethod
    def _read(path: Path) -> Any:
        try:
            with path.open("rb") as handle:
                # Written by this installation's own code (the name says which code);
                # the cache folder lives in the data directory beside the database.
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as err:  # a damaged file is recomputed and replaced
            log.warning("cache file %s unreadable (%s); computing again", path, err)
            return None

    @staticmethod
    def _write(path: Path, value: object) -> None:
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        try:
            make_private_dir(path.parent)  # figures of small groups: owner-only
            with tmp.open("wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # readers (other workers) see the whole file or none
        except Exception as err:  # a full disk or a read-only folder: memory still serves
            log.warning("could not keep %s in the cache (%s)", path, err)
            with contextlib.suppress(OSError):
                tmp.unlink()


class ByIdentity(Generic[V]):
    """Values derived from one object (a loaded dataset, a cached view), kept while it lives.

    For the cheap-but-not-free things every request derives from the same cached
    object (the years a dataset covers, a population count, a view's JSON): keyed by
    the object's identity plus ``key``, checked against a weak reference so a new
    object with a reused id never gets an old value. A few hundred entries at most.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, Hashable], tuple[weakref.ref[Any], V]] = OrderedDict()

    def get_or_compute(self, owner: object, key: Hashable, compute: Callable[[], V]) -> V:
        slot = (id(owner), key)
        with self._lock:
            hit = self._entries.get(slot)
            if hit is not None and hit[0]() is owner:
                self._entries.move_to_end(slot)
                return hit[1]
        value = compute()
        with self._lock:
            self._entries[slot] = (weakref.ref(owner), value)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value
