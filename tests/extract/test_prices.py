from __future__ import annotations

import pytest

from safelight.extract.base import Match
from safelight.extract.prices import EXTRACTOR


def prices(text: str, found: dict[str, list[Match]] | None = None) -> list[tuple]:
    matches = EXTRACTOR.extract(text, found or {})
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.field == "price"
    return [(m.value["amount"], m.value["currency"], m.value["minutes"]) for m in matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80hh 160 hr!!!", [(80, "USD", 30), (160, "USD", 60)]),
        ("$150/hr", [(150, "USD", 60)]),
        ("150 roses", [(150, "USD", None)]),
        ("150 🌹 hh", [(150, "USD", 30)]),
        ("qv 60", [(60, "USD", 15)]),
        ("60 qv", [(60, "USD", 15)]),
        ("quickie 70", [(70, "USD", 15)]),
        ("half hour 100", [(100, "USD", 30)]),
        ("$120 h/h", [(120, "USD", 30)]),
        ("hh 100 h 150", [(100, "USD", 30), (150, "USD", 60)]),
        ("100 hh 150 h", [(100, "USD", 30), (150, "USD", 60)]),
        ("2hr 300", [(300, "USD", 120)]),
        ("90 min 250", [(250, "USD", 90)]),
        ("overnight 1000", [(1000, "USD", 720)]),
        ("ovn 1k", [(1000, "USD", 720)]),
        ("$200 donation", [(200, "USD", None)]),
        ("$200 donation, 1hr", [(200, "USD", 60)]),
        ("100$", [(100, "USD", None)]),
        ("£120", [(120, "GBP", None)]),
        ("€100", [(100, "EUR", None)]),
        ("200 CAD", [(200, "CAD", None)]),
        ("incall 150 outcall 250", [(150, "USD", None), (250, "USD", None)]),
        ("Donations start 80", [(80, "USD", None)]),
        ("Rates: 140 (30) 200 (60)", [(140, "USD", 30), (200, "USD", 60)]),
        ("Half hour: $100\nHour: $150", [(100, "USD", 30), (150, "USD", 60)]),
        ("specials 60, hh 100.", [(60, "USD", None), (100, "USD", 30)]),
        ("hh 100/150", [(100, "USD", 30), (150, "USD", 30)]),
        (
            "qv 60 / hh 100 / h 150 / 2hr 280",
            [(60, "USD", 15), (100, "USD", 30), (150, "USD", 60), (280, "USD", 120)],
        ),
        ("100 for half hour", [(100, "USD", 30)]),
        ("qv 60 hh 100 hora 150", [(60, "USD", 15), (100, "USD", 30), (150, "USD", 60)]),
    ],
)
def test_prices_and_durations(text: str, expected: list[tuple]) -> None:
    assert prices(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "100% real",
        "available 24/7",
        "open 24 hrs",
        "48 hr notice for ovn",
        "34B-24-34",
        "36-24-36",
        "19yo",
        "19 y/o",
        "5'4 120lbs",
        "since 2014",
        "Posted: Thursday, March 13, 2014 9:15 AM",
        "$$$ hot $$$",
        "Dallas 75201",
        "Post ID: 25265660",
        "i-35 exit 21",
        "I'm 25 and sweet",
        "30 min away",
        "2 girls 1 hr",
        "INCALL SPECIALS - 20\n\nhi",  # a title's trailing " - 20" is the poster's age
    ],
)
def test_numbers_that_are_not_prices(text: str) -> None:
    assert prices(text) == []


def test_phone_digits_are_never_prices() -> None:
    text = "hh 100 call 214 150 1887"
    phone = Match("phone", "+12141501887", "214 150 1887", 12, 24)
    assert prices(text, {"phone": [phone]}) == [(100, "USD", 30)]


def test_span_covers_amount_and_duration() -> None:
    text = "rates $$ 80hh 160 hr"
    first, second = EXTRACTOR.extract(text, {})
    assert first.text == "$ 80hh"
    assert second.text == "160 hr"


def test_context_hint_covers_every_price_context_word() -> None:
    """The cheap pre-check before the context pattern must find a piece of every alternative
    of ``price_context`` (data/price_units.yaml), or bare prices after it would be lost."""
    from safelight.extract.price_lexicon import load_units as _load_units
    from safelight.extract.price_tokens import _CONTEXT_HINT

    pattern = _load_units()["price_context"]["pattern"]
    depth, alternatives, current = 0, [], ""
    for ch in pattern:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            alternatives.append(current)
            current = ""
        else:
            current += ch
    alternatives.append(current)
    assert len(alternatives) > 5
    for alternative in alternatives:
        assert _CONTEXT_HINT.search(alternative.lower()), alternative
    assert prices("INCALL 150") == [(150, "USD", None)]
    assert prices("Rates: 200") == [(200, "USD", None)]


def test_alternatives_split_only_at_the_top_level() -> None:
    from safelight.extract.price_lexicon import alternatives as _alternatives

    assert _alternatives(r"a|b(?:c|d)|[|\]x]|e\|f|[^]|]g|[]|]") == [
        "a",
        "b(?:c|d)",
        r"[|\]x]",
        r"e\|f",
        "[^]|]g",
        "[]|]",
    ]


def test_grouping_by_initial_keeps_the_order_within_a_letter() -> None:
    import re

    from safelight.extract.base import by_initial as _by_initial

    grouped = _by_initial(["hh", "h/h", "hours?", "h", "qv", "½h", "half"])
    assert grouped == r"h(?:h|/h|ours?||alf)|q(?:v)|½h"
    # First match, as the flat alternation: "h" before "half" in both.
    flat = re.compile("hh|h/h|hours?|h|qv|½h|half")
    for text in ("hh", "half", "hours", "h/h", "qv", "½h"):
        assert re.match(grouped, text).group() == flat.match(text).group()
