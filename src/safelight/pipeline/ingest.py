"""Ingest stage runner: files into the store, rejects to a file, progress committed per batch."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa

from safelight.collector import collector_paused
from safelight.errors import StrictRejectError
from safelight.records import AD_SCHEMA, Ad, Reject
from safelight.store import FileProgress, Store

if TYPE_CHECKING:
    from safelight.ingest import IngestOptions

from safelight.pipeline.common import (
    ANSWER_KEY_FILES,
    INGEST_BATCH,
    INGEST_BATCH_CHARS,
    ProgressFn,
)

__all__ = [
    "IngestSummary",
    "ads_to_table",
    "default_poster_rejects",
    "default_rejects_path",
    "ingest_paths",
    "input_files",
]


@dataclass(slots=True)
class IngestSummary:
    """Counts for one ingest run: ``read == stored + duplicates + rejected``. Records of files
    already finished by an earlier run count as read and duplicate (their rejects were reported
    then)."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    files: int = 0
    skipped_files: int = 0
    resumed_files: int = 0
    ignored_files: int = 0  # no reader for their extension (images, notes...)
    rejects_path: Path | None = None
    seconds: float = 0.0


def default_poster_rejects(db: Path) -> Path:
    """``<db stem>.poster-rejects.jsonl`` next to the database: rejected missing-person posters."""
    return db.with_name(f"{db.stem}.poster-rejects.jsonl")


def default_rejects_path(db: Path) -> Path:
    """``<db stem>.rejects.jsonl`` next to the database."""
    return db.with_name(f"{db.stem}.rejects.jsonl")


# -- ingest ------------------------------------------------------------------------------------


def input_files(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """``(files to read, files ignored)``: ``safelight.ingest.find_inputs`` per path, with a
    synthetic corpus's answer key left out of folder walks (files named on their own are read)."""
    from safelight.ingest import find_inputs

    files: list[Path] = []
    ignored: list[Path] = []
    for path in paths:
        found = find_inputs([path])
        walked = path.is_dir()
        files += [f for f in found.files if not (walked and f.name in ANSWER_KEY_FILES)]
        ignored += found.skipped
    return list(dict.fromkeys(files)), ignored


def ads_to_table(ads: Sequence[Ad], ingested_at: datetime | None = None) -> pa.Table:
    """Ads as an ``AD_SCHEMA`` table; ``ingested_at`` fills ads that carry none."""
    rows = [ad.to_row() for ad in ads]
    columns: dict[str, list[Any]] = {name: [r[name] for r in rows] for name in AD_SCHEMA.names}
    if ingested_at is not None:
        columns["ingested_at"] = [v or ingested_at for v in columns["ingested_at"]]
    return pa.Table.from_pydict(columns, schema=AD_SCHEMA)


class _Rejects:
    """The rejects file, opened for appending on the first reject."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def write(self, rejects: Iterable[Reject]) -> None:
        if self.path is None:
            return
        lines = [json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in rejects]
        if not lines:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.writelines(lines)
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def ingest_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    rejects_path: Path | None = None,
    strict: bool = False,
    options: IngestOptions | None = None,
    progress: ProgressFn | None = None,
    batch_size: int = INGEST_BATCH,
) -> IngestSummary:
    """Read ``paths`` (files or folders) into ``store``; see the module docstring.

    ``strict``: the first rejected record stops the run with ``StrictRejectError`` (the ads
    before it are kept; a re-run after fixing the file resumes at that record)."""
    started = time.perf_counter()
    summary = IngestSummary(rejects_path=rejects_path)
    rejects = _Rejects(rejects_path)
    ingested_at = datetime.now(UTC)
    if options is None or options.ingested_at is None:
        from safelight.ingest import IngestOptions

        options = replace(options or IngestOptions(), ingested_at=ingested_at)
    files, ignored = input_files(paths)
    summary.ignored_files = len(ignored)
    try:
        with collector_paused():
            for path in files:
                _ingest_file(
                    store,
                    path,
                    summary,
                    rejects,
                    strict,
                    options,
                    progress,
                    batch_size,
                    ingested_at,
                )
    finally:
        rejects.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _ingest_file(
    store: Store,
    path: Path,
    summary: IngestSummary,
    rejects: _Rejects,
    strict: bool,
    options: IngestOptions | None,
    progress: ProgressFn | None,
    batch_size: int,
    ingested_at: datetime,
) -> None:
    from safelight.ingest import file_fingerprint, iter_file

    summary.files += 1
    fingerprint = file_fingerprint(path)
    state = store.file_progress(fingerprint) or FileProgress(fingerprint, str(path))
    if state.finished:
        summary.skipped_files += 1
        summary.read += state.ads_read
        summary.duplicates += state.ads_read
        _report(progress, summary)
        return
    if state.records_done:
        summary.resumed_files += 1
    record_no = state.records_done
    ads: list[Ad] = []
    pending: list[Reject] = []
    chars = 0

    def commit(finished: bool) -> None:
        nonlocal state, ads, pending, chars
        rejects.write(pending)
        table = ads_to_table(ads, ingested_at)
        state = FileProgress(
            fingerprint,
            str(path),
            records_done=record_no,
            ads_read=state.ads_read + len(ads),
            ads_stored=state.ads_stored,
            rejected=state.rejected + len(pending),
            finished=finished,
        )
        inserted = store.add_ads(table, progress=state)
        state = replace(state, ads_stored=state.ads_stored + inserted)
        summary.read += len(ads) + len(pending)
        summary.stored += inserted
        summary.duplicates += len(ads) - inserted
        summary.rejected += len(pending)
        ads, pending, chars = [], [], 0
        _report(progress, summary)

    for item in iter_file(path, start_record=record_no, options=options):
        if isinstance(item, Reject):
            if strict:
                commit(finished=False)
                rejects.write([item])
                summary.read += 1
                summary.rejected += 1
                raise StrictRejectError(
                    f"{item.message()} (--strict: stopped there; the {summary.stored:,} ads "
                    "before it are stored)"
                )
            pending.append(item)
        else:
            ads.append(item)
            chars += len(item.body) + len(item.raw_html or "") + len(item.raw_body or "")
        record_no += 1
        if len(ads) >= batch_size or len(pending) >= batch_size or chars >= INGEST_BATCH_CHARS:
            commit(finished=False)
        elif progress is not None and not record_no % 2048:
            progress("ingest", summary.read + len(ads) + len(pending), None)
    commit(finished=True)


def _report(progress: ProgressFn | None, summary: IngestSummary) -> None:
    if progress is not None:
        progress("ingest", summary.read, None)
