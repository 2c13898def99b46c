"""Names and aliases of the person(s) advertised, as capitalised strings ("Ashlee").

A name is taken only where the ad introduces one: a cue ("Im Ashlee", "my name is Mia",
"ask for Mia or Lexi", "xoxo Kandi", "Kandi here", a "- Bella" signature), then a word that
passes the first-name lexicon (``data/first_names.csv``, census names plus stage-name
spellings). How much evidence a word needs depends on the cue (``data/names.yaml``):

- strong cues ("my name is", "call me", "aka") accept any lexicon name, and a capitalised
  word outside the lexicon ("my name is Zaylee");
- weak cues ("I'm", "call", "ask for", "this is") accept lexicon names only, and names that
  are also English words ("Honey", "Summer", "Dallas") only when capitalised.

Never a name: the listed non-names ("I'm new", "call now"), numbers ("Im 19"), a month before
a date ("May 5"), a city before its state ("Tyler, TX"), words inside a handle or an email.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import us

from safelight.extract.base import Match, lowered
from safelight.extract.name_lexicon import (
    AFTER,
    NAME,
    STRONG,
    WEAK,
    WORD,
    Lexicon,
    load_lexicon,
)
from safelight.extract.name_scan import scan

__all__ = ["EXTRACTOR", "NameExtractor", "load_lexicon"]

_MORE = re.compile(
    rf"\s*(?:,|&|\+|/|\band\b|\bor\b|\bn\b|\b&amp;\b)\s*({WORD})(?![\w@])", re.IGNORECASE
)
_STATE_CODES = sorted(s.abbr for s in us.states.STATES_AND_TERRITORIES)
_STATE_CODE_SET = frozenset(_STATE_CODES)
_STATE_NAMES = sorted((s.name for s in us.states.STATES_AND_TERRITORIES), key=len, reverse=True)
# Codes that are also words ("Mia OR Lexi", "OH"): a state only after a comma.
_WORDLIKE_CODES = {
    "AL",
    "AS",
    "CO",
    "DE",
    "HI",
    "ID",
    "IN",
    "LA",
    "MA",
    "ME",
    "OH",
    "OK",
    "OR",
    "PA",
}
_OFFER_WORDS = ("special", "specials", "deal", "deals", "rates?", "discounts?", "area", "based")
# What follows a word that is not a name: a date, a state, a price word.
_NOT_AFTER = re.compile(
    rf"\s*(?:,\s*(?:{'|'.join(_STATE_CODES)})\b"
    rf"|\s+(?:{'|'.join(c for c in _STATE_CODES if c not in _WORDLIKE_CODES)})\b"
    rf"|,?\s*(?i:{'|'.join(re.escape(s) for s in _STATE_NAMES)})\b"
    rf"|\s*(?i:{'|'.join(_OFFER_WORDS)})\b)",
)
# Any match of _NOT_AFTER starts (spaces and a comma aside) with a code in capitals or with
# the first two letters of a state name or an offer word, in any case.
_NOT_AFTER_STARTS = frozenset(
    [*(n[:2].lower() for n in _STATE_NAMES), *(w[:2] for w in _OFFER_WORDS)]
)
# "- Bella" ending its line; matched at each dash found with str.find.
_SIGNATURE = re.compile(rf"[-–—~]+[ \t]*{NAME}(?=[^\w\n]*(?:\n|$))")
# The word before an after-cue ("Kandi here"), searched in a short window before the cue.
_NAME_BEFORE = re.compile(rf"(?<![\w@'’.])(?P<name>{WORD})[ \t]*[,!]?[ \t]*$")


class NameExtractor:
    field = "name"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        lex = load_lexicon()
        taken = [
            (m.start, m.end)
            for key in ("handle", "email")
            for m in found.get(key, [])
            if m.start is not None and m.end is not None
        ]
        out: list[Match] = []
        low = lowered(text)
        starts, afters, spots = scan(text, low, lex)
        pos = 0
        for start in starts:
            if start < pos:
                continue
            # (the cues that may start with the ASCII letter there: the same match)
            m = lex.cue_by_initial.get(text[start], lex.cue_re).match(text, start)
            if m is None:
                continue
            # Resume at the candidate word: it may start a cue itself ("ITS YOUR GIRL LUCY").
            pos = m.start("name")
            strength = STRONG if m.group("strong") else WEAK
            start, end = m.start("name"), m.end("name")
            if strength == WEAK and _AGE_AFTER.match(text, end):
                strength = STRONG  # "Im Keke 17": a capitalised word then an age
            if self._take(text, start, end, strength, lex, taken, out):
                self._more(text, end, lex, taken, out)
                pos = end
        for i in afters:
            if lex.after_re.match(text, i) and _may_end_word(text, max(0, i - 26), i):
                m = _NAME_BEFORE.search(text, max(0, i - 26), i)
                if m is not None:
                    self._take(text, m.start("name"), m.end("name"), AFTER, lex, taken, out)
        for dash in "-–—~":
            i = text.find(dash)
            while i >= 0:
                m = _SIGNATURE.match(text, i) if _line_start(text, i) else None
                if m is not None:
                    self._take(text, m.start("name"), m.end("name"), WEAK, lex, taken, out)
                i = text.find(dash, m.end() if m is not None else i + 1)
        if spots:
            self._bare(text, spots, lex, taken, found, out)
        return out

    def _bare(
        self,
        text: str,
        spots: list[tuple[int, int]],
        lex: Lexicon,
        taken: list[tuple[int, int]],
        found: Mapping[str, list[Match]],
        out: list[Match],
    ) -> None:
        """Capitalised lexicon names without a cue ("Kandi 20 and Mia 22", "Nurse Nikki"):
        names that are not English words, outside places, handles and emails."""
        places = [(m.start, m.end) for m in found.get("place", []) if m.start is not None]
        for i, end in spots:
            if not (places and any(s < end and i < (e or 0) for s, e in places)) and self._take(
                text, i, end, WEAK, lex, taken, out
            ):
                self._more(text, end, lex, taken, out)
                if _may_list(text, max(0, i - 26), i):
                    before = _LIST_BEFORE.search(text, max(0, i - 26), i)
                    if before is not None:  # "Amber & Ashley"
                        self._take(text, before.start(1), before.end(1), WEAK, lex, taken, out)

    @staticmethod
    def _take(
        text: str,
        start: int,
        end: int,
        strength: int,
        lex: Lexicon,
        taken: list[tuple[int, int]],
        out: list[Match],
    ) -> bool:
        word = text[start:end]
        if not _is_name(word, strength, lex, text):
            return False
        if _may_not_after(text, end) and _NOT_AFTER.match(text, end):
            return False
        if taken and any(s < end and start < e for s, e in taken):
            return False
        if word.lower() in _MONTHS and _DATE_AFTER.match(text, end):
            return False  # "May 5th"
        if out and any(o.start == start for o in out):
            return True
        out.append(Match("name", word[0].upper() + word[1:].lower(), word, start, end, {}))
        return True

    def _more(
        self, text: str, pos: int, lex: Lexicon, taken: list[tuple[int, int]], out: list[Match]
    ) -> None:
        """Further names in a list: "ask for Mia or Lexi", "Mia, Lexi & Kandi"."""
        while _may_list_more(text, pos) and (m := _MORE.match(text, pos)) is not None:
            if not self._take(text, m.start(1), m.end(1), WEAK, lex, taken, out):
                return
            pos = m.end(1)


_MONTHS = frozenset(("april", "may", "june", "august"))
_DATE_AFTER = re.compile(r"[ \t]*\d")
_LIST_BEFORE = re.compile(rf"(?<![\w'’])({WORD})[ \t]*(?:,|&|\+|\band\b)[ \t]*$")
_AGE_AFTER = re.compile(r"[ \t]*[,(]?[ \t]*\d{2}(?!\d)")


def _may_list_more(text: str, pos: int) -> bool:
    """Can ``_MORE`` match at ``pos``? After the spaces: a list mark or "and"/"or"/"n"."""
    size = len(text)
    while pos < size and text[pos].isspace():
        pos += 1
    return pos < size and (text[pos] in ",&+/aAoOnN" or not text[pos].isascii())


def _may_not_after(text: str, end: int) -> bool:
    """Can ``_NOT_AFTER`` match at ``end``? (a state code or name or an offer word follows)"""
    size = len(text)
    while end < size and text[end].isspace():
        end += 1
    if end < size and text[end] == ",":
        end += 1
        while end < size and text[end].isspace():
            end += 1
    start = text[end : end + 2]
    return start in _STATE_CODE_SET or start.lower() in _NOT_AFTER_STARTS or not start.isascii()


def _before_end(text: str, lo: int, hi: int) -> str:
    """``text[lo:hi]`` without what ``[ \t]*$`` matches (``$`` also matches before a final
    newline)."""
    tail = text[lo:hi]
    return (tail[:-1] if tail.endswith("\n") else tail).rstrip(" \t")


def _may_list(text: str, lo: int, hi: int) -> bool:
    """Can ``_LIST_BEFORE`` match ``text[lo:hi]``? It ends with ",", "&", "+" or "and"."""
    tail = _before_end(text, lo, hi)
    return tail[-1:] in (",", "&", "+") or tail.endswith("and")


def _may_end_word(text: str, lo: int, hi: int) -> bool:
    """Can ``_NAME_BEFORE`` match ``text[lo:hi]``? It ends with a letter, then [ \t,!]."""
    tail = _before_end(text, lo, hi)
    if tail[-1:] in (",", "!"):
        tail = tail[:-1].rstrip(" \t")
    last = tail[-1:]
    return last.isalnum() and not last.isdecimal()


def _line_start(text: str, i: int) -> bool:
    """Is position ``i`` the start of a line or sentence (spaces aside)?"""
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    return j == 0 or text[j - 1] in "\n.!"


def _is_name(word: str, strength: int, lex: Lexicon, text: str = "") -> bool:
    low = word.lower()
    if low in lex.not_names:
        return False
    common = lex.names.get(low)
    capitalised = word[0].isupper()
    if common is None:  # not in the lexicon
        return (
            strength == STRONG
            and capitalised
            and len(word) >= 3
            and (word[1:].islower() or word.isupper())
        )
    if not common:
        return True
    if strength == AFTER and not capitalised:
        return word.capitalize() in text or word.upper() in text  # "Trinity ... trinity here"
    return strength == STRONG or capitalised


EXTRACTOR = NameExtractor()
