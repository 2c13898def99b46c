"""Ages of the person(s) advertised: "I'm 19", "19yo", "age: 22", "nineteen", "Mia (21)".

A stated age under 18 is the strongest sign that an ad advertises a child, so recall on young
ages matters most; a number is still only an age when something says so:

- a cue before it: "I'm", "im", "i am", "we are", "age", "aged", "Poster's age", "just
  turned", "barely", "sweet" ("sweet 16"), "only"/"jst"/"jus" ("im jst 16"), "she's", "they
  are", "my lil sis is", "my friend is", Spanish/Portuguese/French "tengo", "tiene", "edad",
  "cumplí", "tenho", "j'ai"; at the start of a clause also text-speak "m 16";
- a cue after it: "yo", "y/o", "y.o.", "yrs old", "years old", "years young", "year-old",
  "años", "añitos", "anos", "ans", "16/f";
- a name before it in brackets or after a comma: "Mia (21)", "Mia, 21 & Jade, 19";
- a bare age at the start of a clause followed by how the person describes herself: "16 and
  bored", "17 n ready", "19 & sweet", "16 and looking for fun" (word list in ``data/ages.yaml``);
- an age about to be reached, read as the age now: "almost 18", "nearly 18", "turning 18 soon",
  "17 going on 18", "gonna be 18 next month" -> 17;
- the " - 30" that classified sites append to an ad's title (first line only);
- the number words thirteen to seventeen on their own ("sweet sixteen", "fresh seventeen").

How the number may be written (``age_numbers``): digits, number words ("twenty-two", "six
teen"), misspelled or shortened number words next to a cue ("sevnteen", "sixtn yo"), a half
("16 1/2", "16 and a half" -> 16), keycap, full-width or mathematical digits ("1️⃣6️⃣", "１６",
"𝟭𝟲"; spans still refer to the text as written, ``detail["obfuscation"]`` says so) and digits
spaced out next to an explicit cue ("im 1 6", "1 6 yrs old").

Decisions on conventions:
- "18+", "21+", "30 and up", "over 40", "men 30+", "no one under 25" are notices about who may
  answer (adult-only notices or client ages), never the advertised person's age.
- "19 years experience", "I'm 30 min away", "I'm 24/7", "I'm 5'4", "I'm 100%" are not ages.
- "Mia 21" without a bracket or comma is not read: "Room 21", "Exit 21", "Highway 75" look the
  same.
- Plausible ages are 12 to 70. Digits inside a phone, price, e-mail or handle span (``found``)
  are never read.

The rarer forms (an age about to be reached, text-speak, misspelled number words) are read by
``age_forms``, over the same windows.

How it stays fast : the cue patterns (``age_cues``) run only in
windows around one- and two-digit runs, on a lower-cased copy of the text (where the engine can
skip to the characters a match may start with), and each pattern is tried only where it can
match (``age_scan``): at the digit runs, at the one start a number allows, or from the lowest
start a number allows; windows with no cue word before any number are skipped. Cheap looks
rule out the costlier searches first (the word before a number for ``REJECT_BEFORE``, the end
of the first line for a title's " - 30").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from safelight.extract import age_cues as C
from safelight.extract.age_forms import approaching, fuzzy_words, text_speak
from safelight.extract.age_numbers import ascii_digits, parse_number
from safelight.extract.age_scan import (
    Windows,
    at_runs,
    at_starts,
    before_runs,
    bracket_start,
    cue_may_end_at,
    gated,
    hints,
    person_starts,
)
from safelight.extract.base import Match, lowered

__all__ = ["EXTRACTOR", "AgeExtractor", "parse_number"]


class AgeExtractor:
    field = "age"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        blocked = [
            (m.start, m.end)
            for key in ("phone", "price", "email", "handle")
            for m in found.get(key, ())
            if m.start is not None and m.end is not None
        ]
        digits = ascii_digits(text)
        if digits is None:
            return _Scan(text, blocked).run()
        out = []
        plain = [digits.from_original(s, e) for s, e in blocked]
        for m in _Scan(digits.text, plain).run():
            assert m.start is not None and m.end is not None
            s, e = digits.to_original(m.start, m.end)
            detail = dict(m.detail)
            if text[s:e] != m.text:
                detail["obfuscation"] = ["unicode_digits"]
            out.append(Match("age", m.value, text[s:e], s, e, detail))
        return out


class _Scan:
    """One text: the windows, the patterns to use and the ages found so far."""

    __slots__ = ("text", "low", "src", "p", "blocked", "taken", "out", "windows", "spans")
    __slots__ += ("words", "anchored", "hints")

    def __init__(self, text: str, blocked: list[tuple[int, int]]) -> None:
        self.text = text
        self.blocked = blocked
        self.taken: list[tuple[int, int]] = []
        self.out: list[Match] = []
        low = lowered(text)
        fast = len(low) == len(text) and (text.isascii() or not C.FOLD_EXTRA.search(text))
        # Looks at the lower-case text; rare Unicode case changes keep offsets, lose the looks.
        self.low = low if len(low) == len(text) else text
        self.src = low if fast else text  # what the case-insensitive patterns scan
        self.p = C.LOWER if fast else C.AS_WRITTEN
        self.hints = hints(self.low)
        self.words = self.hints.words
        self.windows = Windows.find(text, blocked, self.p.runs, self.src)
        self.spans = self.windows.spans()
        if self.words:
            self.spans = _merge(self.spans + _around(text, C.WORD_POS.finditer(self.low), 45, 25))
        # Try patterns only where they can match: needs digit runs as the only numbers.
        self.anchored = fast and not self.words

    # -- helpers ------------------------------------------------------------------------------

    def add(
        self, start: int, end: int, num_start: int, num_end: int, cue: str, value: int | None = None
    ) -> bool:
        text = self.text
        if value is None:
            value = parse_number(text[num_start:num_end])
        if value is None or not C.MIN_AGE <= value <= C.MAX_AGE:
            return False
        for s, e in self.blocked:
            if s < num_end and num_start < e:
                return False
        if self.claimed(num_start, num_end):
            return False
        self.taken.append((num_start, num_end))
        self.out.append(Match("age", value, text[start:end], start, end, {"cue": cue}))
        return True

    def claimed(self, num_start: int, num_end: int) -> bool:
        """Whether an age found earlier holds (part of) this number."""
        return any(s < num_end and num_start < e for s, e in self.taken)

    def reject_before(self, start: int) -> bool:
        # The pattern ends in whitespace: look only when the character before is one (and on
        # the lower-case text, only when the word before is one it may end with).
        src = self.src
        if start == 0 or not src[start - 1].isspace():
            return False
        if self.p is C.LOWER and not C.may_reject_before(src, start):
            return False
        return self.p.reject_before.search(src, max(0, start - 40), start) is not None

    def ok_context(self, start: int, num_end: int) -> bool:
        if self.reject_before(start):
            return False
        return not self.p.reject_after.match(self.src, num_end)

    def scan(self, pattern: re.Pattern[str], source: str | None = None) -> Iterator[re.Match[str]]:
        """Every match of ``pattern`` in the windows (over ``source``, default the text the
        case-insensitive twins scan)."""
        source = self.src if source is None else source
        for ws, we in self.spans:
            yield from pattern.finditer(source, ws, we)

    def add_list(self, m: re.Match[str], cue: str, whole: bool) -> None:
        """The first number gets the whole cue phrase as its span (``whole``) or its own;
        listed ones their own."""
        start = m.start() if whole else m.start("n")
        frac = _frac(m)
        n_end = m.end("frac") if frac else m.end("n")
        if not m.group("more"):
            self.add(start, m.end() if whole else n_end, m.start("n"), m.end("n"), cue)
            return
        self.add(start, n_end, m.start("n"), m.end("n"), cue)
        base = m.start("more")
        for item in C.ITEM.finditer(m.group("more")):
            s, e = base + item.start(), base + item.end()
            self.add(s, e, s, e, cue)

    # -- the rules ----------------------------------------------------------------------------

    def run(self) -> list[Match]:
        text, p, src, w = self.text, self.p, self.src, self.windows
        anchored, words = self.anchored, self.words
        if self.spans and self.hints.approach:
            approaching(self)
        if anchored:
            after: Iterable[re.Match[str]] = at_runs(p.cue_after_d, src, w)
        else:
            after = self.scan(p.cue_after if words else p.cue_after_d)
        for m in after:
            if not self.reject_before(m.start()) and not p.and_up.match(src, m.end()):
                self.add_list(m, "after", whole=True)
        before = (
            gated(p.cue_before, src, w, cue_may_end_at) if anchored else self.scan(p.cue_before)
        )
        for m in before:
            if parse_number(m.group("n")) == 69 and not m.group("more"):
                continue  # "im 69" is an invitation, not an age
            cue_start = m.start() if m.group(0)[:3].lower() == "age" else m.start("n")
            if self.ok_context(cue_start, _last_end(m)):
                self.add_list(m, "before", whole=True)
        if anchored:
            years: Iterable[re.Match[str]] = at_runs(p.years_alone_d, src, w)
        else:
            years = self.scan(p.years_alone if words else p.years_alone_d)
        for m in years:
            if not m.group("more") and self.claimed(m.start("n"), m.end("n")):
                continue  # ``add`` would refuse it ("23 yrs" read as "23 yrs old" already)
            if self.ok_context(m.start(), m.end()) and not (
                p.duration_before.search(src, max(0, m.start() - 30), m.start())
            ):
                self.add_list(m, "years", whole=True)
        person = (
            at_starts(C.PERSON, text, w, person_starts) if anchored else self.scan(C.PERSON, text)
        )
        for m in person:
            word = (m.group("w") or "").lower()
            if word in C.NOT_NAMES or text[m.start("n") : m.end("n")] == "69":
                continue
            if self.ok_context(m.start(), _last_end(m)):
                self.add_list(m, "person", whole=False)
        if "(" not in text:  # the bracket of "(21)"
            brackets: Iterable[re.Match[str]] = ()
        elif anchored:
            brackets = before_runs(C.BRACKETED, text, w, bracket_start)
        else:
            brackets = self.scan(C.BRACKETED, text)
        for m in brackets:
            if self.ok_context(m.start(), m.end()):
                self.add(m.start(), m.end(), m.start("n"), m.end("n"), "brackets")
        self.title()
        if self.spans:
            text_speak(self)
        for m in self.scan(p.lone_word) if words else ():
            value = parse_number(m.group("n"))
            if value is None or value < 13 or value == 69:
                continue
            if p.lone_not_before.search(src, max(0, m.start() - 12), m.start()):
                continue
            if p.lone_not_after.match(src, m.end()) or not self.ok_context(m.start(), m.end()):
                continue
            self.add(m.start(), m.end(), m.start(), m.end(), "number word")
        fuzzy_words(self)
        return self.out

    def title(self) -> None:
        """The " - 30" classified sites append to an ad's title."""
        text = self.text
        end = text.find("\n") if "\n" in text else len(text)
        # A match ends in two digits and then [ \t!.]* only: look only when the line does.
        tail = text[max(0, end - 12) : end].rstrip(" \t!.")
        if len(tail) < 2 or not tail[-2:].isdecimal():
            return
        first_line = text[:end]
        m = C.TITLE_TAIL.search(first_line, max(0, len(first_line) - 12))
        if m and m.start() > 0:
            self.add(m.start("n"), m.end("n"), m.start("n"), m.end("n"), "title")


def _around(
    text: str, hits: Iterable[re.Match[str]], before: int, after: int
) -> list[tuple[int, int]]:
    """Windows ``before``/``after`` characters around each hit, widened to whole words."""
    n = len(text)
    out = []
    for m in hits:
        ws, we = max(0, m.start() - before), min(n, m.end() + after)
        while ws > 0 and text[ws - 1].isalnum():
            ws -= 1
        while we < n and text[we].isalnum():
            we += 1
        out.append((ws, we))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _frac(m: re.Match[str]) -> str | None:
    """``m.groupdict().get("frac")`` without building the dict."""
    return m.group("frac") if "frac" in m.re.groupindex else None


def _last_end(m: re.Match[str]) -> int:
    if m.group("more"):
        return m.end("more")
    if _frac(m):
        return m.end("frac")
    return m.end("n")


EXTRACTOR = AgeExtractor()
