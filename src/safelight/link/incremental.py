"""Incremental linking: the networks new ads change, and where each part lives.

The rule (issue 4, "adding 10k new ads to a linked 1M store must not redo all the work"): an
incremental run costs in proportion to the new ads, plus SQL over the stored link index
(``store/migrations/006_link_index.sql``), and gives exactly what a full run gives.

- **Text** (``incremental_text.py``): only the new ads are tokenised and MinHashed; the LSH
  buckets they fall into are read back and recomputed, and only the text clusters touched.
- **Photos** (``incremental_images.py``): the new hashes' neighbours are searched among the
  stored ones; only the hashes whose ads or neighbourhood changed get new edges and flags.
- **Identifiers**: only the values new ads hold are regrouped (a SQL join on extraction values).
- **Guard**: values only gain ads, so a value newly over a limit is flagged and its edges go.
  The limits are adaptive over the whole store. When new ads move one from ``old`` to
  ``new``, only a value whose size lies in ``(min(old, new), max(old, new)]`` changes side:
  those values are regrouped as if new ads held them (identifiers by ads, photos by
  neighbourhood, texts by ads, and the LSH buckets of more than ``min`` texts), and the
  other flags only get their reason rewritten (``LinkSummary.limit_changed``).
- **Networks** (here): the region of change is the new ads and every ad an edge was removed
  from or added to, with every member of their stored networks. Only the region's components
  are recomputed (``networks.edge_components`` on the region's kept and new edges) and
  renamed with ``assign_ids`` (new ids continue after the store's highest), so a
  network outside the region keeps its id and its rows untouched.

``safelight.pipeline.link_delta`` runs the steps against the store.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from safelight.link.networks import assign_ids, edge_components

__all__ = ["region_networks"]

_ENDS = pa.schema([("ad_a", pa.string()), ("ad_b", pa.string())])


def region_networks(
    kept_edges: pa.Table,
    new_edges: pa.Table,
    previous: Mapping[str, str],
    next_seq: int,
) -> tuple[pa.Table, list[int]]:
    """``ad_id, network_id`` of the region's ads in networks of two or more, and the sizes of
    the region's networks. ``kept_edges``: stored edges touching the region that stay;
    ``new_edges``: this run's edges touching it (``ad_a, ad_b`` is enough); ``previous``: the
    region's stored ids. A region ad with no edge left is in no network (no row for it)."""
    ends = [t.select(["ad_a", "ad_b"]).cast(_ENDS) for t in (kept_edges, new_edges)]
    comps = edge_components(pa.concat_tables(ends), min_size=2)
    ids = assign_ids(comps, previous, next_seq=next_seq)
    table = pa.table(
        {"ad_id": pa.array(list(ids), pa.string()), "network_id": pa.array(list(ids.values()))}
    )
    return table, sorted((len(c) for c in comps), reverse=True)
