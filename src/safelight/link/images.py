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

__all__ = ["HammingIndex", "hex_to_uint64", "image_links"]

_BITS = 64
_DIRECT_MAX_BITS = 24  # blocks up to this wide use a dense bucket table, wider ones a sort


def hex_to_uint64(values: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Parse hex hashes; returns (uint64 values, valid mask). Invalid/missing give valid=False."""
    out = np.zeros(len(values), dtype=np.uint64)
    ok = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if v and len(v) == 16:
            try:
                out[i] = int(v, 16)
                ok[i] = True
            except ValueError:
                pass
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


def image_links(
    rows: pa.Table, settings: LinkSettings | None = None, context: pa.Table | None = None
) -> LinkResult:
    """Edges between ads showing the same or a near-identical photo; flagged stock photos."""
    settings = settings or LinkSettings()
    rows = rows.select(["ad_id", "field", "value"])
    rows = rows.filter(
        pc.and_(pc.equal(rows.column("field"), "image"), pc.is_valid(rows.column("value")))
    )
    if rows.num_rows == 0:
        return LinkResult.empty()
    ad_codes, ad_ids = factorize(rows.column("ad_id"))
    key_codes, hex_values = factorize(pc.utf8_lower(rows.column("value")))
    parsed, valid = hex_to_uint64(hex_values.to_pylist())
    key_codes = np.where(valid[np.maximum(key_codes, 0)], key_codes, -1)
    g = group(ad_codes, key_codes, ad_order=ad_rank(ad_ids))
    if not len(g.sizes):
        return LinkResult.empty()
    hashes = parsed[g.group_keys]
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
    hex_of = hex_values.take(pa.array(g.group_keys, pa.int64()))

    a, b, gid, sizes, weight = star_edges(g, ~flagged)
    exact = edge_table(
        ad_ids,
        a,
        b,
        "image",
        hex_of.take(pa.array(gid, pa.int64())),
        weight,
        [d[:-1] + ', "distance": 0}' for d in size_detail(sizes)],
    )
    ok = ~flagged[gi] & ~flagged[gj]
    gi, gj, dist = gi[ok], gj[ok], dist[ok]
    near_weight = size_weight(np.maximum(hood[gi], hood[gj])) * (
        1.0 - 0.5 * dist / (settings.image_radius + 1)
    ).astype(np.float32)
    other = hex_of.take(pa.array(gj, pa.int64())).to_pylist()
    near = edge_table(
        ad_ids,
        g.first_ad[gi],
        g.first_ad[gj],
        "image",
        hex_of.take(pa.array(gi, pa.int64())),
        near_weight,
        [json.dumps({"hash_b": o, "distance": int(d)}) for o, d in zip(other, dist, strict=True)],
    )
    bad = np.flatnonzero(flagged)
    flags = flagged_table(
        ["image"] * len(bad),
        hex_of.take(pa.array(bad, pa.int64())).to_pylist(),
        hood[bad].tolist(),
        n_places[bad].tolist(),
        [reasons[i] for i in bad],
    )
    edges = pa.concat_tables([exact, near]).cast(EDGE_SCHEMA)
    return LinkResult(edges, flags)
