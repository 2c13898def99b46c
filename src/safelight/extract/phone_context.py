"""Context that tells a phone-shaped digit string is not a phone, or is a foreign one.

- ``is_masked``: the candidate overlaps a date, measurement, height, weight, percentage,
  time, "24/7", follows a price sign, a road word ("exit 556", "I-20") or a state code (zip),
  or sits inside a URL or e-mail address.
- ``is_id_labelled``: it follows a label like "Post ID:" or "ref" (labels in
  ``data/phone_obfuscation.yaml``).
- ``has_intl_context``: a WhatsApp/Telegram-like word shortly before it, so a number written
  without "+" may still be international.
"""

from __future__ import annotations

import re
import string
from functools import cache

from safelight.extract.phone_patterns import alternation
from safelight.extract.phone_tables import IGNORECASE_FOLD, tables

__all__ = ["has_intl_context", "is_id_labelled", "is_masked"]

# What every branch below needs after the first digit, by the length of the digit run it
# starts (1, 2, 3, 4, 5+) and the character after it: tried first, it turns the groups of a
# plain phone ("903-312-1887": 3 digits then "-") away at once, not after every branch.
_MASK_GUARD = (
    r"(?=[-./'’′f:%]|\s['’′f%]"
    r"|\d(?:[-./:%A-Ha-hlpk]|\s[-/\sA-Ha-hlpk%])"
    r"|\d\d\s?[lpk%]|\d{3}(?:[-./]|\s?%)|\d{4,}+\s?%)"
)
# Number shapes that are never phones: a candidate phone overlapping one is dropped. Every
# branch starts at the first digit of a number (the pattern starts with ``\d``, so the regex
# engine jumps from digit to digit).
_MASK_RE = re.compile(
    r"\d(?<!\d\d)(?<!\d[-./]\d)" + _MASK_GUARD + r"(?:"
    r"\d?[-./]\d{1,2}[-./](?:\d{4}|\d{2})(?![-./]?\d)"  # 03/13/2014
    r"|\d{3}[-./]\d{1,2}[-./]\d{1,2}(?![-./]?\d)"  # 2014-03-13
    r"|\d\s?[A-Ha-h]{0,4}\s?[-/]\s?\d{2}\s?[-/]\s?\d{2}(?![-/]?\d)"  # 34B-24-34
    r"|(?<=[3-7])\s?(?:'|’|′|ft\.?|feet|foot)\s?\d{1,2}(?:\s?(?:\"|”|″|''|in\b))?"  # 5'4
    r"|\d{1,2}\s?(?:lbs?|pounds|kg)\b"  # 120lbs
    r"|\d*\s?%"  # 100%
    r"|(?<=2)4\s?/\s?7(?!\d)"  # 24/7
    r"|\d?:\d{2}"  # 9:15
    r")"
)
# What right before a number says it is a price, a road or a zip code.
_PREFIX_RE = re.compile(
    r"(?:[$£€]\s?|(?i:\b(?:exit|hwy|highway|interstate|route|I-|US-)\s?#?\s?))$"
)
_ZIP_PREFIX_RE = re.compile(r"\b[A-Z]{2},?\s$")
_TOKEN_RIGHT = re.compile(r"\S*")
_URL_OR_EMAIL = re.compile(r"(?i:https?://|www\.|[\w.+-]@[\w-]+\.)")


def is_masked(text: str, start: int, end: int, first_digits: str = "") -> bool:
    """True when the candidate ``text[start:end]`` overlaps a date, measurement, height,
    weight, percentage, time, or follows a price sign, a road word or a state code (zip),
    or sits inside a URL or e-mail address: number shapes that are never phones."""
    for m in _MASK_RE.finditer(text, max(0, start - 24), min(len(text), end + 12)):
        if m.start() >= end:  # the later ones start after the candidate too
            break
        if m.end() > start:
            return True
    if _may_follow_prefix(text, max(0, start - 16), start) and _PREFIX_RE.search(
        text, max(0, start - 16), start
    ):
        return True
    if len(first_digits) == 5 and _ZIP_PREFIX_RE.search(text, max(0, start - 5), start):
        return True
    space = text.rfind(" ", 0, start)
    lo = max(space, text.rfind("\n", space + 1, start)) + 1  # after the last space or newline
    right = _TOKEN_RIGHT.match(text, end)
    hi = right.end() if right else end
    token = text[lo:hi]
    if "@" in token or "/" in token or "www" in token:
        return _URL_OR_EMAIL.search(token) is not None
    return False


@cache
def _id_label_re() -> re.Pattern[str]:
    labels = tables().id_labels
    suffix = r"\s*(?:id\b|#|no\b\.?|num\b|number\b)"
    needs = alternation([w for w, n in labels if n])
    free = alternation([w for w, n in labels if not n])
    return re.compile(rf"(?i:\b(?:(?:{needs}){suffix}|(?:{free})(?:{suffix})?)\s*[:#.=]?\s*)$")


@cache
def _intl_context_re() -> re.Pattern[str]:
    return re.compile(rf"(?i:\b(?:{alternation(list(tables().intl_context))})\b)")


def is_id_labelled(text: str, start: int) -> bool:
    """True when the number starting at ``start`` follows a label like "Post ID:"."""
    lo = max(0, start - 24)
    tail = text[lo:start].rstrip()
    if tail.endswith((":", "=")):  # the mark after a label ("cell: " is no label): before it
        tail = tail[:-1]
    if not _may_end_with(tail, _id_label_ends(), "#."):
        return False
    return _id_label_re().search(text, lo, start) is not None


def has_intl_context(text: str, start: int) -> bool:
    lo = max(0, start - 40)
    window = text[lo:start]
    low = window.lower()
    if not any(word in low for word in tables().intl_context) and (
        window.isascii() or not any(ch in window for ch in _ODD_FOLDS)
    ):
        return False
    return _intl_context_re().search(text, lo, start) is not None


# The look-back regexes end at the number (``$``), so the engine would try them at every
# position of their window; they run only when the window ends (spaces and the listed marks
# aside) with a word they can end with. Characters outside ASCII that ``re.IGNORECASE``
# matches to an ASCII letter ("ſ" ~ "s", "K" ~ "k") make the check give way to the regex.
_ODD_FOLDS = "".join(map(chr, IGNORECASE_FOLD))
_ROAD_WORDS = ("exit", "hwy", "highway", "interstate", "route")
_ASCII_LETTERS = string.ascii_letters


@cache
def _id_label_ends() -> tuple[str, ...]:
    """The last words of the ID labels: free-standing labels and the "id"/"no" suffixes."""
    return ("id", "no", "num", "number", *(w for w, n in tables().id_labels if not n))


def _may_end_with(text: str, words: tuple[str, ...], marks: str) -> bool:
    """Can ``text`` end (trailing spaces aside) with one of ``marks`` or of ``words`` (any
    case, at the end of the last run of ASCII letters: "postid")?"""
    tail = text.rstrip()
    if not tail:
        return False
    if tail[-1] in marks or not tail[-1].isascii():
        return True
    k = len(tail.rstrip(_ASCII_LETTERS))  # where the last run of ASCII letters starts
    return (k > 0 and not tail[k - 1].isascii()) or tail[k:].lower().endswith(words)


def _may_follow_prefix(text: str, lo: int, hi: int) -> bool:
    """Can ``_PREFIX_RE`` match ``text[lo:hi]``? It ends with a currency sign, a "-" or a
    road word, then at most spaces and a "#"."""
    tail = text[lo:hi].rstrip().rstrip("#")
    return _may_end_with(tail, _ROAD_WORDS, "$£€-")
