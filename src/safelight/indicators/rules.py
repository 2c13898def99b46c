"""Indicators computed from extracted fields rather than words.

A rule takes the ad's extracted fields (``safelight.extract`` matches), the phrase hits found
so far, and optional corpus context (e.g. the median hourly price per city from the store),
and returns the evidence spans that make it fire (empty: it does not fire).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RULES", "RULE_FIELDS", "RuleContext", "Span"]

Span = tuple[str, int | None, int | None]  # (text, start, end)


@dataclass(frozen=True, slots=True)
class RuleContext:
    fields: Mapping[str, Sequence[Any]]  # field -> list of extract.Match
    youth_cue_hits: int = 0  # phrase hits with a minor_cue
    median_hourly_price: Mapping[str, float] = field(default_factory=dict)  # place -> USD


def _ages(ctx: RuleContext) -> list[Any]:
    return [m for m in ctx.fields.get("age", []) if isinstance(m.value, int)]


def _span(m: Any) -> Span:
    return (m.text, m.start, m.end)


def stated_age_under_18(ctx: RuleContext) -> list[Span]:
    return [_span(m) for m in _ages(ctx) if m.value < 18]


def age_18_19(ctx: RuleContext) -> list[Span]:
    return [_span(m) for m in _ages(ctx) if m.value in (18, 19)]


def age_18_19_with_youth_cue(ctx: RuleContext) -> list[Span]:
    return age_18_19(ctx) if ctx.youth_cue_hits else []


def several_names(ctx: RuleContext) -> list[Span]:
    names = ctx.fields.get("name", [])
    return [_span(m) for m in names] if len({str(m.value).lower() for m in names}) >= 2 else []


def several_ages(ctx: RuleContext) -> list[Span]:
    ages = [m for m in _ages(ctx) if m.start is not None]
    return [_span(m) for m in ages] if len({m.value for m in ages}) >= 2 else []


def obscured_phone(ctx: RuleContext) -> list[Span]:
    return [_span(m) for m in ctx.fields.get("phone", []) if m.detail.get("obfuscation")]


def low_price(ctx: RuleContext) -> list[Span]:
    """An hourly-equivalent price under half the median of the ad's city in the store."""
    if not ctx.median_hourly_price:
        return []
    cities = [m.value for m in ctx.fields.get("place", []) if m.detail.get("source") != "area code"]
    medians = [ctx.median_hourly_price[c] for c in cities if c in ctx.median_hourly_price]
    if not medians:
        return []
    return [
        _span(m)
        for m in ctx.fields.get("price", [])
        if m.value.get("minutes") == 60
        and m.value.get("currency") == "USD"
        and m.value["amount"] < 0.5 * medians[0]
    ]


RULES: dict[str, Callable[[RuleContext], list[Span]]] = {
    "stated_age_under_18": stated_age_under_18,
    "age_18_19": age_18_19,
    "age_18_19_with_youth_cue": age_18_19_with_youth_cue,
    "several_names": several_names,
    "several_ages": several_ages,
    "obscured_phone": obscured_phone,
    "low_price": low_price,
}

# The fields each rule reads: a rule returns nothing unless every one of them is non-empty, so
# the scorer skips it for an ad that lacks one.
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "stated_age_under_18": ("age",),
    "age_18_19": ("age",),
    "age_18_19_with_youth_cue": ("age",),
    "several_names": ("name",),
    "several_ages": ("age",),
    "obscured_phone": ("phone",),
    "low_price": ("place", "price"),
}
