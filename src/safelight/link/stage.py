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
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace

import pyarrow as pa
import pyarrow.compute as pc

from safelight.link.identifiers import identifier_links
from safelight.link.images import image_links_with_state
from safelight.link.model import LinkSettings
from safelight.link.networks import assign_ids, edge_components
from safelight.link.template import TEMPLATE_SCHEMA, member_templates, template_members
from safelight.link.text import SKETCH_SCHEMA, link_sketches, sketch_texts, text_ids
from safelight.versioning import package_version

__all__ = [
    "LinkInputs",
    "StageResult",
    "StoredTemplates",
    "TextsOf",
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


# ad ids -> (``ad_id, text`` of those ads, their slot spans as extraction rows)
TextsOf = Callable[[list[str]], tuple[pa.Table, pa.Table | None]]


@dataclass(frozen=True, slots=True)
class LinkInputs:
    """What the stage links. Texts come either whole (``texts``, spans in ``extractions``) or
    already sketched (``sketches``, with ``texts_of`` reading back the few texts templates
    need): a store sketches a million texts a batch at a time and never holds them all."""

    extractions: pa.Table  # EXTRACTION_SCHEMA rows of the link fields
    texts: pa.Table | None  # ad_id, text (every ad)
    context: pa.Table | None  # ad_id, place, posted_at
    sketches: pa.Table | None = None  # SKETCH_SCHEMA per ad, instead of ``texts``
    texts_of: TextsOf | None = None  # with ``sketches``: texts and spans of given ads

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
        sketches = None if text else self.sketches
        return replace(self, extractions=ext, texts=texts, sketches=sketches)


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
    texts_of = inputs.texts_of
    if inputs.sketches is None and inputs.texts is not None:
        spans = inputs.extractions.filter(pc.is_valid(inputs.extractions.column("start")))
        sketches = sketch_texts(inputs.texts, spans, settings)
        texts_of = _in_memory(inputs.texts, spans)
    elif inputs.sketches is not None:
        sketches = inputs.sketches
    if inputs.sketches is not None or inputs.texts is not None:
        tl = link_sketches(sketches, settings)
        parts.append(tl.result)
        clusters = tl.clusters
        index["link_text_bands"] = tl.bands
        index["link_text_pairs"] = tl.pairs
        text_limit = tl.limit
    edges = pa.concat_tables([p.edges for p in parts])
    flagged = pa.concat_tables([p.flagged for p in parts])
    # an ad with no edge is its own network, never in a component of two: not a node here
    comps = edge_components(edges, min_size=2)
    ids = assign_ids(comps, previous)
    networks = pa.table(
        {"ad_id": pa.array(list(ids), pa.string()), "network_id": pa.array(list(ids.values()))}
    )
    templates = TEMPLATE_SCHEMA.empty_table()
    if clusters.num_rows and texts_of is not None:
        templates = templates_for(texts_of, clusters, settings, max_templates)
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


def _in_memory(texts: pa.Table, spans: pa.Table) -> TextsOf:
    return lambda ad_ids: (texts, spans)  # member_templates picks the ads it needs


# cluster id -> (its first members, template, slots) as stored
StoredTemplates = Callable[[list[str], int], dict[str, tuple[list[str], str, str]]]


def templates_for(
    texts_of: TextsOf,
    clusters: pa.Table,
    settings: LinkSettings,
    max_templates: int = MAX_TEMPLATES,
    stored: StoredTemplates | None = None,
) -> pa.Table:
    """Templates of the ``max_templates`` largest clusters of ``clusters`` (ad_id, cluster_id);
    ``texts_of`` gives the texts and spans of the members they align (at most
    ``template_sample`` a cluster), read only now. ``stored`` (incremental runs): a stored
    template whose cluster still aligns the same members is kept with its new size."""
    if not clusters.num_rows or max_templates <= 0:
        return TEMPLATE_SCHEMA.empty_table()
    counts = pc.value_counts(clusters.column("cluster_id")).to_pylist()
    counts.sort(key=lambda c: (-c["counts"], c["values"]))
    biggest = pa.array([c["values"] for c in counts[:max_templates]], pa.string())
    some = clusters.filter(pc.is_in(clusters.column("cluster_id"), value_set=biggest))
    sample = settings.template_sample
    chosen, sizes = template_members(some, sample)
    # a template depends on its members' texts alone, and a stored ad's text never changes
    old = stored(sorted(chosen), sample) if stored is not None else {}
    same = {cid: row for cid, row in old.items() if row[0] == chosen[cid]}
    todo = {cid: ads for cid, ads in chosen.items() if cid not in same}
    texts, spans = texts_of(sorted({a for ads in todo.values() for a in ads}))
    built = member_templates(todo, sizes, texts, spans, settings.template_support, sample)
    kept = pa.table(
        {
            "cluster_id": list(same),
            "n_ads": [sizes[cid] for cid in same],
            "template": [row[1] for row in same.values()],
            "slots": [row[2] for row in same.values()],
        },
        schema=TEMPLATE_SCHEMA,
    )
    return pa.concat_tables([built, kept])
