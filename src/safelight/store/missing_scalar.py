"""The scalar path of the missing-person first pass: columns derived from each evidence row's
lists when it is written (``DERIVED``), the pair score over them (``score_one``), and the CTEs
that score blocked pairs on the scalar or the list path (``scored``).

About 7 in 8 ads state at most one age, height, weight, hair and eye colour and one place, and
no mark: their pairs are scored from fixed-width columns, with the same levels and the same
floats as the list path (``missing_sql.score_expression``, which the others take).
tests/missing/test_firstpass.py checks both paths against the Python model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from safelight.store.missing_sql import (
    _HEIGHT,
    AGE_HI,
    AGE_LO,
    POSTER_COLS,
    _dist,
    _measure,
    _name,
    _one_age,
    _one_or_many,
    _photo,
    _place,
    _sum,
    _w,
    score_expression,
)

__all__ = ["AD_SCALARS", "DERIVED", "LISTS", "carried", "score_one", "scored"]

_PTS = "(CASE WHEN len(ppoints) > 0 THEN ppoints ELSE points END)"
# -- the scalar columns---------------------------------------------------------------------
# Written with each evidence row (``MissingEvidence.write``) from its lists, so the two never
# disagree: counts, the one value when there is exactly one, and ``multi`` when the ad needs the
# list path (two ages, heights, weights, hair colours, eye colours or points; any mark).


def _n(col: str) -> str:
    return f"coalesce(len({col}), 0)"


def _only(col: str, value: str | None = None) -> str:
    return f"CASE WHEN len({col}) = 1 THEN {value or col + '[1]'} END"


DERIVED = {
    "posted_key": "year(posted) * 10000 + month(posted) * 100 + day(posted)",
    "n_names": _n("names"),
    "name1": _only("names"),
    "n_ages": _n("ages"),
    "age_min": "list_min(ages)",
    "age_max": "list_max(ages)",
    "n_photos": _n("photo_bits"),
    "n_heights": _n("heights"),
    "height1": _only("heights"),
    "n_weights": _n("weights"),
    "weight1": _only("weights"),
    "n_hair": _n("hair"),
    "hair1": _only("hair"),
    "hair_family1": _only("hair", "hair_families[1]"),
    "n_eyes": _n("eyes"),
    "eyes1": _only("eyes"),
    "n_marks": _n("marks"),
    "n_pts": _n(_PTS),
    "has_ppoint": f"{_n('ppoints')} > 0",
    **{
        f"pt_{k}": _only(_PTS, f"{_PTS}[1].{v}")
        for k, v in (("x", "x"), ("y", "y"), ("z", "z"), ("r", "radius"))
    },
    "multi": " OR ".join(
        [f"{_n(c)} > 1" for c in ("ages", "heights", "weights", "hair", "eyes", _PTS)]
        + [f"{_n('marks')} > 0"]
    ),
}
# what a blocked pair carries: the ad's scalars (the poster's columns are joined at the end)
AD_SCALARS = ", ".join(
    f"e.{c}" for c in ("ad_id", "posted", *(k for k in DERIVED if k not in ("n_photos", "n_marks")))
)
LISTS = "names, ages, points, ppoints, heights, weights, hair, hair_families, eyes, marks"


def carried(lists: bool = False) -> str:
    """The list columns a blocked pair carries: only a ``multi`` ad's (most are NULL, which
    costs little in a join), or every ad's (``lists``)."""
    return ", ".join(
        f"e.{c}" if lists else f"CASE WHEN e.multi THEN e.{c} END AS {c}" for c in LISTS.split(", ")
    )


def _place_d(pts: str) -> str:
    return _one_or_many(
        pts, _dist(f"{pts}[1]"), f"list_min(list_transform({pts}, lambda q: {_dist('q')}))"
    )


def scored(
    weights: Mapping[str, Mapping[str, float]],
    prior_weight: float,
    list_rule: str,
    lists: bool = False,
) -> str:
    """CTEs turning ``_blocked`` (pno, ad_id, rank, photo_d, ``AD_SCALARS``, ``carried(lists)``)
    into ``scored`` (case_id, ad_id, rank, photo_d, score). An ad that is not ``multi`` is
    scored from its scalar columns (``score_one``), the others from their lists
    (``score_expression``), a list of one value read from its scalar column. ``list_rule``:
    the blocking rules on the list path (``REGION_OK OR DESC_OK``), for a ``multi`` ad's pair
    that is neither a name nor a photo pair (the joins' rules are exact only on the scalars).
    ``lists``: every pair on the list path, from the lists only (for tests)."""

    def one(n: str) -> str:  # a single value, read from its scalar column (lists: never)
        return "false" if lists else f"n_{n} = 1"

    return f"""
_full AS (SELECT x.*, {POSTER_COLS} FROM _blocked x JOIN pp q ON q.pno = x.pno),
_aged AS (
    SELECT *, {"true" if lists else "multi"} AS listed, posted - date_missing AS days,
           {AGE_LO} AS age_lo, {AGE_HI} AS age_hi, NOT has_ppoint OR o_radius > 0 AS vague
    FROM _full
),
_cand AS (  -- one value (or none): from the scalar column, whatever the path
    SELECT *,
           CASE WHEN n_heights = 0 THEN NULL
                WHEN {one("heights")} THEN {_HEIGHT.format(h="height1")}
                ELSE {_one_or_many("heights", _HEIGHT.format(h="heights[1]"),
                      f"list_min(list_transform(heights, lambda h: {_HEIGHT.format(h='h')}))")}
           END AS height_d,
           CASE WHEN {one("weights")} THEN abs(weight1 - p_weight)
                ELSE {_one_or_many("weights", "abs(weights[1] - p_weight)",
                      "list_min(list_transform(weights, lambda x: abs(x - p_weight)))")}
           END AS weight_d,
           CASE WHEN n_pts = 0 THEN NULL  -- (greatest() skips NULLs: never 0 km)
                WHEN {one("pts")} THEN {_dist("", ("pt_x", "pt_y", "pt_z", "pt_r"))}
                WHEN len(ppoints) > 0 THEN {_place_d("ppoints")}
                ELSE {_place_d("points")} END AS place_d
    FROM _aged
),
scored AS (
    SELECT case_id, ad_id, rank, photo_d,
           CASE WHEN listed THEN {score_expression(weights, prior_weight)}
                ELSE {score_one(weights, prior_weight)} END AS score
    FROM _cand
    WHERE NOT listed OR rank < 9 OR photo_d <= 10 OR {list_rule}
)"""  # fmt: skip


def score_one(
    weights: Mapping[str, Mapping[str, float]],
    prior_weight: float,
    only: Iterable[str] | None = None,
) -> str:
    """``score_expression`` over the scalar columns, for a pair whose ad is not ``multi`` (at
    most one value of each, no marks): the same levels and the same floats."""
    w = weights
    age = (
        "CASE WHEN posted IS NULL OR bl_key IS NULL OR n_ages = 0 THEN CAST(0 AS DOUBLE) "
        f"ELSE {_one_age(w, 'age_min')} END"
    )
    height = _measure(w, "height", "n_heights = 0")
    weight = _measure(w, "weight", "n_weights = 0")
    hair = (
        "CASE WHEN coalesce(p_hair, '') = '' OR n_hair = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN hair1 = p_hair THEN {_w(w, 'hair', 'same')} "
        "WHEN p_hair_family IS NOT NULL AND hair_family1 = p_hair_family "
        f"THEN {_w(w, 'hair', 'similar')} ELSE {_w(w, 'hair', 'different')} END"
    )
    eyes = (
        "CASE WHEN coalesce(p_eyes, '') = '' OR n_eyes = 0 THEN CAST(0 AS DOUBLE) "
        f"WHEN eyes1 = p_eyes THEN {_w(w, 'eyes', 'same')} "
        f"ELSE {_w(w, 'eyes', 'different')} END"
    )
    parts = {"name": _name(w, "n_names"), "age": age, "height": height, "weight": weight,
             "hair": hair, "eyes": eyes, "marks": "CAST(0 AS DOUBLE)",
             "place_time": _place(w), "photo": _photo(w)}  # fmt: skip
    return _sum(prior_weight, parts, only)
