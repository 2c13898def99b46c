"""How ads write the number of an age: number words, their misspellings, and Unicode digits.

- ``parse_number("nineteen") == 19``, ``parse_number("twenty-one") == 21``;
- ``fuzzy_number("sevnteen") == 17``: a misspelled or shortened number word from 13 to 29,
  recognised by three principled rules (never by a list of test strings):
  * letters stretched or doubled: "sixteeen", "seventeeen" (equal once repeats are squeezed);
  * vowels dropped, as text-speak does: "sixtn", "svntn", "twnty" (the token keeps every
    consonant of the word, in order, and only drops vowels);
  * one typing slip (two for words of eight letters or more), by Damerau-Levenshtein
    distance: "sevnteen", "ninteen", "eightteen", "fourten";
  and only when exactly one number is that close. The caller reads these only next to an age
  cue ("im", "age", "yo", "years old").
- ``ascii_digits(text)``: keycap digits (1️⃣, with or without U+FE0F), full-width (１),
  mathematical (𝟭) and circled (⑯) digits as ASCII digits, with the map back to the original
  offsets, so matches found in the plain copy report exact substrings of what was written.
  The set of digit-like characters is the phone extractor's (``phone_tables.SPECIAL``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from safelight.extract.base import class_body
from safelight.extract.phone_tables import SPECIAL

__all__ = [
    "NUMBER_WORDS",
    "WORD_RE",
    "DigitMap",
    "ascii_digits",
    "fuzzy_number",
    "non_ascii_class",
    "parse_number",
]

_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
}

NUMBER_WORDS: dict[str, int] = {w: 10 + i for i, w in enumerate(_TEENS)}
for _tens, _base in _TENS.items():
    NUMBER_WORDS[_tens] = _base
    for _i, _unit in enumerate(_UNITS[1:], start=1):
        for _sep in (" ", "-", ""):
            NUMBER_WORDS[f"{_tens}{_sep}{_unit}"] = _base + _i

# "six teen", "seven-teen": a teen word split to get past filters.
WORD_RE = (
    r"(?:(?:twenty|thirty|fou?rty|fifty|sixty)(?:[\s-]?(?:one|two|three|four|five|six|"
    r"seven|eight|nine)(?![a-z]))?|seventy|eleven|twelve|"
    r"(?:thir|four|fif|six|seven|eigh|nine)[ \t._-]?teen)"
)

# Fuzzy targets: 13 to 29, written as one word.
_TARGETS: dict[str, int] = {
    w: v for w, v in NUMBER_WORDS.items() if 13 <= v <= 29 and " " not in w and "-" not in w
}
_VOWELS = frozenset("aeiouy")
_SQUEEZE = re.compile(r"(.)\1+")
_SEPARATORS = re.compile(r"[\s._-]+")


def parse_number(token: str) -> int | None:
    """``"19"`` -> 19, ``"nineteen"`` -> 19, ``"twenty-one"`` -> 21; None otherwise."""
    token = token.strip().lower()
    if token.isascii() and token.isdigit():
        return int(token)
    token = re.sub(r"\s+", " ", token)
    value = NUMBER_WORDS.get(token)
    if value is None and "teen" in token:  # "six teen", "seven-teen"
        value = NUMBER_WORDS.get(_SEPARATORS.sub("", token))
    return value


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _consonants(word: str) -> str:
    return "".join(ch for ch in word if ch not in _VOWELS)


_TARGET_FORMS = tuple((w, v, _SQUEEZE.sub(r"\1", w), _consonants(w)) for w, v in _TARGETS.items())


@lru_cache(maxsize=8192)
def fuzzy_number(token: str) -> int | None:
    """The number 13..29 a misspelled or shortened number word stands for, else None. Exact
    number words (any value) are returned as they are."""
    t = _SEPARATORS.sub("", token.lower())
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    if len(t) < 4 or not t.isalpha() or not t.isascii() or t.endswith("th"):
        return None  # too short to tell, or an ordinal ("sixteenth")
    squeezed = _SQUEEZE.sub(r"\1", t)
    hits: set[int] = set()
    for word, value, w_squeezed, w_consonants in _TARGET_FORMS:
        if (
            squeezed == w_squeezed
            or (
                t[0] == word[0]
                and len(t) < len(word)
                and _consonants(t) == w_consonants
                and _subsequence(t, word)
            )
            or abs(len(t) - len(word)) <= 2
            and DamerauLevenshtein.distance(t, word, score_cutoff=2) <= (2 if len(word) >= 8 else 1)
        ):
            hits.add(value)
    return hits.pop() if len(hits) == 1 else None


# ---------------------------------------------------------------------------------------------
# Unicode digits


@lru_cache(maxsize=1024)
def _digit_value(ch: str) -> str | None:
    if ch in SPECIAL:
        return SPECIAL[ch]
    if ch.isascii():
        return None
    value = unicodedata.digit(ch, None)
    return None if value is None else str(value)


def non_ascii_class(body: str) -> re.Pattern[str]:
    """A search for one character of the class ``[body]``, whose characters are all non-ASCII,
    that skips ASCII text quickly: it starts with the class of the non-ASCII characters (the
    engine jumps to them), then a look-behind tests the character taken."""
    return re.compile(f"[^\\x00-\\x7f](?<=[{body}])")


# Every non-ASCII decimal digit (Unicode has none above U+1FFFF) and the phone extractor's
# digit-like characters, as ONE character class: a single fast scan finds them.
_OTHER_DIGIT_CHARS = [chr(c) for c in range(0x80, 0x20000) if chr(c).isdecimal()] + list(SPECIAL)
_OTHER_DIGITS = class_body(_OTHER_DIGIT_CHARS)
_OTHER_DIGIT_IN = non_ascii_class(f"{_OTHER_DIGITS}\u20e3")  # or the keycap mark
_UNICODE_DIGIT = re.compile(rf"[0-9]\ufe0f?\u20e3|[{_OTHER_DIGITS}]")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Those written as one ASCII digit ("１", "𝟭"), as a translation table; the others ("⑯") and
# the keycap mark as a class: a text without them keeps its offsets in the ASCII-digit copy.
_ONE_FOR_ONE = {
    ord(c): value for c in _OTHER_DIGIT_CHARS if len(value := _digit_value(c) or "") == 1
}
_NOT_ONE_FOR_ONE = re.compile(
    "["
    + class_body([c for c in _OTHER_DIGIT_CHARS if ord(c) not in _ONE_FOR_ONE] + ["\u20e3"])
    + "]"
)


class DigitMap:
    """A copy of a text with Unicode digits as ASCII, and the way back to original offsets."""

    __slots__ = ("text", "_starts", "_ends")

    def __init__(self, text: str, starts: list[int] | None, ends: list[int] | None) -> None:
        self.text = text
        # Original start and end of each character of ``text``; None when every digit replaced
        # was one character written as one ("１", "𝟭"): then the offsets are the same.
        self._starts = starts
        self._ends = ends

    @property
    def same_offsets(self) -> bool:
        return self._starts is None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self._starts is None or self._ends is None:
            return start, end
        return self._starts[start], self._ends[end - 1]

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        if self._starts is None or self._ends is None:
            return start, end
        return bisect_right(self._ends, start), bisect_left(self._starts, end)


def ascii_digits(text: str) -> DigitMap | None:
    """The ASCII-digit copy of ``text``, or None when it writes no digit in another form."""
    if text.isascii() or not _OTHER_DIGIT_IN.search(text):
        return None
    rest = _ASCII_RUNS.sub("", text)  # the few non-ASCII characters: a far shorter scan
    if not _NOT_ONE_FOR_ONE.search(rest):  # the same as the tokens below, far fewer steps
        return DigitMap(_NON_ASCII_RUN.sub(_one_for_one, text), None, None)
    tokens = _digit_tokens(text)
    parts: list[str] = []
    pos = 0
    for s, e, digits in tokens:
        parts.append(text[pos:s])
        parts.append(digits)
        pos = e
    parts.append(text[pos:])
    if all(e - s == 1 and len(digits) == 1 for s, e, digits in tokens):
        return DigitMap("".join(parts), None, None)
    return DigitMap("".join(parts), *_offsets(tokens, len(text)))


def _one_for_one(run: re.Match[str]) -> str:
    return run.group().translate(_ONE_FOR_ONE)


def _digit_tokens(text: str) -> list[tuple[int, int, str]]:
    """Start, end and ASCII digits of every Unicode digit (keycap, full-width...) in ``text``."""
    tokens = []
    # Every match holds a non-ASCII character (a keycap's digit is the ASCII character just
    # before one): scanning only the non-ASCII runs gives the same matches as the whole text.
    for run in _NON_ASCII_RUN.finditer(text):
        lo, hi = run.span()
        if lo and "0" <= text[lo - 1] <= "9":
            lo -= 1
        for m in _UNICODE_DIGIT.finditer(text, lo, hi):
            tok = m.group()
            digits = tok[0] if "\u20e3" in tok else _digit_value(tok) or ""
            tokens.append((m.start(), m.end(), digits))
    return tokens


def _offsets(tokens: list[tuple[int, int, str]], size: int) -> tuple[list[int], list[int]]:
    """Original start and end of each character of the copy (a token's digits share its span)."""
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for s, e, digits in tokens:
        starts.extend(range(pos, s))
        ends.extend(range(pos + 1, s + 1))
        starts.extend([s] * len(digits))
        ends.extend([e] * len(digits))
        pos = e
    starts.extend(range(pos, size))
    ends.extend(range(pos + 1, size + 1))
    return starts, ends
