from __future__ import annotations

import random

import numpy as np
import pyarrow as pa

from safelight.link import EDGE_SCHEMA, Networks, UnionFind, assign_ids, components_of


def _edges(pairs: list[tuple[str, str]], kind: str = "phone") -> pa.Table:
    return pa.Table.from_pylist(
        [
            {"ad_a": a, "ad_b": b, "kind": kind, "value": f"v{a}{b}", "weight": 1.0, "detail": None}
            for a, b in pairs
        ],
        schema=EDGE_SCHEMA,
    )


def test_union_find_components() -> None:
    net = Networks.build(_edges([("a", "b"), ("b", "c"), ("d", "e")]), ["f"])
    assert net.components() == [["a", "b", "c"], ["d", "e"]]
    assert net.components(min_size=1) == [["a", "b", "c"], ["d", "e"], ["f"]]
    uf = UnionFind(4)
    uf.union(0, 1)
    uf.union(2, 3)
    uf.union(1, 3)
    assert len(set(uf.roots().tolist())) == 1


def test_components_of_matches_union_find() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 500, 300), rng.integers(0, 500, 300)
    labels = components_of(500, a, b)
    uf = UnionFind(500)
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        uf.union(x, y)
    roots = uf.roots()
    assert len(set(labels.tolist())) == len(set(roots.tolist()))
    assert all(labels[x] == labels[y] for x, y in zip(a, b, strict=True))


def test_incremental_merge_equals_full_recompute() -> None:
    rng = random.Random(11)
    ads = [f"ad{i:03d}" for i in range(300)]
    pairs = [(rng.choice(ads), rng.choice(ads)) for _ in range(200)]
    old, new = pairs[:150], pairs[150:]
    new_ads = [f"new{i}" for i in range(20)]
    new += [(rng.choice(new_ads), rng.choice(ads)) for _ in range(15)]
    net = Networks.build(_edges(old), ads)
    net.add(_edges(new), new_ads)
    full = Networks.build(_edges(old + new), ads + new_ads)
    assert net.components(min_size=1) == full.components(min_size=1)
    assert net.edges.num_rows == full.edges.num_rows


def test_every_merge_is_explained() -> None:
    net = Networks.build(
        pa.concat_tables(
            [
                _edges([("a", "b")], "phone"),
                _edges([("b", "c")], "image"),
                _edges([("x", "y")], "text"),
            ]
        )
    )
    chain = net.explain("a", "c")
    assert [(e.kind, e.ad_a, e.ad_b) for e in chain] == [("phone", "a", "b"), ("image", "b", "c")]
    assert net.explain("a", "x") == []
    assert net.edges_of("c").num_rows == 2


def test_stable_ids_across_reruns_when_membership_unchanged() -> None:
    comps = [["a", "b"], ["c", "d", "e"]]
    first = assign_ids(comps)
    assert first == {
        "a": "N00000001",
        "b": "N00000001",
        "c": "N00000002",
        "d": "N00000002",
        "e": "N00000002",
    }
    assert assign_ids(list(reversed(comps)), first) == first
    # a new network elsewhere gets a new id; the old ones keep theirs
    again = assign_ids([*comps, ["x", "y"]], first)
    assert again["a"] == "N00000001" and again["c"] == "N00000002" and again["x"] == "N00000003"


def test_ids_on_merge_and_split() -> None:
    prev = {
        "a": "N00000001",
        "b": "N00000001",
        "c": "N00000002",
        "d": "N00000002",
        "e": "N00000002",
    }
    merged = assign_ids([["a", "b", "c", "d", "e", "f"]], prev)
    assert set(merged.values()) == {"N00000002"}  # more shared members keeps its id
    split = assign_ids([["c", "d"], ["e", "z"]], prev)
    assert split["c"] == "N00000002" and split["e"] == "N00000003"
    tie = assign_ids([["a", "c"]], prev)
    assert tie["a"] == "N00000001"  # tie: the older id


def test_edge_components_equal_the_networks_components() -> None:
    from safelight.link.networks import edge_components

    rng = random.Random(3)
    ads = [f"ad{rng.randrange(10**6):06d}" for _ in range(400)]
    pairs = [(rng.choice(ads), rng.choice(ads)) for _ in range(250)]  # self-links too
    edges = pa.concat_tables([_edges(pairs[:100]), _edges(pairs[100:])])  # two chunks
    for size in (1, 2, 3):
        assert edge_components(edges, size) == Networks.build(edges).components(size)
    assert edge_components(_edges([])) == []
