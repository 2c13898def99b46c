"""Link stage runner: networks in the store, incremental when ads arrive."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from safelight.store import Store

if TYPE_CHECKING:
    from safelight.link.model import LinkSettings
    from safelight.link.stage import LinkInputs

from safelight.pipeline.common import (
    ProgressFn,
)

__all__ = ["LinkSummary", "read_link_inputs", "run_link"]


# -- link ------------------------------------------------------------------------------------


@dataclass(slots=True)
class LinkSummary:
    ads: int = 0  # ads the stored result covers
    new_ads: int = 0  # ads not covered by the previous result (0: nothing to do)
    edges: int = 0
    flagged: int = 0
    networks: int = 0
    linked_ads: int = 0  # ads in networks of two or more
    largest: int = 0
    kept_ids: int = 0  # networks whose id an earlier run gave them
    version: str = ""
    seconds: float = 0.0
    skipped: bool = False  # the stored result already covered every ad
    incremental: bool = False  # only the links touching new ads were computed
    limit_changed: bool = False  # the identifier limit moved: a full relink instead
    region_ads: int = 0  # incremental: ads whose network was recomputed


def read_link_inputs(store: Store, *, batch_size: int = 200_000) -> LinkInputs:
    """The link stage's inputs, read from the store in bounded batches."""
    from safelight.link.stage import LinkInputs
    from safelight.records import EXTRACTION_SCHEMA

    extractions = pa.Table.from_batches(
        list(store.link_extractions(batch_size)), schema=EXTRACTION_SCHEMA
    )
    batches = list(store.link_texts(batch_size))
    texts = pa.Table.from_batches(batches) if batches else None
    return LinkInputs(extractions, texts, store.link_context())


def run_link(
    store: Store,
    *,
    all: bool = False,
    progress: ProgressFn | None = None,
    settings: LinkSettings | None = None,
) -> LinkSummary:
    """Link the stored ads into networks when ads arrived since the last run. Incremental:
    only the links touching the new ads are computed and only the networks they change are
    renamed (``safelight.link.incremental``); ``all``, a new link-stage version or a moved
    identifier limit relink every ad. Networks keep their ids where their membership allows."""
    from safelight.link.model import LinkSettings, frequency_limit
    from safelight.link.stage import link_stage, link_version

    started = time.perf_counter()
    settings = settings or LinkSettings()
    version = link_version(settings)
    summary = LinkSummary(version=version)
    summary.new_ads = store.mark_new_link_ads(version)
    if progress is not None:
        progress("link", 0, 3)
    if not all and not summary.new_ads:
        summary.ads = store.ad_count()
        summary.skipped = True
        if progress is not None:
            progress("link", 3, 3)
        return summary
    sizes = np.asarray(store.identifier_group_sizes(settings.id_kinds), dtype=np.int64)
    id_limit = frequency_limit(sizes, settings)
    state = {"version": version, "id_limit": str(id_limit)}
    stored = store.link_state()
    incremental = (
        not all
        and stored.get("version") == version
        and store.count_linked(version) > 0
        and store.count_unsketched(version) == 0
    )
    if incremental and stored.get("id_limit") != state["id_limit"]:
        incremental, summary.limit_changed = False, True
    if incremental:
        _run_link_incremental(store, summary, settings, id_limit, state, started, progress)
        return summary
    previous = store.network_assignment()
    inputs = read_link_inputs(store)
    if progress is not None:
        progress("link", 1, 3)
    result = link_stage(inputs, previous, settings, id_limit=id_limit)
    if progress is not None:
        progress("link", 2, 3)
    ad_ids = inputs.context.column("ad_id") if inputs.context is not None else pa.array([])
    summary.seconds = time.perf_counter() - started
    store.write_links(
        edges=result.edges,
        flagged=result.flagged,
        clusters=result.clusters,
        templates=result.templates,
        networks=result.networks,
        linked=ad_ids,
        version=version,
        new_ads=summary.new_ads,
        seconds=summary.seconds,
        sketches=result.sketches,
        state=state,
    )
    ids = set(result.networks.column("network_id").to_pylist())
    summary.ads = len(ad_ids)
    summary.edges = result.edges.num_rows
    summary.flagged = result.flagged.num_rows
    summary.networks = len(ids)
    summary.linked_ads = result.networks.num_rows
    summary.largest = result.sizes[0] if result.sizes else 0
    summary.kept_ids = len(ids & set(previous.values()))
    if progress is not None:
        progress("link", 3, 3)
    return summary


def _run_link_incremental(
    store: Store,
    summary: LinkSummary,
    settings: LinkSettings,
    id_limit: int,
    state: dict[str, str],
    started: float,
    progress: ProgressFn | None,
) -> None:
    """``run_link`` when the stored result covers all but the new ads (see
    ``safelight.link.incremental`` for what is recomputed and why it equals a full run)."""
    from dataclasses import replace as _replace

    from safelight.link.identifiers import identifier_links
    from safelight.link.images import image_links
    from safelight.link.incremental import region_networks
    from safelight.link.model import EDGE_SCHEMA
    from safelight.link.stage import templates_for
    from safelight.link.text import link_sketches, sketch_texts
    from safelight.records import EXTRACTION_SCHEMA

    summary.incremental = True
    context = store.link_context()
    # text: sketch the new ads, link over every stored sketch
    new_rows = pa.Table.from_batches(list(store.new_link_extractions()), schema=EXTRACTION_SCHEMA)
    batches = list(store.link_texts(only_new=True))
    new_texts = pa.Table.from_batches(batches) if batches else None
    spans = new_rows.filter(pa.compute.is_valid(new_rows.column("start")))
    new_sketches = sketch_texts(new_texts, spans, settings) if new_texts is not None else None
    old_keys, old_sigs = store.stored_sketches()
    parts = [old_keys]
    sig_parts = [old_sigs]
    if new_sketches is not None:
        parts.append(new_sketches.select(["ad_id", "text_key", "n_shingles"]))
        sig_parts.append(new_sketches.select(["text_key", "sig"]))
    keys = pa.concat_tables(parts).sort_by("ad_id")
    tl = link_sketches(keys, settings, pa.concat_tables(sig_parts))
    del keys, old_sigs, sig_parts
    if progress is not None:
        progress("link", 1, 3)
    # identifiers: the values new ads hold; images: every stored hash
    id_rows = store.identifier_rows_of_new(settings.id_kinds)
    ids = identifier_links(id_rows, _replace(settings, max_group_ads=id_limit), context)
    images = pa.Table.from_batches(list(store.image_extractions()), schema=EXTRACTION_SCHEMA)
    img = image_links(images, settings, context)
    del images
    new_edges = pa.concat_tables([ids.edges, img.edges, tl.result.edges]).cast(EDGE_SCHEMA)
    flagged = pa.concat_tables([ids.flagged, img.flagged, tl.result.flagged])
    region, kept, touching, previous, next_seq = store.link_region(new_edges)
    networks, sizes = region_networks(kept, touching, region, previous, next_seq)
    if progress is not None:
        progress("link", 2, 3)
    clusters = tl.clusters
    region_clusters = clusters.filter(
        pa.compute.is_in(clusters.column("ad_id"), value_set=pa.array(region, pa.string()))
    )
    some = clusters.filter(
        pa.compute.is_in(
            clusters.column("cluster_id"),
            value_set=pa.compute.unique(region_clusters.column("cluster_id")),
        )
    )
    texts, rows = store.link_texts_of(some.column("ad_id").to_pylist())
    templates = templates_for(texts, rows, some, settings)
    summary.seconds = time.perf_counter() - started
    summary.edges, summary.networks = store.write_link_delta(
        flagged=flagged,
        clusters=clusters,
        templates=templates,
        networks=networks,
        sketches=new_sketches if new_sketches is not None else tl.clusters.slice(0, 0),
        version=summary.version,
        state=state,
        new_ads=summary.new_ads,
        seconds=summary.seconds,
    )
    ids_now = set(networks.column("network_id").to_pylist())
    summary.ads = store.ad_count()
    summary.flagged = store.count_link_flagged()
    summary.linked_ads = store.count_networked_ads()
    summary.largest = max(store.largest_network(), sizes[0] if sizes else 0)
    summary.kept_ids = len(ids_now & set(previous.values()))
    summary.region_ads = len(region)
    if progress is not None:
        progress("link", 3, 3)
