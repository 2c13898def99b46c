"""Match (a frozen dataclass with a faster constructor) and the shared lower-casing."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from safelight.extract import base
from safelight.extract.base import Match, lowered, lowered_chunk


def test_match_behaves_like_the_dataclass_it_declares() -> None:
    m = Match("age", 19, "im 19", 3, 8, {"cue": "before"})
    assert (m.field, m.value, m.text, m.start, m.end, m.detail) == (
        "age",
        19,
        "im 19",
        3,
        8,
        {"cue": "before"},
    )
    assert m == Match(field="age", value=19, text="im 19", start=3, end=8, detail={"cue": "before"})
    assert repr(m) == (
        "Match(field='age', value=19, text='im 19', start=3, end=8, detail={'cue': 'before'})"
    )
    assert dataclasses.replace(m, value=20).value == 20
    assert pickle.loads(pickle.dumps(m)) == m
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.value = 20  # type: ignore[misc]


def test_detail_defaults_to_a_new_empty_dict() -> None:
    a, b = Match("x", 1, "1", 0, 1), Match("x", 1, "1", 0, 1)
    assert a.detail == {} and a.detail is not b.detail
    assert Match("x", 1, "1", 0, 1, None).detail is None  # given explicitly: kept


def test_lowered_is_the_lower_case_of_each_text() -> None:
    texts = [f"Text {i} ÀB" for i in range(50)]
    assert [lowered(t) for t in texts] == [t.lower() for t in texts]
    same = "Mia"
    assert lowered(same) is lowered(same)


def test_a_chunk_is_lowered_once_and_forgotten_after() -> None:
    texts = [f"Chunk {i} ÀB" for i in range(20)]
    with lowered_chunk(texts):
        lows = [lowered(t) for t in texts]
        assert lows == [t.lower() for t in texts]
        assert all(lowered(t) is low for t, low in zip(texts, lows, strict=True))
    assert not base._CHUNK_LOWERED
    assert lowered(texts[3]) == texts[3].lower()


def test_by_initial_refuses_a_quantified_first_letter() -> None:
    assert base.by_initial(["ab", "ac", "½h"]) == "a(?:b|c)|½h"
    with pytest.raises(ValueError, match="quantified"):
        base.by_initial(["ab", "a?c"])
