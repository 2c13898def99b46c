"""Incremental linking: when new ads arrive, compute only what they change.

The rule (issue 4, "adding 10k new ads to a linked 1M store must not redo all the work"):

- **Text**: tokenising and MinHash (most of the stage's time) run for the new ads only; their
  sketches (masked-text digest, shingle count, signature) are stored. Grouping, LSH banding
  and verification then run over the stored sketches of every ad (numpy, no text is read), so
  text edges and clusters are exactly those of a full run.
- **Identifiers**: only the values (phone, email, handle) the new ads carry are regrouped,
  over every ad holding them (a SQL join on extraction values); edges and flags of other
  values are kept as stored.
- **Images**: pHash linking (numpy, multi-index hashing) reruns over the stored hashes.
- **Guard**: values only ever gain ads, so a value's group, neighbourhood and places-in-a-window
  only grow: a value newly crossing the limit is flagged and the edges it gave are removed (its
  regrouping replaces them); nothing becomes unflagged. The identifier limit is adaptive over
  the whole store; when adding ads moves it, the stored flags are no longer those a full run
  would give, so the run falls back to a full relink (``limit_changed``).
- **Networks**: the region of change is the new ads and every ad an edge was removed from or
  added to, with every member of their stored networks. Only the region's components are
  recomputed (``Networks.build`` on the region's kept edges, then ``Networks.add`` with its new
  edges) and renamed with ``assign_ids`` (new ids continue after the store's highest), so a
  network outside the region keeps its id and its rows untouched.

So an incremental run gives the networks a full recompute (``safelight link --all``) gives.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from safelight.link.networks import Networks, assign_ids

__all__ = ["region_networks"]


def region_networks(
    kept_edges: pa.Table,
    new_edges: pa.Table,
    region_ads: list[str],
    previous: Mapping[str, str],
    next_seq: int,
) -> tuple[pa.Table, list[int]]:
    """``ad_id, network_id`` of the region's ads in networks of two or more, and the sizes of
    the region's networks. ``kept_edges``: stored edges touching the region that stay;
    ``new_edges``: this run's edges touching it; ``previous``: the region's stored ids."""
    net = Networks.build(kept_edges, region_ads)
    net.add(new_edges)
    comps = net.components(min_size=2)
    ids = assign_ids(comps, previous, next_seq=next_seq)
    table = pa.table(
        {"ad_id": pa.array(list(ids), pa.string()), "network_id": pa.array(list(ids.values()))}
    )
    return table, sorted((len(c) for c in comps), reverse=True)
