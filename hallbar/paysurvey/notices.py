"""Errors and notices of the pay survey.

A *notice* is a finding that does not stop the survey (a warning or a piece of
information shown beside the results). An *error* (an ``InputError``
subclass) means one step cannot run; ``run_survey`` turns it into a notice and
carries on with the other steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from hallbar.core.errors import InputError, Problem

Level = Literal["varning", "information"]


@dataclass(frozen=True)
class Notice:
    """A Swedish message about one step of the survey.

    ``code`` is a stable English id (for tests and filters); ``step`` names the
    survey step (e.g. ``"lika_arbete"``); ``subject`` the job, band or column
    concerned, when there is one.
    """

    code: str
    message_sv: str
    level: Level = "varning"
    step: str = ""
    subject: str | None = None
    person_ids: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return self.message_sv


class PaySurveyError(InputError):
    """Base of errors that stop one step of the pay survey."""


class EvaluationInvalid(PaySurveyError):
    """The job evaluation model or its scores are invalid. ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        first = str(problems[0]) if problems else "okänt fel"
        more = f" (och {len(problems) - 1} fel till)" if len(problems) > 1 else ""
        super().__init__(f"Arbetsvärderingen kan inte användas. {first}{more}.")
        self.problems = problems


class SingularRegression(PaySurveyError):
    """The regression cannot be estimated (collinear or constant covariates, too few rows)."""


class InvalidPayData(PaySurveyError):
    """The pay frame lacks a column or a group cannot be compared."""


class SmallGroup(PaySurveyError):
    """Too few women or men for a statistical test (the small-group rule)."""


class InvalidAction(PaySurveyError):
    """An adjustment or its timetable breaks the rules (e.g. longer than three years)."""
