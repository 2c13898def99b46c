"""All link kinds in one call, and the networks they make.

``link_ads(extractions, texts, context=None, settings=None)`` runs identifier, image and text
linking and returns a ``LinkOutput``: every edge, every flagged value, the text clusters and
``Networks`` (components, explanations). The store integration calls this with tables read
from DuckDB; nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.identifiers import identifier_links
from safelight.link.images import image_links
from safelight.link.model import LinkSettings
from safelight.link.networks import Networks
from safelight.link.text import text_links

__all__ = ["LinkOutput", "link_ads"]


@dataclass(frozen=True, slots=True)
class LinkOutput:
    edges: pa.Table  # EDGE_SCHEMA
    flagged: pa.Table  # FLAGGED_SCHEMA
    clusters: pa.Table  # ad_id, cluster_id (text clusters)
    networks: Networks


def link_ads(
    extractions: pa.Table,
    texts: pa.Table | None = None,
    context: pa.Table | None = None,
    settings: LinkSettings | None = None,
) -> LinkOutput:
    """``extractions``: rows in ``EXTRACTION_SCHEMA``; ``texts``: ``ad_id``, ``text``;
    ``context``: ``ad_id``, ``place``, ``posted_at`` for the places-in-a-window guard."""
    settings = settings or LinkSettings()
    parts = [
        identifier_links(extractions, settings, context),
        image_links(extractions, settings, context),
    ]
    clusters = pa.table(
        {"ad_id": pa.array([], pa.string()), "cluster_id": pa.array([], pa.string())}
    )
    if texts is not None:
        spans = extractions.filter(pc.is_valid(extractions.column("start")))
        tl = text_links(texts, spans, settings)
        parts.append(tl.result)
        clusters = tl.clusters
    edges = pa.concat_tables([p.edges for p in parts])
    flagged = pa.concat_tables([p.flagged for p in parts])
    ads = texts.column("ad_id").to_pylist() if texts is not None else []
    return LinkOutput(edges, flagged, clusters, Networks.build(edges, ads))
