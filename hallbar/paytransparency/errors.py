"""Errors of the pay-transparency workflows: each message is a Swedish sentence that says what to do.

All of them are user-correctable (``hallbar.core.errors.InputError``, status 400):
a form value to correct, or data that cannot support the answer asked for
(``InsufficientData``), where the message says which import or date would.
"""

from __future__ import annotations

from hallbar.core.errors import InputError, InsufficientData


class PayTransparencyError(InputError):
    """Base of the errors below."""


class NoPayOnDate(PayTransparencyError, InsufficientData):
    """The worker has no monthly pay in the pay frame on the date asked for."""


class NoJobEvaluation(PayTransparencyError, InsufficientData):
    """A fallback to work of equal value needs the job's value band, and the job has none."""


class SmallCategory(PayTransparencyError, InsufficientData):
    """Too few women or men even in the widest allowed category: an answer would reveal a person's pay."""


class NoPayData(PayTransparencyError, InsufficientData):
    """No pay at all on a date (e.g. a report date before the first import)."""


class InvalidInput(PayTransparencyError):
    """A form value breaks a rule (a range without a reason, criteria without a description …)."""
