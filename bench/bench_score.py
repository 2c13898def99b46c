"""Score-stage throughput and peak memory at several corpus sizes.

    .venv/bin/python bench/bench_score.py --sizes 10000 100000

For each size: the ingested database of ``bench_ingest.py`` (made when missing), extracted once
and cached, copied to a fresh file; then ``run_score`` in a child process that reports its own
peak RSS. Also times the pure record stage (``score_batch``) alone on the same ads, to separate
the scoring itself from reading and writing the store. Prints a table row and a JSON line per
size.
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

from bench_extract import ingested_db  # noqa: E402
from bench_ingest import run_child  # noqa: E402


def extracted_db(workdir: Path, n: int) -> Path:
    db = workdir / f"extracted-{n}.duckdb"
    if not db.exists():
        from safelight.pipeline import run_extract
        from safelight.store import Store

        partial = db.with_suffix(".partial")
        shutil.copy(ingested_db(workdir, n), partial)
        with Store(partial) as store:
            run_extract(store)
        partial.rename(db)
    return db


def child_score(db: Path) -> dict[str, float]:
    from safelight.indicators.stage import score_batch
    from safelight.pipeline import run_score
    from safelight.store import Store

    with Store(db) as store:
        started = time.perf_counter()
        summary = run_score(store)
        seconds = time.perf_counter() - started
        again = run_score(store)
        assert again.ads == 0
        stage_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        batches = list(store.ads_to_score(True, 5_000, version="bench"))
    pure_started = time.perf_counter()
    for ads, extractions in batches:
        score_batch(ads, extractions)
    pure = time.perf_counter() - pure_started
    return {
        "ads": summary.ads,
        "evidence": summary.evidence,
        "seconds": round(seconds, 2),
        "ads_per_s": round(summary.ads / seconds),
        "pure_ads_per_s": round(summary.ads / pure),
        "rerun_seconds": round(again.seconds, 2),
        "peak_rss_mb": round(stage_rss),  # the stage; the pure timing then holds all batches
        "bench_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/safelight-bench"))
    parser.add_argument("--child", nargs=1, metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_score(Path(args.child[0]))))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"{'ads':>9} {'seconds':>8} {'ads/s':>8} {'pure ads/s':>10} {'peak RSS MB':>11}")
    for n in args.sizes:
        db = args.workdir / f"score-{n}.duckdb"
        db.unlink(missing_ok=True)
        shutil.copy(extracted_db(args.workdir, n), db)
        result = run_child(__file__, "--child", str(db))
        result.update(size=n)
        print(
            f"{n:>9,} {result['seconds']:>8} {result['ads_per_s']:>8,} "
            f"{result['pure_ads_per_s']:>10,} {result['peak_rss_mb']:>11,}"
        )
        print(json.dumps(result), file=sys.stderr)


if __name__ == "__main__":
    main()
