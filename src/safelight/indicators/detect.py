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
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import ahocorasick

from safelight.indicators.catalog import Catalog, Indicator
from safelight.indicators.fold import fold_parts, fold_pattern, shifted

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
        # leading \b is checked after the match for the same reason. ``needs``: substrings of
        # which the text must contain one for the pattern to run.
        self.regexes: list[tuple[re.Pattern[str], int, bool, tuple[str, ...]]] = []
        phrase_indicators = [i for i in catalog.indicators if i.patterns]
        self.indicators = phrase_indicators
        self.negatable = [ind.negatable for ind in phrase_indicators]
        for idx, ind in enumerate(phrase_indicators):
            for pattern in ind.patterns:
                if pattern.startswith("re:"):
                    body = pattern[3:]
                    boundary = body.startswith(r"\b")
                    needs = tuple(dict(ind.regex_needs).get(pattern, ()))
                    compiled = re.compile(body[2:] if boundary else body)
                    self.regexes.append((compiled, idx, boundary, needs))
                    continue
                for variant in _variants(pattern):
                    entries.setdefault(variant, []).append(("hit", idx))
            for benign in ind.exclude:
                for variant in _variants(benign):
                    entries.setdefault(variant, []).append(("benign", idx))
        # Each key carries everything the scan needs, so a match costs a few tuple reads: its
        # length, the indicators it is a phrase / a benign phrase of, whether its first and last
        # characters need a word boundary, and whether it is a negator (every occurrence of a
        # negator is recorded: the negation check only runs near one).
        for word in NEGATORS:
            entries.setdefault(word, [])
        for key, values in entries.items():
            hit_idxs = tuple(idx for kind, idx in values if kind == "hit")
            benign_idxs = tuple(idx for kind, idx in values if kind == "benign")
            phrase = bool(values)
            self.automaton.add_word(
                key,
                (
                    len(key),
                    hit_idxs,
                    benign_idxs,
                    phrase and key[0].isalnum(),
                    phrase and key[-1].isalnum(),
                    key in NEGATORS,
                ),
            )
        self.automaton.make_automaton()

    def hits(self, text: str, blocked: list[tuple[int, int]] = ()) -> list[Hit]:
        """Indicator hits in ``text``; ``blocked`` spans (e.g. phone numbers) never match."""
        inds = self.indicators
        return [Hit(inds[idx], start, end) for idx, start, end in self.scan(text, blocked)]

    def scan(self, text: str, blocked: list[tuple[int, int]] = ()) -> list[tuple[int, int, int]]:
        """``hits`` as ``(index into self.indicators, start, end)`` tuples, in the same order."""
        digits, ftext, deleted = fold_parts(text)
        n = len(ftext)
        found: list[tuple[int, int, int]] = []  # (indicator index, folded start, folded end)
        benign: dict[int, list[tuple[int, int]]] = {}
        negs: list[tuple[int, int]] = []  # negator occurrences, by end
        for end_idx, (length, hit_idxs, benign_idxs, left, right, neg) in self.automaton.iter(
            ftext
        ):
            end = end_idx + 1
            start = end - length
            if neg:
                negs.append((start, end))
            if left and start and ftext[start - 1].isalnum():
                continue
            if right and end < n and ftext[end].isalnum():
                continue
            for idx in benign_idxs:
                benign.setdefault(idx, []).append((start, end))
            for idx in hit_idxs:
                found.append((idx, start, end))
        out: list[tuple[int, int, int]] = []
        shift = shifted(deleted) if deleted else None
        negatable = self.negatable
        for idx, start, end in found:
            if benign:
                spans = benign.get(idx)
                if spans and _inside(start, end, spans):
                    continue
            if negs and negatable[idx] and _near(negs, start) and _negated(ftext, start):
                continue
            if shift is not None:
                start, end = start + bisect_right(shift, start), end + bisect_right(shift, end - 1)
            out.append((idx, start, end))
        if self.regexes:
            self._regex_hits(digits, out)
        if not blocked:
            return out
        kept = []
        for hit in out:
            for s, e in blocked:
                if hit[1] < e and s < hit[2]:
                    break
            else:
                kept.append(hit)
        return kept

    def _regex_hits(self, text: str, out: list[tuple[int, int, int]]) -> None:
        present: dict[tuple[str, ...], bool] = {}
        negatable = self.negatable
        for pattern, idx, boundary, needs in self.regexes:
            if needs:
                ok = present.get(needs)
                if ok is None:
                    ok = False
                    for need in needs:
                        if need in text:
                            ok = True
                            break
                    present[needs] = ok
                if not ok:
                    continue
            for m in pattern.finditer(text):
                start = m.start()
                if boundary and start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                    continue
                if negatable[idx] and _negated(text, start):
                    continue
                out.append((idx, start, m.end()))


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


def _near(negs: list[tuple[int, int]], start: int) -> bool:
    """Whether a negator occurrence lies wholly in the window ``_negated`` reads before ``start``
    (a negator among its tokens is one; so without one it cannot be negated)."""
    lo = start - 24
    for s, e in negs:
        if e > start:
            return False
        if s >= lo:
            return True
    return False


_CLAUSE_END_RE = re.compile(r"[.,!?;:|\n]")


_ANY_NEGATOR_RE = re.compile(r"\b(?:" + "|".join(sorted(NEGATORS, key=len, reverse=True)) + r")\b")


def _negated(text: str, start: int) -> bool:
    """A negation among the three words before ``start``, within the same clause."""
    window = text[max(0, start - 24) : start]
    if not _ANY_NEGATOR_RE.search(window):  # the common case, at C speed
        return False
    window = _CLAUSE_END_RE.split(window)[-1]
    return any(tok in NEGATORS for tok in _TOKEN_RE.findall(window)[-3:])
