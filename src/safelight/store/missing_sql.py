"""The SQL of the missing-person first pass: each level of ``safelight.missing.features`` as a
DuckDB expression, summed into the pair's weight (``score_expression``), and the derived columns
and CTE pieces ``store/missing_evidence.py`` assembles its queries from.

The expressions must agree with the Python comparison level for level (tests/missing/
test_firstpass.py checks every pair of a corpus); where floats meet a level boundary (distances,
heights, weights) the level is read at d - eps and d + eps and the larger weight taken, so the
SQL score is never below the Python weight. Numbers are DOUBLE literals (a bare ``1.5`` is a
DECIMAL in DuckDB).

Speed: most ads (about 7 in 8) state at most one age, height, weight, hair and eye colour and
one place, and no mark. For those, scalar columns stored with the row (``DERIVED``) are read
(``score_one``); only the others (``multi``) carry their lists through the joins and take the
list path with lambdas (``score_expression``). Ages come from yyyymmdd integers, joins are on a
per-query poster number (``pno``), and the region block's age rule is applied in the join.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = [
    "AGE_HI",
    "AGE_LO",
    "POSTER_COLS",
    "SHIFT_OK",
    "EPS",
    "EXACT_PHOTO",
    "OVER_10",
    "PP",
    "POSTERS_AND_ADS",
    "POSTERS_AND_ALL_ADS",
    "score_expression",
]

EPS_KM = 0.01  # float slack at level boundaries: the first pass never scores below Python
EPS = 1e-6


def _shifted(a: str, lo: str = "age_lo", hi: str = "age_hi") -> str:
    """``features.compare_age``'s "shifted": a minor advertised as 20-22, or an adult of 21+
    advertised 3-7 years younger (true age ``lo``-``hi``)."""
    return (
        f"(({hi} BETWEEN 14 AND 17 AND {a} BETWEEN 20 AND 22) OR "
        f"({lo} >= 21 AND {a} >= 18 AND {a} BETWEEN {lo} - 7 AND {lo} - 3))"
    )


# some stated age is "shifted" (the list path; the age level's and the region block's test)
SHIFT_OK = f"len(list_filter(ages, lambda a: {_shifted('a')})) > 0"


def _one_age(w: Mapping[str, Mapping[str, float]], a: str) -> str:
    """The age level's weight for one stated age ``a`` (true age ``age_lo``-``age_hi``)."""
    return (
        f"CASE WHEN {a} BETWEEN age_lo AND age_hi THEN {_w(w, 'age', 'exact')} "
        f"WHEN age_hi BETWEEN 14 AND 17 AND {a} BETWEEN 18 AND 19 "
        f"THEN {_w(w, 'age', 'minor_as_adult')} "
        f"WHEN greatest(age_lo - {a}, {a} - age_hi) <= 2 THEN {_w(w, 'age', 'close')} "
        f"WHEN {_shifted(a)} THEN {_w(w, 'age', 'shifted')} "
        f"ELSE {_w(w, 'age', 'inconsistent')} END"
    )


def _place(w: Mapping[str, Mapping[str, float]]) -> str:
    near, in_range, far = (_w(w, "place_time", lv) for lv in ("near", "in_range", "far"))

    def place_at(d: str) -> str:
        return (
            f"CASE WHEN {d} <= 80 AND NOT vague THEN {near} "
            f"WHEN {d} <= greatest(80.0 + 25.0 * greatest(days, 0), 80.0) THEN {in_range} "
            f"ELSE {far} END"
        )

    return (
        "CASE WHEN posted IS NULL THEN CAST(0 AS DOUBLE) "
        f"WHEN days < 0 THEN {_w(w, 'place_time', 'before')} "
        "WHEN o_x IS NULL OR place_d IS NULL THEN CAST(0 AS DOUBLE) "
        f"ELSE {_larger(w, 'place_time', ('near', 'in_range', 'far'), 'place_d', EPS_KM, place_at)}"
        " END"
    )


def _larger(w: Mapping[str, Mapping[str, float]], feature: str, levels: Sequence[str], d: str,
            eps: float, at: Callable[[str], str]) -> str:  # fmt: skip
    """The larger of the level weights at ``d - eps`` and ``d + eps``: when the weights fall
    with the distance (``levels`` nearest first, the usual case), that is the one at
    ``d - eps``, and the expression is evaluated once per pair instead of twice."""
    weights = [w[feature][lv] for lv in levels]
    if all(a >= b for a, b in zip(weights, weights[1:], strict=False)):
        return at(f"({d}) - {eps}")
    return f"greatest({at(f'({d}) - {eps}')}, {at(f'({d}) + {eps}')})"


def _photo(w: Mapping[str, Mapping[str, float]]) -> str:
    return (
        "CASE WHEN photo_d IS NULL THEN CAST(0 AS DOUBLE) "
        f"WHEN photo_d <= 6 THEN {_w(w, 'photo', 'same')} "
        f"WHEN photo_d <= 10 THEN {_w(w, 'photo', 'similar')} "
        f"ELSE {_w(w, 'photo', 'different')} END"
    )


def _name(w: Mapping[str, Mapping[str, float]], n_names: str) -> str:
    return (
        f"CASE WHEN NOT has_names OR {n_names} = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN rank = 0 THEN {_w(w, 'name', 'exact')} "
        f"WHEN rank = 1 THEN {_w(w, 'name', 'variant')} "
        f"WHEN rank = 2 THEN {_w(w, 'name', 'nickname')} ELSE {_w(w, 'name', 'different')} END"
    )


def _sum(prior_weight: float, parts: Mapping[str, str], only: Iterable[str] | None) -> str:
    chosen = [v for k, v in parts.items() if only is None or k in only]
    return f"{_double(prior_weight)} + " + " + ".join(f"({p})" for p in chosen)


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

    return _larger(weights, feature, [lv for lv, _ in cuts] + [last], d, eps, at)


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
    name = _name(w, "len(names)")
    one_age = _one_age(w, "ages[1]")
    age = (
        "CASE WHEN posted IS NULL OR bl_key IS NULL OR len(ages) = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN len(ages) = 1 THEN {one_age} "
        "WHEN len(list_filter(ages, lambda a: a BETWEEN age_lo AND age_hi)) > 0 "
        f"THEN {_w(w, 'age', 'exact')} "
        "WHEN age_hi BETWEEN 14 AND 17 AND len(list_filter(ages, lambda a: a BETWEEN 18 AND 19)) "
        f"> 0 THEN {_w(w, 'age', 'minor_as_adult')} "
        "WHEN list_min(list_transform(ages, lambda a: greatest(age_lo - a, a - age_hi))) <= 2 "
        f"THEN {_w(w, 'age', 'close')} "
        f"WHEN {SHIFT_OK} "
        f"THEN {_w(w, 'age', 'shifted')} ELSE {_w(w, 'age', 'inconsistent')} END"
    )
    height = _measure(w, "height", "len(heights) = 0")
    weight = _measure(w, "weight", "len(weights) = 0")
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
    place, photo = _place(w), _photo(w)
    parts = {"name": name, "age": age, "height": height, "weight": weight, "hair": hair,
             "eyes": eyes, "marks": marks, "place_time": place, "photo": photo}  # fmt: skip
    return _sum(prior_weight, parts, only)


# The level cut-offs of ``features.compare_height`` / ``compare_weight`` (cm, lb), shared by the
# list and the scalar scoring paths.
_MEASURE_CUTS = {
    "height": [("close", "4"), ("near", "8")],
    "weight": [("close", "10"), ("near", "25")],
}


def _measure(w: Mapping[str, Mapping[str, float]], feature: str, none_stated: str) -> str:
    """The weight of the ``height`` or ``weight`` level; ``none_stated``: SQL that is true when
    the ad states no such value."""
    return (
        f"CASE WHEN p_{feature} IS NULL OR {none_stated} THEN CAST(0 AS DOUBLE) ELSE "
        + _cut(w, feature, f"{feature}_d", _MEASURE_CUTS[feature], "different", EPS)
        + " END"
    )


def _dist(q: str, cols: tuple[str, str, str, str] | None = None) -> str:
    """``distance_km`` from the poster's origin to point ``q`` (a struct of unit vector and
    radius; or the columns ``cols``): the great circle from the chord, equal to the haversine
    up to float noise (the levels are read with ``EPS_KM`` of slack)."""
    x, y, z, r = cols or (f"{q}.x", f"{q}.y", f"{q}.z", f"{q}.radius")
    return (
        f"greatest(0.0, 2 * 6371.0088 * asin(least(1.0, sqrt(({x} - o_x) * ({x} - o_x) "
        f"+ ({y} - o_y) * ({y} - o_y) + ({z} - o_z) * ({z} - o_z)) / 2)) "
        f"- o_radius - {r})"
    )


def _one_or_many(values: str, one: str, many: str) -> str:
    """``one`` (over ``{values}[1]``) for a single value, else ``many`` (a list lambda)."""
    return f"CASE WHEN len({values}) = 1 THEN {one} WHEN len({values}) > 1 THEN {many} END"


def _age_at(birth_key: str) -> str:
    """Whole years from a yyyymmdd birth key to ``posted_key`` (``//`` truncates: shifted)."""
    return f"((posted_key - {birth_key} + 100000000) // 10000 - 10000)"


AGE_LO, AGE_HI = _age_at("bl_key"), _age_at("be_key")
_GROWTH = (
    "CASE WHEN posted IS NOT NULL AND young "
    "THEN least(15.0, 6.0::DOUBLE * greatest(posted - date_missing, 0) / 365.25::DOUBLE) "
    "ELSE CAST(0 AS DOUBLE) END"
)
_HEIGHT = "greatest(0.0, p_height - {h}, {h} - p_height - " + _GROWTH + ")"

POSTER_COLS = (
    "q.case_id, q.date_missing, q.bl_key, q.be_key, q.p_height, q.young, q.p_weight, q.p_hair, "
    "q.p_hair_family, q.p_eyes, q.p_marks, q.p_mark_kinds, q.o_x, q.o_y, q.o_z, q.o_radius, "
    "q.has_names"
)
PP = """
pp AS MATERIALIZED (  -- pno: the poster's number in this query (integer joins)
    SELECT x.*, CAST(row_number() OVER () AS INTEGER) AS pno,
           year(b_late) * 10000 + month(b_late) * 100 + day(b_late) AS bl_key,
           year(b_early) * 10000 + month(b_early) * 100 + day(b_early) AS be_key,
           coalesce(len(p_photo_bits), 0) AS n_photos, {done} AS done
    FROM _posters x {join}
)"""
POSTERS_AND_ADS = (
    PP.format(
        done="coalesce(m.batch, -1)",
        join="LEFT JOIN missing_matched m ON m.case_id = x.case_id",
    ).rstrip()
    + """,
ev AS NOT MATERIALIZED (  -- read where used: a materialized copy of every ad costs more
    SELECT e.*, s.batch FROM missing_ad_evidence e JOIN missing_ads_seen s
    ON s.ad_id = e.ad_id WHERE s.batch <= $batch
      AND s.batch > (SELECT coalesce(min(done), -1) FROM pp)
)"""
)
# When no poster of the query was ever matched, every ad seen is compared: the evidence table
# is read as it is (every evidence row's ad is seen once a run has begun), without joining
# the ads seen on their string ids for each use.
POSTERS_AND_ALL_ADS = (
    PP.format(done="-1", join="").rstrip()
    + """,
ev AS NOT MATERIALIZED (SELECT e.*, 0 AS batch FROM missing_ad_evidence e)"""
)
EXACT_PHOTO = (
    "CASE WHEN len(e.photo_bits) > 0 AND len(p.p_photo_bits) > 0 THEN "
    "list_min(list_transform(e.photo_bits, lambda a: list_min(list_transform("
    "p.p_photo_bits, lambda b: bit_count(xor(a, b)))))) END"
)
OVER_10 = "CASE WHEN e.n_photos > 0 AND p.n_photos > 0 THEN 99 END"
