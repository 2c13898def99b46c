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

import ahocorasick
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
        starts, afters, spots = _scan(text, low, lex)
        pos = 0
        for start in starts:
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
        for i in afters:
            if lex.after_re.match(text, i) and _may_end_word(text, max(0, i - 26), i):
                m = _NAME_BEFORE.search(text, max(0, i - 26), i)
                if m is not None:
                    self._take(text, m.start("name"), m.end("name"), _AFTER, lex, taken, out)
        for dash in "-–—~":
            i = text.find(dash)
            while i >= 0:
                m = _SIGNATURE.match(text, i) if _line_start(text, i) else None
                if m is not None:
                    self._take(text, m.start("name"), m.end("name"), _WEAK, lex, taken, out)
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
                text, i, end, _WEAK, lex, taken, out
            ):
                self._more(text, end, lex, taken, out)
                if _may_list(text, max(0, i - 26), i):
                    before = _LIST_BEFORE.search(text, max(0, i - 26), i)
                    if before is not None:  # "Amber & Ashley"
                        self._take(text, before.start(1), before.end(1), _WEAK, lex, taken, out)

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
            if not self._take(text, m.start(1), m.end(1), _WEAK, lex, taken, out):
                return
            pos = m.end(1)


_MONTHS = frozenset(("april", "may", "june", "august"))
_DATE_AFTER = re.compile(r"[ \t]*\d")
_AFTER_NEEDLES = ("here", "xo", "is ")
_LIST_BEFORE = re.compile(rf"(?<![\w'’])({_WORD})[ \t]*(?:,|&|\+|\band\b)[ \t]*$")
_AGE_AFTER = re.compile(r"[ \t]*[,(]?[ \t]*\d{2}(?!\d)")


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


# Candidate positions come from one Aho-Corasick pass over a copy of the lower-cased text in
# which every character but a-z and 0-9 is "|": cue needles and phrases, the after-cue needles
# and the bare names, each as "|word|" (a superset of where they stand as whole words); each
# hit is then checked on the real text exactly as a str.find scan would.
_NEEDLE, _NEEDLE_ODD, _PHRASE, _CHAIN, _AFTER_HIT, _BARE = range(6)
_SEP_BYTES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 124 for c in range(256))
# What a "|" of the mapped text stands for: "'" an apostrophe, "^" another ASCII character
# that stays inside a token (a control character), "?" a non-ASCII character (ASCII "?" is
# replaced first), "|" a space or a punctuation mark ("a": a letter or a digit).
_KIND_BYTES = bytes(
    97
    if 48 <= c <= 57 or 97 <= c <= 122
    else 39
    if c == 39
    else 63
    if c >= 128 or c == 63
    else 124
    if chr(c).isspace() or chr(c) in '!"#$%&()*+,-./:;<=>@[\\]^_`{|}~'
    else 94
    for c in range(256)
)
# A needle's edges (kinds before and after) -> (a whole word: 1 yes, 0 no, 2 look at the
# character; a token of ``_ascii(text).translate(_PUNCT).split()``).
_EDGES = {
    p + n: (
        0 if p == "'" else 2 if "?" in (p, n) else 1,
        p in "|?" and n in "|?",
    )
    for p in "|'^?"
    for n in "|'^?"
}
_PUNCT_CHARS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~’‘“”•·…'
_PUNCT = str.maketrans({c: " " for c in _PUNCT_CHARS})
# ASCII characters that stay inside a token of ``_ascii(text).translate(_PUNCT).split()``.
_TOKEN_CHARS = frozenset(
    c for c in map(chr, range(128)) if not c.isspace() and c not in _PUNCT_CHARS
)


# What ``_scan`` finds: where a cue may start (sorted), where an after-cue may start (by
# needle, then position), and the spans of bare names written as whole words.
_Hits = tuple[list[int], list[int], list[tuple[int, int]]]


def _mapped(word: str) -> str:
    return word.encode("ascii", "replace").translate(_SEP_BYTES).decode()


def _overlaps_itself(word: str, boundary: str) -> bool:
    """Could ``word`` occur again inside itself after a character that is a word boundary?
    (then only the original ``str.find`` chain, which skips such repeats, is exact)"""
    return any(
        word.endswith(word[:k])
        and word[len(word) - k - 1] not in boundary
        and not word[len(word) - k - 1].isalnum()
        for k in range(1, len(word))
    )


@cache
def _automaton() -> tuple[ahocorasick.Automaton, tuple[str, ...]]:
    """The automaton (value: key length, then ``(role, word, length, plain?)`` per word) and
    the bare-name forms it leaves to ``str.find`` (names that are not plain letters)."""
    lex = load_lexicon()
    roles: dict[str, list[tuple[int, str, int, bool]]] = {}

    def add(key: str, role: int, word: str) -> None:
        plain = word.isascii() and word.isalnum()  # the key alone proves the letters
        roles.setdefault(key, []).append((role, word, len(word), plain))

    for word, role in [(n, _NEEDLE) for n in lex.needles] + [(p, _PHRASE) for p in lex.phrases]:
        end = "|" if word[-1].isalnum() else ""  # then the next character is not alphanumeric
        if _overlaps_itself(word, "'’"):
            role = _CHAIN
        elif role == _NEEDLE and not end:
            role = _NEEDLE_ODD  # ends with a mark: checked character by character
        add(f"|{_mapped(word)}{end}", role, word)
    for word in _AFTER_NEEDLES:
        add(f"|{_mapped(word)}", _AFTER_HIT, word)
    odd = []
    for form in lex.bare_forms:  # "Kandi" and "KANDI": one key "|kandi|"
        if not (form.isascii() and form.isalpha()):
            odd.append(form)  # (a repeat inside a word of letters is never a word start)
        elif form[1:].islower():
            add(f"|{form.lower()}|", _BARE, form.lower())
    automaton = ahocorasick.Automaton()
    for key, found in roles.items():
        automaton.add_word(key, (len(key), tuple(found)))
    automaton.make_automaton()
    return automaton, tuple(odd)


def _scan(text: str, low: str, lex: Lexicon) -> _Hits:
    if len(low) != len(text) or "\u212a" in text:  # case changes that move or fake letters
        return _scan_slow(text, low, lex)
    automaton, odd = _automaton()
    size = len(text)
    needles: list[tuple[int, str]] = []
    present: set[str] = set()
    chains: set[str] = set()
    after: dict[str, list[int]] = {word: [] for word in _AFTER_NEEDLES}
    bare: list[tuple[int, int, str]] = []
    forms: set[str] = set()
    tokens = _TOKEN_CHARS
    data = (low.replace("?", "|") if "?" in low else low).encode("ascii", "replace")
    mapped = f"|{data.translate(_SEP_BYTES).decode()}|"
    kinds = f"|{data.translate(_KIND_BYTES).decode()}|"  # what each "|" of ``mapped`` was
    for stop, (length, roles) in automaton.iter(mapped):
        i = stop - length + 1  # the word starts here in ``low`` (the key's "|" is one before)
        for role, word, end, plain in roles:
            end += i
            if not (plain or low.startswith(word, i)):
                continue
            if role == _NEEDLE:
                # A cue needle counts where it stands as a whole word (or before an apostrophe)
                # and only when it is also a token of the text somewhere.
                valid, token = _EDGES[kinds[i] + kinds[end + 1]]
                if valid == 2:  # next to a non-ASCII character
                    valid = not (i and (low[i - 1].isalnum() or low[i - 1] in "'’")) and (
                        end == size or not low[end].isalnum()
                    )
                if valid:
                    needles.append((i, word))
                if token:
                    present.add(word)
            elif role == _AFTER_HIT:
                if kinds[i] != "?" or not low[i - 1].isalnum():
                    after[word].append(i)
            elif role == _NEEDLE_ODD:
                if i and (low[i - 1].isalnum() or low[i - 1] in "'’"):
                    pass
                elif end == size or not low[end - 1].isalnum() or not low[end].isalnum():
                    needles.append((i, word))
                if (
                    word not in present
                    and (i == 0 or text[i - 1] not in tokens)
                    and (end == size or text[end] not in tokens)
                    and text[i:end].isascii()
                ):
                    present.add(word)
            elif role == _BARE:
                form = text[i:end]
                if form not in lex.bare_forms:
                    continue
                if (i == 0 or text[i - 1] not in tokens) and (
                    end == size or text[end] not in tokens
                ):
                    forms.add(form)
                if (i == 0 or not text[i - 1].isalnum()) and (
                    end == size or not (text[end].isalnum() or text[end] in "@_")
                ):
                    bare.append((i, end, form))
            elif (i == 0 or not (low[i - 1].isalnum() or low[i - 1] in "'’")) and (
                end == size or not low[end - 1].isalnum() or not low[end].isalnum()
            ):
                if role == _PHRASE:
                    needles.append((i, word))
                else:
                    chains.add(word)
    starts = {i for i, word in needles if word in present or word in lex.phrases}
    chains = {word for word in chains if word in lex.phrases or word in _tokens(text, lex)}
    if chains:
        starts.update(_word_starts(low, chains))
    spots = [(i, end) for i, end, form in bare if form in forms]
    if odd:
        spots = sorted(spots + _bare_spots(text, lex, odd))
    return sorted(starts), [i for word in _AFTER_NEEDLES for i in after[word]], spots


def _tokens(text: str, lex: Lexicon) -> frozenset[str]:
    """The cue needles that are words of ``text``."""
    return lex.needles.intersection(_ascii(text).translate(_PUNCT).lower().split())


def _bare_spots(text: str, lex: Lexicon, forms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the bare-name ``forms`` that are words of ``text`` stand as whole words."""
    spots = []
    for word in lex.bare_forms.intersection(_ascii(text).translate(_PUNCT).split()):
        if word not in forms:
            continue
        i = text.find(word)
        while i >= 0:
            end = i + len(word)
            if (i == 0 or not text[i - 1].isalnum()) and (
                end == len(text) or not (text[end].isalnum() or text[end] in "@_")
            ):
                spots.append((i, end))
            i = text.find(word, end)
    return spots


def _scan_slow(text: str, low: str, lex: Lexicon) -> _Hits:
    """The same positions by separate scans (texts whose lower case differs in length)."""
    present = [*_tokens(text, lex), *(p for p in lex.phrases if p in low)]
    after = []
    for needle in _AFTER_NEEDLES:
        i = low.find(needle)
        while i >= 0:
            if i == 0 or not low[i - 1].isalnum():
                after.append(i)
            i = low.find(needle, i + 1)
    return _word_starts(low, present), after, sorted(_bare_spots(text, lex, lex.bare_forms))


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
