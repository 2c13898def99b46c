"""Incremental linking: link N ads from scratch vs add M new ads to a store linked with N.

    .venv/bin/python bench/bench_link_incremental.py --ads 100000 --new 10000

Ads come from ``bench_link.generate`` (networks, templates, re-encoded photos, a switchboard),
stored through the real ``Store``. Each link run happens in a child process so its peak RSS and
CPU time are its own (``VmHWM`` and ``getrusage`` in the child). Prints wall and CPU seconds
and peak RSS of: full link of N, then an incremental run adding M, then a full relink of N + M
(``--all``), and checks that the incremental result (networks, edges with their evidence,
flags) equals the full one. ``--keep DIR`` keeps the linked N-ad store
(``DIR/base.duckdb``) for reuse.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import shutil
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


def _peak_mb() -> float:
    """This process's own peak RSS. ``ru_maxrss`` would not do: after fork and exec, Linux
    carries the parent's peak into it (here the parent holds the generated corpus)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _link(db: str, all_: bool, out: mp.Queue) -> None:
    from safelight.pipeline import run_link

    t = time.perf_counter()
    with Store(Path(db)) as store:
        s = run_link(store, all=all_)
        wall = time.perf_counter() - t
        ru = resource.getrusage(resource.RUSAGE_SELF)
        peak = _peak_mb()  # before the comparison below loads every edge into Python
        parts = store.query("SELECT ad_id, network_id FROM networks").to_pylist()
        edges = store.query(
            "SELECT ad_a, ad_b, kind, value, round(weight, 5) AS w, detail FROM link_edges"
        ).to_pylist()
        flags = store.query("SELECT * FROM link_flagged").to_pylist()
    groups: dict[str, set[str]] = {}
    for r in parts:
        groups.setdefault(r["network_id"], set()).add(r["ad_id"])
    out.put(
        (
            wall,
            ru.ru_utime + ru.ru_stime,
            peak,
            s,
            {frozenset(g) for g in groups.values()},
            {tuple(e.values()) for e in edges},
            {tuple(f.values()) for f in flags},
        )
    )


def link(db: Path, all_: bool = False) -> tuple:
    q: mp.Queue = mp.get_context("spawn").Queue()
    p = mp.get_context("spawn").Process(target=_link, args=(str(db), all_, q))
    p.start()
    res = q.get()
    p.join()
    return res


def _line(label: str, res: tuple) -> None:
    wall, cpu, rss = res[:3]
    print(f"{label:34s} {wall:7.1f}s wall {cpu:7.1f}s CPU  peak RSS {rss:6.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ads", type=int, default=100_000)
    ap.add_argument("--new", type=int, default=10_000)
    ap.add_argument("--keep", type=Path, default=None)
    a = ap.parse_args()
    rows, texts, _ = generate(a.ads + a.new)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        _load(db, rows, texts, 0, a.ads)
        _line(f"full link of {a.ads:,} ads", link(db))
        if a.keep is not None:
            a.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(db, a.keep / "base.duckdb")
        _load(db, rows, texts, a.ads, a.ads + a.new)
        inc = link(db)
        s = inc[3]
        _line(f"add {a.new:,} (incremental={s.incremental})", inc)
        print(
            f"  sketched {s.sketched:,} ads, searched {s.photos_searched:,} photos, "
            f"recomputed {s.region_texts:,} texts' clusters and {s.region_ads:,} ads' networks"
        )
        full = link(db, all_=True)
        _line(f"full relink of {a.ads + a.new:,}", full)
        print(f"incremental networks == full networks: {inc[4] == full[4]}")
        print(f"incremental edges and flags == full: {inc[5:] == full[5:]}")


if __name__ == "__main__":
    main()
