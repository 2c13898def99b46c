"""``safelight score``: the risk score and minor flag of every stored ad, with evidence."""

from __future__ import annotations

from typing import Annotated

import typer

from safelight.cli import app
from safelight.cli.common import DbOption, console, existing_db
from safelight.cli.ingest_cmd import DEFAULT_DB, _Bars

__all__ = ["score"]


@app.command()
def score(
    db: DbOption = DEFAULT_DB,
    all: Annotated[
        bool, typer.Option("--all", help="Score every ad again, not only new or changed ones.")
    ] = False,
) -> None:
    """Score the stored ads for trafficking indicators (0-100) and flag possible minors.

    Only ads not yet scored by the current indicator catalogue are processed; re-extracted ads
    are rescored. Every score is the sum of its listed evidence (see docs/scoring.md) and is a
    lead for human review, never a finding.

    Example:

        safelight score --db cases.duckdb
    """
    from safelight.pipeline import run_score
    from safelight.store import Store

    existing_db(db)
    with Store(db) as store, _Bars() as bars:
        summary = run_score(store, all=all, progress=bars)
    console.print(
        f"scored {summary.ads:,} ads ({summary.ads_per_second:,.0f} ads/s): "
        f"{summary.minors_stated:,} stated minors, {summary.minors_likely:,} likely minors, "
        f"{summary.evidence:,} pieces of evidence",
        highlight=False,
    )
