"""The catalogue is data: every entry parses, has a source, and bad entries are refused."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from safelight.errors import UserError
from safelight.indicators import CATEGORIES, load_catalog


def test_catalogue_size_categories_and_sources() -> None:
    catalog = load_catalog()
    assert len(catalog.indicators) >= 60
    assert set(Counter(i.category for i in catalog.indicators)) == set(CATEGORIES)
    for ind in catalog.indicators:
        assert ind.source and all(s in catalog.sources for s in ind.source), ind.id
        assert ind.description


def test_nij_findings_are_encoded_in_weights() -> None:
    catalog = load_catalog()
    w = {i.id: i.weight for i in catalog.indicators}
    # movement language was LESS likely in trafficking ads; screening was not predictive
    assert w["movement.new_in_town"] <= 1 and w["movement.leaving_soon"] <= 1
    assert w["evasion.screening"] <= 1
    assert "minor.age_18_19" not in w  # age < 23 alone not significant: no points
    assert w["evasion.obscured_phone"] >= 10  # obscured phones predictive
    assert w["presentation.ethnicity"] > w["presentation.real_pics"]


def test_bad_catalogue_is_refused_with_the_entry_named(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(
        "indicators:\n  - {id: x.one, category: minor, description: d, weight: 1,"
        " patterns: [a], source: [nowhere]}\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="x.one"):
        load_catalog(path)
