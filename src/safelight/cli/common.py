"""Options and helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["DbOption", "console", "err_console", "existing_db", "existing_paths"]

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", help="DuckDB store file (created when missing).", envvar="SAFELIGHT_DB"),
]


def existing_paths(paths: list[Path]) -> list[Path]:
    """Fail with a one-line user error (exit 2) when an input path does not exist."""
    from safelight.errors import UserError

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    return paths


def existing_db(db: Path) -> None:
    """Fail with a one-line user error (exit 2) when the store file does not exist."""
    from safelight.errors import UserError

    if not db.exists():
        raise UserError(f"no such database: {db} (run `safelight ingest` first)")
