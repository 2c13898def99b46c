"""``safelight ingest | extract | stats | search | analyze``: the store's commands.

Each builds one ``Store``, runs a ``safelight.pipeline`` stage or a store method, and prints
the result as a rich table (or JSON with ``--json``). Long stages show progress bars on
stderr; an interrupted run is finished by running the same command again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from safelight.cli import app
from safelight.cli.common import DbOption, console, err_console, existing_db, existing_paths
from safelight.errors import UserError

if TYPE_CHECKING:
    from safelight.ingest import IngestOptions
    from safelight.pipeline import IngestSummary

__all__ = ["analyze", "extract", "ingest", "search", "stats"]

DEFAULT_DB = Path("safelight.duckdb")

PathsArgument = Annotated[
    list[Path], typer.Argument(help="Files or folders of ads (.jsonl, .csv, .parquet, .html).")
]
RejectsOption = Annotated[
    Path | None,
    typer.Option(
        "--rejects",
        help="Where rejected records go (JSONL, appended). [default: <db>.rejects.jsonl]",
    ),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Stop with exit code 1 at the first rejected record.")
]
ProfilesOption = Annotated[
    Path | None, typer.Option("--profiles", help="Extra folder of site profiles (YAML) for HTML.")
]
SourceOption = Annotated[
    str | None,
    typer.Option("--source", help="Source name for HTML pages whose site profile finds none."),
]
TimezoneOption = Annotated[
    str | None,
    typer.Option(
        "--timezone", help="Time zone of dates written without one, e.g. America/Chicago."
    ),
]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, help="Processes running the extractors.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class _Bars:
    """Rich progress bars on stderr, one per stage, fed by ``pipeline`` progress calls."""

    def __init__(self) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            disable=not err_console.is_terminal,
        )
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)

    def __enter__(self) -> _Bars:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()


def _ingest_options(
    profiles: Path | None, source: str | None, timezone: str | None
) -> IngestOptions | None:
    if profiles is not None and not profiles.is_dir():
        raise UserError(f"--profiles {profiles} is not a folder")
    if profiles is None and source is None and timezone is None:
        return None
    from safelight.ingest import IngestOptions

    return IngestOptions(  # an unknown --timezone is a UserError from IngestOptions
        html_source=source, timezone=timezone, profile_dirs=(profiles,) if profiles else ()
    )


def _ingest_table(summary: IngestSummary) -> Table:
    table = Table(title="ingest", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("files", f"{summary.files:,}")
    if summary.skipped_files:
        table.add_row("  already ingested", f"{summary.skipped_files:,}")
    if summary.resumed_files:
        table.add_row("  resumed", f"{summary.resumed_files:,}")
    if summary.ignored_files:
        table.add_row("  ignored (not ads)", f"{summary.ignored_files:,}")
    table.add_row("records read", f"{summary.read:,}")
    table.add_row("ads stored", f"{summary.stored:,}")
    table.add_row("duplicates skipped", f"{summary.duplicates:,}")
    table.add_row("rejected", f"{summary.rejected:,}")
    return table


def _rejects_line(summary: IngestSummary) -> str:
    if summary.rejected:
        return f"{summary.rejected:,} rejected records written to {summary.rejects_path}"
    return f"no rejected records (they would go to {summary.rejects_path})"


@app.command()
def ingest(
    paths: PathsArgument,
    db: DbOption = DEFAULT_DB,
    rejects: RejectsOption = None,
    strict: StrictOption = False,
    profiles: ProfilesOption = None,
    source: SourceOption = None,
    timezone: TimezoneOption = None,
) -> None:
    """Read ads from files or folders into the store, skipping ads already stored.

    Rejected records (no body, bad date...) are appended to a JSONL rejects file with the file,
    line and reason. Re-running the same command resumes an interrupted ingest and adds
    nothing new for files already read.

    Example:

        safelight ingest data/ads.jsonl pages/ --db cases.duckdb --timezone America/Chicago
    """
    from safelight.pipeline import default_rejects_path, ingest_paths
    from safelight.store import Store

    existing_paths(paths)
    options = _ingest_options(profiles, source, timezone)
    rejects_path = rejects or default_rejects_path(db)
    with Store(db) as store, _Bars() as bars:
        summary = ingest_paths(
            store, paths, rejects_path=rejects_path, strict=strict, options=options, progress=bars
        )
    console.print(_ingest_table(summary))
    console.print(_rejects_line(summary), highlight=False)


@app.command()
def extract(
    db: DbOption = DEFAULT_DB,
    all: Annotated[
        bool, typer.Option("--all", help="Extract every ad again, not only new ones.")
    ] = False,
    workers: WorkersOption = 1,
) -> None:
    """Find phones, emails, handles, ages, prices, places, names and emojis in the stored ads.

    Only ads not yet extracted by the current extractors are processed, so it is cheap to run
    after every ingest; --all redoes everything.

    Example:

        safelight extract --db cases.duckdb --workers 2
    """
    from safelight.pipeline import run_extract
    from safelight.store import Store

    existing_db(db)
    with Store(db) as store, _Bars() as bars:
        summary = run_extract(store, all=all, progress=bars, workers=workers)
    console.print(
        f"extracted {summary.ads:,} ads: {summary.extractions:,} values "
        f"in {summary.seconds:.1f}s ({summary.ads_per_second:,.0f} ads/s)",
        highlight=False,
    )


@app.command()
def stats(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Show what the store holds: ads per source, date range, values found per field, ads not
    yet extracted.

    Example:

        safelight stats --db cases.duckdb --json
    """
    from safelight.store import Store

    existing_db(db)
    with Store(db) as store:
        data = store.stats()
    if as_json:
        console.print_json(json.dumps(data))
        return
    table = Table(title=str(db), show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    for key in (
        "ads",
        "first_posted",
        "last_posted",
        "ads_without_date",
        "reposts",
        "extracted_ads",
        "ads_without_extraction",
        "distinct_phones",
        "distinct_emails",
        "files",
    ):
        table.add_row(key.replace("_", " "), _fmt(data[key]))
    for name, n in data["sources"].items():
        table.add_row(f"source {name}", _fmt(n))
    for name, n in data["extractions"].items():
        table.add_row(f"{name} values", f"{n:,} ({data['distinct_values'][name]:,} distinct)")
    console.print(table)


@app.command()
def search(
    db: DbOption = DEFAULT_DB,
    phone: Annotated[
        str | None, typer.Option("--phone", help="A phone number, any spelling.")
    ] = None,
    email: Annotated[str | None, typer.Option("--email", help="An email address.")] = None,
    handle: Annotated[
        str | None, typer.Option("--handle", help="A handle: name, @name or platform:name.")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Words in the title or body (any case).")
    ] = None,
    min_risk: Annotated[
        float | None,
        typer.Option("--min-risk", min=0, max=100, help="Only ads scoring at least this (0-100)."),
    ] = None,
    minor: Annotated[
        bool, typer.Option("--minor", help="Only ads flagged as a stated or likely minor.")
    ] = False,
    network: Annotated[
        str | None,
        typer.Option("--network", help="Only ads of this network (see `safelight link`)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many ads.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Find the stored ads with a phone, email, handle, text or risk; several options must all
    match. With --min-risk or --minor the highest-risk ads come first, minor flags on top.

    Phones match however they were written: "(903) 312-1887", "9033121887" and
    "+1 903 312 1887" are the same number.

    Example:

        safelight search --phone "(903) 312-1887" --db cases.duckdb

        safelight search --minor --min-risk 40 --db cases.duckdb

        safelight search --network N00000012 --db cases.duckdb
    """
    from safelight.store import Store

    existing_db(db)
    with Store(db) as store:
        found = store.search(
            phone=phone,
            email=email,
            text=text,
            handle=handle,
            limit=limit,
            min_risk=min_risk,
            minor=minor,
            network=network,
        )
    rows = found.to_pylist()
    if as_json:
        for row in rows:
            row["posted_at"] = row["posted_at"].isoformat() if row["posted_at"] else None
        console.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} ads", title_justify="left")
    if not rows:
        console.print("no ads found")
        return
    # Ids and times are kept whole (they are copied into other commands); the rest wraps.
    widths = {"ad_id": 20, "posted_at": 16}
    columns = ("ad_id", "source", "post_id", "posted_at", "title", "risk", "minor", "network")
    for name in (*columns, "matched"):
        table.add_column(name, no_wrap=name in widths, min_width=widths.get(name), overflow="fold")
    for row in rows:
        table.add_row(
            row["ad_id"],
            row["source"],
            row["post_id"] or "",
            row["posted_at"].strftime("%Y-%m-%d %H:%M") if row["posted_at"] else "",
            _snippet(row["title"] or row["body"] or ""),
            "" if row["risk"] is None else f"{row['risk']:g}",
            row["minor"] or "",
            row["network"] or "",
            row["matched"],
        )
    console.print(table)


@app.command()
def analyze(
    paths: PathsArgument,
    db: DbOption = DEFAULT_DB,
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write report.html into (created if needed).")
    ] = Path("out"),
    rejects: RejectsOption = None,
    strict: StrictOption = False,
    profiles: ProfilesOption = None,
    source: SourceOption = None,
    timezone: TimezoneOption = None,
    workers: WorkersOption = 1,
    missing: Annotated[
        list[Path] | None,
        typer.Option(
            "--missing", help="Missing-person posters (CSV/JSON) to import and match. Repeatable."
        ),
    ] = None,
) -> None:
    """Ingest, extract, score and report in one go: the quickest way from a folder of ads to
    the offline HTML report.

    Example:

        safelight analyze data/ --db cases.duckdb --out out
    """
    from safelight.pipeline import analyze as run_analyze
    from safelight.pipeline import default_rejects_path

    existing_paths(paths + (missing or []))
    options = _ingest_options(profiles, source, timezone)
    with _Bars() as bars:
        result = run_analyze(
            paths,
            db,
            out,
            rejects_path=rejects or default_rejects_path(db),
            strict=strict,
            options=options,
            progress=bars,
            workers=workers,
            missing=missing or [],
        )
    console.print(_ingest_table(result.ingest))
    console.print(_rejects_line(result.ingest), highlight=False)
    top = ", ".join(f"{place} ({n:,})" for place, n in result.top_places[:3]) or "none"
    console.print(
        f"ads: {result.stats['ads']:,}  rejects: {result.ingest.rejected:,}  "
        f"distinct phones: {result.stats['distinct_phones']:,}  top places: {top}",
        highlight=False,
    )
    console.print(
        f"triage: {result.score.minors_stated:,} ads with a stated minor, "
        f"{result.score.minors_likely:,} likely minors (leads for review)",
        highlight=False,
    )
    if result.missing is not None and result.posters is not None:
        console.print(
            f"missing persons: {result.posters.stored:,} posters stored "
            f"({result.posters.rejected:,} rejected), {result.missing.leads:,} leads "
            "(for human review)",
            highlight=False,
        )
    console.print(f"report: {result.report}", highlight=False)


def _snippet(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else str(value)
