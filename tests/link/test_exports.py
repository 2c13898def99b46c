from __future__ import annotations

import ast
from pathlib import Path

import pytest

import safelight.link as link
from safelight.link import SETTINGS, LinkSettings

SRC = Path(link.__file__).parent


def test_all_is_sorted_and_complete() -> None:
    assert list(link.__all__) == sorted(link.__all__)
    assert all(hasattr(link, name) for name in link.__all__)


def test_every_setting_has_help_and_from_dict_checks_names() -> None:
    assert SETTINGS and all(s.help.strip() for s in SETTINGS)
    assert LinkSettings.from_dict({"image_radius": 4}).image_radius == 4
    with pytest.raises(ValueError, match="nope"):
        LinkSettings.from_dict({"nope": 1})


def test_link_does_not_import_duckdb() -> None:
    for path in SRC.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not any(n.split(".")[0] == "duckdb" for n in names), path
