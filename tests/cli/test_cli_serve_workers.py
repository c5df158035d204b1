"""``hallbar serve --workers N``: worker processes built from the same settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hallbar.cli.app import build_app
from hallbar.web.app import SETTINGS_ENV, create_app_from_environment


def test_workers_start_uvicorn_with_the_app_factory_and_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[object, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.delenv(SETTINGS_ENV, raising=False)
    data = tmp_path / "data"
    result = CliRunner().invoke(
        build_app(), ["serve", "--datakatalog", str(data), "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    [(app, kw)] = calls
    # Several processes need an import string; each builds its own app.
    assert app == "hallbar.web.app:create_app_from_environment"
    assert kw["factory"] is True and kw["workers"] == 2
    assert (kw["host"], kw["port"]) == ("127.0.0.1", 8000)
    # A worker's app has the command's settings (here the data directory).
    worker = create_app_from_environment()
    assert worker.state.settings.data_dir == data  # type: ignore[attr-defined]
    os.environ.pop(SETTINGS_ENV, None)


def test_zero_workers_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["serve", "--datakatalog", str(tmp_path), "--workers", "0"]
    )
    assert result.exit_code != 0
