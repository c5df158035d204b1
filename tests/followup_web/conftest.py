"""Follow-up web and service fixtures (the store and its users are in ``fuweb``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fuweb import make_env
from webtesting import WebEnv


@pytest.fixture
def env(tmp_path: Path) -> Iterator[WebEnv]:
    e = make_env(tmp_path)
    yield e
    e.hb.close()
