"""The hand-labelled indicator evaluation sets are well formed and cover what they promise, and
the scorer of ``bench/eval_indicators.py`` counts correctly."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from safelight.records import ad_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FILES = {"dev": DATA / "indicator_eval.jsonl", "holdout": DATA / "indicator_holdout.jsonl"}
CATEGORIES = {
    "minor",
    "control",
    "movement",
    "restriction",
    "evasion",
    "emoji",
    "economics",
    "presentation",
}
KEYS = {"id", "title", "body", "age", "categories", "minor", "note"}
# set -> (min ads, min positives per category, min stated, min likely, min hard negatives)
MINIMA = {"dev": (220, 30, 25, 25, 50), "holdout": (80, 10, 10, 10, 15)}


def _load(name: str) -> list[dict]:
    lines = FILES[name].read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_indicators", ROOT / "bench" / "eval_indicators.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", list(FILES))
def test_records_are_valid(name: str) -> None:
    for ad in _load(name):
        assert set(ad) == KEYS, ad.get("id")
        assert isinstance(ad["id"], str) and ad["id"]
        assert isinstance(ad["title"], str) and isinstance(ad["body"], str) and ad["body"]
        assert ad["age"] is None or (isinstance(ad["age"], int) and 10 <= ad["age"] <= 99)
        assert set(ad["categories"]) <= CATEGORIES, ad["id"]
        assert len(set(ad["categories"])) == len(ad["categories"]), ad["id"]
        assert ad["minor"] in {"stated", "likely", "none"}, ad["id"]
        assert 50 <= len(ad_text(ad["title"], ad["body"])) <= 900, ad["id"]
        if ad["minor"] != "none":
            assert "minor" in ad["categories"], ad["id"]
        if ad["minor"] == "stated" and ad["age"] is not None and ad["age"] >= 18:
            assert ad["note"], ad["id"]  # a text age contradicting the field is explained


def test_ids_unique_and_sets_disjoint() -> None:
    dev, holdout = _load("dev"), _load("holdout")
    ids = [ad["id"] for ad in dev + holdout]
    assert len(ids) == len(set(ids))
    dev_bodies = {ad["body"].lower() for ad in dev}
    assert not [ad["id"] for ad in holdout if ad["body"].lower() in dev_bodies]


@pytest.mark.parametrize("name", list(FILES))
def test_coverage_minima(name: str) -> None:
    ads = _load(name)
    n_ads, per_cat, stated, likely, hard = MINIMA[name]
    assert len(ads) >= n_ads
    counts = Counter(cat for ad in ads for cat in ad["categories"])
    assert {cat: counts[cat] for cat in CATEGORIES if counts[cat] < per_cat} == {}
    flags = Counter(ad["minor"] for ad in ads)
    assert flags["stated"] >= stated and flags["likely"] >= likely
    negatives = [ad for ad in ads if ad["note"].startswith("hard negative")]
    assert len(negatives) >= hard
    assert all(ad["categories"] == [] and ad["minor"] == "none" for ad in negatives)


def test_scorer_arithmetic_on_toy_example() -> None:
    bench = _bench()
    truths = [
        {"categories": ["minor", "control"], "minor": "stated"},
        {"categories": ["control"], "minor": "likely"},
        {"categories": [], "minor": "none"},
        {"categories": ["emoji"], "minor": "none"},
    ]
    preds = [
        bench.Prediction({"minor", "control"}, "likely"),
        bench.Prediction(set(), "none"),
        bench.Prediction({"control"}, "stated"),
        bench.Prediction({"emoji"}, "none"),
    ]
    s = bench.score(truths, preds)
    control = s.categories["control"]
    assert (control.tp, control.fp, control.fn) == (1, 1, 1)
    assert control.precision == pytest.approx(0.5) and control.recall == pytest.approx(0.5)
    assert control.f1 == pytest.approx(0.5)
    assert s.categories["minor"].precision == 1.0 and s.categories["minor"].recall == 1.0
    assert s.categories["movement"].f1 == 1.0  # no positives, no predictions
    assert (s.flag.tp, s.flag.fp, s.flag.fn) == (1, 1, 1)
    assert s.confusion["stated"]["likely"] == 1
    assert s.confusion["likely"]["none"] == 1
    assert s.confusion["none"]["stated"] == 1
    assert s.confusion["none"]["none"] == 1
    failures = s.failures()
    assert any(f.startswith("control precision") for f in failures)
    assert any(f.startswith("minor-flag recall") for f in failures)
    assert not any(f.startswith("emoji") for f in failures)
