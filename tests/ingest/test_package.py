"""The package exports its public names in a sorted ``__all__``."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import safelight.ingest


def _isort_key(name: str) -> tuple[int, str]:
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


MODULES = ["safelight.ingest"] + [
    f"safelight.ingest.{m.name}"
    for m in pkgutil.iter_modules(safelight.ingest.__path__)
    if m.name != "profiles"
]


@pytest.mark.parametrize("module_name", MODULES)
def test_all_is_sorted_and_importable(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = list(module.__all__)
    assert names == sorted(names, key=_isort_key)
    for name in names:
        assert hasattr(module, name), f"{module_name} exports missing {name}"


def test_entry_points_are_reexported() -> None:
    for name in ("iter_records", "iter_file", "file_fingerprint", "IngestOptions"):
        assert name in safelight.ingest.__all__
