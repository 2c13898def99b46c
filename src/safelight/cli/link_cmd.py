"""``safelight link | network | export networks | export network``: networks of linked ads.

``link`` runs the link stage (``pipeline.run_link``); ``network ID`` prints a network's
profile (``report.networks.network_profile``) as rich tables or JSON; ``export networks``
writes one CSV row per ad with its network id (an ad with no link is its own network,
``S<ad_id>``); ``export network ID`` writes a case file (JSON + the HTML page).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from safelight.cli import app
from safelight.cli.common import DbOption, console, existing_db
from safelight.cli.ingest_cmd import DEFAULT_DB, JsonOption, _Bars
from safelight.errors import UserError

__all__ = ["export_app", "export_network", "export_networks", "link", "network"]

export_app = typer.Typer(
    name="export",
    help="Export networks: every ad with its network id (CSV), or one network as a case file.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")

NetworkArgument = Annotated[
    str, typer.Argument(help="A network id (N00000012), or S<ad_id> for an ad with no link.")
]


@app.command()
def link(
    db: DbOption = DEFAULT_DB,
    all: Annotated[
        bool,
        typer.Option(
            "--all", help="Relink every ad from scratch (the same result as the incremental run)."
        ),
    ] = False,
) -> None:
    """Link the stored ads into networks: shared phones, emails and handles, reused photos and
    near-duplicate text (one template, different fillers), each link with its evidence.

    Incremental: only the ads new since the last run are sketched and looked up against what the
    store keeps. Networks keep their ids when their membership is unchanged. Values shared by
    implausibly many ads (a switchboard, a stock photo, boilerplate) are flagged and do not
    link.

    Example:

        safelight link --db cases.duckdb
    """
    from safelight.pipeline import run_link
    from safelight.store import Store

    existing_db(db)
    with Store(db) as store, _Bars() as bars:
        s = run_link(store, all=all, progress=bars)
    if s.skipped:
        console.print(f"links are up to date for all {s.ads:,} ads (use --all to redo)")
        return
    console.print(
        f"linked {s.ads:,} ads ({s.new_ads:,} new) in {s.seconds:.1f}s: {s.edges:,} links, "
        f"{s.networks:,} networks of 2+ ads holding {s.linked_ads:,} ads (largest {s.largest:,}), "
        f"{s.kept_ids:,} network ids kept from the last run, {s.flagged:,} values flagged "
        "too common to link",
        highlight=False,
    )
    if s.incremental:
        moved = "; a frequency limit moved: only the values it reaches were regrouped"
        console.print(
            f"incremental: only the new ads were sketched; {s.region_ads:,} ads' networks "
            f"recomputed{moved if s.limit_changed else ''}",
            highlight=False,
        )


def _values(rows: list[dict[str, Any]], limit: int = 12) -> str:
    shown = ", ".join(f"{r['value']} ({r['ads']})" for r in rows[:limit])
    more = f" … and {len(rows) - limit} more" if len(rows) > limit else ""
    return (shown + more) or "-"


def _print_profile(p: dict[str, Any]) -> None:
    head = Table(title=f"network {p['network_id']}", show_header=False, title_justify="left")
    head.add_column("what")
    head.add_column("value", overflow="fold")
    cad = p["cadence"]
    minors = ", ".join(f"{n} {flag}" for flag, n in p["minor_flags"].items()) or "none"
    rows = [
        ("ads", f"{p['n_ads']:,} from {p['first_posted'] or '?'} to {p['last_posted'] or '?'}"),
        ("sources", ", ".join(f"{k} ({v})" for k, v in p["sources"].items())),
        ("phones", _values(p["phones"])),
        ("emails", _values(p["emails"])),
        ("handles", _values(p["handles"])),
        ("names", _values(p["names"])),
        ("stated ages", _values(p["ages"])),
        (
            "persons (estimate)",
            f"{p['estimated_persons']} ({p['photo_clusters']} photo clusters, "
            f"{len(p['names'])} names)",
        ),
        (
            "cadence",
            f"{cad['ads_per_week'] or '-'} ads/week, median {cad['median_gap_hours'] or '-'} h "
            f"between posts, {cad['active_days']} active days",
        ),
        ("highest risk", "-" if p["max_risk"] is None else f"{p['max_risk']:g}"),
        ("minor flags", minors),
        ("indicators", ", ".join(f"{i['indicator']} ({i['ads']})" for i in p["indicators"])),
        ("links", ", ".join(f"{k} {v:,}" for k, v in p["links"].items()) or "none"),
    ]
    for k, v in rows:
        head.add_row(k, v or "-")
    console.print(head)
    if p["hints"]:
        console.print("[bold]controller hints[/bold] (leads for review)")
        for h in p["hints"]:
            console.print(f"  - {h}", highlight=False, markup=False)
    timeline = Table(title="movement timeline", title_justify="left")
    for col in ("place", "from", "to", "ads"):
        timeline.add_column(col)
    for stay in p["timeline"][:40]:
        timeline.add_row(stay["place"], stay["first"], stay["last"], str(stay["ads"]))
    console.print(timeline)
    shared = Table(title="links that explain it", title_justify="left")
    for col in ("kind", "shared value", "ads joined"):
        shared.add_column(col, overflow="fold")
    for s in p["shared"][:20]:
        shared.add_row(s["kind"], s["value"], str(s["ads"]))
    console.print(shared)
    if p["flagged"]:
        flagged = Table(title="flagged too common (not used to link)", title_justify="left")
        for col in ("kind", "value", "ads", "reason"):
            flagged.add_column(col, overflow="fold")
        for f in p["flagged"]:
            flagged.add_row(f["kind"], f["value"], str(f["n_ads"]), f["reason"])
        console.print(flagged)


@app.command()
def network(
    network_id: NetworkArgument, db: DbOption = DEFAULT_DB, as_json: JsonOption = False
) -> None:
    """Show a network's profile: ads and dates, phones, emails, handles, names and ages,
    estimated persons, the movement timeline, cadence, risk and minor flags, controller hints
    and the links that explain it.

    Example:

        safelight network N00000012 --db cases.duckdb
    """
    from safelight.report.networks import network_profile
    from safelight.store import Store

    existing_db(db)
    with Store(db) as store:
        profile = network_profile(store, network_id)
    if profile is None:
        raise UserError(f"no network {network_id} (see `safelight export networks` for ids)")
    if as_json:
        console.print_json(json.dumps(profile, ensure_ascii=False, default=str))
        return
    _print_profile(profile)


@export_app.command("networks")
def export_networks(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write one CSV row per ad: ad_id, source, post_id, network_id. Every ad appears; an ad
    with no link is its own network, with the id S<ad_id>.

    Example:

        safelight export networks --out networks.csv --db cases.duckdb
    """
    from safelight.store import Store

    existing_db(db)
    if out.is_dir():
        raise UserError(f"--out {out} is a folder; give a file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with Store(db) as store, out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ad_id", "source", "post_id", "network_id"])
        for batch in store.network_rows():
            for row in zip(*(batch.column(i).to_pylist() for i in range(4)), strict=True):
                writer.writerow(["" if v is None else v for v in row])
                n += 1
    console.print(f"wrote {n:,} ads to {out}", highlight=False)


@export_app.command("network")
def export_network(
    network_id: NetworkArgument,
    out: Annotated[Path, typer.Option("--out", help="Folder for the case file.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write a network's case file into a folder: ID.json (the profile, every ad and every
    link with its evidence) and ID.html (the self-contained page with its pictures).

    Example:

        safelight export network N00000012 --out case-12 --db cases.duckdb
    """
    from safelight.report.network_page import export_case_file
    from safelight.store import Store

    existing_db(db)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; give a folder")
    with Store(db) as store:
        json_path, html_path = export_case_file(store, network_id, out)
    console.print(f"wrote {json_path} and {html_path}", highlight=False)
