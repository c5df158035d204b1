"""Fixtures for the pay-transparency workflow tests: Testkommun (ptdata) with a pay survey
2026 whose job evaluation puts Undersköterska and Kock in one band and Lärare in another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ptdata
import pytest
from ptdata import PT_USERS
from webtesting import HR, WebEnv, make_env

from hallbar.services.context import Hallbar
from hallbar.services.paysurvey import evaluation, survey


def score(hb: Hallbar, year: int = 2026) -> None:
    model = survey.load_stored(hb, "9999", year).model
    for job, level in {"Undersköterska": 3, "Kock": 3, "Lärare": 5}.items():
        evaluation.save_job_levels(
            hb, HR, "9999", year, job, {f.id: str(level) for f in model.subfactors}
        )


def build_env(tmp: Path) -> WebEnv:
    env = make_env(tmp, {"9999": ptdata.build(), "8888": ptdata.build("8888", "Annankommun")},
                   users=PT_USERS)  # fmt: skip
    survey.create_survey(env.hb, HR, "9999", year=2026, survey_date="2026-09-30", participants="")
    score(env.hb)
    return env


@pytest.fixture
def env(tmp_path: Path) -> Iterator[WebEnv]:
    e = build_env(tmp_path)
    yield e
    e.hb.close()


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    """One environment for read-only tests of a module."""
    e = build_env(tmp_path_factory.mktemp("pt"))
    yield e
    e.hb.close()
