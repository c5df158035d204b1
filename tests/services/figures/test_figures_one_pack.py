"""A page showing several years computes one pack (its own year's), not one per year,
and gives the same numbers as a whole pack per year would (issue 15, item 3).

figdata (tests/support/figdata.py) has working time for 2023, 2024 and 2025.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import figdata
import pytest
from figweb import HR

from hallbar.indicators import Params, compute_pack
from hallbar.services.context import Hallbar
from hallbar.services.figures import overview, request, views
from hallbar.services.figures.request import FigureRequest
from hallbar.services.imports import importing
from hallbar.settings import Settings


@pytest.fixture
def hb(tmp_path: Path) -> Iterator[Hallbar]:
    root = Hallbar(Settings(data_dir=tmp_path))
    root.store.save_import(
        figdata.build(), created_by="test", profile="generic", files={}, row_counts={}
    )
    yield root
    root.close()


@pytest.fixture
def packs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    years: list[int] = []

    def counting(data, params):  # type: ignore[no-untyped-def]
        years.append(params.year)
        return compute_pack(data, params)

    monkeypatch.setattr(request, "compute_pack", counting)
    return years


def test_the_note_page_computes_one_pack_for_three_years(hb: Hallbar, packs: list[int]) -> None:
    view = overview.sick_leave_note_view(hb, HR, "9999", FigureRequest(year=2025))
    assert packs == [2025]
    assert [y.year for y in view.years()] == [2025, 2024, 2023]
    # The earlier years are the notes a whole pack of that year holds.
    for year in view.previous:
        pack = compute_pack(hb.dataset("9999"), _params(hb, year.year))
        expected = overview.protect_note(pack.notes[0], hb.settings.sick_leave_min_group)
        assert year == expected


def test_the_priority_areas_compute_one_pack_and_the_same_trends(
    hb: Hallbar, packs: list[int]
) -> None:
    view = views.dashboard_view(hb, HR, "9999", FigureRequest(year=2025))
    assert packs == [2025]
    health = next(a for a in view.areas if a.key == "health")
    assert health.trend_years == ("2023", "2024", "2025")
    for year, value in zip((2023, 2024), health.trend_values, strict=False):
        pack = compute_pack(hb.dataset("9999"), _params(hb, year))
        expected = pack.results["sick_leave_total"].frame["value"][0]
        assert value == pytest.approx(expected, rel=1e-12)


def test_a_restart_reads_the_pack_from_disk(hb: Hallbar, packs: list[int]) -> None:
    first = overview.overview(hb, HR, "9999", FigureRequest(year=2025))
    assert packs == [2025]
    restarted = Hallbar(Settings(data_dir=hb.settings.data_dir))  # a restart: same data dir
    again = overview.overview(restarted, HR, "9999", FigureRequest(year=2025))
    assert packs == [2025]  # not computed again
    assert [c.headline for a in again.areas for c in a.cards] == [
        c.headline for a in first.areas for c in a.cards
    ]
    restarted.close()


def _params(hb: Hallbar, year: int) -> Params:
    return Params.from_settings(hb.settings, year)


def test_after_an_import_the_first_figure_pages_read_kept_results(
    hb: Hallbar, packs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    notes: list[int] = []
    compute_notes = request.sick_leave_notes

    def counting_notes(data, params):  # type: ignore[no-untyped-def]
        notes.append(params.year)
        return compute_notes(data, params)

    monkeypatch.setattr(request, "sick_leave_notes", counting_notes)
    importing.prepare_new_snapshot(hb, "9999", trends=False)
    # The default page: the latest year's pack, and the note of the two years before it.
    assert packs == [2025]
    assert sorted(notes) == [2023, 2024]
    # A restart (a new services root, nothing in memory): HR's first visit to both pages
    # reads what the import prepared, computing nothing.
    again = Hallbar(hb.settings)
    try:
        page = overview.overview(again, HR, "9999", FigureRequest())
        note = overview.sick_leave_note_view(again, HR, "9999", FigureRequest())
    finally:
        again.close()
    assert packs == [2025] and sorted(notes) == [2023, 2024]
    assert page.areas and [y.year for y in note.years()] == [2025, 2024, 2023]
