"""The indicator catalogue: data files parsed at the boundary into frozen dataclasses.

``load_catalog()`` reads ``data/catalog.yaml`` (and ``data/sources.yaml`` for the citations)
shipped with the package; ``load_catalog(path)`` reads an analyst's own catalogue. Every entry
is checked: unique id, known category, a weight, patterns or a rule, and sources that exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from safelight.errors import UserError

__all__ = ["CATEGORIES", "Catalog", "Indicator", "load_catalog"]

CATEGORIES = (
    "minor",
    "control",
    "movement",
    "restriction",
    "evasion",
    "emoji",
    "economics",
    "presentation",
)


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    category: str
    description: str
    weight: float
    source: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    rule: str | None = None
    exclude: tuple[str, ...] = ()
    negatable: bool = True
    minor_cue: str | None = None  # "weak" | "strong"
    regex_needs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ("re:...", (needed strings))

    @classmethod
    def from_dict(cls, entry: dict[str, Any], where: str) -> Indicator:
        try:
            sources = entry["source"]
            return cls(
                id=str(entry["id"]),
                category=str(entry["category"]),
                description=str(entry["description"]),
                weight=float(entry["weight"]),
                source=tuple(sources) if isinstance(sources, list) else (str(sources),),
                patterns=tuple(_pattern(p) for p in entry.get("patterns", ())),
                regex_needs=_regex_needs(entry.get("patterns", ())),
                rule=entry.get("rule"),
                exclude=tuple(str(p) for p in entry.get("exclude", ())),
                negatable=bool(entry.get("negatable", True)),
                minor_cue=entry.get("minor_cue"),
            )
        except KeyError as exc:
            raise UserError(f"{where}: indicator is missing '{exc.args[0]}'") from None


def _pattern(raw: Any) -> str:
    """A phrase, a "re:..." string, or {re: ..., needs: [...]} (see catalog.yaml)."""
    return f"re:{raw['re']}" if isinstance(raw, dict) else str(raw)


def _regex_needs(raw: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (f"re:{p['re']}", tuple(str(n) for n in p.get("needs", ())))
        for p in raw
        if isinstance(p, dict)
    )


@dataclass(frozen=True, slots=True, eq=False)
class Catalog:
    indicators: tuple[Indicator, ...]
    sources: dict[str, str]

    def by_id(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)


@cache
def _packaged() -> Catalog:
    data = resources.files("safelight.indicators") / "data"
    return _parse(
        yaml.safe_load(data.joinpath("catalog.yaml").read_text("utf-8")),
        yaml.safe_load(data.joinpath("sources.yaml").read_text("utf-8")),
        "catalog.yaml",
    )


def load_catalog(path: Path | None = None) -> Catalog:
    """The packaged catalogue, or the one at ``path`` (with a ``sources.yaml`` beside it, or
    the packaged sources)."""
    if path is None:
        return _packaged()
    if not path.exists():
        raise UserError(f"no such catalogue: {path}")
    sources_file = path.with_name("sources.yaml")
    sources = (
        yaml.safe_load(sources_file.read_text("utf-8"))
        if sources_file.exists()
        else _packaged().sources
    )
    return _parse(yaml.safe_load(path.read_text("utf-8")), sources, str(path))


def _parse(doc: dict[str, Any], sources: dict[str, str], where: str) -> Catalog:
    from safelight.indicators.rules import RULES

    indicators = tuple(
        Indicator.from_dict(e, f"{where}: entry {n}") for n, e in enumerate(doc["indicators"], 1)
    )
    seen: set[str] = set()
    for ind in indicators:
        problem = _problem(ind, seen, sources, RULES)
        if problem:
            raise UserError(f"{where}: indicator '{ind.id}': {problem}")
        seen.add(ind.id)
    return Catalog(indicators, dict(sources))


def _problem(ind: Indicator, seen: set[str], sources: dict[str, str], rules: Any) -> str | None:
    if ind.id in seen:
        return "duplicate id"
    if ind.category not in CATEGORIES:
        return f"unknown category '{ind.category}' (one of {', '.join(CATEGORIES)})"
    if bool(ind.patterns) == bool(ind.rule):
        return "needs either patterns or a rule"
    if ind.rule and ind.rule not in rules:
        return f"unknown rule '{ind.rule}'"
    if not ind.source or any(s not in sources for s in ind.source):
        return f"every source must be a key of sources.yaml, got {list(ind.source)}"
    if ind.minor_cue not in (None, "weak", "strong"):
        return "minor_cue must be weak or strong"
    return None
