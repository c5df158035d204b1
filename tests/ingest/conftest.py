"""Fixtures for the import tests: a small valid export and a way to run the import on it.

The base export is valid; tests and corpus cases overwrite or remove single
files to create exactly one kind of problem. Row numbers in expectations count
as a spreadsheet does (header = row 1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from hallbar.ingest import ImportRequest, IngestResult, read_export

KEY = bytes(range(32))
AS_OF = date(2025, 11, 1)

# The valid base export lives in corpus/base/ (small committed files). Valid test
# personnummer there (Luhn digits checked in test_ingest_pseudonym.py):
#   19630820-8906 woman, 19651122-3452 man, 19800101-0027 woman, 121212-1212 man (2012);
#   19850615-7893 (man) is a valid number not employed in the base export.
BASE_DIR = Path(__file__).parent / "corpus" / "base"
BASE_FILES: dict[str, str] = {
    p.name: p.read_text(encoding="utf-8") for p in sorted(BASE_DIR.glob("*.csv"))
}

Files = dict[str, "str | bytes | None"]


def write_export(folder: Path, overrides: Files | None = None, base: bool = True) -> Path:
    """Write the base export with ``overrides`` (None deletes a file) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files: Files = dict(BASE_FILES) if base else {}
    files.update(overrides or {})
    for name, content in files.items():
        if content is None:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def request(folder: Path, **kwargs: object) -> ImportRequest:
    params: dict[str, object] = {
        "folder": folder,
        "org_id": "1280",
        "org_name": "Exempelkommun",
        "as_of": AS_OF,
        "key": KEY,
    }
    params.update(kwargs)
    return ImportRequest(**params)  # type: ignore[arg-type]


@pytest.fixture
def run_import(tmp_path: Path) -> Callable[..., IngestResult]:
    """run_import(overrides, base=True, **request_fields) -> IngestResult."""

    def run(overrides: Files | None = None, base: bool = True, **kwargs: object) -> IngestResult:
        folder = write_export(tmp_path / "export", overrides, base)
        return read_export(request(folder, **kwargs))

    return run
