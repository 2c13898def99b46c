"""Files and folders in, ``Ad``/``Reject`` out: the ingest entry points.

- ``find_inputs(paths)`` lists the files to read: a folder is walked recursively in sorted
  order (hidden files and folders — names starting with ``.`` — are skipped); files whose
  extension no reader knows are returned separately in ``InputFiles.skipped`` and produce
  nothing else (no reject: they are not ads, and a caller may report their count).
- ``iter_file(path, start_record=0)`` reads one file. Every record yields **exactly one** item
  (an ``Ad`` or a ``Reject``), so a caller that has committed N items resumes with
  ``start_record=N``; the records before it are skipped without being parsed. A file that
  cannot be read (permissions, a broken ``.gz``) ends with one ``Reject`` with ``line`` None.
- ``iter_records(paths)`` chains ``iter_file`` over ``find_inputs(paths).files``.
- ``file_fingerprint(path)`` identifies a file's content for resumable ingest.

Readers by extension (a trailing ``.gz`` is decompressed on the fly for the line formats):
``READERS``.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from safelight.errors import UserError
from safelight.ingest.build import AdBuilder
from safelight.ingest.delimited import read_delimited
from safelight.ingest.jsonl import read_jsonl
from safelight.ingest.options import IngestOptions
from safelight.ingest.pages import read_page
from safelight.ingest.parquet import read_parquet
from safelight.records import Ad, Reject

__all__ = [
    "READERS",
    "InputFiles",
    "file_fingerprint",
    "find_inputs",
    "iter_file",
    "iter_records",
    "reader_for",
]

Reader = Callable[[Path, AdBuilder, IngestOptions, int], Iterator[Ad | Reject]]

READERS: dict[str, Reader] = {
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".ndjson.gz": read_jsonl,
    ".csv": read_delimited,
    ".tsv": read_delimited,
    ".csv.gz": read_delimited,
    ".tsv.gz": read_delimited,
    ".parquet": read_parquet,
    ".html": read_page,
    ".htm": read_page,
}

_SUFFIXES = sorted(READERS, key=len, reverse=True)
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class InputFiles:
    """What ``find_inputs`` found: files to read (in order) and files no reader knows."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def reader_for(path: Path) -> Reader | None:
    """The reader for ``path``'s extension (case-insensitive), or ``None``."""
    name = path.name.lower()
    return next((READERS[s] for s in _SUFFIXES if name.endswith(s)), None)


def find_inputs(paths: Iterable[Path]) -> InputFiles:
    """The readable files under ``paths``; ``UserError`` for a path that does not exist."""
    found = InputFiles()
    for path in map(Path, paths):
        if path.is_dir():
            for file in _walk(path):
                (found.files if reader_for(file) else found.skipped).append(file)
        elif path.is_file():
            (found.files if reader_for(path) else found.skipped).append(path)
        else:
            raise UserError(f"no such file or folder: {path}")
    return found


def _walk(folder: Path) -> Iterator[Path]:
    entries = sorted(os.scandir(folder), key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def iter_file(
    path: Path, start_record: int = 0, *, options: IngestOptions | None = None
) -> Iterator[Ad | Reject]:
    """One ``Ad`` or ``Reject`` per record of ``path``, from record ``start_record`` on."""
    path = Path(path)
    options = options or IngestOptions()
    reader = reader_for(path)
    if reader is None:
        raise UserError(f"no reader for this kind of file: {path}")
    name = os.path.abspath(path)
    stamp = options.ingested_at or datetime.now(UTC)
    builder = AdBuilder(name, os.path.dirname(name), options, stamp)
    try:
        yield from reader(path, builder, options, start_record)
    except (OSError, EOFError, zlib.error) as exc:  # unreadable, or a broken .gz
        what = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield Reject(name, None, f"unreadable file: {what}"[:300])


def iter_records(
    paths: Sequence[Path], *, options: IngestOptions | None = None
) -> Iterator[Ad | Reject]:
    """Every ``Ad`` and ``Reject`` of the readable files under ``paths``, file by file."""
    options = options or IngestOptions()
    if options.ingested_at is None:
        options = replace(options, ingested_at=datetime.now(UTC))
    for path in find_inputs(paths).files:
        yield from iter_file(path, options=options)


def file_fingerprint(path: Path) -> str:
    """Hex SHA-256 of (absolute path, size, mtime_ns, SHA-256 of the first 64 KiB)."""
    path = Path(path)
    stat = path.stat()
    with path.open("rb") as handle:
        head = hashlib.sha256(handle.read(HEAD_BYTES)).hexdigest()
    key = f"{os.path.abspath(path)}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\x1f{head}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
