"""Folders and files only the owner may read: the database, keys, snapshots, reports.

They hold personal data or the secret that pseudonymises it, so they are created
owner-only (folders 0700, files 0600) whatever the process's umask: the mode is set
explicitly after creation, because ``mkdir(mode=…)`` and ``open(…, mode)`` only
apply it through the umask. Existing folders (a data folder the administrator made)
keep their permissions; only what Hållbar creates is restricted.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def make_private_dir(path: Path) -> Path:
    """``path`` and any missing parents, each created owner-only (like ``mkdir -p``)."""
    path = Path(path)
    missing: list[Path] = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # made by another process meanwhile: not ours to change
        os.chmod(folder, DIR_MODE)
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    return path


def create_private_file(path: Path) -> int:
    """Create ``path`` owner-only (it must not exist) and return an open write descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def ensure_private_file(path: Path) -> None:
    """Create an empty owner-only ``path`` unless it exists (then it is left as it is)."""
    make_private_dir(Path(path).parent)
    with contextlib.suppress(FileExistsError):
        os.close(create_private_file(Path(path)))
