"""Cost of each field extractor, in microseconds per ad, and of the whole ``extract_text``.

    .venv/bin/python bench/bench_extract_fields.py [--ads 2000] [--repeat 5] [--json]

Corpora:

- ``dev``: the development evaluation snippets (``tests/data/extraction_eval.jsonl``, short);
- ``synth``: ``--ads`` full ads from the synthetic corpus generator (``safelight.synth``,
  fixed seed; falls back to ``concat`` when the package is missing);
- ``concat``: ``--ads`` ~500-character ads made by joining random dev snippets.

Each extractor is timed on its own over the whole corpus, fed the ``found`` matches the earlier
extractors of ``REGISTRY`` produced (so it sees exactly what it sees in the pipeline); the best
of ``--repeat`` runs of process CPU time is reported (the least disturbed by other load). Needs one
core; run it on a quiet machine for absolute numbers, the ratios are stable either way.

``total`` is ``extract_text`` called text by text; ``batch`` is ``extract_texts`` over the whole
corpus (what the store's extract stage runs: each extractor over a chunk of texts in turn, which
keeps its patterns in the CPU caches). The per-field figures add up to about ``batch``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from safelight.extract import FIELDS, extract_text, extract_texts, extractors
from safelight.extract.base import lowered_chunk
from safelight.records import ad_text

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "extraction_eval.jsonl"


def dev_texts() -> list[str]:
    with DEV.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def concat_ads(n: int, seed: int = 1, size: int = 500) -> list[str]:
    """``n`` ads of about ``size`` characters, each a random run of dev snippets."""
    dev = dev_texts()
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(rng.choice(dev))
        out.append("\n".join(parts))
    return out


def synth_ads(n: int, seed: int = 7) -> list[str] | None:
    try:
        from safelight.synth import SynthOptions, generate
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        generate(SynthOptions(out=Path(tmp), ads=n, seed=seed, images=False, html_pages=0))
        with (Path(tmp) / "ads.jsonl").open(encoding="utf-8") as f:
            return [ad_text(d.get("title"), d["body"]) for d in map(json.loads, f)]


def best_of(repeat: int, fn: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def bench(texts: list[str], repeat: int) -> dict[str, float]:
    """µs per ad for each extractor (by field) and for ``extract_text`` (key ``"total"``)."""
    chain = extractors()
    founds = []
    for text in texts:  # the inputs each extractor sees (also warms every cache)
        found: dict[str, list] = {name: [] for name in FIELDS}
        for ex in chain:
            found[ex.field] = ex.extract(text, found)
        founds.append(found)
    out: dict[str, float] = {}
    n = len(texts)
    for ex in chain:
        # The found dict as it stands when ``ex`` runs: later fields still empty.
        later = {e.field for e in chain[chain.index(ex) :]}
        views = [{k: ([] if k in later else v) for k, v in f.items()} for f in founds]
        pairs = list(zip(texts, views, strict=True))
        extract = ex.extract

        def run(pairs=pairs, extract=extract) -> None:
            for text, view in pairs:
                extract(text, view)

        # As in ``extract_texts``, each text is lowered once for all the fields (not timed).
        with lowered_chunk(texts):
            out[ex.field] = best_of(repeat, run) / n * 1e6

    def run_all() -> None:
        for text in texts:
            extract_text(text)

    out["total"] = best_of(repeat, run_all) / n * 1e6
    out["batch"] = best_of(repeat, lambda: extract_texts(texts)) / n * 1e6
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    args = parser.parse_args()

    corpora: dict[str, list[str]] = {"dev": dev_texts()}
    synth = synth_ads(args.ads)
    if synth is not None:
        corpora["synth"] = synth
    corpora["concat"] = concat_ads(args.ads)
    results = {name: bench(texts, args.repeat) for name, texts in corpora.items()}

    fields = [ex.field for ex in extractors()]
    head = f"{'µs/ad':<10}" + "".join(f"{name:>10}" for name in corpora)
    sys.stdout.write(head + "\n" + "-" * len(head) + "\n")
    sys.stdout.write(
        f"{'chars':<10}"
        + "".join(f"{sum(map(len, t)) / len(t):>10.0f}" for t in corpora.values())
        + "\n"
    )
    for key in [*fields, "sum", "total", "batch"]:
        row = []
        for name in corpora:
            r = results[name]
            val = sum(r[f] for f in fields) if key == "sum" else r[key]
            row.append(f"{val:>10.1f}")
        sys.stdout.write(f"{key:<10}" + "".join(row) + "\n")
    for name in corpora:
        total, batch = results[name]["total"], results[name]["batch"]
        sys.stdout.write(
            f"{name}: {1e6 / total:,.0f} ads/s for extract_text, {1e6 / batch:,.0f} for "
            "extract_texts\n"
        )
    if args.json:
        sys.stdout.write(
            json.dumps({k: {f: round(v, 2) for f, v in r.items()} for k, r in results.items()})
            + "\n"
        )


if __name__ == "__main__":
    main()
