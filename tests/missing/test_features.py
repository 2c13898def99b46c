"""Each comparison's levels and the words that explain them."""

from __future__ import annotations

from datetime import date

import pytest

from safelight.missing import features as ft


@pytest.mark.parametrize(
    ("poster", "ad", "level"),
    [
        (["Ashley"], ["Ashley"], "exact"),
        (["Ashley"], ["Ashlee"], "variant"),
        (["Ashley"], ["Ashlie"], "variant"),
        (["Jessica"], ["Jess"], "nickname"),
        (["Katherine"], ["Kathryn"], "variant"),
        (["Ashley"], ["Destiny"], "different"),
        (["Ashley"], [], "unknown"),
        (["Maria", "Kandi"], ["Candy"], "variant"),
    ],
)
def test_names(poster: list[str], ad: list[str], level: str) -> None:
    assert ft.compare_names(poster, ad).level == level


def test_name_explanation_names_both_sides() -> None:
    c = ft.compare_names(["Ashley"], ["Ashlee"])
    assert c.explanation == "name: ad name 'Ashlee' is a spelling variant of 'Ashley'"


def test_age_range_from_dob_is_exact_and_from_age_at_missing_is_a_range() -> None:
    assert ft.age_range_at(date(2008, 3, 1), None, date(2024, 1, 1), date(2024, 6, 1)) == (16, 16)
    assert ft.age_range_at(None, 15, date(2024, 1, 1), date(2024, 1, 1)) == (15, 15)
    assert ft.age_range_at(None, 15, date(2024, 1, 1), date(2024, 9, 1)) == (15, 16)
    assert ft.age_range_at(None, 15, date(2024, 1, 1), date(2026, 1, 1)) == (17, 17)


def test_sixteen_year_old_posted_as_nineteen_matches() -> None:
    c = ft.compare_age((16, 16), [19])
    assert c.level == "minor_as_adult"
    assert c.explanation.startswith("age: stated age 19 is consistent with true age 16 at ad date")


@pytest.mark.parametrize(
    ("true_age", "claimed", "level"),
    [
        ((20, 20), [20], "exact"),
        ((15, 16), [16], "exact"),
        ((14, 14), [18], "minor_as_adult"),
        ((21, 21), [23], "close"),
        ((12, 12), [19], "inconsistent"),
        ((16, 16), [25], "inconsistent"),
        ((30, 30), [19], "inconsistent"),
        ((33, 33), [28], "shifted"),  # an adult advertised 5 years younger
        ((33, 33), [26], "shifted"),
        ((33, 33), [25], "inconsistent"),  # 8 years younger: too far
        ((28, 28), [33], "inconsistent"),  # older than true: ads do not sell age
        ((15, 15), [21], "shifted"),  # a minor advertised as an adult past 18-19
        ((15, 15), [24], "inconsistent"),
        ((20, 20), [16], "inconsistent"),  # the adult rule needs a true age of 21+
        (None, [19], "unknown"),
        ((16, 16), [], "unknown"),
    ],
)
def test_age_levels(true_age: tuple[int, int] | None, claimed: list[int], level: str) -> None:
    assert ft.compare_age(true_age, claimed).level == level


def test_height_and_weight_tolerances() -> None:
    assert ft.compare_height(162.6, [162.6]).level == "close"
    assert ft.compare_height(162.6, [170.0]).level == "near"
    assert ft.compare_height(162.6, [180.0]).level == "different"
    assert ft.compare_height(150.0, [160.0], growth_cm=10).level == "close"
    assert ft.compare_height(None, [160.0]).level == "unknown"
    assert ft.compare_weight(115, [120]).level == "close"
    assert ft.compare_weight(115, [135]).level == "near"
    c = ft.compare_weight(115, [180])
    assert (c.level, c.explanation) == (
        "different",
        "weight: ad 180 lb vs poster 115 lb: 65 lb apart",
    )


def test_hair_dye_is_only_weakly_negative_and_eyes() -> None:
    assert ft.compare_hair("blonde", ["blonde"]).explanation == "hair: blonde vs blonde"
    assert ft.compare_hair("auburn", ["red"]).level == "similar"
    different = ft.compare_hair("blonde", ["dyed"])
    assert different.level == "different" and "dyed" in different.explanation
    assert ft.compare_eyes("blue", ["blue"]).level == "same"
    assert ft.compare_eyes("blue", ["brown"]).level == "different"


def test_marks_levels() -> None:
    poster = [{"kind": "tattoo", "motif": "butterfly", "location": "wrist", "side": "left"}]
    specific = ft.compare_marks(
        poster, [{"kind": "tattoo", "motif": "butterfly", "location": None, "side": None}]
    )
    assert specific.level == "specific" and "butterfly tattoo" in specific.explanation
    other_motif = [{"kind": "tattoo", "motif": "rose", "location": None, "side": None}]
    assert ft.compare_marks(poster, other_motif).level == "kind"
    scar = [{"kind": "scar", "motif": None, "location": "face", "side": None}]
    assert ft.compare_marks(poster, scar).level == "different"
    assert ft.compare_marks([], scar).level == "unknown"


def test_place_and_time() -> None:
    missing = date(2024, 1, 1)
    near = ft.compare_place_time("Tyler, TX", missing, date(2024, 1, 5), ["Tyler, TX"])
    assert near.level == "near"
    in_range = ft.compare_place_time("Tyler, TX", missing, date(2024, 2, 1), ["Dallas, TX"])
    assert in_range.level == "in_range" and "149 km" in in_range.explanation
    far_soon = ft.compare_place_time("Tyler, TX", missing, date(2024, 1, 3), ["Los Angeles, CA"])
    assert far_soon.level == "far"
    far_later = ft.compare_place_time("Tyler, TX", missing, date(2024, 6, 1), ["Los Angeles, CA"])
    assert far_later.level == "in_range"  # the allowed radius grows with time
    before = ft.compare_place_time("Tyler, TX", missing, date(2023, 12, 1), ["Tyler, TX"])
    assert before.level == "before"
    state_only = ft.compare_place_time("Tyler, TX", missing, date(2024, 1, 5), ["TX"])
    assert state_only.level == "in_range"  # a state is too vague to be "near"
    assert ft.compare_place_time(None, missing, date(2024, 1, 5), ["TX"]).level == "unknown"


def test_every_city_the_place_extractor_names_has_coordinates() -> None:
    from safelight.extract.gazetteer import gazetteer
    from safelight.missing.geo import locate

    # "DC" and "Washington DC" are aliases for a city that is also a "state": it was located
    # as the state (vague), so an ad in Washington never counted as near a poster from there
    assert locate("Washington, DC") is not None and locate("Washington, DC").radius_km == 0.0
    near = ft.compare_place_time(
        "Washington, DC", date(2024, 1, 1), date(2024, 1, 5), ["Washington, DC"]
    )
    assert near.level == "near"
    values = {c.value for cs in gazetteer().cities.values() for c in cs}
    vague = sorted(v for v in values if (p := locate(v)) is None or p.radius_km > 0)
    assert vague == []  # each is located as a city, not as its state


def test_photos_and_faces() -> None:
    h = "f0e1d2c3b4a59687"
    near = f"{int(h, 16) ^ 0b111:016x}"
    far = f"{int(h, 16) ^ 0xFFFF_FFFF:016x}"
    assert ft.compare_photos([h], [near]).level == "same"
    assert ft.compare_photos([h], [f"{int(h, 16) ^ 0xFF:016x}"]).level == "similar"
    assert ft.compare_photos([h], [far]).level == "different"
    assert ft.compare_photos([], [h]).level == "unknown"
    a = [0.0] * 128
    assert ft.compare_faces([a], [[0.01] * 128]).level == "same"
    assert ft.compare_faces([a], [[0.1] * 128]).level == "different"


def test_network_comparison_words_and_no_double_counting() -> None:
    from safelight.missing.features import Comparison, compare_network

    own = [Comparison("photo", "different", "x"), Comparison("name", "exact", "y")]
    lifted = compare_network(own, "photo", "phone", "+19035550123", "site 42", "N7")
    assert lifted.level == "photo"
    assert lifted.explanation == (
        "network: ad shares phone +19035550123 with ad site 42 whose photo matches the "
        "poster (network N7)"
    )
    assert compare_network(own, "name", "name", "Kandi", None, "N7").level == "unknown"


def test_shifted_age_says_why_in_words() -> None:
    adult = ft.compare_age((33, 33), [28])
    assert "5 years younger" in adult.explanation and "understate" in adult.explanation
    minor = ft.compare_age((15, 15), [21])
    assert "minors are advertised as adults" in minor.explanation
