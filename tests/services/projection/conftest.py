"""Projection web fixtures (the store is built in ``projweb``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from projweb import make_env
from webtesting import WebEnv


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    env = make_env(tmp_path_factory.mktemp("projweb"))
    yield env
    env.hb.close()


@pytest.fixture
def env(tmp_path: Path) -> Iterator[WebEnv]:
    e = make_env(tmp_path)
    yield e
    e.hb.close()
