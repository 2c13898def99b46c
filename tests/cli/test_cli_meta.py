"""Every command is reachable, documented, and answers --help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from safelight.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def command_names() -> list[str]:
    return sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_foundation_commands_exist() -> None:
    expected = {"synth", "ingest", "extract", "inspect", "stats", "search", "analyze", "report"}
    assert expected <= set(command_names())


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    assert command.help and len(command.help.strip()) > 20, f"{name} needs a real --help text"


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_in_the_readme(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"safelight {name}\b", readme), f"README does not show `safelight {name}`"
