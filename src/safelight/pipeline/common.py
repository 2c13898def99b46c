"""What the stage runners share: the progress callback and the batch sizes."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["ANSWER_KEY_FILES", "EXTRACT_BATCH", "INGEST_BATCH", "INGEST_BATCH_CHARS", "ProgressFn"]

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
