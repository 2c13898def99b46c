"""Comparison functions: one poster field against what an ad says, as (level, words).

Each function returns a ``Comparison(feature, level, explanation)``. Level ``"unknown"``
means one side says nothing (it carries no weight in the model); every other level has an
m- and u-probability in ``data/model.yaml``. Explanations are for the analyst's lead page;
they contain names and descriptors, so they are never logged.

| feature | levels (strongest first) |
|---|---|
| name | exact, variant (spelling/sound: Ashley/Ashlee), nickname (Jessica/Jess), different |
| age | exact, minor_as_adult (true 14-17 advertised as 18-19), close (within 2y), shifted (a minor
  advertised as 20-22, an adult of 21+ advertised 3-7 years younger), inconsistent |
| height | close (<= 4 cm), near (<= 8 cm), different |
| weight | close (<= 10 lb), near (<= 25 lb), different |
| hair | same, similar (same family: brown/auburn), different (weak: hair is dyed) |
| eyes | same, different |
| marks | specific (same kind and motif or place), kind (both have e.g. a tattoo), different |
| place_time | near (<= 80 km), in_range (within the distance reachable since), far, before |
| photo | same (pHash Hamming <= 6), similar (<= 10), different |
| face | same (128-d distance < 0.5), similar (< 0.6), different |
| network | photo (a tied ad carries a poster photo), name (a tied ad uses a poster name) |

``network`` is the network's circuit: an ad tied to an "anchor" ad (same phone, same photo, or
the same name within one network of the link stage) whose own photo or name matches the poster
inherits that evidence; ``compare_network`` words it. It is only evaluated for tied ads (all
other pairs: unknown) and only when the ad itself lacks that evidence, so nothing counts twice.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

import jellyfish
from rapidfuzz.distance import JaroWinkler

from safelight.extract.images import hash_distance
from safelight.missing.descriptors import vocabulary
from safelight.missing.geo import distance_km, locate

__all__ = [
    "UNKNOWN",
    "Comparison",
    "age_range_at",
    "compare_age",
    "compare_eyes",
    "compare_faces",
    "compare_hair",
    "compare_height",
    "compare_marks",
    "compare_names",
    "compare_network",
    "compare_photos",
    "compare_place_time",
    "compare_weight",
    "name_key",
    "name_variants",
    "reach_km",
]

UNKNOWN = "unknown"
NEAR_KM = 80.0  # one metro area
REACH_BASE_KM = 80.0
REACH_KM_PER_DAY = 25.0  # allowed radius grows with days since the disappearance


@dataclass(frozen=True, slots=True)
class Comparison:
    feature: str
    level: str
    explanation: str


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Lower case, accents and non-letters removed."""
    text = unicodedata.normalize("NFKD", name)
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


@cache
def _namer() -> Any:
    from nicknames import NickNamer

    return NickNamer()


@cache
def name_variants(name: str) -> frozenset[str]:
    """The name, its nicknames and the formal names it is a nickname of (name keys)."""
    key = name_key(name)
    namer = _namer()
    out = {key} | set(namer.nicknames_of(key)) | set(namer.canonicals_of(key))
    for canonical in namer.canonicals_of(key):
        out |= set(namer.nicknames_of(canonical))
    return frozenset(name_key(n) for n in out if n)


def _sounds_alike(a: str, b: str) -> bool:
    return jellyfish.metaphone(a) == jellyfish.metaphone(b) or (
        jellyfish.nysiis(a) == jellyfish.nysiis(b) and a[:1] == b[:1]
    )


def compare_names(poster_names: Sequence[str], ad_names: Sequence[str]) -> Comparison:
    if not poster_names or not ad_names:
        return Comparison("name", UNKNOWN, "name: the ad gives no name")
    best: tuple[int, str] = (9, "")
    for p in poster_names:
        pk = name_key(p)
        for a in ad_names:
            ak = name_key(a)
            if not pk or not ak:
                continue
            if pk == ak:
                found = (0, f"name: ad name '{a}' is the poster name '{p}'")
            elif _sounds_alike(pk, ak) or (
                min(len(pk), len(ak)) >= 4 and JaroWinkler.similarity(pk, ak) >= 0.92
            ):
                found = (1, f"name: ad name '{a}' is a spelling variant of '{p}'")
            elif ak in name_variants(pk) or pk in name_variants(ak):
                found = (2, f"name: ad name '{a}' is a nickname or formal form of '{p}'")
            else:
                continue
            best = min(best, found)
    if best[0] == 9:
        shown = ", ".join(f"'{a}'" for a in ad_names[:3])
        return Comparison(
            "name",
            "different",
            f"name: ad names {shown} match no poster name or alias "
            "(ads often use new aliases: weak evidence)",
        )
    return Comparison("name", ("exact", "variant", "nickname")[best[0]], best[1])


def _birthday_shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _years(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def age_range_at(
    dob: date | None, age_at_missing: int | None, date_missing: date, when: date
) -> tuple[int, int] | None:
    """The person's true age on ``when``: exact from a date of birth; from an age at
    disappearance, the range the unknown birthday allows."""
    if dob is not None:
        age = _years(dob, when)
        return age, age
    if age_at_missing is None:
        return None
    latest_birth = _birthday_shift(date_missing, age_at_missing)
    earliest_birth = date.fromordinal(
        _birthday_shift(date_missing, age_at_missing + 1).toordinal() + 1
    )
    return _years(latest_birth, when), _years(earliest_birth, when)


def _age_words(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def compare_age(true_age: tuple[int, int] | None, claimed: Sequence[int]) -> Comparison:
    if true_age is None or not claimed:
        return Comparison("age", UNKNOWN, "age: no stated age or no known age on the poster")
    low, high = true_age
    true = _age_words(low, high)
    for c in claimed:
        if low <= c <= high:
            return Comparison(
                "age", "exact", f"age: stated age {c} equals true age {true} at ad date"
            )
    for c in claimed:
        if 18 <= c <= 19 and high <= 17 and high >= 14:
            return Comparison(
                "age",
                "minor_as_adult",
                f"age: stated age {c} is consistent with true age {true} at ad "
                "date (minors are commonly advertised as 18-19)",
            )
    gap, c = min((max(low - c, c - high), c) for c in claimed)
    if gap <= 2:
        return Comparison(
            "age", "close", f"age: stated age {c} is within {gap} years of true age {true}"
        )
    for s in claimed:
        if 14 <= high <= 17 and 20 <= s <= 22:
            return Comparison(
                "age", "shifted", f"age: stated age {s} for a true age of {true} at ad date "
                "(minors are advertised as adults)"
            )  # fmt: skip
        if low >= 21 and s >= 18 and low - 7 <= s <= low - 3:
            return Comparison(
                "age", "shifted", f"age: stated age {s} is {low - s} years younger than the "
                f"true age {true} at ad date (ads often understate age)"
            )  # fmt: skip
    return Comparison(
        "age", "inconsistent", f"age: stated age {c} is {gap} years from true age {true} at ad date"
    )


def compare_height(
    poster_cm: float | None, ad_cm: Sequence[float], growth_cm: float = 0.0
) -> Comparison:
    """``growth_cm``: how much taller a child may have grown since the poster was made."""
    if poster_cm is None or not ad_cm:
        return Comparison("height", UNKNOWN, "height: not stated on both sides")

    def gap(h: float) -> float:
        return max(0.0, poster_cm - h, h - poster_cm - growth_cm)

    best = min(ad_cm, key=gap)
    d = gap(best)
    words = f"height: ad {best:.0f} cm vs poster {poster_cm:.0f} cm"
    if growth_cm:
        words += f" (allowing {growth_cm:.0f} cm of growth)"
    level = "close" if d <= 4 else "near" if d <= 8 else "different"
    return Comparison("height", level, f"{words}: {d:.0f} cm apart")


def compare_weight(poster_lb: float | None, ad_lb: Sequence[float]) -> Comparison:
    if poster_lb is None or not ad_lb:
        return Comparison("weight", UNKNOWN, "weight: not stated on both sides")
    best = min(ad_lb, key=lambda w: abs(w - poster_lb))
    d = abs(best - poster_lb)
    level = "close" if d <= 10 else "near" if d <= 25 else "different"
    return Comparison(
        "weight", level, f"weight: ad {best:.0f} lb vs poster {poster_lb:.0f} lb: {d:.0f} lb apart"
    )


def compare_hair(poster: str | None, ad: Sequence[str]) -> Comparison:
    if not poster or not ad:
        return Comparison("hair", UNKNOWN, "hair: not stated on both sides")
    family = vocabulary().hair_family
    if poster in ad:
        return Comparison("hair", "same", f"hair: {poster} vs {poster}")
    for a in ad:
        if family.get(a) is not None and family.get(a) == family.get(poster):
            return Comparison("hair", "similar", f"hair: {a} vs {poster} (similar colours)")
    return Comparison(
        "hair",
        "different",
        f"hair: {ad[0]} in the ad vs {poster} on the poster (hair is easily dyed: weak evidence)",
    )


def compare_eyes(poster: str | None, ad: Sequence[str]) -> Comparison:
    if not poster or not ad:
        return Comparison("eyes", UNKNOWN, "eyes: not stated on both sides")
    if poster in ad:
        return Comparison("eyes", "same", f"eyes: {poster} vs {poster}")
    return Comparison("eyes", "different", f"eyes: {ad[0]} in the ad vs {poster} on the poster")


def _mark_words(mark: dict[str, Any]) -> str:
    where = " ".join(w for w in (mark.get("side"), mark.get("location")) if w)
    what = " ".join(w for w in (mark.get("motif"), mark["kind"]) if w)
    return f"{what} on {where}" if where else what


def compare_marks(poster: Sequence[dict[str, Any]], ad: Sequence[dict[str, Any]]) -> Comparison:
    if not poster or not ad:
        return Comparison("marks", UNKNOWN, "marks: not described on both sides")
    kind_match = None
    for p in poster:
        for a in ad:
            if p["kind"] != a["kind"]:
                continue
            same = [k for k in ("motif", "location") if p.get(k) and p.get(k) == a.get(k)]
            clash = [
                k for k in ("motif", "location") if p.get(k) and a.get(k) and p.get(k) != a.get(k)
            ]
            if same and not clash:
                return Comparison(
                    "marks",
                    "specific",
                    f"marks: {_mark_words(a)} in the ad, {_mark_words(p)} on the poster",
                )
            kind_match = kind_match or (p, a)
    if kind_match:
        p, a = kind_match
        return Comparison(
            "marks",
            "kind",
            f"marks: {_mark_words(a)} in the ad, {_mark_words(p)} on the poster "
            "(same kind of mark only)",
        )
    return Comparison(
        "marks",
        "different",
        f"marks: {_mark_words(ad[0])} in the ad, poster lists "
        f"{_mark_words(poster[0])} (marks may be new: weak evidence)",
    )


def reach_km(days: int) -> float:
    return REACH_BASE_KM + REACH_KM_PER_DAY * max(days, 0)


def compare_place_time(
    missing_place: str | None, date_missing: date, posted: date | None, ad_places: Sequence[str]
) -> Comparison:
    if posted is None:
        return Comparison("place_time", UNKNOWN, "place and time: the ad has no date")
    days = (posted - date_missing).days
    if days < 0:
        return Comparison(
            "place_time", "before", f"time: ad posted {-days} days before the disappearance"
        )
    origin = locate(missing_place)
    points = [(p, locate(p)) for p in ad_places]
    known = [(p, pt) for p, pt in points if pt is not None]
    if origin is None or not known:
        return Comparison(
            "place_time",
            UNKNOWN,
            f"place: unknown on one side; ad posted {days} days after disappearance",
        )
    precise = [(p, pt) for p, pt in known if pt.radius_km == 0.0]
    place, dist = min(
        ((p, distance_km(origin, pt)) for p, pt in precise or known), key=lambda x: x[1]
    )
    vague = not precise or origin.radius_km > 0
    reach = reach_km(days)
    words = (
        f"place: ad in {place} is {dist:.0f} km from {missing_place}, {days} days after "
        "the disappearance"
    )
    if dist <= NEAR_KM and not vague:
        return Comparison("place_time", "near", f"{words} (same area)")
    if dist <= max(reach, NEAR_KM):
        return Comparison(
            "place_time", "in_range", f"{words} (within the {reach:.0f} km reachable in that time)"
        )
    return Comparison(
        "place_time",
        "far",
        f"{words} (beyond the {reach:.0f} km expected; people are moved far: weak evidence)",
    )


def compare_photos(poster: Sequence[str], ad: Sequence[str]) -> Comparison:
    if not poster or not ad:
        return Comparison("photo", UNKNOWN, "photo: no hashed photo on both sides")
    d = min(hash_distance(p, a) for p in poster for a in ad)
    if d <= 6:
        return Comparison(
            "photo", "same", f"photo: a poster photo is reused in the ad (pHash distance {d} of 64)"
        )
    if d <= 10:
        return Comparison(
            "photo",
            "similar",
            f"photo: a poster photo nearly matches an ad photo (pHash distance {d})",
        )
    return Comparison(
        "photo",
        "different",
        f"photo: no poster photo reused (closest pHash distance {d}; ads use new "
        "photos: weak evidence)",
    )


def compare_faces(poster: Sequence[Sequence[float]], ad: Sequence[Sequence[float]]) -> Comparison:
    if not poster or not ad:
        return Comparison("face", UNKNOWN, "face: no face found on both sides (or faces off)")
    d = min(math.dist(p, a) for p in poster for a in ad)
    level = "same" if d < 0.5 else "similar" if d < 0.6 else "different"
    words = {"same": "very similar faces", "similar": "similar faces", "different": "faces differ"}[
        level
    ]
    return Comparison("face", level, f"face: {words} (embedding distance {d:.2f}; cut-off 0.6)")


_VIA_WORDS = {"phone": "phone", "image": "a photo", "name": "the name"}


def compare_network(
    own: Sequence[Comparison],
    kind: str,
    via: str,
    value: str,
    anchor_post: str | None,
    network_id: str | None,
) -> Comparison:
    """The ``network`` level of an ad tied to an anchor ad with strong ``kind`` evidence
    (``"photo"`` or ``"name"``) through ``via`` (``phone``/``image``/``name``) = ``value``;
    ``own``: the ad's own comparisons (unknown when it already carries that evidence)."""
    levels = {c.feature: c.level for c in own}
    strong = {"photo": ("same", "similar"), "name": ("exact", "variant")}[kind]
    if levels.get(kind) in strong:
        return Comparison("network", UNKNOWN, f"network: the ad's own {kind} already matches")
    shown = value if via != "image" else f"pHash {value}"
    what = "photo matches" if kind == "photo" else "name matches"
    where = f" (network {network_id})" if network_id else ""
    other = f"ad {anchor_post}" if anchor_post else "an ad"
    return Comparison(
        "network",
        kind,
        f"network: ad shares {_VIA_WORDS.get(via, via)} {shown} with {other} whose {what} "
        f"the poster{where}",
    )
