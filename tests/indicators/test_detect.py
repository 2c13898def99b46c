"""Phrase detection: obfuscation is undone, negation and benign look-alikes don't fire."""

from __future__ import annotations

import pytest

from safelight.indicators import load_catalog
from safelight.indicators.detect import matcher_for


def fired(text: str, blocked: list[tuple[int, int]] | None = None) -> set[str]:
    return {h.indicator.id for h in matcher_for(load_catalog()).hits(text, blocked or [])}


@pytest.mark.parametrize(
    "text",
    [
        "so young and sweet",
        "so Y0UNG and sweet",
        "so yuuuung and sweet",
        "so уоung and sweet",  # Cyrillic у and о
        "so 𝔂𝓸𝓾𝓷𝓰 and sweet",  # mathematical script letters
        "so Ｙｏｕｎｇ and sweet",  # full-width
        "so y o u n g and sweet",
    ],
)
def test_obfuscated_youth_language_is_found(text: str) -> None:
    assert "minor.young" in fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("young at heart and full of life", "minor.young"),
        ("young professionals only, discreet", "minor.young"),
        ("fresh towels and a clean room", "minor.fresh"),
        ("it turned out to be a great night", "control.turn_out"),
        ("the life of the party", "control.the_game"),
        ("new to this area, come see me", "minor.new_to_this"),
        ("ask for rates and pics", "control.ask_for"),
        ("sugar daddy wanted", "control.daddy"),
        ("ten minutes away", "minor.teen"),
    ],
)
def test_benign_look_alikes_do_not_fire(text: str, indicator: str) -> None:
    assert indicator not in fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("not new in town, been here for years", "movement.new_in_town"),
        ("I am not young, mature lady", "minor.young"),
        ("never touring, local only", "movement.touring"),
    ],
)
def test_negation_suppresses(text: str, indicator: str) -> None:
    assert indicator not in fired(text)


def test_negation_does_not_cross_a_clause() -> None:
    assert "movement.new_in_town" in fired("no calls, new in town tonight")


def test_spaced_out_phrase_joins() -> None:
    assert "movement.new_in_town" in fired("n e w  i n  t o w n  sweetie")


def test_control_vocabulary_from_seed() -> None:
    text = "Daddy says choose up. my bottom answers. join my stable, no renegades. M.O.B"
    assert {
        "control.daddy",
        "control.choosing",
        "control.bottom",
        "control.stable",
        "control.renegade",
        "control.mob",
    } <= fired(text)


def test_digit_patterns_and_blocked_phone_spans() -> None:
    assert "restriction.always_available" in fired("available 24/7 for u")
    text = "call 304 212 9987 now"
    assert "control.pimp_words" not in fired(text, [(5, 17)])


def test_emoji_with_variation_selector_and_shortcode() -> None:
    assert "emoji.airplane" in fired("✈️ landing friday")
    assert "emoji.cherry" in fired("sweet :cherries: treat")
    assert "emoji.growing_heart" in fired("hi 💗💗")


def test_spans_point_at_original_text() -> None:
    text = "Hi!! so YUUUNG 💗 and NEW IN TOWN"
    hits = matcher_for(load_catalog()).hits(text, [])
    by_id = {h.indicator.id: text[h.start : h.end] for h in hits}
    assert by_id["minor.young"] == "YUUUNG"
    assert by_id["movement.new_in_town"] == "NEW IN TOWN"
    assert by_id["emoji.growing_heart"] == "💗"


def test_folded_offsets_map_back_past_every_deletion() -> None:
    from safelight.indicators.fold import fold

    text = "Sooo 💗️ n e w  i n  t o w n, yuuung 👍🏽 gurl"
    folded = fold(text)
    assert folded.deleted  # stretched letters, spacing, variation selector, skin tone
    kept = [i for i in range(len(text)) if i not in set(folded.deleted)]
    assert [folded.to_original(p) for p in range(len(folded.text))] == kept
    start = folded.text.index("newintown")
    o_start, o_end = folded.span(start, start + len("newintown"))
    assert text[o_start:o_end] == "n e w  i n  t o w n"
