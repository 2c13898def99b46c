"""Synthetic corpus generation speed and peak memory.

    .venv/bin/python bench/bench_synth.py --sizes 10000 100000 1000000 [--images]

Each size runs in a child process that reports its own peak RSS, writing to a temporary
folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(n: int, images: bool) -> dict[str, float]:
    from safelight.synth import SynthOptions, generate

    with tempfile.TemporaryDirectory(prefix="safelight-synth-") as tmp:
        started = time.perf_counter()
        summary = generate(SynthOptions(out=Path(tmp), ads=n, seed=1, images=images))
        seconds = time.perf_counter() - started
    return {
        "ads": summary.ads,
        "persons": summary.persons,
        "images": summary.images,
        "seconds": round(seconds, 2),
        "ads_per_s": round(summary.ads / seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--images", action="store_true", help="Also draw the photos.")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.images)))
        return
    print(f"{'ads':>9} {'seconds':>8} {'ads/s':>8} {'images':>7} {'peak RSS MB':>11}")
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--child", str(n)] + (["--images"] if args.images else [])
        result = json.loads(subprocess.check_output(cmd, text=True).splitlines()[-1])
        print(
            f"{n:>9,} {result['seconds']:>8} {result['ads_per_s']:>8,} {result['images']:>7,} "
            f"{result['peak_rss_mb']:>11,}"
        )


if __name__ == "__main__":
    main()
