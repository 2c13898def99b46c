"""The cue patterns of the age extractor (``ages``): what may stand before or after a number
for it to be an age, and what rules it out. Word lists come from ``data/ages.yaml``.

Every pattern written case-insensitively also has a lower-case twin (``low(...)``): the
extractor runs the twin over a lower-cased copy of the text, where the regular-expression
engine can skip quickly to the few characters that may start a match.
"""

from __future__ import annotations

import re
from importlib import resources

import yaml

from safelight.extract.age_numbers import WORD_RE, non_ascii_class

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


L = _lists()


def _alt(words: str) -> str:
    return "|".join(re.escape(w) for w in sorted(words.split(), key=len, reverse=True))


NOT_NAMES = frozenset(L["not_names"].split())
STATE_WORDS = frozenset(L["state_words"].split())

NUM = rf"(?:(?<![\w.,$£€#])\d{{1,2}}(?![\d]|[.,]\d)|{WORD_RE}(?![a-z]))"
JOIN = r"\s*(?:&|and|,|\bn\b)\s*"
# Digits only, written to start with \d so the regex engine can skip to digits quickly.
DNUM = r"\d(?<![\w.,$£€#'’\-]\d)\d?(?![\d]|[.,]\d)"
# A half after the age: "16 1/2", "16½", "16 and a half" (the age is the whole years).
FRAC = r"(?:[ \t]+1[ \t]*/[ \t]*2(?![\d/])|[ \t]*½|[ \t-]+(?:and|&|n)[ \t-]+a[ \t-]+half)"
UNIT_OLD = (
    r"(?:yo|y\s*/\s*o|y\.\s*o\.?|y\s+o|yoa|(?:yrs?|years?|yea?rz|yers|yeas|y)\.?[\s-]*ol[d]?"
    r"|years?[\s-]*young|yrs?\s*young|years?\s+of\s+age)(?![a-z])"
)

# After the number: things that make it a duration, measure, price or a "this age and up".
# (Only ever asked whether it matches: the spaces before the alternatives are read once.)
REJECT_AFTER = re.compile(
    r"""[a-z] | \s*(?:\+|%|'|’|"|/\s*7|-\s*\d|:\d|\$|\d|plus\b
    | mins?|minutes?|hours?|hrs?|hh|qv|h\b|lbs?|pounds|kg|ft|feet|inch|inches|miles?|mi\b
    | k\b|roses|dollars|bucks|usd|am\b|pm\b|dd\b|cup|percent|girls|guys|men|days?
    | weeks?|months?|pics?|photos?|left\b|spots?|slots?|openings?|reviews?|stars?
    | (?:years?|yrs?)\s+(?:of\s+)?(?:exp|in\b|doing|working|experience|ago|now|since)
    | (?:(?:years?|yrs?)\s*(?:old\s*)?)?(?:and|&|or)\s+(?:up|over|older|above)\b)""",
    re.IGNORECASE | re.VERBOSE,
)
# Before the number or its "age" cue: client ages and limits ("men 30", "over 40", "must be
# 21", "all ages").
REJECT_BEFORE = re.compile(
    r"\b(?:over|under|above|below|older|younger|than|men|guys|gents?|gentlemen|clients?|"
    r"must|least|min(?:imum)?|max(?:imum)?|between|no\s+one|nobody|anyone|all)"
    r"\s+(?:the\s+)?(?:be\s+)?\Z",
    re.IGNORECASE,
)
# Every word a ``REJECT_BEFORE`` match can end with (before its trailing spaces), or one that
# ends the same way ("men" for "gentlemen", "one" for "anyone").
REJECT_BEFORE_ENDS = (
    *("over", "under", "above", "below", "older", "younger", "than", "men", "guys", "gent"),
    *("gents", "client", "clients", "must", "least", "min", "minimum", "max", "maximum"),
    *("between", "one", "nobody", "all", "the", "be"),
)


def may_reject_before(low: str, start: int) -> bool:
    """Whether the lower-case twin of ``REJECT_BEFORE`` may match in ``low[start - 40:start]``:
    a match ends with one of ``REJECT_BEFORE_ENDS`` and then spaces (``str.isspace`` and the
    engine's ``\\s`` agree), so the stretch without its trailing spaces ends with one."""
    stretch = low[max(0, start - 40) : start].rstrip()
    return stretch.endswith(_REJECT_BEFORE_BY_LAST.get(stretch[-1:], ()))


# The same words by their last letter: one ``endswith`` test over a few instead of all.
_REJECT_BEFORE_BY_LAST = {
    last: tuple(w for w in REJECT_BEFORE_ENDS if w[-1] == last)
    for last in {w[-1] for w in REJECT_BEFORE_ENDS}
}


AND_UP = re.compile(r"\s*(?:\+|plus\b|(?:and|&|or)\s+(?:up|over|older|above)\b)", re.IGNORECASE)

RELATION_TAIL = (
    rf"[ \t]+(?:(?:{_alt(L['modifiers'])})[ \t]*)?(?:{_alt(L['relations'])})"
    r"(?:[ \t]*(?:is|iz|are|r|['’]s))?[ \t]*,?"
)
FILLERS = r"(?:(?:only|just|jst|jus|juss|onli|a|barely|finally|now|newly|like|still)\s+)*"
SELF = r"i\s*['’`]?\s*a?m|im|i\s+am"
# The cues of ``CUE_BEFORE`` in order, each starting with a plain letter.
BEFORE_CUES = (
    *SELF.split("|"),
    *(r"we\s*(?:['’]?\s*re|\s+are|\s+r)", r"age[ds]?(?:\s*/\s*edad)?", r"my\s+age\s+is"),
    *(r"just\s+turned", "turned", "barely", "sweet", "only", "just", "jst", "jus", "juss", "me"),
    *(r"she\s*(?:['’]?\s*s|\s+is|\s+iz)", r"he\s*(?:['’]?\s*s|\s+is|\s+iz)", "shes"),
    *(r"girl\s+is", r"who\s+is", r"they\s*(?:['’]?\s*re|\s+are)", "tengo", "tiene", "tienen"),
    *(
        "tenho",
        "edad",
        r"cumpl[ií](?:dos)?",
        r"j['’]?ai",
        f"my{RELATION_TAIL}",
        f"our{RELATION_TAIL}",
    ),
)


def word_start(alternatives: tuple[str, ...]) -> str:
    """``(?<![a-z])(?:a|b|...)`` for alternatives that each start with a plain letter, written
    as one branch per first letter with the look-behind after that letter:
    ``(?:i(?<![a-z]i)(?:m|...)|w(?<![a-z]w)(?:...)|...)``. It matches the same (alternatives
    with different first letters never compete at one position; within a letter the order
    is kept), but a pattern that starts with a look-behind is tried at every position, while
    this one lets the engine skip to the letters that may start a cue."""
    by_letter: dict[str, list[str]] = {}
    for alt in alternatives:
        assert alt[0].isalpha() and alt[1:2] not in ("?", "*", "+", "{"), alt
        by_letter.setdefault(alt[0], []).append(alt[1:])
    return (
        "(?:"
        + "|".join(f"{c}(?<![a-z]{c})(?:{'|'.join(rest)})" for c, rest in by_letter.items())
        + ")"
    )


CUE_BEFORE = re.compile(
    rf"""{word_start(BEFORE_CUES)}
        (?:\s*(?:is|=|:|-|–)\s*|\s+){FILLERS}
        (?P<n>{NUM})(?P<frac>{FRAC})?(?P<more>(?:{JOIN}{NUM})*)""",
    re.IGNORECASE | re.VERBOSE,
)
AFTER_WORDS = rf"""(?:{UNIT_OLD}|a[ñn]os|a[ñn]itos?|ans|teen|/\s*(?:f|female|ts)(?![a-z]))"""
CUE_AFTER = re.compile(
    rf"""(?P<n>{NUM})(?P<frac>{FRAC})?(?P<more>(?:{JOIN}{NUM})*)\s*[-‐]?\s*
        {AFTER_WORDS}(?![a-z])""",
    re.IGNORECASE | re.VERBOSE,
)
CUE_AFTER_D = re.compile(
    rf"""(?P<n>{DNUM})(?P<frac>{FRAC})?(?P<more>(?:{JOIN}{NUM})*)\s*[-‐]?\s*
        {AFTER_WORDS}(?![a-z])""",
    re.IGNORECASE | re.VERBOSE,
)
# "28 yrs, tall", "19yrs," -- but not "doing this for 15 years."
YEARS_TAIL = r"""\s*(?:yrs?|years?)\.?(?=\s*(?:[,;:!?)\n/|~💋]|\.(?!\d)|$|\s+(?:and|&|n)\b))"""
YEARS_ALONE = re.compile(
    rf"(?P<n>{NUM})(?P<frac>{FRAC})?(?P<more>(?:{JOIN}{NUM})*){YEARS_TAIL}", re.IGNORECASE
)
YEARS_ALONE_D = re.compile(
    rf"(?P<n>{DNUM})(?P<frac>{FRAC})?(?P<more>(?:{JOIN}{NUM})*){YEARS_TAIL}", re.IGNORECASE
)
DURATION_BEFORE = re.compile(
    r"\b(?:for|been|doing|past|last|over|since|almost|nearly|about|"
    r"experience|exp|business)\W+(?:\w+\W+)?\Z",
    re.IGNORECASE,
)
# A name or a word for the person, then the age: "Kandi 20", "Sasha here 💋 25", "Married
# lady, 36", "both 22", "two sisters 18 & 19".
PERSON = re.compile(
    rf"""(?:(?<![\w'’-])(?P<w>[A-Z][A-Za-z]+)|(?<![a-z])(?P<noun>lady|girl|woman|wife|mom|milf|
        mami|mommy|babe|baby|sisters?|twins|both|duo|bestie|bff|friend|girlfriend|latina|blonde|
        brunette|redhead|ebony|asian|cutie|chick|student|teen|petite|here|me))
        [^\w\n]{{0,8}}(?:here[^\w\n]{{0,6}})?(?P<n>{NUM})(?P<more>(?:{JOIN}{NUM})*)""",
    re.VERBOSE,
)
# An age about to be reached: "almost 18", "turning 18 soon", "gonna be 18 next month" -> 17.
SOON = (
    r"soon|next|tomorrow|tmrw|tmr|2morrow|this\s+(?:week|weekend|month|year|summer|fall|"
    r"spring|winter)|in\s+(?:a|an|\d+|two|few|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|on\s+(?:the|my|\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|today|tonight|2day"
)
APPROACH = re.compile(
    rf"""(?<![a-z])(?:(?P<weak>almost|nearly|turning|turns|bout\s+to\s+turn|about\s+to\s+turn)
        |(?P<strong>(?:about|bout|abt|gonna|gunna|going|finna)\s+(?:to\s+)?be|will\s+be
        |soon\s+to\s+be|i\s*['’]?\s*ll\s+be|ill\s+be))
        [ \t]+(?P<n>{NUM})(?P<frac>{FRAC})?(?P<unit>\s*[-‐]?\s*{UNIT_OLD})?""",
    re.IGNORECASE | re.VERBOSE,
)
APPROACH_END = re.compile(
    rf"\s*(?:$|[^\w\s$+%'’\"/:-]|\n|(?:{SOON}|and|&|n|but|lol|so|already|yet)\b)",
    re.IGNORECASE,
)
SOON_RE = re.compile(rf"\s*(?:{SOON})\b", re.IGNORECASE)
TODAY = re.compile(r"\s*(?:today|tonight|2day)\b", re.IGNORECASE)
YEARS_NEXT = re.compile(r"\s*(?:yrs?|years?)\b", re.IGNORECASE)
# "17 going on 18", "17, turning 18", "17 almost 18": the first number is the age.
GOING_TAIL = r"""[ \t]*,?[ \t]*(?:(?:going|goin)[ \t]+on|turning|almost|nearly
        |(?:about|bout|abt)[ \t]+to[ \t]+(?:be|turn))[ \t]+(?P<n2>{num})"""
GOING_ON = re.compile(rf"(?P<n>{NUM})" + GOING_TAIL.format(num=NUM), re.IGNORECASE | re.VERBOSE)
GOING_ON_D = re.compile(rf"(?P<n>{DNUM})" + GOING_TAIL.format(num=NUM), re.IGNORECASE | re.VERBOSE)
# Cheap looks at the whole (lower-case) text that rule out the rarer forms before any scan.
APPROACH_HINTS = ("almost", "nearly", "turn", "be ", "goin")
SPACED_HINT = re.compile(r"\d[ \t.*_-]{1,3}\d")
GLUED_HINT = re.compile(r"[a-z|]\d")
WORD_POS = re.compile(r"teen|twenty|thirty|fou?rty|fifty|sixty|seventy|eleven|twelve")
FUZZY_POS = re.compile(
    r"i['’]?m\b|i am\b|age|only|just|jst|jus|barely|turned|sweet|tengo|she|"
    r"y(?:o|rs?|ears?)\b|y ?/ ?o|y\.o"
)
# A bare age at the start of a clause, then how the person describes herself: "16 and bored".
BARE_STATE = re.compile(
    rf"""(?P<n>{DNUM})(?P<frac>{FRAC})?(?:[ \t]*(?:and|&|n|an|['’]n['’]?)[ \t]+
        (?:(?:so|very|real|super|still|always|just|already|kinda|a\s+lil|lil|a\s+bit|hella|mad)
        [ \t]+)*(?P<w>[a-z][a-z'-]*)|(?P<end>[ \t]*(?=[^\w\s]|$)))""",
    re.IGNORECASE | re.VERBOSE,
)
GREETING_BEFORE = re.compile(
    rf"(?:^|[^\w'’])(?:{_alt(L['greetings'])})(?:[\s,]+(?:{_alt(L['addressees'])}))?[\s,!.]*\Z",
    re.IGNORECASE,
)
# Text-speak "m 16" (I'm 16) and the a/s/l "f/16", only at the start of a clause.
SHORT_CUE = re.compile(rf"[mMfF](?:(?<=[mM])[ \t]+|[ \t]*/[ \t]*)(?P<n>{DNUM})(?![ \t]*/[ \t]*\d)")
NOT_BEFORE_SHORT = frozenset("'’.@#$%/-_")
# Digits spaced out, only with an explicit cue: "im 1 6", "age: 1 7", "1 6 yrs old".
SPACED_CUE = rf"(?:{SELF}|age[ds]?|only|just|jst|turned|s?he\s*(?:['’]?\s*s|\s+is)|shes|tengo)"
SPACED_BEFORE = re.compile(
    rf"""(?<![a-z]){SPACED_CUE}(?:\s*[:=\-–]\s*|\s+)(?:(?:only|just|jst|a)\s+)*
        (?P<a>\d)[ \t.*_-]{{1,3}}(?P<b>\d)(?![ \t.*_-]*\d)""",
    re.IGNORECASE | re.VERBOSE,
)
# Glued to its cue ("im16", "age17") or with a look-alike 1 ("im l6", "age: I7").
GLUED = re.compile(
    rf"""(?<![a-z])(?:(?:i['’]?m|age)(?P<n>\d\d)
        |{SPACED_CUE}(?:\s*[:=\-–]\s*|\s+)(?P<look>[lI|])(?P<d>\d))(?![\w.,'’/])""",
    re.IGNORECASE | re.VERBOSE,
)
SPACED_AFTER = re.compile(
    rf"(?<![\d.*_-])(?P<a>\d)[ \t.*_-]{{1,3}}(?P<b>\d)[ \t-]*{UNIT_OLD}", re.IGNORECASE
)
# A misspelled or shortened number word next to a cue: "im sevnteen", "sixtn yo".
TOKEN = r"(?P<w>[a-z]{4,12}(?:[ \t._-]?teen)?)(?![a-z])"
FUZZY_BEFORE = re.compile(
    rf"""(?<![a-z])(?:{SELF}|age[ds]?|only|just|jst|jus|barely|turned|sweet|tengo
        |s?he\s*(?:['’]?\s*s|\s+is)|shes)(?:\s*[:=\-–]\s*|\s+)(?:(?:only|just|jst|jus|a)\s+)*
        {TOKEN}""",
    re.IGNORECASE | re.VERBOSE,
)
FUZZY_AFTER = re.compile(rf"(?<![a-z]){TOKEN}[ \t-]*{UNIT_OLD}", re.IGNORECASE)

TITLE_TAIL = re.compile(r"\S\s[-–]\s*(?P<n>\d{2})[ \t!.]*\Z")
BRACKETED = re.compile(r"(?<![\w$])\(\s*(?P<n>\d{2})\s*\)")
LONE_WORD = re.compile(rf"(?<![a-z-])(?P<n>{WORD_RE})(?![a-z-])", re.IGNORECASE)
LONE_NOT_BEFORE = re.compile(
    r"(?:\b(?:one|two|three|four|five|six|seven|eight|nine|a|hundred|"
    r"thousand)[\s-]+|\$\s*)\Z",
    re.IGNORECASE,
)
LONE_NOT_AFTER = re.compile(
    r"[\s-]*(?:hundred|thousand|dollars|roses|bucks|minutes?|mins?|hours?|hrs?|for\b|an?\s+h|"
    r"hh|qv|k\b|special|percent|seven|7|pics|photos|times|things|ways|reasons|of\b|shades|"
    r"nine|o['’]?clock|pm|am)",
    re.IGNORECASE,
)
ITEM = re.compile(NUM, re.IGNORECASE)
# Cheap look after a one- or two-digit run that rules it out before any window is scanned.
# (" n" is the "and" of "16 n ready", not a unit.)
NEVER_AGE = re.compile(
    r"(?:%|'|’|\+|/\s*7|-\s*\d|:\d|[.,]\d|\s*(?:lbs?|min|hrs?\b|hh|qv|dd)|[a-xz]\b"
    r"|\s+[a-mo-xz]\b)",
    re.IGNORECASE,
)
# Every whole run of one or two digits (starting with the digit class lets the engine skip to
# digits), with group 1 set when ``NEVER_AGE`` matches after it: one call a run for both.
RUNS = re.compile(
    rf"[0-9](?<![0-9][0-9])[0-9]?(?![0-9])(?:(?={NEVER_AGE.pattern})())?", re.IGNORECASE
)
WORD_HINTS = (
    "teen",
    "twenty",
    "thirty",
    "forty",
    "fourty",
    "fifty",
    "sixty",
    "seventy",
    "eleven",
    "twelve",
)
CLAUSE_END = frozenset("\n.!?,;:|~*•()[]{}<>-–—=")


def clause_start(text: str, pos: int) -> bool:
    """Nothing but spaces between ``pos`` and the start of the text, a line break, sentence
    punctuation, an emoji or a greeting ("hey guys 16 and bored")."""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == 0:
        return True
    ch = text[i - 1]
    if ch in CLAUSE_END or not (ch.isalnum() or ch in "$#@%&'’\"/_"):
        return True
    return bool(GREETING_BEFORE.search(text, max(0, i - 30), i))


# ---------------------------------------------------------------------------------------------
# Lower-case twins and cheap necessary conditions


def _lowered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of a case-insensitive pattern, for a lower-cased text."""
    source = re.sub(
        r"\\.|\(\?P|[A-Z]",
        lambda m: m.group() if len(m.group()) > 1 else m.group().lower(),
        pattern.pattern,
    )
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


class Twins:
    """The case-insensitive patterns the extractor runs, as written (``lowered=False``, for the
    text itself) or as lower-case twins (for the text lower-cased)."""

    def __init__(self, lowered: bool) -> None:
        conv = _lowered if lowered else (lambda p: p)
        self.reject_after = conv(REJECT_AFTER)
        self.reject_before = conv(REJECT_BEFORE)
        self.and_up = conv(AND_UP)
        self.cue_before = conv(CUE_BEFORE)
        self.cue_after = conv(CUE_AFTER)
        self.cue_after_d = conv(CUE_AFTER_D)
        self.years_alone = conv(YEARS_ALONE)
        self.years_alone_d = conv(YEARS_ALONE_D)
        self.duration_before = conv(DURATION_BEFORE)
        self.approach = conv(APPROACH)
        self.approach_end = conv(APPROACH_END)
        self.soon = conv(SOON_RE)
        self.today = conv(TODAY)
        self.years_next = conv(YEARS_NEXT)
        self.going_on = conv(GOING_ON)
        self.going_on_d = conv(GOING_ON_D)
        self.bare_state = conv(BARE_STATE)
        self.spaced_before = conv(SPACED_BEFORE)
        self.glued = conv(GLUED)
        self.spaced_after = conv(SPACED_AFTER)
        self.lone_word = conv(LONE_WORD)
        self.lone_not_before = conv(LONE_NOT_BEFORE)
        self.lone_not_after = conv(LONE_NOT_AFTER)
        self.fuzzy_before = conv(FUZZY_BEFORE)
        self.fuzzy_after = conv(FUZZY_AFTER)
        self.runs = conv(RUNS)


AS_WRITTEN = Twins(lowered=False)
LOWER = Twins(lowered=True)

# Characters the regular-expression engine folds beyond ``str.lower`` ("ſ" matches "s" without
# case, "ı" matches "i"): a text holding one is scanned as written.
try:  # a private module of the standard library: if it moves, take the exact path more often
    _EXTRA_CASES = sorted(c for c in re._casefix._EXTRA_CASES if c > 127)  # type: ignore[attr-defined]
    FOLD_EXTRA = non_ascii_class("".join(re.escape(chr(c)) for c in _EXTRA_CASES))
except AttributeError:
    FOLD_EXTRA = re.compile(r"[^\x00-\x7f]")
