"""Errors of the projection: what the user must fix, in Swedish."""

from __future__ import annotations

from hallbar.core.errors import InputError


class ProjectionInputError(InputError):
    """A scenario, rate, staff or population input that the projection cannot use."""
