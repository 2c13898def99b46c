from __future__ import annotations

import pytest

from safelight.extract.base import Match
from safelight.extract.emails import EXTRACTOR


def values(text: str) -> list[str]:
    matches = EXTRACTOR.extract(text, {})
    for m in matches:
        assert text[m.start : m.end] == m.text
    return [m.value for m in matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email Kandi22@Gmail.com now", "kandi22@gmail.com"),
        ("kandi.xo at gmail dot com", "kandi.xo@gmail.com"),
        ("name(at)gmail(dot)com", "name@gmail.com"),
        ("name [at] yahoo [.] com", "name@yahoo.com"),
        ("name @ gmail . com", "name@gmail.com"),
        ("kandi{at}yahoo{dot}co{dot}uk", "kandi@yahoo.co.uk"),
        ("kandi at gmail.com", "kandi@gmail.com"),
        ("email kandi22 at gmail", "kandi22@gmail.com"),
        ("write a@b.com.Thanks", "a@b.com"),
        ("screening: victoria.vip@gmail.com. No texts", "victoria.vip@gmail.com"),
    ],
)
def test_plain_and_obfuscated_addresses(text: str, expected: str) -> None:
    assert values(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "see me at 9pm tonight",
        "book at hotels.com",
        "meet me @ the Hilton, no emails",
        "add my snapchat @lexi.luvz",
        "IG @diamondvip.miami",
        "I'm at gmail lol",
        "email me at yahoo dot com",
        "no address here at all",
    ],
)
def test_not_addresses(text: str) -> None:
    assert values(text) == []


def test_two_addresses_and_spans() -> None:
    text = "a1@x.com or b2 (at) outlook (dot) com"
    matches = EXTRACTOR.extract(text, {"phone": [Match("phone", "+1", "x", 0, 0)]})
    assert [m.value for m in matches] == ["a1@x.com", "b2@outlook.com"]
    assert matches[1].text == "b2 (at) outlook (dot) com"


def test_anchors_are_every_needle_position() -> None:
    from safelight.extract.emails import _anchors

    needles = ("@", " at ", "\tat ", "\nat ", "(at", "[at", "{at", "<at", "-at-", "( at", "[ at")
    for text in ("a -at-at- b", "x at at y", "( at [at {at <at { at", "\tat \nat @@", "AT At aT"):
        low = text.lower()
        expected = set()
        if "@" in text or "at" in text or "AT" in text or "At" in text:
            for needle in needles:
                i = low.find(needle)
                while i >= 0:
                    expected.add(i + 1 if needle[0].isspace() else i)
                    i = low.find(needle, i + 1)
        assert _anchors(text) == sorted(expected)
