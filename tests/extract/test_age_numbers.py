from __future__ import annotations

import random
import re

import pytest

from safelight.extract.age_numbers import ascii_digits, fuzzy_number, non_ascii_class, parse_number


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("sevnteen", 17),  # one slip
        ("ninteen", 19),
        ("eightteen", 18),
        ("fourten", 14),
        ("sixteeen", 16),  # stretched
        ("sixtn", 16),  # vowels dropped
        ("svntn", 17),
        ("twnty", 20),
        ("six teen", 16),  # split
        ("sixteen", 16),  # exact words pass through
        ("sixty", 60),
    ],
)
def test_fuzzy_number_words(token: str, value: int) -> None:
    assert fuzzy_number(token) == value


@pytest.mark.parametrize(
    "token",
    ["teen", "seen", "fortune", "sweet", "plenty", "tween", "sixteenth", "eighteenth", "ready"],
)
def test_other_words_are_not_numbers(token: str) -> None:
    assert fuzzy_number(token) is None


def test_parse_number_split_teens() -> None:
    assert parse_number("seven-teen") == 17
    assert parse_number("١٦") is None  # only ASCII digits; ascii_digits() converts first


def test_ascii_digits_maps_back_to_the_original() -> None:
    text = "im 1️⃣6️⃣ and １７ ⑯"
    digits = ascii_digits(text)
    assert digits is not None
    assert digits.text == "im 16 and 17 16"
    start, end = digits.to_original(3, 5)
    assert text[start:end] == "1️⃣6️⃣"
    start, end = digits.to_original(10, 12)
    assert text[start:end] == "１７"
    assert digits.from_original(start, end) == (10, 12)
    start, end = digits.to_original(13, 15)
    assert text[start:end] == "⑯"


def test_ascii_text_needs_no_copy() -> None:
    assert ascii_digits("im 16 😘") is None
    assert ascii_digits("plain ascii 16") is None


def test_one_for_one_digits_keep_the_offsets() -> None:
    text = "im １７, call 𝟕𝟒𝟑 😘"
    digits = ascii_digits(text)
    assert digits is not None and digits.same_offsets
    assert digits.text == "im 17, call 743 😘"
    assert digits.to_original(3, 5) == (3, 5)
    assert digits.from_original(12, 15) == (12, 15)
    keycaps = ascii_digits("im 1️⃣6️⃣")
    assert keycaps is not None and not keycaps.same_offsets


def test_non_ascii_class_finds_what_the_plain_class_finds() -> None:
    body = "１-９𝟭⑯\u20e3ſ"
    fast, plain = non_ascii_class(body), re.compile(f"[{body}]")
    rng = random.Random(4)
    chars = "ab 1\n１２𝟭⑯⑰\u20e3ſsé💋"
    for _ in range(5000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 8)))
        a, b = fast.search(text), plain.search(text)
        assert (a and a.span()) == (b and b.span()), text
