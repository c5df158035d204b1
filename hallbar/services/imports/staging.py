"""Uploaded files kept on disk while the user confirms something: the one home for staging.

Two steps keep an upload between requests: the column mapping (files whose columns
match no profile wait while HR maps them) and the import confirmation (an upload that
differs a lot from the active import waits until HR confirms or cancels it). Both
use ``stage`` to keep the files, ``staged`` to read them back and ``discard`` to drop
them; a ``Purpose`` names the step's folder under the data folder and how long its
files may wait.

Staged files hold personnummer in the clear (they are the export itself), so:

* every folder and file is owner-only (``hallbar.core.private_files``);
* a staged upload belongs to the user who staged it and to one organisation: anyone
  else, and any other organisation, gets the same "not found" as for a missing one;
* a token is 32 hexadecimal digits made by ``secrets``; anything else (a path, a
  dot, an empty or overlong text) is refused before a path is built from it;
* each purpose's folder is swept by that purpose's age limit whenever files are
  staged or read, so the mapping's two hours never cut short a confirmation's day.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallbar.core.access import Principal, Resource
from hallbar.core.errors import NotFound
from hallbar.core.private_files import FILE_MODE, create_private_file, make_private_dir
from hallbar.services import access

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

_META = "uppladdning.json"
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Purpose:
    """Why files are staged: the folder under the data folder, how long they may wait,
    and what the user reads when they are gone."""

    folder: str
    max_age_s: int
    gone_sv: str


MAPPING = Purpose(
    "kolumnkoppling",
    2 * 3600,
    "De uppladdade filerna finns inte längre (de sparas i 2 timmar) eller så hör de till "
    "en annan användare. Ladda upp filerna igen.",
)
CONFIRMATION = Purpose(
    "uppladdningar",
    24 * 3600,
    "Uppladdningen finns inte längre (den bekräftades, avbröts eller är äldre än ett dygn). "
    "Ladda upp filerna igen.",
)


# Where a request writes the files it receives, beside the staged ones (the same disk,
# so keeping them is a rename, not a copy of a large export). A request removes its own
# folder; the age limit only clears what a stopped process left behind.
RECEIVED = Purpose("mottagna", 24 * 3600, "")


@dataclass(frozen=True)
class Staged:
    token: str
    org_id: str
    folder: Path
    files: tuple[Path, ...]
    details: Mapping[str, Any]  # what the step recorded with the files (JSON values)


def _root(hb: Hallbar, purpose: Purpose) -> Path:
    return hb.settings.data_dir / purpose.folder


def sweep(hb: Hallbar, purpose: Purpose) -> None:
    """Delete this purpose's staged uploads older than its age limit."""
    root = _root(hb, purpose)
    if not root.is_dir():
        return
    limit = time.time() - purpose.max_age_s
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # removed by a parallel sweep
            continue


def _keep(source: Path, target: Path, move: bool) -> None:
    """``source`` as the owner-only ``target``: renamed when asked and on the same disk,
    else copied into a file created owner-only."""
    if move:
        try:
            os.replace(source, target)
        except OSError:  # another file system: copy below
            pass
        else:
            os.chmod(target, FILE_MODE)
            return
    with source.open("rb") as read, os.fdopen(create_private_file(target), "wb") as write:
        shutil.copyfileobj(read, write)
    if move:
        source.unlink(missing_ok=True)


@contextmanager
def receiving(hb: Hallbar) -> Iterator[Path]:
    """An owner-only folder for one request's uploaded files, deleted when it ends."""
    root = make_private_dir(_root(hb, RECEIVED))
    sweep(hb, RECEIVED)
    folder = Path(tempfile.mkdtemp(dir=root))  # created 0700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stage(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    purpose: Purpose,
    files: Sequence[Path],
    details: Mapping[str, Any] | None = None,
    *,
    move: bool = False,
) -> str:
    """Keep ``files`` for ``purpose`` (moved when ``move``, else copied); return the token.

    ``details`` (JSON values) come back with the files from ``staged``.
    """
    access.require_org(principal, org_id, Resource.IMPORT)
    root = make_private_dir(_root(hb, purpose))
    sweep(hb, purpose)
    token = secrets.token_hex(16)
    folder = make_private_dir(root / token)
    for path in files:
        _keep(Path(path), folder / Path(path).name, move)
    meta = {
        "org_id": org_id,
        "user": principal.username,
        "files": [Path(p).name for p in files],
        "details": dict(details or {}),
    }
    with os.fdopen(create_private_file(folder / _META), "w", encoding="utf-8") as out:
        json.dump(meta, out)
    return token


def staged(hb: Hallbar, principal: Principal, org_id: str, purpose: Purpose, token: str) -> Staged:
    """The files behind ``token``, for the user who staged them and that organisation;
    ``NotFound`` (the purpose's message) for anything else."""
    access.require_org(principal, org_id, Resource.IMPORT)
    missing = NotFound(purpose.gone_sv)
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise missing
    sweep(hb, purpose)
    folder = _root(hb, purpose) / token
    try:
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise missing from None
    if meta.get("org_id") != org_id or meta.get("user") != principal.username:
        raise missing
    files = tuple(folder / name for name in meta["files"] if (folder / name).is_file())
    return Staged(token, org_id, folder, files, meta.get("details", {}))


def discard(kept: Staged) -> None:
    """Delete staged files (after the import, a cancel, or a move to another purpose)."""
    shutil.rmtree(kept.folder, ignore_errors=True)
