"""Ages of the person(s) advertised: "I'm 19", "19yo", "age: 22", "nineteen", "Mia (21)".

A stated age under 18 is the strongest sign that an ad advertises a child, so recall on young
ages matters most; a number is still only an age when something says so:

- a cue before it: "I'm", "im", "i am", "we are", "age", "aged", "ages", "Poster's age",
  "just turned", "barely", "sweet" ("sweet 16");
- a cue after it: "yo", "y/o", "y.o.", "yrs old", "years old", "years young", "year-old";
- a name before it in brackets or after a comma: "Mia (21)", "Mia, 21 & Jade, 19";
- the " - 30" that classified sites append to an ad's title (first line only);
- the number words thirteen to seventeen on their own ("sweet sixteen", "fresh seventeen").

Decisions on conventions:
- "18+", "21+", "30 and up", "over 40", "men 30+", "no one under 25" are notices about who may
  answer (adult-only notices or client ages), never the advertised person's age.
- "19 years experience", "I'm 30 min away", "I'm 24/7", "I'm 5'4", "I'm 100%" are not ages.
- "Mia 21" without a bracket or comma is not read: "Room 21", "Exit 21", "Highway 75" look the
  same.
- Plausible ages are 12 to 70. Digits inside a phone or price span (``found``) are never read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from safelight.extract.base import Match
from safelight.extract.prices import number_windows

__all__ = ["EXTRACTOR", "AgeExtractor", "parse_number"]

MIN_AGE, MAX_AGE = 12, 70

_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70}
_WORDS: dict[str, int] = {w: 10 + i for i, w in enumerate(_TEENS)}
for _tens, _base in _TENS.items():
    _WORDS[_tens] = _base
    for _i, _unit in enumerate(_UNITS[1:], start=1):
        for _sep in (" ", "-", ""):
            _WORDS[f"{_tens}{_sep}{_unit}"] = _base + _i

_WORD_RE = (r"(?:(?:twenty|thirty|fou?rty|fifty|sixty)(?:[\s-]?(?:one|two|three|four|five|six|"
            r"seven|eight|nine)(?![a-z]))?|seventy|eleven|twelve|thirteen|fourteen|fifteen|"
            r"sixteen|seventeen|eighteen|nineteen)")
_NUM = rf"(?:(?<![\w.,$£€#])\d{{1,2}}(?![\d]|[.,]\d)|{_WORD_RE}(?![a-z]))"
_JOIN = r"\s*(?:&|and|,|\bn\b)\s*"
# Digits only, written to start with \d so the regex engine can skip to digits quickly.
_DNUM = r"\d(?<![\w.,$£€#'’\-]\d)\d?(?![\d]|[.,]\d)"

# After the number: things that make it a duration, measure, price or a "this age and up".
_REJECT_AFTER = re.compile(
    r"""(?:[a-z]|\s*(?:\+|%|'|’|"|/\s*7|-\s*\d|:\d|\$|\d|plus\b))
    | \s*(?:mins?|minutes?|hours?|hrs?|hh|qv|h\b|lbs?|pounds|kg|ft|feet|inch|inches|miles?|mi\b
       |k\b|roses|dollars|bucks|usd|am\b|pm\b|dd\b|cup|percent|girls|guys|men|days?
       |weeks?|months?|pics?|photos?)
    | \s*(?:years?|yrs?)\s+(?:of\s+)?(?:exp|in\b|doing|working|experience|ago|now|since)
    | \s*(?:(?:years?|yrs?)\s*(?:old\s*)?)?(?:and|&|or)\s+(?:up|over|older|above)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Before the number or its "age" cue: client ages and limits ("men 30", "over 40", "must be
# 21", "all ages").
_REJECT_BEFORE = re.compile(
    r"\b(?:over|under|above|below|older|younger|than|men|guys|gents?|gentlemen|clients?|"
    r"must|least|min(?:imum)?|max(?:imum)?|between|no\s+one|nobody|anyone|all)"
    r"\s+(?:the\s+)?(?:be\s+)?\Z",
    re.IGNORECASE,
)
_AND_UP = re.compile(r"\s*(?:\+|plus\b|(?:and|&|or)\s+(?:up|over|older|above)\b)", re.IGNORECASE)

_CUE_BEFORE = re.compile(
    rf"""(?<![a-z])(?:i\s*['’`]?\s*a?m|im|i\s+am|we\s*(?:['’]?\s*re|\s+are)|age[ds]?(?:\s*/\s*edad)?
        |my\s+age\s+is|just\s+turned|turned|barely|sweet|only|just|me
        |s?he\s*(?:['’]?\s*s|\s+is)|shes|girl\s+is|who\s+is)
        (?:\s*(?:is|=|:|-|–)\s*|\s+)(?:(?:only|just|a|barely|finally|now|newly)\s+)*
        (?P<n>{_NUM})(?P<more>(?:{_JOIN}{_NUM})*)""",
    re.IGNORECASE | re.VERBOSE,
)
_CUE_AFTER = re.compile(
    rf"""(?P<n>{_NUM})(?P<more>(?:{_JOIN}{_NUM})*)\s*[-‐]?\s*
        (?:yo|y\s*/\s*o|y\.\s*o\.?|yrs?\.?[\s-]*old|years?[\s-]*(?:old|young)|yrs?\s*young
         |yoa|years?\s+of\s+age|a[ñn]os|teen)(?![a-z])""",
    re.IGNORECASE | re.VERBOSE,
)
_CUE_AFTER_D = re.compile(
    rf"""(?P<n>{_DNUM})(?P<more>(?:{_JOIN}{_NUM})*)\s*[-‐]?\s*
        (?:yo|y\s*/\s*o|y\.\s*o\.?|yrs?\.?[\s-]*old|years?[\s-]*(?:old|young)|yrs?\s*young
         |yoa|years?\s+of\s+age|a[ñn]os|teen)(?![a-z])""",
    re.IGNORECASE | re.VERBOSE,
)
# "28 yrs, tall", "19yrs," -- but not "doing this for 15 years."
_YEARS_ALONE = re.compile(
    rf"""(?P<n>{_NUM})(?P<more>(?:{_JOIN}{_NUM})*)\s*(?:yrs?|years?)\.?
        (?=\s*(?:[,;:!?)\n/|~💋]|\.(?!\d)|$|\s+(?:and|&|n)\b))""",
    re.IGNORECASE | re.VERBOSE,
)
_YEARS_ALONE_D = re.compile(
    rf"""(?P<n>{_DNUM})(?P<more>(?:{_JOIN}{_NUM})*)\s*(?:yrs?|years?)\.?
        (?=\s*(?:[,;:!?)\n/|~💋]|\.(?!\d)|$|\s+(?:and|&|n)\b))""",
    re.IGNORECASE | re.VERBOSE,
)
_DURATION_BEFORE = re.compile(r"\b(?:for|been|doing|past|last|over|since|almost|nearly|about|"
                              r"experience|exp|business)\W+(?:\w+\W+)?\Z", re.IGNORECASE)
# A name or a word for the person, then the age: "Kandi 20", "Sasha here 💋 25", "Married
# lady, 36", "both 22", "two sisters 18 & 19".
_PERSON = re.compile(
    rf"""(?:(?<![\w'’-])(?P<w>[A-Z][A-Za-z]+)|(?<![a-z])(?P<noun>lady|girl|woman|wife|mom|milf|
        mami|mommy|babe|baby|sisters?|twins|both|duo|bestie|bff|friend|girlfriend|latina|blonde|
        brunette|redhead|ebony|asian|cutie|chick|student|teen|petite|here|me))
        [^\w\n]{{0,8}}(?:here[^\w\n]{{0,6}})?(?P<n>{_NUM})(?P<more>(?:{_JOIN}{_NUM})*)""",
    re.VERBOSE,
)
_NOT_NAMES = frozenset({
    "room", "suite", "apt", "unit", "exit", "highway", "hwy", "route", "loop", "interstate",
    "special", "specials", "only", "call", "text", "hour", "hours", "hr", "hrs", "hh", "qv",
    "min", "mins", "size", "cup", "age", "ages", "page", "post", "number", "box", "street",
    "st", "ave", "avenue", "top", "best", "over", "under", "men", "guys", "gents",
    "gentlemen", "clients", "must", "max", "day", "days", "week", "weeks", "year",
    "years", "month", "months", "lot", "bus", "gate", "level", "floor", "building", "station",
    "pier", "terminal", "channel", "episode", "vol", "chapter", "part", "class", "grade",
    "mile", "miles", "zone", "district", "ward", "county", "area", "region", "pics", "photos",
    "reviews", "section", "ext", "extension", "code", "zip", "apartment", "pm", "am",
    "incall", "outcall", "rates", "rate", "donation", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues",
    "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "tonight", "today", "now", "open",
    "hot", "new", "sexy", "xxx", "vip", "bbw", "gfe", "pse", "ovn", "available",
    "ready", "all", "the", "and", "or", "but", "with", "for", "from",
})
_TITLE_TAIL = re.compile(r"\S\s[-–]\s*(?P<n>\d{2})[ \t!.]*\Z")
_BRACKETED = re.compile(r"(?<![\w$])\(\s*(?P<n>\d{2})\s*\)")
_LONE_WORD = re.compile(rf"(?<![a-z-])(?P<n>{_WORD_RE})(?![a-z-])", re.IGNORECASE)
_LONE_NOT_BEFORE = re.compile(r"(?:\b(?:one|two|three|four|five|six|seven|eight|nine|a|hundred|"
                              r"thousand)[\s-]+|\$\s*)\Z", re.IGNORECASE)
_LONE_NOT_AFTER = re.compile(
    r"[\s-]*(?:hundred|thousand|dollars|roses|bucks|minutes?|mins?|hours?|hrs?|for\b|an?\s+h|"
    r"hh|qv|k\b|special|percent|seven|7|pics|photos|times|things|ways|reasons|of\b|shades|"
    r"nine|o['’]?clock|pm|am)",
    re.IGNORECASE,
)
_ITEM = re.compile(_NUM, re.IGNORECASE)
# Cheap look after a one- or two-digit run that rules it out before any window is scanned.
_NEVER_AGE = re.compile(r"(?:%|'|’|\+|/\s*7|-\s*\d|:\d|[.,]\d|\s*(?:lbs?|min|hrs?\b|hh|qv|"
                        r"[a-xz]\b|dd))", re.IGNORECASE)
_WORD_HINTS = ("teen", "twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy",
               "eleven", "twelve")


def parse_number(token: str) -> int | None:
    """``"19"`` -> 19, ``"nineteen"`` -> 19, ``"twenty-one"`` -> 21; None otherwise."""
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    return _WORDS.get(re.sub(r"\s+", " ", token))


class AgeExtractor:
    field = "age"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        blocked = [(m.start, m.end) for key in ("phone", "price", "email", "handle")
                   for m in found.get(key, ())
                   if m.start is not None and m.end is not None]
        taken: list[tuple[int, int]] = []
        out: list[Match] = []

        def add(start: int, end: int, num_start: int, num_end: int, cue: str) -> bool:
            value = parse_number(text[num_start:num_end])
            if value is None or not MIN_AGE <= value <= MAX_AGE:
                return False
            if any(s < num_end and num_start < e for s, e in blocked + taken):
                return False
            taken.append((num_start, num_end))
            out.append(Match("age", value, text[start:end], start, end, {"cue": cue}))
            return True

        low = text.lower()
        words = any(w in low for w in _WORD_HINTS)
        if words:
            spans = [(0, len(text))]  # number words: scan everything
        else:  # only digits can be ages: scan around runs of one or two digits
            spans = number_windows(text, blocked, 45, 25, max_digits=2, not_after=_NEVER_AGE)

        def scan(pattern: re.Pattern[str]) -> list[re.Match[str]]:
            return [m for ws, we in spans for m in pattern.finditer(text, ws, we)]

        def ok_context(start: int, num_end: int) -> bool:
            if _REJECT_BEFORE.search(text, max(0, start - 40), start):
                return False
            return not _REJECT_AFTER.match(text, num_end)

        for m in scan(_CUE_AFTER if words else _CUE_AFTER_D):
            if not _REJECT_BEFORE.search(text, max(0, m.start() - 40), m.start()) and not (
                _AND_UP.match(text, m.end())
            ):
                self._add_list(m, add, "after", whole=True)
        for m in scan(_CUE_BEFORE):
            cue_start = m.start() if m.group(0)[:3].lower() == "age" else m.start("n")
            if ok_context(cue_start, _last_end(m)):
                self._add_list(m, add, "before", whole=True)
        for m in scan(_YEARS_ALONE if words else _YEARS_ALONE_D):
            if ok_context(m.start(), m.end()) and not _DURATION_BEFORE.search(
                text, max(0, m.start() - 30), m.start()
            ):
                self._add_list(m, add, "years", whole=True)
        for m in scan(_PERSON):
            word = (m.group("w") or "").lower()
            if word in _NOT_NAMES or text[m.start("n"):m.end("n")] == "69":
                continue
            if ok_context(m.start(), _last_end(m)):
                self._add_list(m, add, "person", whole=False)
        for m in scan(_BRACKETED):
            if ok_context(m.start(), m.end()):
                add(m.start(), m.end(), m.start("n"), m.end("n"), "brackets")
        first_line = text[: text.find("\n") if "\n" in text else len(text)]
        m = _TITLE_TAIL.search(first_line, max(0, len(first_line) - 12))
        if m and m.start() > 0:
            add(m.start("n"), m.end("n"), m.start("n"), m.end("n"), "title")
        for m in _LONE_WORD.finditer(text) if words else ():
            value = parse_number(m.group("n"))
            if value is None or value < 13 or value == 69:
                continue
            if _LONE_NOT_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            if _LONE_NOT_AFTER.match(text, m.end()) or not ok_context(m.start(), m.end()):
                continue
            add(m.start(), m.end(), m.start(), m.end(), "number word")
        return out

    @staticmethod
    def _add_list(m: re.Match[str], add, cue: str, whole: bool) -> None:  # type: ignore[no-untyped-def]
        """The first number gets the whole cue phrase as its span (``whole``) or its own;
        listed ones their own."""
        start = m.start() if whole else m.start("n")
        if not m.group("more"):
            add(start, m.end() if whole else m.end("n"), m.start("n"), m.end("n"), cue)
            return
        add(start, m.end("n"), m.start("n"), m.end("n"), cue)
        base = m.start("more")
        for item in _ITEM.finditer(m.group("more")):
            add(base + item.start(), base + item.end(), base + item.start(), base + item.end(),
                cue)


def _last_end(m: re.Match[str]) -> int:
    return m.end("more") if m.group("more") else m.end("n")


EXTRACTOR = AgeExtractor()
