"""The whole-text looks of the age extractor: one Aho-Corasick pass, same answers as the
substring searches and the ``FUZZY_POS`` scan it replaces."""

from __future__ import annotations

import random

from safelight.extract.age_cues import APPROACH_HINTS, FUZZY_POS, WORD_HINTS
from safelight.extract.age_scan import fuzzy_hits, hints

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
