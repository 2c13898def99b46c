"""The risk score is the sum of its evidence; the minor flag follows its documented rules."""

from __future__ import annotations

from safelight.extract.base import Match
from safelight.indicators import assess


def age(value: int, start: int | None = None) -> Match:
    return Match("age", value, str(value), start, None if start is None else start + 2)


def test_points_sum_to_score_and_each_indicator_counts_once() -> None:
    text = "young young young, she will see you, incall only"
    result = assess(text, {})
    assert round(sum(e.points for e in result.evidence), 1) == result.score
    young = [e for e in result.evidence if e.indicator == "minor.young"]
    assert len(young) == 3 and sum(1 for e in young if e.points > 0) == 1


def test_scaled_when_over_100_still_sums() -> None:
    text = "underage schoolgirl sweet 16 my bottom choosing up out of pocket M.O.B quota"
    result = assess(text, {"age": [age(16)]})
    assert result.score == 100.0
    assert round(sum(e.points for e in result.evidence), 2) == 100.0


def test_minor_flag_levels() -> None:
    assert assess("hi im new", {"age": [age(16, 0)]}).minor == "stated"
    assert assess("young and fresh", {"age": [age(19, 0)]}).minor == "likely"
    assert assess("cheerleader outfit", {}).minor == "likely"
    assert assess("petite", {"age": [age(24, 0)]}).minor == "none"
    assert assess("19 and ready", {"age": [age(19, 0)]}).minor == "none"


def test_obscured_phone_rule_uses_extraction_detail() -> None:
    plain = Match("phone", "+19033121887", "903 312 1887", 0, 12, {"obfuscation": []})
    hidden = Match("phone", "+19033121887", "nine0three", 0, 10, {"obfuscation": ["words"]})
    assert "evasion.obscured_phone" not in {
        e.indicator for e in assess("x", {"phone": [plain]}).evidence
    }
    assert "evasion.obscured_phone" in {
        e.indicator for e in assess("x", {"phone": [hidden]}).evidence
    }


def test_low_price_needs_city_median() -> None:
    price = Match("price", {"amount": 40, "currency": "USD", "minutes": 60}, "40/hr", 0, 5)
    place = Match("place", "Dallas, TX", "Dallas", 10, 16)
    fields = {"price": [price], "place": [place]}
    assert "economics.low_price" not in {e.indicator for e in assess("x", fields).evidence}
    with_median = assess("x", fields, median_hourly_price={"Dallas, TX": 200.0})
    assert "economics.low_price" in {e.indicator for e in with_median.evidence}


def test_every_rule_declares_the_fields_it_reads() -> None:
    from safelight.indicators.rules import RULE_FIELDS, RULES

    assert set(RULE_FIELDS) == set(RULES)
