"""What every extractor returns and the interface it implements.

An extractor is any object with a ``field`` name and an ``extract(text, found)`` method that
returns ``Match`` objects with character spans into ``text`` and a normalised ``value``.
``found`` holds the matches of the extractors that ran before it (the registry order), so the
place extractor can use the phones already found (area-code region) without a second pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Extractor", "Match", "by_initial", "class_body", "lowered", "lowered_chunk"]


# Marks "no detail given" (a new empty dict each time, like the field's default factory).
_NO_DETAIL: Any = object()


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(
        self,
        field: str,
        value: Any,
        text: str,
        start: int | None,
        end: int | None,
        detail: Mapping[str, Any] = _NO_DETAIL,
    ) -> None:
        # The generated __init__ of a frozen dataclass sets each field through
        # ``object.__setattr__``; the slots' own setters take half the time, and extraction
        # makes a Match for every value it finds.
        _set_field(self, field)
        _set_value(self, value)
        _set_text(self, text)
        _set_start(self, start)
        _set_end(self, end)
        _set_detail(self, {} if detail is _NO_DETAIL else detail)

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


_set_field, _set_value, _set_text, _set_start, _set_end, _set_detail = (
    getattr(Match, name).__set__ for name in ("field", "value", "text", "start", "end", "detail")
)


class Extractor(Protocol):
    field: str

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]: ...


# The last text lowered and its lower-case form: every extractor of a pass lowers the same
# text, so it is done once. One tuple, swapped whole, so concurrent callers never see a text
# paired with another's lower case (the reference also keeps the text alive: ``is`` is safe).
_LAST_LOWERED: tuple[str, str] = ("", "")
# The texts of the chunk ``extract_texts`` is running, by id: there each extractor goes over the
# whole chunk before the next one, so the last text alone would never hit. An entry keeps its
# text alive, so its id cannot be reused while it is here.
_CHUNK_LOWERED: dict[int, tuple[str, str]] = {}


def lowered(text: str) -> str:
    """``text.lower()``, computed once per text for the extractors that all need it."""
    global _LAST_LOWERED
    last = _LAST_LOWERED
    if last[0] is text:
        return last[1]
    hit = _CHUNK_LOWERED.get(id(text))
    if hit is not None and hit[0] is text:
        return hit[1]
    low = text.lower()
    _LAST_LOWERED = (text, low)
    return low


@contextmanager
def lowered_chunk(texts: Sequence[str]) -> Iterator[None]:
    """Keep the lower-case forms of ``texts`` for ``lowered`` while a chunk is extracted."""
    keys = [id(text) for text in texts]
    for key, text in zip(keys, texts, strict=True):
        _CHUNK_LOWERED[key] = (text, text.lower())
    try:
        yield
    finally:
        for key in keys:
            _CHUNK_LOWERED.pop(key, None)


def class_body(chars: Sequence[str]) -> str:
    """A compact regex character-class body for ``chars`` (runs of code points as ranges)."""
    points = sorted(set(map(ord, chars)))
    parts: list[str] = []
    k = 0
    while k < len(points):
        j = k
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        lo, hi = re.escape(chr(points[k])), re.escape(chr(points[j]))
        parts.append(lo if j == k else f"{lo}-{hi}")
        k = j + 1
    return "".join(parts)


def by_initial(alternatives: list[str]) -> str:
    """Regex alternatives grouped by their first letter, each group in its given order: the
    regex engine then rejects a position after one test per letter, not one per word (the
    same matches: alternatives with different first letters never match at one place). An
    alternative that starts with anything but a letter stays whole; a quantified first letter
    ("h?r") is refused, since it could match where another letter's group does."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        if alt[:1].isalpha() and alt[1:2] in ("?", "*", "+", "{"):
            raise ValueError(f"quantified first letter: {alt!r}")
        key = alt[0] if alt[0].isalpha() else ""
        groups.setdefault(key or alt, []).append(alt[1:] if key else alt)
    return "|".join(
        f"{key}(?:{'|'.join(rest)})" if key.isalpha() and len(key) == 1 else key
        for key, rest in groups.items()
    )
