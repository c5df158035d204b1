"""``hallbar import``: the organisation code, the optional export date, an unwritable report."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallbar.cli.app import main
from hallbar.store import Store


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def test_an_org_code_with_a_path_is_one_swedish_line_and_writes_nothing(
    export_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "a" / "b" / "data"
    before = _files_under(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["import", str(export_folder), "--org", "../../x", "--namn", "X",
              "--datakatalog", str(data_dir)])  # fmt: skip
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("Fel: Organisationskoden '../../x' innehåller snedstreck eller '..'")
    assert "Traceback" not in err[0]
    # Nothing at all was written: no report (inside or outside the data folder), no database.
    assert _files_under(tmp_path) == before


def test_without_datum_the_latest_date_in_the_files_is_used(
    export_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The latest start in the tiny export is the absence from 2025-03-10 (franvaro.csv).
    data_dir = tmp_path / "data"
    main(["import", str(export_folder), "--org", "1280", "--namn", "Malmö stad",
          "--datakatalog", str(data_dir)])  # fmt: skip
    out = capsys.readouterr().out
    assert "Import 1 – 1280, 2025-03-10" in out
    store = Store(f"sqlite:///{data_dir / 'hallbar.db'}")
    [record] = store.list_imports()
    assert record.as_of.isoformat() == "2025-03-10"
    store.dispose()
    [report] = (data_dir / "rapporter").iterdir()
    assert report.name.startswith("validering-1280-2025-03-10-")


def test_a_report_that_cannot_be_written_is_one_swedish_line_and_exit_1(
    export_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file where the report folder should be fails like a full disk or a read-only folder.
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "rapporter").write_text("inte en katalog", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["import", str(export_folder), "--org", "1280", "--namn", "Malmö stad",
              "--datum", "2025-12-31", "--datakatalog", str(data_dir)])  # fmt: skip
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("Fel: Valideringsrapporten kunde inte skrivas till ")
    assert err[0].endswith("Inget importerades.")
    store = Store(f"sqlite:///{data_dir / 'hallbar.db'}")
    store.migrate()  # the command stopped before its first write; the schema may be missing
    assert store.list_imports() == []
    store.dispose()


@pytest.mark.parametrize(("flag", "prepared"), [([], True), (["--utan-nyckeltal"], False)])
def test_an_import_prepares_the_key_figure_pages_unless_told_not_to(
    export_folder: Path, tmp_path: Path, flag: list[str], prepared: bool
) -> None:
    # What it prepares is kept on disk (<data_dir>/cache) for the web server to read.
    data_dir = tmp_path / "data"
    main(["import", str(export_folder), "--org", "1280", "--namn", "Malmö stad",
          "--datum", "2025-12-31", "--datakatalog", str(data_dir), "--utan-tidsserier",
          *flag])  # fmt: skip
    cache = data_dir / "cache"
    kept = {p.relative_to(cache).parts[0] for p in cache.rglob("*") if p.is_file()}
    assert ("packs" in kept) is prepared, kept
