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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources

import yaml

from safelight.extract.age_numbers import (
    WORD_RE,
    ascii_digits,
    fuzzy_number,
    parse_number,
)
from safelight.extract.base import Match
from safelight.extract.prices import number_windows

__all__ = ["EXTRACTOR", "AgeExtractor", "parse_number"]

MIN_AGE, MAX_AGE = 12, 70
FUZZY_MIN, FUZZY_MAX = 13, 29


def _lists() -> dict[str, str]:
    raw = yaml.safe_load(
        resources.files("safelight.extract").joinpath("data/ages.yaml").read_text("utf-8")
    )
    return {
        "not_names": raw["not_names"]["words"],
        "state_words": raw["state_words"]["words"],
        "relations": raw["relations"]["words"],
        "modifiers": raw["relations"]["modifiers"],
        "greetings": raw["greetings"]["words"],
        "addressees": raw["greetings"]["addressees"],
    }


_L = _lists()


def _alt(words: str) -> str:
    return "|".join(re.escape(w) for w in sorted(words.split(), key=len, reverse=True))


_NOT_NAMES = frozenset(_L["not_names"].split())
_STATE_WORDS = frozenset(_L["state_words"].split())

_NUM = rf"(?:(?<![\w.,$£€#])\d{{1,2}}(?![\d]|[.,]\d)|{WORD_RE}(?![a-z]))"
_JOIN = r"\s*(?:&|and|,|\bn\b)\s*"
# Digits only, written to start with \d so the regex engine can skip to digits quickly.
_DNUM = r"\d(?<![\w.,$£€#'’\-]\d)\d?(?![\d]|[.,]\d)"
# A half after the age: "16 1/2", "16½", "16 and a half" (the age is the whole years).
_FRAC = r"(?:[ \t]+1[ \t]*/[ \t]*2(?![\d/])|[ \t]*½|[ \t-]+(?:and|&|n)[ \t-]+a[ \t-]+half)"
_UNIT_OLD = (
    r"(?:yo|y\s*/\s*o|y\.\s*o\.?|y\s+o|yoa|(?:yrs?|years?|yea?rz|yers|yeas|y)\.?[\s-]*ol[d]?"
    r"|years?[\s-]*young|yrs?\s*young|years?\s+of\s+age)(?![a-z])"
)

# After the number: things that make it a duration, measure, price or a "this age and up".
_REJECT_AFTER = re.compile(
    r"""(?:[a-z]|\s*(?:\+|%|'|’|"|/\s*7|-\s*\d|:\d|\$|\d|plus\b))
    | \s*(?:mins?|minutes?|hours?|hrs?|hh|qv|h\b|lbs?|pounds|kg|ft|feet|inch|inches|miles?|mi\b
       |k\b|roses|dollars|bucks|usd|am\b|pm\b|dd\b|cup|percent|girls|guys|men|days?
       |weeks?|months?|pics?|photos?|left\b|spots?|slots?|openings?|reviews?|stars?)
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

_RELATION = (
    rf"(?:my|our)[ \t]+(?:(?:{_alt(_L['modifiers'])})[ \t]*)?(?:{_alt(_L['relations'])})"
    r"(?:[ \t]*(?:is|iz|are|r|['’]s))?[ \t]*,?"
)
_FILLERS = r"(?:(?:only|just|jst|jus|juss|onli|a|barely|finally|now|newly|like|still)\s+)*"
_SELF = r"i\s*['’`]?\s*a?m|im|i\s+am"
_CUE_BEFORE = re.compile(
    rf"""(?<![a-z])(?:{_SELF}|we\s*(?:['’]?\s*re|\s+are|\s+r)|age[ds]?(?:\s*/\s*edad)?
        |my\s+age\s+is|just\s+turned|turned|barely|sweet|only|just|jst|jus|juss|me
        |s?he\s*(?:['’]?\s*s|\s+is|\s+iz)|shes|girl\s+is|who\s+is|they\s*(?:['’]?\s*re|\s+are)
        |tengo|tiene|tienen|tenho|edad|cumpl[ií](?:dos)?|j['’]?ai|{_RELATION})
        (?:\s*(?:is|=|:|-|–)\s*|\s+){_FILLERS}
        (?P<n>{_NUM})(?P<frac>{_FRAC})?(?P<more>(?:{_JOIN}{_NUM})*)""",
    re.IGNORECASE | re.VERBOSE,
)
_AFTER_WORDS = rf"""(?:{_UNIT_OLD}|a[ñn]os|a[ñn]itos?|ans|teen|/\s*(?:f|female|ts)(?![a-z]))"""
_CUE_AFTER = re.compile(
    rf"""(?P<n>{_NUM})(?P<frac>{_FRAC})?(?P<more>(?:{_JOIN}{_NUM})*)\s*[-‐]?\s*
        {_AFTER_WORDS}(?![a-z])""",
    re.IGNORECASE | re.VERBOSE,
)
_CUE_AFTER_D = re.compile(
    rf"""(?P<n>{_DNUM})(?P<frac>{_FRAC})?(?P<more>(?:{_JOIN}{_NUM})*)\s*[-‐]?\s*
        {_AFTER_WORDS}(?![a-z])""",
    re.IGNORECASE | re.VERBOSE,
)
# "28 yrs, tall", "19yrs," -- but not "doing this for 15 years."
_YEARS_TAIL = r"""\s*(?:yrs?|years?)\.?(?=\s*(?:[,;:!?)\n/|~💋]|\.(?!\d)|$|\s+(?:and|&|n)\b))"""
_YEARS_ALONE = re.compile(
    rf"(?P<n>{_NUM})(?P<frac>{_FRAC})?(?P<more>(?:{_JOIN}{_NUM})*){_YEARS_TAIL}", re.IGNORECASE
)
_YEARS_ALONE_D = re.compile(
    rf"(?P<n>{_DNUM})(?P<frac>{_FRAC})?(?P<more>(?:{_JOIN}{_NUM})*){_YEARS_TAIL}", re.IGNORECASE
)
_DURATION_BEFORE = re.compile(
    r"\b(?:for|been|doing|past|last|over|since|almost|nearly|about|"
    r"experience|exp|business)\W+(?:\w+\W+)?\Z",
    re.IGNORECASE,
)
# A name or a word for the person, then the age: "Kandi 20", "Sasha here 💋 25", "Married
# lady, 36", "both 22", "two sisters 18 & 19".
_PERSON = re.compile(
    rf"""(?:(?<![\w'’-])(?P<w>[A-Z][A-Za-z]+)|(?<![a-z])(?P<noun>lady|girl|woman|wife|mom|milf|
        mami|mommy|babe|baby|sisters?|twins|both|duo|bestie|bff|friend|girlfriend|latina|blonde|
        brunette|redhead|ebony|asian|cutie|chick|student|teen|petite|here|me))
        [^\w\n]{{0,8}}(?:here[^\w\n]{{0,6}})?(?P<n>{_NUM})(?P<more>(?:{_JOIN}{_NUM})*)""",
    re.VERBOSE,
)
# An age about to be reached: "almost 18", "turning 18 soon", "gonna be 18 next month" -> 17.
_SOON = (
    r"soon|next|tomorrow|tmrw|tmr|2morrow|this\s+(?:week|weekend|month|year|summer|fall|"
    r"spring|winter)|in\s+(?:a|an|\d+|two|few|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|on\s+(?:the|my|\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|today|tonight|2day"
)
_APPROACH = re.compile(
    rf"""(?<![a-z])(?:(?P<weak>almost|nearly|turning|turns|bout\s+to\s+turn|about\s+to\s+turn)
        |(?P<strong>(?:about|bout|abt|gonna|gunna|going|finna)\s+(?:to\s+)?be|will\s+be
        |soon\s+to\s+be|i\s*['’]?\s*ll\s+be|ill\s+be))
        [ \t]+(?P<n>{_NUM})(?P<frac>{_FRAC})?(?P<unit>\s*[-‐]?\s*{_UNIT_OLD})?""",
    re.IGNORECASE | re.VERBOSE,
)
_APPROACH_END = re.compile(
    rf"\s*(?:$|[^\w\s$+%'’\"/:-]|\n|(?:{_SOON}|and|&|n|but|lol|so|already|yet)\b)",
    re.IGNORECASE,
)
_SOON_RE = re.compile(rf"\s*(?:{_SOON})\b", re.IGNORECASE)
_TODAY = re.compile(r"\s*(?:today|tonight|2day)\b", re.IGNORECASE)
_YEARS_NEXT = re.compile(r"\s*(?:yrs?|years?)\b", re.IGNORECASE)
# "17 going on 18", "17, turning 18", "17 almost 18": the first number is the age.
_GOING_TAIL = r"""[ \t]*,?[ \t]*(?:(?:going|goin)[ \t]+on|turning|almost|nearly
        |(?:about|bout|abt)[ \t]+to[ \t]+(?:be|turn))[ \t]+(?P<n2>{num})"""
_GOING_ON = re.compile(
    rf"(?P<n>{_NUM})" + _GOING_TAIL.format(num=_NUM), re.IGNORECASE | re.VERBOSE
)
_GOING_ON_D = re.compile(
    rf"(?P<n>{_DNUM})" + _GOING_TAIL.format(num=_NUM), re.IGNORECASE | re.VERBOSE
)
# Cheap looks at the whole (lower-case) text that rule out the rarer forms before any scan.
_APPROACH_HINTS = ("almost", "nearly", "turn", "be ", "goin")
_SPACED_HINT = re.compile(r"\d[ \t.*_-]{1,3}\d")
_GLUED_HINT = re.compile(r"[a-z|]\d")
_WORD_POS = re.compile(r"teen|twenty|thirty|fou?rty|fifty|sixty|seventy|eleven|twelve")
_FUZZY_POS = re.compile(
    r"i['’]?m\b|i am\b|age|only|just|jst|jus|barely|turned|sweet|tengo|she|"
    r"y(?:o|rs?|ears?)\b|y ?/ ?o|y\.o"
)
# A bare age at the start of a clause, then how the person describes herself: "16 and bored".
_BARE_STATE = re.compile(
    rf"""(?P<n>{_DNUM})(?P<frac>{_FRAC})?(?:[ \t]*(?:and|&|n|an|['’]n['’]?)[ \t]+
        (?:(?:so|very|real|super|still|always|just|already|kinda|a\s+lil|lil|a\s+bit|hella|mad)
        [ \t]+)*(?P<w>[a-z][a-z'-]*)|(?P<end>[ \t]*(?=[^\w\s]|$)))""",
    re.IGNORECASE | re.VERBOSE,
)
_GREETING_BEFORE = re.compile(
    rf"(?:^|[^\w'’])(?:{_alt(_L['greetings'])})(?:[\s,]+(?:{_alt(_L['addressees'])}))?[\s,!.]*\Z",
    re.IGNORECASE,
)
# Text-speak "m 16" (I'm 16) and the a/s/l "f/16", only at the start of a clause.
_SHORT_CUE = re.compile(
    rf"[mMfF](?:(?<=[mM])[ \t]+|[ \t]*/[ \t]*)(?P<n>{_DNUM})(?![ \t]*/[ \t]*\d)"
)
_NOT_BEFORE_SHORT = frozenset("'’.@#$%/-_")
# Digits spaced out, only with an explicit cue: "im 1 6", "age: 1 7", "1 6 yrs old".
_SPACED_CUE = (
    rf"(?:{_SELF}|age[ds]?|only|just|jst|turned|s?he\s*(?:['’]?\s*s|\s+is)|shes|tengo)"
)
_SPACED_BEFORE = re.compile(
    rf"""(?<![a-z]){_SPACED_CUE}(?:\s*[:=\-–]\s*|\s+)(?:(?:only|just|jst|a)\s+)*
        (?P<a>\d)[ \t.*_-]{{1,3}}(?P<b>\d)(?![ \t.*_-]*\d)""",
    re.IGNORECASE | re.VERBOSE,
)
# Glued to its cue ("im16", "age17") or with a look-alike 1 ("im l6", "age: I7").
_GLUED = re.compile(
    rf"""(?<![a-z])(?:(?:i['’]?m|age)(?P<n>\d\d)
        |{_SPACED_CUE}(?:\s*[:=\-–]\s*|\s+)(?P<look>[lI|])(?P<d>\d))(?![\w.,'’/])""",
    re.IGNORECASE | re.VERBOSE,
)
_SPACED_AFTER = re.compile(
    rf"(?<![\d.*_-])(?P<a>\d)[ \t.*_-]{{1,3}}(?P<b>\d)[ \t-]*{_UNIT_OLD}", re.IGNORECASE
)
# A misspelled or shortened number word next to a cue: "im sevnteen", "sixtn yo".
_TOKEN = r"(?P<w>[a-z]{4,12}(?:[ \t._-]?teen)?)(?![a-z])"
_FUZZY_BEFORE = re.compile(
    rf"""(?<![a-z])(?:{_SELF}|age[ds]?|only|just|jst|jus|barely|turned|sweet|tengo
        |s?he\s*(?:['’]?\s*s|\s+is)|shes)(?:\s*[:=\-–]\s*|\s+)(?:(?:only|just|jst|jus|a)\s+)*
        {_TOKEN}""",
    re.IGNORECASE | re.VERBOSE,
)
_FUZZY_AFTER = re.compile(rf"(?<![a-z]){_TOKEN}[ \t-]*{_UNIT_OLD}", re.IGNORECASE)

_TITLE_TAIL = re.compile(r"\S\s[-–]\s*(?P<n>\d{2})[ \t!.]*\Z")
_BRACKETED = re.compile(r"(?<![\w$])\(\s*(?P<n>\d{2})\s*\)")
_LONE_WORD = re.compile(rf"(?<![a-z-])(?P<n>{WORD_RE})(?![a-z-])", re.IGNORECASE)
_LONE_NOT_BEFORE = re.compile(
    r"(?:\b(?:one|two|three|four|five|six|seven|eight|nine|a|hundred|"
    r"thousand)[\s-]+|\$\s*)\Z",
    re.IGNORECASE,
)
_LONE_NOT_AFTER = re.compile(
    r"[\s-]*(?:hundred|thousand|dollars|roses|bucks|minutes?|mins?|hours?|hrs?|for\b|an?\s+h|"
    r"hh|qv|k\b|special|percent|seven|7|pics|photos|times|things|ways|reasons|of\b|shades|"
    r"nine|o['’]?clock|pm|am)",
    re.IGNORECASE,
)
_ITEM = re.compile(_NUM, re.IGNORECASE)
# Cheap look after a one- or two-digit run that rules it out before any window is scanned.
# (" n" is the "and" of "16 n ready", not a unit.)
_NEVER_AGE = re.compile(
    r"(?:%|'|’|\+|/\s*7|-\s*\d|:\d|[.,]\d|\s*(?:lbs?|min|hrs?\b|hh|qv|dd)|[a-xz]\b"
    r"|\s+[a-mo-xz]\b)",
    re.IGNORECASE,
)
_WORD_HINTS = ("teen", "twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy",
               "eleven", "twelve")
_CLAUSE_END = frozenset("\n.!?,;:|~*•()[]{}<>-–—=")

Add = Callable[..., bool]


def _clause_start(text: str, pos: int) -> bool:
    """Nothing but spaces between ``pos`` and the start of the text, a line break, sentence
    punctuation, an emoji or a greeting ("hey guys 16 and bored")."""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == 0:
        return True
    ch = text[i - 1]
    if ch in _CLAUSE_END or not (ch.isalnum() or ch in "$#@%&'’\"/_"):
        return True
    return bool(_GREETING_BEFORE.search(text, max(0, i - 30), i))


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
            return self._extract(text, blocked)
        out = []
        plain = [digits.from_original(s, e) for s, e in blocked]
        for m in self._extract(digits.text, plain):
            assert m.start is not None and m.end is not None
            s, e = digits.to_original(m.start, m.end)
            detail = dict(m.detail)
            if text[s:e] != m.text:
                detail["obfuscation"] = ["unicode_digits"]
            out.append(Match("age", m.value, text[s:e], s, e, detail))
        return out

    def _extract(self, text: str, blocked: list[tuple[int, int]]) -> list[Match]:
        taken: list[tuple[int, int]] = []
        out: list[Match] = []

        def add(
            start: int, end: int, num_start: int, num_end: int, cue: str, value: int | None = None
        ) -> bool:
            if value is None:
                value = parse_number(text[num_start:num_end])
            if value is None or not MIN_AGE <= value <= MAX_AGE:
                return False
            if any(s < num_end and num_start < e for s, e in blocked + taken):
                return False
            taken.append((num_start, num_end))
            out.append(Match("age", value, text[start:end], start, end, {"cue": cue}))
            return True

        low = text.lower()
        if len(low) != len(text):
            low = text  # rare Unicode case changes: keep offsets, lose the lower-case looks
        words = any(w in low for w in _WORD_HINTS)
        # Scan only around runs of one or two digits and around number words.
        spans = number_windows(text, blocked, 45, 25, max_digits=2, not_after=_NEVER_AGE)
        if words:
            spans = _merge(spans + _around(text, _WORD_POS.finditer(low), 45, 25))

        def scan(pattern: re.Pattern[str]) -> list[re.Match[str]]:
            return [m for ws, we in spans for m in pattern.finditer(text, ws, we)]

        def ok_context(start: int, num_end: int) -> bool:
            if _REJECT_BEFORE.search(text, max(0, start - 40), start):
                return False
            return not _REJECT_AFTER.match(text, num_end)

        if spans and any(h in low for h in _APPROACH_HINTS):
            self._approaching(text, scan, add, ok_context, taken, words)
        for m in scan(_CUE_AFTER if words else _CUE_AFTER_D):
            if not _REJECT_BEFORE.search(text, max(0, m.start() - 40), m.start()) and not (
                _AND_UP.match(text, m.end())
            ):
                self._add_list(m, add, "after", whole=True)
        for m in scan(_CUE_BEFORE):
            if parse_number(m.group("n")) == 69 and not m.group("more"):
                continue  # "im 69" is an invitation, not an age
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
            if word in _NOT_NAMES or text[m.start("n") : m.end("n")] == "69":
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
        if spans:
            self._text_speak(text, low, scan, add, ok_context)
        for m in scan(_LONE_WORD) if words else ():
            value = parse_number(m.group("n"))
            if value is None or value < 13 or value == 69:
                continue
            if _LONE_NOT_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            if _LONE_NOT_AFTER.match(text, m.end()) or not ok_context(m.start(), m.end()):
                continue
            add(m.start(), m.end(), m.start(), m.end(), "number word")
        self._fuzzy_words(text, low, add, ok_context)
        return out

    @staticmethod
    def _approaching(text: str, scan, add: Add, ok_context, taken: list, words: bool) -> None:  # type: ignore[no-untyped-def]
        """"17 going on 18" -> 17; "almost 18", "turning 18 soon" -> 17."""
        for m in scan(_GOING_ON if words else _GOING_ON_D):
            first, second = parse_number(m.group("n")), parse_number(m.group("n2"))
            if first is None or second is None or not first < second <= first + 2:
                continue
            if ok_context(m.start(), m.end()) and add(
                m.start(), m.end(), m.start("n"), m.end("n"), "approaching", first
            ):
                taken.append((m.start("n2"), m.end("n2")))
        for m in scan(_APPROACH):
            value = parse_number(m.group("n"))
            end = m.end()
            if value is None or not ok_context(m.start(), end):
                continue
            if not m.group("unit"):
                if _YEARS_NEXT.match(text, end):
                    continue  # "almost 18 years" is a duration
                soon = _SOON_RE.match(text, end)
                if m.group("strong") and not soon:
                    continue
                if not (soon or _APPROACH_END.match(text, end)):
                    continue
            if not _TODAY.match(text, end):
                value -= 1
            add(m.start(), end, m.start("n"), m.end("n"), "approaching", value)

    @staticmethod
    def _text_speak(text: str, low: str, scan, add: Add, ok_context) -> None:  # type: ignore[no-untyped-def]
        """Spaced digits with a cue, "m 16", "f/16", and "16 and bored" at a clause start."""
        spaced = bool(_SPACED_HINT.search(text))
        for m in scan(_SPACED_BEFORE) if spaced else ():
            if ok_context(m.start(), m.end()):
                add(m.start(), m.end(), m.start("a"), m.end("b"), "spaced",
                    int(m.group("a") + m.group("b")))
        for m in scan(_SPACED_AFTER) if spaced else ():
            s = m.start()
            if s >= 2 and text[s - 1] in " \t" and text[s - 2].isdigit():
                continue  # one more spaced digit before: a longer number
            if ok_context(s, m.end()):
                add(s, m.end(), s, m.end("b"), "spaced", int(m.group("a") + m.group("b")))
        for m in scan(_GLUED) if _GLUED_HINT.search(low) else ():
            if not ok_context(m.start(), m.end()):
                continue
            if m.group("n"):
                add(m.start(), m.end(), m.start("n"), m.end("n"), "before")
            else:
                add(m.start(), m.end(), m.start("look"), m.end("d"), "lookalike",
                    int("1" + m.group("d")))
        for m in scan(_SHORT_CUE):
            s = m.start()
            if s and (text[s - 1].isalnum() or text[s - 1] in _NOT_BEFORE_SHORT):
                continue
            if _clause_start(text, s) and ok_context(m.start("n"), m.end("n")):
                add(m.start(), m.end(), m.start("n"), m.end("n"), "before")
        for m in scan(_BARE_STATE):
            word = m.group("w")
            if word is not None:
                if word.lower() not in _STATE_WORDS:
                    continue
            elif not m.group("frac"):
                continue
            if not _clause_start(text, m.start()):
                continue
            if not m.group("frac") and _REJECT_AFTER.match(text, m.end("n")):
                continue
            end = m.end("w") if word is not None else m.end("frac")
            add(m.start(), end, m.start("n"), m.end("n"), "and")

    @staticmethod
    def _fuzzy_words(text: str, low: str, add: Add, ok_context) -> None:  # type: ignore[no-untyped-def]
        """Misspelled or shortened number words next to a cue: "im sevnteen", "sixtn yo"."""
        n = len(text)
        found: list[re.Match[str]] = []
        for hit in _FUZZY_POS.finditer(low):  # cue words and units: look right next to them
            s, e = hit.span()
            if low[s] == "y":  # "yo", "yrs", "y/o": the word before
                m = _FUZZY_AFTER.search(text, max(0, s - 20), min(n, e + 12))
            else:
                m = _FUZZY_BEFORE.match(text, s, min(n, e + 40))
            if m is not None:
                found.append(m)
        for m in found:
            value = fuzzy_number(m.group("w"))
            if value is None or not FUZZY_MIN <= value <= FUZZY_MAX:
                continue
            if ok_context(m.start(), m.end("w")):
                add(m.start(), m.end(), m.start("w"), m.end("w"), "misspelled word", value)

    @staticmethod
    def _add_list(m: re.Match[str], add: Add, cue: str, whole: bool) -> None:
        """The first number gets the whole cue phrase as its span (``whole``) or its own;
        listed ones their own."""
        start = m.start() if whole else m.start("n")
        frac = m.groupdict().get("frac")
        n_end = m.end("frac") if frac else m.end("n")
        if not m.group("more"):
            add(start, m.end() if whole else n_end, m.start("n"), m.end("n"), cue)
            return
        add(start, n_end, m.start("n"), m.end("n"), cue)
        base = m.start("more")
        for item in _ITEM.finditer(m.group("more")):
            add(base + item.start(), base + item.end(), base + item.start(), base + item.end(), cue)


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


def _last_end(m: re.Match[str]) -> int:
    if m.group("more"):
        return m.end("more")
    if m.groupdict().get("frac"):
        return m.end("frac")
    return m.end("n")


EXTRACTOR = AgeExtractor()
