"""Heights, weights, dates and booleans as written on posters."""

from __future__ import annotations

from datetime import date

import pytest

from safelight.missing.units import parse_bool, parse_date, parse_height, parse_weight


@pytest.mark.parametrize(
    "text",
    [
        "162.6",
        "162.6 cm",
        "1.626 m",
        "5'4",
        "5' 4\"",
        "5’4”",
        "5 ft 4 in",
        "5ft4",
        "5 feet 4 inches",
        "5-4",
        "64 in",
        '64"',
        "64 inches",
    ],
)
def test_heights_in_every_format_are_centimetres(text: str) -> None:
    assert parse_height(text) == pytest.approx(162.6, abs=0.1)


@pytest.mark.parametrize("text", ["300 cm", "2 in", "9 m", "20"])
def test_impossible_heights_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="impossible height"):
        parse_height(text)


@pytest.mark.parametrize("text", ["tall", "5 stone", "12 parsecs"])
def test_unreadable_heights_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_height(text)


@pytest.mark.parametrize(
    ("text", "pounds"),
    [
        ("120", 120),
        ("120 lb", 120),
        ("120lbs", 120),
        ("120 pounds", 120),
        ("55 kg", 121.3),
        ("55kg", 121.3),
        ("55 kilos", 121.3),
    ],
)
def test_weights_are_pounds_and_bare_numbers_are_pounds(text: str, pounds: float) -> None:
    assert parse_weight(text) == pytest.approx(pounds, abs=0.1)


@pytest.mark.parametrize("text", ["5 lb", "2000 lb", "heavy", "55 stone"])
def test_bad_weights_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_weight(text)


@pytest.mark.parametrize(
    "text", ["2014-03-13", "03/13/2014", "3/13/14", "March 13, 2014", "13 March 2014"]
)
def test_dates(text: str) -> None:
    assert parse_date(text) == date(2014, 3, 13)


@pytest.mark.parametrize("text", ["March 2014", "2014-02-30", "13/13/2014", "soon", "1850-01-01"])
def test_bad_or_partial_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_booleans() -> None:
    assert [
        parse_bool(v) for v in ("yes", "Y", "true", "1", "no", "FALSE", "0", "", None, "unknown")
    ] == [True] * 4 + [False] * 3 + [None] * 3
    with pytest.raises(ValueError):
        parse_bool("maybe")
