"""``pseudonymise_many`` gives exactly what the per-value functions give, value by value.

The per-value functions (``normalise_personnummer``, ``pseudonymise``,
``birth_date_and_gender``) are the reference: their own tests check them by hand
and against the ``personnummer`` package. Here many texts (valid and invalid
personnummer and samordningsnummer, both forms, both separators, every way a number
can be wrong) go through both and must agree on pseudonym, birth date, gender
and reason, at reference dates where the century rule and 29 February matter.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from datetime import date

import polars as pl
import pytest

from hallbar.core.errors import ProblemList
from hallbar.ingest.embedded import replace_embedded
from hallbar.ingest.people import PnrColumn, pseudonymise_frames
from hallbar.ingest.problems import ROW_COLUMN
from hallbar.privacy import pseudonym
from hallbar.privacy.pseudonym import (
    InvalidPersonnummer,
    birth_date_and_gender,
    luhn_check_digit,
    normalise_personnummer,
    pseudonymise,
    pseudonymise_many,
)

KEY = bytes(range(32))

# Texts chosen by hand: the Tax Agency's test numbers, a samordningsnummer (1980-01-01,
# day 61, Luhn 4), 29 February in a leap and a non-leap century, spaces inside, digits
# of another script, nine digits, a zero serial, a bad day and a bad check digit.
HAND_PICKED = [
    "19121212-1212",
    "191212121212",
    "121212-1212",
    "121212+1212",
    "1212121212",
    "19800161-0024",
    "800161-0024",
    "800161+0024",
    "19800161-0025",
    "000229-0005",
    "000229+0005",
    "20000229-0005",
    "19000229-0005",
    "8001 01-0027",
    "800101-0027",
    "١٢١٢١٢-١٢١٢",
    "121212121",
    "19800101-0001",
    "19800192-0027",
    "00000101-0008",
    "251231-1230",
    "19121212_1212",
    "12345",
    "abc",
]


def _random_texts(count: int, seed: int) -> list[str]:
    """Numbers with random parts: most have a correct check digit, some an impossible
    month or day (0, 13, 32, 61–92 are samordningsnummer days), some no separator."""
    rng = random.Random(seed)
    texts = set()
    while len(texts) < count:
        yy, mm, dd = rng.randrange(100), rng.randrange(14), rng.randrange(93)
        serial = rng.randrange(1000)
        nine = f"{yy:02d}{mm:02d}{dd:02d}{serial:03d}"
        check = luhn_check_digit(nine) if rng.random() < 0.8 else rng.randrange(10)
        century = rng.choice(["", "", "19", "20", "18", "00"])
        separator = rng.choice(["", "-", "+"])
        texts.add(f"{century}{nine[:6]}{separator}{nine[6:]}{check}")
    return sorted(texts)


def _one_by_one(
    text: str, reference: date
) -> tuple[str | None, date | None, str | None, str | None]:
    try:
        pnr12 = normalise_personnummer(text, reference)
    except InvalidPersonnummer as err:
        return None, None, None, str(err)
    if not pnr12.isascii():  # other scripts' digits: no ASCII number to key the HMAC with
        return None, None, None, "ska ha 10 eller 12 siffror"
    birth, gender = birth_date_and_gender(pnr12)
    return pseudonymise(pnr12, KEY), birth, gender, None


@pytest.mark.parametrize("reference", [date(2025, 11, 1), date(2000, 1, 1), date(2024, 2, 29)])
def test_many_agrees_with_one_by_one(reference: date) -> None:
    texts = HAND_PICKED + _random_texts(20_000, seed=reference.toordinal())
    found = pseudonymise_many(pl.Series(texts + texts[:100] + [None]), reference, KEY)
    assert found.height == len(set(texts))  # each distinct text once, nulls left out
    got = {
        row["text"]: (row["pseudonym"], row["birth_date"], row["gender"], row["reason"])
        for row in found.iter_rows(named=True)
    }
    for text in texts:
        assert got[text] == _one_by_one(text, reference), text
    valid = sum(1 for text in texts if got[text][0] is not None)
    assert 0.3 * len(texts) < valid < len(texts)  # both kinds are well represented


def test_many_uses_the_same_hmac() -> None:
    # 19121212-1212 under the key: HMAC-SHA256 of the 12 digits, first 20 hex characters.
    expected = hmac.new(KEY, b"191212121212", hashlib.sha256).hexdigest()[:20]
    found = pseudonymise_many(pl.Series(["19121212-1212"]), date(2025, 11, 1), KEY)
    assert found.row(0, named=True) == {
        "text": "19121212-1212",
        "pseudonym": expected,
        "birth_date": date(1912, 12, 12),
        "gender": "M",
        "reason": None,
    }
    # A key longer than SHA-256's block is hashed first (RFC 2104), as hmac does it.
    long_key = bytes(range(100))
    found = pseudonymise_many(pl.Series(["19121212-1212"]), date(2025, 11, 1), long_key)
    assert found["pseudonym"][0] == hmac.new(long_key, b"191212121212", "sha256").hexdigest()[:20]


def test_empty_key_is_refused() -> None:
    with pytest.raises(ValueError):
        pseudonymise_many(pl.Series(["19121212-1212"]), date(2025, 11, 1), b"")


def test_personnummer_inside_an_employment_id_gets_the_persons_pseudonym() -> None:
    """An employment id built from the personnummer ("199205171136-01") is replaced by the
    same pseudonym the person gets in the personnummer column."""
    reference = date(2025, 11, 1)
    texts = _random_texts(2_000, seed=7)
    ids = [f"{text}-01" for text in texts]
    mapping = replace_embedded(ids, reference, KEY)
    for text, employment_id in zip(texts, ids, strict=True):
        pseudonym = _one_by_one(text, reference)[0]
        assert mapping.get(employment_id) == (f"{pseudonym}-01" if pseudonym else None)


def test_frames_get_the_per_value_pseudonyms_and_persons() -> None:
    reference = date(2025, 11, 1)
    texts = HAND_PICKED + _random_texts(3_000, seed=11)
    frame = pl.DataFrame(
        {ROW_COLUMN: range(2, len(texts) + 2), "person_id": texts},
        schema={ROW_COLUMN: pl.Int64, "person_id": pl.String},
    )
    problems = ProblemList()
    frames, persons = pseudonymise_frames(
        {"employments": frame},
        [PnrColumn("employments", "person_id", "anstallningar.csv", "personnummer", True)],
        reference,
        KEY,
        problems,
    )
    expected = []
    for text in texts:
        # A nine-digit number is a ten-digit one whose leading zero Excel dropped.
        fixed = "0" + text if len(text) == 9 and text.isascii() and text.isdigit() else text
        expected.append(_one_by_one(fixed, reference))
    assert frames["employments"]["person_id"].to_list() == [e[0] for e in expected]
    persons_expected = sorted({(e[0], e[1], e[2]) for e in expected if e[0] is not None})
    assert persons.rows() == persons_expected
    bad_rows = [row for row, e in enumerate(expected, start=2) if e[3] is not None]
    # The first 20 rows are named one by one, the rest counted (report_rows).
    named = [p.row for p in problems.items if p.row is not None]
    assert named == bad_rows[:20]
    assert all(p.file == "anstallningar.csv" and p.column == "personnummer" for p in problems.items)
    first = next(e for e in expected if e[3] is not None)
    assert problems.items[0].message.startswith(f"Ogiltigt personnummer ({first[3]}).")


def test_slices_give_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts are worked through a slice at a time; the slice size changes nothing."""
    texts = pl.Series(HAND_PICKED + _random_texts(5_000, seed=5))
    whole = pseudonymise_many(texts, date(2025, 11, 1), KEY).sort("text")
    monkeypatch.setattr(pseudonym, "_SLICE_TEXTS", 700)
    sliced = pseudonymise_many(texts, date(2025, 11, 1), KEY).sort("text")
    assert sliced.equals(whole)
    assert sliced.height == texts.n_unique()
