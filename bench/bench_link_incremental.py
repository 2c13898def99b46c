"""Incremental linking: link N ads from scratch vs add M new ads to a store linked with N.

    .venv/bin/python bench/bench_link_incremental.py --ads 100000 --new 10000

Ads come from ``bench_link.generate`` (networks, templates, re-encoded photos, a switchboard),
stored through the real ``Store``. Each link run happens in a child process so its peak RSS is
its own (``ru_maxrss`` of the child). Prints seconds and peak RSS of: full link of N, then an
incremental run adding M, then a full relink of N + M (``--all``), and checks that the
incremental networks equal the full ones.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parent))
from bench_link import generate  # noqa: E402
from safelight.records import AD_SCHEMA  # noqa: E402
from safelight.store import Store  # noqa: E402


def _load(db: Path, rows: pa.Table, texts: pa.Table, lo: int, hi: int) -> None:
    ids = texts.column("ad_id").slice(lo, hi - lo)
    n = hi - lo
    cols = {name: pa.nulls(n, AD_SCHEMA.field(name).type) for name in AD_SCHEMA.names}
    cols["ad_id"] = ids
    cols["source"] = pa.array(["bench"] * n)
    cols["post_id"] = ids
    cols["body"] = texts.column("text").slice(lo, hi - lo)
    cols["title"] = pa.array([""] * n)
    table = pa.table(cols, schema=AD_SCHEMA)
    mask = pa.compute.is_in(rows.column("ad_id"), value_set=ids)
    with Store(db) as store:
        store.add_ads(table)
        store.write_extractions(ids, rows.filter(mask), version="bench")


def _link(db: str, all_: bool, out: mp.Queue) -> None:
    from safelight.pipeline import run_link

    t = time.perf_counter()
    with Store(Path(db)) as store:
        s = run_link(store, all=all_)
        parts = store.query("SELECT ad_id, network_id FROM networks").to_pylist()
    groups: dict[str, set[str]] = {}
    for r in parts:
        groups.setdefault(r["network_id"], set()).add(r["ad_id"])
    out.put(
        (
            time.perf_counter() - t,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            s.incremental,
            s.region_ads,
            {frozenset(g) for g in groups.values()},
        )
    )


def link(db: Path, all_: bool = False) -> tuple:
    q: mp.Queue = mp.get_context("spawn").Queue()
    p = mp.get_context("spawn").Process(target=_link, args=(str(db), all_, q))
    p.start()
    res = q.get()
    p.join()
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ads", type=int, default=100_000)
    ap.add_argument("--new", type=int, default=10_000)
    a = ap.parse_args()
    rows, texts, _ = generate(a.ads + a.new)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        _load(db, rows, texts, 0, a.ads)
        secs, rss, _, _, _ = link(db)
        print(f"full link of {a.ads:,} ads:      {secs:7.1f}s  peak RSS {rss:6.0f} MB")
        _load(db, rows, texts, a.ads, a.ads + a.new)
        secs, rss, inc, region, part_inc = link(db)
        print(
            f"add {a.new:,} (incremental={inc}): {secs:7.1f}s  peak RSS {rss:6.0f} MB  "
            f"region {region:,} ads"
        )
        secs, rss, _, _, part_full = link(db, all_=True)
        print(f"full relink of {a.ads + a.new:,}:   {secs:7.1f}s  peak RSS {rss:6.0f} MB")
        print(f"incremental networks == full networks: {part_inc == part_full}")


if __name__ == "__main__":
    main()
