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

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from safelight.errors import StrictRejectError
from safelight.records import AD_SCHEMA, Ad, Reject
from safelight.store import FileProgress, Store
from safelight.versioning import package_version

if TYPE_CHECKING:
    from safelight.ingest import IngestOptions
    from safelight.link.model import LinkSettings
    from safelight.link.stage import LinkInputs
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

# ``progress(stage, done, total)``: called as a stage advances; ``total`` None when unknown.
ProgressFn = Callable[[str, int, "int | None"], None]

# Ads per stored batch (fewer, larger anti-join inserts are faster), and a cap on the text a
# batch holds so a folder of large saved pages cannot blow up memory.
INGEST_BATCH = 50_000
INGEST_BATCH_CHARS = 64 * 2**20
EXTRACT_BATCH = 5_000
# A synthetic corpus keeps its answer key beside its ads; a folder walk must never ingest it.
ANSWER_KEY_FILES = frozenset(
    {"truth.jsonl", "persons.jsonl", "networks.jsonl", "posters.csv", "posters_truth.jsonl"}
)


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


@dataclass(slots=True)
class _RecordStageSummary:
    """What a record stage (extract, score) did: ads processed by one code version."""

    ads: int = 0
    version: str = ""
    seconds: float = 0.0

    @property
    def ads_per_second(self) -> float:
        return self.ads / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class ExtractSummary(_RecordStageSummary):
    extractions: int = 0


@dataclass(slots=True)
class ScoreSummary(_RecordStageSummary):
    evidence: int = 0
    minors_stated: int = 0
    minors_likely: int = 0


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
        for path in files:
            _ingest_file(
                store, path, summary, rejects, strict, options, progress, batch_size, ingested_at
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


# -- extract -----------------------------------------------------------------------------------


def extractor_version() -> str:
    """A hash of the extractor package's code and data: changes whenever an extractor does, so
    ``safelight extract`` redoes the ads an older version extracted."""
    return package_version("safelight.extract")


def _extract(batch: pa.RecordBatch) -> tuple[pa.Array, pa.RecordBatch]:
    from safelight.extract import extract_batch

    return batch.column("ad_id"), extract_batch(batch)


def _extracted_batches(
    batches: Iterator[pa.RecordBatch], workers: int
) -> Iterator[tuple[pa.Array, pa.RecordBatch]]:
    if workers <= 1:
        yield from map(_extract, batches)
        return
    # Bounded look-ahead keeps memory flat; results come back in input order. Spawned (not
    # forked) workers: the parent holds a DuckDB connection and its threads.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        inflight: list[Future[tuple[pa.Array, pa.RecordBatch]]] = []
        for batch in batches:
            inflight.append(pool.submit(_extract, batch))
            if len(inflight) >= 2 * workers:
                yield inflight.pop(0).result()
        for future in inflight:
            yield future.result()


def run_extract(
    store: Store,
    *,
    all: bool = False,
    progress: ProgressFn | None = None,
    batch_size: int = EXTRACT_BATCH,
    workers: int = 1,
) -> ExtractSummary:
    """Extract values from the ads not yet extracted by the current extractors (``all``:
    every ad); each batch's values replace the ad's old ones in one transaction."""
    started = time.perf_counter()
    version = extractor_version()
    summary = ExtractSummary(version=version)
    total = store.count_to_extract(version=version, all=all)
    if progress is not None:
        progress("extract", 0, total)
    if total:
        batches = store.ads_to_extract(all, batch_size, version=version)
        for ad_ids, rows in _extracted_batches(batches, workers):
            store.write_extractions(ad_ids, rows, version=version)
            summary.ads += len(ad_ids)
            summary.extractions += rows.num_rows
            if progress is not None:
                progress("extract", summary.ads, total)
    summary.seconds = time.perf_counter() - started
    return summary


# -- score -------------------------------------------------------------------------------------


def run_score(
    store: Store,
    *,
    all: bool = False,
    progress: ProgressFn | None = None,
    batch_size: int = EXTRACT_BATCH,
) -> ScoreSummary:
    """Score the ads not yet scored by the current catalogue and code (``all``: every ad)."""
    from safelight.indicators.stage import score_batch, scorer_version

    started = time.perf_counter()
    version = scorer_version()
    summary = ScoreSummary(version=version)
    total = store.count_to_score(version=version, all=all)
    if progress is not None:
        progress("score", 0, total)
    if total:
        medians = store.median_hourly_prices()
        for ads, extractions in store.ads_to_score(all, batch_size, version=version):
            risk, evidence = score_batch(ads, extractions, median_hourly_price=medians)
            store.write_scores(risk, evidence, version=version)
            minors = risk.column("minor").to_pylist()
            summary.ads += risk.num_rows
            summary.evidence += evidence.num_rows
            summary.minors_stated += minors.count("stated")
            summary.minors_likely += minors.count("likely")
            if progress is not None:
                progress("score", summary.ads, total)
    summary.seconds = time.perf_counter() - started
    return summary


# -- link ------------------------------------------------------------------------------------


@dataclass(slots=True)
class LinkSummary:
    ads: int = 0  # ads the stored result covers
    new_ads: int = 0  # ads not covered by the previous result (0: nothing to do)
    edges: int = 0
    flagged: int = 0
    networks: int = 0
    linked_ads: int = 0  # ads in networks of two or more
    largest: int = 0
    kept_ids: int = 0  # networks whose id an earlier run gave them
    version: str = ""
    seconds: float = 0.0
    skipped: bool = False  # the stored result already covered every ad
    incremental: bool = False  # only the links touching new ads were computed
    limit_changed: bool = False  # the identifier limit moved: a full relink instead
    region_ads: int = 0  # incremental: ads whose network was recomputed


def read_link_inputs(store: Store, *, batch_size: int = 200_000) -> LinkInputs:
    """The link stage's inputs, read from the store in bounded batches."""
    from safelight.link.stage import LinkInputs
    from safelight.records import EXTRACTION_SCHEMA

    extractions = pa.Table.from_batches(
        list(store.link_extractions(batch_size)), schema=EXTRACTION_SCHEMA
    )
    batches = list(store.link_texts(batch_size))
    texts = pa.Table.from_batches(batches) if batches else None
    return LinkInputs(extractions, texts, store.link_context())


def run_link(
    store: Store,
    *,
    all: bool = False,
    progress: ProgressFn | None = None,
    settings: LinkSettings | None = None,
) -> LinkSummary:
    """Link the stored ads into networks when ads arrived since the last run. Incremental:
    only the links touching the new ads are computed and only the networks they change are
    renamed (``safelight.link.incremental``); ``all``, a new link-stage version or a moved
    identifier limit relink every ad. Networks keep their ids where their membership allows."""
    from safelight.link.model import LinkSettings, frequency_limit
    from safelight.link.stage import link_stage, link_version

    started = time.perf_counter()
    settings = settings or LinkSettings()
    version = link_version(settings)
    summary = LinkSummary(version=version)
    summary.new_ads = store.mark_new_link_ads(version)
    if progress is not None:
        progress("link", 0, 3)
    if not all and not summary.new_ads:
        summary.ads = store.ad_count()
        summary.skipped = True
        if progress is not None:
            progress("link", 3, 3)
        return summary
    sizes = np.asarray(store.identifier_group_sizes(settings.id_kinds), dtype=np.int64)
    id_limit = frequency_limit(sizes, settings)
    state = {"version": version, "id_limit": str(id_limit)}
    stored = store.link_state()
    incremental = (
        not all
        and stored.get("version") == version
        and store.count_linked(version) > 0
        and store.count_unsketched(version) == 0
    )
    if incremental and stored.get("id_limit") != state["id_limit"]:
        incremental, summary.limit_changed = False, True
    if incremental:
        _run_link_incremental(store, summary, settings, id_limit, state, started, progress)
        return summary
    previous = store.network_assignment()
    inputs = read_link_inputs(store)
    if progress is not None:
        progress("link", 1, 3)
    result = link_stage(inputs, previous, settings, id_limit=id_limit)
    if progress is not None:
        progress("link", 2, 3)
    ad_ids = inputs.context.column("ad_id") if inputs.context is not None else pa.array([])
    summary.seconds = time.perf_counter() - started
    store.write_links(
        edges=result.edges,
        flagged=result.flagged,
        clusters=result.clusters,
        templates=result.templates,
        networks=result.networks,
        linked=ad_ids,
        version=version,
        new_ads=summary.new_ads,
        seconds=summary.seconds,
        sketches=result.sketches,
        state=state,
    )
    ids = set(result.networks.column("network_id").to_pylist())
    summary.ads = len(ad_ids)
    summary.edges = result.edges.num_rows
    summary.flagged = result.flagged.num_rows
    summary.networks = len(ids)
    summary.linked_ads = result.networks.num_rows
    summary.largest = result.sizes[0] if result.sizes else 0
    summary.kept_ids = len(ids & set(previous.values()))
    if progress is not None:
        progress("link", 3, 3)
    return summary


def _run_link_incremental(
    store: Store,
    summary: LinkSummary,
    settings: LinkSettings,
    id_limit: int,
    state: dict[str, str],
    started: float,
    progress: ProgressFn | None,
) -> None:
    """``run_link`` when the stored result covers all but the new ads (see
    ``safelight.link.incremental`` for what is recomputed and why it equals a full run)."""
    from dataclasses import replace as _replace

    from safelight.link.identifiers import identifier_links
    from safelight.link.images import image_links
    from safelight.link.incremental import region_networks
    from safelight.link.model import EDGE_SCHEMA
    from safelight.link.stage import templates_for
    from safelight.link.text import link_sketches, sketch_texts
    from safelight.records import EXTRACTION_SCHEMA

    summary.incremental = True
    context = store.link_context()
    # text: sketch the new ads, link over every stored sketch
    new_rows = pa.Table.from_batches(list(store.new_link_extractions()), schema=EXTRACTION_SCHEMA)
    batches = list(store.link_texts(only_new=True))
    new_texts = pa.Table.from_batches(batches) if batches else None
    spans = new_rows.filter(pa.compute.is_valid(new_rows.column("start")))
    new_sketches = sketch_texts(new_texts, spans, settings) if new_texts is not None else None
    old_keys, old_sigs = store.stored_sketches()
    parts = [old_keys]
    sig_parts = [old_sigs]
    if new_sketches is not None:
        parts.append(new_sketches.select(["ad_id", "text_key", "n_shingles"]))
        sig_parts.append(new_sketches.select(["text_key", "sig"]))
    keys = pa.concat_tables(parts).sort_by("ad_id")
    tl = link_sketches(keys, settings, pa.concat_tables(sig_parts))
    del keys, old_sigs, sig_parts
    if progress is not None:
        progress("link", 1, 3)
    # identifiers: the values new ads hold; images: every stored hash
    id_rows = store.identifier_rows_of_new(settings.id_kinds)
    ids = identifier_links(id_rows, _replace(settings, max_group_ads=id_limit), context)
    images = pa.Table.from_batches(list(store.image_extractions()), schema=EXTRACTION_SCHEMA)
    img = image_links(images, settings, context)
    del images
    new_edges = pa.concat_tables([ids.edges, img.edges, tl.result.edges]).cast(EDGE_SCHEMA)
    flagged = pa.concat_tables([ids.flagged, img.flagged, tl.result.flagged])
    region, kept, touching, previous, next_seq = store.link_region(new_edges)
    networks, sizes = region_networks(kept, touching, region, previous, next_seq)
    if progress is not None:
        progress("link", 2, 3)
    clusters = tl.clusters
    region_clusters = clusters.filter(
        pa.compute.is_in(clusters.column("ad_id"), value_set=pa.array(region, pa.string()))
    )
    some = clusters.filter(
        pa.compute.is_in(
            clusters.column("cluster_id"),
            value_set=pa.compute.unique(region_clusters.column("cluster_id")),
        )
    )
    texts, rows = store.link_texts_of(some.column("ad_id").to_pylist())
    templates = templates_for(texts, rows, some, settings)
    summary.seconds = time.perf_counter() - started
    summary.edges, summary.networks = store.write_link_delta(
        flagged=flagged,
        clusters=clusters,
        templates=templates,
        networks=networks,
        sketches=new_sketches if new_sketches is not None else tl.clusters.slice(0, 0),
        version=summary.version,
        state=state,
        new_ads=summary.new_ads,
        seconds=summary.seconds,
    )
    ids_now = set(networks.column("network_id").to_pylist())
    summary.ads = store.ad_count()
    summary.flagged = store.count_link_flagged()
    summary.linked_ads = store.count_networked_ads()
    summary.largest = max(store.largest_network(), sizes[0] if sizes else 0)
    summary.kept_ids = len(ids_now & set(previous.values()))
    summary.region_ads = len(region)
    if progress is not None:
        progress("link", 3, 3)


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

    rejects = db.with_name(f"{db.stem}.poster-rejects.jsonl")
    posters = import_posters(store, paths, rejects_path=rejects, strict=strict)
    return posters, run_match(store, progress=progress)
