"""The per-ad, expensive part of text linking: masked tokens and MinHash signatures.

``sketch_texts(texts, spans, settings)`` tokenises each ad's text with its slot values masked
(see ``text.py``), hashes the tokens (CRC-32, once per distinct token) and computes the MinHash
signature of each distinct masked text (``minhash_signatures``: word shingles mixed to 64 bits,
``num_perm`` multiply-shift permutations ``(a * x + b) >> 32``, minimum per document, numpy in
two threads). A sketch depends on its ad alone, so it is computed once per ad and stored; an
incremental run sketches only the new ads (``SKETCHED`` counts the ads sketched, for tests).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.groups import factorize
from safelight.link.model import LinkSettings

__all__ = [
    "SKETCHED",
    "SKETCH_SCHEMA",
    "SLOT_TOKENS",
    "NUM_TOKEN",
    "minhash_signatures",
    "mix64",
    "sketch_texts",
    "span_lists",
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
WORD = re.compile(r"\w+(?:['’]\w+)*")
DIGIT = re.compile(r"\d")
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
SKETCHED = [0]  # ads sketched by this process (tests: an incremental run sketches new ads only)

Span = tuple[int, int, str]  # start, end, field


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
    # only then into Python: a batch's ads hold a small share of a big store's spans
    idx_arr = pc.index_in(spans.column("ad_id"), value_set=ad_ids)
    spans = spans.filter(pc.is_valid(idx_arr))
    idx = pc.drop_null(idx_arr).to_pylist()
    for i, f, s, e in zip(
        idx,
        spans.column("field").to_pylist(),
        spans.column("start").to_pylist(),
        spans.column("end").to_pylist(),
        strict=True,
    ):
        out[i].append((s, e, f))
    return out


def mix64(x: np.ndarray) -> np.ndarray:
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
    a, b = _permutations(num_perm, seed)
    a, b = a[:, None], b[:, None]
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    bounds = np.concatenate([[0], np.cumsum(n_sh)]).astype(np.int64)  # shingles before doc d
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
        # shingles of this run only: the arrays of every doc's shingles at once would take
        # several times the tokens' memory
        x = _shingle_hashes(token_hashes, offsets[d0 : d1 + 1], n_sh[d0:d1], k)
        hv = np.multiply(a, x[None, :])
        np.add(hv, b, out=hv)
        np.right_shift(hv, np.uint64(32), out=hv)
        docs = np.flatnonzero(n_sh[d0:d1] > 0) + d0
        sig[docs] = np.minimum.reduceat(hv, bounds[docs] - s0, axis=1).T

    # numpy releases the GIL in these loops: two threads use two cores
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda r: run(*r), runs))
    return sig, n_sh


def _shingle_hashes(
    token_hashes: np.ndarray, offsets: np.ndarray, n_sh: np.ndarray, k: int
) -> np.ndarray:
    """The 64-bit hash of every word ``k``-shingle of the docs between ``offsets``."""
    first = np.repeat(offsets[:-1], n_sh)
    pos = first + (np.arange(len(first)) - np.repeat(np.cumsum(n_sh) - n_sh, n_sh))
    end = np.repeat(offsets[1:], n_sh)
    x = np.zeros(len(pos), dtype=np.uint64)
    for t in range(k):
        p = pos + t
        inside = p < end
        v = token_hashes[np.minimum(p, len(token_hashes) - 1)] if len(token_hashes) else x
        x = mix64(x * np.uint64(0x9E3779B97F4A7C15) + np.where(inside, v, np.uint64(0)))
    return x


def _token_hash(token: str) -> int:
    t = NUM_TOKEN if DIGIT.search(token) else token
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
        for w in WORD.findall(segment.casefold()):
            h = cache.get(w)
            if h is None:
                h = cache[w] = _token_hash(w)
            self.flat.append(h)


def _hash_tokens(docs: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of already tokenised docs (tests, templates)."""
    flat = [_token_hash(t) for toks in docs for t in toks]
    offsets = np.cumsum([0] + [len(d) for d in docs])
    return np.array(flat, dtype=np.uint64), offsets.astype(np.int64)


SKETCH_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("text_key", pa.binary()),  # digest of the masked token sequence (exact grouping)
        ("n_shingles", pa.int32()),
        ("sig", pa.binary()),  # MinHash signature, num_perm little-endian uint32
    ]
)


def sketch_texts(
    texts: pa.Table,
    spans: pa.Table | None = None,
    settings: LinkSettings | None = None,
    batch: int = 100_000,
) -> pa.Table:
    """The expensive, per-ad part of text linking: tokenise with slots masked and MinHash.
    One ``SKETCH_SCHEMA`` row per ad with a text. A sketch depends on the ad alone, so it is
    computed once per ad and stored: an incremental run sketches only the new ads. Runs over
    ``batch`` ads at a time: the shingle arrays of a million texts would take gigabytes."""
    settings = settings or LinkSettings()
    texts = texts.filter(pc.is_valid(texts.column("text")))
    SKETCHED[0] += texts.num_rows
    if spans is not None:  # only slot spans mask text: filter once, not per batch
        spans = spans.filter(
            pc.is_in(spans.column("field"), pa.array(list(SLOT_TOKENS), pa.string()))
        )
    parts = [
        _sketch_batch(texts.slice(start, batch), spans, settings)
        for start in range(0, texts.num_rows, batch)
    ]
    return pa.concat_tables(parts) if parts else SKETCH_SCHEMA.empty_table()


def _sketch_batch(texts: pa.Table, spans: pa.Table | None, settings: LinkSettings) -> pa.Table:
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
