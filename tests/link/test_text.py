from __future__ import annotations

import json
import random

import numpy as np
import pyarrow as pa
from datasketch import MinHash

from safelight.link import LinkSettings, minhash_signatures, text_links, tokenize
from safelight.link.text import _hash_tokens, optimal_bands, sketch_texts
from safelight.records import EXTRACTION_SCHEMA

PEOPLE = [
    ("Mia", "Dallas", "903-312-1887", "21", "$150"),
    ("Kandi", "Tyler", "214 555 0199", "19", "$200"),
    ("Destiny", "Austin", "512.555.0101", "22", "$180"),
    ("Ashlee", "Waco", "254-555-0123", "20", "$160"),
]
TEMPLATE = (
    "New in {city}!! Hi gentlemen I'm {name}, {age} yo, sweet and discreet, {price} hh. "
    "Call {phone} no texts, no blocked calls. Incalls only, clean and safe upscale place"
)
OTHER = [
    "Brand new girl visiting this weekend only, come relax with a friendly smile and good vibes",
    "Looking for a generous gentleman for dinner dates and quality time downtown tonight",
]


def _ads() -> tuple[pa.Table, pa.Table]:
    texts, spans = [], []
    for k, (name, city, phone, age, price) in enumerate(PEOPLE):
        text = TEMPLATE.format(city=city, name=name, phone=phone, age=age, price=price)
        texts.append({"ad_id": f"t{k}", "text": text})
        for fld, v in [
            ("place", city),
            ("name", name),
            ("phone", phone),
            ("age", age),
            ("price", price),
        ]:
            s = text.index(v)
            spans.append(
                {
                    "ad_id": f"t{k}",
                    "field": fld,
                    "value": v,
                    "text": v,
                    "start": s,
                    "end": s + len(v),
                }
            )
    texts += [{"ad_id": f"o{k}", "text": t} for k, t in enumerate(OTHER)]
    return pa.Table.from_pylist(texts), pa.Table.from_pylist(spans, schema=EXTRACTION_SCHEMA)


def test_tokenize_masks_slots_and_numbers() -> None:
    text = "Hi I'm Mia, call 903-312-1887 now, room 12b"
    s = text.index("Mia")
    p = text.index("903")
    norm, orig = tokenize(text, [(s, s + 3, "name"), (p, p + 12, "phone")])
    assert norm == ["hi", "i'm", "⟨NAME⟩", "call", "⟨PHONE⟩", "now", "room", "⟨NUM⟩"]
    assert orig[2] == "Mia" and orig[4] == "903-312-1887" and orig[-1] == "12b"


def test_template_with_different_fillers_clusters() -> None:
    texts, spans = _ads()
    tl = text_links(texts, spans)
    clusters = dict(
        zip(
            tl.clusters.column("ad_id").to_pylist(),
            tl.clusters.column("cluster_id").to_pylist(),
            strict=True,
        )
    )
    assert set(clusters) == {"t0", "t1", "t2", "t3"}
    assert set(clusters.values()) == {"t0"}
    edges = tl.result.edges.to_pylist()
    assert {e["kind"] for e in edges} == {"text"} and {e["value"] for e in edges} == {"t0"}
    assert all(json.loads(e["detail"]).get("exact") for e in edges)  # masked: identical


def test_without_masking_fillers_break_exact_match_but_lsh_still_links() -> None:
    texts, _ = _ads()
    tl = text_links(texts, None)
    edges = tl.result.edges.to_pylist()
    assert {e["ad_a"] for e in edges} | {e["ad_b"] for e in edges} <= {"t0", "t1", "t2", "t3"}
    assert all("jaccard" in json.loads(e["detail"]) for e in edges)


def test_edited_copy_links_unrelated_does_not() -> None:
    rng = random.Random(3)
    base = " ".join(
        rng.choice(
            [
                "sweet",
                "petite",
                "discreet",
                "fun",
                "real",
                "pics",
                "no",
                "rush",
                "clean",
                "safe",
                "upscale",
                "incall",
                "outcall",
                "special",
                "today",
                "only",
            ]
        )
        for _ in range(60)
    )
    edited = base.replace("fun", "happy", 1) + " ask about specials"
    other = " ".join(reversed(base.split()))
    texts = pa.table({"ad_id": ["a", "b", "c"], "text": [base, edited, other]})
    pairs = {(e["ad_a"], e["ad_b"]) for e in text_links(texts).result.edges.to_pylist()}
    assert pairs == {("a", "b")}


def test_short_texts_are_not_compared() -> None:
    texts = pa.table({"ad_id": ["a", "b"], "text": ["call me now", "call me later"]})
    assert text_links(texts).result.edges.num_rows == 0


def test_numpy_minhash_estimates_jaccard_like_datasketch() -> None:
    rng = random.Random(5)
    vocab = [f"w{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(400)]
    docs = [[rng.choice(vocab) for _ in range(120)] for _ in range(6)]
    docs += [d[:80] + [rng.choice(vocab) for _ in range(40)] for d in docs[:3]]
    hashes, offsets = _hash_tokens(docs)
    sig, n_sh = minhash_signatures(hashes, offsets, 3, 128, seed=1)
    assert n_sh.tolist() == [118] * len(docs)
    for i, j in [(0, 6), (1, 7), (0, 1), (2, 8)]:
        si = {tuple(docs[i][k : k + 3]) for k in range(118)}
        sj = {tuple(docs[j][k : k + 3]) for k in range(118)}
        true = len(si & sj) / len(si | sj)
        ours = float((sig[i] == sig[j]).mean())
        mi, mj = MinHash(num_perm=128), MinHash(num_perm=128)
        mi.update_batch([" ".join(s).encode() for s in si])
        mj.update_batch([" ".join(s).encode() for s in sj])
        assert abs(ours - true) < 0.15 and abs(ours - mi.jaccard(mj)) < 0.2


def test_signatures_are_deterministic() -> None:
    hashes, offsets = _hash_tokens([["a", "b", "c", "d"], ["x"], []])
    s1, n1 = minhash_signatures(hashes, offsets)
    s2, _ = minhash_signatures(hashes, offsets)
    assert np.array_equal(s1, s2) and n1.tolist() == [2, 1, 0]


def test_lsh_bands_fit_threshold() -> None:
    b, r = optimal_bands(0.6, 64)
    assert b * r <= 64 and 0.45 < (1 / b) ** (1 / r) < 0.75


def test_boilerplate_shared_by_too_many_ads_is_flagged() -> None:
    boiler = "This site is for adults only and all ads are posted by independent adults"
    texts = pa.table({"ad_id": [f"b{i:03d}" for i in range(30)], "text": [boiler] * 30})
    tl = text_links(texts, None, LinkSettings(max_group_ads=10))
    assert tl.result.edges.num_rows == 0
    assert tl.result.flagged.column("n_ads").to_pylist() == [30]


def test_sketching_in_batches_gives_the_same_sketches() -> None:
    texts, spans = _ads()
    whole = sketch_texts(texts, spans)
    assert sketch_texts(texts, spans, batch=2).equals(whole)
