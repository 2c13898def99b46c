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
   estimated Jaccard;
4. flags buckets shared by more texts than the text limit (site boilerplate) instead of using
   them.

Edges are of kind ``text``; ``value`` is the text cluster id (the smallest ad_id of the
connected group of text-linked ads), so templates (``template.py``) join on it. The result's
``clusters`` table maps each clustered ad to its cluster.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from array import array
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.groups import (
    ad_rank,
    edge_table,
    factorize,
    flagged_table,
    group,
    guard,
    size_detail,
    star_edges,
)
from safelight.link.model import (
    EDGE_SCHEMA,
    LinkResult,
    LinkSettings,
    frequency_limit,
)

__all__ = [
    "SKETCH_SCHEMA",
    "SLOT_TOKENS",
    "TextLinks",
    "link_sketches",
    "minhash_signatures",
    "sketch_texts",
    "span_lists",
    "text_links",
    "tokenize",
]

SLOT_TOKENS: dict[str, str] = {
    "phone": "⟨PHONE⟩",
    "email": "⟨EMAIL⟩",
    "handle": "⟨HANDLE⟩",
    "age": "⟨AGE⟩",
    "price": "⟨PRICE⟩",
    "place": "⟨PLACE⟩",
    "name": "⟨NAME⟩",
}
NUM_TOKEN = "⟨NUM⟩"
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_DIGIT = re.compile(r"\d")
_MASK64 = (1 << 64) - 1
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)

Span = tuple[int, int, str]  # start, end, field


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
    for m in _WORD.finditer(text, start, end):
        w = m.group()
        norm.append(NUM_TOKEN if _DIGIT.search(w) else w.casefold())
        orig.append(w)


def span_lists(ad_ids: pa.Array, spans: pa.Table | None) -> list[list[Span]]:
    """Slot spans per ad, aligned with ``ad_ids`` (extraction rows with start/end)."""
    out: list[list[Span]] = [[] for _ in range(len(ad_ids))]
    if spans is None or spans.num_rows == 0:
        return out
    spans = spans.select(["ad_id", "field", "start", "end"])
    spans = spans.filter(
        pc.and_(
            pc.is_in(spans.column("field"), pa.array(list(SLOT_TOKENS), pa.string())),
            pc.and_(pc.is_valid(spans.column("start")), pc.is_valid(spans.column("end"))),
        )
    )
    idx = pc.index_in(spans.column("ad_id"), value_set=ad_ids).to_pylist()
    for i, f, s, e in zip(
        idx,
        spans.column("field").to_pylist(),
        spans.column("start").to_pylist(),
        spans.column("end").to_pylist(),
        strict=True,
    ):
        if i is not None:
            out[i].append((s, e, f))
    return out


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (wrapping uint64 arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)
    return a, b


def minhash_signatures(
    token_hashes: np.ndarray,
    offsets: np.ndarray,
    shingle_size: int = 3,
    num_perm: int = 64,
    seed: int = 1,
    chunk: int = 100_000,
    threads: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (uint32, docs x num_perm) of word shingles, and the number of
    shingles per doc. ``token_hashes`` (uint64) holds every doc's tokens end to end; doc ``d``
    is ``token_hashes[offsets[d]:offsets[d + 1]]``. A doc shorter than ``shingle_size`` is one
    shingle of all its tokens; an empty doc gets an all-max signature and 0 shingles."""
    n_docs = len(offsets) - 1
    lengths = np.diff(offsets)
    k = shingle_size
    n_sh = np.where(lengths >= k, lengths - k + 1, np.minimum(lengths, 1))
    sh_doc = np.repeat(np.arange(n_docs), n_sh)
    first = np.repeat(offsets[:-1], n_sh)
    pos = first + (np.arange(len(sh_doc)) - np.repeat(np.cumsum(n_sh) - n_sh, n_sh))
    end = np.repeat(offsets[1:], n_sh)
    x = np.zeros(len(pos), dtype=np.uint64)
    for t in range(k):
        p = pos + t
        inside = p < end
        v = token_hashes[np.minimum(p, len(token_hashes) - 1)] if len(token_hashes) else x
        x = _mix(x * np.uint64(0x9E3779B97F4A7C15) + np.where(inside, v, np.uint64(0)))
    a, b = _permutations(num_perm, seed)
    a, b = a[:, None], b[:, None]
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    bounds = np.searchsorted(sh_doc, np.arange(0, n_docs + 1))
    runs: list[tuple[int, int]] = []
    d0 = 0
    while d0 < n_docs:  # runs of whole docs with about ``chunk`` shingles
        d1 = int(np.searchsorted(bounds, bounds[d0] + chunk, "right")) - 1
        d1 = min(max(d1, d0 + 1), n_docs)
        runs.append((d0, d1))
        d0 = d1

    def run(d0: int, d1: int) -> None:
        s0, s1 = bounds[d0], bounds[d1]
        if s1 == s0:
            return
        hv = np.multiply(a, x[None, s0:s1])
        np.add(hv, b, out=hv)
        np.right_shift(hv, np.uint64(32), out=hv)
        docs = np.flatnonzero(n_sh[d0:d1] > 0) + d0
        sig[docs] = np.minimum.reduceat(hv, bounds[docs] - s0, axis=1).T

    # numpy releases the GIL in these loops: two threads use two cores
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda r: run(*r), runs))
    return sig, n_sh


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


@dataclass(frozen=True, slots=True)
class TextLinks:
    result: LinkResult  # edges of kind "text" and flagged boilerplate
    clusters: pa.Table  # ad_id, cluster_id (ads in a text cluster of two or more)


def _token_hash(token: str) -> int:
    t = NUM_TOKEN if _DIGIT.search(token) else token
    return zlib.crc32(t.encode()) | (len(t) << 32)


class _Hasher:
    """Masked token hashes of many texts, end to end in one ``array('Q')`` (8 bytes a token,
    no string kept): what MinHash needs, in bounded memory."""

    def __init__(self) -> None:
        self.cache: dict[str, int] = {t: _token_hash(t) for t in SLOT_TOKENS.values()}
        self.flat = array("Q")
        self.offsets = array("q", [0])
        self.keys: list[bytes] = []  # digest of each text's token hashes (exact grouping)

    def add(self, text: str, spans: Sequence[Span]) -> None:
        cache, flat = self.cache, self.flat
        start_len = len(flat)
        pos = 0
        for start, end, fld in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < pos or end <= start:
                continue
            self._words(text[pos:start])
            flat.append(cache[SLOT_TOKENS[fld]])
            pos = end
        self._words(text[pos:])
        self.offsets.append(len(flat))
        digest = hashlib.blake2b(memoryview(flat)[start_len:].tobytes(), digest_size=16)
        self.keys.append(digest.digest())

    def _words(self, segment: str) -> None:
        cache = self.cache
        for w in _WORD.findall(segment.casefold()):
            h = cache.get(w)
            if h is None:
                h = cache[w] = _token_hash(w)
            self.flat.append(h)


def _hash_tokens(docs: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of already tokenised docs (tests, templates)."""
    flat = [_token_hash(t) for toks in docs for t in toks]
    offsets = np.cumsum([0] + [len(d) for d in docs])
    return np.array(flat, dtype=np.uint64), offsets.astype(np.int64)


def _lsh_pairs(
    sig: np.ndarray, settings: LinkSettings, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Verified near-duplicate pairs (i, j, estimated Jaccard) among rows of ``sig``, and the
    (band, first row) of buckets skipped as too common."""
    n, num_perm = sig.shape
    bands, rows = optimal_bands(settings.text_threshold, num_perm, settings.lsh_recall_weight)
    pi: list[np.ndarray] = []
    pj: list[np.ndarray] = []
    skipped: list[tuple[int, int]] = []
    for band in range(bands):
        cols = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(n, dtype=np.uint64)
        for c in range(rows):
            key = _mix(key ^ cols[:, c])
        order = np.argsort(key, kind="stable")
        skey = key[order]
        new = np.ones(n, dtype=bool)
        new[1:] = skey[1:] != skey[:-1]
        starts = np.flatnonzero(new)
        sizes = np.diff(np.append(starts, n))
        too_big = sizes > limit
        skipped += [(band, int(order[starts[k]])) for k in np.flatnonzero(too_big)]
        gid = np.repeat(np.arange(len(sizes)), sizes)
        member = (~new) & ~too_big[gid]
        idx = np.flatnonzero(member)
        for anchor in (starts[gid[idx]], idx - 1):
            pi.append(order[anchor])
            pj.append(order[idx])
    if not pi:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.float32), skipped
    i = np.concatenate(pi)
    j = np.concatenate(pj)
    code = np.unique(np.minimum(i, j) * np.int64(n) + np.maximum(i, j))
    i, j = code // n, code % n
    jac = np.empty(len(i), dtype=np.float32)
    for s in range(0, len(i), 200_000):
        jac[s : s + 200_000] = (sig[i[s : s + 200_000]] == sig[j[s : s + 200_000]]).mean(axis=1)
    ok = jac >= settings.text_threshold
    return i[ok], j[ok], jac[ok], skipped


SKETCH_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("text_key", pa.binary()),  # digest of the masked token sequence (exact grouping)
        ("n_shingles", pa.int32()),
        ("sig", pa.binary()),  # MinHash signature, num_perm little-endian uint32
    ]
)


def sketch_texts(
    texts: pa.Table, spans: pa.Table | None = None, settings: LinkSettings | None = None
) -> pa.Table:
    """The expensive, per-ad part of text linking: tokenise with slots masked and MinHash.
    One ``SKETCH_SCHEMA`` row per ad with a text. A sketch depends on the ad alone, so it is
    computed once per ad and stored: an incremental run sketches only the new ads."""
    settings = settings or LinkSettings()
    texts = texts.filter(pc.is_valid(texts.column("text")))
    ad_ids = texts.column("ad_id").combine_chunks()
    hasher = _Hasher()
    for text, sp in zip(texts.column("text").to_pylist(), span_lists(ad_ids, spans), strict=True):
        hasher.add(text, sp)
    tokens = np.frombuffer(hasher.flat, dtype=np.uint64)
    offsets = np.frombuffer(hasher.offsets, dtype=np.int64)
    keys = pa.array(hasher.keys, pa.binary())
    codes, _ = factorize(keys)
    # MinHash each distinct masked text once
    _, first = np.unique(codes, return_index=True)
    lengths = offsets[first + 1] - offsets[first]
    take = np.repeat(offsets[first] - (np.cumsum(lengths) - lengths), lengths) + np.arange(
        int(lengths.sum())
    )
    uniq_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    sig, n_sh = minhash_signatures(
        tokens[take], uniq_offsets, settings.shingle_size, settings.num_perm, settings.seed
    )
    width = sig.shape[1] * 4
    flat = pa.py_buffer(np.ascontiguousarray(sig).astype("<u4").tobytes())
    sigs = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), len(first), [None, flat])
    pos = pa.array(codes, pa.int64())
    return pa.Table.from_arrays(
        [
            ad_ids,
            keys,
            pa.array(n_sh[codes], pa.int32()),
            sigs.cast(pa.binary()).take(pos),
        ],
        schema=SKETCH_SCHEMA,
    )


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
    a table ``text_key, sig`` with one row per distinct text, is given). Cheap (grouping, LSH,
    verification), so it runs over every ad each time while sketches are computed for new ads
    only. Pass rows sorted by ``ad_id`` for the same clusters as a full run."""
    from safelight.link.networks import components_of

    settings = settings or LinkSettings()
    ad_ids = sketches.column("ad_id").combine_chunks()
    ad_codes = np.arange(len(ad_ids), dtype=np.int64)
    text_codes, uniq_texts = factorize(sketches.column("text_key"))
    g = group(ad_codes, text_codes, ad_order=ad_rank(ad_ids))
    limit = frequency_limit(g.sizes, settings, upper=settings.text_max_limit)
    flagged, n_places, reasons = guard(g, limit, settings, None)

    # Near duplicates among distinct masked texts long enough to compare.
    n_sh = np.asarray(sketches.column("n_shingles").to_numpy(zero_copy_only=False))[g.first_ad]
    long_enough = n_sh >= settings.min_shingles  # short texts ("call me") prove nothing
    a, b, _, sizes, weight = star_edges(g, ~flagged & long_enough, base_weight=0.8)
    exact_detail = [d[:-1] + ', "exact": true}' for d in size_detail(sizes)]
    usable = np.flatnonzero(long_enough & ~flagged)
    if sigs is None:
        sigs = sketches.select(["text_key", "sig"]).filter(pc.is_valid(sketches.column("sig")))
    needed = uniq_texts.take(pa.array(g.group_keys[usable], pa.int64()))
    sig = _group_sigs(needed, sigs, settings.num_perm)
    ui, uj, jac, skipped = _lsh_pairs(sig, settings, limit)
    del sig
    near_a, near_b = g.first_ad[usable[ui]], g.first_ad[usable[uj]]
    near_w = (0.8 * jac).astype(np.float32)

    all_a = np.concatenate([a, near_a])
    all_b = np.concatenate([b, near_b])
    labels = components_of(len(ad_ids), all_a, all_b)
    clusters = _cluster_ids(ad_ids, labels, np.unique(np.concatenate([all_a, all_b])))
    value = clusters.take(pa.array(labels[all_a], pa.int64()))
    details = exact_detail + [json.dumps({"jaccard": round(float(x), 3)}) for x in jac]
    edges = edge_table(
        ad_ids, all_a, all_b, "text", value, np.concatenate([weight, near_w]), details
    )
    bad = np.flatnonzero(flagged)
    flag_values = [_digest(uniq_texts[int(g.group_keys[k])].as_py()) for k in bad]
    flag_values += [
        f"lsh band {band}: like ad {ad_ids[int(g.first_ad[usable[r]])]}" for band, r in skipped
    ]
    flags = flagged_table(
        ["text"] * len(flag_values),
        flag_values,
        g.sizes[bad].tolist() + [limit + 1] * len(skipped),
        n_places[bad].tolist() + [-1] * len(skipped),
        [reasons[k] for k in bad]
        + [f"template bucket with more than {limit} texts"] * len(skipped),
    )
    in_cluster = np.unique(np.concatenate([all_a, all_b]))
    table = pa.table(
        {
            "ad_id": ad_ids.take(pa.array(in_cluster, pa.int64())),
            "cluster_id": clusters.take(pa.array(labels[in_cluster], pa.int64())),
        }
    )
    return TextLinks(LinkResult(edges.cast(EDGE_SCHEMA), flags), table)


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
