"""How well missing-person matching finds the persons of synthetic posters, and how fast.

    .venv/bin/python bench/eval_missing.py --ads 20000 --posters 200 --seed 7
    .venv/bin/python bench/eval_missing.py --speed 20000,100000 --speed-posters 100,1000

Evaluation: generates a corpus with ``safelight synth --posters K`` (posters with nicknames,
minors advertised as 18-19, dyed hair, old re-cropped photos, moves; a quarter of posters of
people in no ad), runs ingest, extract, ``missing import`` and ``missing match`` into a
temporary store and prints, against ``posters_truth.jsonl`` and ``truth.jsonl``:

- recall@10: share of posters with a true match having at least one of their person's ads
  among their top 10 leads; per discrepancy too;
- top-1 precision: share of posters whose top lead is an ad of their person (over posters
  with a true match);
- blocking: the posters with a true match none of whose ads blocking keeps;
- calibration: the top-lead probabilities of posters with and without a true match, side by
  side (quantiles), and how many of each are above 0.5.

Speed (``--speed``): times ``missing match`` (evidence of new ads, SQL first pass, Python second
pass; ingest and extract not counted) for each corpus size x poster count; ``bench_missing.py``
measures up to 1M ads. Exit code 1 when recall@10 < 0.9 or top-1
precision < 0.8.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

CLI = [sys.executable, "-c", "from safelight.cli import main; main()"]


def _run(*args: str) -> None:
    subprocess.run([*CLI, *args], check=True, capture_output=True, text=True)


def build(work: Path, ads: int, posters: int, seed: int, images: bool = True) -> Path:
    corpus = work / "corpus"
    db = work / "eval.duckdb"
    flags = ["--images"] if images else ["--no-images"]
    _run("synth", "--ads", str(ads), "--seed", str(seed), "--minor-rate", "0.1",
         "--posters", str(posters), "--out", str(corpus), *flags)  # fmt: skip
    _run("ingest", str(corpus), "--db", str(db))
    _run("extract", "--db", str(db), "--workers", "2")
    _run("missing", "import", str(corpus / "posters.csv"), "--db", str(db))
    _run("link", "--db", str(db))  # networks: the match's network feature ties ads by them
    return db


def evaluate(db: Path, corpus: Path) -> dict[str, object]:
    from safelight.store import Store

    person_of_ad: dict[tuple[str, str], str] = {}
    with (corpus / "truth.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            t = json.loads(line)
            person_of_ad[(t["source"], t["post_id"])] = t["person_id"]
    truths = [json.loads(x) for x in (corpus / "posters_truth.jsonl").open(encoding="utf-8")]
    started, cpu = time.perf_counter(), time.process_time()
    with Store(db) as store:
        from safelight.missing.run import run_match

        summary = run_match(store)
        leads = store.missing.leads(None, 10).to_pylist()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    by_case: dict[str, list[dict[str, object]]] = defaultdict(list)
    for lead in leads:
        by_case[str(lead["case_id"])].append(lead)
    hits, top1, with_match, without = [], [], [], []
    per_change: dict[str, list[bool]] = defaultdict(list)
    for t in truths:
        rows = sorted(by_case.get(t["case_id"], []), key=lambda r: r["rank"])  # type: ignore[arg-type, return-value]
        top_p = float(rows[0]["probability"]) if rows else 0.0  # type: ignore[arg-type]
        if t["person_id"] is None:
            without.append(top_p)
            continue
        with_match.append(top_p)
        found = [person_of_ad.get((r["source"], r["post_id"])) == t["person_id"] for r in rows]  # type: ignore[misc]
        hits.append(any(found))
        top1.append(bool(found) and found[0])
        for change in t["discrepancies"] or ["none"]:
            per_change[change].append(any(found))
    return {
        "posters": len(truths),
        "with_match": len(with_match),
        "unblocked": unblocked(db, truths, person_of_ad, by_case),
        "recall_at_10": sum(hits) / len(hits) if hits else float("nan"),
        "top1_precision": sum(top1) / len(top1) if top1 else float("nan"),
        "per_discrepancy": {k: (sum(v) / len(v), len(v)) for k, v in sorted(per_change.items())},
        "top_p_with": with_match,
        "top_p_without": without,
        "pairs": summary.pairs,
        "rescored": summary.rescored,
        "lifted": summary.lifted,
        "match_seconds": seconds,
        "match_cpu": cpu,
    }


def unblocked(
    db: Path,
    truths: list[dict[str, object]],
    person_of_ad: dict[tuple[str, str], str],
    leads_of: dict[str, list[dict[str, object]]],
) -> dict[str, bool]:
    """Cases with a true match none of whose ads blocking keeps (lost before any scoring),
    each with whether its best true ad, scored in full, would have beaten its 10th lead
    (a loss the evaluation can see). ``leads_of``: the run's top 10 leads by case."""
    from safelight.missing.adstore import evidence_from_row
    from safelight.missing.model import blocked
    from safelight.missing.run import EXPECTED_ADS, _load_posters, _model
    from safelight.store import Store

    with Store(db) as store:
        posters = {p.person.case_id: p for p in _load_posters(store)}
        ads = store.query(
            "SELECT e.*, a.source, a.post_id FROM missing_ad_evidence e JOIN ads a USING (ad_id)"
        ).to_pylist()
        model = _model(store, list(posters.values()), EXPECTED_ADS)  # the run's u and prior
    of_person: dict[str, list[Any]] = defaultdict(list)
    for row in ads:
        person = person_of_ad.get((row["source"], row["post_id"]))
        if person is not None:
            of_person[person].append(evidence_from_row(row))
    lost = {}
    for t in truths:
        poster, mine = posters.get(str(t["case_id"])), of_person[str(t["person_id"])]
        if t["person_id"] is None or poster is None or any(blocked(poster, a) for a in mine):
            continue
        best = max((model.score(poster, a).match_weight for a in mine), default=-math.inf)
        weights = [float(r["match_weight"]) for r in leads_of.get(str(t["case_id"]), [])]  # type: ignore[arg-type]
        lost[str(t["case_id"])] = best > (min(weights) if len(weights) >= 10 else -math.inf)
    return lost


def _quantiles(values: list[float]) -> str:
    if not values:
        return "-"
    v = sorted(values)
    q = [v[int(f * (len(v) - 1))] for f in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return " / ".join(f"{x:.3f}" for x in q)


def report(result: dict[str, object]) -> bool:
    print(f"posters: {result['posters']} ({result['with_match']} with a person in the ads)")
    print(f"recall@10: {result['recall_at_10']:.3f}   (target >= 0.9)")
    print(f"top-1 precision: {result['top1_precision']:.3f}   (target >= 0.8)")
    lost: dict[str, bool] = result["unblocked"]  # type: ignore[assignment]
    print(f"blocking: {len(lost)} of {result['with_match']} posters with a true match have no "
          f"true ad blocked {sorted(lost)}; {sum(lost.values())} of them would have made the "
          "top 10 unblocked")  # fmt: skip
    for change, (recall, n) in result["per_discrepancy"].items():  # type: ignore[attr-defined]
        print(f"  recall@10 with {change:<26} {recall:.3f}  (n={n})")
    with_p, without_p = result["top_p_with"], result["top_p_without"]
    print("calibration: top-lead probability, min / q1 / median / q3 / max")
    print(f"  posters with a true match:    {_quantiles(with_p)}")  # type: ignore[arg-type]
    print(f"  posters with no true match:   {_quantiles(without_p)}")  # type: ignore[arg-type]
    print(
        f"  share above 0.5: with {sum(p > 0.5 for p in with_p) / max(1, len(with_p)):.2f}, "  # type: ignore[attr-defined, union-attr]
        f"without {sum(p > 0.5 for p in without_p) / max(1, len(without_p)):.2f}"  # type: ignore[attr-defined, union-attr]
    )
    per = int(result["pairs"]) / max(1, int(result["posters"]))  # type: ignore[call-overload]
    print(
        f"match: {result['pairs']:,} pairs blocked and scored in SQL ({per:,.0f} per poster), "
        f"{result['rescored']:,} scored fully with explanations, {result['lifted']:,} ads tied "
        f"to an anchor; {result['match_seconds']:.1f}s wall, {result['match_cpu']:.1f}s CPU, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    return bool(result["recall_at_10"] >= 0.9 and result["top1_precision"] >= 0.8)  # type: ignore[operator]


def speed(sizes: list[int], poster_counts: list[int], seed: int, work: Path) -> None:
    from safelight.store import Store

    print("speed of `missing match` (blocking + scoring; ingest/extract not counted)")
    print(f"{'ads':>9} {'posters':>8} {'pairs':>10} {'seconds':>8} {'pairs/s':>9}")
    for size in sizes:
        for count in poster_counts:
            folder = work / f"s{size}-{count}"
            db = build(folder, size, count, seed, images=False)
            with Store(db) as store:
                from safelight.missing.run import run_match

                started = time.perf_counter()
                s = run_match(store)
                took = time.perf_counter() - started
            rate = s.pairs / took if took else 0.0
            print(f"{size:>9,} {count:>8,} {s.pairs:>10,} {took:>8.1f} {rate:>9,.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ads", type=int, default=20_000)
    parser.add_argument("--posters", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--speed", default="", help="comma-separated corpus sizes to time")
    parser.add_argument("--speed-posters", default="100", help="comma-separated poster counts")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        if args.speed:
            sizes = [int(x) for x in args.speed.split(",")]
            counts = [int(x) for x in args.speed_posters.split(",")]
            speed(sizes, counts, args.seed, work)
            return 0
        db = build(work, args.ads, args.posters, args.seed)
        ok = report(evaluate(db, work / "corpus"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
