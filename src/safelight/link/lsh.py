"""LSH banding of MinHash signatures: band keys, bucket candidate pairs, verification.

The candidate rule is defined on *one bucket at a time*, so an incremental run can recompute
exactly the buckets new texts fall into:

- a bucket is the texts sharing a band key in one band, ordered by text code (the caller's
  canonical order: a text's first ad id);
- a bucket with more than ``limit`` texts is skipped (site boilerplate) and reported;
- otherwise each member is paired with the bucket's first member and with the member before
  it (recall when the first member is an outlier, without all pairs of a big bucket).

A pair's ``count`` is the number of buckets producing it (at most one per band). Stored with
each verified pair, it tells an incremental run whether a pair a touched bucket no longer
produces is still produced by another bucket (count > 0) without reading that bucket.
"""

from __future__ import annotations

import numpy as np

from safelight.link.sketch import mix64

__all__ = ["band_keys", "bucket_pairs", "count_pairs", "jaccard", "optimal_bands"]


def optimal_bands(threshold: float, num_perm: int, recall_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false positive + false negative probability areas
    around ``threshold`` (the criterion of datasketch's ``MinHashLSH``, whose weights are
    0.5/0.5)."""
    xs = np.linspace(0.0, 1.0, 1001)
    best, best_err = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            p = 1.0 - (1.0 - xs**r) ** b
            fp = np.trapezoid(np.where(xs < threshold, p, 0.0), xs)
            fn = np.trapezoid(np.where(xs >= threshold, 1.0 - p, 0.0), xs)
            err = (1.0 - recall_weight) * fp + recall_weight * fn
            if err < best_err:
                best, best_err = (b, r), err
    return best


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Bucket key (uint64) of each signature row in each band: ``len(sig) x bands``."""
    n = len(sig)
    out = np.empty((n, bands), dtype=np.uint64)
    for band in range(bands):
        cols = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(n, dtype=np.uint64)
        for c in range(rows):
            key = mix64(key ^ cols[:, c])
        out[:, band] = key
    return out


def bucket_pairs(
    band: np.ndarray, key: np.ndarray, text: np.ndarray, n_texts: int, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs of the buckets given as membership rows (band, key, text code).
    Returns (pair codes ``i * n_texts + j`` with i < j, one per producing bucket; band and
    first text of each bucket skipped as too big)."""
    order = np.lexsort((text, key, band))
    b, k, t = band[order], key[order], text[order].astype(np.int64)
    n = len(t)
    new = np.ones(n, dtype=bool)
    new[1:] = (b[1:] != b[:-1]) | (k[1:] != k[:-1])
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, n))
    too_big = sizes > limit
    gid = np.repeat(np.arange(len(sizes)), sizes)
    idx = np.flatnonzero(~new & ~too_big[gid])
    first = starts[gid[idx]]
    from_first = t[first] * np.int64(n_texts) + t[idx]
    has_prev = idx - 1 != first  # the previous member is not the first: a second pair
    prev = idx[has_prev]
    from_prev = t[prev - 1] * np.int64(n_texts) + t[prev]
    skipped = starts[too_big]
    return np.concatenate([from_first, from_prev]), b[skipped], t[skipped]


def count_pairs(codes: list[np.ndarray], n_texts: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, buckets producing the pair) from ``bucket_pairs`` codes of several bands."""
    if not codes:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    uniq, counts = np.unique(np.concatenate(codes), return_counts=True)
    return uniq // n_texts, uniq % n_texts, counts.astype(np.int64)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Estimated Jaccard (float32, share of equal MinHash values) of rows ``sig_a[i]`` and
    ``sig_b[j]``, in chunks to bound memory."""
    out = np.empty(len(i), dtype=np.float32)
    for s in range(0, len(i), 200_000):
        out[s : s + 200_000] = (sig_a[i[s : s + 200_000]] == sig_b[j[s : s + 200_000]]).mean(axis=1)
    return out
