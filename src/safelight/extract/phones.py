"""Phone numbers in ad text, however they are disguised, as E.164 strings.

``deobfuscate`` turns the text into chains of digit units (digits, number words, look-alike
letters, keycap/full-width/mathematical/circled digits) with their original spans. Here each
chain is scanned left to right for *windows* of whole units that spell a phone number:

- US/Canada (default region): 10 digits, or 11 starting with 1, with a NANP shape
  (area code and exchange not starting with 0/1, area code not N11);
- international: a "+" (or "00"/"011") before the first unit, the longest window that
  ``phonenumbers`` calls valid; without "+" only after a WhatsApp/Telegram-like word or when
  grouped like a foreign number ("52 55 1234 5678").

Plainly written digit groups must be grouped like a phone (3-3-4, 3-7, one run, single digits
or pairs), so lists of prices, sizes and dates never join into a false number. Digits inside
dates, measurements, heights, weights, prices, percentages, times, highway exits, URLs, e-mail
addresses and "ST 12345" zip codes are masked out, and numbers after labels like "Post ID:"
are dropped.

Each match's ``detail["obfuscation"]`` records how the number was written (empty for a plain
"903-312-1887"): ``words``, ``lookalike``, ``spaced``, ``separators``, ``emoji``,
``unicode_digits``, ``split`` (pieces in mixed forms, filler words between groups, or an
irregular grouping). An obscured phone number is a published trafficking indicator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import phonenumbers

from safelight.extract.base import Match
from safelight.extract.deobfuscate import (
    ASCII,
    KEYCAP,
    LOOK,
    UNICODE,
    WEAK,
    WEAK_LOOK,
    WORD,
    Unit,
    chain_units,
    iter_chains,
)
from safelight.extract.phone_context import has_intl_context, is_id_labelled, is_masked
from safelight.extract.phone_tables import tables

__all__ = ["EXTRACTOR", "LABELS", "PhoneExtractor", "find_phones"]

# Obfuscation labels, in the order they are reported.
LABELS: tuple[str, ...] = (
    "words",
    "lookalike",
    "spaced",
    "separators",
    "emoji",
    "unicode_digits",
    "split",
)

# Plain formatting between digit groups: spaces, one dash/dot/comma, parentheses.
_PLAIN_GAP = re.compile(r"\s*[)\uff09]?\s*[-.,\u2010-\u2015\u2212\uff0c-\uff0e]?\s*[(\uff08]?\s*")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_PAREN = re.compile(r"[()]")
_COUNTING = "123456789101112"  # "one two three ... ten" is counting, not a number
_WORD = re.compile(r"[A-Za-z]+")
_WEAK_KINDS = (WEAK, WEAK_LOOK)
_OBFUSCATED_KINDS = frozenset((WORD, WEAK, LOOK, WEAK_LOOK, UNICODE, KEYCAP))
_IS_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE
_FORM = {WORD: "w", WEAK: "w", ASCII: "d", LOOK: "d", WEAK_LOOK: "d", UNICODE: "u", KEYCAP: "k"}


class PhoneExtractor:
    field = "phone"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        return find_phones(text)


EXTRACTOR = PhoneExtractor()


def find_phones(text: str) -> list[Match]:
    """Every phone number in ``text``; the same number written twice gives two matches."""
    out: list[Match] = []
    for start, end in iter_chains(text):
        # (_scan returns nothing for a chain of fewer than 8 digits)
        out.extend(_scan(text, chain_units(text, start, end)))
    return out


def _scan(text: str, units: list[Unit]) -> list[Match]:
    out: list[Match] = []
    n = len(units)
    remaining = [0] * (n + 1)  # digits from unit k to the end of the chain
    for k in range(n - 1, -1, -1):
        remaining[k] = remaining[k + 1] + len(units[k].digits)
    i = 0
    while i < n and remaining[i] >= 8:
        u = units[i]
        if u.kind in _WEAK_KINDS or not u.digits or (i > 0 and units[i - 1].end == u.start):
            i += 1
            continue
        hit = _window_at(text, units, i)
        if hit is None:
            i += 1
            continue
        match, last = hit
        out.append(match)
        i = last + 1
    return out


def _window_at(text: str, units: list[Unit], i: int) -> tuple[Match, int] | None:
    u = units[i]
    plus = _plus_before(text, units, i)
    if plus is not None:
        return _intl(text, units, i, plus)
    if u.kind == ASCII and u.digits.startswith(("00", "011")):
        hit = _dialling_prefix(text, units, i)
        if hit is not None:
            return hit
    hit = _us(text, units, i, None)
    if hit is not None:
        return hit
    if (
        u.kind == ASCII
        and u.digits[0] not in "01"
        and (len(u.digits) <= 3 or has_intl_context(text, u.start))
    ):
        return _intl(text, units, i, None)
    return None


def _dialling_prefix(text: str, units: list[Unit], i: int) -> tuple[Match, int] | None:
    """The international call prefix standing for "+": "00 44 7911 123456", "0044 7911...",
    "011 52 ..." (Europe/Latin America "00", North America "011")."""
    u = units[i]
    prefix = "011" if u.digits.startswith("011") else "00"
    if u.digits == prefix:
        return _intl(text, units, i + 1, u.start) if i + 1 < len(units) else None
    rest = Unit(u.start, u.end, u.digits[len(prefix) :], u.kind)
    return _intl(text, [*units[:i], rest, *units[i + 1 :]], i, u.start)


def _plus_before(text: str, units: list[Unit], i: int) -> int | None:
    lo = units[i - 1].end if i > 0 else max(0, units[i].start - 3)
    gap = text[lo : units[i].start].rstrip()
    if gap.endswith("+"):
        return lo + len(gap) - 1
    return None


def _glued_right(units: list[Unit], j: int) -> bool:
    return j + 1 < len(units) and units[j + 1].end > units[j].end == units[j + 1].start


def _us(text: str, units: list[Unit], i: int, span_start: int | None) -> tuple[Match, int] | None:
    digits = ""
    for j in range(i, len(units)):
        digits += units[j].digits
        size = len(digits)
        if size < 10 or (size == 10 and digits[0] == "1"):
            continue
        if size > 11 or (size == 11 and digits[0] != "1") or _glued_right(units, j):
            return None
        window = units[i : j + 1]
        if not _nanp(digits[-10:]) or digits in _COUNTING:
            return None
        labels = _plain_labels(text, window)
        if labels is None and not _acceptable_us(text, window, digits):
            return None
        match = _build(text, window, "+1" + digits[-10:], span_start, labels)
        return (match, j) if match is not None else None
    return None


def _plain_labels(text: str, window: Sequence[Unit]) -> list[str] | None:
    """The labels of a plainly written number ([] or ["unicode_digits"]), None for any other
    window. Such a window passes ``_acceptable_us`` (no weak unit, no letter in a gap, and
    standard grouping or digits in other scripts), and these are its labels (``_labels``
    starts here): both checks in one go for the common case."""
    kind = window[0].kind
    if kind != ASCII and kind != UNICODE:
        return None
    if len(window) > 1:
        lengths = [len(u.digits) for u in window]
        if (
            len(lengths) > 4
            or not (min(lengths) >= 3 or lengths[0] == 1)
            or not _standard_grouping(lengths, sum(lengths))
        ):
            return None
        prev = window[0]
        for u in window[1:]:
            if u.kind != kind or not _plain_gap(text[prev.end : u.start]):
                return None
            prev = u
    return [] if kind == ASCII else ["unicode_digits"]


def _nanp(d: str) -> bool:
    return d[0] not in "01" and d[3] not in "01" and d[1:3] != "11"


def _acceptable_us(text: str, window: Sequence[Unit], digits: str) -> bool:
    kinds = {u.kind for u in window}
    if WEAK in kinds and WORD not in kinds:
        return False
    if WEAK_LOOK in kinds and WORD not in kinds and _singles(window) < 3:
        return False
    lengths = [len(u.digits) for u in window]
    if _word_gaps(text, window):
        # "501 call 829 me 4417": only a real number in phone grouping, not a price list
        return (
            _standard_grouping(lengths, len(digits))
            and _us_valid(digits[-10:])
            and not _price_gaps(text, window)
        )
    if kinds & _OBFUSCATED_KINDS:
        return True
    if len(lengths) == 1 or _standard_grouping(lengths, len(digits)):
        return True
    if all(n <= 2 for n in lengths) or _singles(window) >= 3:
        return _us_valid(digits[-10:])
    return False


def _word_gaps(text: str, window: Sequence[Unit]) -> bool:
    if all(u.kind == ASCII for u in window):
        # The units in between are [0-9] runs: a letter anywhere from the first unit's end
        # to the last one's start is in a gap.
        return _HAS_LETTER.search(text, window[0].end, window[-1].start) is not None
    return any(
        _HAS_LETTER.search(text, a.end, b.start) for a, b in zip(window, window[1:], strict=False)
    )


def _price_gaps(text: str, window: Sequence[Unit]) -> bool:
    """True when a word between the groups is a price, duration or stats unit."""
    stop = tables().not_gap_words
    for a, b in zip(window, window[1:], strict=False):
        for word in _WORD.findall(text, a.end, b.start):
            if word.lower() in stop:
                return True
    return False


def _standard_grouping(lengths: list[int], size: int) -> bool:
    allowed = {3, 6} if size == 10 else {1, 4, 7}
    total = 0
    for n in lengths[:-1]:
        total += n
        if total not in allowed:
            return False
    return True


def _singles(window: Sequence[Unit]) -> int:
    count = 0
    for k, u in enumerate(window):
        if len(u.digits) != 1 or u.kind not in (ASCII, UNICODE):
            continue
        left = k == 0 or window[k - 1].end < u.start
        right = k + 1 == len(window) or window[k + 1].start > u.end
        count += left and right
    return count


@lru_cache(maxsize=1024)
def _plain_gap(gap: str) -> bool:
    """Is ``gap`` plain formatting? (few distinct gaps: "-", " ", ") ", ".")"""
    return _PLAIN_GAP.fullmatch(gap) is not None


@lru_cache(maxsize=8192)
def _us_valid(ten: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse("+1" + ten))


@lru_cache(maxsize=8192)
def _intl_number(digits: str) -> tuple[str, bool, bool] | None:
    """(E.164, valid, possible) for "+digits", or None when it cannot be parsed."""
    try:
        num = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num) and digits.startswith("521"):
        retry = _intl_number("52" + digits[3:])  # Mexico's old mobile "1" after +52
        if retry is not None and retry[1]:
            return retry
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    possible = phonenumbers.is_possible_number_with_reason(num) == _IS_POSSIBLE
    return e164, phonenumbers.is_valid_number(num), possible


def _intl(text: str, units: list[Unit], i: int, plus: int | None) -> tuple[Match, int] | None:
    """International number from unit ``i``; ``plus`` is where its "+"/"00" prefix starts,
    None when it has none (then it needs a messaging-app word or a foreign grouping)."""
    if units[i].digits.startswith("1"):
        return _us(text, units, i, plus)
    if plus is None and not (has_intl_context(text, units[i].start) or _foreign_grouping(units, i)):
        return None
    digits, best = "", None
    for j in range(i, len(units)):
        if units[j].kind in _WEAK_KINDS or (
            j > i and _HAS_LETTER.search(text, units[j - 1].end, units[j].start)
        ):
            break
        digits += units[j].digits
        if len(digits) > 15:
            break
        if len(digits) < 8 or _glued_right(units, j):
            continue
        parsed = _intl_number(digits)
        acceptable = parsed is not None and (parsed[1] or (plus is not None and parsed[2]))
        if acceptable and (best is None or parsed[1] or not best[2]):
            best = (j, parsed[0], parsed[1])
    if best is None:
        return None
    j, e164, _ = best
    match = _build(text, units[i : j + 1], e164, plus)
    return (match, j) if match is not None else None


def _foreign_grouping(units: list[Unit], i: int) -> bool:
    """A country code then at most three groups, one of four or more digits."""
    rest = [len(u.digits) for u in units[i + 1 : i + 4] if u.kind == ASCII]
    return bool(rest) and max(rest) >= 4 and sum(rest) + len(units[i].digits) >= 10


def _build(
    text: str,
    window: Sequence[Unit],
    e164: str,
    span_start: int | None,
    labels: list[str] | None = None,
) -> Match | None:
    """The match for ``window``, None when its context vetoes it; ``labels`` when known."""
    first, last = window[0], window[-1]
    start = first.start if span_start is None else span_start
    if span_start is None and start > 0 and text[start - 1] == "(":
        inner = _PAREN.search(text, first.end, last.end)
        if inner is not None and inner.group() == ")":
            start -= 1
    if is_id_labelled(text, start) or is_masked(text, start, last.end, first.digits):
        return None
    return Match(
        "phone",
        e164,
        text[start : last.end],
        start,
        last.end,
        {
            "obfuscation": _labels(text, window, nanp=e164.startswith("+1"))
            if labels is None
            else labels
        },
    )


def _labels(text: str, window: Sequence[Unit], nanp: bool = True) -> list[str]:
    plain = _plain_labels(text, window)  # a plainly written number is never "spaced"
    if plain is not None:
        return plain
    kinds = {u.kind for u in window}
    gaps = [text[a.end : b.start] for a, b in zip(window, window[1:], strict=False)]
    found: set[str] = set()
    if kinds & {WORD, WEAK}:
        found.add("words")
    if kinds & {LOOK, WEAK_LOOK}:
        found.add("lookalike")
    singles = _singles(window)
    if singles >= 4:
        found.add("spaced")
    worded = [g for g in gaps if _HAS_LETTER.search(g)]
    if not all(_plain_gap(g) for g in gaps if g not in worded):
        found.add("separators")
    if KEYCAP in kinds:
        found.add("emoji")
    if UNICODE in kinds:
        found.add("unicode_digits")
    if len({_FORM[u.kind] for u in window}) > 1 or worded:
        found.add("split")
    elif nanp and kinds == {ASCII} and len(window) > 1 and singles < 4:
        lengths = [len(u.digits) for u in window]
        size = sum(lengths)
        if size in (10, 11) and not _standard_grouping(lengths, size):
            found.add("split")
    return [label for label in LABELS if label in found]
