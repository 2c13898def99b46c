"""What ``generate`` is asked for (``SynthOptions``) and what it reports (``SynthSummary``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

__all__ = ["SynthOptions", "SynthSummary"]


@dataclass(slots=True)
class SynthOptions:
    out: Path
    ads: int = 1000
    seed: int = 0
    images: bool = True
    html_pages: int = 5
    minor_rate: float = 0.05
    network_rate: float = 0.3
    noise: float = 0.3
    start: date = date(2024, 1, 1)
    days: float = 90.0
    bad_records: int = 0


@dataclass(slots=True)
class SynthSummary:
    ads: int = 0
    persons: int = 0
    networks: int = 0
    minors: int = 0
    minor_ads: int = 0
    network_ads: int = 0
    images: int = 0
    pages: int = 0
    bad_records: int = 0
    seconds: float = 0.0
    first_posted: str = ""
    last_posted: str = ""
    files: list[str] = field(default_factory=list)
