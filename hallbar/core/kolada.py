"""The one rule that turns an organisation's official code into Kolada's id.

Kolada (the database of Sweden's municipalities and regions, kolada.se) names
every municipality and region by four digits: a municipality by its SCB code as
it is (1280 = Malmö), a region by its two-digit county code with leading zeros
(12 = Region Skåne is 0012). Reports (``hallbar.reports.kolada``) and the
regional comparison (``hallbar.regional``) both call ``kolada_municipality_code``.
"""

from __future__ import annotations

import re

from hallbar.core.errors import InputError


class KoladaCodeError(InputError):
    """A code that cannot be written as Kolada's four-digit id."""


def kolada_municipality_code(org_code: object) -> str:
    """The organisation's code as Kolada writes it: four digits.

    A municipality's code has four digits and is kept as it is; a region's has one
    or two and is padded with zeros. Anything else raises ``KoladaCodeError``.
    """
    code = "" if org_code is None else str(org_code).strip()
    if re.fullmatch(r"\d{4}", code):
        return code
    if re.fullmatch(r"\d{1,2}", code):
        return code.zfill(4)
    raise KoladaCodeError(
        f"Kommun- eller regionkoden '{code}' kan inte skrivas som Koladas kod: en kommunkod har "
        "fyra siffror (t.ex. 1280 för Malmö) och en regionkod två (t.ex. 12 för Region Skåne, "
        "0012 i Kolada). Ange organisationens kod i inställningarna eller i "
        "organisationsregistret."
    )
