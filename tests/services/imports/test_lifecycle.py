"""Imports that can be undone and cannot surprise (issue 10 item 7), through the import service.

The variants of the tiny export are described in ``tests/support/lifecycle_exports.py``;
the counts asserted below follow from that description by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import lifecycle_exports
import pytest

from hallbar import exampleorg
from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.core.errors import AccessDenied
from hallbar.services import audit
from hallbar.services.context import Hallbar
from hallbar.services.imports import importing
from hallbar.services.imports.importing import ImportNeedsConfirmation, import_export
from hallbar.services.paysurvey import survey
from hallbar.services.projection import scenarios, views
from hallbar.services.projection.params import default_request
from hallbar.settings import Settings
from hallbar.store import Store
from hallbar.store.store import ImportConflict

HR = Principal(1, "hr", Role.HR, frozenset({"1280"}))
ANALYST = Principal(2, "analytiker", Role.ANALYST, frozenset({"1280"}))


def _hb(tmp_path: Path, store: Store, **settings: object) -> Hallbar:
    return Hallbar(Settings(data_dir=tmp_path / "data", **settings), store=store)  # type: ignore[arg-type]


def _import(hb: Hallbar, folder: Path, **kw: object) -> importing.ImportOutcome:
    return import_export(
        hb,
        folder=folder,
        org_id="1280",
        org_name="Malmö stad",
        principal=HR,
        **kw,  # type: ignore[arg-type]
    )


def test_the_export_date_defaults_to_the_latest_date_in_the_files(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    # Counted are starts, not ends (hallbar.ingest.export_date): employments start at the
    # latest 2025-01-01 (A4), absences 2025-02-03 and 2025-03-10; A4's end 2025-06-30 is not.
    outcome = _import(_hb(tmp_path, store), export_folder)
    assert outcome.as_of == date(2025, 3, 10)


def test_a_large_drop_needs_confirmation_and_stores_nothing_until_confirmed(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    first = _import(hb, export_folder)
    with pytest.raises(ImportNeedsConfirmation) as stopped:
        _import(hb, lifecycle_exports.shrunk(export_folder, tmp_path / "liten"))
    comparison = stopped.value.comparison
    assert comparison.previous_id == first.import_id
    assert {c.table: (c.before, c.after) for c in comparison.counts} == {
        "persons": (4, 2),
        "units": (2, 2),
        "employments": (4, 2),
    }
    assert (comparison.units_kept, comparison.units_before) == (2, 2)
    assert comparison.reasons == (
        "Personer: 4 blir 2 (\u221250,0 %), en minskning med mer än 20,0 %.",
        "Anställningar: 4 blir 2 (\u221250,0 %), en minskning med mer än 20,0 %.",
        # Without A3, A4 and the absences the latest start is A2's, 2015-05-01.
        "Uttagsdatumet 2015-05-01 är före den aktiva importens uttagsdatum 2025-03-10.",
    )
    assert [r.id for r in store.list_imports("1280")] == [first.import_id]
    assert hb.dataset("1280").persons.height == 4
    [stop] = audit.entries(hb, SYSTEM, action=audit.Action.IMPORT_UNCONFIRMED)
    assert stop.username == "hr"

    confirmed = _import(hb, tmp_path / "liten", confirm=True)
    assert confirmed.comparison is not None and confirmed.comparison.needs_confirmation
    assert store.active_import_id("1280") == confirmed.import_id
    assert hb.dataset("1280").persons.height == 2


def test_a_wholesale_change_of_units_needs_confirmation(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    _import(hb, export_folder)
    with pytest.raises(ImportNeedsConfirmation) as stopped:
        _import(hb, lifecycle_exports.renamed(export_folder, tmp_path / "nya-enheter"))
    assert stopped.value.comparison.units_kept == 0
    assert stopped.value.comparison.reasons == (
        "Bara 0 av 2 enheter (0,0 %) finns kvar med samma enhets-id; gränsen är 50,0 %.",
    )


def test_the_limits_are_settings(store: Store, tmp_path: Path, export_folder: Path) -> None:
    hb = _hb(tmp_path, store, import_confirm_drop_pct=60.0)
    first = _import(hb, export_folder)
    # -50 % is within 60 %; the same export date, so only the drop is compared.
    outcome = _import(
        hb, lifecycle_exports.shrunk(export_folder, tmp_path / "liten"), as_of=first.as_of
    )
    assert outcome.comparison is not None and not outcome.comparison.needs_confirmation


def test_the_same_files_again_need_no_confirmation(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    first = _import(hb, export_folder)
    again = _import(hb, lifecycle_exports.copied(export_folder, tmp_path / "igen"))
    assert again.comparison is not None
    assert again.comparison.previous_id == first.import_id
    assert not again.comparison.needs_confirmation


def test_a_confirmation_given_against_an_import_no_longer_active_is_refused(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    first = _import(hb, export_folder)
    second = _import(hb, lifecycle_exports.copied(export_folder, tmp_path / "igen"))
    with pytest.raises(ImportConflict, match="Den aktiva importen har ändrats"):
        _import(
            hb,
            lifecycle_exports.shrunk(export_folder, tmp_path / "liten"),
            confirm=True,
            confirmed_previous=first.import_id,
        )
    assert store.active_import_id("1280") == second.import_id


def test_activate_and_undo_go_back_and_are_audit_logged(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    first = _import(hb, export_folder)
    second = _import(hb, lifecycle_exports.shrunk(export_folder, tmp_path / "liten"), confirm=True)
    assert hb.dataset("1280").persons.height == 2

    done = importing.activate(hb, HR, "1280", first.import_id)
    assert (done.active, done.replaced) == (first.import_id, second.import_id)
    assert hb.dataset("1280").persons.height == 4
    importing.activate(hb, HR, "1280", second.import_id)

    undone = importing.undo(hb, HR, "1280", second.import_id)
    assert (undone.active, undone.deleted) == (first.import_id, second.import_id)
    assert [r.id for r in store.list_imports("1280")] == [first.import_id]
    assert hb.dataset("1280").persons.height == 4

    actions = [e.action for e in audit.entries(hb, SYSTEM, org_id="1280")]
    assert actions.count(audit.Action.IMPORT_ACTIVATED) == 2
    assert actions.count(audit.Action.IMPORT_UNDONE) == 1


def test_only_importers_may_go_back(store: Store, tmp_path: Path, export_folder: Path) -> None:
    hb = _hb(tmp_path, store)
    first = _import(hb, export_folder)
    _import(hb, lifecycle_exports.copied(export_folder, tmp_path / "igen"))
    with pytest.raises(AccessDenied):
        importing.activate(hb, ANALYST, "1280", first.import_id)


def test_a_pay_survey_keeps_its_snapshot_and_its_import_cannot_be_undone(
    store: Store, tmp_path: Path, export_folder: Path
) -> None:
    hb = _hb(tmp_path, store)
    first = _import(hb, export_folder)
    info = survey.create_survey(hb, HR, "1280", year=2025, survey_date="2025-03-01")
    assert info.import_id == first.import_id
    # On 2025-03-01 all four employments run (A4: 2025-01-01 to 2025-06-30).
    before = survey.pay_frame(hb, info).height
    assert before == 4
    second = _import(hb, lifecycle_exports.shrunk(export_folder, tmp_path / "liten"), confirm=True)
    assert store.active_import_id("1280") == second.import_id
    assert survey.pay_frame(hb, info).height == before
    importing.activate(hb, HR, "1280", first.import_id)
    with pytest.raises(importing.ImportInUse, match="lönekartläggningen 2025"):
        importing.undo(hb, HR, "1280", first.import_id)


def test_a_saved_scenario_keeps_running_on_its_snapshot(tmp_path: Path) -> None:
    hb = Hallbar(Settings(data_dir=tmp_path / "data"))
    export = exampleorg.generate(size=300, seed=2, as_of=date(2025, 12, 31))
    exampleorg.write_csv_folder(export, tmp_path / "export")
    org = export.org_id
    hr = Principal(1, "hr", Role.HR, frozenset({org}))
    first = import_export(
        hb, folder=tmp_path / "export", org_id=org, org_name=export.org_name, principal=SYSTEM
    )
    saved = scenarios.save_scenario(hb, hr, org, "Bas", "", default_request(hb.settings))
    assert saved.import_id == first.import_id
    before = views.projection_view(hb, hr, org, scenarios.saved_request(saved), saved.import_id)

    # A second import without the first 40 employment rows.
    data = hb.dataset(org)
    fewer = data.with_frames(employments=data.employments.slice(40))
    second = hb.store.save_import(
        fewer, created_by="hr", profile="generic", files={}, row_counts={}
    )
    hb.invalidate(org)

    again = scenarios.get_scenario(hb, hr, org, saved.id)
    assert again.import_id == first.import_id
    kept = views.projection_view(hb, hr, org, scenarios.saved_request(again), again.import_id)
    assert kept.occupations.frame.equals(before.occupations.frame)
    active = views.projection_view(hb, hr, org, scenarios.saved_request(again))
    assert hb.store.active_import_id(org) == second
    assert not active.occupations.frame.equals(before.occupations.frame)
