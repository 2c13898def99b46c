"""Parquet (``.parquet``): one ad per row, read by record batches (bounded memory).

Columns are matched like JSON keys. Timestamp columns arrive as datetimes (naive ones are read
in ``IngestOptions.timezone``), ``images`` may be a list of strings or of ``{ref, sha256}``
structs (the ``AD_SCHEMA`` shape, so exported ads re-ingest). ``Reject.line`` is the 1-based
row number (no header); records for resuming are rows numbered from 0, and whole row groups
before ``start_record`` are skipped without being read. A file pyarrow cannot open, or an empty
one, is one reject with ``line`` None; data that turns unreadable part-way ends the file with
one such reject.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from safelight.ingest.build import AdBuilder
from safelight.ingest.options import IngestOptions
from safelight.records import Ad, Reject

__all__ = ["read_parquet"]

BATCH_ROWS = 2048


def read_parquet(
    path: Path, builder: AdBuilder, options: IngestOptions, start_record: int = 0
) -> Iterator[Ad | Reject]:
    """An ``Ad`` or ``Reject`` per row from ``start_record`` on."""
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        if start_record == 0:
            yield builder.reject(None, f"unreadable Parquet file: {_short(exc)}")
        return
    meta = parquet.metadata
    if meta.num_rows == 0:
        if start_record == 0:
            yield builder.reject(None, "empty file")
        return
    groups, row = [], 0
    for index in range(meta.num_row_groups):
        rows = meta.row_group(index).num_rows
        if not groups and row + rows <= start_record:
            row += rows
            continue
        groups.append(index)
    batches = parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=groups, use_threads=False)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError, ValueError) as exc:
            yield builder.reject(None, f"unreadable Parquet data after row {row:,}: {_short(exc)}")
            return
        if row + batch.num_rows <= start_record:
            row += batch.num_rows
            continue
        if row < start_record:
            batch = batch.slice(start_record - row)
            row = start_record
        for record in batch.to_pylist():
            row += 1
            yield builder.build(record, row, _raw(record))


def _raw(record: dict[str, Any]) -> Any:
    return lambda: json.dumps(record, ensure_ascii=False, default=str)


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
