"""The score stage as a pure function over a batch (Arrow in, Arrow out).

Input: ads (``ad_id``, ``title``, ``body``, ``stated_age``) and, per ad, its stored extraction
rows (``records.EXTRACTION_SCHEMA``). Output: one ``RISK_SCHEMA`` row per ad and one
``EVIDENCE_SCHEMA`` row per piece of evidence. No connection, no global state, so the store
runs it over batches in-process and a distributed engine can run it unchanged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from safelight.extract.base import Match
from safelight.indicators.catalog import Catalog, load_catalog
from safelight.indicators.score import assess
from safelight.records import ad_text
from safelight.versioning import package_version

__all__ = ["EVIDENCE_SCHEMA", "RISK_SCHEMA", "score_batch", "scorer_version"]

RISK_SCHEMA = pa.schema([("ad_id", pa.string()), ("score", pa.float64()), ("minor", pa.string())])
EVIDENCE_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("indicator", pa.string()),
        ("category", pa.string()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("points", pa.float64()),
    ]
)


def scorer_version() -> str:
    """Changes whenever the catalogue or the scoring code does, so stale scores are redone."""
    return package_version("safelight.indicators")


def score_batch(
    ads: pa.RecordBatch | pa.Table,
    extractions: pa.RecordBatch | pa.Table,
    *,
    median_hourly_price: Mapping[str, float] | None = None,
    catalog: Catalog | None = None,
) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    """Risk and evidence rows for a batch of ads and their extraction rows."""
    catalog = catalog or load_catalog()
    fields = _fields_by_ad(extractions, prices=bool(median_hourly_price))
    cols = ads.to_pydict()
    risk_rows: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    for ad_id, title, body in zip(cols["ad_id"], cols["title"], cols["body"], strict=True):
        result = assess(
            ad_text(title, body),
            fields.get(ad_id, {}),
            catalog=catalog,
            median_hourly_price=median_hourly_price,
        )
        risk_rows.append({"ad_id": ad_id, "score": result.score, "minor": result.minor})
        evidence_rows.extend({"ad_id": ad_id, **e.to_json()} for e in result.evidence)
    return (
        pa.RecordBatch.from_pylist(risk_rows, schema=RISK_SCHEMA),
        pa.RecordBatch.from_pylist(evidence_rows, schema=EVIDENCE_SCHEMA),
    )


def _fields_by_ad(
    extractions: pa.RecordBatch | pa.Table, *, prices: bool
) -> dict[str, dict[str, list[Match]]]:
    """Rebuild the matches the rules read. Only what a rule reads is parsed: a phone's
    obfuscation, whether a place comes from an area code, and prices only when a city median
    exists for the low-price rule."""
    out: dict[str, dict[str, list[Match]]] = defaultdict(lambda: defaultdict(list))
    if not extractions.num_rows:
        return out
    c = extractions.to_pydict()
    wanted = _RULE_FIELDS if prices else _RULE_FIELDS - {"price"}
    details = c["detail"]
    for i, field in enumerate(c["field"]):
        if field not in wanted:
            continue
        raw = c["value"][i]
        value: Any = int(raw) if field == "age" else json.loads(raw) if field == "price" else raw
        out[c["ad_id"][i]][field].append(
            Match(
                field, value, c["text"][i], c["start"][i], c["end"][i], _detail(field, details[i])
            )
        )
    return out


_RULE_FIELDS = frozenset({"age", "phone", "name", "price", "place"})
_AREA_CODE = {"source": "area code"}


def _detail(field: str, raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    if field == "phone":
        return json.loads(raw) if '"obfuscation": []' not in raw else {}
    if field == "place":
        return _AREA_CODE if "area code" in raw else {}
    return {}
