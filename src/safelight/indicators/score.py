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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from safelight.indicators.catalog import Catalog, Indicator, load_catalog
from safelight.indicators.detect import Matcher, matcher_for
from safelight.indicators.rules import RULE_FIELDS, RULES, RuleContext, Span

__all__ = ["Assessment", "Evidence", "Plan", "assess", "evaluate", "plan_for"]

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
    score, minor, rows = evaluate(
        text, fields, plan_for(catalog or load_catalog()), median_hourly_price
    )
    return Assessment(score, minor, tuple(Evidence(*row) for row in rows))


EvidenceRow = tuple[str, str, str, "int | None", "int | None", float]
_Fired = tuple[Indicator, str, "int | None", "int | None"]


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """What scoring needs from one catalogue, computed once: its matcher and its field rules
    with the fields each one reads (a rule whose fields are absent from an ad cannot fire)."""

    matcher: Matcher
    rules: tuple[tuple[Indicator, Callable[[RuleContext], list[Span]], tuple[str, ...]], ...]


@cache
def plan_for(catalog: Catalog) -> Plan:
    rules = tuple(
        (ind, RULES[ind.rule], RULE_FIELDS.get(ind.rule, ()))
        for ind in catalog.indicators
        if ind.rule  # type: ignore[index]
    )
    return Plan(matcher_for(catalog), rules)


def evaluate(
    text: str,
    fields: Mapping[str, Sequence[Any]],
    plan: Plan,
    median_hourly_price: Mapping[str, float] | None = None,
) -> tuple[float, str, list[EvidenceRow]]:
    """``assess`` as plain values: score, minor flag and one tuple per ``Evidence`` (its fields
    in order), for callers that build columns rather than objects."""
    phone_matches = fields.get("phone")
    phones = (
        [(m.start, m.end) for m in phone_matches if m.start is not None] if phone_matches else []
    )
    matcher = plan.matcher
    found = matcher.scan(text, phones)
    found.sort(key=_span_key)
    inds = matcher.indicators
    fired: list[_Fired] = [(inds[idx], text[s:e], s, e) for idx, s, e in found]
    n_hits = len(fired)
    ctx = None
    for ind, rule, needs in plan.rules:
        if needs and not (fields.get(needs[0]) and all(map(fields.get, needs))):
            continue  # its inputs are absent: it returns nothing
        if ctx is None:
            ctx = RuleContext(
                fields=fields,
                youth_cue_hits=sum(1 for f in fired[:n_hits] if f[0].minor_cue),
                median_hourly_price=median_hourly_price or {},
            )
        fired.extend((ind, *span) for span in rule(ctx))
    return _with_points(fired)


def _span_key(hit: tuple[int, int, int]) -> tuple[int, int]:
    return hit[1], hit[2]


def _with_points(fired: list[_Fired]) -> tuple[float, str, list[EvidenceRow]]:
    """Points per evidence item (first occurrence of an indicator carries its weight), the
    score and the minor flag (see the module docstring)."""
    seen: set[str] = set()
    points: list[float] = []
    strong = False
    weak: list[float] = []
    for ind, *_ in fired:
        if ind.id in seen:
            points.append(0.0)
            continue
        seen.add(ind.id)
        points.append(ind.weight)
        if ind.minor_cue == "strong":
            strong = True
        elif ind.minor_cue == "weak":
            weak.append(ind.weight)
    total = sum(points)
    factor = 100.0 / total if total > 100 else 1.0
    rows: list[EvidenceRow] = [
        (ind.id, ind.category, text, start, end, round(p * factor, 2))
        for (ind, text, start, end), p in zip(fired, points, strict=True)
    ]
    if factor != 1.0 and rows:  # absorb rounding so the points add up to exactly 100
        top = max(range(len(rows)), key=lambda i: rows[i][5])
        drift = round(100.0 - sum(r[5] for r in rows), 2)
        row = rows[top]
        rows[top] = (*row[:5], round(row[5] + drift, 2))
    score = round(sum(r[5] for r in rows), 1)
    if "minor.stated_under_18" in seen:
        minor = "stated"
    elif "minor.age_18_19_with_youth_cue" in seen or strong or sum(weak) >= LIKELY_WEAK_POINTS:
        minor = "likely"
    else:
        minor = "none"
    return score, minor, rows
