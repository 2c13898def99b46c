"""Shared identifiers: ads that give the same normalised phone, email or social handle.

``identifier_links(rows, settings, context=None)`` takes extraction rows (``ad_id``, ``field``,
``value`` as in ``EXTRACTION_SCHEMA``; other columns ignored) and returns a ``LinkResult``:

- edges of kind ``phone`` / ``email`` / ``handle``, one per ad and identifier, linking the ad to
  the group's first ad (smallest ad_id): a star, so a group of n ads costs n - 1 edges, not
  n(n-1)/2. ``value`` is the identifier, ``detail`` ``{"n_ads": n}``, ``weight``
  ``1 / (1 + log10(n / 2))``.
- flagged identifiers (too many ads, or too many places within a short window: see
  ``groups.guard``): no edges, listed so the network profile can show them.

``context`` is an optional table (``ad_id``, ``place``, ``posted_at``) for the place guard.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.groups import (
    AdContext,
    ad_rank,
    edge_table,
    factorize,
    flagged_table,
    group,
    guard,
    size_detail,
    star_edges,
)
from safelight.link.model import EDGE_SCHEMA, LinkResult, LinkSettings, frequency_limit

__all__ = ["identifier_links"]


def identifier_links(
    rows: pa.Table, settings: LinkSettings | None = None, context: pa.Table | None = None
) -> LinkResult:
    """Star edges between ads sharing an identifier, and the identifiers flagged too common."""
    settings = settings or LinkSettings()
    rows = rows.select(["ad_id", "field", "value"])
    rows = rows.filter(pc.is_in(rows.column("field"), pa.array(settings.id_kinds, pa.string())))
    rows = rows.filter(pc.is_valid(rows.column("value")))
    if rows.num_rows == 0:
        return LinkResult.empty()
    ad_codes, ad_ids = factorize(rows.column("ad_id"))
    keys = pc.binary_join_element_wise(rows.column("field"), rows.column("value"), "\x1f")
    key_codes, key_values = factorize(keys)
    g = group(ad_codes, key_codes, ad_order=ad_rank(ad_ids))
    limit = frequency_limit(g.sizes, settings)
    flagged, n_places, reasons = guard(g, limit, settings, AdContext.for_ads(ad_ids, context))

    parts = pc.split_pattern(key_values.take(pa.array(g.group_keys)), "\x1f", max_splits=1)
    kinds = pc.list_element(parts, 0)
    values = pc.list_element(parts, 1)

    a, b, gid, sizes, weight = star_edges(g, ~flagged)
    take = pa.array(gid, pa.int64())
    edges = edge_table(
        ad_ids, a, b, kinds.take(take), values.take(take), weight, size_detail(sizes)
    )
    bad = np.flatnonzero(flagged)
    flags = flagged_table(
        kinds.take(pa.array(bad, pa.int64())).to_pylist(),
        values.take(pa.array(bad, pa.int64())).to_pylist(),
        g.sizes[bad].tolist(),
        n_places[bad].tolist(),
        [reasons[i] for i in bad],
    )
    return LinkResult(edges.cast(EDGE_SCHEMA), flags)
