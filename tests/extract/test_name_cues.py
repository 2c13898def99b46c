"""The per-letter copies of the name cue regex find what the whole regex finds."""

from __future__ import annotations

import random
import string

import yaml

from safelight.extract.name_cues import initials
from safelight.extract.name_lexicon import _data, load_lexicon


def test_initials_of_simple_patterns() -> None:
    assert initials("call") == {"c"}
    assert initials("(?:they\\s+)?call\\s+me") == {"t", "c"}
    assert initials("(?<![\\w])Name") == {"n"}
    assert initials("[A-C]x") == {"a", "b", "c"}
    assert initials("x*") is None  # may match nothing
    assert initials("ſoy") is None  # a non-ASCII letter folds to "s"
    assert initials(".x") is None  # any character


def test_every_ascii_letter_has_a_copy() -> None:
    by_initial = load_lexicon().cue_by_initial
    assert set(by_initial) == set(string.ascii_letters)


def _match(regex, text: str, i: int):
    m = regex.match(text, i)
    return m and (m.span(), m.group("strong"), m.group("weak"), m.span("name"))


def test_copies_match_like_the_whole_regex() -> None:
    lex = load_lexicon()
    cues = yaml.safe_load(_data("names.yaml"))["cues"]
    words = [*cues["examples"], *cues["needles"].split(), "Mia", "ſoy", "\u212aisses", "İ'm"]
    rng = random.Random(11)
    matched = 0
    for _ in range(3000):
        parts = [rng.choice(words) for _ in range(rng.randint(1, 4))]
        text = rng.choice([" ", ": ", ", ", "\n", "-"]).join(parts)
        text = text.upper() if rng.random() < 0.2 else text
        for i, ch in enumerate(text):
            copy = lex.cue_by_initial.get(ch, lex.cue_re)
            want = _match(lex.cue_re, text, i)
            assert _match(copy, text, i) == want, (text, i)
            matched += want is not None
    assert matched > 1000
