"""Fold ad text into a canonical form for phrase matching, keeping a map back to the original.

Ads dodge keyword filters: ``Y0UNG``, ``yuuung``, ``n e w  i n  t o w n``, Cyrillic look-alikes
(``уоung``), mathematical letters (``𝔂𝓸𝓾𝓷𝓰``). Folding undoes these in three steps, all at C
speed except where a step actually changes something:

1. ``str.translate`` with a 1:1 table: look-alike, accented, full-width and mathematical letters
   to lower-case ASCII (offsets unchanged);
2. leetspeak digits to letters when they touch a letter (``y0ung`` -> ``young``; ``24/7`` kept);
3. deletions: letters stretched to three or more collapse to one (``freeesh`` -> ``fresh``,
   ``daaaddy`` -> ``daddy``; ordinary doubles stay, so ``teen`` never becomes ``ten``), letters
   spaced out one by one join up, and emoji variation selectors / skin tones drop.

``Folded.span(start, end)`` maps a match in the folded text back to the original text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

__all__ = ["Folded", "fold", "fold_parts", "fold_pattern", "shifted"]

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
# A digit touching a letter; the character class comes first so the engine can skip ahead.
_LEET_RE = re.compile(r"[013457@$](?:(?<=[a-z].)|(?=[a-z]))")

# Letters that look Latin but are not (Cyrillic, Greek) -> the Latin letter they imitate.
HOMOGLYPHS = {
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ɡ": "g",
    "и": "n",
    "α": "a",
    "β": "b",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "ν": "v",
    "χ": "x",
    "γ": "y",
    "ѵ": "v",
    "ԝ": "w",
    "ո": "n",
    "ɩ": "i",
    "ᴄ": "c",
    "ᴏ": "o",
}

# Repeated letters collapse; single letters spaced out join ("n e w" -> "new").
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
# Cheap necessary conditions, checked first (the scans above try every position): a letter three
# times in a row (a fixed-length backreference is several times faster than ``{2,}``), and a
# single letter between separators followed by another lone letter (the 2nd and 3rd letters of
# every spaced run).
_REPEAT_PRE_RE = re.compile(r"([a-z])\1\1")
_SPACED_PRE_RE = re.compile(r"[ .*_\-~][a-z][ .*_\-~]{1,2}[a-z](?![a-z0-9])")
_SPACED_RE = re.compile(r"(?<![a-z0-9])[a-z](?:[ .*_\-~]{1,2}[a-z]){2,}(?![a-z0-9])")
_SPACED_SEP_RE = re.compile(r"[ .*_\-~]")
_DROP_RE = re.compile("[\ufe0f\ufe0e\u200b\u200c\u2060\u00ad\U0001f3fb-\U0001f3ff]")


@cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [
        (0x41, 0x5A),
        (0xC0, 0x24F),
        (0x370, 0x3FF),
        (0x400, 0x4FF),
        (0x1D00, 0x1D7F),
        (0x24B6, 0x24E9),
        (0xFF21, 0xFF5A),
        (0x1D400, 0x1D7FF),
        (0x1F130, 0x1F189),
    ]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            base = _ascii_letter(ch)
            if base and base != ch:
                table[cp] = base
    for ch, latin in HOMOGLYPHS.items():
        table[ord(ch)] = latin
        table[ord(ch.upper())] = latin if ch.upper() != ch else latin
    for dash in "-\u2010\u2011\u2012\u2013\u2014":  # "in-call", "high-end": as spaced words
        table[ord(dash)] = " "
    return table


def _ascii_letter(ch: str) -> str | None:
    if ch in HOMOGLYPHS:
        return HOMOGLYPHS[ch]
    for form in (unicodedata.normalize("NFKD", ch), unicodedata.normalize("NFKC", ch)):
        first = form[:1].lower()
        if first.isascii() and first.isalpha():
            return first
    return None


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _needs_fold(text: str) -> bool:
    """Whether a non-ASCII character of ``text`` is one the fold table changes."""
    table = _fold_table()
    return any(ord(c) in table for c in _NON_ASCII_RE.findall(text))


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text plus the sorted original positions of the characters deleted by folding."""

    original: str
    digits: str  # step 1 only: lower-case, digits intact (for patterns with digits)
    text: str  # steps 1-3: what letter patterns match against
    deleted: tuple[int, ...]

    def to_original(self, pos: int) -> int:
        """Original offset of folded position ``pos`` (a character index in ``text``)."""
        return pos + bisect_right(shifted(self.deleted), pos)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if not self.deleted:
            return start, end
        shift = shifted(self.deleted)
        return start + bisect_right(shift, start), end + bisect_right(shift, end - 1)


def shifted(deleted: tuple[int, ...] | list[int]) -> list[int]:
    """For sorted deleted positions ``d_j``, the folded index ``d_j - j`` each one precedes:
    folded position ``p`` sits at original ``p + bisect_right(shifted, p)``."""
    return [d - j for j, d in enumerate(deleted)]


def fold(text: str) -> Folded:
    return Folded(text, *fold_parts(text))


def fold_parts(text: str) -> tuple[str, str, tuple[int, ...]]:
    """``fold`` without the wrapper object: (digits, text, deleted) of ``Folded``."""
    step1 = text.lower()
    if len(step1) != len(text):  # a rare char whose lower() is longer: keep offsets exact
        translated = text.translate(_fold_table())
        step1 = "".join(c.lower() if len(c.lower()) == 1 else c for c in translated)
        ascii_only = False
    elif step1.isascii():
        ascii_only = True
        if "-" in step1:
            step1 = step1.replace("-", " ")
    else:
        ascii_only = False
        if _needs_fold(step1):  # translate is slow: only when needed
            step1 = step1.translate(_fold_table())
        elif "-" in step1:
            step1 = step1.replace("-", " ")
    step2 = _LEET_RE.sub(_leet, step1)
    deleted: list[int] = []
    if not ascii_only:  # every character _DROP_RE deletes is non-ASCII
        for m in _DROP_RE.finditer(step2):
            deleted.append(m.start())
    if _SPACED_PRE_RE.search(step2):
        for m in _SPACED_RE.finditer(step2):
            deleted.extend(m.start() + i.start() for i in _SPACED_SEP_RE.finditer(m.group()))
    if _REPEAT_PRE_RE.search(step2):
        for m in _REPEAT_RE.finditer(step2):
            deleted.extend(range(m.start() + 1, m.end()))
    if not deleted:
        return step1, step2, ()
    drop = sorted(set(deleted))
    pieces, prev = [], 0
    for pos in drop:
        pieces.append(step2[prev:pos])
        prev = pos + 1
    pieces.append(step2[prev:])
    return step1, "".join(pieces), tuple(drop)


def _leet(m: re.Match[str]) -> str:
    return LEET[m.group()]


def fold_pattern(pattern: str) -> str:
    """Fold a catalogue phrase as ad text is folded (without the spaced-letter join)."""
    step = _LEET_RE.sub(lambda m: LEET[m.group()], pattern.translate(_fold_table()).lower())
    return _REPEAT_RE.sub(r"\1", _DROP_RE.sub("", step))
