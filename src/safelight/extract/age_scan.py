"""Where the age extractor looks: candidate numbers, the windows around them, and scans that
try a cue pattern only where it can match.

A number is an age only next to a cue, so the cue patterns (``age_cues``) never need to run
over the wordy parts of an ad. ``Windows.find`` lists every run of one or two ASCII digits once
(one regular-expression pass), and the stretches around the runs that may be ages (45
characters before, 25 after, widened to whole words, merged). The scans below give exactly the
matches ``pattern.finditer(text, ws, we)`` gives over each window, but try the pattern only at
the positions where a match can start:

- ``at_runs``: patterns that start with the number itself ("19 yo", "16 and bored");
- ``before_runs``: patterns whose start is fixed by the number ("m 16", "(21)");
- ``at_starts``: patterns with a few possible starts for a number (a name or a word for the
  person just before it: "Kandi 20");
- ``gated``: any pattern, skipped in the windows where a cheap look at the digit runs proves
  it cannot match (e.g. no cue word right before any number).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick

from safelight.extract.age_cues import APPROACH_HINTS, FUZZY_POS, WORD_HINTS, L

__all__ = [
    "Hints",
    "Window",
    "Windows",
    "at_runs",
    "at_starts",
    "before_runs",
    "bracket_start",
    "cue_may_end_at",
    "fuzzy_hits",
    "gated",
    "hints",
    "person_starts",
    "short_start",
]

_ALNUM = re.compile(r"[^\W_]*")  # str.isalnum() characters, as one regex
BEFORE, AFTER = 45, 25


@dataclass(slots=True)
class Window:
    start: int
    end: int
    runs: list[int]  # start offsets of every one- or two-digit run inside the window


@dataclass(slots=True)
class Windows:
    windows: list[Window]

    @classmethod
    def find(
        cls, text: str, blocked: list[tuple[int, int]], runs: re.Pattern[str], source: str
    ) -> Windows:
        """Windows around the runs of one or two digits outside ``blocked`` spans that are not
        ruled out as ages. ``runs`` (``age_cues.Twins.runs``) finds every run in ``source``
        (the text or its lower-case copy of the same length: the same digits at the same
        places), its group 1 set when what follows the run rules it out."""
        wins: list[Window] = []
        starts: list[int] = []
        n = len(text)
        alnum = _ALNUM.match
        for m in runs.finditer(source):
            s, e = m.span()
            starts.append(s)
            if m.lastindex is not None:
                continue
            if blocked and any(bs <= s and e <= be for bs, be in blocked):
                continue
            ws = s - BEFORE if s > BEFORE else 0
            while ws > 0 and text[ws - 1].isalnum():
                ws -= 1
            we = alnum(text, e + AFTER).end() if e + AFTER < n else n
            if wins and ws <= wins[-1].end:
                if we > wins[-1].end:
                    wins[-1].end = we
            else:
                wins.append(Window(ws, we, []))
        if wins:
            k = 0
            for s in starts:
                while k < len(wins) and wins[k].end <= s:
                    k += 1
                if k == len(wins):
                    break
                if s >= wins[k].start:
                    wins[k].runs.append(s)
        return cls(wins)

    def spans(self) -> list[tuple[int, int]]:
        return [(w.start, w.end) for w in self.windows]


def at_runs(pattern: re.Pattern[str], source: str, windows: Windows) -> Iterator[re.Match[str]]:
    """``finditer`` over each window for a pattern whose matches start at a digit run."""
    match = pattern.match
    for w in windows.windows:
        cursor, end = w.start, w.end
        for q in w.runs:
            if q >= cursor:
                m = match(source, q, end)
                if m is not None:
                    yield m
                    cursor = m.end()


def before_runs(
    pattern: re.Pattern[str],
    source: str,
    windows: Windows,
    start_for: Callable[[str, int], int | None],
) -> Iterator[re.Match[str]]:
    """``finditer`` over each window for a pattern whose only possible start for a number at
    ``q`` is ``start_for(source, q)`` (None: no match can end in that number)."""
    match = pattern.match
    for w in windows.windows:
        cursor, end = w.start, w.end
        for q in w.runs:
            p = start_for(source, q)
            if p is not None and p >= cursor:
                m = match(source, p, end)
                if m is not None:
                    yield m
                    cursor = m.end()


def at_starts(
    pattern: re.Pattern[str],
    source: str,
    windows: Windows,
    starts_for: Callable[[str, int], list[int]],
) -> Iterator[re.Match[str]]:
    """``finditer`` over each window for a pattern whose possible starts for a number at ``q``
    are all in ``starts_for(source, q)``."""
    match = pattern.match
    for w in windows.windows:
        starts = sorted({p for q in w.runs for p in starts_for(source, q) if p >= w.start})
        cursor, end = w.start, w.end
        for p in starts:
            if p >= cursor:
                m = match(source, p, end)
                if m is not None:
                    yield m
                    cursor = m.end()


def gated(
    pattern: re.Pattern[str],
    source: str,
    windows: Windows,
    may_end_at: Callable[[str, int], bool],
) -> Iterator[re.Match[str]]:
    """``finditer`` over the windows where ``may_end_at(source, q)`` holds for some run ``q``
    (a necessary condition for a match whose number, group ``n``, is the run at ``q``), for a
    pattern whose numbers are digit runs. The scan stops after the match whose number is the
    last run that passes: any later match would need a later one."""
    for w in windows.windows:
        last = next((q for q in reversed(w.runs) if may_end_at(source, q)), None)
        if last is None:
            continue
        for m in pattern.finditer(source, w.start, w.end):
            yield m
            if m.start("n") >= last:
                break


# ---------------------------------------------------------------------------------------------
# Where each cue pattern may start or end, given the number at ``q``

# How the word before a number (spaces skipped) may end when a ``CUE_BEFORE`` cue, separator
# or filler stands there: "I'm 19", "she is 16", "age: 22", "my lil sis 16", "only 15".
_CUE_WORDS = (
    "m re are r age ages aged edad is iz s shes turned barely sweet only just jst jus juss me "
    "tengo tiene tienen tenho cumpli cumplidos ai onli a finally now newly like still"
)
CUE_ENDINGS = tuple(
    {
        *_CUE_WORDS.split(),
        *L["relations"].split(),
    }
)
_SEPARATOR_CHARS = frozenset("=:-–,")


def cue_may_end_at(low: str, q: int) -> bool:
    """Whether a ``CUE_BEFORE`` match (over the lower-cased ``low``) may have its number at
    ``q``: the non-space character before it must end a cue, a separator or a filler."""
    j = q
    while j > 0 and low[j - 1].isspace():
        j -= 1
    if j == 0:
        return False
    ch = low[j - 1]
    if ch in _SEPARATOR_CHARS or not ch.isascii():
        return True
    if not ("a" <= ch <= "z"):
        return False
    k = j - 1
    while k > 0 and "a" <= low[k - 1] <= "z":
        k -= 1
    return low[k:j].endswith(_CUE_ENDINGS_BY_LAST.get(ch, ()))


# ``CUE_ENDINGS`` by last letter, shortest first: one ``endswith`` over a few instead of all.
_CUE_ENDINGS_BY_LAST = {
    last: tuple(sorted((w for w in CUE_ENDINGS if w[-1] == last), key=len))
    for last in {w[-1] for w in CUE_ENDINGS}
}


_NOT_BEFORE_DIGITS = frozenset(".,$£€#")


_NOUNS = (
    "lady girl woman wife mom milf mami mommy babe baby sister sisters twins both duo bestie bff "
    "friend girlfriend latina blonde brunette redhead ebony asian cutie chick student teen petite "
    "here me"
)
_PERSON_NOUNS = frozenset(_NOUNS.split())  # the words ``age_cues.PERSON`` lists
_LOWER_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _gap_start(text: str, i: int) -> int:
    """Start of the run of non-word characters other than a line break that ends at ``i``."""
    while i > 0:
        ch = text[i - 1]
        if ch == "\n" or ch == "_" or ch.isalnum():
            break
        i -= 1
    return i


def person_starts(text: str, q: int) -> list[int]:
    """Every possible start of a ``PERSON`` match whose number is at ``q``: a capitalised word
    or a word for the person ending at most 8 characters of gap (or 8, "here" and 6) before."""
    if q == 0 or text[q - 1] in _NOT_BEFORE_DIGITS:
        return []
    j = _gap_start(text, q)
    ends = [j] if q - j <= 8 else []
    if q - j <= 6 and text[j - 4 : j] == "here":
        ends.append(j - 4)
        i = _gap_start(text, j - 4)
        if j - 4 - i <= 8:
            ends.append(i)
    out = []
    for e in ends:
        if e == 0 or not ("a" <= text[e - 1] <= "z" or "A" <= text[e - 1] <= "Z"):
            continue
        r = e - 1
        while r > 0 and ("a" <= text[r - 1] <= "z" or "A" <= text[r - 1] <= "Z"):
            r -= 1
        if "A" <= text[r] <= "Z" and e - r >= 2 and (r == 0 or not _NAME_BEFORE(text, r - 1)):
            out.append(r)
        # A noun (all lower case) must not follow a lower-case letter: it is the whole word
        # or the part after its last capital ("MYgirl"), i.e. the word's lower-case tail.
        word = text[r:e]
        s = e - (len(word) - len(word.rstrip(_LOWER_LETTERS)))
        if text[s:e] in _PERSON_NOUNS:
            out.append(s)
    return out


def _NAME_BEFORE(text: str, i: int) -> bool:  # noqa: N802 - reads as the lookbehind it is
    ch = text[i]
    return ch == "_" or ch.isalnum() or ch in "'’-"


def short_start(text: str, q: int) -> int | None:
    """Where a ``SHORT_CUE`` ("m 16", "f/16") ending in the number at ``q`` must start."""
    j = q
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j == 0:
        return None
    if text[j - 1] == "/":
        j -= 1
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        if j == 0:
            return None
        return j - 1 if text[j - 1] in "mMfF" else None
    return j - 1 if j < q and text[j - 1] in "mM" else None


def bracket_start(text: str, q: int) -> int | None:
    """Where a ``BRACKETED`` age "(21)" with its number at ``q`` must start."""
    j = q
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return j - 1 if j > 0 and text[j - 1] == "(" else None


# ---------------------------------------------------------------------------------------------
# Cheap looks at the whole lower-case text, in one Aho-Corasick pass instead of a substring
# search per word and a ``FUZZY_POS`` scan (whose first letters are among the commonest).

# Every ``FUZZY_POS`` alternative starts with one of these.
_FUZZY_STARTS = (
    *("im", "i'm", "i’m", "i am", "age", "only", "jus", "jst", "barely", "turned", "sweet"),
    *("tengo", "she", "yo", "yr", "year", "y/", "y /", "y.o"),
)
_WORD, _APPROACH, _FUZZY = 1, 2, 4


@dataclass(slots=True)
class Hints:
    words: bool  # a ``WORD_HINTS`` word is in the text
    approach: bool  # an ``APPROACH_HINTS`` word is
    fuzzy: list[int]  # where a ``FUZZY_POS`` match may start, in order


@cache
def _hint_automaton() -> ahocorasick.Automaton:
    kinds: dict[str, int] = {}
    for kind, words in ((_WORD, WORD_HINTS), (_APPROACH, APPROACH_HINTS), (_FUZZY, _FUZZY_STARTS)):
        for word in words:
            kinds[word] = kinds.get(word, 0) | kind
    automaton = ahocorasick.Automaton()
    for word, kind in kinds.items():
        automaton.add_word(word, (len(word) - 1, kind))
    automaton.make_automaton()
    return automaton


def hints(low: str) -> Hints:
    seen = 0
    starts: list[int] = []
    for end, (back, kind) in _hint_automaton().iter(low):
        seen |= kind
        if kind & _FUZZY:
            starts.append(end - back)
    return Hints(bool(seen & _WORD), bool(seen & _APPROACH), sorted(set(starts)))


def fuzzy_hits(low: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``FUZZY_POS.finditer(low)``, trying the pattern only at ``starts``."""
    match = FUZZY_POS.match
    cursor = 0
    for p in starts:
        if p >= cursor:
            m = match(low, p)
            if m is not None:
                yield m
                cursor = m.end()
