"""Key-figure web fixtures (the helpers and users are in ``figweb``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from figweb import WebEnv, make_env


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    env = make_env(tmp_path_factory.mktemp("figweb"))
    yield env
    env.hb.close()
