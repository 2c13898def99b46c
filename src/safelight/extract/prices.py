"""Prices with their durations: "80hh 160 hr", "$150/hr", "qv 60", "overnight 1k", "£120".

One regular expression cuts the text into tokens -- amounts (with or without a currency mark),
durations ("hh", "2hr", "30 min", "overnight") and things that look like amounts but are not
(percentages, "24/7", heights, bust-waist-hip measurements, ages, times, long digit runs) --
and a pairing pass gives each amount at most one neighbouring duration:

- a duration glued to the amount ("80hh", "$150/hr") wins;
- otherwise the neighbour joined by the tighter gap (a space or ":" beats a comma or newline);
- on a tie, the order the list was written in: "hh 100 h 150" is duration-first, "100 hh
  150 h" amount-first.

A bare number is a price only next to a duration or after "incall", "donation", "rates"...;
with a currency mark ("$", "roses", "£", "CAD") it is a price on its own (minutes null).
Digits inside a phone span (``found["phone"]``) are never read. Duration words and currency
words live in ``data/price_units.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from safelight.extract.base import Match, lowered

__all__ = ["EXTRACTOR", "PriceExtractor", "number_windows"]

MIN_AMOUNT, MAX_AMOUNT = 20, 10_000
_NUM = r"\d{1,3}(?:,\d{3})+|\d+"

# Looks like a number, is not a price. Tried before amounts at each position. Split by the
# first character (a digit or not) so the token regex can dispatch on it: at any position only
# one half can match, so the split changes no result.
_SKIP_DIGIT = r"""
    24\s*/\s*7 | (?:24|48|72)\s*(?:hours?|hrs?|h)\b | \d+(?:\.\d+)?\s*%
  | \d{2,3}\s*[a-k]{0,3}\s*[-/]\s*\d{2}\s*[-/]\s*\d{2,3}        # 34B-24-34
  | \d\s*(?:'|’|ft\b|feet\b)\s*\d{0,2}\s*(?:"|”|''|in\b)?         # 5'4
  | \d+\s*(?:lbs?|pounds|kg|inch(?:es)?|ft|feet|miles?|mi|cm)\b
  | \d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z]) | \d{1,2}:\d\d
  | \d+\s*-?\s*(?:yo|y/o|y\.o\.?|yrs?|years?|yr\s*old)(?![a-z])
  | (?:2[89]|3\d|4[0-8])(?:dd+|[a-g])\b                       # 36DD, 34C (cup sizes)
  | \d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4} | \d+(?:st|nd|rd|th)\b
  | \d+\s*(?:min(?:ute)?s?)\s+(?:away|from|drive|out)\b
  | \d{6,}
"""
_SKIP_WORDS = r"room|suite|ste|apt|unit|exit|hwy|highway|route|rt|loop|interstate|id|post|size"
_SKIP_OTHER = rf"""
    \b(?:{_SKIP_WORDS})\s*[-#:.]?\s*\#?\s*\d+ | \bi\s*-\s*\d+ | \bno\.\s*\d+
  | \#\s*\d+
"""
_HOUR_WORDS = "one|two|three|four|five|six"
_HOUR_UNIT = r"hours?|hrs?\.?|h"


# A token is a plain tuple (cheaper than an object, and tokens are made per digit run):
# (kind, start, end, value, currency, context) with kind "amt", "dur" or "skip", value the
# amount (whole units) or the minutes, currency None unless written, context True for a bare
# amount after "incall", "donation"...
_Tok = tuple[str, int, int, int, "str | None", bool]
_AMT, _DUR, _SKIP = "amt", "dur", "skip"


@dataclass(frozen=True, slots=True)
class _Lexicon:
    token: re.Pattern[str]
    token_lower: re.Pattern[str]  # the same, guarded, case-sensitive: lower-cased text
    durations: tuple[tuple[re.Pattern[str], int], ...]
    currencies: tuple[tuple[re.Pattern[str], str], ...]
    context: re.Pattern[str]


def _load_units() -> dict[str, Any]:
    raw = resources.files("safelight.extract").joinpath("data/price_units.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


@cache
def _lexicon() -> _Lexicon:
    units = _load_units()
    dur_alt = "|".join(f"(?:{d['pattern']})" for d in units["durations"])
    cur_alt = "|".join(f"(?:{c['pattern']})" for c in units["currencies"])
    # The alternatives, in priority order, that can start at a digit ...
    digit = rf"""
        (?P<skip>{_SKIP_DIGIT})
      | (?P<hnum>\d{{1,2}}(?:\.5)?|1\s+1/2)\s*-?\s*(?P<hunit>{_HOUR_UNIT})(?![a-z])
      | (?P<mnum>\d{{1,3}})\s*-?\s*(?:minutes?|mins?|mns?)(?![a-z])
      | (?<![a-z])(?P<dur>{dur_alt})(?![a-z])
      | (?P<snum>{_NUM})(?:\.\d\d)?(?P<sk>k\b)?\s?(?P<scur>{cur_alt})(?![a-z])
      | (?<![\d.,])(?P<bnum>{_NUM})(?P<bk>k\b)?(?![\d%]|\.\d|\s*/\s*7)
    """
    # ... and those that can start anywhere else (a currency mark, a word, "#", "(").
    other = rf"""
        (?P<skip2>{_SKIP_OTHER})
      | (?P<pcur>[$£€]|us\$|c\$|ca\$|usd|cad|gbp|eur)\s?(?P<pnum>{_NUM})(?:\.\d\d)?(?P<pk>k\b)?
        (?!\d|\s*%)
      | (?P<hword>{_HOUR_WORDS})\s*-?\s*(?P<hunit2>{_HOUR_UNIT})(?![a-z])
      | (?<![a-z])(?P<dur2>{dur_alt})(?![a-z])
      | \(\s*(?P<pmin>15|20|30|45|60|90|120)\s*(?:min(?:ute)?s?)?\s*\)
    """
    token = rf"(?:(?=\d)(?:{digit})|(?!\d)(?:{other}))"
    # Where a token can start in lower-cased text: a digit, a currency mark, "#", "(", the
    # start of a currency code or hour word, or a skip/duration word after a non-letter. Each
    # branch is a prefix of the alternatives above, so the guard drops no match; it lets the
    # regex engine step over ordinary letters and spaces cheaply.
    hours = "|".join(rf"{w}\s*-?\s*h" for w in _HOUR_WORDS.split("|"))
    words = [*_SKIP_WORDS.split("|"), r"i\s*-", r"no\."]
    words += [rf"{alt}(?![a-z])" for d in units["durations"] for alt in _alternatives(d["pattern"])]
    guard = rf"(?=\d|[$£€\#(]|us[$d]|c[$a]|gbp|eur|{hours}|(?<![a-z])(?:{_by_initial(words)}))"
    return _Lexicon(
        token=re.compile(token, re.IGNORECASE | re.VERBOSE),
        token_lower=re.compile(guard + token, re.VERBOSE),
        durations=tuple(
            (re.compile(rf"(?:{d['pattern']})\Z", re.IGNORECASE), int(d["minutes"]))
            for d in units["durations"]
        ),
        currencies=tuple(
            (re.compile(rf"(?:{c['pattern']})\Z", re.IGNORECASE), str(c["currency"]))
            for c in units["currencies"]
        ),
        context=re.compile(
            rf"(?<![a-z])(?:{units['price_context']['pattern']})\s*[:=\-–@]?\s*"
            r"(?:(?:start(?:ing)?|starts|at|from|only|just|are|is)\s+){0,2}\Z",
            re.IGNORECASE,
        ),
    )


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|b(?:c|d)" -> "a", "b(?:c|d)")."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":  # a class: "|" and brackets inside are literal ("[]|]", "[^]]")
            i += 2 if pattern[i + 1 : i + 2] == "^" else 1
            i += pattern[i] == "]"
            while pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and not depth:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def _by_initial(alternatives: list[str]) -> str:
    """The alternatives grouped by their first letter, each group in its given order: the
    regex engine then rejects a position after one test per letter, not one per word (the
    same matches: alternatives with different first letters never match at one place)."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        key = alt[0] if alt[0].isalpha() else ""
        groups.setdefault(key or alt, []).append(alt[1:] if key else alt)
    return "|".join(
        f"{key}(?:{'|'.join(rest)})" if key.isalpha() and len(key) == 1 else key
        for key, rest in groups.items()
    )


_WORD_HOURS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "1 1/2": 1.5}
# Gaps between an amount and a duration: tight (space, ":", "=", "@", "/", "for", "per"...)
# or loose (with a comma, "|", ";", newline...). Anything else breaks the link.
_TIGHT = re.compile(
    r"[ \t:=@/\-–—~*>]*(?:(?:for|per|a|an|at|is|just|only|donations?|roses?|🌹)"
    r"[ \t:=@/\-–—~*]*)*\Z",
    re.IGNORECASE,
)
_LOOSE = re.compile(
    r"[\s:=@/\-–—~*>.,|;!()\[\]&+]*(?:(?:for|per|a|an|at|is|donations?|roses?)\b"
    r"[\s:=@/\-–,]*)*\Z",
    re.IGNORECASE,
)
_SLASH = re.compile(r"\s*/\s*\Z")
_TITLE_AGE = re.compile(r"[ \t!.]*(?:\n|\Z)")
_TITLE_DASH = re.compile(r"\s[-–]\s*\Z")


@lru_cache(maxsize=4096)
def _link(gap: str) -> int:
    """How strongly a gap binds its two neighbours: 3 glued, 2 tight, 1 loose, 0 none."""
    if not gap:
        return 3
    if len(gap) <= 10 and _TIGHT.match(gap):
        return 2
    if len(gap) <= 14 and _LOOSE.match(gap):
        return 1
    return 0


def _amount(num: str, k: str | None) -> int:
    value = int(num.replace(",", ""))
    return value * 1000 if k else value


@lru_cache(maxsize=1024)
def _currency(word: str) -> str:
    for pattern, code in _lexicon().currencies:
        if pattern.match(word):
            return code
    return "USD"


@lru_cache(maxsize=1024)
def _duration_minutes(word: str) -> int | None:
    for pattern, minutes in _lexicon().durations:
        if pattern.match(word):
            return minutes
    return None


# Cheap look after a digit run that rules it out as a price before any window is scanned.
_NEVER_PRICE = re.compile(
    r"(?:\s*(?:%|'|’|lbs?\b|[a-g]\b|dd|-\s*\d+\s*-|/\s*7\b)|:\d)", re.IGNORECASE
)
_ALNUM = re.compile(r"[^\W_]*")  # str.isalnum() characters, as one regex
_ALNUM_END = re.compile(r"[^\W_]+\Z")  # the alphanumeric tail of a string


@lru_cache(maxsize=16)
def _runs_re(max_digits: int, not_after: re.Pattern[str] | None) -> re.Pattern[str]:
    """Whole digit runs of at most ``max_digits`` digits not followed by ``not_after``. The
    pattern starts with ``\\d`` (the boundary is checked after it), so the regex engine jumps
    from digit to digit instead of trying every position."""
    tail = f"(?!{not_after.pattern})" if not_after is not None else ""
    flags = not_after.flags if not_after is not None else 0
    return re.compile(rf"\d(?<!\d\d)\d{{0,{max_digits - 1}}}(?!\d){tail}", flags)


def number_windows(
    text: str,
    blocked: list[tuple[int, int]],
    before: int,
    after: int,
    max_digits: int = 5,
    not_after: re.Pattern[str] | None = None,
) -> list[tuple[int, int]]:
    """Stretches of ``text`` around runs of at most ``max_digits`` digits outside ``blocked``
    spans, widened to whole words and merged. Scanning only these keeps the token regexes off
    the (long) wordy parts of an ad."""
    wins: list[tuple[int, int]] = []
    n = len(text)
    alnum = _ALNUM.match
    last_end = -1  # end of the last window
    for m in _runs_re(max_digits, not_after).finditer(text):
        s, e = m.span()
        if blocked:
            for bs, be in blocked:
                if bs <= s and e <= be:
                    break
            else:
                bs = -1
            if bs >= 0:
                continue
        ws = s - before if s > before else 0
        if ws <= last_end:  # merges with the last window: only its end can grow
            we = alnum(text, e + after).end() if e + after < n else n
            if we > last_end:
                wins[-1] = (wins[-1][0], we)
                last_end = we
            continue
        if ws > 0 and text[ws - 1].isalnum():
            ws -= 1
            while ws > 0 and text[ws - 1].isalnum():
                ws -= 1
            if ws <= last_end:
                we = alnum(text, e + after).end() if e + after < n else n
                if we > last_end:
                    wins[-1] = (wins[-1][0], we)
                    last_end = we
                continue
        we = alnum(text, e + after).end() if e + after < n else n
        wins.append((ws, we))
        last_end = we
    return wins


# Lower-case pieces of every ``price_context`` word ("incall", "donation", "rates", "specials",
# "prices", "fees", "car fun"...): without one, the (costlier) context pattern cannot match. The
# pieces avoid "i", "s" and "k", whose case-insensitive matches include non-ASCII letters.
_CONTEXT_HINT = re.compile("call|don|rate|pec|pr|fee|car")

# Which alternative of the token pattern matched, by the name of the last group it closes.
_KIND_BY_LAST_GROUP = {
    "skip": _SKIP,
    "skip2": _SKIP,
    "pnum": "pcur",
    "pk": "pcur",
    "hunit": "hnum",
    "hunit2": "hword",
    "mnum": "mnum",
    "pmin": "pmin",
    "dur": "dur",
    "dur2": "dur2",
    "scur": "snum",
    "bnum": "bnum",
    "bk": "bnum",
}


def _tokens(text: str, blocked: list[tuple[int, int]]) -> list[_Tok]:
    wins = number_windows(text, blocked, 24, 24, not_after=_NEVER_PRICE)
    if not wins:
        return []
    lex = _lexicon()
    out: list[_Tok] = []
    low = lowered(text)
    source, token = (low, lex.token_lower) if len(low) == len(text) else (text, lex.token)
    kinds = _KIND_BY_LAST_GROUP
    for ws, we in wins:
        for m in token.finditer(source, ws, we):
            kind = kinds[m.lastgroup]
            start, end = m.span()
            if kind is _SKIP or (blocked and _overlaps(blocked, start, end)):
                out.append((_SKIP, start, end, 0, None, False))
            elif kind == "pcur":
                value = _amount(m["pnum"], m["pk"])
                out.append(_amt(start, end, value, _currency(m["pcur"]), False))
            elif kind == "hnum" or kind == "hword":
                num, unit = ("hnum", "hunit") if kind == "hnum" else ("hword", "hunit2")
                raw = m[num].lower()
                hours = _WORD_HOURS.get(re.sub(r"\s+", " ", raw)) or float(raw)
                if hours <= 12:
                    out.append((_DUR, start, end, int(hours * 60), None, False))
                else:  # "160 hr", "150h": an amount, then a one-hour duration
                    out.append(_amt(start, m.end(num), int(hours), None, False))
                    out.append((_DUR, m.start(unit), end, 60, None, False))
            elif kind == "mnum" or kind == "pmin":
                out.append((_DUR, start, end, int(m[kind]), None, False))
            elif kind == "dur" or kind == "dur2":
                minutes = _duration_minutes(m[kind])
                if minutes is not None:
                    out.append((_DUR, start, end, minutes, None, False))
            elif kind == "snum":
                value = _amount(m["snum"], m["sk"])
                out.append(_amt(start, end, value, _currency(m["scur"]), False))
            else:  # bnum
                lo = max(0, start - 28)
                seg = source[lo:start] if source is low else text[lo:start].lower()
                context = _CONTEXT_HINT.search(seg) is not None and bool(
                    lex.context.search(text, lo, start)
                )
                if (
                    context
                    and "\n" not in text[:start]
                    and _TITLE_AGE.match(text, end)
                    and _TITLE_DASH.search(text, max(0, start - 4), start)
                ):
                    context = False  # "INCALL SPECIALS - 20" ending a title: the poster's age
                out.append(_amt(start, end, _amount(m["bnum"], m["bk"]), None, context))
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    for s, e in spans:  # noqa: SIM110 -- a plain loop: no generator made per token
        if s < end and start < e:
            return True
    return False


def _amt(start: int, end: int, value: int, currency: str | None, context: bool) -> _Tok:
    # Numbers out of the price range (zip codes, "2 girls") must not take a neighbour's
    # duration: they become skips.
    if MIN_AMOUNT <= value <= MAX_AMOUNT:
        return (_AMT, start, end, value, currency, context)
    return (_SKIP, start, end, 0, None, False)


def _pair(text: str, toks: list[_Tok]) -> list[tuple[_Tok, _Tok | None]]:
    """Give each amount its duration (or None)."""
    n = len(toks)
    links = [
        _link(text[a[2] : b[1]]) if a[0] is not _SKIP and b[0] is not _SKIP else 0
        for a, b in zip(toks, toks[1:], strict=False)
    ]
    # Orientation of each chain of linked tokens: the kind of its first token.
    first_kind: list[str] = []
    for i, tok in enumerate(toks):
        first_kind.append(first_kind[i - 1] if i and links[i - 1] else tok[0])

    def prefers(j: int) -> int | None:
        """Which amount a duration leans to: the tighter side; on a tie, the list's order."""
        left = links[j - 1] if j and toks[j - 1][0] is _AMT else 0
        right = links[j] if j + 1 < n and toks[j + 1][0] is _AMT else 0
        if not left and not right:
            return None
        if left > right or (left == right and first_kind[j] is _AMT):
            return j - 1
        return j + 1

    pairs: list[tuple[_Tok, _Tok | None]] = []
    for i, tok in enumerate(toks):
        if tok[0] is not _AMT:
            continue
        left = links[i - 1] if i and toks[i - 1][0] is _DUR and prefers(i - 1) == i else 0
        right = links[i] if i + 1 < n and toks[i + 1][0] is _DUR and prefers(i + 1) == i else 0
        if left > right or (left and left == right and first_kind[i] is _DUR):
            dur: _Tok | None = toks[i - 1]
        elif right:
            dur = toks[i + 1]
        else:
            dur = None
        if (
            dur is None
            and i
            and pairs
            and toks[i - 1] is pairs[-1][0]
            and pairs[-1][1]
            and _SLASH.match(text[toks[i - 1][2] : tok[1]])
        ):
            dur = pairs[-1][1]  # "hh 100/150" (incall/outcall): shares the first's duration
        pairs.append((tok, dur))
    return pairs


class PriceExtractor:
    field = "price"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        blocked = [
            (m.start, m.end)
            for m in found.get("phone", ())
            if m.start is not None and m.end is not None
        ]
        toks = _tokens(text, blocked)
        out: list[Match] = []
        if not toks:
            return out
        for amt, dur in _pair(text, toks):
            _, a_start, a_end, amount, currency, context = amt
            if dur is None and currency is None and not context:
                continue
            if currency is None and 1900 <= amount <= 2099 and (dur is None or dur[3] < 120):
                continue  # a year ("since 2014"), not an hourly rate
            if dur is None:
                start, end = a_start, a_end
                value = {"amount": amount, "currency": currency or "USD", "minutes": None}
            else:
                start = a_start if a_start < dur[1] else dur[1]
                end = a_end if a_end > dur[2] else dur[2]
                value = {"amount": amount, "currency": currency or "USD", "minutes": dur[3]}
            out.append(Match("price", value, text[start:end], start, end))
        return out


EXTRACTOR = PriceExtractor()
