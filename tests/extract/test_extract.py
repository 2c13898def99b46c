"""The extraction entry points: one text, many texts, an Arrow batch of ads."""

from __future__ import annotations

import gc
import json

import pyarrow as pa
import pytest

from safelight.extract import FIELDS, extract_batch, extract_text, extract_texts
from safelight.records import EXTRACTION_SCHEMA, ad_text, value_key

TEXTS = [
    "Hi im Kandi 19 🍒 call 903-312-1887, $150/hr 80hh, Dallas TX, sc: kandixo",
    "nine0three 3l2 l887 ask for Mia, age 22, kandi@gmail.com",
    "",
    "no numbers here at all",
    "Ｍｉａ １９ 𝟗𝟎𝟑-𝟑𝟏𝟐-𝟏𝟖𝟖𝟕 qv 60 hh 100 Tyler Texas 👅",
]


def test_many_texts_give_what_each_text_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    import safelight.extract as extract

    monkeypatch.setattr(extract, "_CHUNK", 2)  # several chunks, one shorter
    ages = [None, 21, None, None, 30]
    many = extract_texts(TEXTS, ages)
    assert many == [extract_text(t, a) for t, a in zip(TEXTS, ages, strict=True)]
    assert [list(found) for found in many] == [list(FIELDS)] * len(TEXTS)
    assert many[0]["phone"][0].value == "+19033121887"
    assert many[1]["age"][0].detail == {"source": "age field"}
    assert extract_texts([]) == []


def test_batch_rows_are_the_matches_of_each_ad() -> None:
    batch = pa.table(
        {
            "ad_id": ["a", "b"],
            "title": ["Hi", None],
            "body": [TEXTS[0], TEXTS[1]],
            "stated_age": pa.array([20, None], pa.int16()),
        }
    )
    out = extract_batch(batch)
    assert out.schema == EXTRACTION_SCHEMA
    expected = []
    for ad_id, title, body, age in [("a", "Hi", TEXTS[0], 20), ("b", None, TEXTS[1], None)]:
        for matches in extract_text(ad_text(title, body), age).values():
            for m in matches:
                detail = json.dumps(dict(m.detail), sort_keys=True) if m.detail else None
                row = (ad_id, m.field, value_key(m.value), m.text, m.start, m.end, detail)
                expected.append(row)
    rows = [tuple(r.values()) for r in out.to_pylist()]
    assert rows == expected
    prices = [r for r in rows if r[1] == "price"]
    assert prices and json.loads(prices[0][2])["currency"] == "USD"


def test_batch_leaves_the_garbage_collector_as_it_was() -> None:
    batch = pa.table({"ad_id": ["a"], "title": ["x"], "body": ["im 19"]})
    assert gc.isenabled()
    extract_batch(batch)
    assert gc.isenabled()
    gc.disable()
    try:
        extract_batch(batch)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_batch_without_matches_is_empty_and_typed() -> None:
    out = extract_batch(pa.table({"ad_id": ["a"], "title": [None], "body": ["nothing"]}))
    assert out.num_rows == 0 and out.schema == EXTRACTION_SCHEMA
