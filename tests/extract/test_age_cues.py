"""The case-folding guard of the age patterns, and the faster forms of two of them."""

from __future__ import annotations

import random
import re

from safelight.extract.age_cues import (
    BEFORE_CUES,
    CUE_BEFORE,
    FOLD_EXTRA,
    LOWER,
    REJECT_AFTER,
    REJECT_BEFORE,
    may_reject_before,
)
from safelight.extract.ages import EXTRACTOR

PIECES = (
    *("i", "im", "i'm", "i am", "we", "we're", "age", "aged", "my", "my age is", "just turned"),
    *("sweet", "only", "she", "he's", "shes", "they", "tengo", "edad", "cumplí", "j'ai", "our"),
    *("my lil sis", "friend", "is", ":", "-", "16", "19", "2", "and", "&", "1/2", "half"),
    *("over", "under", "men", "gentlemen", "must be", "no one", "the", "be", "all", "anyone"),
    *("Ab", "xi", "him", "some", "x", "é", "_", " ", " ", "  ", "\n", ",", "."),
    *(" 16", " 17 ", " 21", "twenty one"),
)


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def test_texts_the_engine_folds_differently_are_detected() -> None:
    assert FOLD_EXTRA.search("ſweet 19")  # long s folds to "s" in the regex engine only
    assert not FOLD_EXTRA.search("sweet 19, Café")


def test_ages_found_in_such_texts_too() -> None:
    assert [m.value for m in EXTRACTOR.extract("ſweet one, Im 19", {})] == [19]


def test_cue_before_matches_as_the_plain_alternation() -> None:
    """``CUE_BEFORE`` is written one branch per first letter; the plain form it stands for
    finds the same matches, with the same groups."""
    plain = CUE_BEFORE.pattern.replace(
        CUE_BEFORE.pattern.split("\n")[0], "(?<![a-z])(?:" + "|".join(BEFORE_CUES) + ")"
    )
    slow = re.compile(plain, CUE_BEFORE.flags)
    slow_lower = re.compile(plain, CUE_BEFORE.flags & ~re.IGNORECASE)
    matched = 0
    for text in _texts(3, 4000):
        for fast_p, slow_p, t in (
            (CUE_BEFORE, slow, text),
            (LOWER.cue_before, slow_lower, text.lower()),
        ):
            fast = [(m.span(), m.groups()) for m in fast_p.finditer(t)]
            assert fast == [(m.span(), m.groups()) for m in slow_p.finditer(t)], t
            matched += len(fast)
    assert matched > 500


def test_the_reject_before_look_never_skips_a_match() -> None:
    for text in _texts(4, 4000):
        low = text.lower()
        for start in range(1, len(low) + 1):
            if LOWER.reject_before.search(low, max(0, start - 40), start):
                assert may_reject_before(low, start), (low, start)
    assert REJECT_BEFORE.search("must be ") and may_reject_before("must be ", 8)
    assert not may_reject_before("she is ", 7)


def test_reject_after_answers_as_written_before() -> None:
    """``REJECT_AFTER`` reads the spaces once for all its alternatives; the form with one
    ``\\s*`` per alternative matches at the same places (it is only asked whether it matches)."""
    plain = re.compile(
        r"""(?:[a-z]|\s*(?:\+|%|'|’|"|/\s*7|-\s*\d|:\d|\$|\d|plus\b))
        | \s*(?:mins?|minutes?|hours?|hrs?|hh|qv|h\b|lbs?|pounds|kg|ft|feet|inch|inches
           |miles?|mi\b|k\b|roses|dollars|bucks|usd|am\b|pm\b|dd\b|cup|percent|girls|guys|men
           |days?|weeks?|months?|pics?|photos?|left\b|spots?|slots?|openings?|reviews?|stars?)
        | \s*(?:years?|yrs?)\s+(?:of\s+)?(?:exp|in\b|doing|working|experience|ago|now|since)
        | \s*(?:(?:years?|yrs?)\s*(?:old\s*)?)?(?:and|&|or)\s+(?:up|over|older|above)\b""",
        re.IGNORECASE | re.VERBOSE,
    )
    plain_lower = re.compile(plain.pattern, re.VERBOSE)  # the twin, for lower-cased texts
    rng = random.Random(6)
    pieces = (" ", "  ", "\n", "yrs", "years", "old", "of", "exp", "and", "up", "&", "or", "over")
    pieces += ("min", "hh", "h", "k", "kg", "+", "%", "'", "/7", "-5", ":3", "$", "9", "plus")
    pieces += ("men", "days", "pics", "left", "x", "X", ",", ".", "💋", "é", "ſ")
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        assert bool(REJECT_AFTER.match(text)) == bool(plain.match(text)), text
        low = text.lower()
        assert bool(LOWER.reject_after.match(low)) == bool(plain_lower.match(low)), text
