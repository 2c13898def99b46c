"""Record-stage runners: extraction and scoring over the ads a code version has not seen."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import TYPE_CHECKING

import pyarrow as pa

from safelight.store import Store
from safelight.versioning import package_version

if TYPE_CHECKING:
    pass

from safelight.pipeline.common import (
    EXTRACT_BATCH,
    ProgressFn,
)

__all__ = ["ExtractSummary", "ScoreSummary", "extractor_version", "run_extract", "run_score"]


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


# Scoring batches are larger: each one probes the scratch table of rule fields once.
SCORE_BATCH = 20_000


def run_score(
    store: Store,
    *,
    all: bool = False,
    progress: ProgressFn | None = None,
    batch_size: int = SCORE_BATCH,
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
