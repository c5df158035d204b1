"""NUL and other control characters are refused alike on SQLite and PostgreSQL
(issue 10: a NUL in a unit name was stored on SQLite but failed on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallbar.core.access import SYSTEM
from hallbar.core.errors import ImportRejected
from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import import_export
from hallbar.settings import Settings

BOTH = pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def _hallbar(database_url: str, tmp_path: Path) -> Hallbar:
    return Hallbar(
        Settings(
            data_dir=tmp_path / "data",
            database_url=database_url,
            snapshot_dir=tmp_path / "data" / "snapshots",
        )
    )


@BOTH
@pytest.mark.parametrize("char", ["\x00", "\x1b"], ids=["NUL", "ESC"])
def test_a_control_character_in_a_file_is_refused_with_file_row_and_column(
    database_url: str, export_folder: Path, tmp_path: Path, char: str
) -> None:
    units = export_folder / "enheter.csv"
    units.write_text(
        units.read_text(encoding="utf-8").replace("Hemtjänst Öster", f"Hemtjänst{char}Öster"),
        encoding="utf-8",
    )
    hb = _hallbar(database_url, tmp_path)
    try:
        with pytest.raises(ImportRejected) as rejected:
            import_export(hb, folder=export_folder, org_id="1280", org_name="Malmö stad",
                          principal=SYSTEM)  # fmt: skip
        [problem] = [p for p in rejected.value.problems if p.severity == "fel"]
        code = ord(char)
        assert (problem.file, problem.row, problem.column) == ("enheter.csv", 3, "enhetsnamn")
        assert problem.message.startswith(f"Cellen innehåller ett otillåtet styrtecken (kod {code}")
        assert hb.store.list_imports() == []
    finally:
        hb.close()


@BOTH
def test_a_control_character_in_the_organisation_name_is_refused(
    database_url: str, export_folder: Path, tmp_path: Path
) -> None:
    hb = _hallbar(database_url, tmp_path)
    try:
        with pytest.raises(ImportRejected) as refused:
            import_export(hb, folder=export_folder, org_id="1280", org_name="Malmö\x00stad",
                          principal=SYSTEM)  # fmt: skip
        assert "Organisationens namn innehåller ett otillåtet styrtecken" in str(refused.value)
        assert hb.store.list_imports() == []
    finally:
        hb.close()
