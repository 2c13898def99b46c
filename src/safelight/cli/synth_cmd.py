"""``safelight synth``: write a synthetic corpus of classified ads with its ground truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from safelight.cli import app
from safelight.cli.common import err_console
from safelight.errors import UserError

__all__ = ["parse_noise", "synth"]

NOISE_LEVELS = {"none": 0.0, "low": 0.1, "medium": 0.3, "high": 0.7, "max": 1.0}


def parse_noise(level: str) -> float:
    """``low``/``medium``/``high`` (also ``none``, ``max``) or a number from 0 to 1."""
    key = level.strip().lower()
    if key in NOISE_LEVELS:
        return NOISE_LEVELS[key]
    try:
        value = float(key)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        names = ", ".join(NOISE_LEVELS)
        raise UserError(f"--noise must be one of {names} or a number from 0 to 1, not {level!r}")
    return value


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the corpus into.")],
    ads: Annotated[int, typer.Option("--ads", min=1, help="Number of ads to write.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same files.")] = 0,
    images: Annotated[
        bool, typer.Option("--images/--no-images", help="Draw small JPEG photos for the ads.")
    ] = True,
    html_pages: Annotated[
        int, typer.Option("--html-pages", min=0, help="Ads also saved as classic HTML pages.")
    ] = 5,
    minor_rate: Annotated[
        float,
        typer.Option("--minor-rate", min=0.0, max=1.0, help="Share of persons who are minors."),
    ] = 0.05,
    network_rate: Annotated[
        float,
        typer.Option(
            "--network-rate", min=0.0, max=1.0, help="Share of persons in organised networks."
        ),
    ] = 0.3,
    noise: Annotated[
        str,
        typer.Option("--noise", help="Obfuscation and typos: low, medium, high or 0..1."),
    ] = "medium",
    start: Annotated[
        str, typer.Option("--start", help="First day of the posting period (YYYY-MM-DD).")
    ] = "2024-01-01",
    days: Annotated[
        float, typer.Option("--days", min=1.0, help="Length of the posting period in days.")
    ] = 90.0,
    bad_records: Annotated[
        int,
        typer.Option("--bad-records", min=0, help="Also write bad.jsonl with K malformed records."),
    ] = 0,
    posters: Annotated[
        int,
        typer.Option(
            "--posters",
            min=0,
            help="Also write posters.csv with K missing-person posters (and posters_truth.jsonl).",
        ),
    ] = 0,
) -> None:
    """Write a synthetic corpus: a population of persons (some minors) and networks posting
    classified ads over time, with obfuscated contacts, reused photos and ground truth.

    Writes OUT/ads.jsonl (ingest columns), OUT/truth.jsonl (who is behind each ad),
    OUT/persons.jsonl, OUT/networks.jsonl, OUT/images/ and OUT/pages/; with --posters also
    OUT/posters.csv, OUT/posters/ and OUT/posters_truth.jsonl. Only synthetic data.

    Examples:

        safelight synth --ads 3000 --seed 7 --out out/demo-data

        safelight synth --ads 1000000 --no-images --noise high --out out/big
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from safelight.synth import SynthOptions, generate

    level = parse_noise(noise)
    try:
        first_day = date.fromisoformat(start)
    except ValueError:
        raise UserError(f"--start must be a date like 2024-01-01, not {start!r}") from None
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file, not a folder")
    options = SynthOptions(
        out=out,
        ads=ads,
        seed=seed,
        images=images,
        html_pages=html_pages,
        minor_rate=minor_rate,
        network_rate=network_rate,
        noise=level,
        start=first_day,
        days=days,
        bad_records=bad_records,
    )
    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("writing ads", total=ads)
        summary = generate(options, lambda n: progress.update(task, completed=n))
    err_console.print(
        f"wrote {summary.ads} ads ({summary.network_ads} by {summary.networks} networks, "
        f"{summary.minor_ads} of {summary.minors} minors) from {summary.persons} persons, "
        f"{summary.images} images, {summary.pages} pages to {out} in {summary.seconds:.1f}s"
    )
    if posters:
        from safelight.synth.posters import write_posters

        made = write_posters(out, posters, seed)
        err_console.print(
            f"wrote {made.posters} missing-person posters ({made.in_ads} of persons in ads, "
            f"{made.minors} minors, {made.photos} with a photo) to {out / 'posters.csv'}"
        )
