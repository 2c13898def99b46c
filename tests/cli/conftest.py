"""Run the CLI through its real entry point, as a user's shell does."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from safelight.cli import main


@pytest.fixture
def run(monkeypatch, capsys) -> Callable[..., tuple[int, str, str]]:
    """``run("ingest", "x.jsonl")`` -> ``(exit code, stdout, stderr)``."""

    def invoke(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["safelight", *args])
        monkeypatch.setenv("COLUMNS", "200")
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke
