"""``safelight missing import | match | leads | export-leads | confirm | dismiss``.

Missing-person posters are compared with the stored ads; every lead is for human review. The
commands build one ``Store`` and call ``safelight.missing.run``; personal fields are printed to
the analyst's terminal only, never logged.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from safelight.cli import app
from safelight.cli.common import DbOption, console, err_console, existing_db, existing_paths
from safelight.errors import UserError

__all__ = ["missing_app"]

DEFAULT_DB = Path("safelight.duckdb")

missing_app = typer.Typer(
    name="missing",
    help="Missing-person posters compared with the ads: import, match, leads, review.",
    no_args_is_help=True,
)
app.add_typer(missing_app, name="missing")

CaseArgument = Annotated[str, typer.Argument(help="The poster's case id.")]
AdArgument = Annotated[str, typer.Argument(help="The ad id of the lead.")]
NoteOption = Annotated[str, typer.Option("--note", help="Why (kept with the decision).")]
ReviewerOption = Annotated[
    str | None, typer.Option("--reviewer", help="Who decides. [default: the OS user]")
]


_FACES_DEFAULT = "Default: on when the optional face models are installed."


@missing_app.command("import")
def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="Poster files or folders (.csv, .json, .jsonl).")
    ],
    db: DbOption = DEFAULT_DB,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects", help="Rejected posters (JSONL). [default: <db>.poster-rejects.jsonl]"
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop with exit code 1 at the first bad poster.")
    ] = False,
    faces: Annotated[
        bool | None,
        typer.Option(
            "--faces/--no-faces",
            help="Find and store the faces in poster photos (only posters' faces are "
            f"stored). {_FACES_DEFAULT}",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import missing-person posters (CSV headers: case_id, name, aliases, sex, dob,
    age_at_missing, date_missing, missing_city, missing_state, height, weight, hair, eyes,
    race, marks, photos, foster_care, agency). A case imported again replaces the old one.

    Example:

        safelight missing import posters.csv --db cases.duckdb
    """
    from safelight.missing.run import import_posters
    from safelight.store import Store

    existing_paths(paths)
    from safelight.pipeline import default_poster_rejects

    rejects_path = rejects or default_poster_rejects(db)
    with Store(db) as store:
        summary = import_posters(
            store, paths, rejects_path=rejects_path, strict=strict, faces=faces
        )
    console.print(
        f"posters: {summary.read:,} read, {summary.stored:,} stored, "
        f"{summary.rejected:,} rejected; photos: {summary.photos:,} "
        f"({summary.unreadable_photos:,} not readable), faces: {summary.faces:,}",
        highlight=False,
    )
    if summary.rejected:
        console.print(f"rejected posters written to {rejects_path}", highlight=False)


@missing_app.command()
def match(
    db: DbOption = DEFAULT_DB,
    all: Annotated[
        bool, typer.Option("--all", help="Compare everything again, not only what is new.")
    ] = False,
    expected_ads: Annotated[
        float,
        typer.Option(
            "--expected-ads", min=0.01, help="Ads a person found in the corpus appears in."
        ),
    ] = 3.0,
    faces: Annotated[
        bool | None,
        typer.Option(
            "--faces/--no-faces",
            help="Compare poster faces with the pictures of each case's best ads (in "
            f"memory; ad faces are never stored). {_FACES_DEFAULT}",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Compare new posters with every ad and old posters with new ads; keep the best leads.

    Example:

        safelight missing match --db cases.duckdb
    """
    from safelight.missing.run import run_match
    from safelight.store import Store

    existing_db(db)
    with Store(db) as store:
        s = run_match(store, all=all, expected_ads=expected_ads, faces=faces)
    console.print(
        f"match: {s.posters:,} posters ({s.posters_compared:,} compared), {s.ads:,} ads "
        f"({s.new_ads:,} new), {s.pairs:,} pairs scored after blocking "
        f"({s.rescored:,} explained in full, {s.faces_compared:,} with faces), "
        f"{s.leads:,} leads in {s.seconds:.1f}s",
        highlight=False,
    )


def _lead_table(case_id: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"leads for {case_id} (for human review)", title_justify="left")
    for name in ("rank", "probability", "ad", "posted", "network", "review", "why"):
        table.add_column(name, justify="right" if name in ("rank", "probability") else "left")
    for row in rows:
        why = "\n".join(
            f"{c['weight']:+.1f} {c['explanation']}"
            for c in row["contributions"]
            if c["level"] != "unknown"
        )
        table.add_row(
            str(row["rank"]),
            f"{row['probability']:.3f}",
            f"{row['source']} {row['post_id'] or ''}\n{row['ad_id']}",
            row["posted"] or "-",
            row["network_id"] or "-",
            row["review"] or "-",
            why,
        )
    return table


@missing_app.command()
def leads(
    case_id: CaseArgument,
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Leads shown.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The ranked leads of one poster, each feature's contribution in words.

    Example:

        safelight missing leads M00012 --db cases.duckdb
    """
    from safelight.missing.run import case_leads
    from safelight.store import Store

    existing_db(db)
    with Store(db) as store:
        rows = case_leads(store, case_id, limit)
    if as_json:
        for row in rows:
            row.pop("match_weight", None)
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        console.print(f"no leads for {case_id} (run `safelight missing match`)", highlight=False)
        return
    console.print(_lead_table(case_id, rows))


@missing_app.command("export-leads")
def export_leads(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    db: DbOption = DEFAULT_DB,
    top: Annotated[int, typer.Option("--top", min=1, help="Leads per case.")] = 50,
) -> None:
    """Write case_id, rank, ad_id, source, post_id, probability (the top 50 per case) as CSV.

    Example:

        safelight missing export-leads --out leads.csv --db cases.duckdb
    """
    from safelight.store import Store

    existing_db(db)
    if out.is_dir():
        raise UserError(f"--out {out} is a folder, not a file")
    out.parent.mkdir(parents=True, exist_ok=True)
    with Store(db) as store:
        n = store.missing.export_leads(out, top)
    err_console.print(f"wrote {n:,} leads to {out}", highlight=False)


def _review(case_id: str, ad_id: str, decision: str, note: str, reviewer: str | None, db: Path):
    from safelight.missing.run import review
    from safelight.store import Store

    existing_db(db)
    who = reviewer if reviewer is not None else getpass.getuser()
    with Store(db) as store:
        review(store, case_id, ad_id, decision, note, who)
    console.print(f"recorded: {decision} {case_id} / {ad_id} by {who}", highlight=False)


@missing_app.command()
def confirm(
    case_id: CaseArgument,
    ad_id: AdArgument,
    note: NoteOption,
    reviewer: ReviewerOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Record that a lead is the missing person (kept with who and when; never deleted)."""
    _review(case_id, ad_id, "confirm", note, reviewer, db)


@missing_app.command()
def dismiss(
    case_id: CaseArgument,
    ad_id: AdArgument,
    note: NoteOption,
    reviewer: ReviewerOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Record that a lead is not the missing person (kept with who and when; never deleted)."""
    _review(case_id, ad_id, "dismiss", note, reviewer, db)
