"""Saving uploaded files safely before they reach the import pipeline.

Only the last path component of a client's file name is kept, reduced to a
conservative character set, so ``../../etc/passwd`` or ``C:\\x\\..\\y.csv``
can never leave the private temporary directory. Sizes are checked while
copying, so an oversized file is never written in full.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from fastapi import UploadFile

from hallbar.core.errors import InputError
from hallbar.core.private_files import create_private_file

ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")
_UNSAFE = re.compile(r"[^A-Za-z0-9åäöÅÄÖéÉüÜ._-]+")
_CHUNK = 1 << 20


class UploadRejected(InputError):
    """An uploaded file cannot be accepted (name, type, size or count)."""


def safe_filename(raw: str | None) -> str:
    """A plain file name without any directory part; raises for names that end up empty."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").split("/")[-1])
    name = _UNSAFE.sub("_", name).strip("._")[:120]
    if not name or "." not in name:
        raise UploadRejected(
            "Filnamnet saknas eller är ogiltigt. Ladda upp filer med namn som anstallningar.csv."
        )
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise UploadRejected(
            f"Filen {name} har fel filtyp. Ladda upp CSV- eller Excelfiler (.csv, .xlsx)."
        )
    return name


async def save_uploads(
    files: list[UploadFile], folder: Path, *, max_bytes: int, max_files: int
) -> tuple[Path, ...]:
    """Write the uploads into ``folder`` (which the caller created privately), each file
    owner-only."""
    real = [f for f in files if f.filename]
    if not real:
        raise UploadRejected("Välj minst en fil att ladda upp.")
    if len(real) > max_files:
        raise UploadRejected(f"Ladda upp högst {max_files} filer åt gången.")
    saved: list[Path] = []
    for upload in real:
        name = safe_filename(upload.filename)
        target = folder / name
        if target.exists():
            raise UploadRejected(f"Filen {name} finns två gånger. Ladda upp varje fil en gång.")
        size = 0
        with os.fdopen(create_private_file(target), "wb") as out:  # holds personnummer
            while chunk := await upload.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(
                        f"Filen {name} är större än {max_bytes // (1024 * 1024) or 1} MB, "
                        "den största storlek som tillåts. Dela upp filen eller kontakta en administratör."
                    )
                out.write(chunk)
        if size == 0:
            raise UploadRejected(f"Filen {name} är tom. Kontrollera exporten och försök igen.")
        saved.append(target)
    return tuple(saved)
