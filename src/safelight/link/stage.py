"""The link stage over a whole store's inputs: links, templates, networks with stable ids.

``link_stage(inputs, previous, settings)`` is what ``pipeline.run_link`` calls with the tables
the store hands it: it runs ``link_ads``, builds the template of the largest text clusters,
takes the networks (components of two or more ads) and gives them ids with ``assign_ids``
against the previous run's assignment, so an unchanged network keeps its id. Pure: Arrow in,
Arrow out, no database.

``LinkInputs.without(...)`` drops link kinds (the evaluation's ablation: identifiers only,
+ images, + text).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from importlib import resources

import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.model import LinkSettings
from safelight.link.networks import assign_ids
from safelight.link.run import link_ads
from safelight.link.template import TEMPLATE_SCHEMA, cluster_templates

__all__ = ["LinkInputs", "StageResult", "link_stage", "link_version", "singleton_id"]

MAX_TEMPLATES = 2000  # templates are built for this many of the largest text clusters


def singleton_id(ad_id: str) -> str:
    """The network id of an ad with no link: it is its own network."""
    return f"S{ad_id}"


def link_version(settings: LinkSettings | None = None) -> str:
    """A hash of the link package's code and the settings: a change relinks every ad."""
    digest = hashlib.sha256()
    root = resources.files("safelight.link")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    digest.update(json.dumps(asdict(settings or LinkSettings()), default=str).encode())
    return digest.hexdigest()[:16]


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


def link_stage(
    inputs: LinkInputs,
    previous: Mapping[str, str] | None = None,
    settings: LinkSettings | None = None,
    *,
    max_templates: int = MAX_TEMPLATES,
) -> StageResult:
    settings = settings or LinkSettings()
    out = link_ads(inputs.extractions, inputs.texts, inputs.context, settings)
    comps = out.networks.components(min_size=2)
    ids = assign_ids(comps, previous)
    networks = pa.table(
        {"ad_id": pa.array(list(ids), pa.string()), "network_id": pa.array(list(ids.values()))}
    )
    templates = TEMPLATE_SCHEMA.empty_table()
    if out.clusters.num_rows and inputs.texts is not None:
        counts = pc.value_counts(out.clusters.column("cluster_id")).to_pylist()
        counts.sort(key=lambda c: (-c["counts"], c["values"]))
        biggest = pa.array([c["values"] for c in counts[:max_templates]], pa.string())
        some = out.clusters.filter(pc.is_in(out.clusters.column("cluster_id"), value_set=biggest))
        spans = inputs.extractions.filter(pc.is_valid(inputs.extractions.column("start")))
        templates = cluster_templates(
            inputs.texts, spans, some, settings.template_support, settings.template_sample
        )
    return StageResult(
        out.edges,
        out.flagged,
        out.clusters,
        templates,
        networks,
        sorted((len(c) for c in comps), reverse=True),
    )
