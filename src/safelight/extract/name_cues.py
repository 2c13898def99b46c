"""The name cue regex, and smaller copies of it by the letter a cue starts with.

The cue regex is tried with ``.match()`` where a cue word starts (about four places an ad).
It holds two dozen alternatives, which the regex engine tries in turn. A match starting
with an ASCII letter can only come from the alternatives that may start with that letter
(in any case), so a copy holding just those, in the same order, finds the same match:
``cues_by_initial`` builds one copy per letter. What an alternative may start with is read
from its parsed form; anything not understood keeps it in every copy.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

__all__ = ["cue_regex", "cues_by_initial", "initials"]

# (the first letters it may start with, or None for "anything"; can it match nothing?)
_First = tuple[frozenset[str] | None, bool]
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def cue_regex(strong: Sequence[str], weak: Sequence[str], name: str) -> re.Pattern[str]:
    """A cue (group ``strong`` or ``weak``), then a separator and the ``name`` pattern."""
    strong_alt = "|".join(f"(?:{c})" for c in strong) or "(?!)"  # (?!) never matches
    weak_alt = "|".join(f"(?:{c})" for c in weak) or "(?!)"
    return re.compile(
        rf"(?<![\w'’])(?:(?P<strong>{strong_alt})|(?P<weak>{weak_alt}))[ \t]*[:\-–]?[ \t]*{name}",
        re.IGNORECASE,
    )


def cues_by_initial(
    strong: Sequence[str], weak: Sequence[str], name: str
) -> dict[str, re.Pattern[str]]:
    """For each ASCII letter (both cases), the cue regex with only the cues that may start
    with it."""
    firsts = {cue: initials(cue) for cue in [*strong, *weak]}
    out: dict[str, re.Pattern[str]] = {}
    for letter in string.ascii_lowercase:
        keep = [cue for cue, first in firsts.items() if first is None or letter in first]
        regex = cue_regex([c for c in strong if c in keep], [c for c in weak if c in keep], name)
        out[letter] = out[letter.upper()] = regex
    return out


def initials(cue: str) -> frozenset[str] | None:
    """The lower-case ASCII characters a match of ``cue`` (without case) may start with;
    None when it may start with anything else, or may be empty."""
    first, empty = _first(sre_parse.parse(cue, re.IGNORECASE))
    return None if empty else first


def _first(items: Any) -> _First:
    """What the sequence of parsed ``items`` may start with."""
    found: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # a look-around or anchor: the next item gives the first character
        if op is sre.LITERAL or op is sre.IN:
            chars = _chars(op, av)
            return (None if chars is None else frozenset(found | chars)), False
        if op is sre.SUBPATTERN:
            first, empty = _first(av[-1])
        elif op is sre.BRANCH:
            first, empty = _branch(av[1])
        elif op in _REPEATS:
            first, inner_empty = _first(av[2])
            empty = av[0] == 0 or inner_empty
        else:
            return None, False
        if first is None:
            return None, False
        found |= first
        if not empty:
            return frozenset(found), False
    return frozenset(found), True


def _branch(alternatives: Any) -> _First:
    found: set[str] = set()
    empty = False
    for alternative in alternatives:
        first, alt_empty = _first(alternative)
        if first is None:
            return None, False
        found |= first
        empty = empty or alt_empty
    return frozenset(found), empty


def _chars(op: Any, av: Any) -> set[str] | None:
    """The lower-case forms of the ASCII characters a LITERAL or IN item matches; None if it
    may match a non-ASCII character (which may fold to an ASCII letter: "ſ" ~ "s")."""
    items = [(op, av)] if op is sre.LITERAL else av
    out: set[str] = set()
    for kind, value in items:
        if kind is sre.LITERAL and value < 128:
            out.add(chr(value).lower())
        elif kind is sre.RANGE and value[1] < 128:
            out.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        else:
            return None
    return out
