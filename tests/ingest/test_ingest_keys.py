"""The pseudonym key file: created once with owner-only permissions, then reused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hallbar.core.errors import ConfigurationError
from hallbar.ingest import load_or_create_key


def test_key_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "hemligt" / "pseudonymnyckel.key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    assert path.read_text().strip() == key.hex()


def test_raw_32_byte_key_file_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "raw.key"
    path.write_bytes(bytes(range(32)))
    assert load_or_create_key(path) == bytes(range(32))


def test_damaged_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "trasig.key"
    path.write_text("inte en nyckel")
    with pytest.raises(ConfigurationError, match=r"är skadad.*Återställ filen"):
        load_or_create_key(path)


def test_unreadable_key_gives_swedish_error(tmp_path: Path) -> None:
    path = tmp_path / "katalog.key"
    path.mkdir()  # a directory cannot be read as a file, even by root
    with pytest.raises(ConfigurationError, match="kunde inte läsas"):
        load_or_create_key(path)
