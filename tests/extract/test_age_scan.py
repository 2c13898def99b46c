"""The scans of the age extractor give the answers of the plain searches they replace: the
whole-text looks (one Aho-Corasick pass), the digit runs, the starts of a ``PERSON`` match."""

from __future__ import annotations

import random
import re

from safelight.extract.age_cues import (
    APPROACH_HINTS,
    FUZZY_POS,
    LOWER,
    NEVER_AGE,
    PERSON,
    WORD_HINTS,
)
from safelight.extract.age_scan import (
    Windows,
    at_starts,
    cue_may_end_at,
    fuzzy_hits,
    gated,
    hints,
    person_starts,
)

PIECES = (
    *("im", "i'm", "i’m", "i am", "age", "only", "just", "jst", "jus", "barely", "turned"),
    *("sweet", "tengo", "she", "yo", "yrs", "years", "y/o", "y.o", "y / o", "teen", "twenty"),
    *("fourty", "turn", "goin", "almost", "be ", "him", "you", "message", "x", "m", "y", "-"),
    *(" ", " ", "\n"),
)


def test_hints_and_fuzzy_hits_match_the_plain_scans() -> None:
    rng = random.Random(5)
    texts = ["", "im 19 yo", "i am sevnteen", "be  be", "she's twenty one, turning 22"]
    texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    for low in texts:
        found = hints(low)
        assert found.words == any(w in low for w in WORD_HINTS)
        assert found.approach == any(w in low for w in APPROACH_HINTS)
        expected = [m.span() for m in FUZZY_POS.finditer(low)]
        assert [m.span() for m in fuzzy_hits(low, found.fuzzy)] == expected


NAME_PIECES = (
    *("Kandi", "kandi", "girl", "Girl", "MYgirl", "mygirl", "xLady", "LADYlady", "here", "me"),
    *("baby", "Babe", "bestie", "sisters", "twins", "O'Neil", "é", "_", "ab", "(", "-", " - "),
    *(" ", " ", "  ", ", ", "\n", "💋", "16", "21", "5", "100", ".5", "$20", "20%", "and", "&"),
)


def _windows(text: str) -> Windows:
    return Windows.find(text, [], LOWER.runs, text.lower())


def test_person_starts_give_every_person_match() -> None:
    rng = random.Random(7)
    texts = [
        "".join(rng.choice(NAME_PIECES) for _ in range(rng.randint(1, 14))) for _ in range(10000)
    ]
    found = 0
    for text in texts:
        wins = _windows(text)
        plain = [m.span() for w in wins.windows for m in PERSON.finditer(text, w.start, w.end)]
        assert [m.span() for m in at_starts(PERSON, text, wins, person_starts)] == plain, text
        found += len(plain)
    assert found > 300


def test_runs_are_the_digit_runs_and_never_marks_what_follows() -> None:
    rng = random.Random(8)
    pieces = (*NAME_PIECES, "lbs", "yo", " min", "'", "+", "/7", ":3", "qv", " n", " x")
    texts = ["".join(rng.choice(pieces) for _ in range(12)) for _ in range(4000)]
    for text in texts:
        low = text.lower()
        spans = [m.span() for m in re.finditer(r"(?<![0-9])[0-9]{1,2}(?![0-9])", low)]
        marked = [(m.span(), m.lastindex is not None) for m in LOWER.runs.finditer(low)]
        assert marked == [(s, bool(NEVER_AGE.match(low, s[1]))) for s in spans], text


CUE_PIECES = (
    *("im", "i'm", "i am", "we're", "age", "aged", "my lil sis is", "just turned", "sweet"),
    *("only", "she's", "he is", "tengo", "edad:", "is", "=", ":", "-", ",", "me", "x", "ab"),
    *(" ", " ", "  ", "\n", "16", "19", "2", "100", "5'4", "and", "&", "1/2", "💋", "é"),
)


def test_gated_gives_every_cue_before_match() -> None:
    rng = random.Random(9)
    found = 0
    for _ in range(15000):
        low = "".join(rng.choice(CUE_PIECES) for _ in range(rng.randint(1, 16)))
        wins = _windows(low)
        plain = [
            m.span() for w in wins.windows for m in LOWER.cue_before.finditer(low, w.start, w.end)
        ]
        assert [m.span() for m in gated(LOWER.cue_before, low, wins, cue_may_end_at)] == plain, low
        found += len(plain)
    assert found > 500
