"""The guards put in front of the chain and mask regexes never reject a match: the same
matches as without them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.extract.phone_context import _MASK_GUARD, _MASK_RE, _id_label_re, is_id_labelled
from safelight.extract.phone_patterns import (
    CHAIN_RE,
    DIGIT_CHAIN_RE,
    alt_by_initial,
    alternation,
    build_regexes,
)
from safelight.extract.phone_tables import tables

_UNGUARDED = build_regexes(guarded=False)[1]
_CHAIN_UNGUARDED = build_regexes(guarded=False)[0]
_MASK_UNGUARDED = re.compile(_MASK_RE.pattern.replace(_MASK_GUARD, "", 1))

# Digits (several scripts, special and keycap ones), separators, letters that may or may not
# start a number word or look-alike (some non-ASCII ones folding to ASCII), number words,
# gap words and the marks that end short numbers ("100%", "150hr", "5'4").
_PIECES = [
    *"0123456789",
    "٣",
    "９",
    "𝟕",
    "①",
    "²",
    "🔟",
    "⓪",
    "\u00b9",
    "\ufe0f\u20e3",
    "\u20e3",
    *" -.,/()*_~|+#\n\t",
    "\u3000",
    "💋",
    "•",
    *"%$!'’:;?&@",
    *"aAbcdefghiIklLmnoOpqrstSuvwxyzZ",
    "é",
    "ı",
    "İ",
    "ſ",
    "\u212a",
    "ж",
    "nine",
    "NINE",
    "oh",
    "zero",
    "seven",
    "twenty",
    "hundred",
    "double",
    "hr",
    "yrs",
    "call",
    "me",
]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_guard_gives_the_unguarded_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _spans(DIGIT_CHAIN_RE, text) == _spans(_UNGUARDED, text)
    assert _spans(CHAIN_RE, text) == _spans(_CHAIN_UNGUARDED, text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x1FAFF), max_size=30))
def test_guard_on_any_characters(text: str) -> None:
    digits = "9033121887"
    for probe in (text, f"{text}{digits}", f"{digits}{text}", f"1{text}2 3{text}4"):
        assert _spans(DIGIT_CHAIN_RE, probe) == _spans(_UNGUARDED, probe)
        assert _spans(CHAIN_RE, probe) == _spans(_CHAIN_UNGUARDED, probe)


def test_short_numbers_still_fail_and_phones_still_match() -> None:
    assert DIGIT_CHAIN_RE.search("100% real, 150hr, $170!") is None
    text = "text 903-312-1887 or 9O3 312 l887 now"
    assert _spans(DIGIT_CHAIN_RE, text) == _spans(_UNGUARDED, text) != []


_MASK_PIECES = [
    *"0123456789",
    "24",
    "٣",
    *" -./:%'’′\"”″\n",
    "''",
    "ft",
    "feet",
    "foot",
    "in",
    "lbs",
    "lb",
    "pounds",
    "kg",
    *"ABCDHabcdhfiklpsx",
    "$",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_MASK_PIECES), max_size=30))
def test_mask_guard_gives_the_unguarded_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _spans(_MASK_RE, text) == _spans(_MASK_UNGUARDED, text)
    for lo in range(0, len(text), 7):
        hi = min(len(text), lo + 20)
        got = [m.span() for m in _MASK_RE.finditer(text, lo, hi)]
        assert got == [m.span() for m in _MASK_UNGUARDED.finditer(text, lo, hi)]


def test_mask_guard_keeps_every_mask() -> None:
    text = "03/13/2014 2014-03-13 34B-24-34 5'4 5 ft 3 120lbs 100% 24/7 9:15 903-312-1887"
    assert len(_spans(_MASK_RE, text)) == 9
    assert _spans(_MASK_RE, text) == _spans(_MASK_UNGUARDED, text)


_LABEL_PIECES = [
    "post",
    "Post",
    "ad",
    "ID",
    "id",
    "İd",
    "\u212a",
    "#",
    "no",
    "No.",
    "num",
    "number",
    "ref",
    "REF",
    "order",
    "tracking",
    "cell",
    "call",
    *" :#.=-\n",
    "  ",
    "x",
    "é",
    "💋",
    "1",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_LABEL_PIECES), max_size=12))
def test_id_label_pre_check_never_stricter_than_the_regex(pieces: list[str]) -> None:
    text = "".join(pieces) + "9033121887"
    start = len(text) - 10
    found = _id_label_re().search(text, max(0, start - 24), start) is not None
    assert is_id_labelled(text, start) == found


def test_id_labels() -> None:
    assert is_id_labelled("Post ID: 9033121887", 9)
    assert is_id_labelled("ref = 9033121887", 6)
    assert not is_id_labelled("cell: 9033121887", 6)


def test_alternation_by_initial_matches_the_case_insensitive_one() -> None:
    words = list(tables().words)
    initials = sorted({w[0] for w in words})
    every = "".join(map(chr, range(0x110000)))
    by_class = re.compile(alt_by_initial(initials)).findall(every)
    assert by_class == re.compile("(?i:" + alternation(initials) + ")").findall(every)
    new = re.compile(alt_by_initial(words))
    old = re.compile("(?i:" + alternation(words) + ")")
    for word in words:
        for form in (word, word.upper(), word.title(), word.replace("s", "ſ"), f"x{word}ing"):
            assert [m.span() for m in new.finditer(form)] == [m.span() for m in old.finditer(form)]
