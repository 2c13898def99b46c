"""Networks: connected groups of linked ads, with stable ids and the edges that explain them.

- ``components_of(n, a, b)``: component label per node for edges (a, b) over nodes 0..n-1
  (scipy's sparse connected components: linear, in C).
- ``edge_components(edges)``: the member lists of the components, in one pass (what the
  link stage runs, full and incremental).
- ``Networks``: the explainable form. ``Networks.build(edges)`` indexes ad ids and labels
  components; ``add(edges)`` folds in new edges (usually touching new ads) with a union-find
  that only visits the components the new edges touch; ``components()`` gives the same
  partition a full recompute would. Every component keeps its edges: ``edges_of(ad_id)`` and
  ``explain(ad_a, ad_b)`` (the chain of edges joining two ads) make every merge explainable.
- ``assign_ids(members, previous)``: stable network ids across reruns.

Stable ids. Each new component (two or more ads) looks at the ids its members had in the
previous run. Pairs (component, previous id) are taken in order of shared members (most
first; ties: the older id, i.e. the one minted first -- ids carry their mint sequence -- then
the smaller id); a component takes the first previous id still free, so when a network splits
the larger part keeps the id, and when two merge the one sharing more members keeps its id.
A component with no free previous id gets a new id ``N`` + 8-digit sequence (continuing after
the highest previous). So a component whose membership is unchanged keeps its id, and ids are
never reused for different networks in one assignment.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from safelight.link.groups import ad_rank, factorize
from safelight.link.model import EDGE_SCHEMA, Edge

__all__ = ["Networks", "UnionFind", "assign_ids", "components_of", "edge_components"]


def components_of(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Component label (0..k-1, in order of first node) per node 0..n-1."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=True, connection="weak")
    # relabel by first occurrence so labels do not depend on scipy's traversal order
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[labels]


def edge_components(edges: pa.Table, min_size: int = 2) -> list[list[str]]:
    """``Networks.build(edges).components(min_size)`` in one pass: the same sorted member
    lists, with ad ids coded by Arrow instead of a dict, and nothing kept for ``add`` or
    ``explain`` (a full run's millions of edges would take a gigabyte as Python strings)."""
    n = edges.num_rows
    ends = pa.chunked_array(
        edges.column("ad_a").chunks + edges.column("ad_b").chunks, type=pa.string()
    )
    codes, names = factorize(ends)
    labels = components_of(len(names), codes[:n], codes[n:])
    members = np.flatnonzero(np.bincount(labels)[labels] >= min_size)
    if not len(members):
        return []
    name_rank = ad_rank(names)
    members = members[np.lexsort((name_rank[members], labels[members]))]
    cuts = np.flatnonzero(np.diff(labels[members])) + 1
    sorted_names = names.take(pa.array(members, pa.int64())).to_pylist()
    bounds = [0, *cuts.tolist(), len(members)]
    return sorted(sorted_names[lo:hi] for lo, hi in zip(bounds, bounds[1:], strict=False))


class UnionFind:
    """Disjoint sets over 0..n-1 (numpy parent array, path halving, union by size)."""

    def __init__(self, n: int = 0) -> None:
        self.parent = np.arange(n, dtype=np.int64)
        self.size = np.ones(n, dtype=np.int64)

    def grow(self, n: int) -> None:
        old = len(self.parent)
        if n > old:
            self.parent = np.concatenate([self.parent, np.arange(old, n, dtype=np.int64)])
            self.size = np.concatenate([self.size, np.ones(n - old, dtype=np.int64)])

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    def union(self, x: int, y: int) -> int:
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return rx
        if self.size[rx] < self.size[ry]:
            rx, ry = ry, rx
        self.parent[ry] = rx
        self.size[rx] += self.size[ry]
        return rx

    def roots(self) -> np.ndarray:
        """Root of every element (vectorised pointer jumping)."""
        p = self.parent.copy()
        while True:
            q = p[p]
            if np.array_equal(q, p):
                return p
            p = q


@dataclass
class Networks:
    """Ads, the edges between them and their components, kept up to date incrementally."""

    ad_ids: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    uf: UnionFind = field(default_factory=UnionFind)
    edge_tables: list[pa.Table] = field(default_factory=list)
    _a: list[np.ndarray] = field(default_factory=list)
    _b: list[np.ndarray] = field(default_factory=list)

    @classmethod
    def build(cls, edges: pa.Table, ad_ids: Iterable[str] = ()) -> Networks:
        """Full computation over ``edges`` (EDGE_SCHEMA) and optionally unlinked ``ad_ids``."""
        net = cls()
        a, b = net._codes(edges, ad_ids)
        labels = components_of(len(net.ad_ids), a, b)
        # seed the union-find with the components: each node points at its label's first node
        _, first = np.unique(labels, return_index=True)
        net.uf = UnionFind(len(net.ad_ids))
        net.uf.parent = first[labels].astype(np.int64)
        net.uf.size = np.bincount(labels)[labels].astype(np.int64)
        net._keep(edges, a, b)
        return net

    def add(self, edges: pa.Table, ad_ids: Iterable[str] = ()) -> None:
        """Fold in new edges (and new unlinked ads): unions only where the edges land."""
        a, b = self._codes(edges, ad_ids)
        self.uf.grow(len(self.ad_ids))
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            self.uf.union(x, y)
        self._keep(edges, a, b)

    def _codes(self, edges: pa.Table, ad_ids: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        index, names = self.index, self.ad_ids
        for ad in ad_ids:
            if ad not in index:
                index[ad] = len(names)
                names.append(ad)

        def code(col: list[str]) -> np.ndarray:
            out = np.empty(len(col), dtype=np.int64)
            for k, ad in enumerate(col):
                c = index.get(ad)
                if c is None:
                    c = index[ad] = len(names)
                    names.append(ad)
                out[k] = c
            return out

        return code(edges.column("ad_a").to_pylist()), code(edges.column("ad_b").to_pylist())

    def _keep(self, edges: pa.Table, a: np.ndarray, b: np.ndarray) -> None:
        if edges.num_rows:
            self.edge_tables.append(edges.select(EDGE_SCHEMA.names).cast(EDGE_SCHEMA))
            self._a.append(a)
            self._b.append(b)

    @property
    def edges(self) -> pa.Table:
        if not self.edge_tables:
            return EDGE_SCHEMA.empty_table()
        return pa.concat_tables(self.edge_tables)

    def labels(self) -> np.ndarray:
        """Root node per ad (aligned with ``ad_ids``): equal roots = same component."""
        return self.uf.roots()

    def components(self, min_size: int = 2) -> list[list[str]]:
        """Members of each component with at least ``min_size`` ads, each sorted; components
        ordered by their smallest member."""
        roots = self.labels()
        order = np.lexsort((np.array(self.ad_ids, dtype=object).argsort().argsort(), roots))
        out: list[list[str]] = []
        start = 0
        sorted_roots = roots[order]
        for end in [*np.flatnonzero(np.diff(sorted_roots)) + 1, len(order)]:
            if end - start >= min_size:
                out.append(sorted(self.ad_ids[i] for i in order[start:end]))
            start = end
        return sorted(out)

    def edges_of(self, ad_id: str) -> pa.Table:
        """Every edge inside the component of ``ad_id``."""
        roots = self.labels()
        root = roots[self.index[ad_id]]
        if not self._a:
            return EDGE_SCHEMA.empty_table()
        a = np.concatenate(self._a)
        return self.edges.filter(pa.array(roots[a] == root))

    def explain(self, ad_a: str, ad_b: str) -> list[Edge]:
        """The shortest chain of edges joining two ads (empty when not linked)."""
        if ad_a == ad_b or ad_a not in self.index or ad_b not in self.index:
            return []
        rows = self.edges_of(ad_a).to_pylist()
        adj: dict[str, list[int]] = {}
        for k, r in enumerate(rows):
            adj.setdefault(r["ad_a"], []).append(k)
            adj.setdefault(r["ad_b"], []).append(k)
        back: dict[str, int | None] = {ad_a: None}
        todo = deque([ad_a])
        while todo and ad_b not in back:
            cur = todo.popleft()
            for k in adj.get(cur, []):
                nxt = rows[k]["ad_b"] if rows[k]["ad_a"] == cur else rows[k]["ad_a"]
                if nxt not in back:
                    back[nxt] = k
                    todo.append(nxt)
        if ad_b not in back:
            return []
        chain: list[Edge] = []
        cur = ad_b
        while (k := back[cur]) is not None:
            chain.append(Edge.from_row(rows[k]))
            cur = rows[k]["ad_b"] if rows[k]["ad_a"] == cur else rows[k]["ad_a"]
        return chain[::-1]


def _seq(network_id: str) -> int:
    digits = network_id[1:]
    return int(digits) if network_id.startswith("N") and digits.isdigit() else -1


def assign_ids(
    components: Iterable[Iterable[str]],
    previous: Mapping[str, str] | None = None,
    *,
    next_seq: int = 1,
) -> dict[str, str]:
    """``ad_id -> network_id`` for every ad of every component; see the module docstring.
    ``previous`` is last run's ``ad_id -> network_id``; ``next_seq``: new ids are numbered from
    at least this (an incremental run passes only part of the previous assignment)."""
    previous = previous or {}
    comps = [sorted(c) for c in components]
    comps.sort(key=lambda c: c[0] if c else "")
    votes: dict[tuple[int, str], int] = {}
    for k, members in enumerate(comps):
        for ad in members:
            old = previous.get(ad)
            if old is not None:
                votes[(k, old)] = votes.get((k, old), 0) + 1
    ranked = sorted(
        votes.items(),
        key=lambda kv: (-kv[1], _seq(kv[0][1]) < 0, _seq(kv[0][1]), kv[0][1], kv[0][0]),
    )
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for (k, old), _ in ranked:
        if k not in chosen and old not in taken:
            chosen[k] = old
            taken.add(old)
    next_seq = max(next_seq, max((_seq(v) for v in previous.values()), default=0) + 1)
    out: dict[str, str] = {}
    for k, members in enumerate(comps):
        if k not in chosen:
            chosen[k] = f"N{next_seq:08d}"
            next_seq += 1
        for ad in members:
            out[ad] = chosen[k]
    return out
