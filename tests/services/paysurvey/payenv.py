"""The pay-survey web tests' store: the hand-made organisation (paydata) in 9999
(shares regionally) and 8888 Annankommun, with the standard users of ``webtesting``;
and the job scoring the read-only tests start from.
"""

from __future__ import annotations

from pathlib import Path

import paydata
import webtesting
from webtesting import HR, WebEnv

from hallbar.services.context import Hallbar
from hallbar.services.paysurvey import evaluation, survey


def make_env(tmp: Path) -> WebEnv:
    datasets = {"9999": paydata.build(), "8888": paydata.build("8888", "Annankommun")}
    return webtesting.make_env(tmp, datasets, sharing=("9999",))


def score_all(hb: Hallbar, year: int = 2025) -> None:
    """Undersköterska and Lärare in the same band, Ingenjör higher."""
    model = survey.load_stored(hb, "9999", year).model
    levels = {
        "Undersköterska": 3,
        "Lärare": 3,
        "Ingenjör": 5,
    }
    for job, level in levels.items():
        evaluation.save_job_levels(
            hb, HR, "9999", year, job, {f.id: str(level) for f in model.subfactors}
        )
