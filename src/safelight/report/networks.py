"""Network profiles: everything known about one network of linked ads, as plain data.

``network_profile(store, network_id)`` answers from ``store.query`` only and returns a dict
(JSON-ready) that the terminal (``safelight network``), the HTML pages and the case-file
export all show:

- the ads (date range, source, place, risk, minor flag) and the posting cadence;
- phones, emails and handles with how many of its ads give each; names and stated ages;
- estimated persons advertised: the larger of the number of photo clusters (ads joined by
  reused photos) and the number of distinct names;
- the movement timeline: its places in time order as stays (place, first and last date, ads);
- the indicator summary, the highest risk and the minor flags of its ads;
- controller hints: one phone advertising several names or photo clusters, one phone posting
  in many places within days;
- the links that explain it (counts per kind, the shared values) and the values flagged too
  common to link (shown, never used), and the templates of its text clusters.

An id ``S<ad_id>`` is the singleton network of an ad with no link. ``top_networks`` ranks the
networks for the report. Every hint is a lead for human review, not a finding.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from statistics import median
from typing import Any

import numpy as np
import pyarrow as pa

from safelight.link.networks import components_of
from safelight.report.queries import QueryStore

__all__ = ["network_members", "network_profile", "top_networks"]

HINT_PLACES = 3  # a phone in at least this many places ...
HINT_DAYS = 7.0  # ... within this many days is a controller hint

_NOT_AREA_CODE = "coalesce(json_extract_string(detail, '$.source'), '') <> 'area code'"


def _rows(store: QueryStore, sql: str, params: Any = None) -> list[dict[str, Any]]:
    return store.query(sql, params).to_pylist()


def network_members(store: QueryStore, network_id: str) -> list[str]:
    """The ad ids of a network (empty when there is no such network)."""
    if network_id.startswith("S"):
        ad = network_id[1:]
        found = _rows(
            store,
            "SELECT ad_id FROM ads WHERE ad_id = ? AND ad_id NOT IN (SELECT ad_id FROM networks)",
            [ad],
        )
        return [r["ad_id"] for r in found]
    found = _rows(
        store, "SELECT ad_id FROM networks WHERE network_id = ? ORDER BY ad_id", [network_id]
    )
    return [r["ad_id"] for r in found]


def top_networks(store: QueryStore, limit: int = 25) -> list[dict[str, Any]]:
    """Networks (two or more ads) ranked: minor flags first, then highest risk, then size."""
    return _rows(
        store,
        f"""
        WITH places AS (
            SELECT DISTINCT ad_id, value AS place FROM extractions
            WHERE field = 'place' AND {_NOT_AREA_CODE})
        SELECT n.network_id, count(DISTINCT n.ad_id) AS ads,
               count(DISTINCT CASE WHEN r.minor IN ('stated', 'likely') THEN n.ad_id END)
                   AS minor_ads,
               max(r.score) AS max_risk,
               count(DISTINCT p.place) AS places,
               strftime(min(a.posted_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS first_day,
               strftime(max(a.posted_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS last_day
        FROM networks n JOIN ads a USING (ad_id)
        LEFT JOIN risk r USING (ad_id) LEFT JOIN places p USING (ad_id)
        GROUP BY n.network_id
        ORDER BY minor_ads > 0 DESC, max_risk DESC NULLS LAST, ads DESC, n.network_id
        LIMIT ?
        """,
        [limit],
    )


def _in(store: QueryStore, members: list[str], sql: str) -> list[dict[str, Any]]:
    """Run ``sql`` (which reads a ``_m(ad_id)`` relation of the members) over ``members``."""
    return _rows(store, f"WITH _m AS (SELECT unnest(?) AS ad_id) {sql}", [members])


def _fmt(ts: datetime | None) -> str | None:
    return ts.strftime("%Y-%m-%d") if ts else None


def _stays(ads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive ads in one place (time order) merged into stays."""
    stays: list[dict[str, Any]] = []
    for ad in ads:
        if not ad["place"] or not ad["posted_at"]:
            continue
        if stays and stays[-1]["place"] == ad["place"]:
            stays[-1]["last"] = _fmt(ad["posted_at"])
            stays[-1]["ads"] += 1
        else:
            day = _fmt(ad["posted_at"])
            stays.append({"place": ad["place"], "first": day, "last": day, "ads": 1})
    return stays


def _photo_clusters(members: list[str], edges: list[dict[str, Any]]) -> int:
    """Groups of ads joined by reused photos (ads with a photo link)."""
    index = {ad: k for k, ad in enumerate(members)}
    img = [e for e in edges if e["kind"] == "image"]
    if not img:
        return 0
    a = np.array([index[e["ad_a"]] for e in img])
    b = np.array([index[e["ad_b"]] for e in img])
    labels = components_of(len(members), a, b)
    return len(set(labels[np.concatenate([a, b])].tolist()))


def _places_within(times: list[datetime], places: list[str], days: float) -> int:
    pairs = sorted(zip(times, places, strict=True))
    best, lo = 0, 0
    window = timedelta(days=days)
    for hi in range(len(pairs)):
        while pairs[hi][0] - pairs[lo][0] > window:
            lo += 1
        best = max(best, len({p for _, p in pairs[lo : hi + 1]}))
    return best


def _hints(ads: list[dict[str, Any]], values: list[dict[str, Any]]) -> list[str]:
    by_ad = {a["ad_id"]: a for a in ads}
    phone_ads: dict[str, set[str]] = defaultdict(set)
    names_of: dict[str, set[str]] = defaultdict(set)
    for v in values:
        if v["field"] == "phone":
            phone_ads[v["value"]].add(v["ad_id"])
        elif v["field"] == "name":
            names_of[v["ad_id"]].add(v["value"])
    hints = []
    for phone, ad_ids in sorted(phone_ads.items()):
        names = set().union(*(names_of[a] for a in ad_ids))
        if len(names) > 1:
            hints.append(
                f"phone {phone} advertises {len(names)} names ({', '.join(sorted(names)[:6])})"
            )
        timed = [by_ad[a] for a in ad_ids if by_ad[a]["posted_at"] and by_ad[a]["place"]]
        spread = _places_within(
            [a["posted_at"] for a in timed], [a["place"] for a in timed], HINT_DAYS
        )
        if spread >= HINT_PLACES:
            hints.append(f"phone {phone} posts in {spread} places within {HINT_DAYS:g} days")
    return hints


def _cadence(ads: list[dict[str, Any]]) -> dict[str, Any]:
    times = sorted(a["posted_at"] for a in ads if a["posted_at"])
    if len(times) < 2:
        return {"ads_per_week": None, "median_gap_hours": None, "active_days": len(times)}
    span_days = max((times[-1] - times[0]).total_seconds() / 86400, 1.0)
    gaps = [(b - a).total_seconds() / 3600 for a, b in zip(times, times[1:], strict=False)]
    return {
        "ads_per_week": round(len(times) / span_days * 7, 1),
        "median_gap_hours": round(median(gaps), 1),
        "active_days": len({t.date() for t in times}),
    }


def network_profile(store: QueryStore, network_id: str, *, max_ads: int = 500) -> dict | None:
    """The profile of one network (see the module docstring); None when there is none."""
    members = network_members(store, network_id)
    if not members:
        return None
    ads = _in(
        store,
        members,
        f"""
        , place AS (SELECT ad_id, arg_min(value, coalesce(start, 0)) AS place FROM extractions
                    WHERE field = 'place' AND {_NOT_AREA_CODE} AND ad_id IN (SELECT ad_id FROM _m)
                    GROUP BY ad_id)
        SELECT a.ad_id, a.source, a.post_id, a.posted_at, a.title, a.stated_age,
               coalesce(p.place, nullif(trim(a.location), '')) AS place,
               r.score AS risk, r.minor
        FROM _m JOIN ads a USING (ad_id) LEFT JOIN place p USING (ad_id)
        LEFT JOIN risk r USING (ad_id)
        ORDER BY a.posted_at NULLS LAST, a.ad_id
        """,
    )
    values = _in(
        store,
        members,
        "SELECT DISTINCT e.ad_id, e.field, e.value FROM extractions e SEMI JOIN _m USING (ad_id) "
        "WHERE e.field IN ('phone', 'email', 'handle', 'name', 'age', 'image')",
    )
    edges = _in(
        store,
        members,
        "SELECT e.* FROM link_edges e SEMI JOIN _m ON e.ad_a = _m.ad_id ORDER BY kind, value",
    )
    flagged = _in(
        store,
        members,
        "SELECT DISTINCT f.kind, f.value, f.n_ads, f.n_places, f.reason FROM link_flagged f "
        "JOIN extractions e ON e.field = f.kind AND e.value = f.value SEMI JOIN _m USING (ad_id) "
        "ORDER BY f.n_ads DESC",
    )
    templates = _in(
        store,
        members,
        "SELECT t.cluster_id, t.n_ads, t.template, t.slots FROM text_templates t WHERE "
        "t.cluster_id IN (SELECT c.cluster_id FROM text_clusters c SEMI JOIN _m USING (ad_id)) "
        "ORDER BY t.n_ads DESC LIMIT 5",
    )
    indicators = _in(
        store,
        members,
        "SELECT indicator, category, count(DISTINCT ad_id) AS ads FROM evidence "
        "SEMI JOIN _m USING (ad_id) GROUP BY ALL ORDER BY ads DESC, indicator LIMIT 15",
    )
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    for v in values:
        counted[v["field"]][v["value"]] += 1
    ages_of: dict[str, set[str]] = defaultdict(set)
    for v in values:
        if v["field"] == "age":
            ages_of[v["ad_id"]].add(v["value"])
    for a in ads:
        if a["stated_age"] is not None:
            ages_of[a["ad_id"]].add(str(a["stated_age"]))
    ages = Counter(age for found in ages_of.values() for age in found)
    times = [a["posted_at"] for a in ads if a["posted_at"]]
    risks = [a["risk"] for a in ads if a["risk"] is not None]
    photo_clusters = _photo_clusters(members, edges)

    def ranked(field: str) -> list[dict[str, Any]]:
        return [{"value": v, "ads": n} for v, n in counted[field].most_common()]

    return {
        "network_id": network_id,
        "n_ads": len(members),
        "first_posted": _fmt(min(times)) if times else None,
        "last_posted": _fmt(max(times)) if times else None,
        "sources": dict(Counter(a["source"] for a in ads).most_common()),
        "phones": ranked("phone"),
        "emails": ranked("email"),
        "handles": ranked("handle"),
        "names": ranked("name"),
        "ages": [{"value": v, "ads": n} for v, n in sorted(ages.items(), key=lambda kv: kv[0])],
        "photos": len(counted["image"]),
        "photo_clusters": photo_clusters,
        "estimated_persons": max(photo_clusters, len(counted["name"]), 1),
        "timeline": _stays(ads),
        "cadence": _cadence(ads),
        "max_risk": max(risks) if risks else None,
        "minor_flags": dict(Counter(a["minor"] for a in ads if a["minor"] in ("stated", "likely"))),
        "indicators": indicators,
        "hints": _hints(ads, values),
        "links": dict(Counter(e["kind"] for e in edges).most_common()),
        "shared": _shared(edges),
        "flagged": flagged,
        "templates": [{**t, "slots": json.loads(t["slots"] or "[]")} for t in templates],
        "ads": [
            {**a, "posted_at": a["posted_at"].isoformat() if a["posted_at"] else None}
            for a in ads[:max_ads]
        ],
        "edges": edges,
    }


def _shared(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The values that link the network: kind, value, ads joined by them (most first)."""
    ads: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in edges:
        ads[(e["kind"], e["value"])].update((e["ad_a"], e["ad_b"]))
    rows = [{"kind": k, "value": v, "ads": len(s)} for (k, v), s in ads.items()]
    rows.sort(key=lambda r: (-r["ads"], r["kind"], r["value"]))
    return rows


def profile_table(profile: dict[str, Any]) -> pa.Table:
    """The profile's ads as a table (export)."""
    return pa.Table.from_pylist(profile["ads"])
