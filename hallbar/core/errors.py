"""One exception tree for Hållbar.

Every message is Swedish and says what the user should do, because it is shown
as-is in the CLI (one line, no traceback) and on web pages. Developers catch
``HallbarError`` at the edges; everything else is a bug. Each class carries the
HTTP status the web answers with (``status``); the CLI always exits with 1.

    HallbarError (400)                     anything a user can act on
    ├── InputError (400)                   the user's input cannot be used as given
    │   ├── ImportRejected                 an import's files have errors; nothing stored
    │   ├── InsufficientData               the data cannot support the figure asked for
    │   ├── paysurvey.notices.PaySurveyError              a pay-survey step cannot run
    │   ├── paytransparency.errors.PayTransparencyError   a request, range, report or assessment
    │   ├── regional.errors.RegionalInputError            a network, consent or figure choice
    │   ├── services.followup.plans.FollowupInputError    a plan, node, indicator or period
    │   ├── store.followup.DuplicateName                  a plan or node name already taken
    │   ├── web.routes.followup.FormError                 a follow-up form field
    │   ├── ingest.kolada_api.KoladaFileError, core.kolada.KoladaCodeError   Kolada input
    │   ├── projection.errors.ProjectionInputError        scenario, rates, staff, forecast
    │   ├── services.figures.request.FigureInputError     year, breakdown, classification
    │   ├── services.figures.filters.FilterInputError     a population filter
    │   ├── services.paysurvey.survey.SurveyInputError    a pay-survey form field
    │   ├── services.projection.scenarios.ScenarioInputError
    │   ├── services.projection.plan.ActivityInputError
    │   ├── services.admin.auth.InvalidInput              user and password forms
    │   └── web.uploads.UploadRejected                    an upload the import cannot take
    ├── NotFound (404)                     does not exist, or is outside the user's scope
    ├── AccessDenied (403)                 the role may not use this at all
    ├── LoginFailed (401), LoginLocked (429)   services.admin.auth
    ├── ConfigurationError (500)           a setting, profile or key file is wrong
    └── store.store.StoreError (500)       the database refused; nothing changed

``hallbar.web.app`` has one handler for the whole tree (HTML page, JSON twin in
``hallbar.services.twin.failure``'s shape, or an HTMX fragment) and
``hallbar.cli.app.main`` one (a Swedish line on stderr, exit code 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar


class HallbarError(Exception):
    """Base of all errors a user can act on. ``str(err)`` is a Swedish sentence."""

    status: ClassVar[int] = 400  # the HTTP status of the web's answer

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    @classmethod
    def kind(cls) -> str:
        """A stable id for the JSON error shape: the class name in snake case."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class InputError(HallbarError):
    """The user's input (a form field, a query, a file) cannot be used as given."""

    status: ClassVar[int] = 400


class ConfigurationError(HallbarError):
    """A setting, profile or key file is missing or wrong."""

    status: ClassVar[int] = 500


@dataclass(frozen=True)
class Problem:
    """One validation finding, located as precisely as the input allows.

    ``row`` is the 1-based row number as a spreadsheet program shows it (the
    header is row 1), so a user can find the cell in Excel.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "fel"  # "fel" (error, stops the import) or "varning" (warning)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ImportRejected(InputError):
    """An import found errors and stored nothing. ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem], report_path: str | None = None) -> None:
        self.problems = problems
        self.report_path = report_path
        errors = self.errors
        first = (str(errors[0]) if errors else "okänt fel").rstrip(".")  # no ".." below
        more = f" (och {len(errors) - 1} fel till)" if len(errors) > 1 else ""
        hint = f" Se valideringsrapporten: {report_path}" if report_path else ""
        super().__init__(f"Importen avbröts och inget sparades. {first}{more}.{hint}")

    @property
    def errors(self) -> list[Problem]:
        """The errors in reading order (file, then row), as the validation report lists them."""
        found = [p for p in self.problems if p.severity == "fel"]
        return sorted(found, key=lambda p: (p.file, p.row if p.row is not None else 0))


class InsufficientData(InputError):
    """The data cannot support a figure (e.g. no working-time data, no November snapshot)."""


class NotFound(HallbarError):
    """An organisation, unit, import or other object does not exist (or is out of scope)."""

    status: ClassVar[int] = 404


class AccessDenied(HallbarError):
    """The user's role does not allow this. The message never reveals what exists."""

    status: ClassVar[int] = 403


@dataclass
class ProblemList:
    """Collects problems while validating; errors stop an import, warnings do not."""

    items: list[Problem] = field(default_factory=list)

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.items.append(Problem(file, row, column, message, "fel"))

    def warning(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.items.append(Problem(file, row, column, message, "varning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "fel"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "varning"]

    def __bool__(self) -> bool:
        return bool(self.items)
