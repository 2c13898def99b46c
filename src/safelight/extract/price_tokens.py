"""Price tokens: amounts, durations and skips found in the stretches of text around numbers.

A token is a plain tuple (cheaper than an object, and tokens are made per digit run):
``(kind, start, end, value, currency, bare)`` with kind ``AMT``, ``DUR`` or ``SKIP``, value the
amount (whole units) or the minutes, currency None unless written, bare True for a number
written alone: it is a price after "incall", "donation"... (``after_context``), which is looked
up only for the bare numbers that no duration claims. Digits inside a blocked span (a phone)
are never read.
"""

from __future__ import annotations

import re
from functools import lru_cache

from safelight.extract.base import lowered
from safelight.extract.price_lexicon import KIND_BY_LAST_GROUP, currency, duration_minutes, lexicon

__all__ = [
    "AMT",
    "DUR",
    "MAX_AMOUNT",
    "MIN_AMOUNT",
    "SKIP",
    "Tok",
    "after_context",
    "number_windows",
    "tokens",
]

MIN_AMOUNT, MAX_AMOUNT = 20, 10_000
AMT, DUR, SKIP = "amt", "dur", "skip"
Tok = tuple[str, int, int, int, "str | None", bool]

_WORD_HOURS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "1 1/2": 1.5}
_SPACES = re.compile(r"\s+")
_TITLE_AGE = re.compile(r"[ \t!.]*(?:\n|\Z)")
_TITLE_DASH = re.compile(r"\s[-–]\s*\Z")

# Lower-case pieces of every ``price_context`` word ("incall", "donation", "rates", "specials",
# "prices", "fees", "car fun"...): without one, the (costlier) context pattern cannot match. The
# pieces avoid "i", "s" and "k", whose case-insensitive matches include non-ASCII letters.
_CONTEXT_HINT = re.compile("call|don|rate|pec|pr|fee|car")

# Cheap look after a digit run that rules it out as a price before any window is scanned.
_NEVER_PRICE = re.compile(
    r"(?:\s*(?:%|'|’|lbs?\b|[a-g]\b|dd|-\s*\d+\s*-|/\s*7\b)|:\d)", re.IGNORECASE
)
_ALNUM = re.compile(r"[^\W_]*")  # str.isalnum() characters, as one regex


@lru_cache(maxsize=16)
def _runs_re(max_digits: int, not_after: re.Pattern[str] | None) -> re.Pattern[str]:
    """Whole digit runs of at most ``max_digits`` digits not followed by ``not_after``. The
    pattern starts with ``\\d`` (the boundary is checked after it), so the regex engine jumps
    from digit to digit instead of trying every position. The run is possessive: giving a digit
    back would only put a digit before ``(?!\\d)``."""
    tail = f"(?!{not_after.pattern})" if not_after is not None else ""
    flags = not_after.flags if not_after is not None else 0
    return re.compile(rf"\d(?<!\d\d)\d{{0,{max_digits - 1}}}+(?!\d){tail}", flags)


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
        if blocked and _inside(blocked, s, e):
            continue
        we = alnum(text, e + after).end() if e + after < n else n
        ws = s - before if s > before else 0
        if ws > last_end and ws > 0 and text[ws - 1].isalnum():
            ws -= 1
            while ws > 0 and text[ws - 1].isalnum():
                ws -= 1
        if ws <= last_end:  # merges with the last window: only its end can grow
            if we > last_end:
                wins[-1] = (wins[-1][0], we)
                last_end = we
            continue
        wins.append((ws, we))
        last_end = we
    return wins


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    for s, e in spans:  # noqa: SIM110 -- a plain loop: no generator made per run
        if s <= start and end <= e:
            return True
    return False


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    for s, e in spans:  # noqa: SIM110 -- a plain loop: no generator made per token
        if s < end and start < e:
            return True
    return False


def tokens(text: str, blocked: list[tuple[int, int]]) -> list[Tok]:
    """The tokens of every window around a number in ``text``, in text order."""
    wins = number_windows(text, blocked, 24, 24, not_after=_NEVER_PRICE)
    if not wins:
        return []
    lex = lexicon()
    out: list[Tok] = []
    low = lowered(text)
    source, token = (low, lex.token_lower) if len(low) == len(text) else (text, lex.token)
    kinds = KIND_BY_LAST_GROUP
    for ws, we in wins:
        # Only a blocked span that reaches into the window can overlap a token in it.
        near = [(s, e) for s, e in blocked if s < we and ws < e] if blocked else blocked
        for m in token.finditer(source, ws, we):
            kind = kinds[m.lastgroup]
            start, end = m.span()
            if kind == SKIP or (near and _overlaps(near, start, end)):
                out.append((SKIP, start, end, 0, None, False))
            elif kind == "bnum":
                out.append(_amt(start, end, _amount(m["bnum"], m["bk"]), None, True))
            elif kind == "dur" or kind == "dur2":
                minutes = duration_minutes(m[kind])
                if minutes is not None:
                    out.append((DUR, start, end, minutes, None, False))
            elif kind == "pcur":
                amount = _amount(m["pnum"], m["pk"])
                out.append(_amt(start, end, amount, currency(m["pcur"]), False))
            elif kind == "snum":
                amount = _amount(m["snum"], m["sk"])
                out.append(_amt(start, end, amount, currency(m["scur"]), False))
            elif kind == "mnum" or kind == "pmin":
                out.append((DUR, start, end, int(m[kind]), None, False))
            else:  # "hnum", "hword": hours
                num, unit = ("hnum", "hunit") if kind == "hnum" else ("hword", "hunit2")
                raw = m[num].lower()
                hours = _WORD_HOURS.get(_SPACES.sub(" ", raw)) or float(raw)
                if hours <= 12:
                    out.append((DUR, start, end, int(hours * 60), None, False))
                else:  # "160 hr", "150h": an amount, then a one-hour duration
                    out.append(_amt(start, m.end(num), int(hours), None, False))
                    out.append((DUR, m.start(unit), end, 60, None, False))
    return out


def _amount(num: str, k: str | None) -> int:
    value = int(num.replace(",", ""))
    return value * 1000 if k else value


def _amt(start: int, end: int, value: int, currency: str | None, bare: bool) -> Tok:
    # Numbers out of the price range (zip codes, "2 girls") must not take a neighbour's
    # duration: they become skips.
    if MIN_AMOUNT <= value <= MAX_AMOUNT:
        return (AMT, start, end, value, currency, bare)
    return (SKIP, start, end, 0, None, False)


def after_context(text: str, start: int, end: int) -> bool:
    """Whether the bare number at ``start:end`` follows "incall", "donation", "rates"..."""
    lo = max(0, start - 28)
    low = lowered(text)
    if len(low) == len(text):
        hint = _CONTEXT_HINT.search(low, lo, start)
    else:
        hint = _CONTEXT_HINT.search(text[lo:start].lower())
    if hint is None or not lexicon().context.search(text, lo, start):
        return False
    # "INCALL SPECIALS - 20" ending a title: the poster's age.
    return not (
        text.find("\n", 0, start) < 0
        and _TITLE_AGE.match(text, end)
        and _TITLE_DASH.search(text, max(0, start - 4), start)
    )
