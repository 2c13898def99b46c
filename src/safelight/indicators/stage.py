"""The score stage as a pure function over a batch (Arrow in, Arrow out).

Input: ads (``ad_id``, ``title``, ``body``, ``stated_age``) and, per ad, its stored extraction
rows (``records.EXTRACTION_SCHEMA``). Output: one ``RISK_SCHEMA`` row per ad and one
``EVIDENCE_SCHEMA`` row per piece of evidence. No connection, no global state, so the store
runs it over batches in-process and a distributed engine can run it unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from itertools import repeat
from types import MappingProxyType
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from safelight.indicators.catalog import Catalog, load_catalog
from safelight.indicators.score import EvidenceRow, evaluate, plan_for
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
    plan = plan_for(catalog or load_catalog())
    fields = _fields_by_ad(extractions, prices=bool(median_hourly_price))
    ad_ids = ads.column("ad_id").to_pylist()
    titles = ads.column("title").to_pylist()
    bodies = ads.column("body").to_pylist()
    scores: list[float] = []
    minors: list[str] = []
    evidence_ads: list[str] = []
    evidence: list[EvidenceRow] = []  # columns are built at the end, not one dict per row
    no_fields: dict[str, list[Any]] = {}
    for ad_id, title, body in zip(ad_ids, titles, bodies, strict=True):
        score, minor, rows = evaluate(
            ad_text(title, body), fields.get(ad_id, no_fields), plan, median_hourly_price
        )
        scores.append(score)
        minors.append(minor)
        if rows:
            evidence_ads += [ad_id] * len(rows)
            evidence += rows
    columns = list(zip(*evidence, strict=True)) if evidence else [()] * 6
    return (
        pa.RecordBatch.from_arrays(
            [
                pa.array(ad_ids, pa.string()),
                pa.array(scores, pa.float64()),
                pa.array(minors, pa.string()),
            ],
            schema=RISK_SCHEMA,
        ),
        pa.RecordBatch.from_arrays(
            [pa.array(evidence_ads, pa.string())]
            + [
                pa.array(column, schema_field.type)
                for column, schema_field in zip(columns, list(EVIDENCE_SCHEMA)[1:], strict=True)
            ],
            schema=EVIDENCE_SCHEMA,
        ),
    )


class _Row(NamedTuple):
    """The attributes of an ``extract.Match`` that the rules read, rebuilt from a stored row (a
    tuple: several times cheaper to make than the frozen ``Match``)."""

    field: str
    value: Any
    text: str
    start: int | None
    end: int | None
    detail: Mapping[str, Any]


def _fields_by_ad(
    extractions: pa.RecordBatch | pa.Table, *, prices: bool
) -> dict[str, dict[str, list[_Row]]]:
    """Rebuild the matches the rules read. Only what a rule reads is kept and parsed: a phone's
    obfuscation; prices and places (whether from an area code) only when a city median exists
    for the low-price rule, the one rule that reads them."""
    out: dict[str, dict[str, list[_Row]]] = {}
    if not extractions.num_rows:
        return out
    field_column = extractions.column("field")
    for field in sorted(_RULE_FIELDS if prices else _RULE_FIELDS - {"price", "place"}):
        # One field at a time, column by column: rows keep their order within a field, which
        # is all the rules see (they read ``fields[name]``).
        rows = extractions.filter(pc.equal(field_column, field))
        if not rows.num_rows:
            continue
        ad_ids, raw, text, start, end, detail = (rows.column(name).to_pylist() for name in _COLUMNS)
        meta: Iterable[Mapping[str, Any]] = repeat(_NO_DETAIL)
        value: Iterable[Any] = raw
        if field == "age":
            value = map(int, raw)
        elif field == "price":
            value = map(_parser(), raw)
        elif field == "phone":
            parse = _parser()
            meta = [_NO_DETAIL if not d or '"obfuscation": []' in d else parse(d) for d in detail]
        elif field == "place":
            meta = [_AREA_CODE if d and "area code" in d else _NO_DETAIL for d in detail]
        # tuple.__new__ builds each _Row at C speed (the generated __new__ is Python code).
        matches = map(
            tuple.__new__, repeat(_Row), zip(repeat(field), value, text, start, end, meta)
        )
        for ad_id, match in zip(ad_ids, matches, strict=True):
            by_field = out.get(ad_id)
            if by_field is None:
                out[ad_id] = {field: [match]}
            elif field in by_field:
                by_field[field].append(match)
            else:
                by_field[field] = [match]
    return out


def _parser() -> Callable[[str], Any]:
    """``json.loads`` remembering its results within one batch (they are only read)."""
    return cache(json.loads)


_RULE_FIELDS = frozenset({"age", "phone", "name", "price", "place"})
_COLUMNS = ("ad_id", "value", "text", "start", "end", "detail")
_AREA_CODE: Mapping[str, Any] = MappingProxyType({"source": "area code"})
_NO_DETAIL: Mapping[str, Any] = MappingProxyType({})
