"""Each ad's match evidence, read once and stored (``missing_ad_evidence``, migration 007).

``fill_evidence(store)`` reads the ads that have no evidence row of this ``evidence_version()``
(or were extracted again since) in chunks: their extraction rows become an ``AdEvidence``
(``ad_evidence``, which also reads the descriptors from the text), and the evidence becomes one
row of ``EVIDENCE_SCHEMA`` (``evidence_row``): names, ages, places with their located points
and census divisions, photo pHashes (also as integers), heights, weights, hair (and colour
families), eyes, marks. Matching blocks and scores pairs in SQL over these rows, and rebuilds
the ``AdEvidence`` of the pairs it explains with ``evidence_from_row``, so the SQL pass and the
Python comparison read exactly the same values.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from safelight.extract.base import Match
from safelight.missing.descriptors import vocabulary
from safelight.missing.evidence import AdEvidence
from safelight.missing.geo import Point, locate, region
from safelight.records import ad_text

if TYPE_CHECKING:
    from safelight.store import Store

__all__ = [
    "EVIDENCE_SCHEMA",
    "ad_evidence",
    "evidence_from_row",
    "evidence_row",
    "evidence_version",
    "fill_evidence",
    "point_row",
]

FILL_CHUNK = 5_000
_POINT = pa.struct(
    [("x", pa.float64()), ("y", pa.float64()), ("z", pa.float64()), ("radius", pa.float64())]
)  # the unit vector of (lat, lng): a distance is then a chord, no trigonometry per pair
_MARK = pa.struct(
    [("kind", pa.string()), ("motif", pa.string()), ("location", pa.string()),
     ("side", pa.string())]
)  # fmt: skip
EVIDENCE_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("version", pa.string()),
        ("posted", pa.date32()),
        ("names", pa.list_(pa.string())),
        ("ages", pa.list_(pa.int32())),
        ("places", pa.list_(pa.string())),
        ("points", pa.list_(_POINT)),
        ("ppoints", pa.list_(_POINT)),
        ("regions", pa.list_(pa.string())),
        ("photos", pa.list_(pa.string())),
        ("photo_bits", pa.list_(pa.uint64())),
        ("heights", pa.list_(pa.float64())),
        ("weights", pa.list_(pa.float64())),
        ("hair", pa.list_(pa.string())),
        ("hair_families", pa.list_(pa.string())),
        ("eyes", pa.list_(pa.string())),
        ("marks", pa.list_(_MARK)),
    ]
)
_VERSIONED = (
    "adstore.py", "evidence.py", "descriptors.py", "units.py", "geo.py",
    "data/descriptors.yaml", "data/city_coords.csv",
)  # fmt: skip
_DESCRIPTORS = (("heights", "height"), ("weights", "weight"), ("hair", "hair"), ("eyes", "eyes"))


@cache
def evidence_version() -> str:
    """A hash of the code and data that turn an ad into its evidence (a change refills)."""
    root = resources.files("safelight.missing")
    digest = hashlib.sha256()
    for name in _VERSIONED:
        digest.update(name.encode() + b"\0" + root.joinpath(name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _value(field: str, text: str) -> Any:
    if field == "age":
        try:
            return int(text)
        except ValueError:
            return None
    return text


def ad_evidence(ads: pa.Table, rows: pa.Table) -> list[AdEvidence]:
    """``AdEvidence`` for stored ads (``ad_id, posted_at, title, body``, and ``location`` when
    given) from their extraction rows (``ad_id, field, value, text, start, end, detail``)."""
    found: dict[str, dict[str, list[Match]]] = defaultdict(lambda: defaultdict(list))
    for r in rows.to_pylist():
        value = _value(r["field"], r["value"])
        if value is None:
            continue
        detail = json.loads(r["detail"]) if r["detail"] else {}
        found[r["ad_id"]][r["field"]].append(
            Match(r["field"], value, r["text"] or "", r["start"], r["end"], detail)
        )
    out = []
    for ad in ads.to_pylist():
        posted: datetime | date | None = ad["posted_at"]
        text = ad_text(ad["title"], ad["body"])
        out.append(
            AdEvidence.from_matches(
                ad["ad_id"], posted, text, found.get(ad["ad_id"], {}), location=ad.get("location")
            )
        )
    return out


def _is_hash(value: str) -> bool:
    if len(value) != 16:
        return False
    try:
        int(value, 16)
    except ValueError:
        return False
    return True


def point_row(point: Point) -> dict[str, float]:
    """A place as its unit vector (x, y, z) and vagueness (km)."""
    lat, lng = math.radians(point.lat), math.radians(point.lng)
    return {
        "x": math.cos(lat) * math.cos(lng),
        "y": math.cos(lat) * math.sin(lng),
        "z": math.sin(lat),
        "radius": point.radius_km,
    }


def evidence_row(ad: AdEvidence) -> dict[str, Any]:
    """One ``EVIDENCE_SCHEMA`` row (only 64-bit pHashes are kept: the SQL pass compares those)."""
    points = [locate(p) for p in ad.places]
    photos = [h for h in ad.photo_hashes if _is_hash(h)]
    family = vocabulary().hair_family
    hair = [str(v) for v in ad.values("hair")]
    regions = (region(p.rpartition(",")[2].strip()) for p in ad.places)
    return {
        "ad_id": ad.ad_id,
        "version": evidence_version(),
        "posted": ad.posted,
        "names": list(ad.names),
        "ages": list(ad.ages),
        "places": list(ad.places),
        "points": [point_row(p) for p in points if p],
        "ppoints": [point_row(p) for p in points if p and p.radius_km == 0.0],
        "regions": sorted({r for r in regions if r}),
        "photos": photos,
        "photo_bits": [int(h, 16) for h in photos],
        "heights": [float(v) for v in ad.values("height")],
        "weights": [float(v) for v in ad.values("weight")],
        "hair": hair,
        "hair_families": [f for f in (family.get(h) for h in hair) if f is not None],
        "eyes": [str(v) for v in ad.values("eyes")],
        "marks": [
            {k: m.get(k) for k in ("kind", "motif", "location", "side")} for m in ad.values("mark")
        ],
    }


def evidence_from_row(row: dict[str, Any]) -> AdEvidence:
    """The ``AdEvidence`` a stored row holds (descriptors without their spans)."""
    found: list[Match] = []
    for column, field in _DESCRIPTORS:
        found.extend(Match(field, v, "", None, None) for v in row[column] or ())
    found.extend(
        Match("mark", dict(m), "", None, None) for m in row["marks"] or ()
    )  # fmt: skip
    return AdEvidence(
        ad_id=row["ad_id"],
        posted=row["posted"],
        names=tuple(row["names"] or ()),
        ages=tuple(row["ages"] or ()),
        places=tuple(row["places"] or ()),
        photo_hashes=tuple(row["photos"] or ()),
        descriptors=tuple(found),
    )


def fill_evidence(
    store: Store, *, chunk: int = FILL_CHUNK, progress: Callable[[int], None] | None = None
) -> int:
    """Store the evidence of every extracted ad that lacks a current row; returns how many."""
    tables = store.missing.evidence
    version = evidence_version()
    done = 0
    for ids in _chunks(tables.stale_ad_ids(version), chunk):
        ads, rows = store.missing.ad_inputs(ids)
        table = pa.Table.from_pylist(
            [evidence_row(e) for e in ad_evidence(ads, rows)], schema=EVIDENCE_SCHEMA
        )
        tables.write(table)
        done += table.num_rows
        if progress is not None:
            progress(done)
    return done


def _chunks(values: Iterable[str], size: int) -> Iterable[list[str]]:
    batch: list[str] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
