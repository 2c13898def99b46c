"""The digit view of an ad: where digits are written, however they are disguised.

Ads hide phone numbers from site filters: number words ("nine0three"), look-alike letters
("3l2-l887"), digits spaced or starred ("9*0*3"), keycap emoji (9️⃣), full-width and
mathematical digits (９, 𝟗), circled digits (⑨). This module finds *chains* of such digit
units joined by separators, in one regex pass over the text, and turns each chain into a list
of ``Unit``\\ s: the digits a unit stands for, its kind, and its span in the ORIGINAL text, so
every later step reports exact substrings of what the advertiser wrote.

The tables (number words, look-alikes, id labels) live in ``data/phone_obfuscation.yaml``.
``phones.py`` decides which windows of a chain are phone numbers; ``phone_context.py`` holds
the context checks (dates, prices, post ids...) that veto a candidate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import ahocorasick
import yaml

from safelight.extract.base import lowered

__all__ = [
    "Tables",
    "Unit",
    "alternation",
    "chain_units",
    "iter_chains",
    "tables",
]

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
# Full-width and typographic punctuation used between digit groups: （４０４）７７２－１９０３
_WIDE_PUNCT = "\u2010-\u2015\u2212\u3000\u30fb\uff08\uff09\uff0a\uff0b\uff0c\uff0d\uff0e\uff0f"
_TEEN, _TENS, _HUNDRED, _REPEAT = "teen", "tens", "hundred", "repeat"


@dataclass(slots=True)
class Unit:
    """A piece of a chain that stands for one or more digits (or modifies its neighbour)."""

    start: int
    end: int
    digits: str
    kind: str


@dataclass(frozen=True, slots=True)
class Tables:
    words: dict[str, tuple[str, str]]  # lower-case word -> (kind, digits)
    lookalikes: dict[str, str]  # char -> digit
    inner_lookalikes: frozenset[str]  # only between two digits
    id_labels: tuple[tuple[str, bool], ...]  # (label, needs "id"/"#"/"no" after it)
    intl_context: tuple[str, ...]
    not_gap_words: frozenset[str]


def _load() -> dict[str, Any]:
    path = resources.files("safelight.extract").joinpath("data/phone_obfuscation.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def tables() -> Tables:
    raw = _load()
    words = {str(e["word"]).lower(): (e["kind"], str(e["digits"])) for e in raw["words"]}
    looks = {e["char"]: str(e["digits"]) for e in raw["lookalikes"]}
    inner = frozenset(e["char"] for e in raw["lookalikes"] if e["position"] == "inner")
    return Tables(
        words=words,
        lookalikes=looks,
        inner_lookalikes=inner,
        id_labels=tuple((e["label"], bool(e["needs_suffix"])) for e in raw["id_labels"]),
        intl_context=tuple(e["word"] for e in raw["intl_context"]),
        not_gap_words=frozenset(e["word"] for e in raw["not_gap_words"]),
    )


def _special_digits() -> dict[str, str]:
    """Digit-like characters that are not Unicode decimal digits (``\\d`` misses them):
    circled/parenthesised/dingbat digits, super- and subscripts, keycap ten."""
    out: dict[str, str] = {"\U0001f51f": "10"}  # 🔟
    ranges = [
        (0x00B2, 0x00BA),
        (0x2070, 0x208A),
        (0x2460, 0x2500),
        (0x2776, 0x2794),
        (0x1F100, 0x1F10D),
    ]
    for lo, hi in ranges:
        for cp in range(lo, hi):
            ch = chr(cp)
            if unicodedata.category(ch) != "No":
                continue
            value = unicodedata.numeric(ch, -1.0)
            if value >= 0 and value == int(value) and value <= 20:
                out[ch] = str(int(value))
    return out


SPECIAL: dict[str, str] = _special_digits()


def _ranges(chars: list[str]) -> str:
    """A compact regex class body for ``chars`` (consecutive code points as ranges)."""
    points = sorted(ord(c) for c in chars)
    parts: list[str] = []
    k = 0
    while k < len(points):
        j = k
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        lo, hi = chr(points[k]), chr(points[j])
        parts.append(re.escape(lo) if j == k else f"{re.escape(lo)}-{re.escape(hi)}")
        k = j + 1
    return "".join(parts)


_SPECIAL_CLASS = _ranges(list(SPECIAL))
_SPECIAL_BMP = _ranges([c for c in SPECIAL if ord(c) < 0x10000])


def alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _alt_by_initial(words: list[str]) -> str:
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
    letter the non-ASCII ones IGNORECASE folds to it (``_FOLD``: "ſ" for "s"...)."""
    same = re.compile(f"(?i:{re.escape(c)})")
    chars = {c, c.upper(), c.lower(), *map(chr, _FOLD)}
    return "[" + re.escape("".join(sorted(ch for ch in chars if same.fullmatch(ch)))) + "]"


# Letters ``re.IGNORECASE`` matches to an ASCII letter that ``str.lower`` keeps apart ("ı" ~ "i",
# "ſ" ~ "s"; "İ" lowers to "i" and a dot): a number word written with one ("nıne") would
# otherwise not be found in the table.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _lead_pattern(strong: list[str], any_look: str, sep: str, letter: str) -> str:
    """``(?<!letter)(?:strong words|[any_look])sep?$`` (a number word or look-alike just before
    a chain), written to start with a character class so that the regex engine skips the
    positions where no such word can start; the same matches, since the class holds every
    character a word's first letter matches without case ("S" and "ſ" for "s") and the
    letter check before the word moves after its first character."""
    initials = sorted({w[0] for w in strong})
    odd = [chr(code) for code, folded in _FOLD.items() if folded in initials]
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
    odd = "".join(map(chr, _FOLD))  # letters that IGNORECASE matches to an ASCII letter
    after = rf"[{sep_chars}\ufe0f\u20e3{_SPECIAL_CLASS}{starts}{odd}]|(?<=[^\W_]{{5}})"
    return rf"(?<!\d[\s\S])(?=\d*+(?:{after}))"


def _regexes(guarded: bool = True) -> tuple[re.Pattern[str], ...]:
    """The chain regexes; ``guarded=False`` leaves out the lookaheads that only make them
    fail faster (for tests)."""
    t = tables()
    strong = [w for w, (k, _) in t.words.items() if k in ("digit", "teen", "tens")]
    weak = [w for w, (k, _) in t.words.items() if k == "weak"]
    mods = [w for w, (k, _) in t.words.items() if k in (_HUNDRED, _REPEAT)]
    any_look = "".join(sorted(c for c in t.lookalikes if c not in t.inner_lookalikes))
    inner_look = "".join(sorted(t.inner_lookalikes))
    all_look = any_look + inner_look
    letter = r"[A-Za-z\u00c0-\u024f]"
    nb, na = rf"(?<!{letter})", rf"(?!{letter})"
    spec = f"[{_SPECIAL_CLASS}]"
    strong_alt = _alt_by_initial(strong)
    digit = rf"(?:\d\ufe0f?\u20e3|\d+|{spec}|{strong_alt})"
    # A run: a whole alphanumeric word made only of digits, number words and look-alikes,
    # with at least one real digit or number word ("9O3", "nine0three", "l887", "9️⃣0️⃣3️⃣").
    needs_digit = rf"(?=[{all_look}]*(?:\d|{spec}|{strong_alt}))"
    glued_weak = _alt_by_initial([w for w in weak if len(w) == 2 and w[0] == "o"])  # "2oh3"
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
            rf"[\d{_SPECIAL_CLASS}{re.escape(chars)}]{guard}"
            rf"(?:(?<![\d{letter[1:-1]}][\s\S])"
            rf"(?:(?<=\d)(?:\ufe0f?\u20e3|\d*+)|(?<={spec}){by_initial if word_starts else ''})"
            rf"{rest}|(?<=\d)(?<!\d[\s\S])\d{{2,}}+)"
        )

    weak_run = rf"{nb}(?:{_alt_by_initial(weak)}|[{any_look}]){na}"
    mod_run = rf"{nb}{_alt_by_initial(mods)}{na}"
    emoji = (
        r"\u00a1-\u00b1\u00b4-\u00b8\u00ba-\u00bf\u2000-\u206f\u20e3"
        r"\u2100-\u245f\u2500-\u2775\u2794-\u2bff\u3001-\u303f\ufe0f"
        r"\U0001f000-\U0001f0ff\U0001f110-\U0001f51e\U0001f520-\U0001faff"
    )
    sep_char = rf"[\s\-.*()\[\]{{}}/\\_~|,•·+=#^<>{_WIDE_PUNCT}{emoji}]"
    # Between groups: separator characters, or one or two short words ("501 call 829 me
    # 4417", "210 and then 447"); phones.py accepts word gaps only in a valid, 3-3-4 number.
    sep = rf"(?:{sep_char}{{1,8}}+|\s+(?:[A-Za-z]{{1,8}}+[\s,]++){{1,2}}+)"
    # A chain is two units or more, or one long unit: lone short numbers never match, so the
    # many prices and ages of an ad cost no Python work.
    # (after a separator, a unit starts with one of these: tried first, it fails fast)
    starts = "".join(_cases(c)[1:-1] for c in sorted({w[0] for w in t.words}))
    unit_start = rf"(?=[\d{_SPECIAL_CLASS}{all_look}{starts}])" if guarded else ""
    units = rf"{unit_start}(?:{run}|{glued}|{weak_run}|{mod_run})"
    more = rf"(?:(?:{sep}{units})++|(?<=[^\W_]{{5}})|(?<=\u20e3))"
    lead = _lead_pattern(strong, any_look, sep, letter)
    glued_words = strong + [w for w in weak if len(w) == 2 and w[0] == "o"]
    guard = _digit_guard(glued_words, all_look, sep_char[1:-1]) if guarded else ""
    sub = (
        r"(?P<key>\d\ufe0f?\u20e3)|(?P<dig>\d+)|(?P<spec>[" + _SPECIAL_CLASS + "])"
        rf"|(?P<word>{_alt_by_initial(list(t.words))})|(?P<look>[{all_look}])"
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
# starting with a digit (cheaper; _LEAD_RE then extends them over number words just before).
CHAIN_RE, DIGIT_CHAIN_RE, _SUB_RE, _LEAD_RE, _UNIT_RE = _regexes()


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
                lead = _LEAD_RE.search(text, max(last, start - 16), start)
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
_DIGIT_CHAIN_RE = re.compile(r"\d++(?:[^\dA-Za-z\u20e3\ufe0f" + _SPECIAL_CLASS + r"]++\d++)*+")
_DIGITS_RE = re.compile(r"\d+")


class _AsciiDigits(dict[int, str]):
    """``str.translate`` table: a decimal digit (what ``\\d`` matches) -> its ASCII digit,
    filled on first use."""

    def __missing__(self, code: int) -> str:
        digit = self[code] = str(unicodedata.decimal(chr(code)))
        return digit


_TO_ASCII = _AsciiDigits()


def _value(ch: str) -> str:
    return SPECIAL.get(ch) or str(unicodedata.digit(ch))


def chain_units(text: str, start: int, end: int) -> list[Unit]:
    """The units of one chain, with number words combined ("eighty seven" -> 87)."""
    if _DIGIT_CHAIN_RE.fullmatch(text, start, end):
        # Fast path, the same units as below: each group is one maximal ``\d+`` run, which
        # _UNIT_RE and _SUB_RE ("dig") take whole; no unit is a look-alike or a number word,
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
    for run in _UNIT_RE.finditer(text, start, end):  # skips separators and gap words
        _split_run(text, run.start(), run.end(), t, units)
    _mark_glued(units)
    return _combine_words(text, units)


def _split_run(text: str, start: int, end: int, t: Tables, units: list[Unit]) -> None:
    for m in _SUB_RE.finditer(text, start, end):
        kind = m.lastgroup
        s, e = m.span()
        tok = m.group()
        if kind == "dig":
            if tok.isascii():
                units.append(Unit(s, e, tok, ASCII))
            else:
                units.append(Unit(s, e, "".join(_value(c) for c in tok), UNICODE))
        elif kind == "key":
            units.append(Unit(s, e, tok[0] if tok[0].isascii() else _value(tok[0]), KEYCAP))
        elif kind == "spec":
            units.append(Unit(s, e, SPECIAL[tok], UNICODE))
        elif kind == "look":
            units.append(Unit(s, e, t.lookalikes[tok], LOOK))
        else:
            wkind, digits = t.words[tok.translate(_FOLD).lower()]
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
        if u.kind == _TENS:
            if nxt is not None and nxt.kind == WORD and nxt.digits != "0" and _joined(text, u, nxt):
                out.append(Unit(u.start, nxt.end, u.digits + nxt.digits, WORD))
                k += 2
                continue
            out.append(Unit(u.start, u.end, u.digits + "0", WORD))
        elif u.kind == _TEEN:
            out.append(Unit(u.start, u.end, u.digits, WORD))
        elif u.kind == _REPEAT:
            if nxt is not None and len(nxt.digits) == 1 and nxt.kind in (WORD, ASCII):
                out.append(Unit(u.start, nxt.end, nxt.digits * int(u.digits), WORD))
                k += 2
                continue
        elif u.kind == _HUNDRED:
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
    if nxt.kind == _TENS:
        after = units[k + 1] if k + 1 < len(units) else None
        if (
            after is not None
            and after.kind == WORD
            and after.digits != "0"
            and _joined(text, nxt, after)
        ):
            return nxt.digits + after.digits, 2
        return nxt.digits + "0", 1
    if nxt.kind == _TEEN:
        return nxt.digits, 1
    if nxt.kind == WORD and len(nxt.digits) == 1:
        return "0" + nxt.digits, 1
    return "00", 0
