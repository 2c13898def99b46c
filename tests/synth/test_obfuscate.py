"""Contact writers: every disguise still encodes the same number, tagged with how."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from safelight.synth.obfuscate import DIGIT_WORDS, PhoneWriter, write_email, write_handle

WORDS = {w: str(i) for i, w in enumerate(DIGIT_WORDS)}


def decode(text: str) -> str:
    """A reference decoder for the test: words, look-alikes, keycaps, wide digits."""
    text = re.sub("|".join(sorted(WORDS, key=len, reverse=True)), lambda m: WORDS[m[0]], text)
    text = text.replace("O", "0").replace("l", "1").replace("I", "1").replace("i", "1")
    out = []
    for ch in text:
        if ch.isdigit():
            out.append(str(unicodedata.digit(ch)))
    digits = "".join(out)
    return digits[1:] if len(digits) == 11 and digits[0] == "1" else digits


@pytest.mark.parametrize("style", PhoneWriter.STYLES)
def test_every_style_keeps_the_number(style: str) -> None:
    writer = PhoneWriter(noise=0.5)
    rng = random.Random(style)
    for _ in range(200):
        digits = f"{rng.randint(201, 989)}{rng.randint(201, 989)}{rng.randint(0, 9999):04d}"
        text, tags = writer.write(digits, rng, prefer=style)
        assert decode(text) == digits, (style, text)
        assert tags == [] or tags[0] in PhoneWriter.STYLES[1:]
        if tags == []:
            assert re.fullmatch(r"[\d\s().+-]+", text), text


def test_noise_raises_the_share_of_disguised_phones() -> None:
    def disguised(noise: float) -> float:
        writer, rng = PhoneWriter(noise), random.Random(0)
        return sum(bool(writer.write("9033121887", rng)[1]) for _ in range(2000)) / 2000

    low, high = disguised(0.0), disguised(1.0)
    assert low < 0.2 < 0.5 < high


def test_emails_and_handles() -> None:
    rng = random.Random(1)
    forms = {write_email("kandi.xo", "gmail.com", rng, 0.5)[0] for _ in range(200)}
    assert "kandi.xo@gmail.com" in forms and "kandi.xo at gmail dot com" in forms
    for form in forms:
        assert "kandi.xo" in form and "gmail" in form
    assert write_handle("onlyfans", "kandixo", ("onlyfans.com/",), rng) == "onlyfans.com/kandixo"
    assert write_handle("snapchat", "kandixo", ("👻",), rng) == "👻 kandixo"
