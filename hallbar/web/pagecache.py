"""Rendered answers of the aggregate pages, kept per snapshot and user scope, compressed once.

Rendering a computed page (its tables formatted cell by cell, its charts, a JSON
twin of half a megabyte) and compressing it cost far more processor time than
finding the figures in their caches. Every user with the same *scope* gets the
same page, so the rendered body is kept, per worker process, under:

- the organisation's active import (its id, when it was made, its state), so a
  new import or an activation is a new key and an old body is never served again;
- the user's scope: role, organisations and managed units (never the user or the
  session): two managers of different units never share an entry, two HR users do;
- the page: path, query string and whether HTMX asked for a fragment;
- whatever else a page declares it depends on (``extra``, e.g. a stored forecast).

The per-user parts of a page (the user's name, the session's CSRF token) are
rendered as markers and put in on every request, so a kept body carries nobody's
name or token. Each part between markers is kept compressed as a raw deflate
segment ending in a full flush (byte-aligned, no references across segments), so
a gzip answer is the kept segments with the few per-user bytes compressed between
them: a request compresses a few dozen bytes instead of the page.

Only pages of aggregates use it: pages showing individuals are audited on every
view and are always built afresh.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from markupsafe import escape

from hallbar.core.access import Principal
from hallbar.services.context import Hallbar
from hallbar.web.deps import get_session

# Markers rendered in place of the per-user parts (ASCII letters and digits only, so
# HTML and JSON escaping leave them as they are).
USER_MARK = "hallbarUSERx7q2"
CSRF_MARK = "hallbarCSRFx7q2"
_MARKS = (USER_MARK.encode(), CSRF_MARK.encode())
LANGUAGE = "sv"
# Kept bodies per worker process, compressed and plain: a region's computed pages
# are 0,1–0,5 MB each before compression.
MAX_BYTES = 96 * 1024 * 1024
GZIP_LEVEL = 5
# gzip member header: magic, deflate, no flags, no time, no extra flags, unknown OS.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_FINAL_BLOCK = b"\x03\x00"  # an empty last block with fixed codes


def _deflate(data: bytes, level: int = GZIP_LEVEL) -> bytes:
    """Raw deflate of ``data`` ending in a full flush: segments can be concatenated."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


@dataclass(frozen=True)
class Kept:
    """One rendered answer: its parts between the per-user markers, plain and compressed."""

    status: int
    media_type: str
    parts: tuple[bytes, ...]  # plain text between markers
    marks: tuple[int, ...]  # which marker follows each part but the last (index in _MARKS)
    deflated: tuple[bytes, ...]  # each part compressed on its own (``_deflate``)
    digest: str  # of the plain body with markers: the ETag's base

    @property
    def size(self) -> int:
        return sum(map(len, self.parts)) + sum(map(len, self.deflated))

    @staticmethod
    def of(body: bytes, status: int, media_type: str) -> Kept:
        parts: list[bytes] = []
        marks: list[int] = []
        rest = body
        while True:
            found = [(rest.find(m), i) for i, m in enumerate(_MARKS)]
            hits = [(at, i) for at, i in found if at >= 0]
            if not hits:
                parts.append(rest)
                break
            at, which = min(hits)
            parts.append(rest[:at])
            marks.append(which)
            rest = rest[at + len(_MARKS[which]) :]
        return Kept(
            status,
            media_type,
            tuple(parts),
            tuple(marks),
            tuple(_deflate(p) for p in parts),
            hashlib.sha256(body).hexdigest()[:32],
        )

    def plain(self, values: tuple[bytes, bytes]) -> bytes:
        out = [self.parts[0]]
        for mark, part in zip(self.marks, self.parts[1:], strict=True):
            out += [values[mark], part]
        return b"".join(out)

    def gzipped(self, values: tuple[bytes, bytes]) -> bytes:
        """The body as one gzip member: kept segments, the per-user values compressed here."""
        chunks = [_GZIP_HEADER, self.deflated[0]]
        crc = zlib.crc32(self.parts[0])
        length = len(self.parts[0])
        for mark, part, deflated in zip(self.marks, self.parts[1:], self.deflated[1:], strict=True):
            value = values[mark]
            chunks += [_deflate(value), deflated]
            crc = zlib.crc32(part, zlib.crc32(value, crc))
            length += len(value) + len(part)
        chunks += [_FINAL_BLOCK, struct.pack("<II", crc, length & 0xFFFFFFFF)]
        return b"".join(chunks)


class PageCache:
    """Kept answers of one app (one per worker process), least recently used dropped first."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Kept] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable) -> Kept | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def put(self, key: Hashable, kept: Kept) -> None:
        if kept.size > self._max_bytes // 4:
            return  # one huge answer would push out everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = kept
            self._bytes += kept.size
            while self._bytes > self._max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def get_or_build(self, key: Hashable, build: Callable[[], Kept | None]) -> Kept | None:
        """The kept answer, or ``build()`` once however many requests ask at the same time."""
        hit = self.get(key)
        if hit is not None:
            return hit
        with self._lock:
            lock = self._building.setdefault(key, threading.Lock())
        try:
            with lock:
                hit = self.get(key)
                if hit is None:
                    hit = build()
                    if hit is not None:
                        self.put(key, hit)
        finally:  # also when ``build`` raises (access denied, a bad request)
            with self._lock:
                self._building.pop(key, None)
        return hit


def scope_key(user: Principal) -> tuple[Any, ...]:
    """What decides which data a user may see: role, organisations, managed units."""
    return (user.role.value, tuple(sorted(user.org_ids)), tuple(sorted(user.unit_ids)))


def placeholders(request: Request) -> bool:
    """Whether ``render`` should write the per-user markers instead of the user's values."""
    return bool(getattr(request.state, "page_cache_markers", False))


def _data_key(hb: Hallbar, org_id: str) -> tuple[Any, ...] | None:
    """The organisation's active import as it is now (None: no import, or no such org)."""
    try:
        record = hb.store.find_import(org_id)
    except Exception:  # no import or an unknown organisation: the page says so itself
        return None
    return (record.id, record.created_at.isoformat(), record.status, record.org_name)


def cached(
    request: Request,
    hb: Hallbar,
    user: Principal,
    org_id: str,
    build: Callable[[], Response],
    extra: Hashable = (),
) -> Response:
    """The page ``build()`` renders, kept per active import, user scope and request.

    ``build`` must give the same answer to every user of the same scope (the per-user
    parts come from ``render``'s markers) and must not record anything per view: the
    kept answer is served without calling it. Error answers are never kept.
    """
    cache: PageCache = request.app.state.page_cache
    data = _data_key(hb, org_id)
    if data is None:
        return build()
    key = (
        org_id,
        data,
        scope_key(user),
        request.url.path,
        tuple(sorted(request.query_params.multi_items())),
        request.headers.get("hx-request") == "true",
        LANGUAGE,
        extra,
    )
    built: list[Response] = []

    def keep() -> Kept | None:
        request.state.page_cache_markers = True
        try:
            response = build()
        finally:
            request.state.page_cache_markers = False
        built.append(response)
        if response.status_code != 200 or "content-encoding" in response.headers:
            return None
        return Kept.of(bytes(response.body), response.status_code, response.media_type or "")

    kept = cache.get_or_build(key, keep)
    if kept is None:
        return built[0]
    return _answer(request, kept)


def _answer(request: Request, kept: Kept) -> Response:
    state = get_session(request)
    name = state.principal.username if state and state.principal else ""
    csrf = state.csrf_token if state else ""
    values = (str(escape(name)).encode(), csrf.encode())
    etag = (
        '"'
        + hashlib.sha256(kept.digest.encode() + b"\0" + b"\0".join(values)).hexdigest()[:32]
        + '"'
    )
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"etag": etag})
    headers = {"etag": etag, "vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["content-encoding"] = "gzip"
        body = kept.gzipped(values)
    else:
        body = kept.plain(values)
    return Response(body, status_code=kept.status, media_type=kept.media_type, headers=headers)
