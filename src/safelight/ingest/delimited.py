"""CSV and TSV (``.csv``, ``.tsv``; also ``.gz``): a header row, then one ad per row.

- The header names the columns (matched like JSON keys: case-insensitive, with aliases). A
  file whose first row names no known column is refused as a whole (it has no header).
- The delimiter of a ``.csv`` is whichever of ``, ; | TAB`` splits the header into the most
  columns; ``.tsv`` is tab. Quoting follows RFC 4180 (fields may span lines).
- ``images`` holds references separated by ``;``. Empty cells are absent values.
- ``Reject.line`` is the **file line where the record starts** (the header is line 1, so the
  first data row of a simple file is line 2) — it is what an editor shows. Records (for
  resuming) are the data rows numbered from 0; blank rows are skipped and are not records.
- A row with more cells than the header, a malformed row and a row longer than
  ``IngestOptions.max_record_bytes`` are rejects; missing trailing cells are absent values.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from safelight.ingest.build import AdBuilder
from safelight.ingest.columns import CANONICAL, canonical_key
from safelight.ingest.options import IngestOptions
from safelight.ingest.textio import open_text
from safelight.records import Ad, Reject

__all__ = ["read_delimited", "sniff_delimiter"]

_CANDIDATES = (",", ";", "\t", "|")


def sniff_delimiter(header_line: str) -> str:
    """The candidate delimiter that splits the header line into the most fields."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d), [])) for d in _CANDIDATES}
    best = max(_CANDIDATES, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def read_delimited(
    path: Path, builder: AdBuilder, options: IngestOptions, start_record: int = 0
) -> Iterator[Ad | Reject]:
    """An ``Ad`` or ``Reject`` per data row from ``start_record`` on."""
    if csv.field_size_limit() < options.max_record_bytes:
        csv.field_size_limit(options.max_record_bytes)
    with open_text(path) as stream:
        first = stream.readline()
        if not first.strip():
            if start_record == 0:
                yield builder.reject(None, "empty file")
            return
        is_tsv = path.name.lower().removesuffix(".gz").endswith(".tsv")
        delimiter = "\t" if is_tsv else sniff_delimiter(first.rstrip("\r\n"))
        reader = csv.reader(itertools.chain([first], stream), delimiter=delimiter)
        header = [h.strip() for h in next(reader)]
        if not any(canonical_key(h) for h in header):
            if start_record == 0:
                known = ", ".join(CANONICAL)
                yield builder.reject(
                    None, f"no header row: no column is named like {known}", raw=first.strip()
                )
            return
        yield from _rows(reader, header, delimiter, builder, options, start_record)


def _rows(
    reader: Iterator[list[str]],
    header: list[str],
    delimiter: str,
    builder: AdBuilder,
    options: IngestOptions,
    start_record: int,
) -> Iterator[Ad | Reject]:
    line_num = reader.line_num  # type: ignore[attr-defined]
    record = -1
    while True:
        start_line = line_num + 1
        try:
            row = next(reader)
            error = None
        except StopIteration:
            return
        except csv.Error as exc:
            row, error = [], f"malformed CSV: {exc}"
        if reader.line_num == line_num and error:  # type: ignore[attr-defined]
            return  # no progress: the reader cannot go on
        line_num = reader.line_num  # type: ignore[attr-defined]
        if error is None and not any(cell.strip() for cell in row):
            continue
        record += 1
        if record < start_record:
            continue
        if error is not None:
            yield builder.reject(start_line, error)
            continue
        raw = delimiter.join(row)
        if len(row) > len(header):
            reason = f"{len(row)} cells but the header has {len(header)} columns"
            yield builder.reject(start_line, reason, raw=raw)
        elif len(raw) > options.max_record_bytes:
            limit = options.max_record_bytes
            yield builder.reject(start_line, f"row too long (limit {limit:,})", raw=raw[:2000])
        else:
            yield builder.build(dict(zip(header, row, strict=False)), start_line, raw)
