"""The stages run one after another: ingest files into the store, extract values, report.

Each stage streams in bounded batches, so memory does not grow with the input, and commits
each batch together with how far it got, so an interrupted run is finished by running the same
command again:

- ``ingest_paths``: reads each file with ``safelight.ingest.iter_file``, stores ads in batches
  (duplicates by ``ad_id`` skipped), appends every rejected record to a JSONL rejects file and
  records per-file progress in the same transaction as the batch. A finished file is skipped.
- ``run_extract``: runs ``safelight.extract.extract_batch`` over the ads not yet extracted by
  the current extractor version (a hash of the extractor code and data), optionally in a pool
  of worker processes.
- ``run_score``: runs ``safelight.indicators.stage.score_batch`` over the ads not yet scored
  by the current scorer version (catalogue + code); re-extracting an ad drops its old score.
- ``run_link``: links the ads into networks (``safelight.link``) when ads arrived since the
  last link run; networks keep their ids across runs.
- ``analyze``: ingest, extract, score, link, then ``safelight.report.write_report``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safelight.pipeline.common import ProgressFn
from safelight.pipeline.ingest import (
    IngestSummary,
    ads_to_table,
    default_poster_rejects,
    default_rejects_path,
    ingest_paths,
    input_files,
)
from safelight.pipeline.link import LinkSummary, read_link_inputs, run_link
from safelight.pipeline.record_stages import (
    ExtractSummary,
    ScoreSummary,
    extractor_version,
    run_extract,
    run_score,
)
from safelight.store import Store

if TYPE_CHECKING:
    from safelight.ingest import IngestOptions
    from safelight.missing.run import ImportSummary as PosterImport
    from safelight.missing.run import MatchSummary as MissingMatch

__all__ = [
    "AnalyzeSummary",
    "ExtractSummary",
    "IngestSummary",
    "LinkSummary",
    "ProgressFn",
    "ScoreSummary",
    "ads_to_table",
    "analyze",
    "default_poster_rejects",
    "default_rejects_path",
    "extractor_version",
    "ingest_paths",
    "input_files",
    "read_link_inputs",
    "run_extract",
    "run_link",
    "run_score",
    "top_places",
]


@dataclass(slots=True)
class AnalyzeSummary:
    ingest: IngestSummary
    extract: ExtractSummary
    score: ScoreSummary
    report: Path
    stats: dict[str, Any] = field(default_factory=dict)
    top_places: list[tuple[str, int]] = field(default_factory=list)
    link: LinkSummary | None = None
    posters: PosterImport | None = None  # analyze --missing: the poster import
    missing: MissingMatch | None = None  # and the match


# -- analyze -----------------------------------------------------------------------------------


def top_places(store: Store, n: int = 5) -> list[tuple[str, int]]:
    """The places in the most ads, counted as the report counts them (extracted places, not
    area codes; an ad with none falls back to its location field)."""
    from safelight.report.queries import run

    return [(row["place"], row["ads"]) for row in run(store, "ads_per_place", [n])]


def analyze(
    paths: Sequence[Path],
    db: Path,
    out_dir: Path,
    *,
    rejects_path: Path | None = None,
    strict: bool = False,
    options: IngestOptions | None = None,
    progress: ProgressFn | None = None,
    workers: int = 1,
    missing: Sequence[Path] = (),
) -> AnalyzeSummary:
    """Ingest ``paths`` into ``db``, extract, score, link, and write ``out_dir/report.html``.

    ``missing``: poster files imported (rejects beside the database) and matched with the ads
    as the last stage before the report."""
    from safelight.report import write_report

    if rejects_path is None:
        rejects_path = default_rejects_path(db)
    with Store(db) as store:
        ingested = ingest_paths(
            store,
            paths,
            rejects_path=rejects_path,
            strict=strict,
            options=options,
            progress=progress,
        )
        extracted = run_extract(store, progress=progress, workers=workers)
        scored = run_score(store, progress=progress)
        linked = run_link(store, progress=progress)
        posters, matched = _run_missing(store, db, missing, strict, progress)
        if progress is not None:
            progress("report", 0, 1)
        report = write_report(store, out_dir)
        if progress is not None:
            progress("report", 1, 1)
        return AnalyzeSummary(
            ingested,
            extracted,
            scored,
            report,
            store.stats(),
            top_places(store),
            linked,
            posters,
            matched,
        )


def _run_missing(
    store: Store, db: Path, paths: Sequence[Path], strict: bool, progress: ProgressFn | None
) -> tuple[PosterImport | None, MissingMatch | None]:
    """``analyze --missing``: import the posters, then match them with the ads."""
    if not paths:
        return None, None
    from safelight.missing.run import import_posters, run_match

    rejects = default_poster_rejects(db)
    posters = import_posters(store, paths, rejects_path=rejects, strict=strict)
    return posters, run_match(store, progress=progress)
