"""Reused images: 64-bit perceptual hashes within a Hamming radius, found with an index.

``HammingIndex(hashes, radius)`` finds every pair of hashes at most ``radius`` bits apart by
multi-index hashing (Norouzi et al., "Fast Search in Hamming Space with Multi-Index Hashing",
CVPR 2012): the 64 bits are cut into ``m`` blocks; by the pigeonhole principle two hashes
within ``r`` bits agree to within ``r // m`` bits on at least one block, so each block is
bucketed by value and every hash probes only the buckets within ``r // m`` bits of its own
block. Candidates are verified with a popcount. ``m`` is picked from a cost model (buckets
stay sparse: about ``64 / log2(n)`` blocks), everything is numpy, and no step compares all
pairs: ``candidates`` reports how many pairs were verified.

``image_links(rows, settings, context=None)`` takes extraction rows of field ``image`` (value
= pHash as 16 hex digits) and returns a ``LinkResult``: star edges between ads with the same
hash, one edge between the first ads of two hashes within the radius (``detail`` gives the
other hash and the distance), and flagged hashes (a stock photo: too many ads in the hash's
neighbourhood, or too many places within a short window).
"""

from __future__ import annotations

import json
from itertools import combinations
from math import comb

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.groups import (
    AdContext,
    Grouping,
    ad_rank,
    edge_table,
    factorize,
    flagged_table,
    group,
    guard,
    size_detail,
    star_edges,
)
from safelight.link.model import EDGE_SCHEMA, LinkResult, LinkSettings, frequency_limit, size_weight

__all__ = [
    "IMAGE_STATE_SCHEMA",
    "HammingIndex",
    "hex_to_uint64",
    "image_links",
    "image_links_with_state",
    "near_image_edges",
    "plan_query_blocks",
    "star_image_edges",
]

# Per distinct pHash, stored for incremental runs (migrations/006_link_index.sql).
IMAGE_STATE_SCHEMA = pa.schema(
    [
        ("hash", pa.uint64()),
        ("n_ads", pa.int64()),
        ("first_ad", pa.string()),
        ("hood", pa.int64()),  # ads of this hash and of every hash within the radius
        ("flagged", pa.bool_()),
    ]
)
_HEX = frozenset("0123456789abcdefABCDEF")

_BITS = 64
_DIRECT_MAX_BITS = 24  # blocks up to this wide use a dense bucket table, wider ones a sort


def hex_to_uint64(values: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Parse hex hashes; returns (uint64 values, valid mask). Invalid/missing give valid=False."""
    out = np.zeros(len(values), dtype=np.uint64)
    ok = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if v and len(v) == 16 and _HEX.issuperset(v):  # int() alone accepts "0x", "_"...
            out[i] = int(v, 16)
            ok[i] = True
    return out, ok


def _widths(m: int) -> list[int]:
    base, extra = divmod(_BITS, m)
    return [base + (1 if i < extra else 0) for i in range(m)]


def _radii(m: int, radius: int) -> list[int]:
    """Per-block search radii r_b with sum(r_b + 1) = radius + 1: two hashes within ``radius``
    bits are within r_b bits on some block b (generalised pigeonhole), probes spread evenly."""
    q, rem = divmod(radius + 1, m)
    return [q if i < rem else q - 1 for i in range(m)]


def _probes(width: int, radius: int) -> int:
    return sum(comb(width, k) for k in range(radius + 1))


def plan_blocks(n: int, radius: int) -> int:
    """Number of blocks minimising probes + expected candidates for ``n`` uniform hashes."""
    best, best_cost = 1, float("inf")
    for m in range(1, min(radius + 1, _BITS) + 1):
        cost = 0.0
        for w, r in zip(_widths(m), _radii(m, radius), strict=True):
            cost += n * _probes(w, r) * (1.0 + n / 2.0**w)
            cost += 2.0**w if w <= _DIRECT_MAX_BITS else n * np.log2(max(n, 2)) * 4
        if cost < best_cost:
            best, best_cost = m, cost
    return best


def plan_query_blocks(n: int, q: int, radius: int) -> int:
    """Number of blocks minimising the cost of ``q`` queries against ``n`` indexed hashes:
    probes and candidates per query, plus building each block's bucket table."""
    best, best_cost = 1, float("inf")
    for m in range(1, min(radius + 1, _BITS) + 1):
        cost = 0.0
        for w, r in zip(_widths(m), _radii(m, radius), strict=True):
            cost += q * _probes(w, r) * (1.0 + n / 2.0**w)
            cost += n + (2.0**w if w <= _DIRECT_MAX_BITS else n * np.log2(max(n, 2)) * 4)
        if cost < best_cost:
            best, best_cost = m, cost
    return best


def _masks(width: int, radius: int) -> list[int]:
    out = [0]
    for k in range(1, radius + 1):
        for bits in combinations(range(width), k):
            out.append(sum(1 << b for b in bits))
    return out


class HammingIndex:
    """All pairs of 64-bit hashes within ``radius`` bits, by multi-index hashing."""

    def __init__(self, hashes: np.ndarray, radius: int, blocks: int | None = None) -> None:
        self.hashes = np.ascontiguousarray(hashes, dtype=np.uint64)
        self.radius = int(radius)
        self.blocks = blocks or plan_blocks(len(self.hashes), self.radius)
        self.candidates = 0  # pairs verified by popcount in the last ``pairs()`` call
        # per block, for ``query``: bucket bounds (dense table or sorted keys) and order
        self._sorted: list[tuple[np.ndarray, np.ndarray]] | None = None

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, distance) for every pair i < j within the radius, sorted by (i, j)."""
        h = self.hashes
        n = len(h)
        self.candidates = 0
        found: list[np.ndarray] = []
        shift = 0
        for width, sub in zip(_widths(self.blocks), _radii(self.blocks, self.radius), strict=True):
            keys = ((h >> np.uint64(shift)) & np.uint64((1 << width) - 1)).astype(np.int64)
            shift += width
            if sub < 0:
                continue
            order = np.argsort(keys, kind="stable")
            sorted_keys = keys[order]
            if width <= _DIRECT_MAX_BITS:
                table = np.zeros((1 << width) + 1, dtype=np.int64)
                np.cumsum(np.bincount(keys, minlength=1 << width), out=table[1:])
            for mask in _masks(width, sub):
                if mask == 0:  # same bucket: each member with the members after it
                    src = order
                    lo = np.arange(1, n + 1, dtype=np.int64)
                    hi = (
                        table[keys[order] + 1]
                        if width <= _DIRECT_MAX_BITS
                        else np.searchsorted(sorted_keys, sorted_keys, "right")
                    )
                else:  # probe from the side whose key lacks the mask's top bit: once per pair
                    top = 1 << (mask.bit_length() - 1)
                    src = np.flatnonzero((keys & top) == 0)
                    q = keys[src] ^ mask
                    if width <= _DIRECT_MAX_BITS:
                        lo, hi = table[q], table[q + 1]
                    else:
                        lo = np.searchsorted(sorted_keys, q, "left")
                        hi = np.searchsorted(sorted_keys, q, "right")
                cnt = hi - lo
                hit = np.flatnonzero(cnt > 0)
                if not len(hit):
                    continue
                c = cnt[hit]
                total = int(c.sum())
                i = np.repeat(src[hit], c)
                j = order[np.repeat(lo[hit] - (np.cumsum(c) - c), c) + np.arange(total)]
                self.candidates += total
                ok = np.bitwise_count(h[i] ^ h[j]) <= self.radius
                i, j = i[ok], j[ok]
                found.append(np.minimum(i, j) * np.int64(n) + np.maximum(i, j))
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty.astype(np.uint8)
        code = np.unique(np.concatenate(found))
        i, j = code // n, code % n
        return i, j, np.bitwise_count(h[i] ^ h[j]).astype(np.uint8)

    def query(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(query position, index position, distance) of every indexed hash within the radius
        of each query hash, the same hash value excluded. Cost grows with ``len(q)`` (plus one
        sort of the indexed hashes per block): how an incremental run finds the neighbours of
        new photos among the stored ones."""
        h, q = self.hashes, np.ascontiguousarray(q, dtype=np.uint64)
        n = len(h)
        self.candidates = 0
        found: list[np.ndarray] = []
        shift = 0
        if self._sorted is None:  # sort each block once, however many queries follow
            self._sorted = []
            for width in _widths(self.blocks):
                low = np.uint64((1 << width) - 1)
                keys = ((h >> np.uint64(shift)) & low).astype(np.int64)
                order = np.argsort(keys, kind="stable")
                if width <= _DIRECT_MAX_BITS:  # bucket k is order[table[k]:table[k + 1]]
                    table = np.zeros((1 << width) + 1, dtype=np.int64)
                    np.cumsum(np.bincount(keys, minlength=1 << width), out=table[1:])
                    self._sorted.append((table, order))
                else:
                    self._sorted.append((keys[order], order))
                shift += width
            shift = 0
        for b, (width, sub) in enumerate(
            zip(_widths(self.blocks), _radii(self.blocks, self.radius), strict=True)
        ):
            low = np.uint64((1 << width) - 1)
            qkeys = ((q >> np.uint64(shift)) & low).astype(np.int64)
            shift += width
            if sub < 0 or not len(q):
                continue
            bounds, order = self._sorted[b]
            for mask in _masks(width, sub):
                probe = qkeys ^ mask
                if width <= _DIRECT_MAX_BITS:
                    lo = bounds[probe]
                    cnt = bounds[probe + 1] - lo
                else:
                    lo = np.searchsorted(bounds, probe, "left")
                    cnt = np.searchsorted(bounds, probe, "right") - lo
                hit = np.flatnonzero(cnt > 0)
                if not len(hit):
                    continue
                c = cnt[hit]
                i = np.repeat(hit, c)
                j = order[np.repeat(lo[hit] - (np.cumsum(c) - c), c) + np.arange(int(c.sum()))]
                self.candidates += len(i)
                d = np.bitwise_count(q[i] ^ h[j])
                ok = (d <= self.radius) & (d > 0)
                found.append(i[ok] * np.int64(n) + j[ok])
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty.astype(np.uint8)
        code = np.unique(np.concatenate(found))
        i, j = code // n, code % n
        return i, j, np.bitwise_count(q[i] ^ h[j]).astype(np.uint8)


def hex64(values: np.ndarray) -> list[str]:
    """The canonical spelling of 64-bit hashes: 16 lower-case hex digits."""
    return [f"{int(v):016x}" for v in values.tolist()]


def image_links(
    rows: pa.Table, settings: LinkSettings | None = None, context: pa.Table | None = None
) -> LinkResult:
    """Edges between ads showing the same or a near-identical photo; flagged stock photos."""
    return image_links_with_state(rows, settings, context)[0]


def image_links_with_state(
    rows: pa.Table, settings: LinkSettings | None = None, context: pa.Table | None = None
) -> tuple[LinkResult, pa.Table, int]:
    """``image_links`` and what an incremental run needs: one ``IMAGE_STATE_SCHEMA`` row per
    distinct hash, and the frequency limit used."""
    settings = settings or LinkSettings()
    rows = rows.select(["ad_id", "field", "value"])
    rows = rows.filter(
        pc.and_(pc.equal(rows.column("field"), "image"), pc.is_valid(rows.column("value")))
    )
    ad_codes, ad_ids = factorize(rows.column("ad_id"))
    parsed, valid = hex_to_uint64(rows.column("value").to_pylist())
    # group by hash value: groups come in hash order, so pairs and edges do not depend on the
    # order rows were read in (an incremental run rebuilds the same edges)
    uniq, inverse = np.unique(parsed[valid], return_inverse=True)
    key_codes = np.full(len(parsed), -1, dtype=np.int64)
    key_codes[valid] = inverse
    g = group(ad_codes, key_codes, ad_order=ad_rank(ad_ids))
    if not len(g.sizes):
        return LinkResult.empty(), IMAGE_STATE_SCHEMA.empty_table(), 0
    hashes = uniq[g.group_keys]
    gi, gj, dist = HammingIndex(hashes, settings.image_radius).pairs()
    # Ads in each hash's neighbourhood: its own plus those of every hash within the radius.
    hood = (
        g.sizes
        + np.bincount(gi, weights=g.sizes[gj], minlength=len(g.sizes)).astype(np.int64)
        + np.bincount(gj, weights=g.sizes[gi], minlength=len(g.sizes)).astype(np.int64)
    )
    limit = frequency_limit(hood, settings)
    flagged, n_places, reasons = guard(
        g, limit, settings, AdContext.for_ads(ad_ids, context), counts=hood
    )
    hex_of = pa.array(hex64(hashes), pa.string())
    first = ad_ids.take(pa.array(g.first_ad, pa.int64()))
    edges = pa.concat_tables(
        [
            star_image_edges(ad_ids, g, hex_of, ~flagged),
            near_image_edges(first, hex_of, gi, gj, dist, hood, flagged, settings),
        ]
    )
    bad = np.flatnonzero(flagged)
    flags = flagged_table(
        ["image"] * len(bad),
        hex_of.take(pa.array(bad, pa.int64())).to_pylist(),
        hood[bad].tolist(),
        n_places[bad].tolist(),
        [reasons[i] for i in bad],
    )
    state = pa.table(
        {"hash": hashes, "n_ads": g.sizes, "first_ad": first, "hood": hood, "flagged": flagged},
        schema=IMAGE_STATE_SCHEMA,
    )
    return LinkResult(edges, flags), state, limit


def star_image_edges(ad_ids: pa.Array, g: Grouping, hex_of: pa.Array, ok: np.ndarray) -> pa.Table:
    """Star edges inside each ``ok`` group of ads sharing one hash (``hex_of`` per group)."""
    a, b, gid, sizes, weight = star_edges(g, ok)
    return edge_table(
        ad_ids,
        a,
        b,
        "image",
        hex_of.take(pa.array(gid, pa.int64())),
        weight,
        [d[:-1] + ', "distance": 0}' for d in size_detail(sizes)],
    ).cast(EDGE_SCHEMA)


def near_image_edges(
    first: pa.Array,
    hex_of: pa.Array,
    gi: np.ndarray,
    gj: np.ndarray,
    dist: np.ndarray,
    hood: np.ndarray,
    flagged: np.ndarray,
    settings: LinkSettings,
) -> pa.Table:
    """One edge per pair of distinct hashes within the radius, neither flagged, between the
    first ads of the two (``first`` per hash): ``value`` the smaller hash, ``hash_b`` the
    other, weight by the larger neighbourhood and the distance."""
    ok = ~flagged[gi] & ~flagged[gj]
    gi, gj, dist = gi[ok], gj[ok], dist[ok]
    swap = pc.greater(hex_of.take(pa.array(gi, pa.int64())), hex_of.take(pa.array(gj, pa.int64())))
    swap_np = np.asarray(swap.to_numpy(zero_copy_only=False), dtype=bool)
    gi, gj = np.where(swap_np, gj, gi), np.where(swap_np, gi, gj)
    near_weight = size_weight(np.maximum(hood[gi], hood[gj])) * (
        1.0 - 0.5 * dist / (settings.image_radius + 1)
    ).astype(np.float32)
    other = hex_of.take(pa.array(gj, pa.int64())).to_pylist()
    return pa.Table.from_arrays(
        [
            first.take(pa.array(gi, pa.int64())),
            first.take(pa.array(gj, pa.int64())),
            pa.array(["image"] * len(gi), pa.string()),
            hex_of.take(pa.array(gi, pa.int64())),
            pa.array(near_weight, pa.float32()),
            pa.array(
                [
                    json.dumps({"hash_b": o, "distance": int(d)})
                    for o, d in zip(other, dist, strict=True)
                ],
                pa.string(),
            ),
        ],
        schema=EDGE_SCHEMA,
    )
