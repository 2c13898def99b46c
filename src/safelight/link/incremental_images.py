"""Incremental photo linking: the hashes new ads show and their neighbours, nothing else.

A hash's edges depend on its ads (star edges, the first ad), its neighbourhood size ``hood``
(its ads and those of every hash within the radius: the weight and the too-common test) and
its flag. New ads change the ads of the hashes they show (``T``) and so the neighbourhood of
``T`` and of every hash within the radius of ``T``: together ``H``. ``image_delta`` therefore

1. finds the neighbours of ``T`` and then of ``H`` among every stored hash with the
   multi-index search (``HammingIndex.query``: numpy over one stored 8-byte column, cost
   growing with the queries);
2. regroups the ads of ``H`` (SQL on the extractions of those hashes), recomputes their
   neighbourhood sizes, the image limit (stored sizes of the other hashes) and their flags;
   when the limit moved, the stored hashes whose neighbourhood lies between the old and the
   new limit join ``H`` (their flag flips, their neighbourhood stays) and step 1-2 run again;
3. rebuilds the star edges of ``H`` and the near edges of every pair touching ``H`` with the
   functions a full run uses (``images.star_image_edges`` / ``near_image_edges``).

Edges and flags of any other hash cannot change, so they stay as stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from safelight.link.groups import (
    AdContext,
    Grouping,
    ad_rank,
    factorize,
    flagged_table,
    group,
    guard,
)
from safelight.link.images import (
    IMAGE_STATE_SCHEMA,
    HammingIndex,
    hex64,
    hex_to_uint64,
    near_image_edges,
    plan_query_blocks,
    star_image_edges,
)
from safelight.link.model import (
    EDGE_SCHEMA,
    FLAGGED_SCHEMA,
    LinkSettings,
    frequency_limit,
    limit_band,
)

__all__ = ["ImageDelta", "image_delta"]


@dataclass(frozen=True, slots=True)
class ImageDelta:
    hexes: list[str]  # H: stored edges and flags naming one of these are replaced
    edges: pa.Table
    flags: pa.Table
    state: pa.Table  # IMAGE_STATE_SCHEMA rows of H (replace the stored ones)
    queried: int  # hashes whose neighbours were searched
    limit: int  # the image frequency limit now


def image_delta(
    store: Any,
    new_rows: pa.Table,
    settings: LinkSettings,
    stored_limit: int,
    context: Callable[[list[str]], pa.Table],
) -> ImageDelta:
    """See the module docstring. ``new_rows``: the new ads' extraction rows; ``stored_limit``:
    the image limit of the stored result; ``context``: ``ad_id, place, posted_at`` of given
    ads."""
    rows = new_rows.filter(pa.compute.equal(new_rows.column("field"), "image"))
    parsed, valid = hex_to_uint64(rows.column("value").to_pylist())
    t_hashes = np.unique(parsed[valid])
    if not len(t_hashes):  # no new photo: no neighbourhood and so no limit moves
        return ImageDelta(
            [],
            EDGE_SCHEMA.empty_table(),
            FLAGGED_SCHEMA.empty_table(),
            IMAGE_STATE_SCHEMA.empty_table(),
            0,
            stored_limit,
        )
    stored = store.image_hashes()  # sorted
    fresh = t_hashes[~_member(stored, t_hashes)]
    every = np.insert(stored, np.searchsorted(stored, fresh), fresh)  # no re-sort of a million
    blocks = plan_query_blocks(len(every), 2 * len(t_hashes) + 1, settings.image_radius)
    index = HammingIndex(every, settings.image_radius, blocks=blocks)
    _, j, _ = index.query(t_hashes)
    h_hashes = np.union1d(t_hashes, every[j])
    hoods = _Hoods.of(store, index, every, h_hashes)
    limit = frequency_limit(
        np.concatenate([store.image_hoods(h_hashes), hoods.hood[hoods.h_local]]), settings
    )
    band = limit_band(stored_limit, limit)
    if band is not None:
        # the stored hashes whose neighbourhood lies between the two limits change flag (their
        # neighbourhood stays): recompute them too
        lo, hi = band
        h_hashes = np.union1d(h_hashes, store.image_hashes_by_hood(lo, hi))
        hoods = _Hoods.of(store, index, every, h_hashes)
    return _image_edges(hoods, h_hashes, limit, settings, context, len(t_hashes))


@dataclass(frozen=True, slots=True)
class _Hoods:
    """The hashes ``H`` regrouped, with every hash within the radius of one of them (local
    codes, in hash order): ads, first ad, neighbourhood size and stored flag of each."""

    local: np.ndarray  # uint64 hashes: H and their neighbours
    a: np.ndarray  # pairs (a in H, b) of local codes within the radius
    b: np.ndarray
    h_local: np.ndarray  # local codes of H
    g: Grouping  # the ads of H grouped by local code
    ad_ids: pa.Array
    n_ads: np.ndarray
    hood: np.ndarray
    flagged: np.ndarray
    first: list[str | None]

    @classmethod
    def of(cls, store: Any, index: HammingIndex, every: np.ndarray, h_hashes: np.ndarray) -> _Hoods:
        qi, j, _ = index.query(h_hashes)
        local = np.union1d(h_hashes, every[j])
        a = np.searchsorted(local, h_hashes[qi])
        b = np.searchsorted(local, every[j])
        in_h = _member(h_hashes, local)
        h_rows = store.image_rows_of(hex64(h_hashes))
        ad_codes, ad_ids = factorize(h_rows.column("ad_id"))
        values, ok = hex_to_uint64(h_rows.column("value").to_pylist())
        key = np.full(len(values), -1, dtype=np.int64)
        inside = ok & np.isin(values, h_hashes)
        key[inside] = np.searchsorted(local, values[inside])
        g = group(ad_codes, key, ad_order=ad_rank(ad_ids))

        n_ads = np.zeros(len(local), np.int64)
        hood = np.zeros(len(local), np.int64)
        flagged = np.zeros(len(local), bool)
        first: list[str | None] = [None] * len(local)
        others = store.image_state_of(local[~in_h])
        o_idx = np.searchsorted(local, others.column("hash").to_numpy())
        n_ads[o_idx] = others.column("n_ads").to_numpy()
        hood[o_idx] = others.column("hood").to_numpy()
        flagged[o_idx] = others.column("flagged").to_numpy(zero_copy_only=False)
        for k, f in zip(o_idx.tolist(), others.column("first_ad").to_pylist(), strict=True):
            first[k] = f
        n_ads[g.group_keys] = g.sizes
        firsts = ad_ids.take(pa.array(g.first_ad, pa.int64())).to_pylist()
        for k, f in zip(g.group_keys.tolist(), firsts, strict=True):
            first[k] = f
        # neighbourhood of H: own ads plus the ads of every neighbour (each pair seen from H)
        h_local = np.flatnonzero(in_h)
        hood[h_local] = n_ads[h_local] + np.bincount(a, weights=n_ads[b], minlength=len(local))[
            h_local
        ].astype(np.int64)
        return cls(local, a, b, h_local, g, ad_ids, n_ads, hood, flagged, first)


def _image_edges(
    hoods: _Hoods,
    h_hashes: np.ndarray,
    limit: int,
    settings: LinkSettings,
    context: Callable[[list[str]], pa.Table],
    n_new: int,
) -> ImageDelta:
    """Flags, edges and stored state of ``H`` under ``limit``, with the functions of a full
    run."""
    local, g, ad_ids, hood, flagged, first = (
        hoods.local,
        hoods.g,
        hoods.ad_ids,
        hoods.hood,
        hoods.flagged.copy(),
        hoods.first,
    )
    ctx = AdContext.for_ads(ad_ids, context(ad_ids.to_pylist()))
    g_flag, n_places, reasons = guard(g, limit, settings, ctx, counts=hood[g.group_keys])
    flagged[g.group_keys] = g_flag

    hex_local = pa.array(hex64(local), pa.string())
    g_hex = hex_local.take(pa.array(g.group_keys, pa.int64()))
    pair = np.unique(np.minimum(hoods.a, hoods.b) * len(local) + np.maximum(hoods.a, hoods.b))
    gi, gj = pair // len(local), pair % len(local)
    d = np.bitwise_count(local[gi] ^ local[gj]).astype(np.uint8)
    edges = pa.concat_tables(
        [
            star_image_edges(ad_ids, g, g_hex, ~g_flag),
            near_image_edges(
                pa.array(first, pa.string()), hex_local, gi, gj, d, hood, flagged, settings
            ),
        ]
    )
    bad = np.flatnonzero(g_flag)
    flags = flagged_table(
        ["image"] * len(bad),
        g_hex.take(pa.array(bad, pa.int64())).to_pylist(),
        hood[g.group_keys[bad]].tolist(),
        n_places[bad].tolist(),
        [reasons[k] for k in bad],
    )
    state = pa.table(
        {
            "hash": local[g.group_keys],
            "n_ads": hoods.n_ads[g.group_keys],
            "first_ad": pa.array([first[k] for k in g.group_keys.tolist()], pa.string()),
            "hood": hood[g.group_keys],
            "flagged": g_flag,
        },
        schema=IMAGE_STATE_SCHEMA,
    )
    return ImageDelta(hex64(h_hashes), edges, flags, state, n_new + len(h_hashes), limit)


def _member(sorted_values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``x`` in ``sorted_values`` (binary search: no hashing or sorting of the big side)."""
    if not len(sorted_values):
        return np.zeros(len(x), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_values, x), len(sorted_values) - 1)
    return sorted_values[pos] == x
