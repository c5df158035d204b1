"""Fixtures for the pay-survey web tests (the store is built in ``payenv``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from payenv import make_env, score_all
from webtesting import HR, WebEnv

from hallbar.services.paysurvey import survey


@pytest.fixture
def env(tmp_path: Path) -> Iterator[WebEnv]:
    e = make_env(tmp_path)
    yield e
    e.hb.close()


@pytest.fixture(scope="module")
def surveyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    """A survey for 2025 with every job scored (read-only tests)."""
    e = make_env(tmp_path_factory.mktemp("pay"))
    survey.create_survey(
        e.hb, HR, "9999", year=2025, survey_date="2025-11-01", participants="Kommunal"
    )
    score_all(e.hb)
    yield e
    e.hb.close()
