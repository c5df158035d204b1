"""The catalogue of the web frame's own texts: labels, buttons, headings and messages
the templates and routes write themselves, looked up by key.

What it does not hold: the texts that come with the data. Figure names,
definitions, table titles, notes and error messages are Swedish sentences built
where their rule lives (``hallbar.indicators``, ``hallbar.services``,
``hallbar.core``) and reach the page, the JSON twin and the exports alike; role
names are ``hallbar.core.access.ROLE_LABELS_SV``. A second interface language
would therefore translate those modules too (gettext/Babel is the tool), not only
add a module here. ``tests/web/test_i18n_format.py`` checks that every key a
template or route uses exists in every catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

from hallbar.web.i18n import sv

CATALOGUES: dict[str, Mapping[str, str]] = {"sv": sv.MESSAGES}
DEFAULT_LANGUAGE = "sv"


class Translator:
    """``t("key", name=...)`` → the message in one language, with ``str.format`` fields."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self.messages = CATALOGUES[language]

    def __call__(self, key: str, **fields: object) -> str:
        text = self.messages[key]  # a missing key is a bug: fail loudly, tests catch it
        return text.format(**fields) if fields else text
