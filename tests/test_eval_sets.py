"""The hand-labelled extraction evaluation sets are well-formed, and the scorer counts right."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import phonenumbers
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
FILES = {"extraction_eval.jsonl": 320, "extraction_holdout.jsonl": 110}
FIELDS = ("phone", "email", "handle", "age", "price", "place", "name", "emoji")
PLATFORMS = {
    "snapchat", "instagram", "kik", "telegram", "whatsapp", "onlyfans", "x", "tiktok",
    "facebook", "discord", "skype", "signal", "wickr", "fansly", "cashapp",
}  # fmt: skip
CURRENCIES = {"USD", "GBP", "EUR", "CAD"}
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
NANP = re.compile(r"^\+1[2-9]\d{2}[2-9]\d{6}$")
EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
PLACE = re.compile(r"^[A-Z][^,]+, [A-Z]{2}$|^[A-Z]{2}$")
SKIN_TONES = {chr(c) for c in range(0x1F3FB, 0x1F400)}
# Minimum number of development snippets with at least one value of the field.
DEV_COVERAGE = {
    "phone": 140, "age": 60, "price": 60, "email": 25, "handle": 35,
    "place": 60, "name": 50, "emoji": 40,
}  # fmt: skip


def _load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_extraction", ROOT / "bench/eval_extraction.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _records(name: str) -> list[dict[str, Any]]:
    raw = (DATA / name).read_bytes().decode("utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def sets() -> dict[str, list[dict[str, Any]]]:
    return {name: _records(name) for name in FILES}


def _phone_ok(value: str) -> bool:
    if not isinstance(value, str) or not E164.match(value):
        return False
    if value.startswith("+1"):
        return bool(NANP.match(value)) and phonenumbers.is_valid_number(phonenumbers.parse(value))
    # Foreign numbers may come from reserved fiction ranges (UK 07700 900xxx): possible is enough.
    return phonenumbers.is_possible_number(phonenumbers.parse(value))


def _value_problems(field: str, value: Any) -> bool:
    """True when ``value`` breaks the convention of ``field``."""
    if field == "phone":
        return not _phone_ok(value)
    if field == "email":
        return not (isinstance(value, str) and EMAIL.match(value))
    if field == "handle":
        return not (
            isinstance(value, dict)
            and set(value) == {"platform", "handle"}
            and value["platform"] in PLATFORMS
            and isinstance(value["handle"], str)
            and value["handle"]
            and value["handle"] == value["handle"].lower()
            and value["handle"][0] not in "@$"
        )
    if field == "age":
        return not (type(value) is int and 10 <= value <= 80)
    if field == "price":
        return not (
            isinstance(value, dict)
            and set(value) == {"amount", "currency", "minutes"}
            and type(value["amount"]) is int
            and value["amount"] > 0
            and value["currency"] in CURRENCIES
            and (
                value["minutes"] is None or (type(value["minutes"]) is int and value["minutes"] > 0)
            )
        )
    if field == "place":
        return not (isinstance(value, str) and PLACE.match(value))
    if field == "name":
        return not (isinstance(value, str) and value[:1].isupper() and value == value.strip())
    if field == "emoji":
        return not (
            isinstance(value, str)
            and value
            and "\ufe0f" not in value
            and "\u20e3" not in value
            and not SKIN_TONES & set(value)
        )
    raise AssertionError(field)


@pytest.mark.parametrize("name", FILES)
def test_records_are_well_formed(sets: dict[str, list[dict[str, Any]]], name: str) -> None:
    records = sets[name]
    assert len(records) >= FILES[name]
    bad: list[str] = []
    for rec in records:
        assert set(rec) == {"id", "text", "expected", "note"}, rec.get("id")
        assert isinstance(rec["text"], str) and rec["text"].strip(), rec["id"]
        assert isinstance(rec["note"], str) and rec["note"], rec["id"]
        assert set(rec["expected"]) <= set(FIELDS), rec["id"]
        for field, values in rec["expected"].items():
            assert isinstance(values, list), (rec["id"], field)
            keys = [json.dumps(v, sort_keys=True) for v in values]
            assert len(keys) == len(set(keys)), f"{rec['id']}: duplicate {field} value"
            bad += [f"{rec['id']} {field} {v!r}" for v in values if _value_problems(field, v)]
    assert not bad, bad


def test_ids_unique_and_sets_disjoint(sets: dict[str, list[dict[str, Any]]]) -> None:
    everything = [r for recs in sets.values() for r in recs]
    ids = Counter(r["id"] for r in everything)
    assert [i for i, n in ids.items() if n > 1] == []
    texts = Counter(r["text"] for r in everything)
    assert [t for t, n in texts.items() if n > 1] == []


def test_emoji_labels_occur_in_text(sets: dict[str, list[dict[str, Any]]]) -> None:
    """Labels are the text's emoji minus skin tones and VS16, so they must occur in it."""
    missing = []
    for rec in (r for recs in sets.values() for r in recs):
        plain = "".join(c for c in rec["text"] if c not in SKIN_TONES and c != "\ufe0f")
        missing += [(rec["id"], e) for e in rec["expected"].get("emoji", []) if e not in plain]
    assert missing == []


def test_dev_set_covers_every_field(sets: dict[str, list[dict[str, Any]]]) -> None:
    dev = sets["extraction_eval.jsonl"]
    have = Counter(f for r in dev for f, v in r["expected"].items() if v)
    assert {f: have[f] for f in DEV_COVERAGE if have[f] < DEV_COVERAGE[f]} == {}
    assert sum(1 for r in dev if not any(r["expected"].values())) >= 30


def test_scorer_arithmetic_on_a_toy_set() -> None:
    ev = _load_module()
    records = [
        {"id": "a", "text": "A", "expected": {"phone": ["+19033121887"], "age": [19]}},
        {
            "id": "b",
            "text": "B",
            "expected": {"price": [{"amount": 80, "currency": "USD", "minutes": 30}]},
        },
        {"id": "c", "text": "C", "expected": {}},
    ]
    predictions = {
        "A": {"phone": ["+19033121887", "+12143678842"], "age": [19, 19]},
        # key order and integral floats must not matter
        "B": {"price": [{"minutes": 30, "currency": "USD", "amount": 80.0}]},
        "C": {"name": ["Mia"]},
    }
    result = ev.score(records, lambda text: predictions[text])
    f = result["fields"]
    assert (f["phone"]["tp"], f["phone"]["fp"], f["phone"]["fn"]) == (1, 1, 0)
    assert f["phone"]["precision"] == 0.5 and f["phone"]["recall"] == 1.0
    assert f["phone"]["f1"] == pytest.approx(2 / 3)
    assert (f["age"]["tp"], f["age"]["fp"], f["age"]["fn"]) == (1, 0, 0)  # set semantics
    assert f["price"]["f1"] == 1.0
    assert (f["name"]["fp"], f["name"]["precision"], f["name"]["f1"]) == (1, 0.0, 0.0)
    assert f["email"] == {
        "tp": 0, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0, "snippets": 0
    }  # fmt: skip
    assert f["phone"]["snippets"] == 1
    assert [e["id"] for e in result["errors"]["phone"]] == ["a"]
    assert result["errors"]["phone"][0]["extra"] == ['"+12143678842"']
    assert ev.missed_targets(result) == ["phone", "name"]


def test_scorer_counts_misses_when_nothing_is_predicted() -> None:
    ev = _load_module()
    records = [{"id": "a", "text": "t", "expected": {"age": [16, 17]}}]
    m = ev.score(records, lambda text: {})["fields"]["age"]
    assert (m["tp"], m["fp"], m["fn"], m["precision"], m["recall"], m["f1"]) == (0, 0, 2, 0, 0, 0)


def test_unscored_sources_are_dropped() -> None:
    ev = _load_module()

    class M:
        def __init__(self, value: Any, source: str | None = None) -> None:
            self.value, self.detail = value, ({"source": source} if source else {})

    found = {
        "place": [M("Tyler, TX"), M("Dallas, TX", "area code")],
        "age": [M(30, "age field"), M(19)],
    }
    assert ev._scored_values(found) == {"place": ["Tyler, TX"], "age": [19]}
