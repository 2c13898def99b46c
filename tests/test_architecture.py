"""The dependency rules and house conventions of docs/dev-contracts.md, checked."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
import yaml

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "safelight"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_store_imports_duckdb(path: Path) -> None:
    if path.relative_to(PACKAGE).parts[0] == "store":
        return
    assert not any(n == "duckdb" or n.startswith("duckdb.") for n in imports_of(path))


def test_records_is_the_bottom_of_the_graph() -> None:
    assert not any(n.startswith("safelight") for n in imports_of(PACKAGE / "records.py"))


def _isort_key(name: str) -> tuple[int, str]:
    """ruff RUF022 order: CONSTANTS, then Classes, then functions, each alphabetical."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


PACKAGES = sorted(
    ".".join(("safelight", *p.parent.relative_to(PACKAGE).parts))
    for p in PACKAGE.rglob("__init__.py")
    if "data" not in p.parts and "profiles" not in p.parts
)


@pytest.mark.parametrize("name", PACKAGES)
def test_public_names_are_sorted_and_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None:
        return
    names = list(exported)
    assert names in (sorted(names), sorted(names, key=_isort_key)), f"{name}.__all__ unsorted"
    for attr in exported:
        assert hasattr(module, attr), f"{name}.__all__ names a missing '{attr}'"


DATA_FILES = sorted(PACKAGE.rglob("*.yaml")) + sorted(PACKAGE.rglob("*.yml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_data_file_parses_and_says_where_it_comes_from(path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc is not None
    assert "source" in path.read_text(encoding="utf-8"), f"{path.name} names no source"
