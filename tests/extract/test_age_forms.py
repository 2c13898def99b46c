"""The rarer age forms: the cheap look that gates the "almost 18" scan never skips a match."""

from __future__ import annotations

import random

from safelight.extract.age_cues import LOWER
from safelight.extract.age_forms import APPROACH_NEAR


def test_the_approach_look_never_skips_a_match() -> None:
    rng = random.Random(10)
    pieces = ("almost", "nearly", "turning", "turns", "gonna be", "will be", "i'll be", "ill be")
    pieces += ("about to turn", "soon to be", "be", "maybe", " ", "  ", "\t", "17", "18", "x")
    found = 0
    for _ in range(20000):
        low = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        for m in LOWER.approach.finditer(low):
            assert APPROACH_NEAR.search(low, m.start(), m.end()), low
            found += 1
    assert found > 150
