"""What the SQL first pass needs from the Python side: posters as a table, name levels, weights.

The first pass (``Store.missing.evidence.first_pass``) blocks and scores every candidate pair
in SQL. It reads:

- ``poster_table(posters)``: one row per poster (``POSTER_SCHEMA``) with what each level needs,
  prepared exactly as ``model.compare`` prepares it: the birth dates bounding the true age
  (``age_range_at``), the growth allowance, the hair family, the marks, the located origin.
- ``name_levels(posters, values)``: for each poster and each distinct name value found in ads,
  the ``compare_names`` level (0 exact, 1 variant, 2 nickname; "different" pairs are not
  listed). Computed on distinct values, with indexes on sounds and nicknames and rapidfuzz's
  Jaro-Winkler over all values, so it costs posters x distinct names, never posters x ads.
- ``sql_weights(model)``: the log2 Bayes factors of the SQL-computed features.

``tests/missing/test_firstpass.py`` checks the SQL levels against ``model.compare``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

import jellyfish
import pyarrow as pa
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from safelight.missing import features as ft
from safelight.missing.adstore import point_row
from safelight.missing.descriptors import vocabulary
from safelight.missing.evidence import Poster
from safelight.missing.geo import locate, region
from safelight.missing.model import MatchModel

__all__ = ["POSTER_SCHEMA", "SQL_FEATURES", "name_levels", "poster_table", "sql_weights"]

SQL_FEATURES = (
    "name", "age", "height", "weight", "hair", "eyes", "marks", "place_time", "photo",
)  # fmt: skip
_MARK = pa.struct(
    [("kind", pa.string()), ("motif", pa.string()), ("location", pa.string()),
     ("side", pa.string())]
)  # fmt: skip
POSTER_SCHEMA = pa.schema(
    [
        ("case_id", pa.string()),
        ("region", pa.string()),
        ("date_missing", pa.date32()),
        ("b_late", pa.date32()),  # latest possible birth: the low end of the true age
        ("b_early", pa.date32()),  # earliest possible birth: the high end
        ("p_height", pa.float64()),
        ("young", pa.bool_()),  # under 16 when missing: height may have grown
        ("p_weight", pa.float64()),
        ("p_hair", pa.string()),
        ("p_hair_family", pa.string()),
        ("p_eyes", pa.string()),
        ("p_marks", pa.list_(_MARK)),
        ("p_mark_kinds", pa.list_(pa.string())),
        ("o_x", pa.float64()),  # the origin's unit vector (``adstore.point_row``)
        ("o_y", pa.float64()),
        ("o_z", pa.float64()),
        ("o_radius", pa.float64()),
        ("has_names", pa.bool_()),
        ("p_photo_bits", pa.list_(pa.uint64())),
    ]
)


_NO_POINT = {"x": None, "y": None, "z": None, "radius": None}


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _births(poster: Poster) -> tuple[date | None, date | None]:
    """Birth dates such that ``age_range_at`` = (years since b_late, years since b_early)."""
    p = poster.person
    if p.dob is not None:
        return p.dob, p.dob
    if p.age_at_missing is None:
        return None, None
    late = _shift(p.date_missing, p.age_at_missing)
    early = _shift(p.date_missing, p.age_at_missing + 1) + timedelta(days=1)
    return late, early


def poster_table(posters: Sequence[Poster]) -> pa.Table:
    rows = []
    family = vocabulary().hair_family
    for poster in posters:
        p = poster.person
        late, early = _births(poster)
        origin = locate(poster.place)
        age_then = p.known_age_at_missing
        marks = [{k: m.get(k) for k in ("kind", "motif", "location", "side")} for m in poster.marks]
        rows.append(
            {
                "case_id": p.case_id,
                "region": region((poster.place or "").rpartition(",")[2].strip() or None),
                "date_missing": p.date_missing,
                "b_late": late,
                "b_early": early,
                "p_height": p.height_cm,
                "young": age_then is not None and age_then < 16,
                "p_weight": p.weight_lb,
                "p_hair": p.hair,
                "p_hair_family": family.get(p.hair) if p.hair else None,
                "p_eyes": p.eyes,
                "p_marks": marks,
                "p_mark_kinds": sorted({m["kind"] for m in marks}),
                **{f"o_{k}": v for k, v in (point_row(origin) if origin else _NO_POINT).items()},
                "has_names": bool(poster.given_names),
                "p_photo_bits": [int(h, 16) for h in poster.photo_hashes],
            }
        )
    return pa.Table.from_pylist(rows, schema=POSTER_SCHEMA)


def _key_levels(poster_keys: Iterable[str], ad_keys: Sequence[str]) -> dict[str, dict[str, int]]:
    """For each poster name key, the ad name keys at level 0/1/2 (``compare_names``)."""
    keys = list(dict.fromkeys(k for k in ad_keys if k))
    known = set(keys)
    by_meta: dict[str, set[str]] = defaultdict(set)
    by_nysiis: dict[tuple[str, str], set[str]] = defaultdict(set)
    nick_of: dict[str, set[str]] = defaultdict(set)  # variant -> ad keys having it
    for key in keys:
        by_meta[jellyfish.metaphone(key)].add(key)
        by_nysiis[(jellyfish.nysiis(key), key[:1])].add(key)
        for variant in ft.name_variants(key):
            nick_of[variant].add(key)
    out: dict[str, dict[str, int]] = {}
    for pk in dict.fromkeys(poster_keys):
        if not pk:
            continue
        found: dict[str, int] = {}

        def put(ak: str, level: int, found: dict[str, int] = found) -> None:
            if level < found.get(ak, 9):
                found[ak] = level

        for ak in (ft.name_variants(pk) & known) | nick_of.get(pk, set()):
            put(ak, 2)
        for ak in by_meta.get(jellyfish.metaphone(pk), ()):
            put(ak, 1)
        for ak in by_nysiis.get((jellyfish.nysiis(pk), pk[:1]), ()):
            put(ak, 1)
        if len(pk) >= 4:
            for ak, _, _ in process.extract(
                pk, keys, scorer=JaroWinkler.similarity, processor=None, score_cutoff=0.92,
                limit=None,
            ):  # fmt: skip
                if len(ak) >= 4:
                    put(ak, 1)
        if pk in known:
            put(pk, 0)
        out[pk] = found
    return out


def name_levels(posters: Sequence[Poster], values: Sequence[str]) -> pa.Table:
    """``case_id, value, rank``: the ``compare_names`` level of each poster against an ad whose
    only name is ``value`` (0 exact, 1 variant, 2 nickname; "different" left out)."""
    key_of = {v: ft.name_key(v) for v in values}
    values_of: dict[str, list[str]] = defaultdict(list)
    for value, key in key_of.items():
        values_of[key].append(value)
    per_key = _key_levels((ft.name_key(n) for p in posters for n in p.given_names), list(values_of))
    cols: dict[str, list[object]] = {"case_id": [], "value": [], "rank": []}
    for poster in posters:
        best: dict[str, int] = {}
        for name in poster.given_names:
            for ak, level in per_key.get(ft.name_key(name), {}).items():
                best[ak] = min(level, best.get(ak, 9))
        for ak, level in sorted(best.items()):
            for value in values_of[ak]:
                cols["case_id"].append(poster.person.case_id)
                cols["value"].append(value)
                cols["rank"].append(level)
    schema = pa.schema([("case_id", pa.string()), ("value", pa.string()), ("rank", pa.int32())])
    return pa.table(cols, schema=schema)


def sql_weights(model: MatchModel) -> tuple[dict[str, dict[str, float]], float]:
    """``(feature -> level -> log2 Bayes factor, log2 prior odds)`` for the SQL pass."""
    weights: Mapping[str, Mapping[str, float]] = {
        f: {lv: math.log2(model.bayes_factor(f, lv)) for lv in model.m[f]} for f in SQL_FEATURES
    }
    return {f: dict(v) for f, v in weights.items()}, math.log2(model.prior / (1 - model.prior))
