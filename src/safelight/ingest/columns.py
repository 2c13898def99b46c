"""Which input key means which canonical column (data: ``columns.yaml``).

``canonical_key(key)`` -> the canonical column name, or ``None`` for a key that goes to
``Ad.extra`` (special markers for computed columns and for an input ``extra`` object).
``CANONICAL`` lists the columns; ``REQUIRED`` the ones an ad cannot lack.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "CANONICAL",
    "DERIVED",
    "DERIVED_KEY",
    "EXTRA_KEY",
    "REQUIRED",
    "aliases",
    "canonical_key",
    "normalise_key",
]

_SEPARATORS = re.compile(r"[\s\-.]+")


@cache
def _data() -> dict[str, Any]:
    text = resources.files("safelight.ingest").joinpath("columns.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def _table() -> dict[str, dict[str, Any]]:
    return dict(_data()["columns"])


CANONICAL: tuple[str, ...] = tuple(_table())
REQUIRED: frozenset[str] = frozenset(k for k, v in _table().items() if v.get("required"))
# Keys Safelight computes itself: ignored on input (``canonical_key`` returns ``DERIVED_KEY``).
DERIVED: frozenset[str] = frozenset(_data()["derived"]["keys"])
DERIVED_KEY = "-"
EXTRA_KEY = "extra"


def normalise_key(key: str) -> str:
    """``"Poster's Age "`` -> ``"posters_age"``."""
    key = key.strip().lower().replace("'", "").replace("\u2019", "")
    return _SEPARATORS.sub("_", key)


@cache
def aliases() -> dict[str, str]:
    """Every accepted normalised name -> its canonical column."""
    table: dict[str, str] = {}
    for name, entry in _table().items():
        for alias in entry.get("aliases", []):
            table[normalise_key(str(alias))] = name
    for name in _table():
        table[name] = name
    for name in DERIVED:
        table[name] = DERIVED_KEY
    table[EXTRA_KEY] = EXTRA_KEY
    return table


def canonical_key(key: str) -> str | None:
    """The canonical column ``key`` names, ``DERIVED_KEY`` for a column Safelight computes,
    ``EXTRA_KEY`` for an ``extra`` column, or ``None`` (an unknown key, for ``Ad.extra``)."""
    return aliases().get(normalise_key(key))
