"""A trend's period models: built after an import, or in the background while the page
says how far they are; never a period shown without its model.

The organisation is the hand-made one of ``test_trend_periods`` (units P and C, staff
all of 2025): twelve months, so a monthly trend needs twelve period models.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import webtesting
from test_trend_periods import ANALYST, ORG, USERS, organisation

from hallbar.indicators.params import Params
from hallbar.privacy.model import DisclosureModel
from hallbar.services import disclosure
from hallbar.services.context import Hallbar
from hallbar.services.figures import views
from hallbar.services.figures.request import FigureRequest
from hallbar.services.imports import importing
from hallbar.services.memo import HbCache

MONTHS = 12  # January … December 2025 (hand count: the data's year)


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Period models of their own (memory and disk folder) for this test only."""
    monkeypatch.setattr(disclosure, "_period_models", HbCache(48, persist="trend-models-test"))


def _trend(env: webtesting.WebEnv, figure: str = "headcount") -> views.TrendView:
    return views.trend_view(env.hb, ANALYST, ORG, FigureRequest(2025, unit_id="C"), figure, "month")


def _entries(hb: Hallbar, figure: str) -> list[disclosure.PeriodModel]:
    record, full = hb.snapshot(ORG)
    params = Params.from_settings(hb.settings, 2025)
    return views.trend_models(hb, ORG, record.id, full, params, figure, "month", [2025])


def _wait_until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not check():
        assert time.monotonic() < deadline, "the background build did not finish"
        time.sleep(0.05)


def test_after_an_import_every_period_of_every_trend_has_its_model(
    tmp_path: Path, fresh_cache: None
) -> None:
    env = webtesting.make_env(tmp_path, {ORG: organisation()}, users=USERS)
    # Staff figures count on each month's first day; the data has no working time, so
    # the figures over working time have no period.
    assert len(_entries(env.hb, "headcount")) == MONTHS
    assert _entries(env.hb, "sick_leave_total") == []
    assert not any(e.ready(env.hb) for e in _entries(env.hb, "headcount"))
    importing.prepare_new_snapshot(env.hb, ORG)  # the post-import hook
    for figure in ("headcount", "fte"):
        assert all(e.ready(env.hb) for e in _entries(env.hb, figure)), figure
    # Kept on disk: a new services root (a restart, a second worker) finds them built.
    again = Hallbar(env.settings)
    try:
        assert all(e.ready(again) for e in _entries(again, "headcount"))
    finally:
        again.close()


def test_by_default_only_a_small_organisation_waits_for_its_trend_models(
    tmp_path: Path, fresh_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command line waits for the post-import step; a large organisation's models take
    # minutes each, so by default they are left to the trend pages' background build.
    env = webtesting.make_env(tmp_path, {ORG: organisation()}, users=USERS)
    monkeypatch.setattr(importing, "SMALL_ORGANISATION", 0)  # every organisation is large
    assert importing.prepare_new_snapshot(env.hb, ORG, trends=None) is False
    # Only the month of the key figures' snapshot date (1 November) is built: its model is
    # the key-figure page's, which the import prepares (``overview.prepare_pages``).
    ready = [e.ready(env.hb) for e in _entries(env.hb, "headcount")]
    assert ready == [month == 11 for month in range(1, MONTHS + 1)]
    monkeypatch.setattr(importing, "SMALL_ORGANISATION", 10_000)
    assert importing.prepare_new_snapshot(env.hb, ORG, trends=None) is True
    assert all(e.ready(env.hb) for e in _entries(env.hb, "headcount"))


def test_a_trend_without_its_models_says_how_far_they_are_and_shows_no_period(
    tmp_path: Path, fresh_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = webtesting.make_env(tmp_path, {ORG: organisation()}, users=USERS)
    # The page builds nothing itself (as for a large organisation), and the background
    # build waits until the test lets it go on.
    monkeypatch.setattr(views, "WAIT_FOR_MODELS_S", 0.0)
    gate = threading.Event()
    build = disclosure._build

    def held(*args: object) -> DisclosureModel:
        if threading.current_thread().name.startswith("period-models"):
            assert gate.wait(60)
        return build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(disclosure, "_build", held)
    view = _trend(env)
    assert view.progress is not None
    # November counts on the snapshot date (1 November): its model is the snapshot's
    # own, built when the page opened the key figures' selection.
    assert (view.progress.done, view.progress.total) == (1, MONTHS)
    assert view.table is None and view.svg == ""
    assert view.progress.message_sv.startswith("Tidsserien beräknas: 1 av 12 månader klara.")
    gate.set()
    import_id = env.hb.snapshot(ORG)[0].id
    _wait_until(lambda: not disclosure.building(env.hb, ORG, import_id))
    done = _trend(env)
    assert done.progress is None and done.table is not None
    # The same months as the hand count of test_trend_periods: C hidden January–June.
    counts = [r["Antal personer"] for r in done.table.frame.to_dicts()]
    assert counts == [None] * 6 + [10] * 6


def test_a_small_organisation_builds_its_models_within_the_page(
    tmp_path: Path, fresh_cache: None
) -> None:
    env = webtesting.make_env(tmp_path, {ORG: organisation()}, users=USERS)
    view = _trend(env)
    assert view.progress is None and view.table is not None
    assert all(e.ready(env.hb) for e in _entries(env.hb, "headcount"))
