"""Heights, weights, dates and yes/no values as people write them on posters and in ads.

- ``parse_height(text)`` -> centimetres. ``164``, ``164 cm``, ``1.64 m``, ``5'4``, ``5' 4"``,
  ``5’4”``, ``5 ft 4 in``, ``5ft4``, ``5 feet 4 inches``, ``5-4``, ``64 in``, ``64"``. A bare
  number is centimetres (the documented CSV unit).
- ``parse_weight(text)`` -> pounds. ``120``, ``120 lb``, ``120lbs``, ``120 pounds``, ``55 kg``,
  ``55 kilos``. A bare number is pounds.
- ``parse_date(text)`` -> ``date``: ISO ``2014-03-13``, US ``03/13/2014``, ``March 13, 2014``,
  ``13 March 2014``; anything dateutil reads *completely* (partial dates are refused).
- ``parse_bool(text)`` -> ``True``/``False``/``None``.

Every parser raises ``ValueError`` with a short reason (never the value itself) when it
cannot read its input, and the plausibility limits are declared here once.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateutil_parser

__all__ = [
    "HEIGHT_RANGE_CM",
    "WEIGHT_RANGE_LB",
    "cm_from_feet",
    "lb_from_kg",
    "parse_bool",
    "parse_date",
    "parse_height",
    "parse_weight",
]

HEIGHT_RANGE_CM = (50.0, 230.0)  # a small child to the tallest plausible adult
WEIGHT_RANGE_LB = (20.0, 700.0)
_CM_PER_INCH = 2.54
_LB_PER_KG = 2.20462

_FEET_INCHES = re.compile(
    r"^(?P<ft>[1-9])\s*(?:'|’|′|ft\.?|foot|feet|-)\s*"
    r"(?:(?P<in>1[01]|[0-9])(?:\.5)?\s*(?:\"|”|″|''|’’|in\.?|inch(?:es)?)?)?$",
    re.IGNORECASE,
)
_NUMBER_UNIT = re.compile(r"^(?P<num>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z\"”″']*\.?)$", re.IGNORECASE)
_HEIGHT_UNITS = {
    "": "cm", "cm": "cm", "cms": "cm", "m": "m", "in": "in", "in.": "in", "inch": "in",
    "inches": "in", '"': "in", "”": "in", "″": "in", "''": "in",
}  # fmt: skip
_WEIGHT_UNITS = {
    "": "lb", "lb": "lb", "lbs": "lb", "lb.": "lb", "lbs.": "lb", "pound": "lb", "pounds": "lb",
    "#": "lb", "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilograms": "kg",
}  # fmt: skip
_TRUE = {"yes", "y", "true", "t", "1", "x"}
_FALSE = {"no", "n", "false", "f", "0"}
_UNKNOWN = {"", "unknown", "unk", "n/a", "na", "?", "none"}


def cm_from_feet(feet: int, inches: float = 0.0) -> float:
    return round((feet * 12 + inches) * _CM_PER_INCH, 1)


def lb_from_kg(kg: float) -> float:
    return round(kg * _LB_PER_KG, 1)


def _check(value: float, limits: tuple[float, float], what: str) -> float:
    low, high = limits
    if not low <= value <= high:
        raise ValueError(f"impossible {what} (outside {low:g}-{high:g})")
    return value


def parse_height(text: str) -> float:
    """Centimetres from a written height; ``ValueError`` when unreadable or impossible."""
    clean = " ".join(str(text).strip().split())
    found = _FEET_INCHES.match(clean)
    if found:
        inches = float(found["in"] or 0) + (0.5 if ".5" in clean else 0.0)
        return _check(cm_from_feet(int(found["ft"]), inches), HEIGHT_RANGE_CM, "height")
    found = _NUMBER_UNIT.match(clean)
    if not found:
        raise ValueError("unreadable height (use cm, 5'4 or 64 in)")
    unit = _HEIGHT_UNITS.get(found["unit"].lower())
    if unit is None:
        raise ValueError("unknown height unit (use cm, m, in or 5'4)")
    number = float(found["num"].replace(",", "."))
    cm = {"cm": number, "m": number * 100, "in": number * _CM_PER_INCH}[unit]
    hint = " (a bare number is centimetres)" if unit == "cm" and not found["unit"] else ""
    try:
        return _check(round(cm, 1), HEIGHT_RANGE_CM, "height")
    except ValueError as exc:
        raise ValueError(f"{exc}{hint}") from None


def parse_weight(text: str) -> float:
    """Pounds from a written weight; ``ValueError`` when unreadable or impossible."""
    clean = " ".join(str(text).strip().split())
    found = _NUMBER_UNIT.match(clean) or re.match(r"^(?P<num>\d+)\s*(?P<unit>#)$", clean)
    if not found:
        raise ValueError("unreadable weight (use 120 lb or 55 kg)")
    unit = _WEIGHT_UNITS.get(found["unit"].lower())
    if unit is None:
        raise ValueError("unknown weight unit (use lb or kg)")
    number = float(found["num"].replace(",", "."))
    pounds = lb_from_kg(number) if unit == "kg" else number
    return _check(pounds, WEIGHT_RANGE_LB, "weight")


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")


def parse_date(value: object) -> date:
    """A calendar date; ``ValueError`` when unreadable, partial or before 1900."""
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    else:
        text = " ".join(str(value).split())
        if not text:
            raise ValueError("empty date")
        if _ISO.match(text):
            try:
                found = date.fromisoformat(text[:10])
            except ValueError:
                raise ValueError("not a calendar date") from None
        elif match := _US.match(text):
            month, day, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000 if year < 50 else 1900
            try:
                found = date(year, month, day)
            except ValueError:
                raise ValueError("not a calendar date") from None
        else:
            found = _dateutil_complete(text)
    if found.year < 1900:
        raise ValueError("date before 1900")
    return found


def _dateutil_complete(text: str) -> date:
    """dateutil, but only when year, month and day are all written (two different defaults
    must give the same answer)."""
    try:
        first = dateutil_parser.parse(text, default=datetime(2001, 1, 1))
        second = dateutil_parser.parse(text, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError):
        raise ValueError("unreadable date") from None
    if first.date() != second.date():
        raise ValueError("incomplete date (year, month and day needed)")
    return first.date()


def parse_bool(value: object) -> bool | None:
    """yes/no/true/false/1/0 (any case); ``None`` for empty or unknown."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().lower()
    if text in _UNKNOWN:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("expected yes/no")
