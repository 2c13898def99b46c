"""The blocking rules of the missing-person first pass as DuckDB expressions: which (poster,
ad) pairs the region block (division and age; a shifted age near the origin) and the
descriptor block (height and weight close) take, on the scalar columns in the joins and on the
lists in ``missing_scalar.scored``. ``safelight.missing.model.blocked`` is their reference;
tests/missing/test_firstpass.py checks that both block the same pairs.
"""

from __future__ import annotations

from safelight.store.missing_sql import (
    _HEIGHT,
    _MEASURE_CUTS,
    AGE_HI,
    AGE_LO,
    SHIFT_OK,
    _dist,
    _one_or_many,
    _shifted,
)

__all__ = [
    "AGE_OK",
    "AGE_PRE",
    "ALLOWED",
    "DESC_HEIGHT_KEY",
    "DESC_JOIN",
    "DESC_KEYS",
    "DESC_OK",
    "DESC_ONCE",
    "IN_REGION",
    "NEAR_PRE",
    "POSTER_DESC_KEYS",
    "POSTER_HEIGHT_KEYS",
    "REGION_AGE",
    "REGION_OK",
]


# AGE_OK on the scalars, before any pair is built: exact for one or two stated ages, and for
# more a necessary condition (AGE_OK itself is then applied on the list path).
def _age_allows(a: str, lo: str = AGE_LO, hi: str = AGE_HI) -> str:
    """Stated age ``a`` is at level exact, minor_as_adult or close (true age ``lo``-``hi``)."""
    return (
        f"({a} BETWEEN {lo} - 2 AND {hi} + 2 OR ({a} BETWEEN 18 AND 19 AND {hi} BETWEEN 14 AND 17))"
    )


AGE_OK = (  # the region block's age rule
    "(bl_key IS NULL OR "
    + _one_or_many(
        "ages",
        _age_allows("ages[1]", "age_lo", "age_hi"),
        f"len(list_filter(ages, lambda a: {_age_allows('a', 'age_lo', 'age_hi')})) > 0",
    )
    + ")"
)
# exact for up to two stated ages (the smallest and the largest are all of them)
AGE_PRE = (
    f"(bl_key IS NULL OR CASE WHEN n_ages <= 2 "
    f"THEN {_age_allows('age_min')} OR {_age_allows('age_max')} "
    f"ELSE (age_max >= {AGE_LO} - 2 AND age_min <= {AGE_HI} + 2) "
    f"OR (age_min <= 19 AND age_max >= 18 AND {AGE_HI} BETWEEN 14 AND 17) END)"
)
# A shifted age blocks only near the poster's origin (place level "near"). On the scalars,
# before any pair is built: exact for one or two stated ages and one place; for more, a
# necessary condition (``scored`` then applies SHIFT_OK and the distance on the list path).
SHIFT_PRE = (
    f"(bl_key IS NOT NULL AND CASE WHEN n_ages <= 2 "
    f"THEN {_shifted('age_min', AGE_LO, AGE_HI)} OR {_shifted('age_max', AGE_LO, AGE_HI)} "
    f"ELSE age_max >= 18 AND (({AGE_HI} BETWEEN 14 AND 17 AND age_min <= 22 AND age_max >= 20) "
    f"OR ({AGE_LO} >= 21 AND age_min <= {AGE_LO} - 3 AND age_max >= {AGE_LO} - 7)) END)"
)
NEAR_KM = 80.0  # features.NEAR_KM
NEAR_PRE = (
    "(o_radius = 0 AND has_ppoint AND (n_pts > 1 OR "
    + _dist("", ("pt_x", "pt_y", "pt_z", "pt_r"))
    + f" <= {NEAR_KM}))"
)
REGION_AGE = f"({AGE_PRE} OR ({SHIFT_PRE} AND {NEAR_PRE}))"
# does the region block (division, dated ad after the disappearance, REGION_AGE) take the pair?
IN_REGION = (
    "coalesce(e.posted IS NOT NULL AND e.n_ages > 0 AND list_contains(e.regions, p.region) "
    f"AND e.batch > p.done AND e.posted >= p.date_missing AND {REGION_AGE}, false)"
)
# the region rule on the list path (``scored``: an ad with several ages or places)
REGION_OK = f"({AGE_OK} OR ({SHIFT_OK} AND NOT vague AND place_d <= {NEAR_KM}))"


# The descriptor block (anywhere: a person moved far, renamed, in new photos): height and
# weight both at level "close" and a stated age that is not "inconsistent" (or none). In the
# join (ad ``e``, poster ``p``), on the scalars or the lists; on the list path of ``scored``
# from the distances computed there.
def _not_inconsistent(a: str, lo: str, hi: str) -> str:
    """Stated age ``a`` is at level exact, minor_as_adult, close or shifted."""
    return f"({_age_allows(a, lo, hi)} OR {_shifted(a, lo, hi)})"


_ANY_AGE = (
    f"(bl_key IS NULL OR n_ages = 0 OR CASE WHEN n_ages = 1 "
    f"THEN {_not_inconsistent('age_min', AGE_LO, AGE_HI)} "
    f"ELSE len(list_filter(ages, lambda a: {_not_inconsistent('a', AGE_LO, AGE_HI)})) > 0 END)"
)


def _within(values: str, one: str, gap: str, cut: int) -> str:
    """``gap`` (over ``{v}``) at most ``cut`` for the ad's one value (scalar column ``one``)
    or the nearest of its several (the list ``values``, carried for a ``multi`` ad)."""
    return (
        f"CASE WHEN n_{values} = 1 THEN {gap.format(v=one)} <= {cut} "
        f"WHEN len({values}) > 1 "
        f"THEN list_min(list_transform({values}, lambda v: {gap.format(v='v')})) <= {cut} END"
    )


# The "close" cuts of the scoring (``missing_sql._MEASURE_CUTS``): cm of height, lb of weight.
_CLOSE_CM, _CLOSE_LB = (int(_MEASURE_CUTS[f][0][1]) for f in ("height", "weight"))
DESC_JOIN = (
    "(p_height IS NOT NULL AND p_weight IS NOT NULL AND "
    f"{_within('heights', 'height1', _HEIGHT.replace('{h}', '{v}'), _CLOSE_CM)} AND "
    f"{_within('weights', 'weight1', 'abs({v} - p_weight)', _CLOSE_LB)} AND {_ANY_AGE})"
)
DESC_OK = (  # on the list path of ``scored`` (height_d, weight_d, age_lo, age_hi there)
    f"coalesce(posted IS NOT NULL AND height_d <= {_CLOSE_CM} AND weight_d <= {_CLOSE_LB} "
    "AND (bl_key IS NULL "
    "OR len(ages) = 0 OR len(list_filter(ages, lambda a: "
    f"{_not_inconsistent('a', 'age_lo', 'age_hi')})) > 0), false)"
)
_WB = "CAST(floor(({w}) / 10) AS BIGINT)"  # 10 lb buckets: "close" is at most one bucket away
DESC_KEYS = (
    f"unnest(CASE WHEN n_weights = 1 THEN [{_WB.format(w='weight1')}] "
    f"ELSE list_distinct(list_transform(weights, lambda w: {_WB.format(w='w')})) END)"
)
POSTER_DESC_KEYS = (
    f"unnest(range({_WB.format(w=f'p_weight - {_CLOSE_LB}')}, "
    f"{_WB.format(w=f'p_weight + {_CLOSE_LB}')} + 1))"
)
# and 5 cm height buckets for an ad stating one height (a child may have grown up to 15 cm);
# an ad stating several heights takes key -1, which every poster also has
_HB = "CAST(floor(({h}) / 5) AS BIGINT)"
DESC_HEIGHT_KEY = f"CASE WHEN n_heights = 1 THEN {_HB.format(h='height1')} ELSE -1 END"
POSTER_HEIGHT_KEYS = (
    f"unnest(list_append(range({_HB.format(h=f'p_height - {_CLOSE_CM}')}, "
    f"{_HB.format(h=f'p_height + {_CLOSE_CM} + CASE WHEN young THEN 15 ELSE 0 END')} + 1), -1))"
)
# an ad with weights in several of a poster's buckets: its pair comes from the lowest one
DESC_ONCE = (
    f"(e.n_weights = 1 OR e.wb = list_min(list_filter(list_transform(e.weights, "
    f"lambda w: {_WB.format(w='w')}), lambda b: b BETWEEN "
    f"{_WB.format(w=f'p.p_weight - {_CLOSE_LB}')} AND "
    f"{_WB.format(w=f'p.p_weight + {_CLOSE_LB}')})))"
)

# The region block of ads stating one age is joined on (division, age, date) keys: ``allowed``
# holds, per poster of the query, each key of the ads whose age rule takes it (evaluated once
# per key, not per pair), and whether it takes it only near the origin (a shifted age).
_STD = f"(bl_key IS NULL OR coalesce({_age_allows('age')}, false))"
ALLOWED = f"""
ak AS (
    SELECT DISTINCT unnest(regions) AS region, age_min AS age, posted_key
    FROM missing_ad_evidence WHERE posted IS NOT NULL AND n_ages = 1
),
allowed AS MATERIALIZED (
    SELECT pno, region, age, posted_key, done, o_x, o_y, o_z, o_radius, n_photos,
           NOT {_STD} AS near_only
    FROM (SELECT p.pno, p.region, p.done, p.o_x, p.o_y, p.o_z, p.o_radius, p.n_photos,
                 p.bl_key, p.be_key, p.date_missing, k.age, k.posted_key
          FROM pp p JOIN ak k ON k.region = p.region)
    WHERE posted_key >= year(date_missing) * 10000 + month(date_missing) * 100
                        + day(date_missing)
      AND ({_STD} OR coalesce({_shifted("age", AGE_LO, AGE_HI)}, false))
)"""
