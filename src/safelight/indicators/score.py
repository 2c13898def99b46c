"""An explainable risk score (0-100) and a minor flag for one ad.

The score is the sum of the points of the indicators that fired, each indicator counted once
(its first occurrence carries the points; repeats are listed with 0 points so the analyst sees
every span). When the sum exceeds 100, every contribution is scaled by the same factor so the
listed points still add up exactly to the score. See docs/scoring.md.

The minor flag:
- ``stated``: an age under 18 is stated or written in the ad;
- ``likely``: an age of 18-19 with a youth cue, a strong youth cue (school, "underage",
  childlike words), or weak youth cues worth together at least ``LIKELY_WEAK_POINTS``;
- ``none`` otherwise. A flag is a lead for review, never a finding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from safelight.indicators.catalog import Catalog, Indicator, load_catalog
from safelight.indicators.detect import matcher_for
from safelight.indicators.rules import RULES, RuleContext

__all__ = ["Assessment", "Evidence", "assess"]

LIKELY_WEAK_POINTS = 20.0


@dataclass(frozen=True, slots=True)
class Evidence:
    indicator: str
    category: str
    text: str
    start: int | None
    end: int | None
    points: float

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "category": self.category,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "points": self.points,
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    score: float
    minor: str  # "stated" | "likely" | "none"
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "minor": self.minor,
            "evidence": [e.to_json() for e in self.evidence],
        }


def assess(
    text: str,
    fields: Mapping[str, Sequence[Any]],
    *,
    catalog: Catalog | None = None,
    median_hourly_price: Mapping[str, float] | None = None,
) -> Assessment:
    """Score one ad from its text and its extracted fields (``safelight.extract`` matches)."""
    catalog = catalog or load_catalog()
    phones = [(m.start, m.end) for m in fields.get("phone", []) if m.start is not None]
    hits = sorted(matcher_for(catalog).hits(text, phones), key=lambda h: (h.start, h.end))
    ctx = RuleContext(
        fields=fields,
        youth_cue_hits=sum(1 for h in hits if h.indicator.minor_cue),
        median_hourly_price=median_hourly_price or {},
    )
    fired: list[tuple[Indicator, str, int | None, int | None]] = [
        (h.indicator, text[h.start : h.end], h.start, h.end) for h in hits
    ]
    for ind in _rule_indicators(catalog):
        fired.extend((ind, *span) for span in RULES[ind.rule](ctx))  # type: ignore[index]
    evidence = _with_points(fired)
    score = round(sum(e.points for e in evidence), 1)
    return Assessment(score, _minor_flag(fired), tuple(evidence))


@cache
def _rule_indicators(catalog: Catalog) -> tuple[Indicator, ...]:
    return tuple(ind for ind in catalog.indicators if ind.rule)


def _with_points(fired: list[tuple[Indicator, str, int | None, int | None]]) -> list[Evidence]:
    seen: set[str] = set()
    raw: list[tuple[Indicator, str, int | None, int | None, float]] = []
    for ind, text, start, end in fired:
        points = 0.0 if ind.id in seen else ind.weight
        seen.add(ind.id)
        raw.append((ind, text, start, end, points))
    total = sum(p for *_, p in raw)
    factor = 100.0 / total if total > 100 else 1.0
    evidence = [
        Evidence(ind.id, ind.category, text, start, end, round(p * factor, 2))
        for ind, text, start, end, p in raw
    ]
    if factor != 1.0 and evidence:  # absorb rounding so the points add up to exactly 100
        top = max(range(len(evidence)), key=lambda i: evidence[i].points)
        drift = round(100.0 - sum(e.points for e in evidence), 2)
        e = evidence[top]
        evidence[top] = Evidence(
            e.indicator, e.category, e.text, e.start, e.end, round(e.points + drift, 2)
        )
    return evidence


def _minor_flag(fired: list[tuple[Indicator, str, int | None, int | None]]) -> str:
    ids = {ind.id for ind, *_ in fired}
    if "minor.stated_under_18" in ids:
        return "stated"
    cues = {ind.id: ind for ind, *_ in fired if ind.minor_cue}
    strong = any(ind.minor_cue == "strong" for ind in cues.values())
    weak_points = sum(ind.weight for ind in cues.values() if ind.minor_cue == "weak")
    if "minor.age_18_19_with_youth_cue" in ids or strong or weak_points >= LIKELY_WEAK_POINTS:
        return "likely"
    return "none"
