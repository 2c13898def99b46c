"""What every extractor returns and the interface it implements.

An extractor is any object with a ``field`` name and an ``extract(text, found)`` method that
returns ``Match`` objects with character spans into ``text`` and a normalised ``value``.
``found`` holds the matches of the extractors that ran before it (the registry order), so the
place extractor can use the phones already found (area-code region) without a second pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Extractor", "Match", "lowered"]


@dataclass(frozen=True, slots=True)
class Match:
    """One value found in a text.

    ``value`` is the normalised form: E.164 string for phones, int for ages,
    ``{"amount", "currency", "minutes"}`` for prices, lower-case address for emails...
    ``detail`` carries field-specific extras that go into the JSON output next to the four
    contract keys (e.g. ``platform`` for handles, ``obfuscation`` for phones).
    """

    field: str
    value: Any
    text: str
    start: int | None
    end: int | None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        for key, val in self.detail.items():
            out.setdefault(key, val)
        return out


class Extractor(Protocol):
    field: str

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]: ...


# The last text lowered and its lower-case form: every extractor of a pass lowers the same
# text, so it is done once. One tuple, swapped whole, so concurrent callers never see a text
# paired with another's lower case (the reference also keeps the text alive: ``is`` is safe).
_LAST_LOWERED: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """``text.lower()``, computed once per text for the extractors that all need it."""
    global _LAST_LOWERED
    last = _LAST_LOWERED
    if last[0] is text:
        return last[1]
    low = text.lower()
    _LAST_LOWERED = (text, low)
    return low
