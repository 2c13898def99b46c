"""``posted_at`` values to aware UTC datetimes.

Accepted, tried in this order (the first that fits wins):

- ``datetime``/``date`` objects (Parquet timestamp and date columns);
- numbers and digit strings: Unix epoch seconds (``1394702100``, ``1394702100.5``); values of
  10^11 and more are epoch milliseconds (``1394702100000``); 8 digits are ``YYYYMMDD``;
- ISO 8601: ``2014-03-13``, ``2014-03-13T21:15:00Z``, ``2014-03-13 21:15:00+05:00``;
- common ad-site forms: ``Thursday, March 13, 2014 9:15 AM``, ``March 13, 2014``,
  ``Mar 13 2014``, ``13 March 2014``, ``03/13/2014 09:15``, ``03/13/2014``, ``3/13/14 9:15 PM``
  (US month-first unless ``IngestOptions.dayfirst``);
- anything else python-dateutil reads *completely* (year, month and day all present) — a
  partial date such as ``"March"`` is refused rather than completed with today's year.

US zone abbreviations (EST, CDT, PST, ...) are understood. Times without an offset are in
``IngestOptions.timezone`` (UTC when unset). Dates before 1990 or after 2100 are refused.
``parse_posted_at`` raises ``ValueError`` with a short reason for anything it cannot read.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from dateutil import parser as dateutil_parser

__all__ = ["parse_posted_at"]

_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")

_TZ_ABBREVIATIONS = {
    name: timezone(timedelta(hours=hours), name)
    for name, hours in {
        "UTC": 0, "GMT": 0, "Z": 0,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
        "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
    }.items()
}  # fmt: skip
_TZ_SUFFIX = re.compile(r"\s+([A-Z]{1,4})$")

_MONTH_FIRST = ("%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y", "%m/%d/%y %I:%M %p")
_DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %I:%M %p", "%d/%m/%Y", "%d/%m/%y %I:%M %p")
_FORMATS = (
    "%A, %B %d, %Y %I:%M %p",
    "%A, %B %d, %Y %I:%M:%S %p",
    "%A, %B %d, %Y",
    "%B %d, %Y %I:%M %p",
    "%B %d, %Y",
    "%b %d %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%b %d, %Y %I:%M %p",
    "%a, %d %b %Y %H:%M:%S",
)


def parse_posted_at(
    value: Any, tz: tzinfo | None = None, *, dayfirst: bool = False
) -> datetime | None:
    """``value`` as an aware UTC datetime; ``None`` for an empty value.

    ``tz`` is the zone of times written without an offset (``None``: UTC).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("expected a date, got a boolean")
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time())
    elif isinstance(value, int | float):
        found = _from_epoch(float(value))
    elif isinstance(value, str):
        text = " ".join(value.split())
        if not text:
            return None
        found = _parse_text(text, dayfirst)
    else:
        raise ValueError(f"expected a date, got {type(value).__name__}")
    if found.tzinfo is None:
        found = found.replace(tzinfo=tz or UTC)
    found = found.astimezone(UTC)
    if not _EARLIEST <= found < _LATEST:
        raise ValueError(f"date out of range (1990-2100): {found.date().isoformat()}")
    return found


def _from_epoch(number: float) -> datetime:
    if number != number or abs(number) > 1e15:  # NaN or absurd
        raise ValueError("epoch value out of range")
    if abs(number) >= 1e11:
        number /= 1000.0
    return _EPOCH + timedelta(seconds=number)


def _parse_text(text: str, dayfirst: bool) -> datetime:
    if _NUMBER.fullmatch(text):
        if len(text) == 8 and text.isdigit():
            return datetime.strptime(text, "%Y%m%d")
        return _from_epoch(float(text))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    zone = None
    suffix = _TZ_SUFFIX.search(text)
    if suffix and suffix.group(1) in _TZ_ABBREVIATIONS:
        zone = _TZ_ABBREVIATIONS[suffix.group(1)]
        text = text[: suffix.start()]
    found = _strptime(text, dayfirst) or _dateutil(text, dayfirst)
    if zone is not None and found.tzinfo is None:
        found = found.replace(tzinfo=zone)
    return found


def _strptime(text: str, dayfirst: bool) -> datetime | None:
    if text[0].isdigit() and "/" in text:
        formats = _DAY_FIRST if dayfirst else _MONTH_FIRST
    elif text[0].isalpha():
        formats = _FORMATS
    else:
        return None
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


_DEFAULT_A = datetime(1904, 1, 1)
_DEFAULT_B = datetime(1905, 2, 2)


def _dateutil(text: str, dayfirst: bool) -> datetime:
    """dateutil, refusing results it had to complete from its default date."""
    try:
        first = dateutil_parser.parse(
            text, default=_DEFAULT_A, dayfirst=dayfirst, tzinfos=_TZ_ABBREVIATIONS
        )
        second = dateutil_parser.parse(
            text, default=_DEFAULT_B, dayfirst=dayfirst, tzinfos=_TZ_ABBREVIATIONS
        )
    except (ValueError, OverflowError) as exc:
        raise ValueError("unrecognised date format") from exc
    if first != second:
        raise ValueError("incomplete date (needs year, month and day)")
    return first
