"""Physical descriptors in free text: height, weight, hair, eyes and marks, with spans.

``extract_descriptors(text, avoid=())`` returns ``Match`` objects (``safelight.extract.base``)
whose spans index ``text`` exactly and whose ``field`` and normalised ``value`` are:

- ``height``: centimetres (float), from ``5'4``, ``5ft 4``, ``5 foot 4``, ``5 feet 4 inches``,
  ``164cm``, ``1.64m``;
- ``weight``: pounds (float), from ``120lbs``, ``120 lb``, ``120 pounds``, ``55kg``, and a bare
  number right after a height (``5'4 120``);
- ``hair``: a hair-colour key of ``data/descriptors.yaml`` (``blonde``, ``brunette``,
  ``red hair``, ``hair: black``; dyed colours give ``dyed`` with ``detail.written``);
- ``eyes``: an eye-colour key (``blue eyes``, ``hazel-eyed``, ``eyes: green``);
- ``mark``: ``{"kind", "motif", "location", "side"}`` (``butterfly tat``, ``tattoo on my
  left wrist``, ``nose ring``, ``scar``).

Colour words that mean other things too ("black", "red", "pink", "brown") count only next to
"hair"/"eyes"; "blonde", "brunette", "redhead" count alone. ``avoid`` holds spans (e.g. phone
numbers) whose digits must not be read as heights or weights. The same function reads a
poster's ``marks`` field, so poster and ad marks share one vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from safelight.extract.base import Match
from safelight.missing.units import cm_from_feet, lb_from_kg

__all__ = ["DESCRIPTOR_FIELDS", "Vocabulary", "extract_descriptors", "vocabulary"]

DESCRIPTOR_FIELDS: tuple[str, ...] = ("height", "weight", "hair", "eyes", "mark")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    hair: dict[str, str]  # written term -> colour key
    hair_ambiguous: frozenset[str]  # terms that need a "hair" cue
    hair_family: dict[str, str]  # colour key -> family (light, brown, dark, red, dyed)
    eyes: dict[str, str]
    mark_kinds: dict[str, str]  # term -> kind
    motifs: dict[str, str]  # term -> motif (singular)
    locations: dict[str, str]  # term -> location key


@cache
def vocabulary() -> Vocabulary:
    text = resources.files("safelight.missing").joinpath("data/descriptors.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    hair: dict[str, str] = {}
    ambiguous: set[str] = set()
    family: dict[str, str] = {}
    for key, entry in data["hair"]["colours"].items():
        family[key] = entry["family"]
        for term in entry["terms"]:
            hair[term] = key
            if entry.get("ambiguous") and term not in entry.get("unambiguous_terms", []):
                ambiguous.add(term)
    eyes = {t: k for k, e in data["eyes"]["colours"].items() for t in e["terms"]}
    kinds = {t: k for k, terms in data["marks"]["kinds"].items() for t in terms}
    motifs = {m: _singular(m) for m in data["marks"]["motifs"]}
    locations = {t: k for k, terms in data["marks"]["locations"].items() for t in terms}
    return Vocabulary(hair, frozenset(ambiguous), family, eyes, kinds, motifs, locations)


def _singular(term: str) -> str:
    aliases = {
        "bar code": "barcode",
        "cherries": "cherry",
        "paw prints": "paw print",
        "wings": "angel wings",
    }
    if term in aliases:
        return aliases[term]
    return term[:-1] if term.endswith("s") and not term.endswith("ss") else term


def _alternation(terms: Iterable[str]) -> str:
    return "|".join(
        re.escape(t).replace(r"\ ", r"[\s\-]+") for t in sorted(terms, key=len, reverse=True)
    )


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    v = vocabulary()
    hair, eyes = _alternation(v.hair), _alternation(v.eyes)
    flags = re.IGNORECASE
    return {
        "feet": re.compile(
            r"(?<![\d.$])(?P<ft>[4-6])\s*(?:'|’|′|ft\.?|foot|feet)\s*"
            r"(?:(?P<in>1[01]|\d)(?![\d])(?:\.5)?\s*(?:\"|”|″|''|’’|in(?:ch(?:es)?)?\b\.?)?)?"
            r"(?:\s*ft\b|\s*tall\b)?",
            flags,
        ),
        "cm": re.compile(r"(?<![\d.$])(?:(?P<cm>1[4-9]\d)\s*cm|1[.,](?P<m>[4-9]\d)\s*m)\b", flags),
        "weight": re.compile(
            r"(?<![\d.$])(?P<num>\d{2,3})\s*(?P<unit>lbs?\b\.?|pounds\b|#|kgs?\b|kilos?\b)", flags
        ),
        "hair": re.compile(
            rf"\b(?:hair(?:\s*colou?r)?\s*(?::|-|is)?\s*(?P<after>{hair})\b"
            rf"|(?P<term>{hair})\b(?P<cue>[\s\-]*hair(?:ed)?\b)?)",
            flags,
        ),
        "eyes": re.compile(
            rf"\b(?:eyes?(?:\s*colou?r)?\s*(?::|-|are)\s*(?P<after>{eyes})\b"
            rf"|(?P<term>{eyes})[\s\-]*eye(?:s|d)?\b)",
            flags,
        ),
        "kind": re.compile(rf"\b(?:{_alternation(v.mark_kinds)})\b", flags),
        "motif": re.compile(rf"\b(?:{_alternation(v.motifs)})\b", flags),
        "location": re.compile(
            rf"\b(?:(?P<side>left|right)\s+)?(?P<loc>{_alternation(v.locations)})\b", flags
        ),
    }


def _free(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    return all(end <= a or start >= b for a, b in taken)


def extract_descriptors(text: str, avoid: Iterable[tuple[int, int]] = ()) -> list[Match]:
    """Every descriptor in ``text``, ordered by position."""
    taken = list(avoid)
    out: list[Match] = []
    heights = _heights(text, taken)
    for found in (*heights, *_weights(text, taken)):
        taken.append((found.start or 0, found.end or 0))
        out.append(found)
    for found in _bare_weights(text, heights, taken):
        taken.append((found.start or 0, found.end or 0))
        out.append(found)
    out.extend(_colours(text, "hair", taken))
    out.extend(_colours(text, "eyes", taken))
    out.extend(_marks(text))
    return sorted(out, key=lambda m: (m.start or 0, m.field))


def _heights(text: str, taken: list[tuple[int, int]]) -> list[Match]:
    p = _patterns()
    out = []
    for found in p["feet"].finditer(text):
        unit_written = found.group(0)[1:].strip()
        if not unit_written or not _free(found.start(), found.end(), taken):
            continue
        inches = float(found["in"] or 0) + (0.5 if found["in"] and ".5" in found.group(0) else 0)
        span = found.group(0).rstrip()
        out.append(
            Match(
                "height",
                cm_from_feet(int(found["ft"]), inches),
                span,
                found.start(),
                found.start() + len(span),
            )
        )
    for found in p["cm"].finditer(text):
        if _free(found.start(), found.end(), taken):
            cm = float(found["cm"]) if found["cm"] else 100.0 + float(found["m"])
            out.append(Match("height", cm, found.group(0), found.start(), found.end()))
    return out


def _weights(text: str, taken: list[tuple[int, int]]) -> list[Match]:
    out = []
    for found in _patterns()["weight"].finditer(text):
        if not _free(found.start(), found.end(), taken):
            continue
        number = float(found["num"])
        pounds = lb_from_kg(number) if found["unit"].lower().startswith("k") else number
        if 70 <= pounds <= 450:
            span = found.group(0).rstrip(".")
            out.append(Match("weight", pounds, span, found.start(), found.start() + len(span)))
    return out


_BARE_WEIGHT = re.compile(
    r"[\s,/|~*-]{1,3}(?P<num>\d{2,3})(?![\d.])"
    r"(?!\s*(?:\$|%|k\b|[-/]|roses?|hh|hr|qv|min|hour|half|special|yo|y/?o|years?|yrs?))",
    re.IGNORECASE,
)


def _bare_weights(text: str, heights: list[Match], taken: list[tuple[int, int]]) -> list[Match]:
    """ "5'4 120": a bare number right after a height, the ads' way of writing height then
    weight in pounds (80-350), unless a price, duration or age word follows it."""
    out = []
    for height in heights:
        found = _BARE_WEIGHT.match(text, height.end or 0)
        if found is None or not _free(found.start("num"), found.end("num"), taken):
            continue
        pounds = float(found["num"])
        if 80 <= pounds <= 350:
            out.append(Match("weight", pounds, found["num"], found.start("num"), found.end("num")))
    return out


def _colours(text: str, family: str, taken: list[tuple[int, int]]) -> list[Match]:
    v = vocabulary()
    table = v.hair if family == "hair" else v.eyes
    out = []
    for found in _patterns()[family].finditer(text):
        term = (found["after"] or found["term"]).lower()
        term = " ".join(term.replace("-", " ").split())
        if family == "hair" and found["term"] and not found["cue"] and term in v.hair_ambiguous:
            continue
        if not _free(found.start(), found.end(), taken):
            continue
        detail = {"written": term} if table[term] == "dyed" else {}
        out.append(Match(family, table[term], found.group(0), found.start(), found.end(), detail))
    return out


_CLAUSE = re.compile(r"[.!?;\n|•]")


def _marks(text: str) -> list[Match]:
    v = vocabulary()
    p = _patterns()
    out = []
    for found in p["kind"].finditer(text):
        term = " ".join(found.group(0).lower().replace("-", " ").split())
        kind = v.mark_kinds[term]
        start, end = _clause(text, found.start(), found.end())
        motif = _nearest(p["motif"], text, start, end, found)
        loc_match = _location(text, found, start, end, term)
        detail: dict[str, Any] = {}
        value = {
            "kind": kind,
            "motif": v.motifs[_norm(motif.group(0))] if motif else None,
            "location": v.locations[_norm(loc_match["loc"])] if loc_match else None,
            "side": (loc_match["side"] or "").lower() or None if loc_match else None,
        }
        pieces = [found] + [m for m in (motif, loc_match) if m is not None]
        s, e = min(m.start() for m in pieces), max(m.end() for m in pieces)
        out.append(Match("mark", value, text[s:e], s, e, detail))
    return out


def _norm(term: str) -> str:
    return " ".join(term.lower().replace("-", " ").split())


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a mark word, at most 50 characters each side."""
    left = max(0, start - 50)
    cuts = [m.end() for m in _CLAUSE.finditer(text, left, start)]
    left = cuts[-1] if cuts else left
    right = min(len(text), end + 50)
    after = _CLAUSE.search(text, end, right)
    return left, after.start() if after else right


def _nearest(
    pattern: re.Pattern[str], text: str, start: int, end: int, anchor: re.Match[str]
) -> re.Match[str] | None:
    """The motif closest to the mark word: just before ("butterfly tat") or after ("tattoo of
    a rose"), never across another mark word."""
    best = None
    for found in pattern.finditer(text, start, end):
        between = text[min(found.end(), anchor.end()) : max(found.start(), anchor.start())]
        if _patterns()["kind"].search(between) or len(between) > 25:
            continue
        gap = abs(found.start() - anchor.start())
        if best is None or gap < abs(best.start() - anchor.start()):
            best = found
    return best


def _location(
    text: str, anchor: re.Match[str], start: int, end: int, term: str
) -> re.Match[str] | None:
    # "nose ring", "belly button ring": the place is part of the mark word itself.
    inside = _patterns()["location"].search(anchor.group(0))
    if inside:
        return _patterns()["location"].search(text, anchor.start(), anchor.end())
    after = re.compile(
        r"\s+(?:on|in|at|across|behind|above|below|under)\s+(?:my|her|the|his|"
        r"their|a|one)?\s*",
        re.IGNORECASE,
    ).match(text, anchor.end(), end)
    if after is None:
        # "... tattoo of a rose on my ankle": allow one motif phrase between.
        after = re.compile(
            r"\s+(?:of\s+)?(?:a\s+|an\s+)?[\w\s]{0,20}?\s(?:on|in|at)\s+"
            r"(?:my|her|the|his|their)?\s*",
            re.IGNORECASE,
        ).match(text, anchor.end(), end)
    if after is not None:
        return _patterns()["location"].match(text, after.end(), end)
    before = list(
        _patterns()["location"].finditer(text, max(start, anchor.start() - 20), anchor.start())
    )
    if before and not text[before[-1].end() : anchor.start()].strip(" -"):
        return before[-1]  # "wrist tattoo", "lower back tat"
    return None
