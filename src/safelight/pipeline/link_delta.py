"""The incremental link run: only the work the new ads cause (issue 4: "adding 10k new ads to
a linked 1M store must not redo all the work").

- **Text**: the new ads alone are tokenised and MinHashed; the LSH buckets their texts fall
  into are read back from the stored band keys and recomputed, and only the text clusters
  touched are rebuilt (``safelight.link.incremental_text``).
- **Photos**: the neighbours of the new ads' hashes (and theirs) are searched among the stored
  hashes; only their edges, neighbourhood sizes and flags are recomputed
  (``safelight.link.incremental_images``).
- **Identifiers**: only the values the new ads hold are regrouped, over every ad holding them.
- **Guard**: values only gain ads, so a value newly over the limit is flagged and its edges
  removed with its regrouping. Each frequency limit is adaptive over the whole store (cheap SQL
  over stored sizes); when adding ads moves one, every stored flag could change, so the caller
  relinks every ad (``run_link_delta`` returns False).
- **Networks**: recomputed for the region of change (``link.incremental.region_networks``):
  the new ads, the ends of every edge that came or went, and their stored networks.
- **Templates**: rebuilt for the recomputed clusters among the largest ``MAX_TEMPLATES``.

Everything else is read from and written to the store with SQL, and every part uses the code
of a full run on the same rows, so the result is the one ``safelight link --all`` gives.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from safelight.link.model import LinkSettings
    from safelight.pipeline.common import ProgressFn
    from safelight.pipeline.link import LinkSummary
    from safelight.store import Store

__all__ = ["run_link_delta"]


def run_link_delta(
    store: Store,
    summary: LinkSummary,
    settings: LinkSettings,
    id_limit: int,
    state: dict[str, str],
    stored: dict[str, str],
    started: float,
    progress: ProgressFn | None,
) -> bool:
    """Link the new ads (temp ``_link_new``) into the stored result; False (nothing written)
    when a limit moved and every ad must be relinked."""
    from safelight.link.identifiers import identifier_links
    from safelight.link.incremental import region_networks
    from safelight.link.incremental_images import image_delta
    from safelight.link.incremental_text import text_delta
    from safelight.link.model import EDGE_SCHEMA
    from safelight.link.sketch import SKETCH_SCHEMA, SKETCHED, sketch_texts
    from safelight.link.stage import MAX_TEMPLATES, templates_for
    from safelight.records import EXTRACTION_SCHEMA

    new_rows = pa.Table.from_batches(list(store.new_link_extractions()), schema=EXTRACTION_SCHEMA)
    batches = list(store.link_texts(only_new=True))
    spans = new_rows.filter(pc.is_valid(new_rows.column("start")))
    before = SKETCHED[0]
    sketches = (
        sketch_texts(pa.Table.from_batches(batches), spans, settings)
        if batches
        else SKETCH_SCHEMA.empty_table()
    )
    summary.sketched = SKETCHED[0] - before
    store.begin_link_delta()
    text = text_delta(store, sketches, settings, int(stored.get("text_limit", -1)))
    if text is None:
        return False
    if progress is not None:
        progress("link", 1, 3)
    images = image_delta(
        store, new_rows, settings, int(stored.get("image_limit", -1)), store.link_context
    )
    if images is None:
        return False
    id_rows = store.identifier_rows_of_new(settings.id_kinds)
    id_ads = pc.unique(id_rows.column("ad_id")).to_pylist()
    ids = identifier_links(
        id_rows, replace(settings, max_group_ads=id_limit), store.link_context(id_ads)
    )
    store.set_link_scope(images.hexes, text.drop_flags)
    new_edges = pa.concat_tables([ids.edges, images.edges, text.edges]).cast(EDGE_SCHEMA)
    flagged = pa.concat_tables([ids.flagged, images.flags, text.flags])
    region, kept, touching, previous, next_seq = store.link_region(new_edges)
    networks, sizes = region_networks(kept, touching, region, previous, next_seq)
    if progress is not None:
        progress("link", 2, 3)
    build = store.template_plan(text.clusters, MAX_TEMPLATES)
    texts, rows = store.link_texts_of(pc.unique(build.column("ad_id")).to_pylist())
    templates = templates_for(texts, rows, build, settings, max_templates=len(build) or 1)
    summary.seconds = time.perf_counter() - started
    summary.edges, summary.networks = store.write_link_delta(
        flagged=flagged,
        clusters=text.clusters,
        templates=templates,
        networks=networks,
        sketches=text.sketches,
        index={
            "link_text_bands": text.bands,
            "link_text_pairs": text.put_pairs,
            "link_image_hashes": images.state,
        },
        drop_pairs=text.drop_pairs,
        version=summary.version,
        state={**state, "image_limit": stored["image_limit"], "text_limit": stored["text_limit"]},
        new_ads=summary.new_ads,
        seconds=summary.seconds,
    )
    ids_now = set(networks.column("network_id").to_pylist())
    summary.incremental = True
    summary.ads = store.ad_count()
    summary.flagged = store.count_link_flagged()
    summary.linked_ads = store.count_networked_ads()
    summary.largest = max(store.largest_network(), sizes[0] if sizes else 0)
    summary.kept_ids = len(ids_now & set(previous.values()))
    summary.region_ads = len(region)
    summary.region_texts = text.region_texts
    summary.photos_searched = images.queried
    if progress is not None:
        progress("link", 3, 3)
    return True
