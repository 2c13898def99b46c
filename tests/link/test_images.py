from __future__ import annotations

import itertools
import json
from collections.abc import Callable

import numpy as np
import pytest

from safelight.link import HammingIndex, LinkSettings, image_links
from safelight.link.images import hex_to_uint64, plan_blocks


def _flip(h: int, bits: list[int]) -> int:
    for b in bits:
        h ^= 1 << b
    return h


def _hex(h: int) -> str:
    return f"{h:016x}"


def test_images_3_bits_apart_link_20_bits_apart_do_not(ext_rows: Callable) -> None:
    base = 0x8F3C_21A0_55E1_9B07
    near = _flip(base, [1, 17, 40])
    far = _flip(base, list(range(0, 60, 3)))
    res = image_links(
        ext_rows(
            [("a", "image", _hex(base)), ("b", "image", _hex(near)), ("c", "image", _hex(far))]
        )
    )
    edges = res.edges.to_pylist()
    assert len(edges) == 1
    e = edges[0]
    assert {e["ad_a"], e["ad_b"]} == {"a", "b"}
    # oriented by hash value (not input order), so every run writes the same row
    lo, hi = sorted([_hex(base), _hex(near)])
    assert e["value"] == lo
    assert json.loads(e["detail"]) == {"hash_b": hi, "distance": 3}
    assert e["ad_a"] == ("a" if lo == _hex(base) else "b")


def test_same_photo_in_several_ads_is_a_star(ext_rows: Callable) -> None:
    h = _hex(0x1234_5678_9ABC_DEF0)
    res = image_links(ext_rows([("x", "image", h), ("y", "image", h), ("z", "image", h.upper())]))
    assert sorted((e["ad_a"], e["ad_b"]) for e in res.edges.to_pylist()) == [("x", "y"), ("x", "z")]


@pytest.mark.parametrize("radius", [0, 3, 6, 8, 10])
def test_index_finds_exactly_the_pairs_brute_force_finds(radius: int) -> None:
    rng = np.random.default_rng(radius)
    h = rng.integers(0, 2**64 - 1, 1500, dtype=np.uint64, endpoint=True)
    flips = np.zeros(500, dtype=np.uint64)
    for _ in range(radius + 1):
        flips |= np.uint64(1) << rng.integers(0, 64, 500).astype(np.uint64)
    h = np.concatenate([h, h[:500] ^ flips, h[:20]])
    d = np.bitwise_count(h[:, None] ^ h[None, :])
    iu = np.triu_indices(len(h), 1)
    want = d[iu] <= radius
    i, j, dist = HammingIndex(h, radius).pairs()
    assert np.array_equal(i, iu[0][want]) and np.array_equal(j, iu[1][want])
    assert np.array_equal(dist, d[i, j])


def test_index_never_compares_all_pairs() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    h = rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
    index = HammingIndex(h, 8)
    index.pairs()
    assert 0 < index.candidates < n * n / 2 / 100  # under 1% of all pairs


def test_block_plan_grows_block_width_with_n() -> None:
    assert plan_blocks(1_000, 8) >= plan_blocks(1_000_000, 8)
    assert all(1 <= plan_blocks(n, r) <= r + 1 for n, r in itertools.product([10, 10**6], [0, 8]))


def test_stock_photo_is_flagged_with_its_near_copies(ext_rows: Callable) -> None:
    stock = 0x0F0F_F0F0_1234_4321
    triples = [(f"s{i:04d}", "image", _hex(_flip(stock, [i % 64]))) for i in range(600)]
    triples += [
        ("p1", "image", _hex(0xAAAA_0000_5555_FFFF)),
        ("p2", "image", _hex(0xAAAA_0000_5555_FFFE)),
    ]
    res = image_links(ext_rows(triples))
    linked = set(res.edges.column("ad_a").to_pylist()) | set(res.edges.column("ad_b").to_pylist())
    assert linked == {"p1", "p2"}
    assert res.flagged.num_rows == 64
    assert set(res.flagged.column("kind").to_pylist()) == {"image"}


def test_invalid_hashes_are_ignored(ext_rows: Callable) -> None:
    vals, ok = hex_to_uint64(["zz", None, "ffffffffffffffff", "123"])
    assert ok.tolist() == [False, False, True, False] and int(vals[2]) == 2**64 - 1
    res = image_links(
        ext_rows([("a", "image", "nothex!!nothex!!"), ("b", "image", "nothex!!nothex!!")])
    )
    assert res.edges.num_rows == 0


def test_radius_setting_is_respected(ext_rows: Callable) -> None:
    base = 0x8F3C_21A0_55E1_9B07
    t = ext_rows(
        [("a", "image", _hex(base)), ("b", "image", _hex(_flip(base, [1, 2, 3, 4, 5, 6, 7])))]
    )
    assert image_links(t, LinkSettings(image_radius=8)).edges.num_rows == 1
    assert image_links(t, LinkSettings(image_radius=6)).edges.num_rows == 0


@pytest.mark.parametrize("radius", [3, 6])
def test_query_finds_the_neighbours_brute_force_finds(radius: int) -> None:
    rng = np.random.default_rng(radius)
    base = rng.integers(0, 2**63, 50, dtype=np.int64).astype(np.uint64)
    near = base ^ (np.uint64(1) << rng.integers(0, 64, 50).astype(np.uint64))
    hashes = np.unique(np.concatenate([base, near, rng.integers(0, 2**63, 400).astype(np.uint64)]))
    queries = hashes[rng.choice(len(hashes), 40, replace=False)]
    index = HammingIndex(hashes, radius)
    qi, j, dist = index.query(queries)
    d = np.bitwise_count(queries[:, None] ^ hashes[None, :])
    want = {(int(a), int(b)) for a, b in zip(*np.nonzero((d <= radius) & (d > 0)), strict=True)}
    assert set(zip(qi.tolist(), j.tolist(), strict=True)) == want
    assert (dist == d[qi, j]).all()
    assert index.query(queries)[0].tolist() == qi.tolist()  # the sorted blocks are reused
