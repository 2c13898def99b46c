"""How well the risk score ranks the ads that matter on a synthetic corpus with ground truth.

    .venv/bin/python bench/eval_risk_ranking.py --ads 20000 --seed 11

Generates a corpus with ``safelight synth`` (its vocabulary is written independently of the
indicator catalogue, so this is not the catalogue grading itself), runs ingest, extract and
score into a temporary store, joins the scores to ``truth.jsonl`` and prints, for "ad of a
minor" and for "ad of an organised network" against the rest:

- ROC AUC of the score (the chance a random positive ad outranks a random negative one);
- precision at the top 100 and top 1% of the ranking;
- for minors, recall and precision of the minor flag (stated or likely).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np


def roc_auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Mann-Whitney AUC with ties counted half."""
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    n_pos = int(positive.sum())
    n_neg = len(scores) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def precision_at(scores: np.ndarray, positive: np.ndarray, k: int) -> float:
    order = np.argsort(-scores, kind="stable")[:k]
    return float(positive[order].mean()) if k else float("nan")


def evaluate(ads: int, seed: int, workdir: Path) -> dict[str, object]:
    from safelight.pipeline import ingest_paths, run_extract, run_score
    from safelight.store import Store
    from safelight.synth import SynthOptions, generate

    data = workdir / "data"
    generate(SynthOptions(out=data, ads=ads, seed=seed, images=False, html_pages=0, days=30))
    truth = {}
    with (data / "truth.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            t = json.loads(line)
            truth[(t["source"], t["post_id"])] = t
    with Store(workdir / "eval.duckdb") as store:
        ingest_paths(store, [data / "ads.jsonl"], rejects_path=workdir / "rejects.jsonl")
        run_extract(store)
        run_score(store)
        rows = store.query(
            "SELECT a.source, a.post_id, r.score, r.minor FROM ads a JOIN risk r USING (ad_id)"
        ).to_pylist()
    scores = np.array([r["score"] for r in rows])
    flag = np.array([r["minor"] != "none" for r in rows])
    minor = np.array([bool(truth[(r["source"], r["post_id"])]["minor"]) for r in rows])
    network = np.array([truth[(r["source"], r["post_id"])]["network_id"] is not None for r in rows])
    top1 = max(1, len(rows) // 100)
    out: dict[str, object] = {"ads": len(rows), "minor_ads": int(minor.sum())}
    for name, positive in (("minor", minor), ("network", network)):
        out[name] = {
            "positives": int(positive.sum()),
            "roc_auc": round(roc_auc(scores, positive), 3),
            "precision_at_100": round(precision_at(scores, positive, 100), 3),
            "precision_at_1pct": round(precision_at(scores, positive, top1), 3),
            "base_rate": round(float(positive.mean()), 3),
        }
    out["minor_flag"] = {
        "recall": round(float(flag[minor].mean()), 3) if minor.any() else None,
        "precision": round(float(minor[flag].mean()), 3) if flag.any() else None,
        "flagged": int(flag.sum()),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="safelight-rank-") as tmp:
        result = evaluate(args.ads, args.seed, Path(tmp))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
