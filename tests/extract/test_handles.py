from __future__ import annotations

import pytest

from safelight.extract.base import Match
from safelight.extract.handles import EXTRACTOR, load_platforms


def pairs(text: str, found: dict[str, list[Match]] | None = None) -> list[tuple[str, str]]:
    matches = EXTRACTOR.extract(text, found or {})
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.detail["platform"] == m.value["platform"]
    return [(m.value["platform"], m.value["handle"]) for m in matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add me on snapchat: Kandi_XO for pics", [("snapchat", "kandi_xo")]),
        ("SC- kandixo", [("snapchat", "kandixo")]),
        ("👻 kandixo", [("snapchat", "kandixo")]),
        ("my snap is kandi", [("snapchat", "kandi")]),
        ("IG @kandi", [("instagram", "kandi")]),
        ("follow my insta kandi.xo", [("instagram", "kandi.xo")]),
        ("📸: lil_mia.official", [("instagram", "lil_mia.official")]),
        ("https://www.instagram.com/kandi.x/", [("instagram", "kandi.x")]),
        ("kik me kandi22", [("kik", "kandi22")]),
        ("telegram @kandi.x", [("telegram", "kandi.x")]),
        ("t.me/kandi_bot", [("telegram", "kandi_bot")]),
        ("onlyfans.com/kandi", [("onlyfans", "kandi")]),
        ("OF: kandi", [("onlyfans", "kandi")]),
        ("twitter: @KandiXO", [("x", "kandixo")]),
        ("x @kandi", [("x", "kandi")]),
        ("tiktok.com/@kandi", [("tiktok", "kandi")]),
        ("fb: trinity.okc", [("facebook", "trinity.okc")]),
        ("wickr me kandi", [("wickr", "kandi")]),
        ("fansly.com/kandi", [("fansly", "kandi")]),
        ("cashapp $kandi22", [("cashapp", "kandi22")]),
        ("deposit to $Kandi22 first", [("cashapp", "kandi22")]),
        ("@kandixo on snap", [("snapchat", "kandixo")]),
        ("SC/IG: kandi_22", [("snapchat", "kandi_22"), ("instagram", "kandi_22")]),
    ],
)
def test_handles(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "BEST OF TYLER * 24/7",
        "Best OF Tyler",
        "the best of the best",
        "2 x 3 girls",
        "snap pics for you",
        "i will snap you",
        "snapchat is the best",
        "kicks kandi",
        "Columbia, SC 29201",
        "Seattle, WA area",
        "$100 hh $roses only",
        "whatsapp +1 903 312 1887",
        "WhatsApp Kandi 903 312 1887",
        "real pics 📸 no games",
        "no onlyfans fake pics, pure fun",
        "snapchat real pics only",
        "OF legit, no scams",
    ],
)
def test_not_handles(text: str) -> None:
    assert pairs(text) == []


def test_never_overlaps_a_phone_span() -> None:
    text = "kik 9033121887"
    phone = Match("phone", "+19033121887", "9033121887", 4, 14)
    assert pairs(text, {"phone": [phone]}) == []
    text = "telegram kandi"
    assert pairs(text, {"phone": [Match("phone", "+1", "kandi", 9, 14)]}) == []


def test_every_platform_has_a_source() -> None:
    from importlib import resources

    import yaml

    raw = yaml.safe_load(
        resources.files("safelight.extract.data").joinpath("handles.yaml").read_text("utf-8")
    )
    assert all(entry.get("source") for entry in raw["platforms"])
    assert raw["not_handles"]["source"] and raw["not_cashtags"]["source"]
    assert {"snapchat", "onlyfans", "cashapp", "x"} <= set(load_platforms().by_cue.values())


def test_tokens_as_the_punctuation_table_splits_them() -> None:
    from safelight.extract.handles import _PUNCT, _tokens

    for low in ("snap: kandi_xo!!", "ig/@kandi’s\x1cpage", "whats\x00app 😘 kik", "a\u2028b"):
        expected = low.encode("ascii", "replace").decode("ascii").translate(_PUNCT).split()
        assert _tokens(low) == expected


def test_cue_needles_as_the_token_sets_find_them() -> None:
    # The pre-check finds the one-word cues with an automaton over the spaced text; it must
    # find the cue words the tokens give (random mixes of cue words, punctuation, whitespace).
    import random

    from safelight.extract.handles import _cue_needles, _tokens, load_platforms

    p = load_platforms()
    pieces = ["snap", "chat", "ig", "x", "only", "fans", "cash", "app", "kik", "wa", "OF", "O.F",
              "tele", "gram", "👻", "kandi", " ", "  ", "\n", "\t", "\x1c", ":", "-", "/", ".",
              "@", "é", "snapchat", "whats", "sc"]  # fmt: skip
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        low = text.lower()
        tokens = _tokens(low)
        joined = f" {' '.join(tokens)} "
        expected = {e for e in p.exact if e in text} | {s for s in p.symbols if s in text}
        expected |= p.single_words & set(tokens)
        expected |= {ph.split()[0] for ph in p.phrases if ph in joined}
        assert set(_cue_needles(text, low, p)) == expected, text
