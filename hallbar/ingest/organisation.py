"""Organisation codes: what an import may be filed under.

The code names folders and report files (``rapporter/validering-1280-…``), so it
must never be able to point outside the data folder. Accepted forms:

* a municipality code, four digits (``1280`` Malmö); SCB's codes start with the
  county's two digits, 01–25, so 9000–9999 are never real and are used for test
  and example organisations (``9999`` Exempelkommun);
* a region code, two digits (``12`` Region Skåne; ``99`` for a test region);
* an organisation number, six digits, a hyphen and four digits (``222000-1234``),
  for associations (kommunalförbund) that have no municipality or region code.
"""

from __future__ import annotations

import re

from hallbar.core.errors import HallbarError

ORG_CODE_PATTERN = re.compile(r"^([0-9]{2}|[0-9]{4}|[0-9]{6}-[0-9]{4})$")
TEST_ORG_PATTERN = re.compile(r"^(9[0-9]{3}|99)$")  # never a real municipality or region


class InvalidOrgCode(HallbarError):
    """The organisation code is not one the import can be filed under."""


def validate_org_code(code: str) -> str:
    """Return the code without surrounding spaces, or raise ``InvalidOrgCode`` (Swedish)."""
    text = code.strip()
    if ORG_CODE_PATTERN.match(text):
        return text
    if any(ch in text for ch in "/\\") or ".." in text or "\x00" in text:
        reason = "innehåller snedstreck eller '..', som kan peka ut andra mappar"
    elif not text:
        reason = "är tom"
    else:
        reason = "har fel form"
    raise InvalidOrgCode(
        f"Organisationskoden {text!r} {reason}. Ange kommunkoden med fyra siffror "
        "(t.ex. 1280), regionkoden med två (t.ex. 12) eller ett förbunds organisationsnummer "
        "(t.ex. 222000-1234). Testorganisationer använder 9000–9999."
    )


def is_test_org(code: str) -> bool:
    """Codes reserved for test and example organisations (9000–9999, region 99)."""
    return bool(TEST_ORG_PATTERN.match(code.strip()))


def guess_org_kind(org_id: str) -> str:
    """Region codes have two digits (e.g. 14), municipality codes four (e.g. 1480); an
    organisation number belongs to an association (förbund)."""
    text = org_id.strip()
    if len(text) == 2 and text.isdigit():
        return "region"
    if re.match(r"^[0-9]{6}-[0-9]{4}$", text):
        return "förbund"
    return "kommun"
