from __future__ import annotations

from safelight.extract.emojis import EXTRACTOR, normalise_emoji


def run(text: str) -> list[tuple[str, str]]:
    matches = EXTRACTOR.extract(text, {})
    for m in matches:
        assert text[m.start : m.end] == m.text
    return [(m.value, m.detail["name"]) for m in matches]


def test_plain_emojis_with_cldr_names() -> None:
    assert run("Hi 🍒👅 xo") == [("🍒", "cherries"), ("👅", "tongue")]


def test_skin_tones_and_variation_selectors_removed() -> None:
    got = run("👍🏿 ❤️ ☎️")
    assert got == [("👍", "thumbs up"), ("❤", "red heart"), ("☎", "telephone")]
    matches = EXTRACTOR.extract("👍🏿", {})
    assert matches[0].text == "👍🏿" and (matches[0].start, matches[0].end) == (0, 2)


def test_zwj_sequence_is_one_emoji() -> None:
    text = "duo 👯‍♀️ and 👩🏽‍❤️‍👨🏻"
    values = [v for v, _ in run(text)]
    assert values == ["👯\u200d♀", "👩\u200d❤\u200d👨"]


def test_keycaps_and_signs_are_not_emojis() -> None:
    assert run("call 9️⃣0️⃣3️⃣ #️⃣ 🔟 9⃣ ™ © ®") == []


def test_ascii_and_accented_text_have_none() -> None:
    assert run("plain ascii text 24/7 :) <3") == []
    assert run("café – señorita … €100") == []


def test_repeats_each_counted() -> None:
    assert [v for v, _ in run("💋💋 🇺🇸")] == ["💋", "💋", "🇺🇸"]


def test_normalise() -> None:
    assert normalise_emoji("👍🏽") == "👍"
    assert normalise_emoji("❤️") == "❤"


def test_runs_give_the_scan_of_the_whole_text() -> None:
    # The extractor scans runs of emoji characters one by one; scanning the whole text at
    # once must give the same emojis (random mixes of bases, modifiers, joiners, flags, keycaps).
    import random

    from safelight.extract.emojis import _scan

    pieces = ["👍", "🏿", "🏻", "\ufe0f", "\ufe0e", "\u200d", "❤", "👩", "👨", "💋", "🇺", "🇸",
              "🏴", "\U000e0067", "\U000e0062", "\U000e007f", "9", "#", "\u20e3", "™", "©",
              "🔟", "a", " ", "é", "☎", "♀", "👯"]  # fmt: skip
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        whole = [(s, e, v) for s, e, _, v, _ in _scan.__wrapped__(text)]
        got = [(m.start, m.end, m.value) for m in EXTRACTOR.extract(text, {})]
        assert got == whole, text
