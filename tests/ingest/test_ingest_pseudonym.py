"""Personnummer normalisation, validity, derivation and keyed pseudonyms.

Expected values are worked out by hand in the comments, and the validity rule
is cross-checked against the independent ``personnummer`` package.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import personnummer.personnummer
import pytest
from hypothesis import given, settings, strategies

from hallbar.privacy.pseudonym import (
    InvalidPersonnummer,
    birth_date_and_gender,
    is_valid_personnummer,
    luhn_check_digit,
    normalise_personnummer,
    pseudonymise,
)

REF = date(2025, 11, 1)


def test_luhn_of_well_known_test_number() -> None:
    # 121212-121?: digits 1 2 1 2 1 2 1 2 1 weighted 2,1,2,1,...:
    # 2+2+2+2+2+2+2+2+2 = 18 -> (10 - 8) % 10 = 2, so 121212-1212 is valid.
    assert luhn_check_digit("121212121") == 2
    # 800101-002?: 8*2=16->7, 0, 0, 1, 0, 1, 0*2=0, 0, 2*2=4 -> 7+1+1+4 = 13 -> 7.
    assert luhn_check_digit("800101002") == 7


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19121212-1212", "191212121212"),
        ("191212121212", "191212121212"),
        ("121212+1212", "191212121212"),  # '+' = 100 or older at the reference date
        ("121212-1212", "201212121212"),  # without '+': the century making the age < 100
        ("1212121212", "201212121212"),
        (" 800101-0027 ", "198001010027"),
        # 2025-12-31 is after REF, so 1925. Luhn of 251231123: 4+5+2+2+6+1+2+2+6 = 30 -> 0.
        ("251231-1230", "192512311230"),
    ],
)
def test_normalise_resolves_century(raw: str, expected: str) -> None:
    assert normalise_personnummer(raw, REF) == expected


def test_samordningsnummer_day_plus_60_is_valid() -> None:
    # 1980-01-01 as samordningsnummer: day 01 + 60 = 61 -> 800161-002?
    # Luhn: 8*2=16->7, 0, 0, 1, 6*2=12->3, 1, 0, 0, 2*2=4 -> 7+1+3+1+4 = 16 -> 4.
    assert normalise_personnummer("19800161-0024", REF) == "198001610024"
    assert birth_date_and_gender("198001610024") == (date(1980, 1, 1), "K")
    assert not is_valid_personnummer("19800161-0025", REF)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("19121212-1213", "kontrollsiffran"),
        ("19121312-1212", "datumdelen"),
        ("19800192-0027", "datumdelen"),  # day 92 - 60 = 32
        ("1912121212", "kontrollsiffran"),  # 1912-12-12 as 10 digits lacks the century
        ("12345", "10 eller 12 siffror"),
        ("19121212_1212", "10 eller 12 siffror"),
        ("19800101-0001", "födelsenumret 000"),
        ("", "10 eller 12 siffror"),
    ],
)
def test_invalid_numbers_say_why(raw: str, reason: str) -> None:
    with pytest.raises(InvalidPersonnummer, match=reason):
        normalise_personnummer(raw, REF)
    assert not is_valid_personnummer(raw, REF)


def test_birth_date_and_gender_of_well_known_number() -> None:
    # 19121212-1212: born 1912-12-12; second-last digit 1 is odd -> man.
    assert birth_date_and_gender("191212121212") == (date(1912, 12, 12), "M")
    # 19800101-0027: second-last digit 2 is even -> woman.
    assert birth_date_and_gender("198001010027") == (date(1980, 1, 1), "K")


def test_pseudonym_is_hmac_sha256_prefix_and_stable() -> None:
    key = b"k" * 32
    expected = hmac.new(key, b"191212121212", hashlib.sha256).hexdigest()[:20]
    assert pseudonymise("191212121212", key) == expected
    assert pseudonymise("191212121212", key) == pseudonymise("191212121212", key)
    assert pseudonymise("191212121212", b"x" * 32) != expected
    assert pseudonymise("198001010027", key) != expected
    assert len(expected) == 20


def test_empty_key_is_refused() -> None:
    with pytest.raises(ValueError):
        pseudonymise("191212121212", b"")


@settings(max_examples=300, deadline=None)
@given(
    birth=strategies.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)),
    serial=strategies.integers(min_value=0, max_value=999),
    check=strategies.integers(min_value=0, max_value=9),
    coordination=strategies.booleans(),
)
def test_validity_agrees_with_the_personnummer_package(
    birth: date, serial: int, check: int, coordination: bool
) -> None:
    day = birth.day + (60 if coordination else 0)
    text = f"{birth.year}{birth.month:02d}{day:02d}-{serial:03d}{check}"
    assert is_valid_personnummer(text, REF) == personnummer.personnummer.valid(text)
