"""How fast ``missing match`` compares posters with ads, and how its cost grows with both.

    .venv/bin/python bench/bench_missing.py --ads 10000 100000 1000000 --posters 100 1000

A real synthetic corpus of ``--base-ads`` ads (``safelight synth`` with ``--posters`` and
photos) is ingested and extracted once, and each ad's match evidence is stored
(``missing_ad_evidence``; that per-ad cost is timed and reported on its own: it is paid once per
ad, when ads arrive, not per match). Larger stores are made by copying the evidence rows under
new ad ids (``extracted_ads`` and ``missing_ad_evidence`` written directly with DuckDB: a
benchmark shortcut, so a 1M-ad store takes seconds instead of an hour of extraction). The copies
have the base corpus's distribution of names, ages, places, descriptors and photos, so blocked
pairs grow linearly with the ads; copied ads have no extraction rows, so only the base ads can
be tied to an anchor ad (the network's circuit). For each (ads, posters) cell a fresh process
imports the first ``posters`` posters and runs ``run_match``; it reports wall and CPU seconds,
pairs blocked and scored in SQL per poster, pairs scored fully (Python, with explanations) per
poster, and the process's peak RSS. The load average is printed: the machine may be shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CLI = [sys.executable, "-c", "from safelight.cli import main; main()"]


def _run(*args: str) -> None:
    subprocess.run([*CLI, *args], check=True, capture_output=True, text=True)


def build_base(work: Path, ads: int, posters: int, seed: int) -> tuple[Path, dict[str, float]]:
    """Corpus, ingest, extract, then each ad's evidence (timed)."""
    from safelight.missing.adstore import fill_evidence
    from safelight.store import Store

    corpus, db = work / "corpus", work / "base.duckdb"
    if not db.exists():
        _run("synth", "--ads", str(ads), "--seed", str(seed), "--minor-rate", "0.1",
             "--posters", str(posters), "--out", str(corpus), "--images")  # fmt: skip
        _run("ingest", str(corpus), "--db", str(db))
        _run("extract", "--db", str(db), "--workers", "2")
    with Store(db) as store:
        wall, cpu = time.perf_counter(), time.process_time()
        n = fill_evidence(store)
        took = {"ads": n, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    return db, took


def scale(base: Path, target: Path, ads: int) -> int:
    """Copy ``base`` to ``target`` with the evidence rows repeated up to ``ads`` ads."""
    import duckdb  # benchmark shortcut: the store's own API never writes copies of ads

    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    shutil.copy(base, target)
    con = duckdb.connect(str(target))
    try:
        row = con.execute("SELECT count(*) FROM missing_ad_evidence").fetchone()
        have = int(row[0]) if row else 0
        copies = max(0, -(-ads // max(1, have)) - 1)
        for i in range(1, copies + 1):
            con.execute(
                "INSERT INTO missing_ad_evidence SELECT ad_id || ? AS ad_id, * EXCLUDE (ad_id) "
                "FROM missing_ad_evidence WHERE NOT contains(ad_id, '~')",
                [f"~{i}"],
            )
        con.execute(  # only copies are dropped: every extracted ad keeps its evidence
            "DELETE FROM missing_ad_evidence WHERE ad_id IN (SELECT ad_id FROM "
            "missing_ad_evidence WHERE contains(ad_id, '~') ORDER BY ad_id DESC LIMIT "
            "greatest(0, (SELECT count(*) FROM missing_ad_evidence) - ?))",
            [ads],
        )
        con.execute(
            "INSERT INTO extracted_ads SELECT e.ad_id, 'bench', e.extracted_at "
            "FROM missing_ad_evidence e WHERE contains(e.ad_id, '~')"
        )
        row = con.execute("SELECT count(*) FROM missing_ad_evidence").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def one(db: Path, posters_csv: Path, n_posters: int) -> dict[str, float]:
    """In this process: import the first ``n_posters`` posters and match them (timed)."""
    from safelight.missing.run import import_posters, run_match
    from safelight.store import Store

    subset = db.with_suffix(".posters.csv")
    with posters_csv.open(encoding="utf-8") as src, subset.open("w", encoding="utf-8") as out:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or []))
        writer.writeheader()
        for i, row in enumerate(reader):
            if i >= n_posters:
                break
            row["photos"] = str(posters_csv.parent / row["photos"]) if row["photos"] else ""
            writer.writerow(row)
    with Store(db) as store:
        import_posters(store, [subset])
        wall, cpu = time.perf_counter(), time.process_time()
        s = run_match(store)
        took_wall, took_cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall": took_wall,
        "cpu": took_cpu,
        "ads": s.ads,
        "posters": s.posters,
        "pairs": s.pairs,
        "rescored": s.rescored,
        "lifted": s.lifted,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ads", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--posters", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--base-ads", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/safelight-bench-missing"))
    parser.add_argument(
        "--one", nargs=3, metavar=("DB", "POSTERS_CSV", "N"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(Path(args.one[0]), Path(args.one[1]), int(args.one[2]))))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    base, fill = build_base(args.workdir, args.base_ads, max(args.posters), args.seed)
    per_ad = 1e3 * fill["cpu"] / max(1, fill["ads"])
    if fill["ads"]:  # paid once per ad, when it arrives: not part of any cell below
        print(f"evidence stored once per ad: {fill['ads']:,.0f} ads in {fill['wall']:.1f}s wall, "
              f"{fill['cpu']:.1f}s CPU ({per_ad:.2f} ms CPU per ad)")  # fmt: skip
    else:
        print(f"evidence already stored in {base} (delete it to time the fill again)")
    print(f"{'ads':>10} {'posters':>8} {'wall s':>8} {'CPU s':>8} {'pairs/poster':>13} "
          f"{'full/poster':>12} {'peak RSS MB':>12} {'load':>5}")  # fmt: skip
    for ads in args.ads:
        db = args.workdir / f"scaled-{ads}.duckdb"
        scale(base, db, ads)
        for n in args.posters:
            cell = args.workdir / f"cell-{ads}-{n}.duckdb"
            cell.with_name(cell.name + ".wal").unlink(missing_ok=True)  # of an interrupted run
            shutil.copy(db, cell)
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(cell),
                 str(args.workdir / "corpus" / "posters.csv"), str(n)],
                capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode:
                sys.stderr.write(done.stderr)
                return done.returncode
            r = json.loads(done.stdout.strip().splitlines()[-1])
            p = max(1, int(r["posters"]))
            print(f"{int(r['ads']):>10,} {p:>8,} {r['wall']:>8.1f} {r['cpu']:>8.1f} "
                  f"{r['pairs'] / p:>13,.0f} {r['rescored'] / p:>12,.0f} {r['rss_mb']:>12,.0f} "
                  f"{os.getloadavg()[0]:>5.2f}", flush=True)  # fmt: skip
            cell.unlink()
        db.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
