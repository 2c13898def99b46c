"""Near-duplicate text: one template, different fillers.

Each ad's text (``ad_text(title, body)``) is tokenised with its extracted slot values masked:
the spans of phones, emails, handles, ages, prices, places and names (extraction offsets)
become ``⟨PHONE⟩``, ``⟨NAME⟩``... and any other word with a digit becomes ``⟨NUM⟩``. So two ads
written from one template for different people, numbers and cities give the same tokens.

``text_links(texts, spans, settings)`` then

1. groups ads whose masked token sequence is identical (star edges, ``detail.exact``);
2. computes MinHash signatures of the word ``shingle_size``-shingles of each distinct masked
   text, vectorised with numpy (tokens hashed once with CRC-32, shingles mixed to 64 bits,
   ``num_perm`` multiply-shift permutations ``(a * x + b) >> 32``, minimum per document);
3. runs LSH banding (bands and rows chosen, as datasketch's ``MinHashLSH`` does, to minimise
   false positives + false negatives around ``text_threshold``, here weighted towards recall)
   and verifies each bucket member against the bucket's first and previous member by
   estimated Jaccard (``lsh.py``);
4. flags buckets shared by more texts than the text limit (site boilerplate) instead of using
   them.

Edges are of kind ``text``; ``value`` is the text cluster id (the smallest ad_id of the
connected group of text-linked ads), so templates (``template.py``) join on it. The result's
``clusters`` table maps each clustered ad to its cluster; its ``state`` (band keys per text,
verified pairs with the number of buckets producing them) is stored for incremental runs
(``incremental_text.py``). Tokens and signatures are computed in ``sketch.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.groups import (
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
from safelight.link.lsh import band_keys, bucket_pairs, count_pairs, jaccard, optimal_bands
from safelight.link.model import EDGE_SCHEMA, LinkResult, LinkSettings, frequency_limit
from safelight.link.sketch import (
    DIGIT,
    NUM_TOKEN,
    SKETCH_SCHEMA,
    SLOT_TOKENS,
    WORD,
    Span,
    _hash_tokens,
    minhash_signatures,
    sketch_texts,
    span_lists,
)

__all__ = [
    "BAND_SCHEMA",
    "PAIR_SCHEMA",
    "SKETCH_SCHEMA",
    "SLOT_TOKENS",
    "TextLinks",
    "link_sketches",
    "minhash_signatures",
    "optimal_bands",
    "sketch_texts",
    "span_lists",
    "text_edges",
    "text_ids",
    "text_links",
    "tokenize",
]

_ = _hash_tokens  # re-exported for tests

# Stored for incremental runs: band keys of every long-enough distinct text, verified pairs.
BAND_SCHEMA = pa.schema([("band", pa.uint8()), ("bkey", pa.uint64()), ("tid", pa.int64())])
PAIR_SCHEMA = pa.schema(
    [
        ("tid_a", pa.int64()),  # tid_a < tid_b
        ("tid_b", pa.int64()),
        ("jaccard", pa.float32()),
        ("n_buckets", pa.int32()),  # LSH buckets producing the pair (see lsh.py)
    ]
)


def tokenize(text: str, spans: Sequence[Span] = ()) -> tuple[list[str], list[str]]:
    """(normalised tokens, original text of each token). Slot spans become one slot token;
    overlapping spans keep the first (earliest, then longest)."""
    norm: list[str] = []
    orig: list[str] = []
    pos = 0
    for start, end, fld in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or end <= start:
            continue
        _words(text, pos, start, norm, orig)
        norm.append(SLOT_TOKENS[fld])
        orig.append(text[start:end])
        pos = end
    _words(text, pos, len(text), norm, orig)
    return norm, orig


def _words(text: str, start: int, end: int, norm: list[str], orig: list[str]) -> None:
    for m in WORD.finditer(text, start, end):
        w = m.group()
        norm.append(NUM_TOKEN if DIGIT.search(w) else w.casefold())
        orig.append(w)


def text_ids(keys: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A text's 64-bit id: the first 8 bytes of its 128-bit masked-text digest (the stored
    index joins on it; a collision needs about 4 billion distinct texts to be likely)."""
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    if len(keys) == 0:
        return np.zeros(0, np.int64)
    fixed = keys.cast(pa.binary(16))
    raw = np.frombuffer(fixed.buffers()[1], dtype="<i8", count=2 * len(keys), offset=0)
    return raw.reshape(-1, 2)[fixed.offset : fixed.offset + len(keys), 0].copy()


@dataclass(frozen=True, slots=True)
class TextLinks:
    result: LinkResult  # edges of kind "text" and flagged boilerplate
    clusters: pa.Table  # ad_id, cluster_id (ads in a text cluster of two or more)
    bands: pa.Table | None = None  # BAND_SCHEMA (stored for incremental runs)
    pairs: pa.Table | None = None  # PAIR_SCHEMA
    limit: int = 0  # the text frequency limit used


def text_links(
    texts: pa.Table, spans: pa.Table | None = None, settings: LinkSettings | None = None
) -> TextLinks:
    """Near-duplicate text edges. ``texts``: ``ad_id``, ``text`` (the ``ad_text``);
    ``spans``: extraction rows (``ad_id``, ``field``, ``start``, ``end``)."""
    return link_sketches(sketch_texts(texts, spans, settings), settings)


def link_sketches(
    sketches: pa.Table, settings: LinkSettings | None = None, sigs: pa.Table | None = None
) -> TextLinks:
    """Text edges from per-ad sketches (``SKETCH_SCHEMA``; without ``sig`` when ``sigs``,
    a table ``text_key, sig`` with one row per distinct text, is given)."""
    settings = settings or LinkSettings()
    ad_ids = sketches.column("ad_id").combine_chunks()
    arank = ad_rank(ad_ids)
    text_codes, uniq_texts = factorize(sketches.column("text_key"))
    g = group(np.arange(len(ad_ids), dtype=np.int64), text_codes, ad_order=arank)
    limit = frequency_limit(g.sizes, settings, upper=settings.text_max_limit)
    flagged, _, reasons = guard(g, limit, settings, None)

    n_sh = np.asarray(sketches.column("n_shingles").to_numpy(zero_copy_only=False))[g.first_ad]
    long_idx = np.flatnonzero(n_sh >= settings.min_shingles)  # short texts prove nothing
    long_idx = long_idx[np.argsort(arank[g.first_ad[long_idx]], kind="stable")]  # canonical
    if sigs is None:
        sigs = sketches.select(["text_key", "sig"]).filter(pc.is_valid(sketches.column("sig")))
    keys = uniq_texts.take(pa.array(g.group_keys[long_idx], pa.int64()))
    tids = text_ids(keys)
    sig = _group_sigs(keys, sigs, settings.num_perm)
    bands, rows = optimal_bands(
        settings.text_threshold, settings.num_perm, settings.lsh_recall_weight
    )
    bkeys = band_keys(sig, bands, rows)
    usable = np.flatnonzero(~flagged[long_idx])  # positions in long_idx (canonical order)
    codes, sk_band, sk_text = [], [], []
    for band in range(bands):
        c, sb, st = bucket_pairs(
            np.full(len(usable), band, np.int64), bkeys[usable, band], usable, len(long_idx), limit
        )
        codes.append(c)
        sk_band.append(sb)
        sk_text.append(st)
    i, j, count = count_pairs(codes, len(long_idx))
    del codes
    jac = jaccard(sig, sig, i, j)
    del sig
    ok = jac >= settings.text_threshold
    i, j, jac, count = i[ok], j[ok], jac[ok], count[ok]
    edges, clusters = text_edges(ad_ids, g, ~flagged, long_idx, long_idx[i], long_idx[j], jac)

    bad = np.flatnonzero(flagged)
    flag_values = [_digest(uniq_texts[int(g.group_keys[k])].as_py()) for k in bad]
    skip_band, skip_text = np.concatenate(sk_band), np.concatenate(sk_text)
    skip_ads = ad_ids.take(pa.array(g.first_ad[long_idx[skip_text]], pa.int64())).to_pylist()
    flag_values += [skip_flag(int(b), a) for b, a in zip(skip_band, skip_ads, strict=True)]
    flags = flagged_table(
        ["text"] * len(flag_values),
        flag_values,
        g.sizes[bad].tolist() + [limit + 1] * len(skip_ads),
        [-1] * len(flag_values),
        [reasons[k] for k in bad] + [skip_reason(limit)] * len(skip_ads),
    )
    band_table = pa.table(
        {
            "band": pa.array(np.tile(np.arange(bands, dtype=np.uint8), len(tids))),
            "bkey": pa.array(bkeys.reshape(-1)),
            "tid": pa.array(np.repeat(tids, bands)),
        },
        schema=BAND_SCHEMA,
    )
    ta, tb = tids[i], tids[j]
    pair_table = pa.table(
        {
            "tid_a": np.minimum(ta, tb),
            "tid_b": np.maximum(ta, tb),
            "jaccard": jac,
            "n_buckets": count.astype(np.int32),
        },
        schema=PAIR_SCHEMA,
    )
    return TextLinks(LinkResult(edges, flags), clusters, band_table, pair_table, limit)


def skip_flag(band: int, first_ad: str) -> str:
    return f"lsh band {band}: like ad {first_ad}"


def skip_reason(limit: int) -> str:
    return f"template bucket with more than {limit} texts"


def text_edges(
    ad_ids: pa.Array,
    g: Grouping,
    ok: np.ndarray,
    long_idx: np.ndarray,
    gi: np.ndarray,
    gj: np.ndarray,
    jac: np.ndarray,
) -> tuple[pa.Table, pa.Table]:
    """Text edges and clusters (``ad_id, cluster_id``) from groups of ads with one masked text
    (``g`` over codes into ``ad_ids``, ads ordered by id): a star inside each group that is
    ``ok`` (not too common) and long enough (in ``long_idx``), and an edge between the first
    ads of the verified near-duplicate groups ``gi``, ``gj`` (Jaccard ``jac``). Shared by full
    and incremental runs, so both write the same rows."""
    long_ok = np.zeros(len(g.sizes), dtype=bool)
    long_ok[long_idx] = True
    a, b, _, sizes, weight = star_edges(g, ok & long_ok, base_weight=0.8)
    exact_detail = [d[:-1] + ', "exact": true}' for d in size_detail(sizes)]
    near_a, near_b = g.first_ad[gi], g.first_ad[gj]
    rank = ad_rank(ad_ids)
    swap = rank[near_a] > rank[near_b]  # the smaller ad id first, whatever the input order
    near_a, near_b = np.where(swap, near_b, near_a), np.where(swap, near_a, near_b)
    near_w = (0.8 * jac).astype(np.float32)
    all_a = np.concatenate([a, near_a])
    all_b = np.concatenate([b, near_b])
    from safelight.link.networks import components_of

    labels = components_of(len(ad_ids), all_a, all_b)
    in_cluster = np.unique(np.concatenate([all_a, all_b]))
    cluster_of = _cluster_ids(ad_ids, labels, in_cluster)
    value = cluster_of.take(pa.array(labels[all_a], pa.int64()))
    details = exact_detail + [json.dumps({"jaccard": round(float(x), 3)}) for x in jac]
    edges = edge_table(
        ad_ids, all_a, all_b, "text", value, np.concatenate([weight, near_w]), details
    )
    table = pa.table(
        {
            "ad_id": ad_ids.take(pa.array(in_cluster, pa.int64())),
            "cluster_id": cluster_of.take(pa.array(labels[in_cluster], pa.int64())),
        }
    )
    return edges.cast(EDGE_SCHEMA), table


def _group_sigs(keys: pa.Array, sigs: pa.Table, num_perm: int) -> np.ndarray:
    """Signature matrix (len(keys) x num_perm) of the given text keys."""
    if len(keys) == 0:
        return np.zeros((0, num_perm), np.uint32)
    idx = pc.index_in(keys, value_set=sigs.column("text_key").combine_chunks())
    if idx.null_count:
        raise ValueError("a text key has no stored MinHash signature")
    picked = sigs.column("sig").combine_chunks().take(idx).cast(pa.binary(num_perm * 4))
    data = np.frombuffer(
        picked.buffers()[1],
        dtype="<u4",
        count=len(keys) * num_perm,
        offset=picked.offset * num_perm * 4,
    )
    return data.reshape(len(keys), num_perm).astype(np.uint32)


def _digest(key: bytes) -> str:
    return "masked text " + key.hex()


def _cluster_ids(ad_ids: pa.Array, labels: np.ndarray, members: np.ndarray) -> pa.Array:
    """Per component label: the smallest ad_id among its members (null for singletons)."""
    ids = np.full(labels.max() + 1 if len(labels) else 0, None, dtype=object)
    names = ad_ids.take(pa.array(members, pa.int64())).to_pylist()
    for m, name in zip(members.tolist(), names, strict=True):
        lab = labels[m]
        if ids[lab] is None or name < ids[lab]:
            ids[lab] = name
    return pa.array(ids.tolist(), pa.string())
