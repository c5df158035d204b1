"""The import service: validation report, all-or-nothing storage, access rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.core.errors import AccessDenied, ImportRejected
from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import import_export
from hallbar.settings import Settings
from hallbar.store import Store

AS_OF = date(2025, 12, 31)


def _hb(tmp_path: Path, store: Store) -> Hallbar:
    return Hallbar(Settings(data_dir=tmp_path / "data"), store=store)


def _import(hb: Hallbar, folder: Path, principal: Principal = SYSTEM, org_id: str = "1280"):
    return import_export(
        hb, folder=folder, org_id=org_id, org_name="Malmö stad", as_of=AS_OF, principal=principal
    )


def test_good_import_is_stored_with_a_report(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    outcome = _import(hb, export_folder)
    assert outcome.report_path.is_file()
    assert outcome.report_path.parent == tmp_path / "data" / "rapporter"
    # The export has 2 units, 4 employments and 2 absence spells.
    assert outcome.row_counts["units"] == 2
    assert outcome.row_counts["employments"] == 4
    assert outcome.row_counts["absences"] == 2
    data = hb.dataset("1280")
    assert data.as_of == AS_OF
    assert data.employments.height == 4
    assert sorted(data.employments["rate"].to_list()) == [50.0, 75.5, 100.0, 100.0]
    # Four distinct personnummer -> four persons; two women (2345, 2384), two men.
    assert data.persons.height == 4
    assert sorted(data.persons["gender"].to_list()) == ["K", "K", "M", "M"]
    assert data.organisations["name"].to_list() == ["Malmö stad"]
    [record] = store.list_imports()
    assert record.id == outcome.import_id
    assert record.created_by == "system"


def test_no_raw_personnummer_reaches_the_store(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    _import(hb, export_folder)
    data = store.load("1280")
    stored_ids = set(data.persons["person_id"]) | set(data.employments["person_id"])
    for raw in ("19121212-1212", "191212121212", "121212-1212", "1212121212"):
        assert raw not in stored_ids
    assert all(len(pid) >= 16 for pid in stored_ids)


def test_rejected_import_stores_nothing_and_names_the_problem(
    store: Store, tmp_path: Path, bad_export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    with pytest.raises(ImportRejected) as caught:
        _import(hb, bad_export_folder)
    err = caught.value
    assert err.report_path is not None and Path(err.report_path).is_file()
    assert any(
        p.file == "anstallningar.csv" and p.row == 4 and p.severity == "fel" for p in err.problems
    )
    assert store.list_imports() == []
    assert store.organisations() == []


def test_only_admin_and_hr_of_the_organisation_may_import(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    analyst = Principal(2, "eva", Role.ANALYST, frozenset({"1280"}))
    hr_elsewhere = Principal(3, "olle", Role.HR, frozenset({"1281"}))
    for principal in (analyst, hr_elsewhere):
        with pytest.raises(AccessDenied):
            _import(hb, export_folder, principal)
    assert store.list_imports() == []
    hr_here = Principal(4, "stina", Role.HR, frozenset({"1280"}))
    assert _import(hb, export_folder, hr_here).import_id > 0
