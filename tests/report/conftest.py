"""A small store with known content, built through the real ``Store``.

Extractions are written by hand (not by running the extractors) so the expected counts below
follow from this file alone.

    ad   source  posted      location  phones        other
    a1   siteA   2024-03-01  Dallas    P1            age 16 in text (possible minor), XSS body
    a2   siteA   2024-03-01  -         P1            age 22, price, name, place Tyler, TX
    a3   siteB   2024-03-03  Houston   P2            email, area-code place (ignored)
    a4   siteB   (none)      -         -             stated age 17 (possible minor)
    a5   siteA   2024-03-02  -         P1            snapchat handle, place Tyler, TX
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from safelight.records import AD_SCHEMA, EXTRACTION_SCHEMA, Ad
from safelight.store import Store

P1 = "+19035550187"
P2 = "+12145550199"
XSS = "<script>alert('x')</script>"


def _ad(
    post_id: str,
    source: str,
    body: str,
    *,
    title: str = "",
    day: int | None = None,
    location: str | None = None,
    stated_age: int | None = None,
) -> Ad:
    posted = datetime(2024, 3, day, 15, 30, tzinfo=UTC) if day else None
    return Ad(
        source=source,
        body=body,
        post_id=post_id,
        title=title,
        posted_at=posted,
        location=location,
        stated_age=stated_age,
        origin=f"test:{post_id}",
    )


ADS = [
    _ad(
        "a1",
        "siteA",
        f"call 903 555 0187 im 16 {XSS}",
        title="New in town",
        day=1,
        location="Dallas",
    ),
    _ad("a2", "siteA", "Ashlee here, 22, text 903-555-0187 $150hr", title="Tyler, TX", day=1),
    _ad("a3", "siteB", "text 214.555.0199 or mia@example.com", day=3, location="Houston"),
    _ad("a4", "siteB", "sweet and new", stated_age=17),
    _ad("a5", "siteA", "snap: kandi_x 9035550187 Tyler, TX", day=2),
]


def _span(
    ad: Ad, field: str, value: Any, written: str, detail: dict | None = None
) -> dict[str, Any]:
    start = ad.text.index(written)
    return {
        "ad_id": ad.ad_id,
        "field": field,
        "value": value if isinstance(value, str) else json.dumps(value, sort_keys=True),
        "text": written,
        "start": start,
        "end": start + len(written),
        "detail": json.dumps(detail) if detail else None,
    }


def _extractions() -> list[dict[str, Any]]:
    a1, a2, a3, a4, a5 = ADS
    return [
        _span(a1, "phone", P1, "903 555 0187"),
        _span(a1, "age", "16", "16"),
        _span(a2, "phone", P1, "903-555-0187"),
        _span(a2, "age", "22", "22"),
        _span(a2, "price", {"amount": 150, "currency": "USD", "minutes": 60}, "$150hr"),
        _span(a2, "name", "Ashlee", "Ashlee"),
        _span(a2, "place", "Tyler, TX", "Tyler, TX"),
        _span(a3, "phone", P2, "214.555.0199"),
        _span(a3, "email", "mia@example.com", "mia@example.com"),
        _span(a3, "place", "Dallas, TX", "214.555.0199", {"source": "area code"}),
        {
            "ad_id": a4.ad_id,
            "field": "age",
            "value": "17",
            "text": "17",
            "start": None,
            "end": None,
            "detail": json.dumps({"source": "age field"}),
        },
        _span(a5, "handle", {"platform": "snapchat", "handle": "kandi_x"}, "kandi_x"),
        _span(a5, "phone", P1, "9035550187"),
        _span(a5, "place", "Tyler, TX", "Tyler, TX"),
    ]


def fill(store: Store) -> None:
    store.add_ads(pa.Table.from_pylist([ad.to_row() for ad in ADS], schema=AD_SCHEMA))
    rows = _extractions()
    store.write_extractions(
        [ad.ad_id for ad in ADS],
        pa.Table.from_pylist(rows, schema=EXTRACTION_SCHEMA),
        version="test",
    )


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "known.duckdb"
    with Store(path) as store:
        fill(store)
    return path


@pytest.fixture()
def store(db_path: Path):
    with Store(db_path) as opened:
        yield opened


# -- scores: risk and evidence rows written by hand through ``Store.write_scores`` -------------
#
#   ad   minor   score  evidence (indicator: written text, points)
#   a4   stated  80     minor.stated_under_18: age field "17" (no span) 60,
#                       minor.new_to_this: "new" 20
#   a1   stated  70     minor.stated_under_18: "16" 60, evasion.no_cops: "<script>" 10 (XSS text)
#   a2   likely  25     control.third_person: "Ashlee here" 12, economics.specials: "$150hr" 13
#   a3   none    90     evasion.obscured_phone: "214.555.0199" 60, evasion.text_only: "text" 30
#   a5   none    10     evasion.obscured_phone: "9035550187" 10
#
# Triage order: a4, a1 (stated, by score), a2 (likely), a3, a5 (by score).
# Ads per category: evasion 3 (a1, a3, a5), minor 2 (a1, a4), control 1, economics 1, others 0.

TRIAGE_ORDER = ["a4", "a1", "a2", "a3", "a5"]
SCORES = {
    "a4": ("stated", 80.0),
    "a1": ("stated", 70.0),
    "a2": ("likely", 25.0),
    "a3": ("none", 90.0),
    "a5": ("none", 10.0),
}


def ad_by_post(post_id: str) -> Ad:
    return next(ad for ad in ADS if ad.post_id == post_id)


def _ev(
    post_id: str,
    indicator: str,
    written: str | None,
    points: float,
    *,
    field_text: str | None = None,
) -> dict[str, Any]:
    ad = ad_by_post(post_id)
    start = ad.text.index(written) if written is not None else None
    return {
        "ad_id": ad.ad_id,
        "indicator": indicator,
        "category": indicator.split(".")[0],
        "text": written if written is not None else field_text,
        "start": start,
        "end": None if start is None else start + len(written or ""),
        "points": points,
    }


EVIDENCE = [
    _ev("a4", "minor.stated_under_18", None, 60.0, field_text="17"),
    _ev("a4", "minor.new_to_this", "new", 20.0),
    _ev("a1", "minor.stated_under_18", "16", 60.0),
    _ev("a1", "evasion.no_cops", "<script>", 10.0),
    _ev("a2", "control.third_person", "Ashlee here", 12.0),
    _ev("a2", "economics.specials", "$150hr", 13.0),
    _ev("a3", "evasion.obscured_phone", "214.555.0199", 60.0),
    _ev("a3", "evasion.text_only", "text", 30.0),
    _ev("a5", "evasion.obscured_phone", "9035550187", 10.0),
]


def score(store: Store) -> None:
    from safelight.indicators.stage import EVIDENCE_SCHEMA, RISK_SCHEMA

    risk = [{"ad_id": ad_by_post(p).ad_id, "score": s, "minor": m} for p, (m, s) in SCORES.items()]
    store.write_scores(
        pa.RecordBatch.from_pylist(risk, schema=RISK_SCHEMA),
        pa.RecordBatch.from_pylist(EVIDENCE, schema=EVIDENCE_SCHEMA),
        version="t",
    )


@pytest.fixture()
def scored_store(db_path: Path):
    with Store(db_path) as opened:
        score(opened)
        yield opened
