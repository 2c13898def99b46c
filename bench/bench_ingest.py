"""Ingest throughput and peak memory at several corpus sizes.

    .venv/bin/python bench/bench_ingest.py --sizes 10000 100000 1000000

For each size: make a JSONL corpus (``safelight synth`` when available, else a simple built-in
generator), then ingest it into a fresh DuckDB file in a child process, which reports its own
peak RSS (``ru_maxrss``), so each measurement covers exactly one run. A second ingest of the
same input measures the "nothing new" path. Prints one table row and one JSON line per size.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CITIES = ["Dallas, TX", "Tyler, TX", "Houston", "Austin TX", "Shreveport, LA", "Miami", "Denver"]
WORDS = [
    "sweet",
    "new",
    "in",
    "town",
    "discreet",
    "upscale",
    "fun",
    "friendly",
    "real",
    "pics",
    "no",
    "games",
    "incall",
    "outcall",
]


def generate_jsonl(path: Path, n: int, seed: int = 7) -> None:
    """A plain corpus: ``n`` ads with phones, emails, ages, prices and places in the text."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            phone = f"{rng.choice(['903', '214', '469', '713'])}-{rng.randint(200, 999)}-" + str(
                rng.randint(1000, 9999)
            )
            words = " ".join(rng.choices(WORDS, k=rng.randint(8, 30)))
            body = (
                f"{words}. Im {rng.randint(18, 35)} yo, {rng.choice(CITIES)}. "
                f"${rng.choice([80, 100, 150, 200])}hh call {phone} or "
                f"user{rng.randint(1, n)}@gmail.com"
            )
            record = {
                "source": rng.choice(["siteA", "siteB", "siteC"]),
                "post_id": str(i),
                "title": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}",
                "body": body,
                "posted_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T12:00:00Z",
                "location": rng.choice(CITIES),
            }
            fh.write(json.dumps(record) + "\n")


def corpus(workdir: Path, n: int) -> Path:
    """The folder holding an ``n``-ad corpus, made once and reused."""
    folder = workdir / f"corpus-{n}"
    if (folder / ".done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    synth = Path(sys.executable).with_name("safelight")
    made = False
    if synth.exists():
        cmd = [str(synth), "synth", "--ads", str(n), "--seed", "7", "--out", str(folder)]
        made = subprocess.run(cmd, capture_output=True).returncode == 0
    if not made:
        shutil.rmtree(folder, ignore_errors=True)
        generate_jsonl(folder / "ads.jsonl", n)
    (folder / ".done").write_text("synth\n" if made else "builtin\n")
    return folder


def child_ingest(folder: Path, db: Path) -> dict[str, float]:
    from safelight.pipeline import ingest_paths
    from safelight.store import Store

    with Store(db) as store:
        started = time.perf_counter()
        first = ingest_paths(store, [folder], rejects_path=db.with_suffix(".rejects.jsonl"))
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = ingest_paths(store, [folder], rejects_path=db.with_suffix(".rejects.jsonl"))
        rerun = time.perf_counter() - started
    assert again.stored == 0
    return {
        "read": first.read,
        "stored": first.stored,
        "rejected": first.rejected,
        "seconds": round(seconds, 2),
        "ads_per_s": round(first.read / seconds),
        "rerun_seconds": round(rerun, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "db_mb": round(db.stat().st_size / 2**20),
    }


def run_child(script: str, *args: str) -> dict[str, float]:
    """Run ``script`` in a fresh interpreter and return the JSON its last line prints."""
    proc = subprocess.run(
        [sys.executable, script, *args], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        sys.exit(f"child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/safelight-bench"))
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_ingest(Path(args.child[0]), Path(args.child[1]))))
        return
    print(f"{'ads':>9} {'seconds':>8} {'ads/s':>8} {'re-run s':>8} {'peak RSS MB':>11}")
    for n in args.sizes:
        folder = corpus(args.workdir, n)
        db = args.workdir / f"ingest-{n}.duckdb"
        for stale in (db, db.with_suffix(".rejects.jsonl"), Path(f"{db}.wal")):
            stale.unlink(missing_ok=True)
        result = run_child(__file__, "--child", str(folder), str(db))
        result["size"] = n
        result["corpus"] = (folder / ".done").read_text().strip()
        print(
            f"{n:>9,} {result['seconds']:>8} {result['ads_per_s']:>8,} "
            f"{result['rerun_seconds']:>8} {result['peak_rss_mb']:>11,}"
        )
        print(json.dumps(result))


if __name__ == "__main__":
    main()
