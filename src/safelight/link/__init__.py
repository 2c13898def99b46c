"""Linking ads into the networks behind them, each link with its evidence.

- ``identifier_links``: ads sharing a normalised phone, email or handle (``identifiers.py``).
- ``image_links`` / ``HammingIndex``: photos within a Hamming radius, multi-index hashing.
- ``text_links``: near-duplicate text (slot-masked shingles, MinHash LSH); ``build_template``
  and ``cluster_templates`` show each cluster's template with its varying slots.
- ``Networks`` / ``assign_ids``: components by union-find, explainable, incremental, with
  stable ids. ``link_ads`` runs everything.

Pure: Arrow tables in and out, no database.
"""

from __future__ import annotations

from safelight.link.identifiers import identifier_links
from safelight.link.images import HammingIndex, image_links
from safelight.link.model import (
    EDGE_SCHEMA,
    FLAGGED_SCHEMA,
    SETTINGS,
    Edge,
    LinkResult,
    LinkSettings,
    Setting,
)
from safelight.link.networks import Networks, UnionFind, assign_ids, components_of
from safelight.link.run import LinkOutput, link_ads
from safelight.link.template import TEMPLATE_SCHEMA, Template, build_template, cluster_templates
from safelight.link.text import TextLinks, minhash_signatures, text_links, tokenize

__all__ = [
    "EDGE_SCHEMA",
    "Edge",
    "FLAGGED_SCHEMA",
    "HammingIndex",
    "LinkOutput",
    "LinkResult",
    "LinkSettings",
    "Networks",
    "SETTINGS",
    "Setting",
    "TEMPLATE_SCHEMA",
    "Template",
    "TextLinks",
    "UnionFind",
    "assign_ids",
    "build_template",
    "cluster_templates",
    "components_of",
    "identifier_links",
    "image_links",
    "link_ads",
    "minhash_signatures",
    "text_links",
    "tokenize",
]
