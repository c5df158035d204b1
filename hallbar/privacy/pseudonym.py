"""Personnummer handling and keyed pseudonyms (pure functions).

A Swedish personnummer is ``YYMMDD-NNNC`` (10 digits) or ``YYYYMMDDNNNC`` (12
digits). ``C`` is a Luhn check digit over the 10-digit form. The separator in
the 10-digit form is ``-`` or, from the year a person turns 100, ``+``. A
samordningsnummer (co-ordination number) has the day of birth plus 60.
The second-last digit is odd for men and even for women (legal gender).

Raw numbers never leave ingest: they are normalised to 12 digits, birth date
and gender are derived, and the number is replaced by an HMAC-SHA256 pseudonym
under a secret key that is kept outside the database.

``pseudonymise_many`` does the same for a column of texts at once (a national
export has millions of distinct numbers): the checks as Polars expressions, the
HMAC from precomputed key states. It gives exactly what the per-value functions
give; values outside its fast path (spaces inside, non-ASCII digits, wrong
length) go through them one by one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

import polars as pl

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


# The strict form handled by ``pseudonymise_many`` without Python per value: ASCII
# digits only, nothing to strip. The groups are those of ``_PATTERN``.
_FAST_PATTERN = r"^([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})([-+]?)([0-9]{3})([0-9])$"
_HMAC_BLOCK = 64  # SHA-256's block size in bytes (RFC 2104)


def _hmac_sha256_prefixes(messages: list[bytes], key: bytes) -> list[str]:
    """``pseudonymise`` of many messages: HMAC-SHA256 (RFC 2104) with the key's inner and
    outer hash states computed once, each value then costing two copies of a state."""
    if not messages:
        return []
    if not key:
        raise ValueError("pseudonymnyckeln är tom")
    block = hashlib.sha256(key).digest() if len(key) > _HMAC_BLOCK else key
    block = block.ljust(_HMAC_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    out = []
    for message in messages:
        step = inner.copy()
        step.update(message)
        final = outer.copy()
        final.update(step.digest())
        out.append(final.hexdigest()[:PSEUDONYM_LENGTH])
    return out


def _valid_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Whether year-month-day is a date ``datetime.date`` accepts (years 1–9999)."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    last = (
        pl.when(month == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
    return year.is_between(1, 9999) & month.is_between(1, 12) & day.is_between(1, last)


def pseudonymise_many(texts: pl.Series, reference: date, key: bytes) -> pl.DataFrame:
    """Every distinct text of ``texts``: its pseudonym, birth date and gender, or why it is
    not a personnummer; exactly as ``normalise_personnummer``, ``pseudonymise`` and
    ``birth_date_and_gender`` give them one by one.

    Columns: ``text`` (each distinct non-null text once), ``pseudonym``, ``birth_date``,
    ``gender`` (null when invalid) and ``reason`` (the ``InvalidPersonnummer`` message,
    null when valid).
    """
    distinct = texts.drop_nulls().unique().cast(pl.String).alias("text").to_frame()
    # A slice at a time: the expressions' columns for millions of texts at once would
    # be the import's largest moment (the held tables are all in memory then).
    found = [
        _many(distinct.slice(start, _SLICE_TEXTS), reference, key)
        for start in range(0, distinct.height, _SLICE_TEXTS)
    ]
    if not found:
        return _many(distinct, reference, key)
    return pl.concat(found)


_SLICE_TEXTS = 500_000


def _many(distinct: pl.DataFrame, reference: date, key: bytes) -> pl.DataFrame:
    """``pseudonymise_many`` of distinct texts (column ``text``)."""
    groups = ["century", "yy", "mm", "dd", "sep", "serial", "check"]
    fast = distinct.filter(pl.col("text").str.contains(_FAST_PATTERN))
    slow = distinct.filter(~pl.col("text").str.contains(_FAST_PATTERN))
    parts = pl.col("text").str.extract_groups(_FAST_PATTERN).struct.rename_fields(groups)
    fast = fast.with_columns(parts.alias("_p")).unnest("_p")
    yy, mm, dd = (pl.col(c).cast(pl.Int32) for c in ("yy", "mm", "dd"))
    day = pl.when(dd > 60).then(dd - 60).otherwise(dd)
    ref_year, ref_key = reference.year, reference.year * 10_000 + reference.month * 100
    ref_key += reference.day
    # 10 digits: the latest year ending in yy whose birthday is not after the reference,
    # a hundred years earlier with "+".
    latest = pl.lit(ref_year, pl.Int32) - (pl.lit(ref_year, pl.Int32) - yy) % 100
    after_reference = latest * 10_000 + mm * 100 + day > ref_key
    resolved = latest - pl.when(after_reference).then(100).otherwise(0)
    resolved = resolved - pl.when(pl.col("sep") == "+").then(100).otherwise(0)
    given = (pl.col("century") + pl.col("yy")).cast(pl.Int32)
    fast = fast.with_columns(
        pl.when(pl.col("century").is_not_null()).then(given).otherwise(resolved).alias("year"),
        _valid_date(latest, mm, day).alias("_latest_ok"),
        day.alias("day"),
    )
    year = pl.col("year")
    date_ok = _valid_date(year, mm, pl.col("day")) & (
        pl.col("century").is_not_null() | pl.col("_latest_ok")
    )
    nine = pl.concat_str("yy", "mm", "dd", "serial")
    total = pl.lit(0, pl.Int32)
    for position in range(9):
        digit = nine.str.slice(position, 1).cast(pl.Int32)
        product = digit * (2 if position % 2 == 0 else 1)
        total = total + pl.when(product > 9).then(product - 9).otherwise(product)
    luhn_ok = (10 - total % 10) % 10 == pl.col("check").cast(pl.Int32)
    fast = fast.with_columns(
        pl.when(pl.col("serial") == "000")
        .then(pl.lit("födelsenumret 000 används inte"))
        .when(~date_ok)
        .then(pl.lit("datumdelen är inte ett giltigt datum"))
        .when(~luhn_ok)
        .then(pl.lit("kontrollsiffran stämmer inte"))
        .alias("reason")
    )
    valid = fast.filter(pl.col("reason").is_null()).select(
        "text",
        pl.concat_str(year.cast(pl.String).str.zfill(4), "mm", "dd", "serial", "check").alias(
            "pnr12"
        ),
        pl.date(year, mm, pl.col("day")).alias("birth_date"),
        pl.when(pl.col("serial").str.slice(2, 1).cast(pl.Int32) % 2 == 1)
        .then(pl.lit("M"))
        .otherwise(pl.lit("K"))
        .alias("gender"),
    )
    pseudonyms = _hmac_sha256_prefixes([p.encode("ascii") for p in valid["pnr12"]], key)
    schema = {
        "text": pl.String,
        "pseudonym": pl.String,
        "birth_date": pl.Date,
        "gender": pl.String,
        "reason": pl.String,
    }
    found = [
        valid.select(
            "text",
            pl.Series("pseudonym", pseudonyms, pl.String),
            "birth_date",
            "gender",
            pl.lit(None, pl.String).alias("reason"),
        ),
        fast.filter(pl.col("reason").is_not_null()).select(
            "text",
            pl.lit(None, pl.String).alias("pseudonym"),
            pl.lit(None, pl.Date).alias("birth_date"),
            pl.lit(None, pl.String).alias("gender"),
            "reason",
        ),
        pl.DataFrame(
            [_one(text, reference, key) for text in slow["text"]], schema=schema, orient="row"
        ),
    ]
    return pl.concat(found, how="vertical_relaxed")


def _one(
    text: str, reference: date, key: bytes
) -> tuple[str, str | None, date | None, str | None, str | None]:
    """One row of ``pseudonymise_many`` by the per-value functions."""
    try:
        pnr12 = normalise_personnummer(text, reference)
    except InvalidPersonnummer as err:
        return text, None, None, None, str(err)
    if not pnr12.isascii():  # digits of another script: \d matches them, HMAC input cannot
        return text, None, None, None, "ska ha 10 eller 12 siffror"
    birth, gender = birth_date_and_gender(pnr12)
    return text, pseudonymise(pnr12, key), birth, gender, None
