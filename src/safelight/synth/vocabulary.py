"""The phrase lists the ad writer draws from, loaded from ``data/vocabulary.yaml``.

Each top-level entry of the YAML is a list with a ``source`` note; this module strips the
notes and hands out tuples. The vocabulary is written independently of the indicator
catalogue so that measuring the catalogue on the synthetic corpus means something.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["Site", "Vocabulary", "vocabulary"]


@dataclass(frozen=True, slots=True)
class Site:
    """An (invented) classified site: how often its ads carry an age field, and an age suffix
    in the title (the classic layout's ``"... - 30"``)."""

    name: str
    domain: str
    age_field: float
    title_age: float
    weight: int


class Vocabulary:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.sources: dict[str, str] = {}
        self.lists: dict[str, tuple[str, ...]] = {}
        for key, entry in raw.items():
            if not isinstance(entry, dict) or "source" not in entry:
                raise ValueError(f"vocabulary entry {key!r} has no source")
            self.sources[key] = entry["source"]
            if key == "sites":
                continue
            if key == "handle_prefix":
                continue
            items = entry["items"]
            if isinstance(items, dict):
                continue
            self.lists[key] = tuple(str(i) for i in items)
        self.sites = tuple(Site(**s) for s in raw["sites"]["items"])
        self.handle_prefix: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in raw["handle_prefix"].items() if k != "source"
        }
        self.typos: dict[str, str] = {str(k): str(v) for k, v in raw["typos"]["items"].items()}

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self.lists[key]


@cache
def vocabulary() -> Vocabulary:
    """Load ``data/vocabulary.yaml`` (once)."""
    path = resources.files("safelight.synth").joinpath("data/vocabulary.yaml")
    return Vocabulary(yaml.safe_load(path.read_text("utf-8")))
