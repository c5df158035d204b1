"""The user-facing text catalogue: every string a page shows is looked up by key here.

A second language is a second module with the same keys (``en.py``) plus an
entry in ``CATALOGUES``; ``tests/web/test_i18n.py`` checks that every key a
template or route uses exists in every catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

from hallbar.web.i18n.sv import MESSAGES as SV_MESSAGES

CATALOGUES: dict[str, Mapping[str, str]] = {"sv": SV_MESSAGES}
DEFAULT_LANGUAGE = "sv"


class Translator:
    """``t("key", name=...)`` → the message in one language, with ``str.format`` fields."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self.messages = CATALOGUES[language]

    def __call__(self, key: str, **fields: object) -> str:
        text = self.messages[key]  # a missing key is a bug: fail loudly, tests catch it
        return text.format(**fields) if fields else text
