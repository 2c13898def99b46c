"""Run every stage benchmark at the given sizes (``make bench`` uses a small smoke size).

    .venv/bin/python bench/run_all.py --sizes 10000 [100000 1000000]

Stages: synthetic corpus generation, ingest, extraction, scoring, linking (core), missing-person
matching, then the accuracy evaluations (extraction and indicator hold-out sets, risk ranking on
a synthetic corpus). Each benchmark is its own script in ``bench/`` and can be run alone; numbers
and the machine they ran on are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def run(title: str, *args: str) -> int:
    print(f"\n== {title}", flush=True)
    started = time.perf_counter()
    code = subprocess.call([sys.executable, *args])
    print(f"-- {title}: exit {code} in {time.perf_counter() - started:.1f}s", flush=True)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--workdir", default="/tmp/safelight-bench")
    args = parser.parse_args()
    sizes = [str(n) for n in args.sizes]
    work = ["--workdir", args.workdir]
    missing = ["--posters", "100", "--workdir", f"{args.workdir}/missing"]
    codes = [
        run("synth", str(BENCH / "bench_synth.py"), "--sizes", *sizes),
        run("ingest", str(BENCH / "bench_ingest.py"), "--sizes", *sizes, *work),
        run("extract", str(BENCH / "bench_extract.py"), "--sizes", *sizes, *work),
        run("extract per field", str(BENCH / "bench_extract_fields.py"), "--ads", "2000"),
        run("score", str(BENCH / "bench_score.py"), "--sizes", *sizes, *work),
        run("link (core)", str(BENCH / "bench_link.py"), "--ads", *sizes),
        run("missing match", str(BENCH / "bench_missing.py"), "--ads", *sizes, *missing),
        run("extraction accuracy", str(BENCH / "eval_extraction.py"), "--set", "holdout"),
        run("indicator accuracy", str(BENCH / "eval_indicators.py"), "--set", "holdout"),
        run("risk ranking", str(BENCH / "eval_risk_ranking.py"), "--ads", "20000"),
    ]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
