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

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import us
import yaml

from safelight.extract.base import Match, lowered

__all__ = ["EXTRACTOR", "NameExtractor", "load_lexicon"]

_STRONG, _WEAK, _AFTER = 2, 1, 0
_WORD = r"[^\W\d_]{2,20}"
_NAME = rf"(?P<name>{_WORD})(?![\w@]|['’]\w\w)"
_MORE = re.compile(
    rf"\s*(?:,|&|\+|/|\band\b|\bor\b|\bn\b|\b&amp;\b)\s*({_WORD})(?![\w@])", re.IGNORECASE
)
_STATE_CODES = sorted(s.abbr for s in us.states.STATES_AND_TERRITORIES)
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
# What follows a word that is not a name: a date, a state, a price word.
_NOT_AFTER = re.compile(
    rf"\s*(?:,\s*(?:{'|'.join(_STATE_CODES)})\b"
    rf"|\s+(?:{'|'.join(c for c in _STATE_CODES if c not in _WORDLIKE_CODES)})\b"
    rf"|,?\s*(?i:{'|'.join(re.escape(s) for s in _STATE_NAMES)})\b"
    r"|\s*(?i:special|specials|deal|deals|rates?|discounts?|area|based)\b)",
)
# "- Bella" ending its line; matched at each dash found with str.find.
_SIGNATURE = re.compile(rf"[-–—~]+[ \t]*{_NAME}(?=[^\w\n]*(?:\n|$))")
# The word before an after-cue ("Kandi here"), searched in a short window before the cue.
_NAME_BEFORE = re.compile(rf"(?<![\w@'’.])(?P<name>{_WORD})[ \t]*[,!]?[ \t]*$")


@dataclass(frozen=True, slots=True)
class Lexicon:
    names: dict[str, bool]  # lower-case name -> also an everyday English word
    not_names: frozenset[str]
    bare_forms: frozenset[str]  # "Kandi"/"KANDI" forms of the names taken without a cue
    cue_re: re.Pattern[str]  # tried with .match() where a needle starts a word
    needles: frozenset[str]
    phrases: tuple[str, ...]
    after_re: re.Pattern[str]


def _data(name: str) -> str:
    return resources.files("safelight.extract.data").joinpath(name).read_text("utf-8")


@cache
def load_lexicon() -> Lexicon:
    rows = csv.DictReader(
        io.StringIO(
            "".join(line for line in io.StringIO(_data("first_names.csv")) if line[:1] != "#")
        )
    )
    names = {row["name"]: row["common_word"] == "1" for row in rows}
    raw: dict[str, Any] = yaml.safe_load(_data("names.yaml"))
    cues = raw["cues"]
    strong = "|".join(f"(?:{c})" for c in cues["strong"])
    weak = "|".join(f"(?:{c})" for c in cues["weak"])
    needles = frozenset(cues["needles"].split())
    phrases = tuple(cues["phrases"])
    cue_re = re.compile(
        rf"(?<![\w'’])(?:(?P<strong>{strong})|(?P<weak>{weak}))"
        rf"[ \t]*[:\-–]?[ \t]*{_NAME}",
        re.IGNORECASE,
    )
    after_re = re.compile(rf"(?:{'|'.join(cues['after'])})", re.IGNORECASE)
    not_names = frozenset(raw["not_names"]["words"].split())
    states = {s.name.lower() for s in us.states.STATES_AND_TERRITORIES}
    not_bare = not_names | frozenset(raw["not_bare"]["words"].split()) | states
    bare = [n for n, common in names.items() if not common and n not in not_bare and len(n) > 2]
    bare_forms = frozenset(n.capitalize() for n in bare) | frozenset(n.upper() for n in bare)
    return Lexicon(names, not_names, bare_forms, cue_re, needles, phrases, after_re)


def _ascii(text: str) -> str:
    """The text with non-ASCII characters as "?": str.translate is ~7x faster on ASCII."""
    return text if text.isascii() else text.encode("ascii", "replace").decode("ascii")


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
        words = _ascii(text).translate(_PUNCT)
        pos = 0
        present = [
            *lex.needles.intersection(words.lower().split()),
            *(p for p in lex.phrases if p in low),
        ]
        for start in _word_starts(low, present):
            if start < pos:
                continue
            m = lex.cue_re.match(text, start)
            if m is None:
                continue
            # Resume at the candidate word: it may start a cue itself ("ITS YOUR GIRL LUCY").
            pos = m.start("name")
            strength = _STRONG if m.group("strong") else _WEAK
            start, end = m.start("name"), m.end("name")
            if strength == _WEAK and _AGE_AFTER.match(text, end):
                strength = _STRONG  # "Im Keke 17": a capitalised word then an age
            if self._take(text, start, end, strength, lex, taken, out):
                self._more(text, end, lex, taken, out)
                pos = end
        for needle in _AFTER_NEEDLES:
            i = low.find(needle)
            while i >= 0:
                if (i == 0 or not low[i - 1].isalnum()) and lex.after_re.match(text, i):
                    m = _NAME_BEFORE.search(text, max(0, i - 26), i)
                    if m is not None:
                        self._take(text, m.start("name"), m.end("name"), _AFTER, lex, taken, out)
                i = low.find(needle, i + 1)
        for dash in "-–—~":
            i = text.find(dash)
            while i >= 0:
                m = _SIGNATURE.match(text, i) if _line_start(text, i) else None
                if m is not None:
                    self._take(text, m.start("name"), m.end("name"), _WEAK, lex, taken, out)
                i = text.find(dash, m.end() if m is not None else i + 1)
        self._bare(text, words, lex, taken, found, out)
        return out

    def _bare(
        self,
        text: str,
        words: str,
        lex: Lexicon,
        taken: list[tuple[int, int]],
        found: Mapping[str, list[Match]],
        out: list[Match],
    ) -> None:
        """Capitalised lexicon names without a cue ("Kandi 20 and Mia 22", "Nurse Nikki"):
        names that are not English words, outside places, handles and emails."""
        names = lex.bare_forms.intersection(words.split())
        if not names:
            return
        places = [(m.start, m.end) for m in found.get("place", []) if m.start is not None]
        for word in names:
            i = text.find(word)
            while i >= 0:
                end = i + len(word)
                if (
                    (i == 0 or not text[i - 1].isalnum())
                    and (end == len(text) or not (text[end].isalnum() or text[end] in "@_"))
                    and not any(s < end and i < (e or 0) for s, e in places)
                    and self._take(text, i, end, _WEAK, lex, taken, out)
                ):
                    self._more(text, end, lex, taken, out)
                    before = _LIST_BEFORE.search(text, max(0, i - 26), i)
                    if before is not None:  # "Amber & Ashley"
                        self._take(text, before.start(1), before.end(1), _WEAK, lex, taken, out)
                i = text.find(word, end)

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
        if _NOT_AFTER.match(text, end) or any(s < end and start < e for s, e in taken):
            return False
        if word.lower() in _MONTHS and _DATE_AFTER.match(text, end):
            return False  # "May 5th"
        if any(o.start == start for o in out):
            return True
        out.append(Match("name", word[0].upper() + word[1:].lower(), word, start, end, {}))
        return True

    def _more(
        self, text: str, pos: int, lex: Lexicon, taken: list[tuple[int, int]], out: list[Match]
    ) -> None:
        """Further names in a list: "ask for Mia or Lexi", "Mia, Lexi & Kandi"."""
        while (m := _MORE.match(text, pos)) is not None:
            if not self._take(text, m.start(1), m.end(1), _WEAK, lex, taken, out):
                return
            pos = m.end(1)


_MONTHS = frozenset(("april", "may", "june", "august"))
_DATE_AFTER = re.compile(r"[ \t]*\d")
_AFTER_NEEDLES = ("here", "xo", "is ")
_LIST_BEFORE = re.compile(rf"(?<![\w'’])({_WORD})[ \t]*(?:,|&|\+|\band\b)[ \t]*$")
_AGE_AFTER = re.compile(r"[ \t]*[,(]?[ \t]*\d{2}(?!\d)")
_PUNCT = str.maketrans({c: " " for c in '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~’‘“”•·…'})


def _word_starts(low: str, needles: Iterable[str]) -> list[int]:
    """Sorted positions where a needle is a whole word (or a word before an apostrophe)."""
    starts: set[int] = set()
    n = len(low)
    for needle in needles:
        size = len(needle)
        i = low.find(needle)
        while i >= 0:
            if (i == 0 or not (low[i - 1].isalnum() or low[i - 1] in "'’")) and (
                i + size == n or not low[i + size - 1].isalnum() or not low[i + size].isalnum()
            ):
                starts.add(i)
            i = low.find(needle, i + size)
    return sorted(starts)


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
            strength == _STRONG
            and capitalised
            and len(word) >= 3
            and (word[1:].islower() or word.isupper())
        )
    if not common:
        return True
    if strength == _AFTER and not capitalised:
        return word.capitalize() in text or word.upper() in text  # "Trinity ... trinity here"
    return strength == _STRONG or capitalised


EXTRACTOR = NameExtractor()
