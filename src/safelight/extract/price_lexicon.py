"""The price token pattern and its word lists (durations, currencies, price-context words).

One regular expression cuts a stretch of text into tokens -- amounts (with or without a
currency mark), durations ("hh", "2hr", "30 min", "overnight") and things that look like
amounts but are not (percentages, "24/7", heights, bust-waist-hip measurements, ages, times,
long digit runs). Which alternative matched is the name of the last group it closes
(``KIND_BY_LAST_GROUP``). Duration, currency and context words live in
``data/price_units.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from safelight.extract.base import by_initial

__all__ = [
    "KIND_BY_LAST_GROUP",
    "Lexicon",
    "alternatives",
    "currency",
    "duration_minutes",
    "lexicon",
    "load_units",
]

# A number: "1,500" or a digit run. The runs are possessive ("\d++", "\d{1,3}+"): what follows
# them here never starts with a digit, so giving a digit back could only put a digit next and
# fail; backtracking into a run only cost time. (The comma groups do backtrack: "$1,000,0000"
# reads "1,000".)
_NUM = r"\d{1,3}+(?:,\d{3})+|\d++"

# Looks like a number, is not a price. Tried before amounts at each position. Split by the
# first character (a digit or not) so the token regex can dispatch on it: at any position only
# one half can match, so the split changes no result. Possessive digit runs as in ``_NUM``.
_SKIP_DIGIT = r"""
    24\s*/\s*7 | (?:24|48|72)\s*(?:hours?|hrs?|h)\b | \d++(?:\.\d++)?\s*%
  | \d{2,3}+\s*[a-k]{0,3}\s*[-/]\s*\d{2}\s*[-/]\s*\d{2,3}       # 34B-24-34
  | \d\s*(?:'|’|ft\b|feet\b)\s*\d{0,2}\s*(?:"|”|''|in\b)?         # 5'4
  | \d++\s*(?:lbs?|pounds|kg|inch(?:es)?|ft|feet|miles?|mi|cm)\b
  | \d{1,2}+(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z]) | \d{1,2}+:\d\d
  | \d++\s*-?\s*(?:yo|y/o|y\.o\.?|yrs?|years?|yr\s*old)(?![a-z])
  | (?:2[89]|3\d|4[0-8])(?:dd+|[a-g])\b                       # 36DD, 34C (cup sizes)
  | \d{1,2}+\s*/\s*\d{1,2}+\s*/\s*\d{2,4} | \d++(?:st|nd|rd|th)\b
  | \d++\s*(?:min(?:ute)?s?)\s+(?:away|from|drive|out)\b
  | \d{6,}
"""
_SKIP_WORDS = r"room|suite|ste|apt|unit|exit|hwy|highway|route|rt|loop|interstate|id|post|size"
_SKIP_OTHER = rf"""
    \b(?:{_SKIP_WORDS})\s*[-#:.]?\s*\#?\s*\d+ | \bi\s*-\s*\d+ | \bno\.\s*\d+
  | \#\s*\d+
"""
_HOUR_WORDS = "one|two|three|four|five|six"
_HOUR_UNIT = r"hours?|hrs?\.?|h"

# Which alternative of the token pattern matched, by the name of the last group it closes.
KIND_BY_LAST_GROUP = {
    "skip": "skip",
    "skip2": "skip",
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


@dataclass(frozen=True, slots=True)
class Lexicon:
    token: re.Pattern[str]
    token_lower: re.Pattern[str]  # the same, guarded, case-sensitive: lower-cased text
    durations: tuple[tuple[re.Pattern[str], int], ...]
    currencies: tuple[tuple[re.Pattern[str], str], ...]
    context: re.Pattern[str]


def load_units() -> dict[str, Any]:
    raw = resources.files("safelight.extract").joinpath("data/price_units.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


@cache
def lexicon() -> Lexicon:
    units = load_units()
    dur_alt = "|".join(f"(?:{d['pattern']})" for d in units["durations"])
    cur_alt = "|".join(f"(?:{c['pattern']})" for c in units["currencies"])
    # The alternatives, in priority order, that can start at a digit ...
    digit = rf"""
        (?P<skip>{_SKIP_DIGIT})
      | (?P<hnum>\d{{1,2}}+(?:\.5)?|1\s+1/2)\s*-?\s*(?P<hunit>{_HOUR_UNIT})(?![a-z])
      | (?P<mnum>\d{{1,3}}+)\s*-?\s*(?:minutes?|mins?|mns?)(?![a-z])
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
    # regex engine step over ordinary letters and spaces cheaply. ("c$", "ca$", "cad" are the
    # only tokens starting with "c": "ca" alone would let "call" in.)
    hours = "|".join(rf"{w}\s*-?\s*h" for w in _HOUR_WORDS.split("|"))
    words = [*_SKIP_WORDS.split("|"), r"i\s*-", r"no\."]
    words += [rf"{alt}(?![a-z])" for d in units["durations"] for alt in alternatives(d["pattern"])]
    guard = rf"(?=\d|[$£€\#(]|us[$d]|c\$|ca[$d]|gbp|eur|{hours}|(?<![a-z])(?:{by_initial(words)}))"
    return Lexicon(
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


def alternatives(pattern: str) -> list[str]:
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


@lru_cache(maxsize=1024)
def currency(word: str) -> str:
    """The currency code of a currency word or mark ("roses" -> "USD", "£" -> "GBP")."""
    for pattern, code in lexicon().currencies:
        if pattern.match(word):
            return code
    return "USD"


@lru_cache(maxsize=1024)
def duration_minutes(word: str) -> int | None:
    """The minutes a duration word stands for ("hh" -> 30), or None."""
    for pattern, minutes in lexicon().durations:
        if pattern.match(word):
            return minutes
    return None
