from __future__ import annotations

import pytest

from safelight.extract.ages import EXTRACTOR, parse_number
from safelight.extract.base import Match
from safelight.extract.prices import EXTRACTOR as PRICES


def ages(text: str, found: dict[str, list[Match]] | None = None) -> list[int]:
    found = found if found is not None else {"phone": [], "price": PRICES.extract(text, {})}
    matches = EXTRACTOR.extract(text, found)
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.field == "age"
    return [m.value for m in matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm 19", [19]),
        ("im 19 and ready to play", [19]),
        ("i am 23", [23]),
        ("19yo", [19]),
        ("19 y/o", [19]),
        ("19 y.o.", [19]),
        ("19 yrs old", [19]),
        ("19 years young", [19]),
        ("a sweet 17 year-old", [17]),
        ("age 19", [19]),
        ("age: 22", [22]),
        ("Poster's age: 30", [30]),
        ("i am nineteen", [19]),
        ("I am twenty-two", [22]),
        ("just turned 18", [18]),
        ("28 yrs, tall and slim", [28]),
        ("fresh 18teen cutie", [18]),
        ("we are 19 and 21", [19, 21]),
        ("two sisters 18 & 19", [18, 19]),
        ("2 girls: Kandi 20 and Mia 22", [20, 22]),
        ("Sasha here 💋 25. Back on the northside", [25]),
        ("Married lady, 36, discreet", [36]),
        ("young n fresh (19)", [19]),
        ("thirty-five and fabulous", [35]),
        ("SEXY BLONDE PLAYMATE - 23\n\nhi guys", [23]),
    ],
)
def test_stated_ages_are_found(text: str, expected: list[int]) -> None:
    assert ages(text) == expected


@pytest.mark.parametrize(
    "text",
    ["im 16", "16yo", "she is 16, first time", "sixteen", "sweet 16", "im Keke 17 😘", "15 yrs old",
     "I'm only 14", "fourteen and new"],
)
def test_a_stated_minor_age_is_never_missed(text: str) -> None:
    found = ages(text)
    assert found and all(a < 18 for a in found)


@pytest.mark.parametrize(
    "text",
    [
        "18+ only",  # an adult-only notice, not an age
        "I'm 21+",
        "men 30+ only",
        "over 40 welcome",
        "gentlemen 35 and up",
        "all ages 18 and up",
        "ages 25-60",
        "must be 21",
        "19 years experience",
        "been doing this for 15 years.",
        "available 24/7",
        "I'm 24/7",
        "I'm 30 min away",
        "only 20 minutes away",
        "I'm 5'4",
        "I'm 36DD",
        "34B-24-34",
        "100% real",
        "Room 21, call me",
        "exit 21 off I-35",
        "March 13, 2014 9:15 AM",
        "$150/hr",
        "qv 60 hh 100",
        "sixty nine",
        "one fifty for an hour",
    ],
)
def test_numbers_that_are_not_ages(text: str) -> None:
    assert ages(text) == []


def test_phone_and_price_digits_are_never_ages() -> None:
    text = "im 19 call 903 312 1887"
    phone = Match("phone", "+19033121887", "903 312 1887", 11, 23)
    assert ages(text, {"phone": [phone], "price": []}) == [19]
    text = "Sasha 25 roses"
    price = Match("price", {"amount": 25, "currency": "USD", "minutes": None}, "25 roses", 6, 14)
    assert ages(text, {"phone": [], "price": [price]}) == []


def test_handles_and_emails_are_not_ages() -> None:
    text = "snap: MiaBaby22"
    handle = Match("handle", {"platform": "snapchat", "handle": "miababy22"}, "MiaBaby22", 6, 15)
    assert ages(text, {"handle": [handle]}) == []
    assert ages("e-mail ME: Tiffany.Tx22@Gmail.com") == []


def test_spans_and_cues() -> None:
    text = "Hi! I'm 19 and new"
    (m,) = EXTRACTOR.extract(text, {})
    assert (m.text, m.start, m.end, m.detail["cue"]) == ("I'm 19", 4, 10, "before")


def test_parse_number() -> None:
    assert parse_number("19") == 19
    assert parse_number("Nineteen") == 19
    assert parse_number("twenty one") == 21
    assert parse_number("twenty-one") == 21
    assert parse_number("lots") is None
