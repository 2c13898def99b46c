"""What linking produces and the settings that steer it.

- ``EDGE_SCHEMA`` / ``Edge``: one piece of evidence that two ads belong together: the two ads,
  the kind of link (``phone``, ``email``, ``handle``, ``image``, ``text``), the shared value
  (the identifier, the pHash, the text cluster), a weight in (0, 1] and a JSON ``detail``
  (group size, Hamming distance, estimated Jaccard...). Every merge of ads into a network is
  explained by the edges behind it.
- ``FLAGGED_SCHEMA``: values shared by implausibly many unrelated ads (a hotel switchboard, a
  stock photo, a site's boilerplate). They are reported, never used to link.
- ``LinkResult``: edges plus flagged values, as Arrow tables.
- ``LinkSettings``: every threshold, declared once in ``SETTINGS`` with a default and help text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = [
    "EDGE_KINDS",
    "EDGE_SCHEMA",
    "FLAGGED_SCHEMA",
    "SETTINGS",
    "Edge",
    "LinkResult",
    "LinkSettings",
    "Setting",
    "frequency_limit",
    "limit_band",
    "size_weight",
]

EDGE_KINDS: tuple[str, ...] = ("phone", "email", "handle", "image", "text")

EDGE_SCHEMA = pa.schema(
    [
        ("ad_a", pa.string()),
        ("ad_b", pa.string()),
        ("kind", pa.string()),
        ("value", pa.string()),
        ("weight", pa.float32()),
        ("detail", pa.string()),  # JSON object or null
    ]
)

FLAGGED_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("value", pa.string()),
        ("n_ads", pa.int64()),
        ("n_places", pa.int64()),  # distinct places seen with it, null when unknown
        ("reason", pa.string()),  # "too many ads (n > limit)" / "too many places in a window"
    ]
)


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge as a Python object (tests, explanations); bulk code uses ``EDGE_SCHEMA``."""

    ad_a: str
    ad_b: str
    kind: str
    value: str
    weight: float = 1.0
    detail: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Edge:
        return cls(
            row["ad_a"], row["ad_b"], row["kind"], row["value"], row["weight"], row.get("detail")
        )


@dataclass(frozen=True, slots=True)
class LinkResult:
    edges: pa.Table  # EDGE_SCHEMA
    flagged: pa.Table  # FLAGGED_SCHEMA

    @classmethod
    def empty(cls) -> LinkResult:
        return cls(EDGE_SCHEMA.empty_table(), FLAGGED_SCHEMA.empty_table())


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


def _s(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """Thresholds of the link stage. ``LinkSettings.from_dict({...})`` overrides some."""

    id_kinds: tuple[str, ...] = _s(
        ("phone", "email", "handle"), "Extraction fields whose shared values link ads."
    )
    max_group_ads: int | None = _s(
        None,
        "An identifier, photo or text shared by more ads than this is flagged 'too common' and "
        "does not link. None: adaptive, the p99.9 group size clipped to [min_limit, max_limit].",
    )
    limit_quantile: float = _s(0.999, "Quantile of group sizes used by the adaptive limit.")
    min_limit: int = _s(50, "The adaptive limit is never below this many ads.")
    max_limit: int = _s(500, "The adaptive limit is never above this many ads.")
    text_max_limit: int = _s(
        2000, "Upper clip of the adaptive limit for text clusters (templates are reused more)."
    )
    max_places: int = _s(
        8,
        "A value seen with more distinct places than this within ``place_window_days`` is "
        "flagged (nobody tours that fast: a switchboard, a stock photo, boilerplate).",
    )
    place_window_days: float = _s(7.0, "Window for the distinct-places guard, in days.")
    image_radius: int = _s(
        6,
        "Two 64-bit pHashes at most this many bits apart are the same photo (recompressed, "
        "resized, lightly cropped). 8 catches more edits at a higher false-match rate.",
    )
    shingle_size: int = _s(3, "Word shingle length for near-duplicate text.")
    num_perm: int = _s(64, "MinHash permutations (64-128).")
    text_threshold: float = _s(
        0.6, "Estimated Jaccard similarity of masked shingles at which two texts link."
    )
    lsh_recall_weight: float = _s(
        0.8,
        "Weight of false negatives (vs false positives, 1 - this) when choosing LSH bands and "
        "rows; candidates are verified by estimated Jaccard, so recall is favoured.",
    )
    min_shingles: int = _s(
        5, "Texts with fewer distinct shingles than this are too short to compare and skipped."
    )
    template_support: float = _s(
        0.8, "A token belongs to a cluster's template when this share of members has it."
    )
    template_sample: int = _s(60, "At most this many members are aligned to build a template.")
    seed: int = _s(1, "Seed of the MinHash permutations (fixed so reruns agree).")

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> LinkSettings:
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown link settings: {', '.join(unknown)}")
        if "id_kinds" in values:
            values["id_kinds"] = tuple(values["id_kinds"])
        return replace(cls(), **values)


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, f.default, f.metadata["help"]) for f in fields(LinkSettings)
)


def frequency_limit(sizes: np.ndarray, settings: LinkSettings, upper: int | None = None) -> int:
    """Most ads a value may be shared by and still link: fixed, or the ``limit_quantile`` of
    the sizes of groups with two or more ads, clipped to ``[min_limit, upper or max_limit]``."""
    if settings.max_group_ads is not None:
        return int(settings.max_group_ads)
    top = settings.max_limit if upper is None else upper
    sizes = sizes[sizes >= 2]
    q = float(np.quantile(sizes, settings.limit_quantile)) if len(sizes) else 0.0
    return int(min(max(math.ceil(q), settings.min_limit), top))


def limit_band(old: int, new: int) -> tuple[int, int] | None:
    """``(low, high)`` of a limit that moved from ``old`` to ``new`` (None if it did not): the
    values whose size lies in ``(low, high]`` change side."""
    return (min(old, new), max(old, new)) if old != new else None


def size_weight(n_ads: np.ndarray) -> np.ndarray:
    """Down-weighting of a value by how many ads share it: 1 for two ads, 1/2 for 20, 1/3 for
    200 (``1 / (1 + log10(n / 2))``)."""
    n = np.maximum(np.asarray(n_ads, dtype=np.float64), 2.0)
    return (1.0 / (1.0 + np.log10(n / 2.0))).astype(np.float32)
