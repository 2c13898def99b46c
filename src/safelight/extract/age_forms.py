"""The rarer forms of a stated age, read by the age extractor (``ages``) after its main cue
rules, over the same windows and with the same helpers:

- an age about to be reached: "17 going on 18", "almost 18", "turning 18 soon" -> 17;
- text-speak: digits spaced out next to a cue ("im 1 6", "1 6 yrs old"), glued to it ("im16")
  or with a look-alike 1 ("age: l7"), "m 16" and "f/16" at the start of a clause, and a bare
  age at the start of a clause followed by how the person describes herself ("16 and bored");
- misspelled or shortened number words next to a cue: "im sevnteen", "sixtn yo".

Each takes the ``_Scan`` of one text and adds what it finds to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from safelight.extract import age_cues as C
from safelight.extract.age_numbers import fuzzy_number, parse_number
from safelight.extract.age_scan import at_runs, before_runs, fuzzy_hits, short_start

if TYPE_CHECKING:
    from safelight.extract.ages import _Scan

__all__ = ["APPROACH_NEAR", "approaching", "fuzzy_words", "text_speak"]


# What every ``APPROACH`` match holds when its number is digits (a text without number words):
# "almost", "nearly", "turn" (turning, turns, about to turn) or "be" (gonna be, will be, i'll
# be) and the spaces before the number.
APPROACH_NEAR = re.compile(r"almost|nearly|turn|be[ \t]+\d")


def approaching(scan: _Scan) -> None:
    """ "17 going on 18" -> 17; "almost 18", "turning 18 soon" -> 17."""
    p, src = scan.p, scan.src
    if scan.anchored:
        going: Iterable[re.Match[str]] = at_runs(p.going_on_d, src, scan.windows)
        approach: Iterable[re.Match[str]] = (
            m
            for win in scan.windows.windows
            if APPROACH_NEAR.search(src, win.start, win.end)
            for m in p.approach.finditer(src, win.start, win.end)
        )
    else:
        going = scan.scan(p.going_on if scan.words else p.going_on_d)
        approach = scan.scan(p.approach)
    for m in going:
        first, second = parse_number(m.group("n")), parse_number(m.group("n2"))
        if first is None or second is None or not first < second <= first + 2:
            continue
        if scan.ok_context(m.start(), m.end()) and scan.add(
            m.start(), m.end(), m.start("n"), m.end("n"), "approaching", first
        ):
            scan.taken.append((m.start("n2"), m.end("n2")))
    for m in approach:
        value = parse_number(m.group("n"))
        end = m.end()
        if value is None or not scan.ok_context(m.start(), end):
            continue
        if not m.group("unit"):
            if p.years_next.match(src, end):
                continue  # "almost 18 years" is a duration
            soon = p.soon.match(src, end)
            if m.group("strong") and not soon:
                continue
            if not (soon or p.approach_end.match(src, end)):
                continue
        if not p.today.match(src, end):
            value -= 1
        scan.add(m.start(), end, m.start("n"), m.end("n"), "approaching", value)


def text_speak(scan: _Scan) -> None:
    """Spaced digits with a cue, "m 16", "f/16", and "16 and bored" at a clause start."""
    text, p, src, w, anchored = scan.text, scan.p, scan.src, scan.windows, scan.anchored
    if anchored:  # a spaced age starts with a one-digit run, then a space or . * _ -
        spaced = any(
            text[q + 1] in " \t.*_-" and C.SPACED_HINT.match(text, q)
            for win in w.windows
            for q in win.runs
            if q + 1 < len(text)
        )
    else:
        spaced = bool(C.SPACED_HINT.search(text))
    for m in scan.scan(p.spaced_before) if spaced else ():
        if scan.ok_context(m.start(), m.end()):
            value = int(m.group("a") + m.group("b"))
            scan.add(m.start(), m.end(), m.start("a"), m.end("b"), "spaced", value)
    if spaced:
        s_after = at_runs(p.spaced_after, src, w) if anchored else scan.scan(p.spaced_after)
        for m in s_after:
            s = m.start()
            if s >= 2 and text[s - 1] in " \t" and text[s - 2].isdigit():
                continue  # one more spaced digit before: a longer number
            if scan.ok_context(s, m.end()):
                value = int(m.group("a") + m.group("b"))
                scan.add(s, m.end(), s, m.end("b"), "spaced", value)
    if anchored:  # a glued age is a digit run right after "m", "e", "l", "i" or "|"
        glued: Iterable[re.Match[str]] = (
            m
            for win in w.windows
            if any(q and src[q - 1] in "meli|" for q in win.runs)
            for m in p.glued.finditer(src, win.start, win.end)
        )
    else:
        glued = scan.scan(p.glued) if C.GLUED_HINT.search(scan.low) else ()
    for m in glued:
        if not scan.ok_context(m.start(), m.end()):
            continue
        if m.group("n"):
            scan.add(m.start(), m.end(), m.start("n"), m.end("n"), "before")
        else:
            value = int("1" + m.group("d"))
            scan.add(m.start(), m.end(), m.start("look"), m.end("d"), "lookalike", value)
    short = (
        before_runs(C.SHORT_CUE, text, w, short_start) if anchored else scan.scan(C.SHORT_CUE, text)
    )
    for m in short:
        s = m.start()
        if s and (text[s - 1].isalnum() or text[s - 1] in C.NOT_BEFORE_SHORT):
            continue
        if C.clause_start(text, s) and scan.ok_context(m.start("n"), m.end("n")):
            scan.add(m.start(), m.end(), m.start("n"), m.end("n"), "before")
    bare = at_runs(p.bare_state, src, w) if anchored else scan.scan(p.bare_state)
    for m in bare:
        word = m.group("w")
        if word is not None:
            if word.lower() not in C.STATE_WORDS:
                continue
        elif not m.group("frac"):
            continue
        if not C.clause_start(text, m.start()):
            continue
        if not m.group("frac") and p.reject_after.match(src, m.end("n")):
            continue
        end = m.end("w") if word is not None else m.end("frac")
        scan.add(m.start(), end, m.start("n"), m.end("n"), "and")


def fuzzy_words(scan: _Scan) -> None:
    """Misspelled or shortened number words next to a cue: "im sevnteen", "sixtn yo"."""
    p, src, low = scan.p, scan.src, scan.low
    n = len(src)
    found: list[re.Match[str]] = []
    for hit in fuzzy_hits(low, scan.hints.fuzzy):  # cue words and units: look next to them
        s, e = hit.span()
        if low[s] == "y":  # "yo", "yrs", "y/o": the word before
            m = p.fuzzy_after.search(src, max(0, s - 20), min(n, e + 12))
        else:
            m = p.fuzzy_before.match(src, s, min(n, e + 40))
        if m is not None:
            found.append(m)
    for m in found:
        value = fuzzy_number(m.group("w"))
        if value is None or not C.FUZZY_MIN <= value <= C.FUZZY_MAX:
            continue
        if scan.ok_context(m.start(), m.end("w")):
            scan.add(m.start(), m.end(), m.start("w"), m.end("w"), "misspelled word", value)
