"""The link stage over a whole store's inputs: links, templates, networks with stable ids.

``link_stage(inputs, previous, settings)`` is what ``pipeline.run_link`` calls with the tables
the store hands it: it runs ``link_ads``, builds the template of the largest text clusters,
takes the networks (components of two or more ads) and gives them ids with ``assign_ids``
against the previous run's assignment, so an unchanged network keeps its id. Pure: Arrow in,
Arrow out, no database.

It also returns what incremental runs need stored: per-ad sketches, the link index (text band
keys and verified pairs, per-photo state) and the image and text limits (``incremental.py``).

``LinkInputs.without(...)`` drops link kinds (the evaluation's ablation: identifiers only,
+ images, + text).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.identifiers import identifier_links
from safelight.link.images import image_links_with_state
from safelight.link.model import LinkSettings
from safelight.link.networks import Networks, assign_ids
from safelight.link.template import TEMPLATE_SCHEMA, cluster_templates
from safelight.link.text import SKETCH_SCHEMA, link_sketches, sketch_texts, text_ids
from safelight.versioning import package_version

__all__ = [
    "LinkInputs",
    "StageResult",
    "link_stage",
    "link_version",
    "singleton_id",
    "templates_for",
]

MAX_TEMPLATES = 2000  # templates are built for this many of the largest text clusters


def singleton_id(ad_id: str) -> str:
    """The network id of an ad with no link: it is its own network."""
    return f"S{ad_id}"


def link_version(settings: LinkSettings | None = None) -> str:
    """A hash of the link package's code and the settings: a change relinks every ad."""
    settings_json = json.dumps(asdict(settings or LinkSettings()), default=str, sort_keys=True)
    key = f"{package_version('safelight.link')}\0{settings_json}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class LinkInputs:
    extractions: pa.Table  # EXTRACTION_SCHEMA rows of the link fields
    texts: pa.Table | None  # ad_id, text (every ad)
    context: pa.Table | None  # ad_id, place, posted_at

    def without(self, *, images: bool = False, text: bool = False) -> LinkInputs:
        """The same inputs with photos and/or text left out (ablation)."""
        ext = self.extractions
        if images:
            ext = ext.filter(pc.not_equal(ext.column("field"), "image"))
        texts = self.texts
        if text and texts is not None:  # keep every ad as a node, with no text to compare
            texts = pa.table(
                {"ad_id": texts.column("ad_id"), "text": pa.nulls(texts.num_rows, pa.string())}
            )
        return replace(self, extractions=ext, texts=texts)


@dataclass(frozen=True, slots=True)
class StageResult:
    edges: pa.Table  # EDGE_SCHEMA
    flagged: pa.Table  # FLAGGED_SCHEMA
    clusters: pa.Table  # ad_id, cluster_id
    templates: pa.Table  # TEMPLATE_SCHEMA
    networks: pa.Table  # ad_id, network_id (ads in networks of two or more)
    sizes: list[int]  # ads per network, largest first
    sketches: pa.Table | None = None  # SKETCH_SCHEMA + tid per ad (stored for incremental runs)
    index: dict[str, pa.Table] | None = None  # the link index tables (006_link_index.sql)
    limits: dict[str, str] | None = None  # image and text frequency limits used


def link_stage(
    inputs: LinkInputs,
    previous: Mapping[str, str] | None = None,
    settings: LinkSettings | None = None,
    *,
    max_templates: int = MAX_TEMPLATES,
    id_limit: int | None = None,
) -> StageResult:
    """The full computation. ``id_limit``: the identifier frequency limit, when the caller has
    it from the whole store (else adaptive over ``inputs``)."""
    settings = settings or LinkSettings()
    id_settings = settings if id_limit is None else replace(settings, max_group_ads=id_limit)
    images, image_state, image_limit = image_links_with_state(
        inputs.extractions, settings, inputs.context
    )
    parts = [identifier_links(inputs.extractions, id_settings, inputs.context), images]
    index = {"link_image_hashes": image_state}
    text_limit = 0
    sketches = SKETCH_SCHEMA.empty_table()
    clusters = pa.table(
        {"ad_id": pa.array([], pa.string()), "cluster_id": pa.array([], pa.string())}
    )
    if inputs.texts is not None:
        spans = inputs.extractions.filter(pc.is_valid(inputs.extractions.column("start")))
        sketches = sketch_texts(inputs.texts, spans, settings)
        tl = link_sketches(sketches, settings)
        parts.append(tl.result)
        clusters = tl.clusters
        index["link_text_bands"] = tl.bands
        index["link_text_pairs"] = tl.pairs
        text_limit = tl.limit
    edges = pa.concat_tables([p.edges for p in parts])
    flagged = pa.concat_tables([p.flagged for p in parts])
    ads = inputs.texts.column("ad_id").to_pylist() if inputs.texts is not None else []
    comps = Networks.build(edges, ads).components(min_size=2)
    ids = assign_ids(comps, previous)
    networks = pa.table(
        {"ad_id": pa.array(list(ids), pa.string()), "network_id": pa.array(list(ids.values()))}
    )
    templates = TEMPLATE_SCHEMA.empty_table()
    if clusters.num_rows and inputs.texts is not None:
        templates = templates_for(
            inputs.texts, inputs.extractions, clusters, settings, max_templates
        )
    return StageResult(
        edges,
        flagged,
        clusters,
        templates,
        networks,
        sorted((len(c) for c in comps), reverse=True),
        sketches.append_column("tid", pa.array(text_ids(sketches.column("text_key")))),
        index,
        {"image_limit": str(image_limit), "text_limit": str(text_limit)},
    )


def templates_for(
    texts: pa.Table,
    extractions: pa.Table,
    clusters: pa.Table,
    settings: LinkSettings,
    max_templates: int = MAX_TEMPLATES,
) -> pa.Table:
    """Templates of the ``max_templates`` largest clusters of ``clusters`` (ad_id, cluster_id)."""
    if not clusters.num_rows or max_templates <= 0:
        return TEMPLATE_SCHEMA.empty_table()
    counts = pc.value_counts(clusters.column("cluster_id")).to_pylist()
    counts.sort(key=lambda c: (-c["counts"], c["values"]))
    biggest = pa.array([c["values"] for c in counts[:max_templates]], pa.string())
    some = clusters.filter(pc.is_in(clusters.column("cluster_id"), value_set=biggest))
    spans = extractions.filter(pc.is_valid(extractions.column("start")))
    return cluster_templates(
        texts, spans, some, settings.template_support, settings.template_sample
    )
