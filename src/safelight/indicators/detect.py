"""Find the catalogue's phrase indicators in an ad's text in one pass.

All phrases of all indicators go into one Aho–Corasick automaton over the folded text
(``fold.py``), together with the benign phrases that cancel them (``exclude``); the few
patterns that need digits ("24/7", "in town for 3 days") form one compiled regex over the
lower-cased text. A hit is kept when it sits on word boundaries, is not inside a benign
phrase of its indicator, and (for negatable indicators) is not preceded by a negation
("not new in town").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from safelight.indicators.catalog import Catalog, Indicator
from safelight.indicators.fold import Folded, fold, fold_pattern

__all__ = ["Hit", "Matcher", "matcher_for"]

NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "isnt",
        "aint",
        "dont",
        "wont",
        "nor",
        "non",
        "without",
        "neither",
        "nt",
        "isn't",
        "ain't",
        "don't",
        "won't",
        "nothing",
    }
)
_TOKEN_RE = re.compile(r"[a-z']+")


@dataclass(frozen=True, slots=True)
class Hit:
    indicator: Indicator
    start: int  # offsets into the original text
    end: int


class Matcher:
    """The compiled form of a catalogue's phrase indicators."""

    def __init__(self, catalog: Catalog) -> None:
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, int]]] = {}
        # Digit patterns run one by one: a pattern starting with a literal or a character class
        # lets the regex engine skip ahead at C speed, which one big alternation prevents. A
        # leading \b is checked after the match for the same reason.
        self.regexes: list[tuple[re.Pattern[str], int, bool, re.Pattern[str] | None]] = []
        phrase_indicators = [i for i in catalog.indicators if i.patterns]
        self.indicators = phrase_indicators
        for idx, ind in enumerate(phrase_indicators):
            for pattern in ind.patterns:
                if pattern.startswith("re:"):
                    body = pattern[3:]
                    boundary = body.startswith(r"\b")
                    needs = dict(ind.regex_needs).get(pattern, ())
                    compiled = re.compile(body[2:] if boundary else body)
                    needs_re = re.compile("|".join(map(re.escape, needs))) if needs else None
                    self.regexes.append((compiled, idx, boundary, needs_re))
                    continue
                for variant in _variants(pattern):
                    entries.setdefault(variant, []).append(("hit", idx))
            for benign in ind.exclude:
                for variant in _variants(benign):
                    entries.setdefault(variant, []).append(("benign", idx))
        for key, values in entries.items():
            self.automaton.add_word(key, (len(key), tuple(values)))
        self.automaton.make_automaton()

    def hits(self, text: str, blocked: list[tuple[int, int]] = ()) -> list[Hit]:
        """Indicator hits in ``text``; ``blocked`` spans (e.g. phone numbers) never match."""
        folded = fold(text)
        found: list[tuple[int, int, int]] = []  # (indicator index, folded start, folded end)
        benign: dict[int, list[tuple[int, int]]] = {}
        ftext = folded.text
        for end_idx, (length, values) in self.automaton.iter(ftext):
            start, end = end_idx - length + 1, end_idx + 1
            if not _on_boundaries(ftext, start, end):
                continue
            for kind, idx in values:
                if kind == "benign":
                    benign.setdefault(idx, []).append((start, end))
                else:
                    found.append((idx, start, end))
        out = []
        for idx, start, end in found:
            spans = benign.get(idx)
            if spans and _inside(start, end, spans):
                continue
            if self.indicators[idx].negatable and _negated(ftext, start):
                continue
            out.append(self._hit(folded, idx, start, end))
        out.extend(self._regex_hits(folded))
        if not blocked:
            return out
        return [h for h in out if not _overlaps(h.start, h.end, blocked)]

    def _hit(self, folded: Folded, idx: int, start: int, end: int) -> Hit:
        o_start, o_end = folded.span(start, end)
        return Hit(self.indicators[idx], o_start, o_end)

    def _regex_hits(self, folded: Folded) -> list[Hit]:
        text = folded.digits
        hits = []
        for pattern, idx, boundary, needs in self.regexes:
            if needs is not None and not needs.search(text):
                continue
            for m in pattern.finditer(text):
                start = m.start()
                if boundary and start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                    continue
                ind = self.indicators[idx]
                if ind.negatable and _negated(text, start):
                    continue
                hits.append(Hit(ind, start, m.end()))
        return hits


@cache
def matcher_for(catalog: Catalog) -> Matcher:
    return Matcher(catalog)


def _variants(phrase: str) -> set[str]:
    folded = fold_pattern(phrase)
    variants = {folded}
    if " " in folded and len(folded.replace(" ", "")) >= 6:
        variants.add(folded.replace(" ", ""))  # "n e w  i n  t o w n", once joined
    if re.fullmatch(r"(?:[a-z][.*\- ]){2,}[a-z]", folded):
        variants.add(re.sub(r"[.*\- ]", "", folded))  # "m.o.b" is folded to "mob" in text
    if "'" in folded:
        variants.add(folded.replace("'", ""))
    return variants


def _on_boundaries(text: str, start: int, end: int) -> bool:
    first, last = text[start], text[end - 1]
    if first.isalnum() and start > 0 and text[start - 1].isalnum():
        return False
    return not (last.isalnum() and end < len(text) and text[end].isalnum())


def _inside(start: int, end: int, spans: object) -> bool:
    return any(s <= start and end <= e for s, e in spans)  # type: ignore[attr-defined]


def _overlaps(start: int, end: int, spans: object) -> bool:
    return any(start < e and s < end for s, e in spans)  # type: ignore[attr-defined]


_CLAUSE_END_RE = re.compile(r"[.,!?;:|\n]")


_ANY_NEGATOR_RE = re.compile(r"\b(?:" + "|".join(sorted(NEGATORS, key=len, reverse=True)) + r")\b")


def _negated(text: str, start: int) -> bool:
    """A negation among the three words before ``start``, within the same clause."""
    window = text[max(0, start - 24) : start]
    if not _ANY_NEGATOR_RE.search(window):  # the common case, at C speed
        return False
    window = _CLAUSE_END_RE.split(window)[-1]
    return any(tok in NEGATORS for tok in _TOKEN_RE.findall(window)[-3:])
