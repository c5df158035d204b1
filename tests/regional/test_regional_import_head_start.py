"""A new snapshot prepares the member's regional results (issue 14): after ``hallbar import``,
an upload in the browser and ``hallbar aktivera``, the network's first regional page reads
kept results instead of computing them (docs/regional.md, "Speed")."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

import pytest
from regionalenv import login, make_regional
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.services.context import Hallbar
from hallbar.services.imports import importing
from hallbar.services.regional import figures
from hallbar.settings import Settings
from hallbar.store import regional
from hallbar.web.app import create_app

LUND = "1281"
# The demo's members consent from 2025-01-01; the default view is total sick leave and its
# gender family for the trend years up to the newest complete year of the data (2025).
TREND_YEARS = (2023, 2024, 2025)


def _default_view(min_n: int) -> set[str]:
    family = figures.FAMILIES["sick_leave_total"]
    return {f"cell|{f}|{y}|{min_n}" for f in family for y in TREND_YEARS}


def _refuse(*args: object) -> None:
    raise AssertionError("computed although the new snapshot's results should be kept")


def _cli(tmp_path: Path, *args: str) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        build_app(), [*args, "--datakatalog", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output


def _import_lund(tmp_path: Path) -> None:
    folder = tmp_path / "regional-demo" / LUND
    _cli(tmp_path, "import", str(folder), "--org", LUND, "--namn", "Lunds kommun")


def _served_from_kept_results(hb: Hallbar, monkeypatch: pytest.MonkeyPatch) -> None:
    """The network's page, in a process that has computed nothing, computes no member cell."""
    with monkeypatch.context() as patched:
        patched.setattr(figures, "_compute_cell", _refuse)
        page = login(create_app(hb.settings, hb=hb), "regional").get("/regional/skanes-kommuner")
    assert page.status_code == 200
    assert "<h1>Total sjukfrånvaro 2025</h1>" in page.text


def test_cli_import_and_activate_prepare_the_new_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hb, _ = make_regional(tmp_path)
    first = hb.store.active_import_id(LUND)
    min_n = hb.settings.min_group_size
    hb.close()

    _import_lund(tmp_path)
    hb = Hallbar(Settings(data_dir=tmp_path))
    new = hb.store.active_import_id(LUND)
    assert first is not None and new is not None and new != first
    assert _default_view(min_n) <= set(regional.member_cache(hb.store, LUND, new))
    _served_from_kept_results(hb, monkeypatch)
    hb.close()

    # Making the first import active again prepares it too.
    _cli(tmp_path, "aktivera", str(first), "--org", LUND)
    hb = Hallbar(Settings(data_dir=tmp_path))
    assert hb.store.active_import_id(LUND) == first
    assert _default_view(min_n) <= set(regional.member_cache(hb.store, LUND, first))
    _served_from_kept_results(hb, monkeypatch)
    hb.close()


def test_a_browser_upload_prepares_the_new_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hb, _ = make_regional(tmp_path)
    first = hb.store.active_import_id(LUND)
    client = login(create_app(hb.settings, hb=hb), "hrlund")
    form = client.get(f"/org/{LUND}/imports").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf
    folder = tmp_path / "regional-demo" / LUND
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(folder.glob("*.csv"))]
    # TestClient returns once the response's background task (the preparation) has run.
    response = client.post(f"/org/{LUND}/imports", data={"csrf_token": csrf.group(1)}, files=files)
    assert response.status_code == 200, response.text
    new = hb.store.active_import_id(LUND)
    assert new is not None and new != first
    assert _default_view(hb.settings.min_group_size) <= set(
        regional.member_cache(hb.store, LUND, new)
    )
    hb.close()
    again = Hallbar(Settings(data_dir=tmp_path))  # a new process: nothing in memory
    _served_from_kept_results(again, monkeypatch)
    again.close()


def test_a_failed_preparation_is_logged_and_the_import_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    hb, _ = make_regional(tmp_path)
    first = hb.store.active_import_id(LUND)
    hb.close()

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "prepare_member", broken)
    with caplog.at_level(logging.ERROR, logger=importing.__name__):
        _import_lund(tmp_path)
    hb = Hallbar(Settings(data_dir=tmp_path))
    new = hb.store.active_import_id(LUND)
    assert new is not None and new != first
    assert regional.member_cache(hb.store, LUND, new) == {}
    [record] = caplog.records
    assert record.getMessage() == f"could not prepare the regional results of {LUND}"
    assert "disk full" in caplog.text
    hb.close()


def test_only_members_sharing_key_figures_with_a_network_are_prepared(tmp_path: Path) -> None:
    hb, _ = make_regional(tmp_path)
    assert importing.shares_with_a_network(hb, LUND, date(2025, 1, 1))
    assert not importing.shares_with_a_network(hb, LUND, date(2024, 12, 31))  # before consent
    assert not importing.shares_with_a_network(hb, "9999", date(2025, 6, 1))  # no consent
    hb.close()
