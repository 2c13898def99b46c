"""The SQL of the missing-person first pass: each level of ``safelight.missing.features`` as a
DuckDB expression, summed into the pair's weight (``score_expression``), and the derived columns
and CTE pieces ``store/missing_evidence.py`` assembles its queries from.

The expressions must agree with the Python comparison level for level (tests/missing/
test_firstpass.py checks every pair of a corpus); where floats meet a level boundary (distances,
heights, weights) the level is read at d - eps and d + eps and the larger weight taken, so the
SQL score is never below the Python weight. Numbers are DOUBLE literals (a bare ``1.5`` is a
DECIMAL in DuckDB). Most ads state one age, height, weight and place: those take a scalar path,
lists take lambdas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "AD_COLS",
    "AGE_OK",
    "EPS",
    "EXACT_PHOTO",
    "OVER_10",
    "POSTERS_AND_ADS",
    "POSTER_COLS",
    "PREPARED",
    "score_expression",
]

EPS_KM = 0.01  # float slack at level boundaries: the first pass never scores below Python
EPS = 1e-6


def _shifted(a: str) -> str:
    """``features.compare_age``'s "shifted": a minor advertised as 20-22, or an adult of 21+
    advertised 3-7 years younger."""
    return (
        f"((age_hi BETWEEN 14 AND 17 AND {a} BETWEEN 20 AND 22) OR "
        f"(age_lo >= 21 AND {a} >= 18 AND {a} BETWEEN age_lo - 7 AND age_lo - 3))"
    )


def _double(x: float) -> str:
    """A DOUBLE literal (a bare ``1.5`` is a DECIMAL in DuckDB)."""
    return f"CAST('{float(x)!r}' AS DOUBLE)"


def _w(weights: Mapping[str, Mapping[str, float]], feature: str, level: str) -> str:
    return _double(weights[feature][level])


def _cut(weights: Mapping[str, Mapping[str, float]], feature: str, d: str,
         cuts: Sequence[tuple[str, str]], last: str, eps: float) -> str:  # fmt: skip
    """The level weight of distance ``d`` under ``cuts`` (level, bound), read at d - eps and
    d + eps and the larger taken, so float noise never lowers the score."""

    def at(x: str) -> str:
        whens = " ".join(f"WHEN {x} <= {b} THEN {_w(weights, feature, lv)}" for lv, b in cuts)
        return f"CASE {whens} ELSE {_w(weights, feature, last)} END"

    return f"greatest({at(f'({d}) - {eps}')}, {at(f'({d}) + {eps}')})"


def score_expression(
    weights: Mapping[str, Mapping[str, float]],
    prior_weight: float,
    only: Iterable[str] | None = None,
) -> str:
    """The summed log2 Bayes factors of the SQL-computable features over the columns of
    ``_cand`` (see ``PREPARED``): name, age, height, weight, hair, eyes, marks, place_time,
    photo (``only``: some of them, to time them). Must agree with
    ``safelight.missing.features`` level for level."""
    w = weights
    name = (
        "CASE WHEN NOT has_names OR len(names) = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN rank = 0 THEN {_w(w, 'name', 'exact')} "
        f"WHEN rank = 1 THEN {_w(w, 'name', 'variant')} "
        f"WHEN rank = 2 THEN {_w(w, 'name', 'nickname')} ELSE {_w(w, 'name', 'different')} END"
    )
    one_age = (
        f"CASE WHEN ages[1] BETWEEN age_lo AND age_hi THEN {_w(w, 'age', 'exact')} "
        "WHEN age_hi BETWEEN 14 AND 17 AND ages[1] BETWEEN 18 AND 19 "
        f"THEN {_w(w, 'age', 'minor_as_adult')} "
        f"WHEN greatest(age_lo - ages[1], ages[1] - age_hi) <= 2 THEN {_w(w, 'age', 'close')} "
        f"WHEN {_shifted('ages[1]')} THEN {_w(w, 'age', 'shifted')} "
        f"ELSE {_w(w, 'age', 'inconsistent')} END"
    )
    age = (
        "CASE WHEN posted IS NULL OR b_late IS NULL OR len(ages) = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN len(ages) = 1 THEN {one_age} "
        "WHEN len(list_filter(ages, lambda a: a BETWEEN age_lo AND age_hi)) > 0 "
        f"THEN {_w(w, 'age', 'exact')} "
        "WHEN age_hi BETWEEN 14 AND 17 AND len(list_filter(ages, lambda a: a BETWEEN 18 AND 19)) "
        f"> 0 THEN {_w(w, 'age', 'minor_as_adult')} "
        "WHEN list_min(list_transform(ages, lambda a: greatest(age_lo - a, a - age_hi))) <= 2 "
        f"THEN {_w(w, 'age', 'close')} "
        f"WHEN len(list_filter(ages, lambda a: {_shifted('a')})) > 0 "
        f"THEN {_w(w, 'age', 'shifted')} ELSE {_w(w, 'age', 'inconsistent')} END"
    )
    height = (
        "CASE WHEN p_height IS NULL OR len(heights) = 0 THEN CAST(0 AS DOUBLE) ELSE "
        + _cut(w, "height", "height_d", [("close", "4"), ("near", "8")], "different", EPS)
        + " END"
    )
    weight = (
        "CASE WHEN p_weight IS NULL OR len(weights) = 0 THEN CAST(0 AS DOUBLE) ELSE "
        + _cut(w, "weight", "weight_d", [("close", "10"), ("near", "25")], "different", EPS)
        + " END"
    )
    hair = (
        "CASE WHEN coalesce(p_hair, '') = '' OR len(hair) = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN list_contains(hair, p_hair) THEN {_w(w, 'hair', 'same')} "
        "WHEN p_hair_family IS NOT NULL AND list_contains(hair_families, p_hair_family) "
        f"THEN {_w(w, 'hair', 'similar')} ELSE {_w(w, 'hair', 'different')} END"
    )
    eyes = (
        "CASE WHEN coalesce(p_eyes, '') = '' OR len(eyes) = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN list_contains(eyes, p_eyes) THEN {_w(w, 'eyes', 'same')} "
        f"ELSE {_w(w, 'eyes', 'different')} END"
    )
    specific = (
        "len(list_filter(marks, lambda a: len(list_filter(p_marks, lambda m: m.kind = a.kind "
        "AND ((m.motif IS NOT NULL AND m.motif = a.motif) OR "
        "(m.location IS NOT NULL AND m.location = a.location)) "
        "AND NOT coalesce(m.motif <> a.motif, false) "
        "AND NOT coalesce(m.location <> a.location, false))) > 0)) > 0"
    )
    marks = (
        "CASE WHEN len(p_marks) = 0 OR len(marks) = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN {specific} THEN {_w(w, 'marks', 'specific')} "
        "WHEN len(list_filter(marks, lambda a: list_contains(p_mark_kinds, a.kind))) > 0 "
        f"THEN {_w(w, 'marks', 'kind')} ELSE {_w(w, 'marks', 'different')} END"
    )
    near, in_range, far = (_w(w, "place_time", lv) for lv in ("near", "in_range", "far"))

    def place_at(d: str) -> str:
        return (
            f"CASE WHEN {d} <= 80 AND NOT vague THEN {near} "
            f"WHEN {d} <= greatest(80.0 + 25.0 * greatest(days, 0), 80.0) THEN {in_range} "
            f"ELSE {far} END"
        )

    place = (
        "CASE WHEN posted IS NULL THEN CAST(0 AS DOUBLE) "
        f"WHEN days < 0 THEN {_w(w, 'place_time', 'before')} "
        "WHEN o_x IS NULL OR place_d IS NULL THEN CAST(0 AS DOUBLE) "
        f"ELSE greatest({place_at(f'place_d - {EPS_KM}')}, {place_at(f'place_d + {EPS_KM}')}) END"
    )
    photo = (
        "CASE WHEN photo_d IS NULL THEN CAST(0 AS DOUBLE) "
        f"WHEN photo_d <= 6 THEN {_w(w, 'photo', 'same')} "
        f"WHEN photo_d <= 10 THEN {_w(w, 'photo', 'similar')} "
        f"ELSE {_w(w, 'photo', 'different')} END"
    )
    parts = {"name": name, "age": age, "height": height, "weight": weight, "hair": hair,
             "eyes": eyes, "marks": marks, "place_time": place, "photo": photo}  # fmt: skip
    chosen = [v for k, v in parts.items() if only is None or k in only]
    return f"{_double(prior_weight)} + " + " + ".join(f"({p})" for p in chosen)


def _years(birth: str) -> str:
    return (
        f"(year(posted) - year({birth}) - CASE WHEN month(posted) * 100 + day(posted) < "
        f"month({birth}) * 100 + day({birth}) THEN 1 ELSE 0 END)"
    )


def _dist(q: str) -> str:
    """``distance_km`` from the poster's origin to point ``q`` (a struct of unit vector and
    radius): the great circle from the chord, equal to the haversine up to float noise (the
    levels are read with ``EPS_KM`` of slack)."""
    return (
        f"greatest(0.0, 2 * 6371.0088 * asin(least(1.0, sqrt(({q}.x - o_x) * ({q}.x - o_x) "
        f"+ ({q}.y - o_y) * ({q}.y - o_y) + ({q}.z - o_z) * ({q}.z - o_z)) / 2)) "
        f"- o_radius - {q}.radius)"
    )


def _one_or_many(values: str, one: str, many: str) -> str:
    """``one`` (over ``{values}[1]``) for a single value, else ``many`` (a list lambda): most ads
    state one age, one height, one place, and list lambdas cost more."""
    return f"CASE WHEN len({values}) = 1 THEN {one} WHEN len({values}) > 1 THEN {many} END"


_GROWTH = (
    "CASE WHEN posted IS NOT NULL AND young "
    "THEN least(15.0, 6.0::DOUBLE * greatest(posted - date_missing, 0) / 365.25::DOUBLE) "
    "ELSE CAST(0 AS DOUBLE) END"
)
# _pairs0: case_id, ad_id, rank (name level, 9: none), photo_d (pHash distance; 99: over 10)
# joined with the ad's evidence (e.*) and the poster (p.*): the derived columns every level needs.
PREPARED = f"""
_aged AS (
    SELECT *, {_years("b_late")} AS age_lo, {_years("b_early")} AS age_hi FROM _pairs0
),
_kept AS (  -- the region block's age rule, before any costly column is computed
    SELECT * FROM _aged WHERE rank < 9 OR photo_d <= 10 OR {{age_ok}}
),
_cand AS (
    SELECT *, posted - date_missing AS days,
           {
    _one_or_many(
        "heights",
        f"greatest(0.0, p_height - heights[1], heights[1] - p_height - {_GROWTH})",
        f"list_min(list_transform(heights, lambda h: greatest(0.0, p_height - h, "
        f"h - p_height - {_GROWTH})))",
    )
} AS height_d,
           {
    _one_or_many(
        "weights",
        "abs(weights[1] - p_weight)",
        "list_min(list_transform(weights, lambda x: abs(x - p_weight)))",
    )
} AS weight_d,
           len(ppoints) = 0 OR o_radius > 0 AS vague,
           CASE WHEN len(ppoints) > 0 THEN {
    _one_or_many(
        "ppoints", _dist("ppoints[1]"), f"list_min(list_transform(ppoints, lambda q: {_dist('q')}))"
    )
}
                ELSE {
    _one_or_many(
        "points", _dist("points[1]"), f"list_min(list_transform(points, lambda q: {_dist('q')}))"
    )
} END AS place_d
    FROM _kept
)"""
EXACT_PHOTO = (
    "CASE WHEN len(e.photo_bits) > 0 AND len(p.p_photo_bits) > 0 THEN "
    "list_min(list_transform(e.photo_bits, lambda a: list_min(list_transform("
    "p.p_photo_bits, lambda b: bit_count(xor(a, b)))))) END"
)
OVER_10 = "CASE WHEN len(e.photo_bits) > 0 AND len(p.p_photo_bits) > 0 THEN 99 END"
POSTER_COLS = (
    "p.date_missing, p.b_late, p.b_early, p.p_height, p.young, p.p_weight, p.p_hair, "
    "p.p_hair_family, p.p_eyes, p.p_marks, p.p_mark_kinds, p.o_x, p.o_y, p.o_z, p.o_radius, "
    "p.has_names, p.p_photo_bits"
)
AD_COLS = (
    "e.posted, e.names, e.ages, e.points, e.ppoints, e.heights, e.weights, e.hair, "
    "e.hair_families, e.eyes, e.marks"
)
POSTERS_AND_ADS = """
pp AS (
    SELECT x.*, coalesce(m.batch, -1) AS done FROM _posters x
    LEFT JOIN missing_matched m ON m.case_id = x.case_id
),
ev AS NOT MATERIALIZED (  -- read where used: a materialized copy of every ad costs more
    SELECT e.*, s.batch FROM missing_ad_evidence e JOIN missing_ads_seen s
    ON s.ad_id = e.ad_id WHERE s.batch <= $batch
      AND s.batch > (SELECT coalesce(min(done), -1) FROM pp)
)"""
AGE_OK = (
    "(b_late IS NULL OR "
    + _one_or_many(
        "ages",
        "(ages[1] BETWEEN age_lo - 2 AND age_hi + 2 "
        "OR (ages[1] BETWEEN 18 AND 19 AND age_hi BETWEEN 14 AND 17))",
        "len(list_filter(ages, lambda a: a BETWEEN age_lo - 2 AND age_hi + 2 "
        "OR (a BETWEEN 18 AND 19 AND age_hi BETWEEN 14 AND 17))) > 0",
    )
    + ")"
)
