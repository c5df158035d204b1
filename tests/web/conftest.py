"""Fixtures for the web tests; the environment itself is built in ``webenv``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from webenv import make_env
from webtesting import WebEnv


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    """One environment for read-only tests of a module (logins are cached)."""
    env = make_env(tmp_path_factory.mktemp("web"))
    yield env
    env.hb.close()


@pytest.fixture
def env(tmp_path: Path) -> Iterator[WebEnv]:
    """A fresh environment for tests that change state."""
    e = make_env(tmp_path, login_max_failures=3, login_lockout_s=600, max_file_bytes=50_000)
    yield e
    e.hb.close()
