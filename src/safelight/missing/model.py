"""The match model: Fellegi-Sunter over the comparisons of ``features.py``.

For a (poster, ad) pair every feature gives a level; the level's Bayes factor is
``m / u`` (``data/model.yaml``), its weight ``log2(m / u)``; the match weight is
``log2(prior / (1 - prior))`` plus the weights, and the match probability is
``2**w / (1 + 2**w)`` — exactly splink's arithmetic, so each lead is explained by its
contributions. ``"unknown"`` levels weigh nothing.

Parameters: m from documented priors (no labelled pairs exist); u re-estimated from the data by
random sampling of poster x ad pairs (``estimate_u``; splink's
``estimate_u_using_random_sampling``), smoothed towards the prior.

Blocking (``candidate_pairs``) never compares an ad posted before the disappearance, and keeps
a pair when the ad has a name at level exact, variant or nickname for the poster (any name, alias
or nickname variant), or a photo within pHash distance 10 of a poster photo (the store finds
them all: 4 bands of 16 bits, each keyed with its variants of up to 2 flipped bits), or -- two
weak keys together -- a census division and a stated age at age level exact, minor_as_adult or
close (within 2 years of the true age at the ad's date, or 18-19 for a true age of 14-17). A
"shifted" age is too common a claim to block on across a division, so it blocks only in the
poster's own area (place level "near": a precise place within 80 km of where they went
missing); or -- anywhere -- height and weight both at level "close" with a stated age that is
not "inconsistent" (or none): a person moved far, renamed, in new photos. The store's SQL first pass
(``Store.missing.evidence.first_pass``) applies this rule to every pair at scale; the pure-Python
``candidate_pairs`` below is its reference (tests compare the two).
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import jellyfish
import pyarrow as pa
import yaml

from safelight.missing import features as ft
from safelight.missing.evidence import AdEvidence, Poster
from safelight.missing.geo import region

__all__ = [
    "LEAD_SCHEMA",
    "Contribution",
    "Lead",
    "MatchModel",
    "ad_keys",
    "blocked",
    "candidate_pairs",
    "compare",
    "match",
    "poster_keys",
]

LEAD_SCHEMA = pa.schema(
    [
        ("case_id", pa.string()),
        ("ad_id", pa.string()),
        ("match_probability", pa.float64()),
        ("match_weight", pa.float64()),
        ("contributions", pa.string()),  # JSON list of Contribution dicts, strongest first
    ]
)
_BANDS = 8


@dataclass(frozen=True, slots=True)
class Contribution:
    feature: str
    level: str
    bayes_factor: float
    weight: float  # log2 of the Bayes factor ("points")
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "level": self.level,
            "bayes_factor": round(self.bayes_factor, 4),
            "weight": round(self.weight, 3),
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Lead:
    case_id: str
    ad_id: str
    match_probability: float
    match_weight: float
    contributions: tuple[Contribution, ...]

    def to_row(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "ad_id": self.ad_id,
            "match_probability": self.match_probability,
            "match_weight": self.match_weight,
            "contributions": json.dumps(
                [c.to_dict() for c in self.contributions], ensure_ascii=False
            ),
        }


def compare(poster: Poster, ad: AdEvidence) -> tuple[ft.Comparison, ...]:
    """Every feature's comparison for one pair."""
    person = poster.person
    when = ad.posted
    true_age = (
        ft.age_range_at(person.dob, person.age_at_missing, person.date_missing, when)
        if when
        else None
    )
    growth = 0.0
    age_then = person.known_age_at_missing
    if when and age_then is not None and age_then < 16:
        growth = min(15.0, 6.0 * max(0, (when - person.date_missing).days) / 365.25)
    return (
        ft.compare_names(poster.given_names, ad.names),
        ft.compare_age(true_age, ad.ages),
        ft.compare_height(person.height_cm, ad.values("height"), growth),
        ft.compare_weight(person.weight_lb, ad.values("weight")),
        ft.compare_hair(person.hair, ad.values("hair")),
        ft.compare_eyes(person.eyes, ad.values("eyes")),
        ft.compare_marks(poster.marks, ad.values("mark")),
        ft.compare_place_time(poster.place, person.date_missing, when, ad.places),
        ft.compare_photos(poster.photo_hashes, ad.photo_hashes),
        ft.compare_faces(poster.faces, ad.faces),
    )


@cache
def _priors() -> dict[str, Any]:
    text = resources.files("safelight.missing").joinpath("data/model.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@dataclass(frozen=True, slots=True)
class MatchModel:
    prior: float
    m: Mapping[str, Mapping[str, float]]
    u: Mapping[str, Mapping[str, float]]

    @classmethod
    def from_priors(cls, data: Mapping[str, Any] | None = None) -> MatchModel:
        data = data or _priors()
        levels = data["features"]
        return cls(
            prior=float(data["prior_match_probability"]["value"]),
            m={f: {lv: float(p["m"]) for lv, p in e["levels"].items()} for f, e in levels.items()},
            u={f: {lv: float(p["u"]) for lv, p in e["levels"].items()} for f, e in levels.items()},
        )

    def with_prior(self, prior: float) -> MatchModel:
        if not 0 < prior < 1:
            raise ValueError("prior must be in (0, 1)")
        return replace(self, prior=prior)

    def bayes_factor(self, feature: str, level: str) -> float:
        if level == ft.UNKNOWN:
            return 1.0
        return self.m[feature][level] / self.u[feature][level]

    def score(
        self,
        poster: Poster,
        ad: AdEvidence,
        extra: Sequence[ft.Comparison] = (),
        *,
        comparisons: Sequence[ft.Comparison] | None = None,
    ) -> Lead:
        """The pair's lead; ``extra``: comparisons made outside ``compare`` (the network
        feature, which needs the other ads of the corpus); ``comparisons``: ``compare``'s
        output when the caller already has it."""
        contributions = []
        weight = math.log2(self.prior / (1 - self.prior))
        own = compare(poster, ad) if comparisons is None else comparisons
        for c in (*own, *extra):
            bf = self.bayes_factor(c.feature, c.level)
            contributions.append(Contribution(c.feature, c.level, bf, math.log2(bf), c.explanation))
            weight += math.log2(bf)
        contributions.sort(key=lambda c: -abs(c.weight))
        probability = 1.0 / (1.0 + 2.0**-weight) if weight > -1000 else 0.0
        return Lead(poster.person.case_id, ad.ad_id, probability, weight, tuple(contributions))

    def estimate_u(
        self,
        posters: Sequence[Poster],
        ads: Sequence[AdEvidence],
        *,
        max_pairs: int = 20_000,
        seed: int = 0,
        strength: float = 200.0,
    ) -> MatchModel:
        """u from random (poster, ad) pairs — almost all non-matches — smoothed towards the
        prior with ``strength`` pseudo-pairs; levels never seen keep a floor."""
        if not posters or not ads:
            return self
        rng = random.Random(seed)
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for _ in range(max_pairs):
            for c in compare(rng.choice(posters), rng.choice(ads)):
                if c.level != ft.UNKNOWN:
                    counts[c.feature][c.level] += 1
        u: dict[str, dict[str, float]] = {}
        for feature, prior_u in self.u.items():
            seen = counts.get(feature, {})
            if not seen:  # not sampled here (the network feature): keep the prior
                u[feature] = dict(prior_u)
                continue
            total = sum(seen.values())
            raw = {
                lv: (seen.get(lv, 0) + strength * p) / (total + strength)
                for lv, p in prior_u.items()
            }
            floor = {lv: max(v, prior_u[lv] * 0.5) for lv, v in raw.items()}
            norm = sum(floor.values())
            u[feature] = {lv: v / norm for lv, v in floor.items()}
        return replace(self, u=u)


def _phonetic_keys(names: Iterable[str]) -> set[str]:
    keys = set()
    for name in names:
        for variant in ft.name_variants(name) | {ft.name_key(name)}:
            if variant:
                keys.add("n:" + jellyfish.metaphone(variant))
    return keys


def _bands(hashes: Iterable[str]) -> set[str]:
    return {f"p:{i}:{h[2 * i : 2 * i + 2]}" for h in hashes for i in range(_BANDS) if len(h) == 16}


def poster_keys(poster: Poster) -> set[str]:
    keys = _phonetic_keys(poster.given_names) | _bands(poster.photo_hashes)
    division = region((poster.place or "").rpartition(",")[2].strip() or None)
    if division:
        keys.add("r:" + division)
    return keys


def ad_keys(ad: AdEvidence) -> set[str]:
    keys = _phonetic_keys(ad.names) | _bands(ad.photo_hashes)
    for place in ad.places:
        division = region(place.rpartition(",")[2].strip())
        if division:
            keys.add("r:" + division)
    return keys


def _age_allows(poster: Poster, ad: AdEvidence) -> bool:
    """The region block's age rule: exact, minor_as_adult or close anywhere in the division;
    shifted only in the poster's own area (place level "near")."""
    p = poster.person
    if not ad.ages or ad.posted is None:
        return False
    true_age = ft.age_range_at(p.dob, p.age_at_missing, p.date_missing, ad.posted)
    if true_age is None:
        return True
    level = ft.compare_age(true_age, ad.ages).level
    if level == "shifted":
        place = ft.compare_place_time(poster.place, p.date_missing, ad.posted, ad.places)
        return place.level == "near"
    return level in ("exact", "minor_as_adult", "close")


def blocked(poster: Poster, ad: AdEvidence) -> bool:
    """Does blocking keep this pair? (See the module docstring.)"""
    if ad.posted is not None and ad.posted < poster.person.date_missing:
        return False
    if ft.compare_names(poster.given_names, ad.names).level in ("exact", "variant", "nickname"):
        return True
    mine = {h for h in poster.photo_hashes if len(h) == 16}
    theirs = {h for h in ad.photo_hashes if len(h) == 16}
    if _bands(mine) & _bands(theirs) and ft.compare_photos(sorted(mine), sorted(theirs)).level in (
        "same",
        "similar",
    ):
        return True
    division = region((poster.place or "").rpartition(",")[2].strip() or None)
    divisions = {region(p.rpartition(",")[2].strip()) for p in ad.places}
    if division is not None and division in divisions and _age_allows(poster, ad):
        return True
    return _descriptors_close(poster, ad)


def _descriptors_close(poster: Poster, ad: AdEvidence) -> bool:
    """The descriptor block, anywhere: height and weight both "close" and a stated age that
    is not "inconsistent" (or none) -- a person moved far and renamed, in new photos."""
    if ad.posted is None or not ad.values("height") or not ad.values("weight"):
        return False
    levels = {c.feature: c.level for c in compare(poster, ad)}
    return (
        levels["height"] == "close" and levels["weight"] == "close"
        and levels["age"] != "inconsistent"
    )  # fmt: skip


def candidate_pairs(
    posters: Sequence[Poster], ads: Sequence[AdEvidence]
) -> Iterator[tuple[Poster, AdEvidence]]:
    """The pairs blocking keeps, each once (every pair is tested: a reference, not for scale)."""
    for poster in posters:
        for ad in ads:
            if blocked(poster, ad):
                yield poster, ad


def match(
    posters: Sequence[Poster],
    ads: Sequence[AdEvidence],
    model: MatchModel | None = None,
    *,
    min_probability: float = 0.0,
) -> list[Lead]:
    """Leads for the blocked pairs, most probable first."""
    model = model or MatchModel.from_priors()
    leads = [model.score(p, a) for p, a in candidate_pairs(posters, ads)]
    leads = [lead for lead in leads if lead.match_probability >= min_probability]
    return sorted(leads, key=lambda lead: (-lead.match_weight, lead.case_id, lead.ad_id))
