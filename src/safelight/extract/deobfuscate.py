"""The digit view of an ad: where digits are written, however they are disguised.

Ads hide phone numbers from site filters: number words ("nine0three"), look-alike letters
("3l2-l887"), digits spaced or starred ("9*0*3"), keycap emoji (9️⃣), full-width and
mathematical digits (９, 𝟗), circled digits (⑨). This module finds *chains* of such digit
units joined by separators, in one regex pass over the text, and turns each chain into a list
of ``Unit``\\ s: the digits a unit stands for, its kind, and its span in the ORIGINAL text, so
every later step reports exact substrings of what the advertiser wrote.

The tables (number words, look-alikes, id labels) live in ``data/phone_obfuscation.yaml``,
read by ``phone_tables.py``; ``phone_patterns.py`` builds the chain regexes from them.
``phones.py`` decides which windows of a chain are phone numbers; ``phone_context.py`` holds
the context checks (dates, prices, post ids...) that veto a candidate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import ahocorasick

from safelight.extract.base import lowered
from safelight.extract.phone_patterns import (
    CHAIN_RE,
    DIGIT_CHAIN_RE,
    LEAD_RE,
    SPECIAL_CLASS,
    SUB_RE,
    UNIT_RE,
)
from safelight.extract.phone_tables import (
    HUNDRED,
    IGNORECASE_FOLD,
    REPEAT,
    SPECIAL,
    TEEN,
    TENS,
    Tables,
    tables,
)

__all__ = ["Unit", "chain_units", "iter_chains"]

# Unit kinds.
ASCII, UNICODE, KEYCAP, WORD, WEAK, LOOK, WEAK_LOOK = (
    "ascii",
    "unicode",
    "keycap",
    "word",
    "weak",
    "look",
    "weak_look",
)


@dataclass(slots=True)
class Unit:
    """A piece of a chain that stands for one or more digits (or modifies its neighbour)."""

    start: int
    end: int
    digits: str
    kind: str


_LEAD_MOD_RE = re.compile(r"(?i:(?<![^\W\d_])(?:double|triple)[\s-]{1,3})$")
# Number-word stems: two different ones in a text and it may hold a number in words.
_WORD_STEMS = (
    "zero",
    "nine",
    "seven",
    "three",
    "five",
    "four",
    "six",
    "two",
    "eight",
    "one",
    "cero",
    "cinco",
    "ocho",
    "nueve",
)


@cache
def _stems() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for stem in _WORD_STEMS:
        automaton.add_word(stem, stem)
    automaton.make_automaton()
    return automaton


def _may_have_words(text: str) -> bool:
    """Are two different stems in the text? (one Aho-Corasick pass, not one search a stem)"""
    first = None
    for _end, stem in _stems().iter(lowered(text)):
        if first is None:
            first = stem
        elif stem != first:
            return True
    return False


def iter_chains(text: str) -> list[tuple[int, int]]:
    """Spans of candidate chains long enough to hold a phone number. Chains may start with a
    number word only in texts with number words (the others take the cheaper regex)."""
    spans: list[tuple[int, int]] = []
    if _may_have_words(text):
        spans = [m.span() for m in CHAIN_RE.finditer(text)]
    else:
        last = 0
        for m in DIGIT_CHAIN_RE.finditer(text):
            start, end = m.span()
            if end - start < 5:  # too short to become a phone even with words before it
                continue
            for _ in range(3):  # number words written before the first digit
                lead = LEAD_RE.search(text, max(last, start - 16), start)
                if lead is None:
                    break
                start = lead.start()
            spans.append((start, end))
            last = end
    out = []
    for start, end in spans:
        if end - start >= 7:
            lo = max(0, start - 10)
            # "double"/"triple" end in "le" (letters the regex folds to no other character)
            has_mod = "le" in text[lo:start].lower()
            lead = _LEAD_MOD_RE.search(text, lo, start) if has_mod else None
            out.append((lead.start() if lead else start, end))
    return out


# A chain of plain digit groups, in any script ("903-312-1887", "９１９７９１３７８７"): between
# the groups no ASCII letter (number word, look-alike), no keycap mark and no special digit.
_PLAIN_CHAIN_RE = re.compile(r"\d++(?:[^\dA-Za-z\u20e3\ufe0f" + SPECIAL_CLASS + r"]++\d++)*+")
_DIGITS_RE = re.compile(r"\d+")


class _AsciiDigits(dict[int, str]):
    """``str.translate`` table: a decimal digit (what ``\\d`` matches) -> its ASCII digit,
    filled on first use."""

    def __missing__(self, code: int) -> str:
        digit = self[code] = str(unicodedata.decimal(chr(code)))
        return digit


_TO_ASCII = _AsciiDigits()


def chain_units(text: str, start: int, end: int) -> list[Unit]:
    """The units of one chain, with number words combined ("eighty seven" -> 87)."""
    if _PLAIN_CHAIN_RE.fullmatch(text, start, end):
        # Fast path, the same units as below: each group is one maximal ``\d+`` run, which
        # UNIT_RE and SUB_RE ("dig") take whole; no unit is a look-alike or a number word,
        # so _mark_glued and _combine_words leave them as they are.
        return [
            Unit(*m.span(), tok, ASCII)
            if (tok := m[0]).isascii()
            else Unit(*m.span(), tok.translate(_TO_ASCII), UNICODE)
            for m in _DIGITS_RE.finditer(text, start, end)
        ]
    return _units(text, start, end)


def _units(text: str, start: int, end: int) -> list[Unit]:
    """``chain_units`` without its fast path (any chain)."""
    t = tables()
    units: list[Unit] = []
    for run in UNIT_RE.finditer(text, start, end):  # skips separators and gap words
        _split_run(text, run.start(), run.end(), t, units)
    _mark_glued(units)
    return _combine_words(text, units)


def _split_run(text: str, start: int, end: int, t: Tables, units: list[Unit]) -> None:
    for m in SUB_RE.finditer(text, start, end):
        kind = m.lastgroup
        s, e = m.span()
        tok = m.group()
        if kind == "dig":
            if tok.isascii():
                units.append(Unit(s, e, tok, ASCII))
            else:
                units.append(Unit(s, e, tok.translate(_TO_ASCII), UNICODE))
        elif kind == "key":
            units.append(Unit(s, e, tok[0].translate(_TO_ASCII), KEYCAP))
        elif kind == "spec":
            units.append(Unit(s, e, SPECIAL[tok], UNICODE))
        elif kind == "look":
            units.append(Unit(s, e, t.lookalikes[tok], LOOK))
        else:
            wkind, digits = t.words[tok.translate(IGNORECASE_FOLD).lower()]
            units.append(Unit(s, e, digits, WORD if wkind == "digit" else wkind))


def _mark_glued(units: list[Unit]) -> None:
    """A look-alike letter glued to digits is a look-alike digit; alone ("nine O three") it is
    a weak unit, like "oh". A weak word glued to digits ("2oh3") is a plain number word."""
    for k, u in enumerate(units):
        if u.kind != LOOK and u.kind != WEAK:
            continue
        glued = (k > 0 and units[k - 1].end == u.start) or (
            k + 1 < len(units) and units[k + 1].start == u.end
        )
        if u.kind == LOOK and not glued:
            u.kind = WEAK_LOOK
        elif u.kind == WEAK and glued:
            u.kind = WORD


_JOIN_RE = re.compile(r"[\s-]?")


def _joined(text: str, a: Unit, b: Unit) -> bool:
    return _JOIN_RE.fullmatch(text, a.end, b.start) is not None


def _combine_words(text: str, units: list[Unit]) -> list[Unit]:
    """Tens + digit word ("eighty seven"), X hundred Y ("nine hundred three"), repeats
    ("double five"). Teens and lone tens become two-digit word units."""
    out: list[Unit] = []
    k, n = 0, len(units)
    while k < n:
        u = units[k]
        nxt = units[k + 1] if k + 1 < n else None
        if u.kind == TENS:
            if nxt is not None and nxt.kind == WORD and nxt.digits != "0" and _joined(text, u, nxt):
                out.append(Unit(u.start, nxt.end, u.digits + nxt.digits, WORD))
                k += 2
                continue
            out.append(Unit(u.start, u.end, u.digits + "0", WORD))
        elif u.kind == TEEN:
            out.append(Unit(u.start, u.end, u.digits, WORD))
        elif u.kind == REPEAT:
            if nxt is not None and len(nxt.digits) == 1 and nxt.kind in (WORD, ASCII):
                out.append(Unit(u.start, nxt.end, nxt.digits * int(u.digits), WORD))
                k += 2
                continue
        elif u.kind == HUNDRED:
            prev = out[-1] if out else None
            if prev is not None and prev.kind == WORD and len(prev.digits) <= 2:
                tail, used = _hundreds_tail(text, units, k + 1)
                end = units[k + used].end if used else u.end
                out[-1] = Unit(prev.start, end, prev.digits + tail, WORD)
                k += 1 + used
                continue
        else:
            out.append(u)
        k += 1
    return out


def _hundreds_tail(text: str, units: list[Unit], k: int) -> tuple[str, int]:
    """The two digits after "hundred" and how many units they take: "nine hundred three"
    -> ("03", 1), "three hundred twelve" -> ("12", 1), "eight hundred eighty seven" -> ("87", 2),
    "nine hundred" -> ("00", 0)."""
    nxt = units[k] if k < len(units) else None
    if nxt is None:
        return "00", 0
    if nxt.kind == TENS:
        after = units[k + 1] if k + 1 < len(units) else None
        if (
            after is not None
            and after.kind == WORD
            and after.digits != "0"
            and _joined(text, nxt, after)
        ):
            return nxt.digits + after.digits, 2
        return nxt.digits + "0", 1
    if nxt.kind == TEEN:
        return nxt.digits, 1
    if nxt.kind == WORD and len(nxt.digits) == 1:
        return "0" + nxt.digits, 1
    return "00", 0
