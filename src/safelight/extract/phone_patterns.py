"""The chain regexes of the phone extractor, built from its tables.

A chain is digit units (digits in any script, number words, look-alike letters, keycaps,
circled digits) joined by separators or short words. The patterns are written so that the
regex engine can skip quickly: each starts with a character class, and lookahead guards make
a failing attempt stop at once; ``build_regexes(guarded=False)`` gives the same patterns
without the guards, which the tests hold them to.
"""

from __future__ import annotations

import re

from safelight.extract.base import class_body
from safelight.extract.phone_tables import (
    HUNDRED,
    IGNORECASE_FOLD,
    REPEAT,
    SPECIAL,
    WIDE_PUNCT,
    tables,
)

__all__ = [
    "CHAIN_RE",
    "DIGIT_CHAIN_RE",
    "LEAD_RE",
    "SPECIAL_CLASS",
    "SUB_RE",
    "UNIT_RE",
    "alt_by_initial",
    "alternation",
    "build_regexes",
]


SPECIAL_CLASS = class_body(list(SPECIAL))


def alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def alt_by_initial(words: list[str]) -> str:
    """Case-insensitive alternation grouped by first letter, each group starting with a class
    of its initial's cases: the regex engine then rejects a position after one test per
    initial instead of one per word, and (a class, not a case-insensitive letter) without
    entering the group."""
    initials = sorted({w[0] for w in words})
    groups = []
    for c in initials:
        rest = [w[1:] for w in words if w[0] == c]
        tail = "" if rest == [""] else f"(?i:{alternation(rest)})" + ("?" if "" in rest else "")
        groups.append(f"{_cases(c)}{tail}")
    return "(?:" + "|".join(groups) + ")"


def _cases(c: str) -> str:
    """A class of the characters ``(?i:c)`` matches: ``c``, its other case, and for an ASCII
    letter the non-ASCII ones IGNORECASE folds to it (``IGNORECASE_FOLD``: "ſ" for "s"...)."""
    same = re.compile(f"(?i:{re.escape(c)})")
    chars = {c, c.upper(), c.lower(), *map(chr, IGNORECASE_FOLD)}
    return "[" + re.escape("".join(sorted(ch for ch in chars if same.fullmatch(ch)))) + "]"


def _lead_pattern(strong: list[str], any_look: str, sep: str, letter: str) -> str:
    """``(?<!letter)(?:strong words|[any_look])sep?$`` (a number word or look-alike just before
    a chain), written to start with a character class so that the regex engine skips the
    positions where no such word can start; the same matches, since the class holds every
    character a word's first letter matches without case ("S" and "ſ" for "s") and the
    letter check before the word moves after its first character."""
    initials = sorted({w[0] for w in strong})
    odd = [chr(code) for code, folded in IGNORECASE_FOLD.items() if folded in initials]
    starts = "".join(sorted({*initials, *(c.upper() for c in initials), *odd, *any_look}))
    words = "|".join(
        rf"(?<=(?i:{c}))(?i:{alternation([w[1:] for w in strong if w[0] == c])})" for c in initials
    )
    return rf"[{re.escape(starts)}](?<!{letter}[\s\S])(?:(?<=[{any_look}])|{words}){sep}?$"


def _digit_guard(glued: list[str], looks: str, sep_chars: str) -> str:
    """What every chain starting with a digit has right after its first digit (a lookahead
    DIGIT_CHAIN_RE tries first, so that "100%", "150hr", "$170!" fail at once instead of
    after every alternative): no digit before it, and after its run of ``\\d`` a separator,
    a keycap mark, a special digit, a character a ``glued`` word or look-alike may start with
    (in any case), or the end of a word of 5 letters or digits. Past that run the chain goes
    on with more units glued to it, or a separator (``more``), or ends as one long unit."""
    initials = {w[0] for w in glued} | set(looks)
    starts = re.escape("".join(sorted({*initials, *map(str.upper, initials)})))
    odd = "".join(map(chr, IGNORECASE_FOLD))  # letters that IGNORECASE matches to an ASCII letter
    after = rf"[{sep_chars}\ufe0f\u20e3{SPECIAL_CLASS}{starts}{odd}]|(?<=[^\W_]{{5}})"
    return rf"(?<!\d[\s\S])(?=\d*+(?:{after}))"


def build_regexes(guarded: bool = True) -> tuple[re.Pattern[str], ...]:
    """The chain regexes; ``guarded=False`` leaves out the lookaheads that only make them
    fail faster (for tests)."""
    t = tables()
    strong = [w for w, (k, _) in t.words.items() if k in ("digit", "teen", "tens")]
    weak = [w for w, (k, _) in t.words.items() if k == "weak"]
    mods = [w for w, (k, _) in t.words.items() if k in (HUNDRED, REPEAT)]
    any_look = "".join(sorted(c for c in t.lookalikes if c not in t.inner_lookalikes))
    inner_look = "".join(sorted(t.inner_lookalikes))
    all_look = any_look + inner_look
    letter = r"[A-Za-z\u00c0-\u024f]"
    nb, na = rf"(?<!{letter})", rf"(?!{letter})"
    spec = f"[{SPECIAL_CLASS}]"
    strong_alt = alt_by_initial(strong)
    digit = rf"(?:\d\ufe0f?\u20e3|\d+|{spec}|{strong_alt})"
    # A run: a whole alphanumeric word made only of digits, number words and look-alikes,
    # with at least one real digit or number word ("9O3", "nine0three", "l887", "9️⃣0️⃣3️⃣").
    needs_digit = rf"(?=[{all_look}]*(?:\d|{spec}|{strong_alt}))"
    glued_weak = alt_by_initial([w for w in weak if len(w) == 2 and w[0] == "o"])  # "2oh3"
    rest = rf"(?:{digit}|{glued_weak}|[{any_look}]|[{inner_look}](?={digit}))*+{na}"
    run = rf"{nb}{needs_digit}{rest}"
    # Digits glued to letters: a long run ("call9033121887") or a group ending in a word
    # ("903 312 1887text").
    glued = r"(?<!\d)(?:\d{7,}+|\d{3,}+(?=[A-Za-z]))"
    # The first unit, written so that the pattern starts with one character class: the regex
    # engine then skips every position that cannot start a chain (most of the text).
    initials = sorted({w[0] for w in strong})
    by_initial = "".join(
        rf"|(?<=[{c}{c.upper()}])(?i:{alternation([w[1:] for w in strong if w[0] == c])})"
        for c in initials
    )

    # A phone never starts with a look-alike (0 or 1 cannot start an area code), so chains
    # start with a digit or, in texts with number words, a number word.
    def first(word_starts: bool, guard: str = "") -> str:
        chars = "".join(initials) + "".join(initials).upper() if word_starts else ""
        return (
            rf"[\d{SPECIAL_CLASS}{re.escape(chars)}]{guard}"
            rf"(?:(?<![\d{letter[1:-1]}][\s\S])"
            rf"(?:(?<=\d)(?:\ufe0f?\u20e3|\d*+)|(?<={spec}){by_initial if word_starts else ''})"
            rf"{rest}|(?<=\d)(?<!\d[\s\S])\d{{2,}}+)"
        )

    weak_run = rf"{nb}(?:{alt_by_initial(weak)}|[{any_look}]){na}"
    mod_run = rf"{nb}{alt_by_initial(mods)}{na}"
    emoji = (
        r"\u00a1-\u00b1\u00b4-\u00b8\u00ba-\u00bf\u2000-\u206f\u20e3"
        r"\u2100-\u245f\u2500-\u2775\u2794-\u2bff\u3001-\u303f\ufe0f"
        r"\U0001f000-\U0001f0ff\U0001f110-\U0001f51e\U0001f520-\U0001faff"
    )
    sep_char = rf"[\s\-.*()\[\]{{}}/\\_~|,•·+=#^<>{WIDE_PUNCT}{emoji}]"
    # Between groups: separator characters, or one or two short words ("501 call 829 me
    # 4417", "210 and then 447"); phones.py accepts word gaps only in a valid, 3-3-4 number.
    sep = rf"(?:{sep_char}{{1,8}}+|\s+(?:[A-Za-z]{{1,8}}+[\s,]++){{1,2}}+)"
    # A chain is two units or more, or one long unit: lone short numbers never match, so the
    # many prices and ages of an ad cost no Python work.
    # (after a separator, a unit starts with one of these: tried first, it fails fast)
    starts = "".join(_cases(c)[1:-1] for c in sorted({w[0] for w in t.words}))
    unit_start = rf"(?=[\d{SPECIAL_CLASS}{all_look}{starts}])" if guarded else ""
    units = rf"{unit_start}(?:{run}|{glued}|{weak_run}|{mod_run})"
    more = rf"(?:(?:{sep}{units})++|(?<=[^\W_]{{5}})|(?<=\u20e3))"
    lead = _lead_pattern(strong, any_look, sep, letter)
    glued_words = strong + [w for w in weak if len(w) == 2 and w[0] == "o"]
    guard = _digit_guard(glued_words, all_look, sep_char[1:-1]) if guarded else ""
    sub = (
        r"(?P<key>\d\ufe0f?\u20e3)|(?P<dig>\d+)|(?P<spec>[" + SPECIAL_CLASS + "])"
        rf"|(?P<word>{alt_by_initial(list(t.words))})|(?P<look>[{all_look}])"
    )
    unit = rf"{run}|{weak_run}|{mod_run}|\d++"
    return (
        re.compile(first(True) + more),
        re.compile(first(False, guard) + more),
        re.compile(sub),
        re.compile(lead),
        re.compile(unit),
    )


# CHAIN_RE finds chains starting with a digit or a number word; DIGIT_CHAIN_RE only those
# starting with a digit (cheaper; LEAD_RE then extends them over number words just before).
CHAIN_RE, DIGIT_CHAIN_RE, SUB_RE, LEAD_RE, UNIT_RE = build_regexes()
