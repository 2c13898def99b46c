"""The place cues: the words around a city or state name that make it a place ("in Tyler",
"Tyler area") or not ("ask for Tyler", "Tyler St"), and the checks that read them for a bare
city name (``bare_ok``) and for state names and codes (``state_matches``).

The cue regexes end at the end of the text before a name (``\\Z``), so the engine would try
them at every position of that window: they run only when the last word before the name can
end one of them (``_tail``).
"""

from __future__ import annotations

import re

from safelight.extract.gazetteer import City, Gazetteer

__all__ = ["BIG_CITY", "bare_ok", "state_matches"]

BIG_CITY = 100_000

_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|n|near|nr|(?<!hi\s)(?<!hello\s)(?<!love\s)(?<!xoxo\s)(?<!kisses\s)from|"
    r"post\s*id:?\s*\d+|visiting|visit|located|location|locations|loc|"
    r"outcalls?\s+to|incalls?\s+in|around|downtown|serving|covering|city\s+of|new\s+to|"
    r"come\s+to|coming\s+to|heading\s+to|moved\s+to|welcome\s+to|trip\s+to|arrived|based|"
    r"greater|metro|north|south|east|west|central|northern|southern|uptown|midtown|outside|"
    r"area|escorts?)|[>|»•·@#(/])[\s:,\-–>]*\Z",
    re.IGNORECASE,
)
# Weaker cues: enough for a city that is not also a name or a word ("from Plano", "at Tempe").
# Site chrome that names the city in lower case: "Post ID: 25265660 tyler", "> tyler escorts".
_SLUG_CUE = re.compile(r"(?:post\s*id:?\s*\d+|location:?|>)\s*\Z", re.IGNORECASE)
_WEAK_CUE = re.compile(r"\b(?:at|from|of|to)[\s:,\-–]*\Z", re.IGNORECASE)
# An ambiguous name followed by another capitalised word is part of a longer name
# ("Walnut Hill", "Madison Square"), unless that word is a state.
_CAPITALISED_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")
# "in" before a state code that is not an English word itself: "in PA", "in CO".
_IN_CUE = re.compile(r"\b(?:in|n)\s+\Z", re.IGNORECASE)
_IN_UNSAFE = frozenset({"IN", "OR", "ME", "HI", "OK", "AS", "ID", "AL", "LA"})
_NARROW_CUE = re.compile(
    r"\b(?:location|locations|loc|located\s+in|located|visiting|near|"
    r"based\s+in)[\s:,\-–]*\Z",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"[\s,:\-–]*(?:area|areas|escorts?|metro|downtown|adult|suburbs|"
    r"region|\d{5}(?!\d))\b",
    re.IGNORECASE,
)
_NAME_CUE = re.compile(
    r"\b(?:i\s*['’]?\s*a?m|im|i\s+am|name\s+is|names|ask\s+for|call\s+me|"
    r"it['’]?s|this\s+is|xoxo|miss|ms|mrs|hi|hey)[\s:,\-]*\Z",
    re.IGNORECASE,
)
_NOT_CITY_AFTER = re.compile(
    r"\s+(?:st|street|ave|avenue|blvd|boulevard|rd|road|dr|drive|pkwy|parkway|hwy|highway|ln|"
    r"lane|ct|court|fwy|freeway|expy|tollway|plaza|mall|hotel|inn|suites?|county|co|"
    r"university|college|airport|pike|cowboys|mavericks|rockets|stars|texans)\b\.?",
    re.IGNORECASE,
)
# What ``_tail`` strips after the last word before a name.
_TRAILING = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + ":,-–>"
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NAME_LAST = _words("m im iam am is names for me s its xoxo miss ms mrs hi hey")  # _NAME_CUE
_CUE_LAST = _words(  # _CUE_BEFORE
    "in n near nr from visiting visit located location locations loc to around downtown serving "
    "covering of arrived based greater metro north south east west central northern southern "
    "uptown midtown outside area escort escorts"
)
_CUE_MARKS = frozenset("|@#(/0123456789")  # _CUE_BEFORE's marks and "post id 123"
_WEAK_LAST = frozenset(("at", "from", "of", "to"))
_NARROW_LAST = frozenset(("location", "locations", "loc", "in", "located", "visiting", "near"))
_IN_LAST = frozenset(("in", "n"))


def _tail(before: str) -> tuple[str, str, str] | None:
    """(last word lower-cased, last character, stripped trailing characters) of ``before``;
    None when a non-ASCII character ends that word (then every cue regex runs)."""
    tail = before.rstrip(_TRAILING)
    k = len(tail)
    while k and tail[k - 1] in _ASCII_LETTERS:
        k -= 1
    if k and not tail[k - 1].isascii():
        return None
    return tail[k:].lower(), tail[-1:], before[len(tail) :]


def _may_end(tail: tuple[str, str, str] | None, words: frozenset[str]) -> bool:
    return tail is None or tail[0] in words


def _cue_before(before: str, tail: tuple[str, str, str] | None) -> bool:
    if tail is None or tail[0] in _CUE_LAST or tail[1] in _CUE_MARKS or ">" in tail[2]:
        return _CUE_BEFORE.search(before) is not None
    return False


def _may_slug(tail: tuple[str, str, str] | None) -> bool:
    return tail is None or tail[1].isdigit() or tail[0].endswith("location") or ">" in tail[2]


_SMALL_WORDS = frozenset({"of", "the", "de", "la", "del", "du", "in", "n", "o'", "d'"})


def _case(written: str) -> str:
    if written.islower():
        return "lower"
    if written.isupper():
        return "upper"
    if written.isalpha():  # one word
        return "title" if written[:1].isupper() or written.lower() in _SMALL_WORDS else "mixed"
    words = [w for w in re.split(r"[\s\-]+", written) if w.lower() not in _SMALL_WORDS]
    return "title" if all(w[:1].isupper() for w in words) else "mixed"


def bare_ok(
    text: str, start: int, end: int, key: str, entries: tuple[City, ...], gz: Gazetteer
) -> bool:
    if _NOT_CITY_AFTER.match(text, end):
        return False
    before = text[max(0, start - 30) : start]
    tail = _tail(before)
    if _may_end(tail, _NAME_LAST) and _NAME_CUE.search(before):
        return False
    case = _case(text[start:end])
    if key in gz.ambiguous:
        if _CAPITALISED_NEXT.match(text, end):
            return False
        if _CUE_AFTER.match(text, end):
            return True
        if case in ("title", "upper") and _cue_before(before, tail):
            return True
        return _may_slug(tail) and bool(_SLUG_CUE.search(before))
    if case in ("title", "upper"):
        return True
    return (
        _cue_before(before, tail)
        or bool(_CUE_AFTER.match(text, end))
        or entries[0].population >= BIG_CITY
        or (_may_end(tail, _WEAK_LAST) and bool(_WEAK_CUE.search(before)))
    )


def state_matches(
    text: str,
    spans: list[tuple[int, int]],
    codes: list[int],
    taken: list[tuple[int, int]],
    gz: Gazetteer,
) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for i, end in spans:
        if taken and any(s < end and i < e for s, e in taken):
            continue
        written = text[i:end]
        name = re.sub(r"\s+", " ", written.lower())
        before = text[max(0, i - 30) : i]
        if _NAME_CUE.search(before):
            continue
        if name in gz.ambiguous_states and not (
            written[:1].isupper() or _CUE_BEFORE.search(before)
        ):
            continue
        taken.append((i, end))
        out.append((i, end, gz.state_names[name]))
    for i in codes:
        if i and (text[i - 1].isalnum() or text[i - 1] in "_.'’"):
            continue  # inside a word, or after "." or an apostrophe
        code = text[i : i + 2]
        if taken and any(s < i + 2 and i < e for s, e in taken):
            continue
        if code in gz.word_codes:
            before = text[max(0, i - 30) : i]
            tail = _tail(before)
            if not (
                (_may_end(tail, _NARROW_LAST) and _NARROW_CUE.search(before))
                or (code not in _IN_UNSAFE and _may_end(tail, _IN_LAST) and _IN_CUE.search(before))
            ):
                continue
        out.append((i, i + 2, code))
    return out
