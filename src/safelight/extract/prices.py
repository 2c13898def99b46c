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

from safelight.extract.base import Match

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


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "amt" or "dur"
    start: int
    end: int
    value: int  # amount (whole units) or minutes
    currency: str | None = None
    context: bool = False  # bare amount after "incall", "donation", ...


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
    guard = rf"""(?=\d|[$£€\#(]|us[$d]|c[$a]|gbp|eur|(?:{_HOUR_WORDS})\s*-?\s*h
        |(?<![a-z])(?:{_SKIP_WORDS}|i\s*-|no\.|(?:{dur_alt})(?![a-z])))"""
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


def _currency(word: str) -> str:
    for pattern, code in _lexicon().currencies:
        if pattern.match(word):
            return code
    return "USD"


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


@lru_cache(maxsize=16)
def _runs_re(max_digits: int, not_after: re.Pattern[str] | None) -> re.Pattern[str]:
    """Whole digit runs of at most ``max_digits`` digits not followed by ``not_after``."""
    tail = f"(?!{not_after.pattern})" if not_after is not None else ""
    flags = not_after.flags if not_after is not None else 0
    return re.compile(rf"(?<!\d)\d{{1,{max_digits}}}(?!\d){tail}", flags)


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
    for m in _runs_re(max_digits, not_after).finditer(text):
        s, e = m.span()
        if blocked and any(bs <= s and e <= be for bs, be in blocked):
            continue
        ws = s - before if s > before else 0
        while ws > 0 and text[ws - 1].isalnum():
            ws -= 1
        we = alnum(text, e + after).end() if e + after < n else n
        if wins and ws <= wins[-1][1]:
            if we > wins[-1][1]:
                wins[-1] = (wins[-1][0], we)
        else:
            wins.append((ws, we))
    return wins


def _tokens(text: str, blocked: list[tuple[int, int]]) -> list[_Tok]:
    lex = _lexicon()
    out: list[_Tok] = []
    low = text.lower()
    source, token = (low, lex.token_lower) if len(low) == len(text) else (text, lex.token)
    matches = (
        m
        for ws, we in number_windows(text, blocked, 24, 24, not_after=_NEVER_PRICE)
        for m in token.finditer(source, ws, we)
    )
    for m in matches:
        g = m.groupdict()
        if (
            g["skip"] is not None
            or g["skip2"] is not None
            or (blocked and any(s < m.end() and m.start() < e for s, e in blocked))
        ):
            out.append(_Tok("skip", m.start(), m.end(), 0))
            continue
        if g["pnum"] is not None:
            out.append(
                _Tok("amt", m.start(), m.end(), _amount(g["pnum"], g["pk"]), _currency(g["pcur"]))
            )
        elif g["hnum"] is not None or g["hword"] is not None:
            num, unit = ("hnum", "hunit") if g["hnum"] is not None else ("hword", "hunit2")
            raw = g[num].lower()
            hours = _WORD_HOURS.get(re.sub(r"\s+", " ", raw)) or float(raw)
            if hours <= 12:
                out.append(_Tok("dur", m.start(), m.end(), int(hours * 60)))
            else:  # "160 hr", "150h": an amount, then a one-hour duration
                out.append(_Tok("amt", m.start(), m.end(num), int(hours)))
                out.append(_Tok("dur", m.start(unit), m.end(), 60))
        elif g["mnum"] is not None or g["pmin"] is not None:
            out.append(_Tok("dur", m.start(), m.end(), int(g["mnum"] or g["pmin"])))
        elif g["dur"] is not None or g["dur2"] is not None:
            minutes = _duration_minutes(g["dur"] or g["dur2"])
            if minutes is not None:
                out.append(_Tok("dur", m.start(), m.end(), minutes))
        elif g["snum"] is not None:
            out.append(
                _Tok("amt", m.start(), m.end(), _amount(g["snum"], g["sk"]), _currency(g["scur"]))
            )
        elif g["bnum"] is not None:
            context = bool(lex.context.search(text, max(0, m.start() - 28), m.start()))
            if (
                context
                and "\n" not in text[: m.start()]
                and _TITLE_AGE.match(text, m.end())
                and _TITLE_DASH.search(text, max(0, m.start() - 4), m.start())
            ):
                context = False  # "INCALL SPECIALS - 20" ending a title: the poster's age
            out.append(
                _Tok("amt", m.start(), m.end(), _amount(g["bnum"], g["bk"]), context=context)
            )
    # Numbers out of the price range (zip codes, "2 girls") must not take a neighbour's duration.
    return [
        t
        if t.kind != "amt" or MIN_AMOUNT <= t.value <= MAX_AMOUNT
        else _Tok("skip", t.start, t.end, 0)
        for t in out
    ]


def _pair(text: str, toks: list[_Tok]) -> list[tuple[_Tok, _Tok | None]]:
    """Give each amount its duration (or None)."""
    links = [
        _link(text[a.end : b.start]) if a.kind != "skip" and b.kind != "skip" else 0
        for a, b in zip(toks, toks[1:], strict=False)
    ]
    # Orientation of each chain of linked tokens: the kind of its first token.
    first_kind: list[str] = []
    for i, tok in enumerate(toks):
        first_kind.append(first_kind[i - 1] if i and links[i - 1] else tok.kind)

    def prefers(j: int) -> int | None:
        """Which amount a duration leans to: the tighter side; on a tie, the list's order."""
        left = links[j - 1] if j and toks[j - 1].kind == "amt" else 0
        right = links[j] if j + 1 < len(toks) and toks[j + 1].kind == "amt" else 0
        if not left and not right:
            return None
        if left > right or (left == right and first_kind[j] == "amt"):
            return j - 1
        return j + 1

    pairs: list[tuple[_Tok, _Tok | None]] = []
    for i, tok in enumerate(toks):
        if tok.kind != "amt":
            continue
        left = links[i - 1] if i and toks[i - 1].kind == "dur" and prefers(i - 1) == i else 0
        right = (
            links[i]
            if i + 1 < len(toks) and toks[i + 1].kind == "dur" and prefers(i + 1) == i
            else 0
        )
        if left > right or (left and left == right and first_kind[i] == "dur"):
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
            and _SLASH.match(text[toks[i - 1].end : tok.start])
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
        for amt, dur in _pair(text, toks):
            if not MIN_AMOUNT <= amt.value <= MAX_AMOUNT:
                continue
            if dur is None and amt.currency is None and not amt.context:
                continue
            if (
                amt.currency is None
                and 1900 <= amt.value <= 2099
                and (dur is None or dur.value < 120)
            ):
                continue  # a year ("since 2014"), not an hourly rate
            start = min(amt.start, dur.start) if dur else amt.start
            end = max(amt.end, dur.end) if dur else amt.end
            value = {
                "amount": amt.value,
                "currency": amt.currency or "USD",
                "minutes": dur.value if dur else None,
            }
            out.append(Match("price", value, text[start:end], start, end))
        return out


EXTRACTOR = PriceExtractor()
