"""Grouping ads by a shared value, the frequency guard, and star edges (linear, not all pairs).

Shared by every link kind: ``identifiers`` groups by phone/email/handle, ``images`` by exact
pHash, ``text`` by exact masked text. Ads and values are factorised to integer codes once, so
all the work is numpy sorting and counting.

The guard flags a group ("too common": it does not link) when

- more ads share it than ``frequency_limit`` (adaptive: p99.9 of group sizes, clipped), or
- its ads name more than ``max_places`` distinct places within any ``place_window_days``
  window (needs ad context: place and time per ad; a circuit moves every few days, a hotel
  switchboard, stock photo or site boilerplate shows up everywhere at once).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.model import EDGE_SCHEMA, FLAGGED_SCHEMA, LinkSettings, size_weight

__all__ = [
    "AdContext",
    "Grouping",
    "ad_rank",
    "factorize",
    "group",
    "guard",
    "size_reason",
    "star_edges",
]

_DAY_US = 86_400 * 1_000_000


def factorize(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Integer codes (int64, -1 for null) and the distinct values, in first-seen order."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    enc = pc.dictionary_encode(values)
    codes = enc.indices.to_numpy(zero_copy_only=False)
    codes = np.where(pc.is_null(enc.indices).to_numpy(zero_copy_only=False), -1, codes)
    return codes.astype(np.int64), enc.dictionary


def ad_rank(ad_ids: pa.Array) -> np.ndarray:
    """Rank of each distinct ad id in sorted order: the first ad of a group is the smallest id,
    so reruns over the same ads pick the same hub whatever the input order."""
    return np.asarray(pc.rank(ad_ids, sort_keys="ascending", tiebreaker="first"), np.int64)


@dataclass(frozen=True, slots=True)
class AdContext:
    """Per ad: a place code (-1 unknown) and a time in microseconds (NaT/-1 unknown), aligned
    with an ad code space. Built from a table (ad_id, place, posted_at) by ``for_ads``."""

    place: np.ndarray
    time_us: np.ndarray

    @classmethod
    def for_ads(cls, ad_ids: pa.Array, table: pa.Table | None) -> AdContext | None:
        if table is None or table.num_rows == 0:
            return None
        idx = pc.index_in(ad_ids, value_set=table.column("ad_id").combine_chunks())
        idx_np = np.asarray(idx.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
        place_codes, _ = factorize(table.column("place"))
        ts = table.column("posted_at").cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())
        times = np.asarray(ts.fill_null(-1).to_numpy(), dtype=np.int64)
        known = idx_np >= 0
        place = np.full(len(idx_np), -1, dtype=np.int64)
        time_us = np.full(len(idx_np), -1, dtype=np.int64)
        place[known] = place_codes[idx_np[known]]
        time_us[known] = times[idx_np[known]]
        return cls(place, time_us)


@dataclass(frozen=True, slots=True)
class Grouping:
    """(ad, key) pairs, deduplicated and sorted by key then ad. ``starts``/``sizes`` per key."""

    ad: np.ndarray  # ad code per member, sorted by (key, ad)
    key: np.ndarray  # key code per member
    group_keys: np.ndarray  # key code per group
    starts: np.ndarray  # first member index per group
    sizes: np.ndarray  # members per group

    @property
    def first_ad(self) -> np.ndarray:
        return self.ad[self.starts]


def group(ad: np.ndarray, key: np.ndarray, ad_order: np.ndarray | None = None) -> Grouping:
    """Group ad codes by key codes (pairs with a -1 are dropped, duplicates removed). Within a
    group, ads are ordered by ``ad_order`` (default: code), so the first ad is deterministic."""
    keep = (ad >= 0) & (key >= 0)
    ad, key = ad[keep], key[keep]
    rank = ad if ad_order is None else ad_order[ad]
    order = np.lexsort((rank, key))
    ad, key, rank = ad[order], key[order], rank[order]
    if len(ad):
        dup = np.zeros(len(ad), dtype=bool)
        dup[1:] = (key[1:] == key[:-1]) & (ad[1:] == ad[:-1])
        ad, key = ad[~dup], key[~dup]
    new = np.ones(len(key), dtype=bool)
    new[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, len(key)))
    return Grouping(ad, key, key[starts], starts, sizes)


def _max_places_in_window(times: np.ndarray, places: np.ndarray, window_us: int) -> int:
    known = (places >= 0) & (times >= 0)
    times, places = times[known], places[known]
    order = np.argsort(times, kind="stable")
    times, places = times[order], places[order]
    counts: dict[int, int] = {}
    best = lo = 0
    for hi in range(len(times)):
        p = int(places[hi])
        counts[p] = counts.get(p, 0) + 1
        while times[hi] - times[lo] > window_us:
            q = int(places[lo])
            counts[q] -= 1
            if not counts[q]:
                del counts[q]
            lo += 1
        best = max(best, len(counts))
    return best


def size_reason(limit: int) -> str:
    """Why a value over the frequency limit is flagged (rewritten when the limit moves)."""
    return f"shared by more than {limit} ads"


def guard(
    g: Grouping,
    limit: int,
    settings: LinkSettings,
    context: AdContext | None,
    counts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per group: flagged?, distinct places (-1 without context) and the reason ("" when fine).
    ``counts`` replaces the group sizes for the size test (images: ads of near copies too)."""
    flagged = (g.sizes if counts is None else counts) > limit
    reasons = np.where(flagged, size_reason(limit), "").astype(object)
    # 0, not unknown, when no member's place is known: the same whichever ads the context
    # covers (a full run's every ad, an incremental run's few)
    n_places = np.full(len(g.sizes), -1 if context is None else 0, dtype=np.int64)
    if context is not None and len(g.ad):
        gid = np.repeat(np.arange(len(g.sizes)), g.sizes)
        place = context.place[g.ad]
        known = place >= 0
        if known.any():
            span = int(place[known].max()) + 1
            pairs = np.unique(gid[known].astype(np.int64) * span + place[known])
            counts = np.bincount(pairs // span, minlength=len(g.sizes))
            n_places = counts.astype(np.int64)
            window = int(settings.place_window_days * _DAY_US)
            for k in np.flatnonzero((counts > settings.max_places) & ~flagged):
                members = g.ad[g.starts[k] : g.starts[k] + g.sizes[k]]
                spread = _max_places_in_window(
                    context.time_us[members], context.place[members], window
                )
                if spread > settings.max_places:
                    flagged[k] = True
                    reasons[k] = (
                        f"seen in {spread} places within {settings.place_window_days:g} days"
                    )
    return flagged, n_places, list(reasons)


def star_edges(
    g: Grouping, ok: np.ndarray, base_weight: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Edges linking every member of each ``ok`` group to the group's first ad: ad_a, ad_b,
    group index, group size and weight arrays (no self-edges)."""
    gid = np.repeat(np.arange(len(g.sizes)), g.sizes)
    first = np.repeat(g.first_ad, g.sizes)
    keep = ok[gid] & (g.ad != first)
    sizes = g.sizes[gid[keep]]
    weight = size_weight(sizes) * np.float32(base_weight)
    return first[keep], g.ad[keep], gid[keep], sizes, weight


def edge_table(
    ad_ids: pa.Array,
    a: np.ndarray,
    b: np.ndarray,
    kind: str | pa.Array,
    value: pa.Array,
    weight: np.ndarray,
    detail: list[str | None] | pa.Array | None = None,
) -> pa.Table:
    """An ``EDGE_SCHEMA`` table from ad codes into ``ad_ids``."""
    n = len(a)
    kinds = pa.array([kind] * n, pa.string()) if isinstance(kind, str) else kind
    details = pa.nulls(n, pa.string()) if detail is None else pa.array(detail, pa.string())
    return pa.Table.from_arrays(
        [
            ad_ids.take(pa.array(a, pa.int64())),
            ad_ids.take(pa.array(b, pa.int64())),
            kinds,
            value,
            pa.array(weight, pa.float32()),
            details,
        ],
        schema=EDGE_SCHEMA,
    )


def flagged_table(
    kinds: list[str], values: list[str], n_ads: list[int], n_places: list[int], reasons: list[str]
) -> pa.Table:
    places = [p if p >= 0 else None for p in n_places]
    return pa.Table.from_arrays(
        [
            pa.array(kinds, pa.string()),
            pa.array(values, pa.string()),
            pa.array(n_ads, pa.int64()),
            pa.array(places, pa.int64()),
            pa.array(reasons, pa.string()),
        ],
        schema=FLAGGED_SCHEMA,
    )


def size_detail(sizes: np.ndarray) -> list[str]:
    """``{"n_ads": n}`` JSON per edge (group sizes repeat: format each distinct size once)."""
    cache: dict[int, str] = {}
    out = []
    for s in sizes.tolist():
        d = cache.get(s)
        if d is None:
            d = cache[s] = json.dumps({"n_ads": s})
        out.append(d)
    return out
