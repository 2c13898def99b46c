"""Extraction throughput and peak memory at several corpus sizes.

    .venv/bin/python bench/bench_extract.py --sizes 10000 100000 --workers 1 2

For each size: the corpus and ingested database of ``bench_ingest.py`` (made when missing),
copied to a fresh file, then ``run_extract`` in a child process that reports its own peak RSS.
Prints one table row and one JSON line per size and worker count. Wall time is the headline;
CPU time (of the stage's own process, so only meaningful with one worker) is steadier on a
shared machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import corpus, run_child  # noqa: E402


def child_extract(db: Path, workers: int) -> dict[str, float]:
    from safelight.pipeline import run_extract
    from safelight.store import Store

    with Store(db) as store:
        started, cpu = time.perf_counter(), time.process_time()
        summary = run_extract(store, workers=workers)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu  # this process (DuckDB's threads included)
        again = run_extract(store, workers=workers)
    assert again.ads == 0
    return {
        "ads": summary.ads,
        "extractions": summary.extractions,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "ads_per_s": round(summary.ads / seconds),
        "rerun_seconds": round(again.seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "workers_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }


def ingested_db(workdir: Path, n: int) -> Path:
    """A database holding the ``n``-ad corpus, ingested once and reused."""
    db = workdir / f"ingested-{n}.duckdb"
    if not db.exists():
        folder = corpus(workdir, n)
        partial = db.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        run_child(
            str(Path(__file__).with_name("bench_ingest.py")), "--child", str(folder), str(partial)
        )
        partial.rename(db)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/safelight-bench"))
    parser.add_argument("--child", nargs=2, metavar=("DB", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_extract(Path(args.child[0]), int(args.child[1]))))
        return
    print(f"{'ads':>9} {'workers':>7} {'seconds':>8} {'CPU s':>8} {'ads/s':>8} {'peak RSS MB':>11}")
    for n in args.sizes:
        source = ingested_db(args.workdir, n)
        for workers in args.workers:
            db = args.workdir / f"extract-{n}-{workers}.duckdb"
            db.unlink(missing_ok=True)
            shutil.copy(source, db)
            result = run_child(__file__, "--child", str(db), str(workers))
            result.update(size=n, workers=workers)
            print(
                f"{n:>9,} {workers:>7} {result['seconds']:>8} {result['cpu_seconds']:>8} "
                f"{result['ads_per_s']:>8,} "
                f"{result['peak_rss_mb']:>11,}"
            )
            print(json.dumps(result))


if __name__ == "__main__":
    main()
