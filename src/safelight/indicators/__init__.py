"""Trafficking indicators: a catalogue (data, with sources), one-pass detection, and an
explainable risk score with a minor flag."""

from __future__ import annotations

from safelight.indicators.catalog import CATEGORIES, Catalog, Indicator, load_catalog
from safelight.indicators.score import Assessment, Evidence, assess

__all__ = ["CATEGORIES", "Assessment", "Catalog", "Evidence", "Indicator", "assess", "load_catalog"]
