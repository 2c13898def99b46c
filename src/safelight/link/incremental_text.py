"""Incremental text linking: the LSH buckets and clusters new ads touch, nothing else.

``text_delta(store, sketches, settings, stored_limit)`` takes the new ads' sketches (computed
for them alone) and, through the store's index reads (``store/link_index.py``):

1. regroups the texts the new ads carry (their size and first ad change) and re-checks the
   text limit; when it moved, the texts whose size lies between the old and the new limit
   (they change side) are regrouped too;
2. computes band keys of the new distinct texts and fetches the stored members of every bucket
   any of those texts falls into (with a moved limit also every bucket of more texts than
   the lower limit: it may start or stop being skipped);
3. recomputes each touched bucket's candidate pairs before (old limit) and after (new limit)
   the new ads (``lsh.bucket_pairs``): a stored pair's bucket count becomes
   ``stored - before + after`` and it leaves at zero; a pair new in some bucket is verified
   by estimated Jaccard;
4. recomputes the text clusters holding the touched texts or a changed pair (every ad of
   those texts and of the stored clusters they were in) with ``text.text_edges``, the code a
   full run uses, so edges, cluster ids and flags are those of a full run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.groups import ad_rank, factorize, flagged_table, group, size_reason
from safelight.link.lsh import band_keys, bucket_pairs, count_pairs, jaccard, optimal_bands
from safelight.link.model import LinkSettings, frequency_limit, limit_band
from safelight.link.text import (
    BAND_SCHEMA,
    PAIR_SCHEMA,
    _digest,
    skip_flag,
    skip_reason,
    text_edges,
    text_ids,
)

__all__ = ["TextDelta", "text_delta"]


@dataclass(frozen=True, slots=True)
class TextDelta:
    edges: pa.Table  # text edges of the recomputed clusters (replace those of old_clusters)
    clusters: pa.Table  # ad_id, cluster_id of the recomputed clusters
    drop_flags: list[str]  # stored text flags to delete
    flags: pa.Table  # text flags to add
    bands: pa.Table  # BAND_SCHEMA rows of the new distinct texts
    drop_pairs: pa.Table  # tid_a, tid_b of stored pairs to delete
    put_pairs: pa.Table  # PAIR_SCHEMA rows to insert
    sketches: pa.Table  # the new ads' sketches with their tid
    region_texts: int  # distinct texts whose clusters were recomputed
    limit: int  # the text frequency limit now


def _sigs(table: pa.Table, num_perm: int) -> np.ndarray:
    sig = table.column("sig").combine_chunks().cast(pa.binary(num_perm * 4))
    if len(sig) == 0:
        return np.zeros((0, num_perm), np.uint32)
    data = np.frombuffer(sig.buffers()[1], dtype="<u4", count=(sig.offset + len(sig)) * num_perm)
    return data.reshape(-1, num_perm)[sig.offset :].astype(np.uint32)


def _rank(first: list[str | None]) -> np.ndarray:
    """Position of each text in the canonical order (first ad id; absent texts, which no
    bucket of this world holds, anywhere)."""
    order = pc.sort_indices(pa.array([f or "" for f in first], pa.string()))
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.asarray(order)] = np.arange(len(first))
    return rank


def _world(
    rows: dict[str, np.ndarray],
    present: np.ndarray,
    n: np.ndarray,
    first: list[str | None],
    limit: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Pairs (codes ``a * L + b`` over local text indices, a < b), their bucket counts and the
    skip flags of the touched buckets in one world (before or after the new ads)."""
    n_local = len(n)
    t = rows["text"]
    keep = present[t] & (n[t] <= limit)
    rank = _rank(first)
    inv = np.argsort(rank)
    codes, sb, st = bucket_pairs(
        rows["band"][keep], rows["bkey"][keep], rank[t[keep]], n_local, limit
    )
    i, j, cnt = count_pairs([codes], n_local)
    a, b = inv[i], inv[j]
    flags = [skip_flag(int(band), str(first[inv[s]])) for band, s in zip(sb, st, strict=True)]
    return np.minimum(a, b) * n_local + np.maximum(a, b), cnt, inv, flags


def text_delta(
    store: Any, sketches: pa.Table, settings: LinkSettings, stored_limit: int
) -> TextDelta:
    """See the module docstring; ``stored_limit``: the text limit of the stored result."""
    sketches = sketches.append_column("tid", pa.array(text_ids(sketches.column("text_key"))))
    store.put_new_sketches(sketches)
    limit = frequency_limit(store.text_group_sizes(), settings, upper=settings.text_max_limit)
    limit_moved = limit_band(stored_limit, limit)
    stats = store.new_text_stats(limit_moved)
    t_tid = stats.column("tid").to_numpy()
    n_old = stats.column("n_old").to_numpy()
    long_t = stats.column("n_shingles").to_numpy() >= settings.min_shingles
    bands, rows_per_band = optimal_bands(
        settings.text_threshold, settings.num_perm, settings.lsh_recall_weight
    )
    # band keys of the new distinct texts (signatures just computed)
    fresh = t_tid[(n_old == 0) & long_t]
    _, first_row = np.unique(sketches.column("tid").to_numpy(), return_index=True)
    by_tid = sketches.select(["tid", "sig"]).take(pa.array(first_row, pa.int64()))
    fresh_sigs = by_tid.filter(pc.is_in(by_tid.column("tid"), pa.array(fresh, pa.int64())))
    fresh_tids = fresh_sigs.column("tid").to_numpy()
    keys = band_keys(_sigs(fresh_sigs, settings.num_perm), bands, rows_per_band)
    new_bands = pa.table(
        {
            "band": pa.array(np.tile(np.arange(bands, dtype=np.uint8), len(fresh_tids))),
            "bkey": pa.array(keys.reshape(-1)),
            "tid": pa.array(np.repeat(fresh_tids, bands)),
        },
        schema=BAND_SCHEMA,
    )
    old_bands = store.text_bands_of(t_tid[(n_old > 0) & long_t])
    touched = [
        old_bands.cast(BAND_SCHEMA).select(["band", "bkey"]),
        new_bands.select(["band", "bkey"]),
    ]
    if limit_moved is not None:  # buckets a moved limit may start or stop skipping
        touched.append(store.big_buckets(limit_moved[0]).cast(BAND_SCHEMA.remove(2)))
    buckets = pa.concat_tables(touched)
    members = store.bucket_members(buckets.group_by(["band", "bkey"]).aggregate([]))
    # local texts: every bucket member and every text of a new ad, indexed in tid order
    tids = np.unique(np.concatenate([members.column("tid").to_numpy(), t_tid]))
    n_local = len(tids)
    n_before = np.zeros(n_local, np.int64)
    first_before: list[str | None] = [None] * n_local
    m_idx = np.searchsorted(tids, members.column("tid").to_numpy())
    n_before[m_idx] = members.column("n").to_numpy()
    for k, f in zip(m_idx.tolist(), members.column("first").to_pylist(), strict=True):
        first_before[k] = f
    n_after, first_after = n_before.copy(), list(first_before)
    t_idx = np.searchsorted(tids, t_tid)
    n_after[t_idx] = stats.column("n_new").to_numpy()
    for k, f in zip(t_idx.tolist(), stats.column("first_new").to_pylist(), strict=True):
        first_after[k] = f
    cols = {
        "band": np.concatenate(
            [members.column("band").to_numpy(), new_bands.column("band").to_numpy()]
        ),
        "bkey": np.concatenate(
            [members.column("bkey").to_numpy(), new_bands.column("bkey").to_numpy()]
        ),
        "text": np.concatenate([m_idx, np.searchsorted(tids, new_bands.column("tid").to_numpy())]),
    }
    old_codes, old_cnt, _, old_flags = _world(
        cols, n_before > 0, n_before, first_before, stored_limit
    )
    new_codes, new_cnt, _, new_flags = _world(cols, n_after > 0, n_after, first_after, limit)

    # bucket counts of every pair a touched bucket produces, before and after
    codes = np.union1d(old_codes, new_codes)
    before = np.zeros(len(codes), np.int64)
    after = np.zeros(len(codes), np.int64)
    before[np.searchsorted(codes, old_codes)] = old_cnt
    after[np.searchsorted(codes, new_codes)] = new_cnt
    ta, tb = tids[codes // n_local], tids[codes % n_local]
    stored = store.text_pairs_of(pa.table({"tid_a": ta, "tid_b": tb}))
    s_codes = np.searchsorted(tids, stored.column("tid_a").to_numpy()) * n_local + np.searchsorted(
        tids, stored.column("tid_b").to_numpy()
    )
    pos = np.searchsorted(codes, s_codes)
    count = stored.column("n_buckets").to_numpy().astype(np.int64) - before[pos] + after[pos]
    gone = count <= 0
    changed = ~gone & (count != stored.column("n_buckets").to_numpy())
    is_stored = np.zeros(len(codes), bool)
    is_stored[pos] = True
    cand = np.flatnonzero(~is_stored & (after > 0))
    # verify the candidates new to every bucket
    ca, cb = codes[cand] // n_local, codes[cand] % n_local
    need = np.unique(np.concatenate([ca, cb]))
    old_sig = store.text_sigs_of(tids[need])
    sig_rows = pa.concat_tables([old_sig.select(["tid", "sig"]), by_tid])
    sig_tid, first_row = np.unique(sig_rows.column("tid").to_numpy(), return_index=True)
    mat = _sigs(sig_rows.take(pa.array(first_row, pa.int64())), settings.num_perm)
    jac = jaccard(mat, mat, np.searchsorted(sig_tid, tids[ca]), np.searchsorted(sig_tid, tids[cb]))
    ok = jac >= settings.text_threshold
    added = cand[ok]
    put_pairs = pa.concat_tables(
        [
            stored.filter(pa.array(changed))
            .drop_columns(["n_buckets"])
            .append_column("n_buckets", pa.array(count[changed].astype(np.int32)))
            .cast(PAIR_SCHEMA),
            pa.table(
                {
                    "tid_a": ta[added],
                    "tid_b": tb[added],
                    "jaccard": jac[ok],
                    "n_buckets": after[added].astype(np.int32),
                },
                schema=PAIR_SCHEMA,
            ),
        ]
    )
    drop_pairs = stored.filter(pa.array(gone | changed)).select(["tid_a", "tid_b"])

    # recompute the clusters around the texts of new ads and the pairs that came or went
    moved = np.concatenate([s_codes[gone], codes[added]])
    s_tids = np.unique(np.concatenate([t_tid, tids[moved // n_local], tids[moved % n_local]]))
    gone_keys = set(zip(ta[pos[gone]].tolist(), tb[pos[gone]].tolist(), strict=True))
    added_pairs = pa.table(
        {"tid_a": ta[added], "tid_b": tb[added], "jaccard": jac[ok]}, schema=PAIR_SCHEMA.remove(3)
    )
    edges, clusters, region_texts = _recluster(
        store, settings, limit, s_tids, gone_keys, added_pairs
    )

    keys_hex = [_digest(k) for k in stats.column("text_key").to_pylist()]
    too_many = np.flatnonzero(stats.column("n_new").to_numpy() > limit)
    flag_values = [keys_hex[k] for k in too_many] + new_flags
    flags = flagged_table(
        ["text"] * len(flag_values),
        flag_values,
        stats.column("n_new").to_numpy()[too_many].tolist() + [limit + 1] * len(new_flags),
        [-1] * len(flag_values),
        [size_reason(limit)] * len(too_many) + [skip_reason(limit)] * len(new_flags),
    )
    return TextDelta(
        edges,
        clusters,
        keys_hex + old_flags,
        flags,
        new_bands,
        drop_pairs,
        put_pairs,
        sketches,
        region_texts,
        limit,
    )


def _recluster(
    store: Any,
    settings: LinkSettings,
    limit: int,
    s_tids: np.ndarray,
    gone_keys: set[tuple[int, int]],
    added_pairs: pa.Table,
) -> tuple[pa.Table, pa.Table, int]:
    """Edges and clusters of the stored clusters holding any of ``s_tids`` (and of those
    texts), with the pairs as they are now: the stored ones but ``gone_keys``, plus
    ``added_pairs``. Returns them and the number of distinct texts recomputed."""
    rows, region_pairs, _ = store.text_region(s_tids)  # old cluster ids: temp _link_tclusters
    keep = [
        (a, b) not in gone_keys
        for a, b in zip(
            region_pairs.column("tid_a").to_pylist(),
            region_pairs.column("tid_b").to_pylist(),
            strict=True,
        )
    ]
    region_pairs = pa.concat_tables(
        [
            region_pairs.filter(pa.array(keep, pa.bool_()))
            .select(["tid_a", "tid_b", "jaccard"])
            .cast(added_pairs.schema),
            added_pairs,
        ]
    )
    ad_ids = rows.column("ad_id").combine_chunks()
    text_codes, text_vals = factorize(rows.column("tid"))
    g = group(np.arange(len(ad_ids), dtype=np.int64), text_codes, ad_order=ad_rank(ad_ids))
    g_tid = np.asarray(text_vals.to_numpy(zero_copy_only=False))[g.group_keys]
    n_sh = rows.column("n_shingles").to_numpy()[g.first_ad]
    long_idx = np.flatnonzero(n_sh >= settings.min_shingles)
    g_order = np.argsort(g_tid)
    gi = g_order[np.searchsorted(g_tid, region_pairs.column("tid_a").to_numpy(), sorter=g_order)]
    gj = g_order[np.searchsorted(g_tid, region_pairs.column("tid_b").to_numpy(), sorter=g_order)]
    jac = region_pairs.column("jaccard").to_numpy()
    edges, clusters = text_edges(ad_ids, g, g.sizes <= limit, long_idx, gi, gj, jac)
    return edges, clusters, len(g.sizes)
