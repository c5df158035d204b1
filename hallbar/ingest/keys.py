"""The secret pseudonym key: a file outside the database, created on first use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from hallbar.core.errors import ConfigurationError
from hallbar.core.private_files import create_private_file, make_private_dir

KEY_BYTES = 32


def load_or_create_key(path: Path) -> bytes:
    """Return the 32-byte pseudonym key stored in ``path``; create it if missing.

    The file holds the key as 64 hexadecimal characters and is created with
    permissions 0600 (owner only, whatever the umask). Losing it means new imports get new
    pseudonyms that cannot be linked to older ones, hence the loud errors.
    """
    path = Path(path)
    if not path.exists():
        return _create_key(path)
    try:
        content = path.read_bytes()
    except OSError as err:
        raise ConfigurationError(
            f"Pseudonymnyckeln i {path} kunde inte läsas ({err.strerror}). "
            "Kontrollera filens behörigheter; skapa inte en ny nyckel, då kan nya "
            "importer inte kopplas till tidigare."
        ) from err
    text = content.strip()
    if len(content) == KEY_BYTES and len(text) != 2 * KEY_BYTES:
        return content  # raw 32-byte key file
    try:
        key = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise ConfigurationError(
            f"Pseudonymnyckeln i {path} är skadad: filen ska innehålla 64 hexadecimala tecken. "
            "Återställ filen från säkerhetskopian."
        )
    return key


def _create_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        make_private_dir(path.parent)
        fd = create_private_file(path)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
    except OSError as err:
        raise ConfigurationError(
            f"Pseudonymnyckeln kunde inte skapas i {path} ({err.strerror}). "
            "Välj en katalog där du har skrivrätt (inställningen pseudonym_key_file)."
        ) from err
    return key
