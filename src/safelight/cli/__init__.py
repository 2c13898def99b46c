"""The one command line: ``safelight <command>``.

Each command group lives in its own module and registers itself on ``app``; this module only
assembles them. ``SafelightGroup.main`` turns errors into one line on stderr and an exit code a
script can rely on — 2 for user mistakes (missing file, bad option), 1 for failed work — never a
traceback. It sits in the click group so the test runner sees exactly what a user sees.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer import _click as click
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort

from safelight.errors import SafelightError

__all__ = ["app", "main"]


class SafelightGroup(TyperGroup):
    def main(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except SafelightError as exc:
            _fail(str(exc), exc.exit_code)
        except FileNotFoundError as exc:
            _fail(f"no such file: {exc.filename}", 2)
        except NoArgsIsHelpError as exc:
            click.echo(exc.format_message())
            sys.exit(0)
        except UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _fail(f"{exc.format_message()}{hint}", 2)
        except ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except Abort:
            _fail("aborted; re-run the same command to resume", 130)
        except KeyboardInterrupt:
            _fail("interrupted; re-run the same command to resume", 130)
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


app = typer.Typer(
    name="safelight",
    cls=SafelightGroup,
    help="Safelight: find the ads that need a human's eyes first, with the evidence shown.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        from safelight import __version__

        typer.echo(f"safelight {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Safelight: find the ads that need a human's eyes first, with the evidence shown.

    Start with `safelight analyze FOLDER` (ingest, extract, report); `safelight COMMAND --help`
    explains each command.
    """


# Command modules; each defines its commands on ``app`` when imported.
COMMAND_MODULES: tuple[str, ...] = (
    "synth_cmd",
    "ingest_cmd",
    "score_cmd",
    "inspect_cmd",
    "report_cmd",
    "missing_cmd",
    "link_cmd",
)


def _load_commands() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(f"safelight.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"safelight.cli.{name}":
                raise


_load_commands()


def main() -> None:
    app()
