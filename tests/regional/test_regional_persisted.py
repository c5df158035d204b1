"""A member's regional results are kept per snapshot: read by a new process, never stale."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from regionalenv import make_regional

from hallbar.regional.disclosure import MemberCell
from hallbar.services.context import Hallbar
from hallbar.services.regional import figures
from hallbar.services.regional.scope import member_data
from hallbar.settings import Settings
from hallbar.store import regional

FAMILY = figures.FAMILIES["sick_leave_total"]
YEARS = (2024, 2025)


def _refuse(*args: object) -> None:
    raise AssertionError("computed again although the snapshot's results are kept")


def _assert_same_figures(
    ours: Mapping[object, MemberCell | None], reference: Mapping[object, MemberCell | None]
) -> None:
    """Equal cells; sums of hours equal but for their last bits: Polars sums a column in
    parallel pieces, so a computation run again may add the same hours in another order
    (at most a few 1e-16 relative, far below any shown decimal)."""
    assert ours.keys() == reference.keys()
    for key, cell in reference.items():
        got = ours[key]
        assert cell is not None and got is not None, key
        assert (got.code, got.key, got.n, got.released) == (
            cell.code,
            cell.key,
            cell.n,
            cell.released,
        ), key
        for name in ("value", "numerator", "denominator"):
            assert getattr(got, name) == pytest.approx(getattr(cell, name), rel=1e-12), key


def test_results_survive_a_new_process_and_a_new_import_recomputes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hb, _ = make_regional(tmp_path)
    # Granting consent (the demo grants each member's) prepared the default view already:
    # total sick leave and its gender family for the trend years 2023–2025.
    lomma = hb.store.active_import_id("1262")
    assert lomma is not None
    prepared = regional.member_cache(hb.store, "1262", lomma)
    min_n = hb.settings.min_group_size
    assert {f"cell|{f}|{y}|{min_n}" for f in FAMILY for y in (2023, 2024, 2025)} <= set(prepared)
    first = figures.member_cells(hb, "1281", FAMILY, YEARS)
    assert all(cell is not None for cell in first.values())
    import_id = hb.store.active_import_id("1281")
    assert import_id is not None
    kept = regional.member_cache(hb.store, "1281", import_id)
    assert {f"cell|{f}|{y}|{hb.settings.min_group_size}" for f in FAMILY for y in YEARS} <= set(
        kept
    )
    data = member_data(hb, "1281")
    hb.close()

    # A new process (a new Hallbar on the same data directory) reads them, computing nothing.
    monkeypatch.setattr(figures, "_compute_cell", _refuse)
    again = Hallbar(Settings(data_dir=tmp_path))
    assert figures.member_cells(again, "1281", FAMILY, YEARS) == first

    # A new import of the member has a new id: its results are computed afresh.
    again.store.save_import(data, created_by="test", profile="generic", files={}, row_counts={})
    with pytest.raises(AssertionError, match="computed again"):
        figures.member_cells(again, "1281", FAMILY, YEARS)
    monkeypatch.undo()
    fresh = figures.member_cells(again, "1281", FAMILY, YEARS)
    _assert_same_figures(fresh, first)  # the same data give the same figures
    assert regional.member_cache(again.store, "1281", import_id) == {}  # the old import's: gone
    again.close()
