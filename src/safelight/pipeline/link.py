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
    limit_changed: bool = False  # a frequency limit moved (applied incrementally too)
    region_ads: int = 0  # incremental: ads whose network was recomputed
    sketched: int = 0  # ads whose text was tokenised and MinHashed in this run
    region_texts: int = 0  # incremental: distinct texts whose clusters were recomputed
    photos_searched: int = 0  # incremental: hashes whose neighbours were searched


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


def _stream_link_inputs(store: Store, settings: LinkSettings) -> LinkInputs:
    """The inputs of a full run with the texts already sketched, a batch of ads at a time
    (``Store.link_text_batches``): the texts of every ad and their slot spans are never held
    at once, and templates read back only the texts they align."""
    from safelight.link.sketch import sketch_texts
    from safelight.link.stage import LinkInputs
    from safelight.records import EXTRACTION_SCHEMA

    parts = [sketch_texts(texts, spans, settings) for texts, spans in store.link_text_batches()]
    sketches = pa.concat_tables(parts) if parts else None
    # identifiers and photos link; the other fields only masked the texts just sketched
    fields = (*settings.id_kinds, "image")
    extractions = pa.Table.from_batches(
        list(store.link_extractions(fields=fields)), schema=EXTRACTION_SCHEMA
    )
    return LinkInputs(
        extractions, None, store.link_context(), sketches=sketches, texts_of=store.link_texts_of
    )


def run_link(
    store: Store,
    *,
    all: bool = False,
    progress: ProgressFn | None = None,
    settings: LinkSettings | None = None,
) -> LinkSummary:
    """Link the stored ads into networks when ads arrived since the last run. Incremental:
    only the links touching the new ads are computed and only the networks they change are
    renamed (``safelight.pipeline.link_delta``), also when the new ads move a frequency
    limit (the values between the old and the new limit are regrouped). ``all``, a new
    link-stage version or re-extracted ads relink every ad. Networks keep their ids where
    their membership allows."""
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
    if incremental and not {"id_limit", "image_limit", "text_limit"} <= set(stored):
        incremental = False  # a store linked before the limits were kept
    if incremental and store.relinked_sketches():
        incremental = False  # re-extracted ads: their old links must go, a full run does that
    if incremental:
        from safelight.pipeline.link_delta import run_link_delta

        run_link_delta(store, summary, settings, id_limit, state, stored, started, progress)
        return summary
    from safelight.link.sketch import SKETCHED

    sketched = SKETCHED[0]
    inputs = _stream_link_inputs(store, settings)
    summary.sketched = SKETCHED[0] - sketched
    ad_ids = inputs.context.column("ad_id") if inputs.context is not None else pa.array([])
    if progress is not None:
        progress("link", 1, 3)
    previous = store.network_assignment()
    result = link_stage(inputs, previous, settings, id_limit=id_limit)
    del inputs
    if progress is not None:
        progress("link", 2, 3)
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
        state={**state, **(result.limits or {})},
        index=result.index,
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
