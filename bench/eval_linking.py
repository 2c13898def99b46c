"""How well linking recovers the networks of a synthetic corpus with ground truth.

    .venv/bin/python bench/eval_linking.py --ads 5000 --seed 7 [--noise medium high]

Generates a corpus with ``safelight synth`` (photos included), runs ingest and extract into a
temporary store, reads the link inputs once and links them with each link-kind set of the
ablation (identifiers only; + images; + text = everything), then compares the predicted
networks with ``truth.jsonl``:

- **truth**: an ad's true group is its synth ``network_id``; an independent person (no network)
  is their own group (their ads share their phone and photos: linking them is right). The
  stricter reading -- every independent ad a singleton -- is printed too (``strict``).
- pairwise precision, recall and F1 of "same group" over all pairs of ads (by contingency
  counts, never by listing pairs), the adjusted Rand index (Hubert & Arabie), the number of
  predicted networks and the largest one (ads) beside the largest true group.

Exits 1 when the full linker misses pairwise F1 >= 0.95 at the default noise, or when its
largest network is more than twice the largest true group (a giant component).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _pairs(n: np.ndarray) -> float:
    n = n.astype(np.float64)
    return float((n * (n - 1) / 2).sum())


def pair_scores(truth: list[str], predicted: list[str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 and adjusted Rand index of two labelings of the same items."""
    _, t = np.unique(np.asarray(truth, dtype=object).astype(str), return_inverse=True)
    _, p = np.unique(np.asarray(predicted, dtype=object).astype(str), return_inverse=True)
    _, cells = np.unique(t.astype(np.int64) * (p.max() + 1) + p, return_counts=True)
    both = _pairs(cells)
    same_true = _pairs(np.bincount(t))
    same_pred = _pairs(np.bincount(p))
    total = _pairs(np.array([len(t)]))
    precision = both / same_pred if same_pred else 1.0
    recall = both / same_true if same_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    expected = same_true * same_pred / total if total else 0.0
    top = (same_true + same_pred) / 2
    ari = (both - expected) / (top - expected) if top != expected else 1.0
    return {"precision": precision, "recall": recall, "f1": f1, "ari": ari}


ABLATION = {
    "identifiers": {"images": True, "text": True},
    "+images": {"images": False, "text": True},
    "+text (all)": {"images": False, "text": False},
}


def evaluate(ads: int, seed: int, noise: str, workdir: Path) -> list[dict[str, object]]:
    from safelight.cli.synth_cmd import parse_noise
    from safelight.link.stage import link_stage, singleton_id
    from safelight.pipeline import ingest_paths, read_link_inputs, run_extract
    from safelight.store import Store
    from safelight.synth import SynthOptions, generate

    data = workdir / f"data-{noise}"
    generate(SynthOptions(out=data, ads=ads, seed=seed, html_pages=0, noise=parse_noise(noise)))
    truth = {}
    with (data / "truth.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            t = json.loads(line)
            truth[(t["source"], t["post_id"])] = t
    with Store(workdir / f"eval-{noise}.duckdb") as store:
        ingest_paths(store, [data / "ads.jsonl"], rejects_path=workdir / "rejects.jsonl")
        run_extract(store)
        keys = store.query("SELECT ad_id, source, post_id FROM ads ORDER BY ad_id").to_pylist()
        inputs = read_link_inputs(store)
    groups, strict = [], []
    for k in keys:
        t = truth[(k["source"], k["post_id"])]
        groups.append(t["network_id"] or f"person {t['person_id']}")
        strict.append(t["network_id"] or f"ad {k['ad_id']}")
    largest_true = max(np.unique(groups, return_counts=True)[1])
    results = []
    for name, drop in ABLATION.items():
        started = time.perf_counter()
        out = link_stage(inputs.without(**drop), max_templates=0)
        seconds = time.perf_counter() - started
        ids = dict(
            zip(
                out.networks.column("ad_id").to_pylist(),
                out.networks.column("network_id").to_pylist(),
                strict=True,
            )
        )
        predicted = [ids.get(k["ad_id"], singleton_id(k["ad_id"])) for k in keys]
        scores = pair_scores(groups, predicted)
        results.append(
            {
                "noise": noise,
                "links": name,
                **scores,
                "strict_precision": pair_scores(strict, predicted)["precision"],
                "networks": len(out.sizes),
                "largest": out.sizes[0] if out.sizes else 1,
                "largest_true": int(largest_true),
                "flagged": out.flagged.num_rows,
                "seconds": seconds,
            }
        )
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ads", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--noise", nargs="+", default=["medium", "high"])
    ap.add_argument("--json", action="store_true", help="Print JSON lines instead of a table.")
    args = ap.parse_args()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for noise in args.noise:
            rows += evaluate(args.ads, args.seed, noise, Path(tmp))
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print(f"linking on {args.ads:,} synthetic ads, seed {args.seed}")
        print(
            f"{'noise':7s} {'links':12s} {'prec':>6s} {'recall':>6s} {'F1':>6s} {'ARI':>6s} "
            f"{'strictP':>7s} {'nets':>5s} {'largest':>7s} {'true max':>8s} {'secs':>5s}"
        )
        for r in rows:
            print(
                f"{r['noise']:7s} {r['links']:12s} {r['precision']:6.3f} {r['recall']:6.3f} "
                f"{r['f1']:6.3f} {r['ari']:6.3f} {r['strict_precision']:7.3f} "
                f"{r['networks']:5d} {r['largest']:7d} {r['largest_true']:8d} "
                f"{r['seconds']:5.1f}"
            )
    full = [r for r in rows if r["links"] == "+text (all)" and r["noise"] == args.noise[0]]
    failed = [
        r
        for r in full
        if float(r["f1"]) < 0.95 or int(r["largest"]) > 2 * int(r["largest_true"])  # type: ignore[arg-type]
    ]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
