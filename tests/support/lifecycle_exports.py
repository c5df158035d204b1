"""Variants of the tiny export of ``tests/conftest.py`` for the import-lifecycle tests.

Built from the files of the ``export_folder`` fixture (2 units, 4 employments A1–A4,
4 persons, 2 absence spells):

* ``shrunk``: the units, employments A1 and A2 only, no absences: persons and
  employments each fall from 4 to 2 (−50 %), both unit ids stay;
* ``renamed``: every row, but the units are X1 and X2: 0 of 2 unit ids stay;
* ``copied``: the same files again.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def _text(export: Path, name: str) -> str:
    return (export / name).read_text(encoding="utf-8-sig")


def shrunk(export: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "enheter.csv").write_text(_text(export, "enheter.csv"), encoding="utf-8")
    kept = _text(export, "anstallningar.csv").splitlines()[:3]  # the header, A1 and A2
    (folder / "anstallningar.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    header = _text(export, "franvaro.csv").splitlines()[0]
    (folder / "franvaro.csv").write_text(header + "\n", encoding="utf-8")
    return folder


def renamed(export: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in sorted(export.glob("*.csv")):
        lines = []
        for line in _text(export, path.name).splitlines():
            cells = ["X" + c[1:] if c in ("U1", "U2") else c for c in line.split(";")]
            lines.append(";".join(cells))
        (folder / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def copied(export: Path, folder: Path) -> Path:
    shutil.copytree(export, folder)
    return folder


def save_first_import_in_process(
    url: str, snapshot_dir: str | None, data: object, barrier: object, results: object
) -> None:
    """A child process's first import of an organisation (``expected_active=None``),
    started at ``barrier``; puts "sparad" or the Swedish conflict message on ``results``."""
    from hallbar.store import Store
    from hallbar.store.store import ImportConflict

    store = Store(url, snapshot_dir=Path(snapshot_dir) if snapshot_dir else None)
    barrier.wait()  # type: ignore[attr-defined]
    try:
        store.save_import(
            data,  # type: ignore[arg-type]
            created_by="process",
            profile="generic",
            files={},
            row_counts={},
            expected_active=None,
        )
        results.put("sparad")  # type: ignore[attr-defined]
    except ImportConflict as err:
        results.put(err.message)  # type: ignore[attr-defined]
    finally:
        store.dispose()
