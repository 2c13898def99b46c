from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from safelight.link import LinkSettings, identifier_links


def test_two_ads_sharing_a_phone_link(ext_rows: Callable) -> None:
    res = identifier_links(
        ext_rows(
            [
                ("a1", "phone", "+19033121887"),
                ("a2", "phone", "+19033121887"),
                ("a3", "phone", "+12145550199"),
            ]
        )
    )
    edges = res.edges.to_pylist()
    assert len(edges) == 1
    e = edges[0]
    assert {e["ad_a"], e["ad_b"]} == {"a1", "a2"}
    assert e["kind"] == "phone" and e["value"] == "+19033121887"
    assert e["weight"] == 1.0 and json.loads(e["detail"]) == {"n_ads": 2}
    assert res.flagged.num_rows == 0


def test_group_is_a_star_on_its_smallest_ad(ext_rows: Callable) -> None:
    res = identifier_links(ext_rows([(f"ad{i}", "email", "x@gmail.com") for i in (5, 3, 9, 1)]))
    edges = res.edges.to_pylist()
    assert len(edges) == 3
    assert {e["ad_a"] for e in edges} == {"ad1"}
    assert {e["ad_b"] for e in edges} == {"ad3", "ad5", "ad9"}


def test_handles_kinds_and_ignored_fields(ext_rows: Callable) -> None:
    h = json.dumps({"handle": "kandi", "platform": "snapchat"}, sort_keys=True)
    res = identifier_links(
        ext_rows(
            [
                ("a", "handle", h),
                ("b", "handle", h),
                ("a", "age", "19"),
                ("b", "age", "19"),
                ("c", "name", "Mia"),
                ("d", "name", "Mia"),
            ]
        )
    )
    assert [(e["kind"], e["value"]) for e in res.edges.to_pylist()] == [("handle", h)]


def test_duplicate_rows_for_one_ad_do_not_self_link(ext_rows: Callable) -> None:
    res = identifier_links(ext_rows([("a", "phone", "+1"), ("a", "phone", "+1")]))
    assert res.edges.num_rows == 0


def test_phone_shared_by_10000_ads_is_flagged_and_does_not_link(ext_rows: Callable) -> None:
    triples = [(f"ad{i:05d}", "phone", "+18005550000") for i in range(10_000)]
    triples += [("x1", "phone", "+19035550001"), ("x2", "phone", "+19035550001")]
    triples += [(f"n{i}", "phone", f"+1214555{i % 900:04d}") for i in range(1800)]
    res = identifier_links(ext_rows(triples))
    assert "+18005550000" not in set(res.edges.column("value").to_pylist())
    flagged = res.flagged.to_pylist()
    assert [(f["kind"], f["value"], f["n_ads"]) for f in flagged] == [
        ("phone", "+18005550000", 10_000)
    ]
    assert "more than" in flagged[0]["reason"]
    assert ("x1", "x2") in {(e["ad_a"], e["ad_b"]) for e in res.edges.to_pylist()}


def test_fixed_limit_and_weight_falls_with_group_size(ext_rows: Callable) -> None:
    triples = [(f"a{i:02d}", "phone", "+1") for i in range(20)]
    triples += [("b1", "phone", "+2"), ("b2", "phone", "+2")]
    res = identifier_links(ext_rows(triples), LinkSettings(max_group_ads=10))
    assert res.flagged.column("value").to_pylist() == ["+1"]
    res = identifier_links(ext_rows(triples))
    w = {e["value"]: e["weight"] for e in res.edges.to_pylist()}
    assert w["+2"] == 1.0 and 0.45 < w["+1"] < 0.55


def test_identifier_in_too_many_places_at_once_is_flagged(ext_rows: Callable) -> None:
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    ads = [f"s{i}" for i in range(12)]
    context = pa.table(
        {
            "ad_id": ads + ["c0", "c1", "c2", "c3"],
            "place": [f"City{i}, TX" for i in range(12)]
            + ["Dallas, TX", "Tyler, TX", "Waco, TX", "Austin, TX"],
            "posted_at": [t0 + timedelta(hours=i) for i in range(12)]
            + [t0 + timedelta(days=5 * i) for i in range(4)],
        }
    )
    triples = [(a, "phone", "+18005550100") for a in ads]
    triples += [(c, "phone", "+19035550111") for c in ("c0", "c1", "c2", "c3")]
    res = identifier_links(ext_rows(triples), context=context)
    flagged = res.flagged.to_pylist()
    assert [f["value"] for f in flagged] == ["+18005550100"]
    assert flagged[0]["n_places"] == 12 and "places" in flagged[0]["reason"]
    assert set(res.edges.column("value").to_pylist()) == {"+19035550111"}  # a circuit is fine


def test_empty_input(ext_rows: Callable) -> None:
    res = identifier_links(ext_rows([]))
    assert res.edges.num_rows == 0 and res.flagged.num_rows == 0
