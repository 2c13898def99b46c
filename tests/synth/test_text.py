"""Ad templates: slots survive the poster's habits and the per-ad noise."""

from __future__ import annotations

import random
import re

from safelight.synth.text import age_words, bake_template, noisy, personalize
from safelight.synth.vocabulary import vocabulary

SLOTS = {"name", "name2", "age", "agep", "city", "CITY", "price", "contact", "youth", "e0",
         "e1", "e2"}  # fmt: skip


def test_age_words() -> None:
    assert [age_words(a) for a in (18, 19, 20, 21, 34)] == [
        "eighteen", "nineteen", "twenty", "twenty one", "thirty four"
    ]  # fmt: skip


def test_templates_only_use_known_slots_and_fill_cleanly() -> None:
    vocab = vocabulary()
    for seed in range(300):
        rng = random.Random(seed)
        t = bake_template(vocab, rng, noise=0.9, third_person=seed % 2 == 0, brand="💎 Team")
        t = personalize(t, "red", "green", 63, 118)
        for text in [t.body, *t.titles]:
            for _ in range(3):
                text = noisy(text, rng, title=True)
            assert set(re.findall(r"\{(\w+)\}", text)) <= SLOTS, text
            filled = text.format_map({k: "X" for k in SLOTS})
            assert "{" not in filled and "}" not in filled
        assert "{contact}" in t.body and "{price}" in t.body and "{youth}" in t.body


def test_every_vocabulary_list_has_a_source() -> None:
    vocab = vocabulary()
    assert set(vocab.lists) <= set(vocab.sources)
    assert all(len(s) > 10 for s in vocab.sources.values())
    assert len(vocab.sites) >= 3 and vocab.sites[0].name == "classyads"
