"""The regional level's one input error: a code, period, network or form field that
cannot be used as given (``hallbar.core.errors`` draws the whole tree)."""

from __future__ import annotations

from hallbar.core.errors import InputError


class RegionalInputError(InputError):
    """A regional form field, code, period or network the user must correct."""
