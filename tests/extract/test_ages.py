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
    [
        "im 16",
        "16yo",
        "she is 16, first time",
        "sixteen",
        "sweet 16",
        "im Keke 17 😘",
        "15 yrs old",
        "I'm only 14",
        "fourteen and new",
    ],
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


# --- Forms real ads use, especially for minors -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "span"),
    [
        # a bare age at the start of a clause, then how she describes herself
        ("16 and bored", [16], "16 and bored"),
        ("17 n ready", [17], "17 n ready"),
        ("🍒 19 & sweet, text me", [19], "19 & sweet"),
        ("hey guys, 16 n lonely", [16], "16 n lonely"),
        ("new in town. 17 and need money", [17], "17 and need"),
        # an age about to be reached is the age now
        ("17 going on 18", [17], "17 going on 18"),
        ("I'm almost 18 lol", [17], "almost 18"),
        ("turning 18 soon", [17], "turning 18"),
        ("nearly 18", [17], "nearly 18"),
        ("gonna be 18 next month", [17], "gonna be 18"),
        ("im 17, turning 18 in june", [17], "17, turning 18"),
        # text-speak cues
        ("jst 17", [17], "jst 17"),
        ("i'm jst 16", [16], "i'm jst 16"),
        ("im only 15", [15], "im only 15"),
        ("m 16", [16], "m 16"),
        ("age:16", [16], "age:16"),
        ("im16", [16], "im16"),
        ("16 yrs", [16], "16 yrs"),
        ("16yr old", [16], "16yr old"),
        ("16 y.o.", [16], "16 y.o."),
        ("16 y/o", [16], "16 y/o"),
        ("sixteen yr old", [16], "sixteen yr old"),
        ("f/16/dallas", [16], "f/16"),
        ("19/f/houston", [19], "19/f"),
        # halves
        ("im 16 1/2", [16], "im 16 1/2"),
        ("16 and a half", [16], "16 and a half"),
        ("16 ½ yrs old", [16], "16 ½ yrs old"),
        # Unicode and spaced digits
        ("im 1️⃣6️⃣", [16], "im 1️⃣6️⃣"),
        ("im 1⃣6⃣ 🥺", [16], "im 1⃣6⃣"),
        ("im １６", [16], "im １６"),
        ("im 𝟭𝟲 n new", [16], "im 𝟭𝟲"),
        ("1️⃣6️⃣ y/o petite", [16], "1️⃣6️⃣ y/o"),
        ("im 1 6", [16], "im 1 6"),
        ("1 6 yrs old", [16], "1 6 yrs old"),
        ("im l6", [16], "im l6"),
        # misspelled, stretched, shortened or split number words next to a cue
        ("im sevnteen", [17], "im sevnteen"),
        ("sixteeen yo", [16], "sixteeen yo"),
        ("sixtn yrs old", [16], "sixtn yrs old"),
        ("she's svntn", [17], "she's svntn"),
        ("im six teen", [16], "im six teen"),
        # Spanish, Portuguese, French
        ("de 16 años", [16], "16 años"),
        ("tengo 16", [16], "tengo 16"),
        ("16 añitos", [16], "16 añitos"),
        ("tenho 15 anos", [15], "15 anos"),
        ("Edad: 16", [16], "Edad: 16"),
        # another person advertised
        ("my lil sis is 16", [16], "my lil sis is 16"),
        ("my friend is 15", [15], "my friend is 15"),
        ("my sis, 16", [16], "my sis, 16"),
        ("she is 16", [16], "she is 16"),
        ("she's 17", [17], "she's 17"),
    ],
)
def test_forms_real_ads_use(text: str, expected: list[int], span: str) -> None:
    found = {"phone": [], "price": PRICES.extract(text, {})}
    matches = EXTRACTOR.extract(text, found)
    assert [m.value for m in matches] == expected
    assert matches[0].text == span
    assert text[matches[0].start : matches[0].end] == span


def test_unicode_digits_are_flagged() -> None:
    (m,) = EXTRACTOR.extract("im １６", {})
    assert m.detail["obfuscation"] == ["unicode_digits"]
    (m,) = EXTRACTOR.extract("im 16", {})
    assert "obfuscation" not in m.detail


def test_keycap_phone_digits_are_not_ages() -> None:
    text = "im 1️⃣9️⃣ call 9️⃣0️⃣3️⃣3️⃣1️⃣2️⃣1️⃣8️⃣8️⃣7️⃣"
    start = text.index("9️⃣0️⃣")
    phone = Match("phone", "+19033121887", text[start:], start, len(text))
    assert ages(text, {"phone": [phone], "price": []}) == [19]


@pytest.mark.parametrize(
    "text",
    [
        "80 and up",
        "2 and 3 hours",
        "$80 and up",
        "Call between 10 and 11pm",
        "Rates: 60 and up",
        "Open 24 and available",  # not at the start of a clause
        "25 and over only",
        "16 and a half hours",
        "almost 30 minutes from downtown",
        "nearly 20 reviews",
        "turning 30 heads everywhere",
        "been doing this almost 20 years",
        "married nearly 15 years",
        "I'll be 30 minutes",
        "gonna be 25 for car dates",
        "my girls 30 and up",
        "she is 20 minutes away",
        "m 30 min",
        "text me 1 6 0 0 now",
        "just 1 5 minutes away",
        "size 16 1/2 shoes",
        "tiene 20 minutos",
        "only 20 left",
        "im sixty nine",
        "im tween",
        "kim16",
        "Hwy 20 & 35",
    ],
)
def test_new_forms_do_not_read_other_numbers(text: str) -> None:
    assert ages(text) == []


@pytest.mark.parametrize(
    "title",
    ["in town - 20", "in town – 20.", "in town -20 !!", "in town - 20\t\nhi", "💋 in town - 20 "],
)
def test_title_tails(title: str) -> None:
    assert [(m.value, m.detail["cue"]) for m in EXTRACTOR.extract(title, {})] == [(20, "title")]
