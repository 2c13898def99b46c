"""The stored link index makes an incremental run exact and proportional to the new ads.

A corpus with every link kind: networks posting one template with a few words changed (near
duplicates, not exact), photos re-encoded a few bits apart, shared phones, a switchboard
number and a stock photo that only become too common after later batches, and boilerplate.
It is linked in batches; after each batch every link table (edges with weights and evidence,
flags, clusters, templates, networks) and the link index itself must equal what
``safelight link --all`` writes from scratch on the same ads.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pytest

from safelight.link import LinkSettings
from safelight.pipeline import run_link
from safelight.records import AD_SCHEMA, EXTRACTION_SCHEMA
from safelight.store import Store

# letters only: a word with a digit is masked as a number
WORDS = [a + b + c for a in "bcdfghjklm" for b in "aeiou" for c in "nprstvxz"]
SWITCHBOARD, STOCK = "+18005550100", "0f0ff0f012344321"
TABLES = {
    "link_edges": "SELECT ad_a, ad_b, kind, value, round(weight, 5) AS w, detail FROM link_edges",
    "link_flagged": "SELECT * FROM link_flagged",
    "text_clusters": "SELECT * FROM text_clusters",
    "text_templates": "SELECT * FROM text_templates",
    "link_text_bands": "SELECT * FROM link_text_bands",
    "link_text_pairs": "SELECT * FROM link_text_pairs",
    "link_image_hashes": "SELECT * FROM link_image_hashes",
}


def _batch(lo: int, hi: int, networks: int = 12) -> tuple[pa.Table, pa.Table]:
    """Ads ``lo..hi-1``: three in four from ``networks`` networks, the rest independent."""
    rng = random.Random(5)
    templates = [rng.sample(WORDS, 30) for _ in range(networks)]
    photos = [rng.getrandbits(64) for _ in range(networks)]
    ads, rows = [], []
    for i in range(lo, hi):
        r = random.Random(i)
        ad_id = f"{r.getrandbits(40):010x}"  # ids in no particular order of arrival
        net = i % (networks * 4 // 3)
        if net < networks:  # a network: its template with two words changed, its photo re-encoded
            words = list(templates[net])
            for k in r.sample(range(30), i % 3):  # 0: an exact copy
                words[k] = r.choice(WORDS)
            phone = f"+1903555{net:02d}{i % 3:02d}"
            photo = photos[net] ^ (1 << r.randrange(64)) ^ (1 << r.randrange(64))
        else:  # independent, sometimes posting site boilerplate
            words = templates[0][:3] + r.sample(WORDS, 27) if i % 3 else WORDS[:30]
            phone = f"+1512{r.randrange(10**7):07d}"
            photo = r.getrandbits(64)
        if i % 9 == 0:
            phone = SWITCHBOARD
        name = r.choice(["Mia", "Kandi", "Jade"])
        body = f"hi im {name} " + " ".join(words) + f" call {phone[2:]}"
        ads.append(
            {
                "ad_id": ad_id,
                "source": "t",
                "post_id": ad_id,
                "body": body,
                "title": "",
                "location": r.choice(["Dallas", "Waco", "Tyler"]),
            }
        )
        for field, value, start in [
            ("name", name, body.index(name)),
            ("phone", phone, body.index(phone[2:])),
            ("image", f"{photo:016x}", None),
        ] + ([("image", STOCK, None)] if i % 10 == 0 else []):
            end = None if start is None else start + (len(name) if field == "name" else 10)
            rows.append(
                {
                    "ad_id": ad_id,
                    "field": field,
                    "value": value,
                    "text": value,
                    "start": start,
                    "end": end,
                    "detail": None,
                }
            )
    cols = {n: [a.get(n) for a in ads] for n in AD_SCHEMA.names}
    return pa.table(cols, schema=AD_SCHEMA), pa.Table.from_pylist(rows, schema=EXTRACTION_SCHEMA)


def _groups_of(lo: int, hi: int, size: int) -> tuple[pa.Table, pa.Table]:
    """Ads ``lo..hi-1`` in groups of ``size`` sharing a phone, a photo and a text (nothing
    else alike): many groups of one size pull every adaptive limit towards it."""
    ads, rows = [], []
    for i in range(lo, hi):
        r = random.Random(f"{lo}-{i // size}")
        ad_id = f"{random.Random(i).getrandbits(40):010x}"
        phone = f"+1214{r.randrange(10**7):07d}"
        body = "hi im Mia " + " ".join(r.sample(WORDS, 30)) + f" call {phone[2:]}"
        ads.append({"ad_id": ad_id, "source": "t", "post_id": ad_id, "body": body, "title": ""})
        for field, value, start, end in [
            ("name", "Mia", 6, 9),
            ("phone", phone, body.index(phone[2:]), body.index(phone[2:]) + 10),
            ("image", f"{r.getrandbits(64):016x}", None, None),
        ]:
            rows.append(
                {"ad_id": ad_id, "field": field, "value": value, "start": start, "end": end}
            )
    cols = {n: [a.get(n) for a in ads] for n in AD_SCHEMA.names}
    return pa.table(cols, schema=AD_SCHEMA), pa.Table.from_pylist(rows, schema=EXTRACTION_SCHEMA)


def _add(store: Store, lo: int, hi: int, networks: int = 12, size: int = 0) -> None:
    ads, rows = _groups_of(lo, hi, size) if size else _batch(lo, hi, networks)
    store.add_ads(ads)
    store.write_extractions(ads.column("ad_id"), rows, version="t")


def _snapshot(store: Store) -> dict[str, set]:
    out = {
        name: {tuple(r.values()) for r in store.query(sql).to_pylist()}
        for name, sql in TABLES.items()
    }
    out["networks"] = set(store.network_assignment().items())
    return out


SETTINGS = LinkSettings(max_group_ads=40, min_shingles=5)


@pytest.mark.parametrize("settings", [SETTINGS, LinkSettings()], ids=["fixed", "adaptive"])
def test_batches_linked_incrementally_equal_a_full_relink(
    tmp_path: Path, settings: LinkSettings
) -> None:
    bounds = [0, 300, 330, 400, 410, 560]
    runs: list[bool] = []
    with Store(tmp_path / "inc.duckdb") as inc:
        for k, (lo, hi) in enumerate(zip(bounds, bounds[1:], strict=False)):
            _add(inc, lo, hi)
            summary = run_link(inc, settings=settings)
            assert summary.incremental == (k > 0), summary
            runs.append(summary.limit_changed)
            # only the new ads' texts are MinHashed
            assert summary.sketched == (hi - lo if summary.incremental else hi)
            got = _snapshot(inc)
            with Store(tmp_path / f"full{k}.duckdb") as full:
                _add(full, 0, hi)
                run_link(full, settings=settings)
                want = _snapshot(full)
            for name in TABLES:
                assert got[name] == want[name], name
            groups = lambda snap: {  # noqa: E731
                frozenset(a for a, n in snap["networks"] if n == net)
                for net in {n for _, n in snap["networks"]}
            }
            assert groups(got) == groups(want)
            # and a relink of the same store keeps every network id
            run_link(inc, all=True, settings=settings)
            assert _snapshot(inc) == got
            flagged = {v for _, v, *_ in got["link_flagged"]}
            if settings is SETTINGS:  # crossing the limit (40) in an incremental run
                assert (SWITCHBOARD in flagged) == (hi >= 400)
                assert (STOCK in flagged) == (hi >= 410)
                boilerplate = any(v.startswith("masked text") for v in flagged)
                assert boilerplate == (hi >= 560)
    # adaptive limits: computed over the stored index, unchanged for three batches, then the
    # switchboard moves the phone limit (applied incrementally too)
    assert runs == ([False] * 5 if settings is SETTINGS else [False] * 4 + [True])


def _limits(store: Store) -> tuple[int, int, int]:
    state = store.link_state()
    return int(state["id_limit"]), int(state["image_limit"]), int(state["text_limit"])


def test_a_moved_limit_is_applied_incrementally_and_equals_a_full_relink(tmp_path: Path) -> None:
    """Limits at the median of group sizes, never below 2: batches of pairs pull every limit
    down, batches of larger groups push it up. Each run stays incremental (only the values
    between the old and the new limit are regrouped) and equals a relink from scratch."""
    settings = LinkSettings(min_limit=2, limit_quantile=0.5)
    batches = [(0, 150, 0), (150, 450, 2), (450, 1450, 5), (1450, 2050, 2), (2050, 2300, 0)]
    limits = []
    with Store(tmp_path / "inc.duckdb") as inc:
        for k, (lo, hi, size) in enumerate(batches):
            _add(inc, lo, hi, size=size)
            before = _limits(inc) if k else None
            summary = run_link(inc, settings=settings)
            assert summary.incremental == (k > 0) and summary.sketched == hi - lo
            limits.append(_limits(inc))
            assert summary.limit_changed == (k > 0 and limits[-1] != before)
            with Store(tmp_path / f"full{k}.duckdb") as full:
                for lo_, hi_, size_ in batches[: k + 1]:
                    _add(full, lo_, hi_, size=size_)
                run_link(full, settings=settings)
                assert _limits(full) == limits[-1]
                want = _snapshot(full)
            got = _snapshot(inc)
            for name in TABLES:
                assert got[name] == want[name], name
            assert _partition(got) == _partition(want)
    # every limit (identifiers, photos, texts) moved down and up at least once
    for kind in range(3):
        steps = [b[kind] - a[kind] for a, b in zip(limits, limits[1:], strict=False)]
        assert min(steps) < 0 < max(steps), (kind, limits)


def _partition(snap: dict[str, set]) -> set[frozenset[str]]:
    nets: dict[str, set[str]] = {}
    for ad, net in snap["networks"]:
        nets.setdefault(net, set()).add(ad)
    return {frozenset(m) for m in nets.values()}


def test_an_incremental_run_works_on_the_new_ads_only(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        _add(store, 0, 1500, networks=120)
        full = run_link(store, settings=SETTINGS)
        assert full.sketched == 1500
        _add(store, 1500, 1510, networks=120)
        summary = run_link(store, settings=SETTINGS)
        assert summary.incremental and summary.new_ads == 10
        assert summary.sketched == 10
        # photos searched: the new ads' hashes and their neighbours, not every stored one
        stored = store.query("SELECT count(*) AS n FROM link_image_hashes")["n"][0].as_py()
        assert 0 < summary.photos_searched < 0.3 * stored
        # text clusters recomputed: those the ten ads joined, not every text
        assert summary.region_texts < 0.1 * 1510
        # networks recomputed: those the ten ads touch
        assert summary.region_ads < 0.1 * 1510
