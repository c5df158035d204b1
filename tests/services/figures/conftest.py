"""Key-figure web fixtures (the store and its users are in ``figweb``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from figweb import make_env
from webtesting import WebEnv


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    env = make_env(tmp_path_factory.mktemp("figweb"))
    yield env
    env.hb.close()
