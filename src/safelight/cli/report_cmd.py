"""``safelight report``: write the self-contained HTML report of a store."""

from __future__ import annotations

import time
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from safelight.cli import app
from safelight.cli.common import DbOption, err_console
from safelight.errors import UserError

__all__ = ["report"]


@app.command()
def report(
    db: DbOption = Path("safelight.duckdb"),
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write report.html into (created if needed).")
    ] = Path("."),
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Ingest rejects file (JSONL) whose records to count."),
    ] = None,
    recent: Annotated[
        int,
        typer.Option(
            "--recent",
            min=0,
            help="How many of the most recent ads the table shows "
            "(ads with an age under 18 are always added).",
        ),
    ] = 2000,
    open_report: Annotated[
        bool, typer.Option("--open", help="Open the report in the default browser.")
    ] = False,
) -> None:
    """Write the offline HTML report of a store, possible minors first.

    One self-contained file (no network): counts, ads over time and per place, the phones and
    emails in the most ads, ages, and a filterable table of ads with what was found
    highlighted. Every result is a lead for human review.

    Examples:

        safelight report --db safelight.duckdb --out out

        safelight report --db safelight.duckdb --rejects out/rejects.jsonl --open
    """
    from safelight.report import ReportOptions, write_report
    from safelight.store import Store

    if not db.exists():
        raise UserError(f"no such database: {db} (run `safelight ingest` first)")
    if db.is_dir():
        raise UserError(f"--db {db} is a folder, not a database file")
    if rejects is not None and not rejects.exists():
        raise UserError(f"no such rejects file: {rejects}")
    started = time.perf_counter()
    with Store(db) as store:
        path = write_report(store, out, options=ReportOptions(recent_ads=recent, rejects=rejects))
    err_console.print(f"report written to {path} in {time.perf_counter() - started:.1f}s")
    if open_report:
        webbrowser.open(path.resolve().as_uri())
