"""Package hygiene: sorted exports, data files parse, no database imports."""

from __future__ import annotations

import importlib
import pkgutil
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

import safelight.missing


def _isort_key(name: str) -> tuple[int, str]:
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


MODULES = ["safelight.missing"] + [
    f"safelight.missing.{m.name}" for m in pkgutil.iter_modules(safelight.missing.__path__)
]


@pytest.mark.parametrize("module_name", MODULES)
def test_all_is_sorted_and_importable(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = list(module.__all__)
    assert names == sorted(names, key=_isort_key)
    assert all(hasattr(module, n) for n in names)


def test_no_module_imports_duckdb() -> None:
    folder = Path(safelight.missing.__file__).parent
    for path in folder.glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+duckdb", path.read_text(), re.M), path


def test_data_files_parse_and_cite_sources() -> None:
    data = resources.files("safelight.missing").joinpath("data")
    descriptors = yaml.safe_load(data.joinpath("descriptors.yaml").read_text("utf-8"))
    assert all(descriptors[k]["source"] for k in ("hair", "eyes", "marks"))
    model = yaml.safe_load(data.joinpath("model.yaml").read_text("utf-8"))
    for feature in model["features"].values():
        assert feature["source"]
        levels = feature["levels"].values()
        assert sum(v["m"] for v in levels) == pytest.approx(1.0)
        assert sum(v["u"] for v in levels) == pytest.approx(1.0)
    header = data.joinpath("city_coords.csv").read_text("utf-8").splitlines()[0]
    assert header == "name,state,lat,lng,population,source"
