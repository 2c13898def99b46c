"""The one command line: ``safelight <command>``.

Each command group lives in its own module and registers itself on ``app``; this module only
assembles them and turns Safelight's own errors into a one-line message and an exit code
(2 for user mistakes, 1 for failed work), never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from safelight.errors import SafelightError

__all__ = ["app", "main"]

app = typer.Typer(
    name="safelight",
    help="Safelight: find the ads that need a human's eyes first, with the evidence shown.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# Command modules, each defines its commands on ``app`` when imported.
COMMAND_MODULES: tuple[str, ...] = ("synth_cmd", "ingest_cmd", "inspect_cmd", "report_cmd")

for _name in COMMAND_MODULES:
    importlib.import_module(f"safelight.cli.{_name}")


def main() -> None:
    err = Console(stderr=True)
    try:
        app(standalone_mode=False)
    except SafelightError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except FileNotFoundError as exc:
        err.print(f"[bold red]error:[/] file not found: {exc.filename}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted; re-run the same command to resume")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and friends
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise
