"""Errors of the pay-transparency workflows: each message is a Swedish sentence that says what to do."""

from __future__ import annotations

from hallbar.core.errors import HallbarError


class PayTransparencyError(HallbarError):
    """Base of the errors below."""


class NoPayOnDate(PayTransparencyError):
    """The worker has no monthly pay in the pay frame on the date asked for."""


class NoJobEvaluation(PayTransparencyError):
    """A fallback to work of equal value needs the job's value band, and the job has none."""


class SmallCategory(PayTransparencyError):
    """Too few women or men even in the widest allowed category: an answer would reveal a person's pay."""


class NoPayData(PayTransparencyError):
    """No pay at all on a date (e.g. a report date before the first import)."""


class InvalidInput(PayTransparencyError):
    """A form value breaks a rule (a range without a reason, criteria without a description …)."""
