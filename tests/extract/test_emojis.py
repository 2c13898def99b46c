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
