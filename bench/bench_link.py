"""Benchmark the link stage on synthetic extraction rows, pHashes and texts.

    .venv/bin/python bench/bench_link.py --ads 10000 100000 [1000000]

A third of the ads come from networks (about 20 ads each, 2-3 phones, one template filled with
different names, cities, ages and phones, shared photos re-encoded a few bits apart); the rest
are independent (own phone, own text, own photos). A few values are shared by everyone (a
switchboard number, a stock photo, site boilerplate) to exercise the guard. Prints seconds,
throughput and peak RSS after each step, then network recovery against the generator's truth.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pyarrow as pa

from safelight.link import Networks, identifier_links, image_links, text_links
from safelight.link.template import cluster_templates
from safelight.records import EXTRACTION_SCHEMA

NAMES = ["Mia", "Kandi", "Destiny", "Ashlee", "Candy", "Jade", "Roxy", "Luna", "Nikki", "Bella"]
CITIES = ["Dallas", "Tyler", "Waco", "Austin", "Houston", "Lubbock", "Midland", "Odessa"]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(n: int, seed: int = 0) -> tuple[pa.Table, pa.Table, np.ndarray]:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = np.array(["".join(rng.choice(letters, 3 + i % 6)) for i in range(3000)])
    ad_ids = np.array([f"ad{i:08d}" for i in range(n)])
    network = np.full(n, -1)
    n_net = n // 3 // 20
    net_ads = rng.permutation(n)[: n_net * 20]
    network[net_ads] = np.arange(len(net_ads)) // 20
    templates = [" ".join(rng.choice(vocab, 45)) for _ in range(max(n_net, 1))]
    net_phones = rng.integers(2_000_000_000, 9_999_999_999, (max(n_net, 1), 3))
    net_photos = rng.integers(0, 2**63, (max(n_net, 1), 4), dtype=np.int64).astype(np.uint64)
    stock = np.uint64(0x0F0F_F0F0_1234_4321)
    boiler = " ".join(rng.choice(vocab, 40))

    ext: dict[str, list] = {k: [] for k in ("ad_id", "field", "value", "text", "start", "end")}
    texts: list[str] = []

    def add(ad: str, fld: str, value: str, start: int | None = None, end: int | None = None):
        ext["ad_id"].append(ad)
        ext["field"].append(fld)
        ext["value"].append(value)
        ext["text"].append(value)
        ext["start"].append(start)
        ext["end"].append(end)

    words = rng.choice(vocab, (n, 45))
    for i in range(n):
        ad = str(ad_ids[i])
        k = network[i]
        name = NAMES[i % len(NAMES)]
        city = CITIES[(i // 7) % len(CITIES)]
        if k >= 0:
            phone = f"+1{net_phones[k, i % 3]}"
            body = templates[k]
            photos = [net_photos[k, i % 4] ^ (np.uint64(1) << np.uint64(i % 64))]
        else:
            phone = f"+1{rng.integers(2_000_000_000, 9_999_999_999)}"
            body = boiler if i % 5000 == 1 else " ".join(words[i])
            photos = [np.uint64(rng.integers(0, 2**63)), np.uint64(rng.integers(0, 2**63))]
        if i % 500 == 0:
            phone = "+18005550100"  # switchboard
            photos.append(stock)
        head = f"Hi im {name} new in {city} call {phone[2:]} "
        text = head + body
        texts.append(text)
        p = head.index(name)
        add(ad, "name", name, p, p + len(name))
        p = head.index(city)
        add(ad, "place", f"{city}, TX", p, p + len(city))
        p = head.index(phone[2:])
        add(ad, "phone", phone, p, p + 10)
        for h in photos:
            add(ad, "image", f"{int(h):016x}")
    ext["detail"] = [None] * len(ext["ad_id"])
    rows = pa.table(ext, schema=EXTRACTION_SCHEMA)
    return rows, pa.table({"ad_id": ad_ids, "text": texts}), network


def run(n: int) -> None:
    t = time.perf_counter()
    rows, texts, truth = generate(n)
    print(
        f"\n== {n:,} ads: {rows.num_rows:,} extraction rows, generated in "
        f"{time.perf_counter() - t:.1f}s, peak RSS {_rss_mb():.0f} MB"
    )
    spans = rows.filter(pa.compute.is_valid(rows.column("start")))
    total = 0.0
    out = {}
    steps = [
        ("identifiers", lambda: identifier_links(rows)),
        ("images", lambda: image_links(rows)),
        ("text", lambda: text_links(texts, spans)),
    ]
    for name, fn in steps:
        t = time.perf_counter()
        out[name] = fn()
        dt = time.perf_counter() - t
        total += dt
        res = out[name].result if name == "text" else out[name]
        print(
            f"{name:12s} {dt:7.2f}s {n / dt:10,.0f} ads/s  edges {res.edges.num_rows:>9,}"
            f"  flagged {res.flagged.num_rows:>5,}  peak RSS {_rss_mb():6.0f} MB"
        )
    edges = pa.concat_tables(
        [out["identifiers"].edges, out["images"].edges, out["text"].result.edges]
    )
    t = time.perf_counter()
    net = Networks.build(edges, texts.column("ad_id").to_pylist())
    comps = net.components()
    dt = time.perf_counter() - t
    total += dt
    print(
        f"{'networks':12s} {dt:7.2f}s {n / dt:10,.0f} ads/s  components {len(comps):>9,}"
        f"  peak RSS {_rss_mb():6.0f} MB"
    )
    t = time.perf_counter()
    clusters = out["text"].clusters
    some = clusters.filter(
        pa.compute.is_in(
            clusters.column("cluster_id"),
            value_set=pa.array(sorted(set(clusters.column("cluster_id").to_pylist()))[:200]),
        )
    )
    tpl = cluster_templates(texts, spans, some)
    print(f"{'templates':12s} {time.perf_counter() - t:7.2f}s for {tpl.num_rows} clusters")
    print(f"{'TOTAL':12s} {total:7.2f}s (identifiers + images + text + networks)")
    # recovery: every true network inside one component, and components pure
    index = net.index
    roots = net.labels()
    ad_ids = texts.column("ad_id").to_pylist()
    whole = sum(
        len({roots[index[ad_ids[i]]] for i in np.flatnonzero(truth == k)}) == 1
        for k in range(truth.max() + 1)
    )
    sizes = [len(c) for c in comps]
    print(
        f"true networks kept whole: {whole}/{truth.max() + 1}; largest component "
        f"{max(sizes) if sizes else 0} ads"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ads", type=int, nargs="+", default=[10_000, 100_000])
    for n in ap.parse_args().ads:
        run(n)


if __name__ == "__main__":
    main()
