"""Personnummer handling and keyed pseudonyms (pure, standard library only).

A Swedish personnummer is ``YYMMDD-NNNC`` (10 digits) or ``YYYYMMDDNNNC`` (12
digits). ``C`` is a Luhn check digit over the 10-digit form. The separator in
the 10-digit form is ``-`` or, from the year a person turns 100, ``+``. A
samordningsnummer (co-ordination number) has the day of birth plus 60.
The second-last digit is odd for men and even for women (legal gender).

Raw numbers never leave ingest: they are normalised to 12 digits, birth date
and gender are derived, and the number is replaced by an HMAC-SHA256 pseudonym
under a secret key that is kept outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")
PSEUDONYM_LENGTH = 20


class InvalidPersonnummer(ValueError):
    """The text is not a valid personnummer or samordningsnummer."""


def luhn_check_digit(nine_digits: str) -> int:
    """Luhn check digit for the first nine digits of the 10-digit form."""
    total = 0
    for i, ch in enumerate(nine_digits):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _birth_date(year: int, month: int, day: int) -> date:
    """Birth date; a day above 60 marks a samordningsnummer."""
    if day > 60:
        day -= 60
    return date(year, month, day)  # raises ValueError on an impossible date


def normalise_personnummer(raw: str, reference: date | None = None) -> str:
    """Return the 12-digit form ``YYYYMMDDNNNC`` or raise ``InvalidPersonnummer``.

    The 10-digit form carries no century: it is the one that makes the person
    younger than 100 at ``reference`` (default today), or at least 100 when the
    separator is ``+``. Checks the date (samordningsnummer: day + 60) and the
    Luhn digit.
    """
    ref = reference or date.today()
    text = raw.strip().replace(" ", "")
    m = _PATTERN.match(text)
    if not m:
        raise InvalidPersonnummer("ska ha 10 eller 12 siffror")
    century, yy, mm, dd, sep, serial, check = m.groups()
    if serial == "000":
        raise InvalidPersonnummer("födelsenumret 000 används inte")
    month, day = int(mm), int(dd)
    if century is not None:
        year = int(century + yy)
    else:
        # Latest year ending in yy whose birthday is not after the reference date.
        year = ref.year - (ref.year - int(yy)) % 100
        try:
            if _birth_date(year, month, day) > ref:
                year -= 100
        except ValueError as err:
            raise InvalidPersonnummer("datumdelen är inte ett giltigt datum") from err
        if sep == "+":
            year -= 100
    try:
        _birth_date(year, month, day)
    except ValueError as err:
        raise InvalidPersonnummer("datumdelen är inte ett giltigt datum") from err
    ten = f"{year % 100:02d}{mm}{dd}{serial}"
    if luhn_check_digit(ten) != int(check):
        raise InvalidPersonnummer("kontrollsiffran stämmer inte")
    return f"{year:04d}{mm}{dd}{serial}{check}"


def is_valid_personnummer(raw: str, reference: date | None = None) -> bool:
    """True if ``raw`` is a valid personnummer or samordningsnummer."""
    try:
        normalise_personnummer(raw, reference)
    except InvalidPersonnummer:
        return False
    return True


def birth_date_and_gender(pnr12: str) -> tuple[date, str]:
    """Birth date and legal gender ("K" or "M") of a normalised 12-digit number."""
    birth = _birth_date(int(pnr12[0:4]), int(pnr12[4:6]), int(pnr12[6:8]))
    gender = "M" if int(pnr12[10]) % 2 == 1 else "K"
    return birth, gender


def pseudonymise(pnr12: str, key: bytes) -> str:
    """Keyed pseudonym: HMAC-SHA256 of the 12-digit number, first 20 hex characters."""
    if not key:
        raise ValueError("pseudonymnyckeln är tom")
    digest = hmac.new(key, pnr12.encode("ascii"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH]
