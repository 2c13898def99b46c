"""Physical descriptors in ad text, with exact spans."""

from __future__ import annotations

import pytest

from safelight.missing.descriptors import extract_descriptors


def _found(text: str, field: str) -> list[object]:
    out = []
    for m in extract_descriptors(text):
        assert m.start is not None and text[m.start : m.end] == m.text
        if m.field == field:
            out.append(m.value)
    return out


@pytest.mark.parametrize(
    ("text", "cm"),
    [
        ("I'm 5'4 and sweet", 162.6),
        ("5ft 4 petite", 162.6),
        ("5 foot 4 of fun", 162.6),
        ("5 feet 4 inches tall", 162.6),
        ("only 164cm", 164.0),
        ("1.64m model", 164.0),
        ("5’2” spinner", 157.5),
        ("5' 10\" amazon", 177.8),
    ],
)
def test_heights(text: str, cm: float) -> None:
    assert _found(text, "height") == [pytest.approx(cm, abs=0.1)]


@pytest.mark.parametrize(
    ("text", "lb"),
    [
        ("120lbs", 120),
        ("120 lb", 120),
        ("130 pounds", 130),
        ("55kg", 121.3),
        ("thick 180 lbs", 180),
    ],
)
def test_weights(text: str, lb: float) -> None:
    assert _found(text, "weight") == [pytest.approx(lb, abs=0.1)]


def test_phone_digits_are_not_heights_or_weights() -> None:
    text = "call 503-412-1187 now"
    assert extract_descriptors(text, avoid=[(5, 17)]) == []
    assert _found("$120 hh special", "weight") == []


@pytest.mark.parametrize(
    ("text", "hair"),
    [
        ("sexy blonde", "blonde"),
        ("blond bombshell", "blonde"),
        ("brunette beauty", "brown"),
        ("brown hair", "brown"),
        ("jet black hair", "black"),
        ("hair: black", "black"),
        ("red hair", "red"),
        ("fiery redhead", "red"),
        ("ginger", "red"),
        ("auburn", "auburn"),
        ("pink hair", "dyed"),
        ("strawberry blonde", "strawberry blonde"),
    ],
)
def test_hair(text: str, hair: str) -> None:
    assert _found(text, "hair") == [hair]


@pytest.mark.parametrize(
    "text", ["black girl", "red lingerie", "brown sugar", "pink panties", "blue eyes"]
)
def test_colour_words_without_hair_cue_are_not_hair(text: str) -> None:
    assert _found(text, "hair") == []


@pytest.mark.parametrize(
    ("text", "eyes"),
    [
        ("blue eyes", "blue"),
        ("green eyes", "green"),
        ("hazel eyes", "hazel"),
        ("brown-eyed girl", "brown"),
        ("eyes: grey", "gray"),
    ],
)
def test_eyes(text: str, eyes: str) -> None:
    assert _found(text, "eyes") == [eyes]


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("tattoo on my left wrist", ("tattoo", None, "wrist", "left")),
        ("cute butterfly tat", ("tattoo", "butterfly", None, None)),
        ("tattoo of a rose on my ankle", ("tattoo", "rose", "ankle", None)),
        ("lower back tat", ("tattoo", None, "lower back", None)),
        ("nose ring", ("piercing", None, "nose", None)),
        ("belly button ring", ("piercing", None, "belly", None)),
        ("small scar on her cheek", ("scar", None, "face", None)),
        ("barcode tattoo on neck", ("tattoo", "barcode", "neck", None)),
    ],
)
def test_marks(text: str, mark: tuple[object, ...]) -> None:
    [value] = _found(text, "mark")
    assert isinstance(value, dict)
    assert (value["kind"], value["motif"], value["location"], value["side"]) == mark


def test_full_ad() -> None:
    text = "Ashlee 19, blonde 5'4 120lbs, blue eyes, butterfly tat & nose ring"
    fields = [m.field for m in extract_descriptors(text)]
    assert fields == ["hair", "height", "weight", "eyes", "mark", "mark"]


@pytest.mark.parametrize(
    ("text", "lb"),
    [
        ("5'4 120 petite", [120.0]),
        ("im 5'2 / 105 and sweet", [105.0]),
        ("5'11 148 jet black", [148.0]),
        ("5'4 120 roses", []),  # a price
        ("5'5 $150 hh", []),
        ("5'6 22yo", []),  # an age
        ("5'4 9 inches", []),  # not a weight (under 80 lb)
    ],
)
def test_bare_weight_after_a_height(text: str, lb: list[float]) -> None:
    assert _found(text, "weight") == lb


@pytest.mark.parametrize(
    ("text", "hair"),
    [
        ("5'4 jet black beauty", ["black"]),
        ("all natural ombre", ["ombre"]),
        ("platinum hair", ["blonde"]),
        ("platinum vip service", []),  # "platinum" alone is not a hair colour
        ("black lingerie", []),
    ],
)
def test_hair_terms_that_need_no_cue(text: str, hair: list[str]) -> None:
    assert _found(text, "hair") == hair
