"""The match model ranks true matches above decoys and explains every feature."""

from __future__ import annotations

import json
import math
from datetime import date

import pyarrow as pa
import pytest

from safelight.extract import extract_text
from safelight.missing.evidence import AdEvidence, Poster
from safelight.missing.model import LEAD_SCHEMA, MatchModel, ad_keys, candidate_pairs, match
from safelight.missing.records import person_from_dict

PHOTO = "c3a1e0f09b8d7264"


def _poster(**fields: object) -> Poster:
    person = person_from_dict({"date_missing": "2024-01-10", **fields})
    hashes = [PHOTO] if fields.get("photos") else []
    return Poster.from_person(person, photo_hashes=hashes)


def _ad(ad_id: str, when: date, text: str, photo: str | None = None) -> AdEvidence:
    found = dict(extract_text(text))
    ad = AdEvidence.from_matches(ad_id, when, text, found)
    if photo:
        ad = AdEvidence(ad.ad_id, ad.posted, ad.names, ad.ages, ad.places, (photo,), ad.descriptors)
    return ad


ASHLEY = {
    "case_id": "C1",
    "name": "Ashley Marie Doe",
    "dob": "2008-03-01",
    "missing_city": "Tyler",
    "missing_state": "TX",
    "height": "5'4",
    "weight": "115 lb",
    "hair": "blonde",
    "eyes": "blue",
    "marks": "butterfly tattoo on left wrist",
    "foster_care": "yes",
}
NOBODY = {
    "case_id": "C9",
    "name": "Rosalind Quist",
    "age_at_missing": "15",
    "missing_city": "Portland",
    "missing_state": "OR",
    "height": "170 cm",
    "hair": "red",
    "eyes": "green",
    "marks": "scar on chin",
}

ADS = [
    _ad(
        "true",
        date(2024, 3, 1),
        "New in Dallas! Ashlee 19yo blonde 5'4 120lbs blue eyes, "
        "cute butterfly tat. call 903-312-1887",
    ),
    _ad(
        "decoy-name",
        date(2024, 3, 1),
        "Ashley here, 27 yrs, brunette 5'9 160lbs brown eyes, Miami FL",
    ),
    _ad("decoy-look", date(2024, 3, 2), "Destiny 19 blonde 5'4 blue eyes in Houston TX"),
    _ad("decoy-place", date(2024, 3, 3), "Mia 24 ebony 5'1 black hair in Tyler TX"),
    _ad("before", date(2023, 12, 1), "Ashlee 19 blonde 5'4 blue eyes Tyler TX"),
]


def test_true_match_ranks_first_with_high_probability() -> None:
    leads = match([_poster(**ASHLEY)], ADS)
    assert leads[0].ad_id == "true"
    assert leads[0].match_probability > 0.9
    others = [lead for lead in leads[1:]]
    assert all(lead.match_probability < 0.2 for lead in others)
    assert "before" not in {lead.ad_id for lead in leads}  # ad before the disappearance


def test_every_feature_is_explained_in_words() -> None:
    [lead] = [lead for lead in match([_poster(**ASHLEY)], ADS) if lead.ad_id == "true"]
    by_feature = {c.feature: c for c in lead.contributions}
    assert set(by_feature) == {
        "name",
        "age",
        "height",
        "weight",
        "hair",
        "eyes",
        "marks",
        "place_time",
        "photo",
        "face",
    }
    assert by_feature["age"].level == "minor_as_adult"
    assert "stated age 19 is consistent with true age 16" in by_feature["age"].explanation
    assert by_feature["hair"].explanation == "hair: blonde vs blonde"
    assert by_feature["name"].level == "variant"
    assert by_feature["face"].bayes_factor == 1.0  # unknown weighs nothing
    weights = sum(c.weight for c in lead.contributions)
    prior = math.log2(1e-4 / (1 - 1e-4))
    assert lead.match_weight == pytest.approx(prior + weights)
    row = lead.to_row()
    assert pa.Table.from_pylist([row], schema=LEAD_SCHEMA).num_rows == 1
    assert json.loads(row["contributions"])[0]["explanation"]


def test_reused_poster_photo_matches_without_a_name() -> None:
    poster = _poster(**ASHLEY, photos="a.jpg")
    ad = _ad("photo", date(2024, 2, 1), "new girl in town 19yo text me", photo=PHOTO[:-1] + "5")
    [lead] = match([poster], [ad])
    assert lead.match_probability > 0.9
    assert {c.feature: c.level for c in lead.contributions}["photo"] == "same"


def test_poster_with_no_true_match_gets_low_probabilities() -> None:
    leads = match([_poster(**NOBODY)], ADS)
    assert all(lead.match_probability < 0.05 for lead in leads)


def test_blocking_keeps_name_photo_and_regional_age_pairs() -> None:
    poster = _poster(**ASHLEY)
    kept = {ad.ad_id for _, ad in candidate_pairs([poster], ADS)}
    assert {"true", "decoy-name", "decoy-look"} <= kept
    # "Mia" is no form of Ashley or Marie (though "May" sounds alike), and 24 is not 16
    assert "decoy-place" not in kept and "before" not in kept
    assert any(k.startswith("n:") for k in ad_keys(ADS[0]))
    far_old = _ad("old", date(2024, 3, 1), "Gina 45 mature lady in Dallas TX")
    assert not list(candidate_pairs([poster], [far_old]))  # stated 45 > true 16 + 6


def _background(n: int) -> list[AdEvidence]:
    """Unrelated ads, so that random pairs are (as in real data) almost all non-matches."""
    names = ["Mia", "Destiny", "Kandi", "Bella", "Star", "Nina", "Roxy", "Jade", "Luna", "Ivy"]
    hair = ["blonde", "brunette", "black hair", "red hair", "pink hair"]
    eyes = ["brown eyes", "blue eyes", "green eyes", "hazel eyes"]
    places = [
        "Houston TX",
        "Miami FL",
        "Atlanta GA",
        "Denver CO",
        "Portland OR",
        "Phoenix AZ",
        "Chicago IL",
        "Boston MA",
        "Seattle WA",
        "Newark NJ",
        "Reno NV",
        "Omaha NE",
        "Memphis TN",
        "Tampa FL",
        "Fresno CA",
        "Buffalo NY",
    ]
    out = []
    for i in range(n):
        text = (
            f"{names[i % 10]} {18 + i % 17}yo {hair[i % 5]} 5'{i % 10} {100 + i % 80}lbs "
            f"{eyes[i % 4]} in {places[i % 16]}"
        )
        out.append(_ad(f"bg{i}", date(2024, 1 + i % 12, 1 + i % 27), text))
    return out


def test_estimate_u_from_random_pairs_keeps_probabilities_valid() -> None:
    posters = [_poster(**ASHLEY), _poster(**NOBODY)]
    ads = ADS + _background(200)
    model = MatchModel.from_priors().with_prior(1 / len(ads))  # about one true ad per person
    model = model.estimate_u(posters, ads, max_pairs=2000)
    for levels in model.u.values():
        assert sum(levels.values()) == pytest.approx(1.0)
        assert all(0 < v < 1 for v in levels.values())
    leads = match(posters, ads, model)
    assert leads[0].case_id == "C1" and leads[0].ad_id == "true"
    assert leads[0].match_probability > 0.9
    assert all(lead.match_probability < 0.5 for lead in leads[1:])


def test_prior_is_settable() -> None:
    model = MatchModel.from_priors()
    assert model.with_prior(0.01).prior == 0.01
    with pytest.raises(ValueError):
        model.with_prior(0)


def test_location_field_places_an_ad_that_names_no_city() -> None:
    text = "new in town, sweet and discreet, call 903 555 0142"
    bare = AdEvidence.from_matches("a1", date(2024, 2, 1), text, dict(extract_text(text)))
    ad = AdEvidence.from_matches(
        "a1", date(2024, 2, 1), text, dict(extract_text(text)), location="Tyler TX"
    )
    assert bare.places == ("TX",)  # only the phone's area code
    assert ad.places == ("Tyler, TX", "TX")  # the location field first, area codes last
    poster = _poster(**ASHLEY)
    place = {c.feature: c.level for c in MatchModel.from_priors().score(poster, ad).contributions}
    assert place["place_time"] == "near"
    place = {c.feature: c.level for c in MatchModel.from_priors().score(poster, bare).contributions}
    assert place["place_time"] == "in_range"  # a state is too vague for "near"


def test_text_places_rank_before_the_location_field_and_phones_settle_ambiguous_names() -> None:
    text = "visiting Austin TX this week, call 417 555 0199"
    ad = AdEvidence.from_matches(
        "a2", date(2024, 2, 1), text, dict(extract_text(text)), location="Springfield"
    )
    assert ad.places[0] == "Austin, TX"
    assert "Springfield, MO" in ad.places  # a 417 number is in Missouri
    assert ad.places[-1] == "MO"  # the area code's region comes last
