"""Tiny stores for the link stage's tests, built through the real ``Store``.

    ad  phone  photo  place      posted      text
    a0  P1     -      Dallas     2024-03-01  template A, name Mia
    a1  P1     H1     Tyler      2024-03-03  template A, name Kandi
    a2  P2     H1     Waco       2024-03-06  own text
    b0  P3     -      Austin     2024-03-02  own text   (alone)
    b1  P4     -      Austin     2024-03-02  own text   (alone)

So a0, a1, a2 form one network (phone P1, then photo H1); b0 and b1 are singletons.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from safelight.records import AD_SCHEMA, EXTRACTION_SCHEMA, Ad
from safelight.store import Store

H1 = "8f3a5c7e9b1d2f40"
TEMPLATE = "hi gentlemen im {name} new in town sweet and discreet upscale company call me {phone}"


_VOCAB = [
    "amber",
    "river",
    "quiet",
    "maple",
    "stone",
    "cloud",
    "velvet",
    "harbor",
    "lemon",
    "cedar",
    "copper",
    "meadow",
    "silver",
    "orbit",
    "canyon",
    "willow",
    "prairie",
    "coral",
    "falcon",
    "ember",
    "lantern",
    "marble",
    "pepper",
    "violet",
    "thunder",
    "saffron",
    "glacier",
    "indigo",
    "juniper",
    "kettle",
    "lotus",
    "mosaic",
    "nutmeg",
    "opal",
    "pebble",
    "quartz",
    "raven",
    "sable",
    "tundra",
]


def _own_words(post_id: str, n: int = 12) -> str:
    """Words no other ad of the fixture writes in the same order (a deterministic shuffle)."""
    import random

    rng = random.Random(post_id)
    return " ".join(rng.sample(_VOCAB, n))


def make_ad(post_id: str, body: str, day: int, place: str) -> Ad:
    return Ad(
        source="siteA",
        body=body,
        post_id=post_id,
        title=f"title {post_id}",
        posted_at=datetime(2024, 3, day, 12, tzinfo=UTC),
        location=place,
        origin=f"test:{post_id}",
    )


def _row(ad: Ad, field: str, value: str, written: str | None = None) -> dict:
    start = ad.text.index(written) if written else None
    return {
        "ad_id": ad.ad_id,
        "field": field,
        "value": value,
        "text": written or value,
        "start": start,
        "end": None if start is None else start + len(written or ""),
        "detail": None,
    }


def add(store: Store, specs: list[tuple[str, str, str | None, str, int, str | None]]) -> list[Ad]:
    """Store ads from (post_id, phone, photo, place, day, name-or-None for own text) and their
    extractions."""
    ads, rows = [], []
    for post_id, phone, photo, place, day, name in specs:
        written = f"{phone[2:5]} {phone[5:8]} {phone[8:]}"
        if name:
            body = TEMPLATE.format(name=name, phone=written)
        else:
            body = f"{_own_words(post_id)} call {written}"
        ad = make_ad(post_id, body, day, place)
        ads.append(ad)
        rows.append(_row(ad, "phone", phone, written))
        if name:
            rows.append(_row(ad, "name", name, name))
        if photo:
            rows.append(_row(ad, "image", photo))
        rows.append(_row(ad, "place", f"{place}, TX"))
    store.add_ads(pa.Table.from_pylist([a.to_row() for a in ads], schema=AD_SCHEMA))
    store.write_extractions(
        [a.ad_id for a in ads], pa.Table.from_pylist(rows, schema=EXTRACTION_SCHEMA), version="t"
    )
    return ads


BASE = [
    ("a0", "+19035550100", None, "Dallas", 1, "Mia"),
    ("a1", "+19035550100", H1, "Tyler", 3, "Kandi"),
    ("a2", "+19035550122", H1, "Waco", 6, None),
    ("b0", "+15125550133", None, "Austin", 2, None),
    ("b1", "+15125550144", None, "Austin", 2, None),
]
