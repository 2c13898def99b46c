"""Indicator evaluation against the hand-labelled ad sets.

    .venv/bin/python bench/eval_indicators.py [--set dev|holdout|all] [--errors CATEGORY]

Runs ``safelight.indicators.assess`` over every ad of ``tests/data/indicator_eval.jsonl``
(``dev``) and/or ``tests/data/indicator_holdout.jsonl`` (``holdout``). A category counts as
predicted when the assessment lists any evidence item of that category (whatever its points).
Prints precision, recall and F1 per category, and for the minor flag the recall/precision of
"flagged" (stated or likely) against "none" plus the 3x3 confusion matrix. Exits 1 when a target
is missed: every category precision >= 0.9 and recall >= 0.85, minor-flag recall >= 0.9.

``--errors CATEGORY`` lists the misses and false alarms of one category (or ``minor-flag`` for
the flag) with the evidence the detector found. Ad text is synthetic; nothing is logged.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SETS = {"dev": DATA / "indicator_eval.jsonl", "holdout": DATA / "indicator_holdout.jsonl"}
CATEGORIES: tuple[str, ...] = (
    "minor",
    "control",
    "movement",
    "restriction",
    "evasion",
    "emoji",
    "economics",
    "presentation",
)
FLAGS: tuple[str, ...] = ("stated", "likely", "none")
MIN_PRECISION = 0.9
MIN_RECALL = 0.85
MIN_FLAG_RECALL = 0.9


@dataclass
class Prediction:
    categories: set[str]
    minor: str
    evidence: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    categories: dict[str, Counts]
    flag: Counts  # "flagged" = stated or likely
    confusion: dict[str, dict[str, int]]  # confusion[truth][predicted]

    def failures(self) -> list[str]:
        out = []
        for cat, c in self.categories.items():
            if c.precision < MIN_PRECISION:
                out.append(f"{cat} precision {c.precision:.3f} < {MIN_PRECISION}")
            if c.recall < MIN_RECALL:
                out.append(f"{cat} recall {c.recall:.3f} < {MIN_RECALL}")
        if self.flag.recall < MIN_FLAG_RECALL:
            out.append(f"minor-flag recall {self.flag.recall:.3f} < {MIN_FLAG_RECALL}")
        return out


def load_set(name: str) -> list[dict[str, Any]]:
    """The labelled ads of ``dev``, ``holdout`` or ``all``."""
    names = list(SETS) if name == "all" else [name]
    ads: list[dict[str, Any]] = []
    for n in names:
        with SETS[n].open(encoding="utf-8") as fh:
            ads.extend(json.loads(line) for line in fh if line.strip())
    return ads


def score(truths: Sequence[Mapping[str, Any]], predictions: Sequence[Prediction]) -> Scores:
    """Per-category and minor-flag counts; ``truths`` carry ``categories`` and ``minor``."""
    if len(truths) != len(predictions):
        raise ValueError("one prediction per labelled ad")
    cats = {c: [0, 0, 0] for c in CATEGORIES}
    flag = [0, 0, 0]
    confusion = {t: dict.fromkeys(FLAGS, 0) for t in FLAGS}
    for truth, pred in zip(truths, predictions, strict=True):
        want = set(truth["categories"])
        for cat, c in cats.items():
            c[0] += cat in want and cat in pred.categories
            c[1] += cat not in want and cat in pred.categories
            c[2] += cat in want and cat not in pred.categories
        t_flag, p_flag = truth["minor"] != "none", pred.minor != "none"
        flag[0] += t_flag and p_flag
        flag[1] += p_flag and not t_flag
        flag[2] += t_flag and not p_flag
        confusion[truth["minor"]][pred.minor if pred.minor in FLAGS else "none"] += 1
    return Scores(
        categories={cat: Counts(*c) for cat, c in cats.items()},
        flag=Counts(*flag),
        confusion=confusion,
    )


def _extract(text: str, age: int | None) -> dict[str, list[Any]]:
    from safelight import extract

    try:
        return extract.extract_text(text, stated_age=age)
    except ModuleNotFoundError as exc:  # an extractor still being written: run the others
        if not getattr(_extract, "warned", False):
            print(f"warning: {exc}; running the available extractors", file=sys.stderr)
            _extract.warned = True  # type: ignore[attr-defined]
    found: dict[str, list[Any]] = {name: [] for name in extract.FIELDS}
    for name in extract.REGISTRY:
        try:
            ex = importlib.import_module(f"safelight.extract.{name}").EXTRACTOR
        except ModuleNotFoundError:
            continue
        found[ex.field] = sorted(ex.extract(text, found), key=lambda m: (m.start or 0, m.end or 0))
    if age is not None:
        field_age = extract.Match("age", int(age), str(age), None, None, {"source": "age field"})
        found["age"] = [field_age, *found["age"]]
    return found


def predict(ad: Mapping[str, Any]) -> Prediction:
    """Run the detector on one labelled ad."""
    from safelight.indicators import assess
    from safelight.records import ad_text

    text = ad_text(ad.get("title"), ad["body"])
    result = assess(text, _extract(text, ad.get("age")))
    cats = {ev.category for ev in result.evidence if ev.category in CATEGORIES}
    return Prediction(cats, result.minor, list(result.evidence))


def print_scores(s: Scores, n: int, out=sys.stdout) -> None:
    print(f"{n} ads", file=out)
    print(f"{'category':<14}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>8}{'recall':>8}{'f1':>8}", file=out)
    rows: Iterable[tuple[str, Counts]] = [*s.categories.items(), ("minor-flag", s.flag)]
    for name, c in rows:
        print(
            f"{name:<14}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}",
            file=out,
        )
    print("\nminor flag confusion (rows truth, columns predicted)", file=out)
    print(f"{'':<10}" + "".join(f"{p:>9}" for p in FLAGS), file=out)
    for t in FLAGS:
        print(f"{t:<10}" + "".join(f"{s.confusion[t][p]:>9}" for p in FLAGS), file=out)


def print_errors(
    category: str, ads: Sequence[Mapping[str, Any]], preds: Sequence[Prediction], out=sys.stdout
) -> None:
    for ad, pred in zip(ads, preds, strict=True):
        if category == "minor-flag":
            want, got = ad["minor"], pred.minor
            if want == got:
                continue
            kind = f"flag {want} -> {got}"
            evidence = [e for e in pred.evidence if e.category == "minor"]
        else:
            want_c, got_c = category in ad["categories"], category in pred.categories
            if want_c == got_c:
                continue
            kind = "MISS" if want_c else "FALSE ALARM"
            evidence = [e for e in pred.evidence if e.category == category]
        print(f"[{kind}] {ad['id']} age={ad.get('age')} note: {ad.get('note', '')}", file=out)
        print(f"    title: {ad.get('title')!r}", file=out)
        print(f"    body:  {ad['body']!r}", file=out)
        for e in evidence:
            print(f"    evidence: {e.indicator} {e.text!r} points={e.points}", file=out)
        others = sorted({e.category for e in pred.evidence} - {category})
        if others:
            print(f"    other categories found: {', '.join(others)}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["dev", "holdout", "all"], default="dev")
    parser.add_argument("--errors", choices=[*CATEGORIES, "minor-flag"], metavar="CATEGORY")
    args = parser.parse_args(argv)
    ads = load_set(args.set)
    preds = [predict(ad) for ad in ads]
    scores = score(ads, preds)
    if args.errors:
        print_errors(args.errors, ads, preds)
        print()
    print_scores(scores, len(ads))
    failures = scores.failures()
    for f in failures:
        print(f"TARGET MISSED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
