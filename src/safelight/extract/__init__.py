"""Field extraction: one module per field family, run in registry order over an ad's text.

Public entry points:

- ``extract_text(text, stated_age=None)`` -> ``{field: [Match, ...]}`` for every field, in the
  order of ``FIELDS`` (the ``inspect`` JSON contract).
- ``extract_batch(batch)`` -> an Arrow batch in ``EXTRACTION_SCHEMA``: the record stage the
  store and a distributed engine run over batches of ads (pure function, no connection).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from functools import cache
from typing import Any

import pyarrow as pa

from safelight.extract.base import Extractor, Match
from safelight.records import EXTRACTION_SCHEMA, ad_text, value_key

__all__ = ["FIELDS", "Extractor", "Match", "extract_batch", "extract_text", "extractors", "to_json"]

# Registry: module name -> it exposes ``EXTRACTOR``. Order matters: later extractors see the
# matches of earlier ones (ages and prices skip digits inside a phone; places use phone regions).
REGISTRY: tuple[str, ...] = (
    "phones",
    "emails",
    "handles",
    "prices",
    "ages",
    "places",
    "names",
    "emojis",
)

# The fields of the public result, in output order.
FIELDS: tuple[str, ...] = ("phone", "email", "handle", "age", "price", "place", "name", "emoji")


@cache
def extractors() -> tuple[Extractor, ...]:
    return tuple(
        importlib.import_module(f"safelight.extract.{name}").EXTRACTOR for name in REGISTRY
    )


def extract_text(text: str, stated_age: int | None = None) -> dict[str, list[Match]]:
    """Every field found in ``text``. ``stated_age`` is the ad's structured age field, reported
    as an age with no span and ``source: "age field"``."""
    found: dict[str, list[Match]] = {name: [] for name in FIELDS}
    for extractor in extractors():
        matches = extractor.extract(text, found)
        if len(matches) > 1 and not _in_order(matches):
            matches = sorted(matches, key=_span_key)
        found[extractor.field] = matches
    if stated_age is not None:
        field_age = Match(
            "age", int(stated_age), str(stated_age), None, None, {"source": "age field"}
        )
        found["age"] = [field_age, *found["age"]]
    return found


def _span_key(m: Match) -> tuple[int, int]:
    return (m.start or 0, m.end or 0)


def _in_order(matches: list[Match]) -> bool:
    """Are the matches already in span order (most extractors find them left to right)?"""
    prev = matches[0]
    prev_start, prev_end = prev.start or 0, prev.end or 0
    for m in matches[1:]:
        start, end = m.start or 0, m.end or 0
        if start < prev_start or (start == prev_start and end < prev_end):
            return False
        prev_start, prev_end = start, end
    return True


def to_json(found: dict[str, list[Match]]) -> dict[str, Any]:
    """The public ``inspect`` shape: ``{"fields": {field: [match, ...]}}``."""
    return {"fields": {name: [m.to_json() for m in found.get(name, [])] for name in FIELDS}}


def extraction_rows(ad_id: str, found: dict[str, list[Match]]) -> Iterable[dict[str, Any]]:
    for matches in found.values():
        for m in matches:
            yield {
                "ad_id": ad_id,
                "field": m.field,
                "value": value_key(m.value),
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "detail": json.dumps(dict(m.detail), sort_keys=True) if m.detail else None,
            }


def extract_batch(batch: pa.RecordBatch | pa.Table) -> pa.RecordBatch:
    """Extraction rows for a batch of ads (needs ``ad_id``, ``title``, ``body``; uses
    ``stated_age`` and ``images`` when present)."""
    from safelight.extract.images import image_matches

    cols = batch.to_pydict()
    n = len(cols["ad_id"])
    ages = cols.get("stated_age") or [None] * n
    images = cols.get("images") or [None] * n
    rows: list[dict[str, Any]] = []
    for i in range(n):
        found = extract_text(ad_text(cols["title"][i], cols["body"][i]), ages[i])
        found["image"] = image_matches(images[i] or [])
        rows.extend(extraction_rows(cols["ad_id"][i], found))
    return pa.RecordBatch.from_pylist(rows, schema=EXTRACTION_SCHEMA)
