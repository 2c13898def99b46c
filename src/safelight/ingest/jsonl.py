"""JSON Lines (``.jsonl``, ``.ndjson``, ``.json``; also ``.gz``): one JSON object per line.

Streams line by line in bounded memory. A *record* is a non-blank line; records are numbered
from 0 for resuming, and ``Reject.line`` is the 1-based file line. Blank lines are skipped (and
are not records). Per line: bytes that are not UTF-8 are repaired as Windows-1252
(``textio``); a line that is still binary junk, is not JSON, is not a JSON object, or is longer
than ``IngestOptions.max_record_bytes`` is a reject. JSON strings may hold raw control
characters (``strict=False``): the cleaner removes them. A ``.json`` file that is one JSON
array rather than lines is refused as a whole (convert it: ``jq -c '.[]'``), as is an empty file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from safelight.ingest.build import AdBuilder
from safelight.ingest.normalise import is_binary
from safelight.ingest.options import IngestOptions
from safelight.ingest.textio import OversizeLine, decode_line, iter_lines
from safelight.records import Ad, Reject

__all__ = ["read_jsonl"]

_decode = json.JSONDecoder(strict=False).decode


def read_jsonl(
    path: Path, builder: AdBuilder, options: IngestOptions, start_record: int = 0
) -> Iterator[Ad | Reject]:
    """An ``Ad`` or ``Reject`` per record from ``start_record`` on."""
    record = -1
    for number, line in iter_lines(path, options.max_record_bytes):
        if isinstance(line, OversizeLine):
            record += 1
            if record >= start_record:
                limit = options.max_record_bytes
                yield builder.reject(
                    number, f"line too long: {line.size:,} bytes (limit {limit:,})"
                )
            continue
        if line.isspace():
            continue
        record += 1
        if record < start_record:
            continue
        text = decode_line(line).strip()
        if is_binary(text):
            yield builder.reject(number, "binary data, not text", raw=text)
            continue
        try:
            obj: Any = _decode(text)
        except ValueError as exc:
            if record == 0 and text.startswith("["):
                yield builder.reject(
                    None, "a JSON array, not one JSON object per line (JSONL)", raw=text
                )
                return
            yield builder.reject(number, f"invalid JSON: {exc}", raw=text)
            continue
        if not isinstance(obj, dict):
            kind = "array" if isinstance(obj, list) else type(obj).__name__
            yield builder.reject(number, f"expected a JSON object, got {kind}", raw=text)
            continue
        yield builder.build(obj, number, text)
    if record < 0 and start_record == 0:
        yield builder.reject(None, "empty file")
