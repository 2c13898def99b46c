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
  over stored sizes). When adding ads moves one, only the values whose size lies between the
  old and the new limit change side: they are regrouped with the new ads' values (identifiers
  by group size, photos by neighbourhood size, texts by group size, and the LSH buckets whose
  text count lies between the two), and every other flag keeps its value with its reason
  rewritten to name the new limit.
- **Networks**: recomputed for the region of change (``link.incremental.region_networks``):
  the new ads, the ends of every edge that came or went, and their stored networks.
- **Templates**: rebuilt for the recomputed clusters among the largest ``MAX_TEMPLATES`` whose
  aligned members (the first ``template_sample`` by ad id) changed; the others keep their
  stored template with the new cluster size.

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
) -> None:
    """Link the new ads (temp ``_link_new``) into the stored result. ``id_limit``: the
    identifier limit now; ``stored``: the stored result's state (its limits)."""
    from safelight.link.identifiers import identifier_links
    from safelight.link.incremental import region_networks
    from safelight.link.incremental_images import image_delta
    from safelight.link.incremental_text import text_delta
    from safelight.link.model import EDGE_SCHEMA, limit_band
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
    old_text, old_image = int(stored["text_limit"]), int(stored["image_limit"])
    text = text_delta(store, sketches, settings, old_text)
    if progress is not None:
        progress("link", 1, 3)
    images = image_delta(store, new_rows, settings, old_image, store.link_context)
    old_id = int(stored["id_limit"])
    moved = limit_band(old_id, id_limit)
    id_rows = store.identifier_rows_of_new(settings.id_kinds, moved)
    id_ads = pc.unique(id_rows.column("ad_id")).to_pylist()
    ids = identifier_links(
        id_rows, replace(settings, max_group_ads=id_limit), store.link_context(id_ads)
    )
    store.set_link_scope(images.hexes, text.drop_flags)
    new_edges = pa.concat_tables([ids.edges, images.edges, text.edges]).cast(EDGE_SCHEMA)
    flagged = pa.concat_tables([ids.flagged, images.flags, text.flags])
    region_ads, kept, touching, previous, next_seq = store.link_region(new_edges)
    networks, sizes = region_networks(kept, touching, previous, next_seq)
    if progress is not None:
        progress("link", 2, 3)
    build = store.template_plan(text.clusters, MAX_TEMPLATES)
    templates = templates_for(
        store.link_texts_of, build, settings, len(build) or 1, store.stored_templates
    )
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
        state={**state, "image_limit": str(images.limit), "text_limit": str(text.limit)},
        new_ads=summary.new_ads,
        seconds=summary.seconds,
        rewrites=_rewrites(
            settings, (old_id, id_limit), (old_image, images.limit), (old_text, text.limit)
        ),
    )
    summary.limit_changed = (old_id, old_image, old_text) != (id_limit, images.limit, text.limit)
    ids_now = set(networks.column("network_id").to_pylist())
    summary.incremental = True
    summary.ads = store.ad_count()
    summary.flagged = store.count_link_flagged()
    summary.linked_ads = store.count_networked_ads()
    summary.largest = max(store.largest_network(), sizes[0] if sizes else 0)
    summary.kept_ids = len(ids_now & set(previous.values()))
    summary.region_ads = region_ads
    summary.region_texts = text.region_texts
    summary.photos_searched = images.queried
    if progress is not None:
        progress("link", 3, 3)


def _rewrites(
    settings: LinkSettings, ids: tuple[int, int], image: tuple[int, int], text: tuple[int, int]
) -> list[tuple[tuple[str, ...], str, str, int | None]]:
    """The stored flags whose reason names a limit that moved (``(old, new)`` per kind):
    (kinds, old reason, new reason, new n_ads or None). A skip flag's n_ads is the limit + 1."""
    from safelight.link.groups import size_reason as size
    from safelight.link.text import skip_reason

    out: list[tuple[tuple[str, ...], str, str, int | None]] = []
    for kinds, (old, new) in [(settings.id_kinds, ids), (("image",), image), (("text",), text)]:
        if old != new:
            out.append((kinds, size(old), size(new), None))
    if text[0] != text[1]:
        out.append((("text",), skip_reason(text[0]), skip_reason(text[1]), text[1] + 1))
    return out
