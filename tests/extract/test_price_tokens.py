from __future__ import annotations

import pytest

from safelight.extract.price_tokens import AMT, DUR, SKIP, after_context, number_windows, tokens


def kinds(text: str, blocked: list[tuple[int, int]] | None = None) -> list[tuple]:
    """(kind, text, value, currency) of each token."""
    return [(k, text[s:e], v, c) for k, s, e, v, c, _ in tokens(text, blocked or [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a glued duration, then a bare number next to an hour unit
        (
            "80hh 160 hr",
            [
                (AMT, "80", 80, None),
                (DUR, "hh", 30, None),
                (AMT, "160", 160, None),
                (DUR, "hr", 60, None),
            ],
        ),
        # letter O for zero: "$1" is out of range (a skip), "hr" still a duration
        ("$1OO/hr", [(SKIP, "$1", 0, None), (DUR, "hr", 60, None)]),
        (
            "qv 100, hh 150, h 250",
            [
                (DUR, "qv", 15, None),
                (AMT, "100", 100, None),
                (DUR, "hh", 30, None),
                (AMT, "150", 150, None),
                (DUR, "h", 60, None),
                (AMT, "250", 250, None),
            ],
        ),
        ("2 hrs 300 roses", [(DUR, "2 hrs", 120, None), (AMT, "300 roses", 300, "USD")]),
        ("5'4 130lbs", [(SKIP, "5'4 ", 0, None), (SKIP, "130lbs", 0, None)]),
        ("incall 150 outcall 200", [(AMT, "150", 150, None), (AMT, "200", 200, None)]),
        # the comma groups of an amount still give back: "$1,000,0000" reads "$1,000"
        ("$1,000,0000", [(AMT, "$1,000", 1000, "USD")]),
        # a token may start inside a digit run ("50 min" after "1.")
        ("1.50 min 100", [(DUR, "50 min", 50, None), (AMT, "100", 100, None)]),
        # a duration glued after an amount with a currency code
        ("usd100hh", [(AMT, "usd100", 100, "USD"), (DUR, "hh", 30, None)]),
        ("160 hr", [(AMT, "160", 160, None), (DUR, "hr", 60, None)]),
        ("24/7 150", [(SKIP, "24/7", 0, None), (AMT, "150", 150, None)]),
    ],
)
def test_tokens(text: str, expected: list[tuple]) -> None:
    assert kinds(text) == expected


def test_tokens_in_a_blocked_span_are_skips() -> None:
    text = "hh 100 call 214 150 1887"
    toks = tokens(text, [(12, 24)])
    assert [(k, text[s:e]) for k, s, e, *_ in toks][:2] == [(DUR, "hh"), (AMT, "100")]
    assert all(k == SKIP for k, s, *_ in toks if s >= 12)


def test_bare_numbers_are_marked_for_the_context_lookup() -> None:
    (bare,) = tokens("incall 150", [])
    assert bare[5] is True
    (with_currency,) = tokens("$150", [])
    assert with_currency[5] is False


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        ("incall 150", "150", True),
        ("Rates: 200", "200", True),
        ("Donations start at 80", "80", True),
        ("I'm 25", "25", False),
        ("INCALL SPECIALS - 20\n\nhi", "20", False),  # a title's trailing age
        ("hi\nINCALL SPECIALS - 20\n", "20", True),  # not the title: a price
    ],
)
def test_after_context(text: str, number: str, expected: bool) -> None:
    start = text.index(number)
    assert after_context(text, start, start + len(number)) is expected


def test_number_windows_widen_to_words_and_merge() -> None:
    text = "x" * 40 + " call 150 or 200 today " + "y" * 40
    (win,) = number_windows(text, [], 5, 5)
    assert text[win[0] : win[1]] == "call 150 or 200 today"
    assert number_windows("no digits here", [], 24, 24) == []
    # runs inside a blocked span open no window; longer runs neither
    assert number_windows("call 2141501887", [], 3, 3) == []
    assert number_windows("call 214 150", [(5, 12)], 3, 3) == []
