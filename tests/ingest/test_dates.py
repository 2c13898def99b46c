"""posted_at parsing: every documented form to aware UTC; unreadable -> ValueError."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from safelight.ingest.dates import parse_posted_at

MORNING = datetime(2014, 3, 13, 9, 15, tzinfo=UTC)
EVENING = datetime(2014, 3, 13, 21, 15, tzinfo=UTC)
MIDNIGHT = datetime(2014, 3, 13, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2014-03-13T21:15:00Z", EVENING),
        ("2014-03-13T16:15:00-05:00", EVENING),
        ("2014-03-13 21:15:00", EVENING),
        ("2014-03-13", MIDNIGHT),
        ("Thursday, March 13, 2014 9:15 AM", MORNING),
        ("March 13, 2014", MIDNIGHT),
        ("Mar 13 2014", MIDNIGHT),
        ("13 March 2014", MIDNIGHT),
        ("03/13/2014 09:15", MORNING),
        ("03/13/2014", MIDNIGHT),
        ("3/13/14 9:15 PM", EVENING),
        ("Thu, 13 Mar 2014 16:15:00 CDT", EVENING),
        ("March 13th, 2014 at 9:15pm", EVENING),
        (1394702100, MORNING),
        (1394702100.0, MORNING),
        ("1394702100", MORNING),
        (1394702100000, MORNING),
        ("20140313", MIDNIGHT),
        (datetime(2014, 3, 13, 9, 15), MORNING),
        (date(2014, 3, 13), MIDNIGHT),
        (None, None),
        ("  ", None),
    ],
)
def test_formats(value: object, expected: datetime | None) -> None:
    found = parse_posted_at(value)
    assert found == expected
    if found is not None:
        assert found.tzinfo is UTC


def test_naive_times_use_the_given_zone() -> None:
    chicago = ZoneInfo("America/Chicago")
    assert parse_posted_at("Thursday, March 13, 2014 9:15 AM", chicago) == datetime(
        2014, 3, 13, 14, 15, tzinfo=UTC
    )
    # an explicit offset wins over the zone
    assert parse_posted_at("2014-03-13T21:15:00Z", chicago) == EVENING


def test_dayfirst() -> None:
    assert parse_posted_at("04/03/2014", dayfirst=True) == datetime(2014, 3, 4, tzinfo=UTC)
    assert parse_posted_at("04/03/2014") == datetime(2014, 4, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    "value", ["yesterday-ish", "March", "31/31/2014", "1/1/1850", "2150-01-01", True, [2014]]
)
def test_unreadable(value: object) -> None:
    with pytest.raises(ValueError):
        parse_posted_at(value)
