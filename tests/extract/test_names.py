from __future__ import annotations

from importlib import resources

import pytest
import yaml

from safelight.extract.base import Match
from safelight.extract.names import EXTRACTOR, load_lexicon


def names(text: str, found: dict[str, list[Match]] | None = None) -> list[str]:
    matches = EXTRACTOR.extract(text, found or {})
    for m in matches:
        assert text[m.start : m.end] == m.text
    return sorted({m.value for m in matches})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello fellas Im Ashlee I'm a friendly bombshell", ["Ashlee"]),
        ("I'm Ashlee", ["Ashlee"]),
        ("my name is Mia", ["Mia"]),
        ("My name's Nevaeh", ["Nevaeh"]),
        ("my name is Zaylee", ["Zaylee"]),  # strong cue: a capitalised unknown word
        ("ask for Mia or Lexi", ["Lexi", "Mia"]),
        ("ASK FOR MIA OR LEXI", ["Lexi", "Mia"]),
        ("call Destiny", ["Destiny"]),
        ("names Kandi", ["Kandi"]),
        ("xoxo Kandi", ["Kandi"]),
        ("sweet and discreet\n- Bella", ["Bella"]),
        ("this is Jasmine", ["Jasmine"]),
        ("it's ya girl JADE 💋", ["Jade"]),
        ("ITS YOUR GIRL LUCY!!!", ["Lucy"]),
        ("love, Kiara", ["Kiara"]),
        ("Kandi here!", ["Kandi"]),
        ("Angel here 😇", ["Angel"]),
        ("Im Keke 17 just ran away", ["Keke"]),
        ("Hola papi, soy Daniela", ["Daniela"]),
        ("Hi I'm Jasmine and this is my friend Layla", ["Jasmine", "Layla"]),
        ("2 girls: Kandi 20 and Mia 22", ["Kandi", "Mia"]),
        ("Twin sisters Amber & Ashley, both 22", ["Amber", "Ashley"]),
        ("Nurse Nikki will take care of u", ["Nikki"]),
        ("I'm Honey", ["Honey"]),
        ("call Precious 214 367 8842", ["Precious"]),
        ("Ur New Addiction Trinity\n\ntrinity here", ["Trinity"]),
        ("Savannah here, in Savannah GA", ["Savannah"]),
    ],
)
def test_names(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'm new",
        "I'm available now",
        "ask for specials",
        "call now 903 312 1887",
        "Im 19",
        "I'm in Dallas",
        "I'm Tyler, TX best",
        "i'm honey",
        "ask for Summer specials",
        "available May 5",
        "Im ready for you",
        "This is the best",
        "I'M NEW IN TOWN",
        "Im Latina",
        "I am Sunday",
        "text me",
        "Georgia peach visiting Florida",
        "meet me @ the Hilton",
        "Jan 5 - Jan 12 only",
        "TEXT ME 206 471 3382 NO PRIVATE NUMBERS",
    ],
)
def test_not_names(text: str) -> None:
    assert names(text) == []


def test_skips_handles_emails_and_places() -> None:
    text = "ask for kandi22 or snap Kandi"
    handle = Match("handle", {}, "snap Kandi", 19, 29)
    assert names(text) == ["Kandi"]
    assert names(text, {"handle": [handle]}) == []
    place = Match("place", "Austin, TX", "Kendall", 0, 7)
    assert names("Kendall area", {"place": [place]}) == []


def test_every_cue_example_is_found() -> None:
    raw = yaml.safe_load(
        resources.files("safelight.extract.data").joinpath("names.yaml").read_text("utf-8")
    )
    assert raw["cues"]["source"] and raw["not_names"]["source"] and raw["not_bare"]["source"]
    for example in raw["cues"]["examples"]:
        assert names(example) == ["Mia"], example


def test_lexicon_rows_have_sources() -> None:
    text = resources.files("safelight.extract.data").joinpath("first_names.csv").read_text("utf-8")
    rows = [line.split(",") for line in text.splitlines() if line and not line.startswith("#")]
    assert rows[0] == ["name", "common_word", "source"]
    assert all(len(r) == 3 and r[2] in {"census1990", "nicknames", "curated"} for r in rows[1:])
    lex = load_lexicon()
    assert lex.names["ashlee"] is False and lex.names["honey"] is True


SCAN_TEXTS = [
    "Hello fellas Im Ashlee, ask for Mia or Lexi",
    "it's Kandi! KANDI here, xoxo Kandi's friend",
    "a.k.a.k.a Bella -- my name's Mia’s sister",
    "éIm Mia 💋 ask for Lexi🍒 i’m Honey, I m Summer",
    "call me\nZaylee\x01im Mia 'im Lexi @Kandi Kandi@ Kandi_x",
    "Amber & Ashley, Mia is back. Tina is here. xo Molly",
]


@pytest.mark.parametrize("text", SCAN_TEXTS)
def test_one_pass_scan_matches_separate_scans(text: str) -> None:
    # The Aho-Corasick pass must give exactly the positions of the separate str.find scans.
    from safelight.extract.name_scan import scan, scan_slow

    lex = load_lexicon()
    assert scan(text, text.lower(), lex) == scan_slow(text, text.lower(), lex)


def test_case_changes_that_move_letters_take_the_slow_path() -> None:
    # "İ" lower-cases to two characters and the Kelvin sign to "k": same names either way.
    assert names("İ Im Ashlee, ask for Mia") == ["Ashlee", "Mia"]
    assert names("\u212a Im Ashlee, ask for Mia") == ["Ashlee", "Mia"]
