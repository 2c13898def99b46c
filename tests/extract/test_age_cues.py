"""The case-folding guard of the age patterns."""

from __future__ import annotations

from safelight.extract.age_cues import FOLD_EXTRA
from safelight.extract.ages import EXTRACTOR


def test_texts_the_engine_folds_differently_are_detected() -> None:
    assert FOLD_EXTRA.search("ſweet 19")  # long s folds to "s" in the regex engine only
    assert not FOLD_EXTRA.search("sweet 19, Café")


def test_ages_found_in_such_texts_too() -> None:
    assert [m.value for m in EXTRACTOR.extract("ſweet one, Im 19", {})] == [19]
