"""The column-mapping service: staged uploads, access, saving a profile and importing with it;
and the saved profile used by ``hallbar import --profil``."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.core.errors import AccessDenied, InputError, NotFound
from hallbar.ingest.mapping import FileMapping, MappingRejected, preview_file, write_profile
from hallbar.services import audit
from hallbar.services.context import Hallbar
from hallbar.services.imports import mapping, staging, uploads
from hallbar.services.imports.importing import import_export
from hallbar.settings import Settings
from hallbar.store import Store

AS_OF = date(2025, 12, 31)
HR = Principal(11, "hr1280", Role.HR, frozenset({"1280"}))
OTHER_HR = Principal(12, "hr1280b", Role.HR, frozenset({"1280"}))
FOREIGN_HR = Principal(13, "hr1281", Role.HR, frozenset({"1281"}))
ANALYST = Principal(14, "analytiker", Role.ANALYST, frozenset({"1280"}))

UNITS_FILE = "Kostnadsstallen.csv"
EMPLOYMENTS_FILE = "Personalrapport_2025-12.csv"
# Units 10 and 20 under 1; four employments, personnummer from tests/ingest/conftest.py
FILES = {
    UNITS_FILE: "Kst;Över;Benämning\n1;;Kommunen\n10;1;Skola\n20;1;Omsorg\n",
    EMPLOYMENTS_FILE: (
        "Löpnr;Pers.nr;Kst;Form;Omfattning;Startdag;Ledare\n"
        "E1;19630820-8906;1;tillsvidare;100;2015-03-01;ja\n"
        "E2;19651122-3452;10;tillsvidare;100;2018-08-15;nej\n"
        "E3;19800101-0027;20;visstid;75;2024-06-01;nej\n"
        "E4;121212-1212;20;tillsvidare;50;2025-01-07;nej\n"
    ),
}
UNITS_MAP = {"unit_id": "Kst", "parent_id": "Över", "name": "Benämning"}
EMPLOYMENTS_MAP = {
    "employment_id": "Löpnr",
    "person_id": "Pers.nr",
    "unit_id": "Kst",
    "employment_form": "Form",
    "rate": "Omfattning",
    "start_date": "Startdag",
    "is_manager": "Ledare",
}


def _odd_export(folder: Path) -> tuple[Path, ...]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tuple(sorted(folder / name for name in FILES))


@pytest.fixture
def hb(store: Store, tmp_path: Path, export_folder: Path) -> Hallbar:
    """Organisation 1280 exists (imported from the base export)."""
    root = Hallbar(Settings(data_dir=tmp_path / "data"), store=store)
    import_export(
        root, folder=export_folder, org_id="1280", org_name="Malmö stad", principal=SYSTEM
    )
    return root


def _choice(files: tuple[Path, ...]) -> mapping.MappingChoice:
    """The user's mapping by file position (files are staged in sorted order)."""
    by_name = {UNITS_FILE: ("units", UNITS_MAP), EMPLOYMENTS_FILE: ("employments", EMPLOYMENTS_MAP)}
    chosen = [by_name[p.name] for p in files]
    return mapping.MappingChoice(
        {i: table for i, (table, _) in enumerate(chosen)},
        {i: columns for i, (_, columns) in enumerate(chosen)},
    )


def test_unmatched_files_are_staged_and_matching_ones_are_not(
    hb: Hallbar, tmp_path: Path, export_folder: Path
) -> None:
    files = _odd_export(tmp_path / "odd")
    url = mapping.offer_mapping(hb, HR, "1280", files)
    assert url is not None and url.startswith("/org/1280/imports/mapping/")
    token = url.rsplit("/", 1)[1]
    staged = mapping.staged_upload(hb, HR, "1280", token)
    assert [p.name for p in staged.files] == [p.name for p in files]
    assert staged.folder.parent == tmp_path / "data" / staging.MAPPING.folder
    assert stat.S_IMODE(staged.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(staged.files[0].stat().st_mode) == 0o600
    good = tuple(sorted(export_folder.glob("*.csv")))
    assert mapping.offer_mapping(hb, HR, "1280", good) is None


def test_the_page_proposes_tables_and_columns(hb: Hallbar, tmp_path: Path) -> None:
    files = _odd_export(tmp_path / "odd")
    token = mapping.stage_upload(hb, HR, "1280", files)
    view = mapping.mapping_view(hb, HR, "1280", token)
    by_file = {f.preview.file: f for f in view.files}
    units, employments = by_file[UNITS_FILE], by_file[EMPLOYMENTS_FILE]
    # generic.toml lists "benämning" for the unit name: the headers point to units
    assert (units.table, units.proposal.how_table) == ("units", "rubriker")
    assert {c.column: c.header for c in units.columns}["name"] == "Benämning"
    assert {c.column: c.header for c in units.columns}["unit_id"] is None
    assert employments.table == "employments"  # generic.toml: personal*
    assert employments.preview.rows[0][1] == "19630820-****"
    chosen = {c.column: c.header for c in employments.columns}
    assert chosen["person_id"] == "Pers.nr"  # forkortad.toml lists "Pers.nr"
    assert chosen["employment_id"] is None  # "Löpnr" is nobody's synonym
    # another table chosen for the file: that table's columns are shown
    choice = mapping.MappingChoice({view.files.index(units): "agency_staff"}, {})
    again = mapping.mapping_view(hb, HR, "1280", token, choice)
    assert [c.column for c in again.files[view.files.index(units)].columns] == [
        "unit_id",
        "occupation",
        "month",
        "hours",
        "cost",
    ]


def test_save_and_import_round_trip(hb: Hallbar, tmp_path: Path) -> None:
    files = _odd_export(tmp_path / "odd")
    token = mapping.stage_upload(hb, HR, "1280", files)
    staged = mapping.staged_upload(hb, HR, "1280", token)
    # The mapped export replaces every unit of the active import: it waits for the
    # confirm step on the imports page (docs/data-format.md §8), then is stored.
    with pytest.raises(uploads.AwaitsConfirmation) as waiting:
        mapping.save_and_import(hb, HR, "1280", token, "lonerapport", _choice(files))
    kept = waiting.value.url.rsplit("=", 1)[1]
    assert uploads.pending(hb, HR, "1280", kept).profile == "lonerapport"
    outcome = uploads.confirm_pending(hb, HR, "1280", kept, hb.store.active_import_id("1280"))
    assert outcome.row_counts == {"units": 3, "employments": 4}
    data = hb.dataset("1280")
    assert sorted(data.units["unit_id"].to_list()) == ["1", "10", "20"]
    assert sorted(data.employments["rate"].to_list()) == [50.0, 75.0, 100.0, 100.0]
    assert not staged.folder.exists()  # the staged export (with personnummer) is gone
    [entry] = audit.entries(hb, SYSTEM, action=audit.Action.PROFILE_SAVED)
    assert (entry.username, entry.org_id, entry.target) == ("hr1280", "1280", "lonerapport")
    assert "lonerapport" in mapping.upload_profiles(hb, HR, "1280")
    [record] = [r for r in hb.store.list_imports("1280") if r.id == outcome.import_id]
    assert record.profile == "lonerapport"


def test_a_bad_mapping_saves_nothing_and_keeps_the_files(hb: Hallbar, tmp_path: Path) -> None:
    files = _odd_export(tmp_path / "odd")
    token = mapping.stage_upload(hb, HR, "1280", files)
    choice = _choice(files)
    units_at = [p.name for p in files].index(UNITS_FILE)
    columns = {**choice.columns, units_at: {"unit_id": "Kst", "name": "Kst"}}
    with pytest.raises(MappingRejected) as caught:
        mapping.save_and_import(
            hb, HR, "1280", token, "x", mapping.MappingChoice(choice.tables, columns)
        )
    assert [(p.file, p.column) for p in caught.value.problems] == [(UNITS_FILE, "Kst")]
    assert not (tmp_path / "data" / "profiler" / "x.toml").exists()
    assert audit.entries(hb, SYSTEM, action=audit.Action.PROFILE_SAVED) == []
    assert mapping.staged_upload(hb, HR, "1280", token).files


def test_staged_files_belong_to_their_user_and_organisation(hb: Hallbar, tmp_path: Path) -> None:
    token = mapping.stage_upload(hb, HR, "1280", _odd_export(tmp_path / "odd"))
    with pytest.raises(NotFound):
        mapping.mapping_view(hb, OTHER_HR, "1280", token)
    with pytest.raises(NotFound):
        mapping.mapping_view(hb, FOREIGN_HR, "1280", token)
    with pytest.raises(AccessDenied):
        mapping.mapping_view(hb, ANALYST, "1280", token)
    with pytest.raises(AccessDenied):
        mapping.stage_upload(hb, ANALYST, "1280", _odd_export(tmp_path / "odd2"))
    for bad in ("../../data", "x", token + "/..", ""):
        with pytest.raises(NotFound):
            mapping.staged_upload(hb, HR, "1280", bad)


def test_expired_staging_is_deleted(hb: Hallbar, tmp_path: Path) -> None:
    token = mapping.stage_upload(hb, HR, "1280", _odd_export(tmp_path / "odd"))
    folder = tmp_path / "data" / staging.MAPPING.folder / token
    old = folder.stat().st_mtime - staging.MAPPING.max_age_s - 60
    os.utime(folder, (old, old))
    with pytest.raises(NotFound):
        mapping.staged_upload(hb, HR, "1280", token)
    assert not folder.exists()


def test_staging_for_mapping_leaves_uploads_awaiting_confirmation(
    hb: Hallbar, tmp_path: Path
) -> None:
    # An upload waits a day for its confirmation; a mapping staged three hours later
    # sweeps its own two-hour-old folders, not that one.
    waiting = _odd_export(tmp_path / "waiting")
    token = uploads.keep_pending(hb, HR, "1280", waiting, None)
    folder = tmp_path / "data" / staging.CONFIRMATION.folder / token
    three_hours_ago = folder.stat().st_mtime - 3 * 3600
    os.utime(folder, (three_hours_ago, three_hours_ago))
    mapping.stage_upload(hb, HR, "1280", _odd_export(tmp_path / "odd"))
    assert uploads.pending(hb, HR, "1280", token).staged.files
    assert folder.is_dir()


def test_upload_profile_choice_accepts_listed_names_only(hb: Hallbar) -> None:
    assert mapping.upload_profile(hb, HR, "1280", "engelska") == "engelska"
    for bad in ("../../etc/x.toml", "/tmp/x.toml", "finns-inte"):
        with pytest.raises(InputError):
            mapping.upload_profile(hb, HR, "1280", bad)


def test_cli_imports_with_a_saved_profile(tmp_path: Path) -> None:
    export = tmp_path / "odd"
    files = _odd_export(export)
    data_dir = tmp_path / "data"
    headers = {p.name: preview_file(p, 10**7).headers for p in files}
    write_profile(
        data_dir / "profiler",
        "lonerapport",
        [
            FileMapping(UNITS_FILE, "units", UNITS_MAP),
            FileMapping(EMPLOYMENTS_FILE, "employments", EMPLOYMENTS_MAP),
        ],
        headers,
        saved_by="hr",
        on=date(2026, 1, 1),
    )
    args = [
        "import",
        str(export),
        "--org",
        "1280",
        "--namn",
        "Malmö stad",
        "--datakatalog",
        str(data_dir),
        "--databas",
        f"sqlite:///{data_dir / 'hallbar.db'}",
    ]
    runner = CliRunner(env={"COLUMNS": "200"})
    refused = runner.invoke(build_app(), args)
    assert refused.exit_code != 0
    result = runner.invoke(build_app(), [*args, "--profil", "lonerapport"])
    assert result.exit_code == 0, result.output
    store = Store(f"sqlite:///{data_dir / 'hallbar.db'}")
    [record] = store.list_imports()
    assert record.row_counts == {"units": 3, "employments": 4}
    assert record.profile == "lonerapport"
    store.dispose()
